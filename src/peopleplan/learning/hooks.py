"""What learning asks of, and tells, the apps above it (DESIGN.md: a lower app declares a
small interface, and a higher app registers into it when it starts; learning imports nothing
of theirs). With nothing registered, learning works on its own: no priorities, nothing
mandatory.

- `completions_changed(person_ids)`: learning calls it, in the same transaction, after it adds
  or removes completions of catalogue items (registers, imports). Compliance registers the
  rebuild of those people's achievements.
- `mandatory_items(person_id, on)`: the catalogue items that meet a requirement the person
  must meet on that day, each with how urgent it is (`URGENT`, `SOON`, or `HELD` when it is up
  to date). Compliance answers; Find learning's "mandatory for me" asks.
- `waitlist_priority(person_id, item_id, on)`: where the person's request for the item goes on
  a waiting list: `URGENT` (mandatory for them, and overdue or expired) before `SOON` (due
  soon) before everyone else (0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

URGENT = 2
SOON = 1
HELD = 0

_on_completions_changed: list[Callable[[set[int]], None]] = []
_mandatory: list[Callable[[int, dt.date], dict[int, int]]] = []


def on_completions_changed(listener: Callable[[set[int]], None]) -> None:
    if listener not in _on_completions_changed:
        _on_completions_changed.append(listener)


def completions_changed(person_ids: Iterable[int]) -> None:
    people = set(person_ids)
    if not people:
        return
    for listener in _on_completions_changed:
        listener(people)


def answer_mandatory_items(answer: Callable[[int, dt.date], dict[int, int]]) -> None:
    """Register the one answer to `mandatory_items` (compliance, when it starts)."""
    _mandatory[:] = [answer]


def mandatory_items(person_id: int, on: dt.date) -> dict[int, int]:
    return _mandatory[0](person_id, on) if _mandatory else {}


def waitlist_priority(person_id: int, item_id: int, on: dt.date) -> int:
    return mandatory_items(person_id, on).get(item_id, HELD)
