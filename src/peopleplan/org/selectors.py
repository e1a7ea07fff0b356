"""Reads of the organisation: a person's record, lists of people, teams, and the establishment.

A selector does not decide who may see what: the page asks the access gates first and hands in
what the user may see (the people they may see as a queryset, the units they may browse, the
reporting lines as a Q). Every selector makes a fixed number of queries, whatever the size of
the organisation.

The establishment, as of a date:
- headcount: the people with a current staff assignment (agency workers and external people are
  not staff) in the unit or anywhere under it, each person counted once;
- FTE: the sum of those staff assignments' FTE;
- posts: the posts open on the date (started, not ended);
- vacancies: the open posts that no current staff assignment holds; a vacancy that a current
  agency assignment holds is "covered by agency".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from peopleplan.org.models import Assignment, EqualityRecord, Person, Post, Unit, subtree_q

NOT_STAFF = (Assignment.ContractType.AGENCY, Assignment.ContractType.EXTERNAL)


def _current_staff(on: dt.date) -> QuerySet[Assignment]:
    return Assignment.objects.current_on(on).exclude(contract_type__in=NOT_STAFF)


def _open_posts(on: dt.date) -> QuerySet[Post]:
    return Post.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


# --- the establishment -----------------------------------------------------------------------


@dataclass
class Figures:
    headcount: int = 0
    fte: Decimal = Decimal("0")
    posts: int = 0
    vacancies: int = 0
    covered_by_agency: int = 0


@dataclass(eq=False)
class UnitNode:
    unit: Unit
    figures: Figures = field(default_factory=Figures)
    children: list[UnitNode] = field(default_factory=list)


@dataclass(eq=False)
class Establishment:
    roots: list[UnitNode]
    nodes: dict[int, UnitNode]

    def __getitem__(self, unit_id: int) -> UnitNode:
        return self.nodes[unit_id]

    @property
    def total(self) -> Figures:
        """The figures of all the roots together (roots never overlap)."""
        total = Figures()
        for node in self.roots:
            _add(total, node.figures)
        return total


def _add(into: Figures, other: Figures) -> None:
    into.headcount += other.headcount
    into.fte += other.fte
    into.posts += other.posts
    into.vacancies += other.vacancies
    into.covered_by_agency += other.covered_by_agency


def establishment(roots: list[Unit], on: dt.date) -> Establishment:
    """The tree under `roots` with each unit's figures, including everything under it.

    Four queries, whatever the size: the units; staff headcount and FTE grouped by unit; the
    few people with staff jobs in more than one unit (so that a unit above both counts them
    once); open posts grouped by unit with how many are vacant and covered. The per-unit
    figures are then added up the tree in Python, using each unit's path.
    """
    roots = [r for r in roots if not any(r is not o and r.is_under(o) for o in roots)]
    if not roots:
        return Establishment(roots=[], nodes={})
    paths = [r.path for r in roots]
    units = list(Unit.objects.filter(subtree_q("path", paths)).order_by("path"))
    nodes = {u.pk: UnitNode(unit=u) for u in units}
    for u in units:  # in path order, so a parent is placed before its children
        if u.parent_id in nodes:
            nodes[u.parent_id].children.append(nodes[u.pk])
    for node in nodes.values():
        node.children.sort(key=lambda n: n.unit.name.lower())
    ancestors = {u.pk: [a for a in u.ancestor_ids if a in nodes] for u in units}

    def add_up(unit_id: int, **amounts) -> None:
        for a in ancestors.get(unit_id, ()):
            figures = nodes[a].figures
            for name, amount in amounts.items():
                setattr(figures, name, getattr(figures, name) + amount)

    staff = _current_staff(on).filter(subtree_q("unit__path", paths))
    for row in (
        staff.order_by()
        .values("unit_id")
        .annotate(people=Count("person_id", distinct=True), fte=Sum("fte"))
    ):
        add_up(row["unit_id"], headcount=row["people"], fte=row["fte"] or Decimal("0"))

    # Someone with staff jobs in two units was counted once in each: count them once above both.
    in_several = (
        staff.order_by()
        .values("person_id")
        .annotate(units=Count("unit_id", distinct=True))
        .filter(units__gt=1)
        .values("person_id")
    )
    units_of: dict[int, set[int]] = defaultdict(set)
    for person_id, unit_id in (
        staff.filter(person_id__in=in_several).order_by().values_list("person_id", "unit_id")
    ):
        units_of[person_id].add(unit_id)
    for unit_ids in units_of.values():
        counted = Counter(a for unit_id in unit_ids for a in ancestors.get(unit_id, ()))
        for a, times in counted.items():
            nodes[a].figures.headcount -= times - 1

    held_by_staff = _current_staff(on).filter(post=OuterRef("pk"))
    held_by_agency = (
        Assignment.objects.current_on(on)
        .filter(post=OuterRef("pk"))
        .filter(contract_type=Assignment.ContractType.AGENCY)
    )
    for row in (
        _open_posts(on)
        .filter(subtree_q("unit__path", paths))
        .annotate(filled=Exists(held_by_staff), agency=Exists(held_by_agency))
        .order_by()
        .values("unit_id")
        .annotate(
            posts=Count("pk"),
            vacancies=Count("pk", filter=Q(filled=False)),
            covered=Count("pk", filter=Q(filled=False, agency=True)),
        )
    ):
        add_up(
            row["unit_id"],
            posts=row["posts"],
            vacancies=row["vacancies"],
            covered_by_agency=row["covered"],
        )

    return Establishment(roots=[nodes[r.pk] for r in roots], nodes=nodes)


def unit_ancestors(unit: Unit) -> list[Unit]:
    """The units above this one, from the top down (one query)."""
    ids = [pk for pk in unit.ancestor_ids if pk != unit.pk]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def unit_paths(units: list[Unit]) -> dict[int, list[Unit]]:
    """For each unit, the units from the top of the tree down to it (one query for all)."""
    ids = {pk for u in units for pk in u.ancestor_ids}
    by_id = Unit.objects.in_bulk(ids) if ids else {}
    return {u.pk: [by_id[pk] for pk in u.ancestor_ids if pk in by_id] for u in units}


def unit_posts(unit: Unit, on: dt.date) -> QuerySet[Post]:
    """The posts open on the date in this unit itself (not the units under it)."""
    return (
        _open_posts(on)
        .filter(unit=unit)
        .select_related("job_role", "grade")
        .order_by("post_number")
    )


@dataclass
class PostStatus:
    post: Post
    holders: list[Assignment]

    @property
    def staff_holders(self) -> list[Assignment]:
        return [a for a in self.holders if a.contract_type not in NOT_STAFF]

    @property
    def status(self) -> str:
        if self.staff_holders:
            return "Filled"
        if any(a.is_agency for a in self.holders):
            return "Covered by agency"
        return "Vacant"


def post_statuses(posts: list[Post], on: dt.date) -> list[PostStatus]:
    """Each post with the assignments holding it on the date (one query for all)."""
    holders: dict[int, list[Assignment]] = defaultdict(list)
    for a in (
        Assignment.objects.current_on(on)
        .filter(post__in=[p.pk for p in posts])
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ):
        holders[a.post_id].append(a)
    return [PostStatus(post=p, holders=holders[p.pk]) for p in posts]


def unit_people(unit: Unit, visible: QuerySet[Person], on: dt.date) -> QuerySet[Assignment]:
    """The current assignments in this unit itself of the people in `visible`."""
    return (
        Assignment.objects.current_on(on)
        .filter(unit=unit, person__in=visible)
        .select_related("person", "job_role", "grade", "post")
        .order_by("person__last_name", "person__first_name", "person__employee_number", "pk")
    )


# --- people ----------------------------------------------------------------------------------


def people_search(
    people: QuerySet[Person],
    *,
    on: dt.date,
    search: str = "",
    unit: Unit | None = None,
    include_leavers: bool = False,
) -> QuerySet[Person]:
    """People from `people` matching a name or employee number, with a current assignment in
    the unit or under it, by surname."""
    search = " ".join(search.split())
    if search:
        by_name = Q()
        for term in search.split(" "):
            by_name &= Q(first_name__icontains=term) | Q(last_name__icontains=term)
        people = people.filter(by_name | Q(employee_number__iexact=search))
    if unit is not None:
        placed = (
            Assignment.objects.current_on(on)
            .filter(person=OuterRef("pk"))
            .filter(subtree_q("unit__path", [unit.path]))
        )
        people = people.filter(Exists(placed))
    if not include_leavers:
        people = people.exclude(leaving_date__lt=on)
    return people.order_by("last_name", "first_name", "employee_number")


def current_jobs(person_ids: list[int], on: dt.date) -> dict[int, Assignment]:
    """Each person's main current assignment: the primary one, else the latest (one query)."""
    jobs: dict[int, Assignment] = {}
    for a in (
        Assignment.objects.current_on(on)
        .filter(person_id__in=person_ids)
        .select_related("job_role", "unit", "grade")
        .order_by("person_id", "-is_primary", "-start_date", "-pk")
    ):
        jobs.setdefault(a.person_id, a)
    return jobs


def visible_ids(visible: QuerySet[Person], ids) -> set[int]:
    """Which of these people are in `visible` (one query)."""
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return set()
    return set(visible.filter(pk__in=ids).values_list("pk", flat=True))


# --- a person's record -----------------------------------------------------------------------


def person_assignments(person: Person) -> list[Assignment]:
    """Every assignment of the person, newest first (one query)."""
    return list(
        Assignment.objects.filter(person=person)
        .select_related("unit", "post", "job_role", "grade", "line_manager")
        .order_by("-start_date", "-pk")
    )


def current_of(assignments: list[Assignment], on: dt.date) -> list[Assignment]:
    current = [a for a in assignments if a.is_current_on(on)]
    return sorted(current, key=lambda a: (not a.is_primary, -a.start_date.toordinal()))


def direct_reports(
    manager: Person, on: dt.date, visible: QuerySet[Person] | None = None
) -> list[Assignment]:
    """The current assignments whose line manager is this person, of people in `visible`."""
    qs = Assignment.objects.current_on(on).filter(line_manager=manager)
    if visible is not None:
        qs = qs.filter(person__in=visible)
    return list(
        qs.select_related("person", "job_role", "unit").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )


def equality_record(person: Person) -> EqualityRecord | None:
    return EqualityRecord.objects.filter(person=person).first()


@dataclass
class TimelineEvent:
    date: dt.date
    title: str
    description: str
    order: int  # on one date: joined, started, ended, left


def person_timeline(
    person: Person, assignments: list[Assignment], on: dt.date
) -> list[TimelineEvent]:
    """The person's history from their assignments and leaving, newest first (what is planned
    after `on` first of all)."""
    events = []
    if person.service_start:
        events.append(TimelineEvent(person.service_start, "Continuous service began", "", 0))
    for a in assignments:
        where = f"{a.job_role} in {a.unit}" + (" (second job)" if not a.is_primary else "")
        detail = f"{a.get_contract_type_display()}, {_fte_text(a.fte)} FTE" + (
            f", post {a.post.post_number}" if a.post_id else ""
        )
        started = "Starts" if a.start_date > on else "Started"
        events.append(TimelineEvent(a.start_date, f"{started} as {where}", detail, 1))
        if a.end_date is not None:
            ended = "Due to end" if a.end_date >= on else "Ended"
            events.append(TimelineEvent(a.end_date, f"{ended} as {where}", "", 2))
    if person.leaving_date:
        reason = person.get_leaving_reason_display() if person.leaving_reason else ""
        left = "Due to leave" if person.leaving_date >= on else "Left"
        events.append(TimelineEvent(person.leaving_date, f"{left} the council", reason, 3))
    events.sort(key=lambda e: (e.date, e.order), reverse=True)
    return events


def _fte_text(value: Decimal) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


def coming_up(assignments: list[Assignment], on: dt.date) -> list[TimelineEvent]:
    """What the record says will happen: jobs that start later and current jobs that end."""
    events = []
    for a in assignments:
        where = f"{a.job_role} in {a.unit}"
        if a.start_date > on:
            events.append(TimelineEvent(a.start_date, f"You start as {where}", "", 1))
        elif a.end_date is not None and a.end_date >= on:
            events.append(TimelineEvent(a.end_date, f"Your job as {where} ends", "", 2))
    events.sort(key=lambda e: (e.date, e.order))
    return events


# --- teams -----------------------------------------------------------------------------------


@dataclass
class TeamRow:
    """One line of a team: who, their job, and whom they report to. Plain values, not model
    objects, so that a director's team of thousands is quick to build."""

    person_id: int
    name: str
    job: str
    unit: str
    manager_id: int
    manager_name: str
    level: int = 1  # 1: reports directly to the manager


def team_rows(*, manager_id: int, reports: Q, on: dt.date) -> list[TeamRow]:
    """Everyone reporting to the manager on the date, in reporting order: each direct report,
    then the people reporting to them, and so on. `reports` is the gates' Q over `person_id`
    for the manager's reports. One query (the reporting lines are a subquery of it)."""
    by_manager: dict[int, list[TeamRow]] = defaultdict(list)
    for values in (
        Assignment.objects.current_on(on)
        .filter(reports)
        .filter(line_manager__isnull=False)
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(
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
        person_id, first, last, job, unit, boss_id, boss_first, boss_last = values
        by_manager[boss_id].append(
            TeamRow(
                person_id=person_id,
                name=f"{first} {last}".strip(),
                job=job,
                unit=unit,
                manager_id=boss_id,
                manager_name=f"{boss_first} {boss_last}".strip(),
            )
        )
    rows: list[TeamRow] = []
    seen = {manager_id}
    stack = [(row, 1) for row in reversed(by_manager.get(manager_id, []))]
    while stack:
        row, level = stack.pop()
        row.level = level
        rows.append(row)
        if row.person_id in seen:
            continue  # a second line to someone already placed, or a loop: shown, not followed
        seen.add(row.person_id)
        stack.extend((child, level + 1) for child in reversed(by_manager.get(row.person_id, [])))
    return rows


def count_people(q: Q) -> int:
    return Person.objects.filter(q).count()
