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
- *Tables* (`suppress_table`): rows that add up to a total row (a workforce by grade band, each
  band a row) are also protected down each column: no column, total row included, is left with
  exactly one hidden count, and no row either, checked again after every cell hidden until
  nothing changes. (A count hidden for one row or column can leave another with one.)

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
    grid = [[*counts, sum(counts)]]
    width = len(counts)
    why = _protect(grid, [((0, width), [(0, j) for j in range(width)])], threshold)
    return _row(grid[0], 0, why)


@dataclass(frozen=True)
class Table:
    """Rows of counts and the row of their column totals (`total`), each with its total."""

    rows: list[Row]
    total: Row


def suppress_table(rows: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> Table:
    """Rows of counts (all as long) and their column totals, suppressed across and down."""
    width = len(rows[0]) if rows else 0
    grid = [[*r, sum(r)] for r in rows]
    grid.append([sum(column) for column in zip(*grid, strict=True)] if rows else [0])
    last = len(rows)
    across = [((i, width), [(i, j) for j in range(width)]) for i in range(last + 1)]
    down = [((last, j), [(i, j) for i in range(last)]) for j in range(width + 1)]
    why = _protect(grid, across + down, threshold)
    return Table([_row(grid[i], i, why) for i in range(last)], _row(grid[last], last, why))


Place = tuple[int, int]


def _protect(
    grid: list[list[int]], sums: list[tuple[Place, list[Place]]], threshold: int
) -> dict[Place, str]:
    """Which cells of the grid to hide and why: each count under the threshold, then, for as
    long as some sum (a total and its parts) has exactly one hidden cell, the smallest other
    part shown (above nought), or its total if it has none."""
    why = {
        (i, j): FEWER
        for i, line in enumerate(grid)
        for j, n in enumerate(line)
        if 0 < n < threshold
    }
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            if sum(1 for place in (total, *parts) if place in why) != 1:
                continue
            others = [
                (grid[i][j], (i, j)) for i, j in parts if (i, j) not in why and grid[i][j] > 0
            ]
            why[min(others)[1] if others else total] = HIDDEN
            changed = True
    return why


def _row(line: list[int], i: int, why: dict[Place, str]) -> Row:
    cells = [Cell(n, (i, j) in why, why.get((i, j), "")) for j, n in enumerate(line)]
    return Row(cells[:-1], cells[-1])
