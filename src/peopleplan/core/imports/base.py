"""What an import kind is made of. Each app registers its kinds; the runner does the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from peopleplan.core.imports.values import ValueProblem, normalise_word


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    description: str = ""
    example: str = ""


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it; 0 for the file as a whole
    column: str  # the column's canonical name, or "" for the whole row
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class Row:
    """One row of the file. The cells are kept as read (for the rejected-rows file); the
    columns are found through `positions`, which every row of a file shares."""

    number: int
    cells: list[str]
    positions: dict[str, int]
    columns: frozenset[str]  # the kind's columns the file has (shared by every row)
    problems: list[RowProblem] = field(default_factory=list)
    parsed: Any = None

    def get(self, column: str) -> str:
        index = self.positions.get(column)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def has(self, column: str) -> bool:
        """Whether the file has this column at all: a column the file leaves out keeps what is
        held, while an empty cell in a column the file has means empty."""
        return column in self.positions

    def error(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def take(self, column: str, parser, *args, **kwargs):
        """The column parsed, None when empty, or None with a problem recorded."""
        text = self.get(column)
        if not text:
            return None
        try:
            return parser(text, *args, **kwargs)
        except ValueProblem as exc:
            self.error(column, str(exc))
            return None


@dataclass
class Change:
    action: str  # added, changed, ended, unchanged
    key: str
    label: str = ""
    details: list[str] = field(default_factory=list)
    row: int | None = None
    payload: Any = None


ACTIONS = ("added", "changed", "ended", "unchanged")


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reported, not applied (e.g. missing people)


class ImportKind:
    """One kind of file. A fresh instance serves one run, so lookups can live on `self`."""

    name: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key_column: ClassVar[str]
    key_label: ClassVar[str] = "key"
    description: ClassVar[str] = ""
    # The access capability (access.gates.CAPABILITIES) needed to import or export this kind.
    capability: ClassVar[str] = "people.import"
    # Where the kind comes in lists: the order to import a council's files in the first time.
    order: ClassVar[int] = 100
    # Columns of special-category data (equality monitoring): read and written only for users
    # allowed to see it, and kept out of rejected-row files and messages otherwise.
    special_columns: ClassVar[tuple[str, ...]] = ()

    # The date the file describes (set by the runner): changes with no date of their own in
    # the file take effect from it.
    as_of: dt.date

    def prepare(self) -> None:
        """Load what parsing needs (lookups by code) once."""

    def parse(self, row: Row) -> Any:
        """Turn a row's text into values; record problems on the row; return None if any."""
        raise NotImplementedError

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        """Checks across rows (a manager not found, a loop). `rows` parsed cleanly; only they
        may be given problems. `all_rows` is the whole file, for better messages."""

    def plan(self, rows: list[Row]) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, *, actor: Any) -> None:
        raise NotImplementedError

    def export_rows(self) -> Iterable[list[str]]:
        """Every row in the import's own format, one value per column."""
        raise NotImplementedError

    def export_table(self, *, special_category: bool = True) -> tuple[list[str], Iterable]:
        """The header and rows of an export; without `special_category` the special columns
        are left out altogether (so the file imports back without touching them)."""
        names = self.column_names()
        if special_category or not self.special_columns:
            return names, self.export_rows()
        keep = [i for i, name in enumerate(names) if name not in self.special_columns]
        return [names[i] for i in keep], ([row[i] for i in keep] for row in self.export_rows())

    @classmethod
    def column_names(cls) -> list[str]:
        return [c.name for c in cls.columns]

    @classmethod
    def header_lookup(cls) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for column in cls.columns:
            for name in (column.name, *column.aliases):
                lookup[normalise_word(name)] = column.name
        return lookup


_KINDS: dict[str, type[ImportKind]] = {}


def register(kind: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: make a kind available to the import command, page and export."""
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> type[ImportKind]:
    try:
        return _KINDS[name]
    except KeyError:
        known = ", ".join(sorted(_KINDS))
        raise KeyError(f"There is no import kind {name!r}. The kinds are: {known}.") from None


def all_kinds() -> list[type[ImportKind]]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))
