"""Running an import: read, match headers, parse, check, plan, and apply in one transaction.

Written once for every kind. By default nothing is applied when any row is wrong; with
`skip_invalid` the good rows are applied and the rejected ones returned with their reasons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.core.imports.base import (
    ACTIONS,
    Change,
    ImportKind,
    Plan,
    Row,
    RowProblem,
    get_kind,
)
from peopleplan.core.imports.reading import FileProblem, Table, read_table
from peopleplan.core.imports.values import normalise_word

Progress = Callable[[str, int, int], None]  # (stage, done, total)
PROGRESS_EVERY = 2000
IMPORT_LOCK = 0x70706C  # the advisory lock that lets one import apply at a time


class ImportFailed(Exception):
    """The file could not be read at all (not a row problem)."""


@dataclass
class ImportResult:
    kind: str
    file_name: str
    dry_run: bool
    skip_invalid: bool
    applied: bool = False
    rows_total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rejected: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_line(self) -> str:
        parts = [f"{self.counts.get(a, 0)} {a}" for a in (*ACTIONS, "rejected")]
        return ", ".join(parts)

    def rejected_csv(self) -> str:
        """The rejected rows as they came, with the row number and the reasons."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["row", *self.headers, "errors"])
        for row in self.rejected:
            reasons = "; ".join(
                f"{p.column}: {p.message}" if p.column else p.message for p in row.problems
            )
            writer.writerow([row.number, *row.cells, reasons])
        return out.getvalue()

    def as_dict(self, change_limit: int = 500) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "dry_run": self.dry_run,
            "rows_total": self.rows_total,
            "counts": self.counts,
            "notes": self.notes,
            "unknown_columns": self.unknown_columns,
            "changes_shown": min(len(self.changes), change_limit),
        }


def match_headers(kind: type[ImportKind], headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which cell holds which column, matching without regard to case, spaces or aliases."""
    lookup = kind.header_lookup()
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = lookup.get(normalise_word(header))
        if column is None:
            unknown.append(header)
        elif column in positions:
            raise FileProblem(
                f"Two columns are both {column}: {headers[positions[column]]!r} and {header!r}."
            )
        else:
            positions[column] = index
    missing = [c.name for c in kind.columns if c.required and c.name not in positions]
    if missing:
        raise FileProblem(
            f"The file has no column for {', '.join(missing)}. "
            f"Its columns are: {', '.join(h for h in headers if h) or 'none'}."
        )
    return positions, unknown


def _rows(table: Table, positions: dict[str, int], hidden: list[int]) -> list[Row]:
    columns = frozenset(positions)
    rows = []
    for number, cells in table.rows:
        for index in hidden:  # special-category cells the user may not import: not kept at all
            if index < len(cells):
                cells[index] = ""
        rows.append(Row(number=number, cells=cells, positions=positions, columns=columns))
    return rows


def run_import(
    kind_name: str,
    data: bytes,
    *,
    file_name: str,
    actor: Any = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    special_category: bool = True,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file. `special_category` says whether the user may import the kind's
    special-category columns (otherwise they are not read); `as_of` is the date the file
    describes (today by default), from which changes without a date of their own take effect."""
    kind_class = get_kind(kind_name)
    result = ImportResult(
        kind=kind_name, file_name=file_name, dry_run=dry_run, skip_invalid=skip_invalid
    )
    try:
        table = read_table(data, file_name)
        positions, result.unknown_columns = match_headers(kind_class, table.headers)
    except FileProblem as exc:
        raise ImportFailed(str(exc)) from None
    result.headers = table.headers
    hidden = []
    if not special_category:
        hidden = [positions.pop(c) for c in kind_class.special_columns if c in positions]
        if hidden:
            result.notes.append(
                "The equality monitoring columns were not read: importing them needs the HR "
                "equality viewer role over the whole council."
            )
    rows = _rows(table, positions, hidden)
    result.rows_total = len(rows)
    total = len(rows)

    kind = kind_class()
    kind.as_of = as_of or today()
    kind.prepare()
    required = [c.name for c in kind_class.columns if c.required]
    for done, row in enumerate(rows, start=1):
        for column in required:
            if not row.get(column):
                row.error(column, "is required")
        if not row.problems:
            row.parsed = kind.parse(row)
            if row.problems:
                row.parsed = None
        if progress and done % PROGRESS_EVERY == 0:
            progress("checking", done, total)
    if progress:
        progress("checking", total, total)

    _check_duplicate_keys(kind_class, rows)
    if dry_run:
        _check_and_plan(kind, rows, result, skip_invalid)
        return result

    with transaction.atomic():
        _lock_imports()
        # Compare with what is held now, under the lock: nothing applied since the file was
        # read can be lost, and two imports never apply at once.
        kind.prepare()
        plan = _check_and_plan(kind, rows, result, skip_invalid)
        if plan is None:
            return result
        if progress:
            progress("applying", total, total)
        kind.apply(plan, actor=actor)
        audit_record(
            actor=actor,
            action="import",
            object_type=f"import:{kind_name}",
            object_label=file_name,
            summary=f"{kind_class.label} from {file_name}: {result.summary_line()}",
            after={"counts": result.counts, "rows": total, "notes": result.notes[:50]},
        )
    result.applied = True
    if progress:
        progress("applied", total, total)
    return result


def _check_and_plan(
    kind: ImportKind, rows: list[Row], result: ImportResult, skip_invalid: bool
) -> Plan | None:
    """Check across rows and plan the changes; None when rows are wrong and nothing may apply."""
    candidates = [r for r in rows if r.parsed is not None and not r.problems]
    kind.check(candidates, rows)
    if skip_invalid:
        # A rejected row can make another wrong (its manager is no longer there): check again
        # until nothing new is found.
        while True:
            still = [r for r in candidates if not r.problems]
            if len(still) == len(candidates):
                break
            candidates = still
            kind.check(candidates, rows)

    result.rejected = [r for r in rows if r.problems]
    result.problems = [p for r in result.rejected for p in r.problems]
    result.counts = dict.fromkeys((*ACTIONS, "rejected"), 0)
    result.counts["rejected"] = len(result.rejected)
    if result.rejected and not skip_invalid:
        return None
    plan = kind.plan([r for r in rows if not r.problems])
    result.changes = plan.changes
    result.notes += plan.notes
    for change in plan.changes:
        result.counts[change.action] = result.counts.get(change.action, 0) + 1
    return plan


def _lock_imports() -> None:
    """One import applies at a time. SQLite's write transaction already excludes others."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _check_duplicate_keys(kind: type[ImportKind], rows: list[Row]) -> None:
    """A key twice in the file: every row with it is wrong, since which one is right is unknown."""
    first: dict[str, Row] = {}
    for row in rows:
        key = normalise_key(row.get(kind.key_column))
        if not key:
            continue
        if key in first:
            other = first[key]
            label = f"{kind.key_label} {row.get(kind.key_column)}"
            row.error(kind.key_column, f"{label} is also on row {other.number}")
            other.error(kind.key_column, f"{label} is also on row {row.number}")
        else:
            first[key] = row


def normalise_key(text: str) -> str:
    return text.strip()
