"""Compliance in numbers (reads only): the summary of a unit by requirement and child unit, the
people behind a number, who falls out of date soon, the leaders' overview and the full export.

Everything is counted by the status engine (`status.status_counts`: one query per audience;
`status.requirement_rows`: one per requirement; whatever the number of people); the units are
read once and each is given the column (child unit) it counts in by its path. A person with
qualifying jobs under two child units counts in each column, and once in each.

Exempt people are counted apart and are not in the denominator: "% compliant" is the compliant
people out of those in the audience who are not exempt. Due soon is not counted as compliant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from peopleplan.org.models import Unit, subtree_q

from . import rules, status
from .models import Requirement
from .rules import StatusCode

# The statuses of people in an audience, in the order the pages show them.
CODES = (
    StatusCode.COMPLIANT,
    StatusCode.DUE_SOON,
    StatusCode.OVERDUE,
    StatusCode.EXPIRED,
    StatusCode.EXEMPT,
)
WINDOWS = (30, 60, 90)  # expiring within so many days


@dataclass
class Tally:
    """People by status: compliant, due soon, overdue, expired, exempt."""

    counts: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in CODES})

    def add(self, code: str, people: int) -> None:
        if code in self.counts:
            self.counts[code] += people

    def merge(self, other: Tally) -> None:
        for code, n in other.counts.items():
            self.counts[code] += n

    @property
    def compliant(self) -> int:
        return self.counts[StatusCode.COMPLIANT]

    @property
    def due_soon(self) -> int:
        return self.counts[StatusCode.DUE_SOON]

    @property
    def overdue(self) -> int:
        return self.counts[StatusCode.OVERDUE]

    @property
    def expired(self) -> int:
        return self.counts[StatusCode.EXPIRED]

    @property
    def exempt(self) -> int:
        return self.counts[StatusCode.EXEMPT]

    @property
    def counted(self) -> int:
        """The denominator: everyone in the audience but the exempt."""
        return self.compliant + self.due_soon + self.overdue + self.expired

    @property
    def percent(self) -> int | None:
        if not self.counted:
            return None
        return round(100 * self.compliant / self.counted)

    def as_dict(self) -> dict:
        return {
            **self.counts,
            "counted": self.counted,
            "percent_compliant": self.percent,
        }


@dataclass
class Column:
    """A child unit (everything under it), or the unit itself with only the people placed
    directly in it (`direct`)."""

    unit: Unit
    direct: bool = False
    has_children: bool = False

    @property
    def label(self) -> str:
        return f"{self.unit.name} (directly)" if self.direct else self.unit.name


@dataclass
class Line:
    requirement: Requirement
    cells: list[Tally]
    total: Tally


@dataclass
class Summary:
    as_of: dt.date
    unit: Unit | None  # None: the whole of the user's scope
    columns: list[Column]
    lines: list[Line]
    column_totals: list[Tally]
    total: Tally


# --- scope -----------------------------------------------------------------------------------


def scope_q(paths: list[str] | None, field_name: str = "unit__path") -> Q | None:
    """A Q over rows with a unit path (`field_name`) inside the scope; None: everywhere."""
    return None if paths is None else subtree_q(field_name, paths)


def in_scope(paths: list[str] | None, unit: Unit) -> bool:
    return paths is None or any(unit.path.startswith(p) for p in paths)


def scope_tops(paths: list[str] | None) -> list[Unit]:
    """The units at the top of the scope: the top-level units of the council, or the units of
    the grants (those under another grant's unit left out)."""
    if paths is None:
        return list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    if not paths:
        return []
    tops = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    return list(Unit.objects.filter(path__in=tops).order_by("name"))


def default_unit(paths: list[str] | None) -> Unit | None:
    """The unit a summary opens on: the top of the scope when it is one unit."""
    tops = scope_tops(paths)
    return tops[0] if len(tops) == 1 else None


def unit_in_scope(paths: list[str] | None, unit_id) -> Unit | None:
    """The unit, when it lies inside the scope; None otherwise (or when there is none)."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        return None
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not in_scope(paths, unit):
        return None
    return unit


def within_q(paths: list[str] | None, unit: Unit | None, *, direct: bool = False) -> Q | None:
    """The assignments counted: in the unit (only those placed in it directly, with `direct`),
    or anywhere in the scope."""
    if unit is not None:
        return Q(unit=unit) if direct else subtree_q("unit__path", [unit.path])
    return scope_q(paths)


# --- the summary of a unit -------------------------------------------------------------------


def unit_summary(
    *,
    paths: list[str] | None,
    unit: Unit | None,
    as_of: dt.date,
    requirements: list[Requirement] | None = None,
) -> Summary:
    """Each requirement by child unit (or, over the whole scope, by the units at its top):
    a fixed number of queries, one per audience of the requirements and a few more."""
    reqs = status.requirements_in_force() if requirements is None else requirements
    if unit is not None:
        columns = [Column(u) for u in unit.children.order_by("name")]
        columns.append(Column(unit, direct=True))
    else:
        columns = [Column(u) for u in scope_tops(paths)]
    # The columns with units below them, to drill into.
    parents = set(
        Unit.objects.filter(parent__in=[c.unit for c in columns if not c.direct])
        .values_list("parent_id", flat=True)
        .distinct()
    )
    for column in columns:
        column.has_children = not column.direct and column.unit.pk in parents
    cells: dict[int, list[Tally]] = {r.pk: [Tally() for _ in columns] for r in reqs}
    for count in status.status_counts(
        requirements=reqs, as_of=as_of, within=within_q(paths, unit), group=column_case(columns)
    ):
        cells[count.requirement_id][count.unit_id].add(count.code, count.people)
    lines = []
    column_totals = [Tally() for _ in columns]
    total = Tally()
    for req in reqs:
        line_total = Tally()
        for index, tally in enumerate(cells[req.pk]):
            line_total.merge(tally)
            column_totals[index].merge(tally)
        total.merge(line_total)
        lines.append(Line(req, cells[req.pk], line_total))
    return Summary(as_of, unit, columns, lines, column_totals, total)


def column_case(columns: list[Column]) -> Case:
    """The index of the column an assignment counts in: the column's unit or any below it, or
    only the unit itself for the `direct` column; None outside them all."""
    whens = [
        When(
            Q(unit_id=c.unit.pk) if c.direct else subtree_q("unit__path", [c.unit.path]),
            then=Value(index),
        )
        for index, c in enumerate(columns)
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


# --- the people behind a number --------------------------------------------------------------


def people_rows(
    req: Requirement, as_of: dt.date, within: Q | None, code: str | None = None
) -> QuerySet:
    """The qualifying jobs of the requirement's audience with their status (`code`), in name
    order, with the person, unit and job role: the people behind a number."""
    rows = status.requirement_rows(req, as_of, within)
    if code:
        rows = rows.filter(code=code)
    return rows.select_related("person", "unit", "job_role").order_by(
        "person__last_name", "person__first_name", "person_id", "unit__name", "pk"
    )


def row_dates(
    req: Requirement, as_of: dt.date, code: str, held_until: dt.date | None, joined
) -> tuple[dt.date | None, dt.date | None]:
    """(due date, expiry date) of a row of `requirement_rows`, as `rules.status` gives them."""
    grace = rules.grace_end(req.rule, joined)
    if code == StatusCode.COMPLIANT:
        return None, held_until
    if code == StatusCode.DUE_SOON:
        if held_until is not None and held_until >= as_of:
            return (max(held_until, grace) if grace else held_until), held_until
        return grace, held_until
    if code == StatusCode.EXPIRED:
        return held_until, held_until
    if code == StatusCode.OVERDUE:
        return grace, None
    return None, None


# --- expiring soon ---------------------------------------------------------------------------


def expiring_rows(req: Requirement, as_of: dt.date, within: Q | None, days: int) -> QuerySet:
    """The people whose requirement runs out within `days` (what they hold lasts until a day
    from today to today + days), the soonest first."""
    return (
        status.requirement_rows(req, as_of, within)
        .filter(
            held__held_until__gte=as_of,
            held__held_until__lte=as_of + dt.timedelta(days=days),
        )
        .exclude(code=StatusCode.EXEMPT)
        .annotate(until=F("held__held_until"))
    )


def expiring_counts(
    *, requirements: list[Requirement], as_of: dt.date, within: Q | None
) -> list[tuple[Requirement, dict[int, int]]]:
    """For each requirement, how many people fall out of date within 30, 60 and 90 days (one
    query per requirement)."""
    out = []
    longest = max(WINDOWS)
    for req in requirements:
        counts = dict.fromkeys(WINDOWS, 0)
        for row in (
            expiring_rows(req, as_of, within, longest)
            .values("until")
            .annotate(people=Count("person_id", distinct=True))
            .order_by()
        ):
            days = (row["until"] - as_of).days
            for window in WINDOWS:
                if days <= window:
                    counts[window] += row["people"]
        out.append((req, counts))
    return out


# --- the leaders' overview -------------------------------------------------------------------


@dataclass
class Overview:
    as_of: dt.date
    requirements: list[Line]  # worst first
    units: list[tuple[Column, Tally]]  # lowest compliance first
    total: Tally


LOWEST_UNITS = 10


def overview(*, paths: list[str] | None, as_of: dt.date) -> Overview:
    """The scope's compliance: each requirement's % compliant, worst first; its units (the
    directorates, for the whole council) with the lowest compliance over every requirement;
    overdue and expired in all."""
    summary = unit_summary(paths=paths, unit=default_unit(paths), as_of=as_of)

    def worst(tally: Tally):
        return (tally.percent is None, tally.percent or 0)

    lines = sorted(summary.lines, key=lambda line: worst(line.total))
    units = sorted(
        (
            (column, tally)
            for column, tally in zip(summary.columns, summary.column_totals, strict=True)
            if tally.counted
        ),
        key=lambda pair: worst(pair[1]),
    )
    return Overview(as_of, lines, units[:LOWEST_UNITS], summary.total)


# --- the full export -------------------------------------------------------------------------

FULL_EXPORT_HEADERS = [
    "employee_number",
    "first_name",
    "last_name",
    "unit_code",
    "unit",
    "job",
    "requirement_code",
    "requirement",
    "status",
    "due_on",
    "expires_on",
]
CHUNK = 5000


def full_export_rows(
    *, requirements: list[Requirement], as_of: dt.date, within: Q | None
) -> Iterator[list]:
    """Every person in each requirement's audience (each qualifying job), with their status
    and dates, requirement by requirement, read in chunks (one query per requirement)."""
    labels = dict(StatusCode.choices)
    for req in requirements:
        rows = (
            status.requirement_rows(req, as_of, within)
            .order_by("person__last_name", "person__first_name", "person_id", "pk")
            .values_list(
                "person__employee_number",
                "person__first_name",
                "person__last_name",
                "unit__code",
                "unit__name",
                "job_role__title",
                "code",
                "held__held_until",
                "joined",
            )
        )
        for number, first, last, unit_code, unit, job, code, held_until, joined in rows.iterator(
            chunk_size=CHUNK
        ):
            due, expires = row_dates(req, as_of, code, held_until, joined)
            yield [
                number,
                first,
                last,
                unit_code,
                unit,
                job,
                req.code,
                req.name,
                labels.get(code, code),
                due.isoformat() if due else "",
                expires.isoformat() if expires else "",
            ]


def requirement_by_id(requirements: list[Requirement], requirement_id) -> Requirement | None:
    try:
        pk = int(requirement_id)
    except (TypeError, ValueError):
        return None
    return next((r for r in requirements if r.pk == pk), None)
