"""The demand forecast: for each requirement in force, how many people will need it in each of
the next 12 months, by directorate, and how many sessions that means. The evidence for
commissioning and for the training budget.

Month 1 is the current month (from today); month 12 is eleven months on. A person counts in
the month they will need it:

- a current member of the audience whose achievement in force today runs out that month
  (`Achievement.held_until` in the month);
- a current member already overdue or expired today: month 1;
- a current member in their grace period who holds nothing valid (a recent starter or mover):
  the month their grace period ends;
- a known starter (an assignment that starts after today, within the 12 months, and puts
  someone who is not in the audience today into it): the month their grace period ends, or
  the month what they hold runs out, when that is later;
- exempt people, people who hold it for ever or beyond the 12 months, are not counted.

A person counts in the directorate of the job that puts them in the audience (someone with
such jobs in two directorates counts in each). Sessions: the months' numbers divided by the
usual session size, rounded up: the median capacity of the sessions (not cancelled) of the
requirement's learning items that started in the last year, or 12 when there were none.
Learning met by e-learning or a credential alone needs no sessions.

Queries: a fixed few for the requirements, audiences, directorates and session sizes, then
two per requirement (the members counted in SQL by directorate, status and month; and the
starters), whatever the number of people.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from peopleplan.compliance import status
from peopleplan.compliance.models import Achievement, Requirement
from peopleplan.compliance.rules import StatusCode
from peopleplan.learning.models import LearningItem, Session
from peopleplan.org import audiences
from peopleplan.org.models import Assignment, Unit, subtree_q

MONTHS = 12
DEFAULT_SESSION_SIZE = 12
C = StatusCode


def month_starts(on: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The first day of this month and of each following one."""
    index = on.year * 12 + on.month - 1
    return [dt.date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(count)]


def _month_index(first: dt.date, day: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


@dataclass
class DirectorateRow:
    unit: Unit
    months: list[int]

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass
class RequirementForecast:
    requirement: Requirement
    rows: list[DirectorateRow]  # by directorate, those with anyone to count
    months: list[int]  # everyone, by month
    overdue_now: int  # already overdue or expired today: in month 1
    starters: int  # known starters counted
    session_size: int | None  # None: no sessions needed
    size_from_sessions: int  # how many sessions the usual size comes from (0: the default)
    sessions: list[int] | None
    note: str  # about the sessions, in words

    @property
    def total(self) -> int:
        return sum(self.months)

    @property
    def sessions_total(self) -> int | None:
        return None if self.sessions is None else sum(self.sessions)


@dataclass
class Forecast:
    on: dt.date
    months: list[dt.date]
    requirements: list[RequirementForecast] = field(default_factory=list)


def directorate_case(units: list[Unit]) -> Case:
    """The id of the directorate an assignment's unit is in (`audiences.directorates`)."""
    whens = [
        When(subtree_q("unit__path", [u.path]), then=Value(u.pk)) for u in units if u.depth > 0
    ] + [When(unit_id=u.pk, then=Value(u.pk)) for u in units if u.depth == 0]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def session_sizes(items: list[int], on: dt.date) -> dict[int, list[int]]:
    """The capacities of each item's sessions (not cancelled) that started in the year up to
    the day: one query."""
    if not items:
        return {}
    year_ago = dt.datetime.combine(on - dt.timedelta(days=365), dt.time.min, tzinfo=dt.UTC)
    until = dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    found: dict[int, list[int]] = defaultdict(list)
    for item_id, capacity in (
        Session.objects.filter(item_id__in=items)
        .exclude(status=Session.Status.CANCELLED)
        .annotate(first=Min("parts__starts_at"))
        .filter(first__gte=year_ago, first__lt=until)
        .values_list("item_id", "capacity")
    ):
        found[item_id].append(capacity)
    return found


def _sessions_plan(req: Requirement, sizes: dict[int, list[int]]) -> tuple[int | None, int, str]:
    """The usual session size (None: no sessions needed), how many sessions it comes from,
    and what to say about it."""
    items = list(req.items.all())
    scheduled = [i for i in items if i.kind in LearningItem.SCHEDULED_KINDS]
    online = [i for i in items if i.kind == LearningItem.Kind.ELEARNING]
    if not scheduled:
        if online:
            return None, 0, "Met by e-learning: no sessions are needed."
        if req.credential_type_id and not items:
            return None, 0, "Met by holding a credential: no sessions are needed."
        return None, 0, "No learning with sessions meets it: no sessions are needed."
    capacities = [c for i in scheduled for c in sizes.get(i.pk, [])]
    if capacities:
        size = max(1, round(statistics.median(capacities)))
        note = (
            f"At {size} a session: the median size of the {len(capacities)} "
            f"session{'s' * (len(capacities) != 1)} of this learning in the last year."
        )
    else:
        size = DEFAULT_SESSION_SIZE
        note = f"At {size} a session: there were no sessions of this learning in the last year."
    if online:
        note += " Some may do the e-learning instead, so this is the most it will take."
    return size, len(capacities), note


def _members_counted(req: Requirement, on: dt.date, last: dt.date, within: Q | None, case: Case):
    """The current members counted in SQL by directorate, status, the day what they hold runs
    out (when in the 12 months; binned into months here, which is cheaper than truncating in
    SQL) and, for those in their grace period holding nothing valid, the day their grace
    period started. The grace condition is `status.status_case`'s, written out again rather
    than compared with the status, so the database works the status out once a row."""
    grace_start = F("joined")
    if req.applies_from is not None:
        grace_start = Case(
            When(joined__lt=req.applies_from, then=Value(req.applies_from)),
            default=F("joined"),
            output_field=DateField(),
        )
    cutoff = on - dt.timedelta(days=req.grace_days)
    in_grace = Q(exempt__id__isnull=True) & (Q(held__id__isnull=True) | Q(held__held_until__lt=on))
    if req.applies_from is None or req.applies_from < cutoff:
        in_grace &= Q(joined__gte=cutoff)
    return (
        status.requirement_rows(req, on, within)
        .annotate(
            directorate=case,
            expires=Case(
                When(
                    held__held_until__gte=on,
                    held__held_until__lte=last,
                    then=F("held__held_until"),
                ),
                default=Value(None),
                output_field=DateField(),
            ),
            grace_from=Case(
                When(in_grace, then=grace_start), default=Value(None), output_field=DateField()
            ),
        )
        .values("directorate", "code", "expires", "grace_from")
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    )


def _starters(req: Requirement, on: dt.date, last: dt.date, within: Q | None, case: Case):
    """Known starters: assignments starting after today (within the 12 months) that qualify,
    of people not in the audience today, with what they hold today."""
    in_force = Achievement.objects.filter(
        requirement=req, person_id=OuterRef("person_id"), achieved_on__lte=on
    ).filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
    rows = Assignment.objects.filter(
        audiences.assignment_q(req.audience, last, current=False),
        start_date__gt=on,
        start_date__lte=last,
    ).filter(~audiences.member_exists(req.audience, on, person_ref="person_id"))
    if within is not None:
        rows = rows.filter(within)
    return (
        rows.annotate(
            directorate=case,
            holds=Exists(in_force),
            held_until=Subquery(in_force.values("held_until")[:1], output_field=DateField()),
        )
        .values("person_id", "directorate", "holds", "held_until")
        .annotate(starts=Min("start_date"))
        .order_by()
    )


def requirement_forecast(
    req: Requirement,
    *,
    on: dt.date,
    months: list[dt.date],
    units: list[Unit],
    sizes: dict[int, list[int]],
    within: Q | None = None,
) -> RequirementForecast:
    first = months[0]
    last = month_starts(months[-1], 2)[1] - dt.timedelta(days=1)
    case = directorate_case(units)
    grace = dt.timedelta(days=req.grace_days)
    counts: dict[int | None, list[int]] = defaultdict(lambda: [0] * len(months))
    overdue_now = starters = 0

    def add(directorate, day: dt.date | None, people: int) -> bool:
        index = 0 if day is None else _month_index(first, day)
        if 0 <= index < len(months):
            counts[directorate][index] += people
            return True
        return False

    for group in _members_counted(req, on, last, within, case):
        code, people = group["code"], group["people"]
        if code in (C.OVERDUE, C.EXPIRED):
            add(group["directorate"], None, people)
            overdue_now += people
        elif code == C.EXEMPT:
            continue
        elif group["expires"] is not None:
            add(group["directorate"], group["expires"], people)
        elif code == C.DUE_SOON:
            started = group["grace_from"]
            add(group["directorate"], started + grace if started else None, people)
    for row in _starters(req, on, last, within, case):
        if row["holds"] and row["held_until"] is None:
            continue  # holds it for ever
        started = max(row["starts"], req.applies_from or row["starts"])
        need = started + grace
        if row["holds"] and row["held_until"] > need:
            need = row["held_until"]
        starters += add(row["directorate"], need, 1)
    size, size_from, note = _sessions_plan(req, sizes)
    by_unit = {u.pk: u for u in units}
    rows = [
        DirectorateRow(by_unit[pk], figures)
        for pk, figures in counts.items()
        if pk in by_unit and any(figures)
    ]
    rows.sort(key=lambda r: r.unit.path)
    totals = [sum(figures[i] for figures in counts.values()) for i in range(len(months))]
    return RequirementForecast(
        requirement=req,
        rows=rows,
        months=totals,
        overdue_now=overdue_now,
        starters=starters,
        session_size=size,
        size_from_sessions=size_from,
        sessions=None if size is None else [math.ceil(n / size) for n in totals],
        note=note,
    )


def forecast(*, on: dt.date, within: Q | None = None) -> Forecast:
    """The forecast of every requirement in force, from the day (`within`: a part of the
    council, a Q over Assignment; None: everyone)."""
    reqs = list(
        Requirement.objects.filter(is_active=True)
        .select_related("audience", "credential_type")
        .prefetch_related("items")
        .order_by("name", "code")
    )
    months = month_starts(on)
    result = Forecast(on=on, months=months)
    if not reqs:
        return result
    shared = {r.audience_id: r.audience for r in reqs}
    for req in reqs:  # one object per audience, so each is resolved once
        req.audience = shared[req.audience_id]
    audiences.prepare(shared.values())
    units = audiences.directorates()
    sizes = session_sizes(sorted({i.pk for r in reqs for i in r.items.all()}), on)
    result.requirements = [
        requirement_forecast(req, on=on, months=months, units=units, sizes=sizes, within=within)
        for req in reqs
    ]
    return result


def export_table(found: Forecast) -> tuple[list[str], list[list]]:
    """The forecast as one table: a row per requirement and directorate, then everyone, then
    the sessions; the months across."""
    headers = [
        "requirement_code",
        "requirement",
        "directorate",
        *[f"{m:%Y-%m}" for m in found.months],
        "total",
    ]
    rows: list[list] = []
    for rf in found.requirements:
        req = rf.requirement
        for row in rf.rows:
            rows.append([req.code, req.name, row.unit.name, *row.months, row.total])
        rows.append([req.code, req.name, "All directorates", *rf.months, rf.total])
        if rf.sessions is not None:
            rows.append(
                [
                    req.code,
                    req.name,
                    f"Sessions at {rf.session_size} a session",
                    *rf.sessions,
                    rf.sessions_total,
                ]
            )
    return headers, rows
