"""Small-number suppression for any count of people that could single someone out (equality
figures above all): a count under the threshold (5) is not shown, and neither is anything it
could be worked out from.

- *Primary*: each count from 1 to 4 is suppressed. (Nought is shown: it tells no one anything
  about a person.)
- *Complementary*: a row's counts are shown with their total, so a row with exactly one
  suppressed count would give it away by subtraction; the smallest other count shown (above
  nought) is suppressed with it. If the row has no other count to hide, its total is
  suppressed instead.
- A share (per cent) is shown only where its count is.

A suppressed cell reads "Fewer than 5" (or "Suppressed" for a count hidden only so that
another cannot be worked out): `Cell.shown` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
FEWER = f"Fewer than {THRESHOLD}"
HIDDEN = "Suppressed"


@dataclass(frozen=True)
class Cell:
    count: int
    suppressed: bool = False
    why: str = ""  # FEWER or HIDDEN when suppressed

    @property
    def shown(self) -> str:
        return self.why if self.suppressed else f"{self.count:,}"

    @property
    def value(self) -> int | None:
        """The count, or None where it is suppressed (for exports and the API)."""
        return None if self.suppressed else self.count


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    total: Cell

    def share(self, index: int) -> float | None:
        """The cell's share of the row's total, in per cent to one place; None where either is
        suppressed (or the total is nought)."""
        cell = self.cells[index]
        if cell.suppressed or self.total.suppressed or not self.total.count:
            return None
        return round(100 * cell.count / self.total.count, 1)


def suppress_row(counts: Sequence[int], threshold: int = THRESHOLD) -> Row:
    """A row of counts and their total, suppressed as the module says."""
    cells = [Cell(n, True, FEWER) if 0 < n < threshold else Cell(n) for n in counts]
    total = Cell(sum(counts))
    if 0 < total.count < threshold:
        total = Cell(total.count, True, FEWER)
    hidden = [i for i, c in enumerate(cells) if c.suppressed]
    if len(hidden) == 1 and not total.suppressed:
        others = [(c.count, i) for i, c in enumerate(cells) if not c.suppressed and c.count > 0]
        if others:
            _, i = min(others)
            cells[i] = Cell(cells[i].count, True, HIDDEN)
        else:
            total = Cell(total.count, True, HIDDEN)
    return Row(cells, total)
