"""Reads behind the status pages and their API (status_views, status_api): one person's
statuses worst first, and a team's matrix. The callers clear the people through the gates
first; everything here is a fixed number of queries whatever the number of people (the
statuses of a whole team are one call of `status.statuses`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from peopleplan.org.models import Assignment, Unit, subtree_q

from . import rules, status
from .models import Requirement
from .rules import StatusCode

SEVERITY_RANK = {code: rank for rank, code in enumerate(rules.SEVERITY)}
# The GOV.UK tag of each status: colour AND the words (the label) always go together.
TAG_CLASSES = {
    StatusCode.COMPLIANT: "govuk-tag--green",
    StatusCode.DUE_SOON: "govuk-tag--yellow",
    StatusCode.OVERDUE: "govuk-tag--red",
    StatusCode.EXPIRED: "govuk-tag--orange",
    StatusCode.EXEMPT: "govuk-tag--grey",
    StatusCode.NOT_REQUIRED: "govuk-tag--grey",
}
# Something to act on now.
ATTENTION = (StatusCode.OVERDUE, StatusCode.EXPIRED)


@dataclass(frozen=True)
class Cell:
    """A status as the pages show it: the engine's status with its tag."""

    requirement: Requirement
    status: rules.Status

    @property
    def code(self) -> str:
        return self.status.code.value

    @property
    def label(self) -> str:
        return self.status.code.label

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.status.code]

    @property
    def date(self) -> dt.date | None:
        """The date to show beside the tag: when it is due, else when it expires."""
        return self.status.due_on or self.status.expires_on

    @property
    def date_words(self) -> str:
        """The date beside the tag: "by 1 May 2026" (due soon), "since ..." (overdue or
        expired), "until ..." (compliant until it expires)."""
        on = self.date
        if on is None:
            return ""
        code = self.status.code
        if code in ATTENTION:
            word = "since"
        elif code == StatusCode.DUE_SOON:
            word = "by"
        else:
            word = "until"
        return f"{word} {on.day} {on:%B %Y}"

    @property
    def to_act_on(self) -> bool:
        """Whether to say how to meet it: not yet met, or met until a date (so renewed)."""
        code = self.status.code
        if code == StatusCode.COMPLIANT:
            return self.status.expires_on is not None
        return code in (StatusCode.DUE_SOON, StatusCode.OVERDUE, StatusCode.EXPIRED)

    @property
    def items(self) -> list:
        """The catalogue items (still offered) that meet the requirement."""
        return [i for i in self.requirement.items.all() if i.is_active]

    def sort_key(self) -> tuple:
        return (SEVERITY_RANK[self.status.code], self.date or dt.date.max)


def _worst_first(cells: Iterable[Cell]) -> list[Cell]:
    return sorted(cells, key=lambda c: (*c.sort_key(), c.requirement.name))


# --- one person ------------------------------------------------------------------------------


@dataclass
class PersonCompliance:
    on: dt.date
    cells: list[Cell]  # every requirement that applies (or is exempt), worst first

    @property
    def required(self) -> int:
        """Requirements they must meet (exemptions left out)."""
        return sum(1 for c in self.cells if c.status.code != StatusCode.EXEMPT)

    @property
    def up_to_date(self) -> int:
        return sum(1 for c in self.cells if c.status.code == StatusCode.COMPLIANT)

    @property
    def exempt(self) -> int:
        return sum(1 for c in self.cells if c.status.code == StatusCode.EXEMPT)


def person_compliance(person_id: int, on: dt.date) -> PersonCompliance:
    """The requirements that apply to the person on the day (and any they are exempt from),
    worst first (`rules.SEVERITY`, then the soonest date)."""
    reqs = status.requirements_in_force()
    found = status.statuses(person_ids=[person_id], requirements=reqs, as_of=on)
    cells = [
        Cell(req, found[(person_id, req.pk)])
        for req in reqs
        if (person_id, req.pk) in found
        and found[(person_id, req.pk)].code != StatusCode.NOT_REQUIRED
    ]
    return PersonCompliance(on, _worst_first(cells))


# --- a team ----------------------------------------------------------------------------------


@dataclass
class Member:
    """Someone on the matrix: their current job (the primary one first) on the day."""

    person_id: int
    first_name: str
    last_name: str
    job: str
    unit: str
    direct: bool = False  # reports to the manager directly (a manager's team)
    manager_name: str = ""
    cells: dict[int, Cell] = field(default_factory=dict)  # requirement id -> cell
    shown: list[Cell | None] = field(default_factory=list)  # the matrix's columns, in order

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def cell(self, requirement_id: int) -> Cell | None:
        """The cell, or None when the requirement does not apply to them."""
        got = self.cells.get(requirement_id)
        if got is None or got.status.code == StatusCode.NOT_REQUIRED:
            return None
        return got


def _members(jobs: Q, on: dt.date, manager_id: int | None = None) -> list[Member]:
    """One member per person with a job current on the day matching `jobs` (a Q over
    Assignment): one query."""
    found: dict[int, Member] = {}
    for a in (
        Assignment.objects.current_on(on)
        .filter(jobs)
        .order_by("-is_primary", "start_date", "pk")
        .values(
            "person_id",
            "person__first_name",
            "person__last_name",
            "job_role__title",
            "unit__name",
            "line_manager_id",
            "line_manager__first_name",
            "line_manager__last_name",
        )
    ):
        member = found.get(a["person_id"])
        if member is None:
            member = found[a["person_id"]] = Member(
                person_id=a["person_id"],
                first_name=a["person__first_name"],
                last_name=a["person__last_name"],
                job=a["job_role__title"],
                unit=a["unit__name"],
                manager_name=(
                    f"{a['line_manager__first_name'] or ''} {a['line_manager__last_name'] or ''}"
                ).strip(),
            )
        if manager_id is not None and a["line_manager_id"] == manager_id:
            member.direct = True
    return list(found.values())


def team_members(manager_id: int, reports: Q, on: dt.date, *, direct_only: bool = False):
    """The manager's reports on the day: `reports` is the gates' Q over `person_id`."""
    members = _members(reports, on, manager_id)
    return [m for m in members if m.direct] if direct_only else members


def unit_members(unit: Unit, on: dt.date) -> list[Member]:
    """Everyone with a job in the unit (or anywhere under it) on the day."""
    return _members(subtree_q("unit__path", [unit.path]), on)


@dataclass
class Column:
    requirement: Requirement
    required: int = 0  # people it applies to, not exempt
    compliant: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.compliant / self.required) if self.required else None


@dataclass
class Matrix:
    on: dt.date
    columns: list[Column]  # the requirements that apply to anyone shown
    rows: list[Member]
    people: int  # before the filters
    requirements: list[Requirement]  # those that apply to anyone, before the filters


STATUS_FILTERS = {
    "attention": ATTENTION,
    **{code.value: (code,) for code in StatusCode if code != StatusCode.NOT_REQUIRED},
}


def matrix(
    members: list[Member],
    on: dt.date,
    *,
    requirement_id: int | None = None,
    status_filter: str = "",
    sort: str = "name",
) -> Matrix:
    """The matrix of these people: their statuses in one call for everyone, the requirements
    that apply to any of them (or only the one asked for), the people with a status in
    `status_filter` (in any shown requirement), sorted by name or by one requirement
    (`req-<id>`, worst first), and each column's compliant of required."""
    reqs = status.requirements_in_force()
    found = status.statuses(person_ids=[m.person_id for m in members], requirements=reqs, as_of=on)
    by_req = {r.pk: r for r in reqs}
    cells: dict[int, dict[int, Cell]] = {}
    for (person_id, req_id), got in found.items():
        cells.setdefault(person_id, {})[req_id] = Cell(by_req[req_id], got)
    for m in members:
        m.cells = cells.get(m.person_id, {})
    anyones = [r for r in reqs if any(m.cell(r.pk) is not None for m in members)]
    applying = [r for r in anyones if requirement_id is None or r.pk == requirement_id]
    wanted = STATUS_FILTERS.get(status_filter)
    rows = list(members)
    if requirement_id is not None:
        rows = [m for m in rows if m.cell(requirement_id) is not None]
    if wanted:
        rows = [
            m
            for m in rows
            if any((c := m.cell(r.pk)) is not None and c.status.code in wanted for r in applying)
        ]
    rows.sort(key=lambda m: (m.last_name.lower(), m.first_name.lower(), m.person_id))
    if sort.startswith("req-") and sort[4:].isdigit() and int(sort[4:]) in by_req:
        by = int(sort[4:])
        never = (len(SEVERITY_RANK), dt.date.max)
        rows.sort(key=lambda m: c.sort_key() if (c := m.cell(by)) is not None else never)
    for m in rows:
        m.shown = [m.cell(r.pk) for r in applying]
    columns = []
    for req in applying:
        column = Column(req)
        for m in rows:
            c = m.cell(req.pk)
            if c is not None and c.status.code != StatusCode.EXEMPT:
                column.required += 1
                column.compliant += c.status.code == StatusCode.COMPLIANT
        columns.append(column)
    return Matrix(on=on, columns=columns, rows=rows, people=len(members), requirements=anyones)
