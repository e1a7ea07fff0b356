"""The workforce capacity measures, computed from the effective-dated data the way the
Department for Education's "Children's social work workforce" statistics compute them (and,
where named, the local government form), for any as-of date, unit subtree and job family.

How, in short: `Facts.read` reads the scope's assignments, open posts and caseload counts once
(a few queries of small tuples), and `measures` works every figure out in Python from them for
one as-of date, so a ten-year trend is one read and ten passes. Sickness is the exception: the
database counts and adds up the period's plain spells (`Facts.sickness_in`, two queries a
period) and Python shares out the rest. Each
figure's definition is in DEFINITIONS, shown beside it on the pages.

The words:
- *staff* (employed): assignments that are not agency or external (`org.selectors.NOT_STAFF`),
  as the establishment page counts them; *agency*: agency assignments; external ones are in
  neither.
- *in post* on a day: a staff assignment current that day in the scope (its unit under the
  scope's units, its job role in the job family). FTE adds up the assignments; headcount counts
  each person once.
- *starter* and *leaver*: a person's staff assignments in the scope that overlap or follow on
  from each other make one spell of employment in the scope; a starter's spell starts in the
  period, a leaver's ends in it. For the council as a whole those are people joining and
  leaving; for a part of it, people moving in and out count too. FTE is that of the spell's
  jobs on its first (or last) day.
- *the period*: the year to the as-of date (so with 30 September, the year to 30 September,
  as the statistics count flows), unless given.
"""

from __future__ import annotations

import datetime as dt
import operator
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import reduce
from operator import itemgetter
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from peopleplan.compliance.models import Credential, CredentialType
from peopleplan.core.dates import add_months
from peopleplan.core.memory import collector_paused
from peopleplan.org.models import (
    Absence,
    Assignment,
    Caseload,
    EqualityRecord,
    JobRole,
    Person,
    Post,
    subtree_q,
)
from peopleplan.org.selectors import NOT_STAFF

from .ages import BANDS as AGE_BANDS
from .ages import band_cutoffs, latest_birth_reaching_pension_by, pension_horizon

WORKING_DAYS_A_YEAR = 253  # as the statistics' absence rate uses
LONG_TERM_FROM = 20  # working days: a spell longer than this is long-term (per council)
INDEXED_FROM_YEARS = 4  # a read spanning this many years or more indexes its jobs by year
CASELOAD_WITHIN = 92  # days: the latest caseload count this close before the as-of date is used
END = dt.date.max
ZERO = Decimal("0")


@dataclass(frozen=True)
class Scope:
    """A part of the council: units and everything under them (their paths; None: the whole
    council) and one job family (None: every job)."""

    unit_paths: tuple[str, ...] | None = None
    job_family: str | None = None

    def assignments_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.unit_paths is not None:
            q &= subtree_q(f"{prefix}unit__path", list(self.unit_paths))
        if self.job_family is not None:
            q &= Q(**{f"{prefix}job_role__job_family": self.job_family})
        return q


JOB_COLUMNS = (
    "person_id",
    "start_date",
    "end_date",
    "fte",
    "contract_type",
    "post_id",
    "job_role_id",
)


class Job(NamedTuple):
    person_id: int
    start: dt.date
    end: dt.date  # END when open
    fte: Decimal
    agency: bool
    post_id: int | None
    job_role_id: int


class Spell(NamedTuple):
    """A person's unbroken staff employment in the scope, and the FTE on its first and last
    days."""

    person_id: int
    start: dt.date
    end: dt.date  # END while it goes on
    start_fte: Decimal
    end_fte: Decimal


class Sickness(NamedTuple):
    person_id: int
    first: dt.date
    last: dt.date | None
    tenths: int  # the working days lost, in tenths of a day (HR record them to one place)
    # Monday to Friday of the spell, kept for a spell over the long-term boundary in calendar
    # days (the only ones that can be long-term); None for the others, and while it goes on.
    working_days: int | None = None


class SicknessSums(NamedTuple):
    """Sickness touching a period: the spells plainly inside it, counted and added up by the
    database, and the rest as rows."""

    short_spells: int
    short_tenths: int
    long_spells: int
    long_tenths: int
    others: list[Sickness]


def _sure_long_from(long_term_from: int) -> int:
    """The fewest calendar days that hold more than `long_term_from` working days whatever
    day of the week they start on (31 for 20): a spell so long is long-term without counting
    its days, one of `long_term_from` calendar days or fewer is short-term."""
    days = long_term_from
    while days - 2 * (days // 7) - min(2, days % 7) <= long_term_from:
        days += 1
    return days


@dataclass
class Facts:
    """What the measures are worked out from, read once for a scope and a span of dates."""

    scope: Scope
    jobs: list[Job] = field(default_factory=list)
    posts: list[tuple[int, Decimal, dt.date, dt.date]] = field(default_factory=list)
    caseloads: dict[dt.date, dict[int, int]] = field(default_factory=dict)  # day -> person -> n
    service_start: dict[int, dt.date] = field(default_factory=dict)
    spells: list[Spell] = field(default_factory=list)
    born: dict[int, dt.date] = field(default_factory=dict)
    leaving: dict[int, tuple[dt.date, str]] = field(default_factory=dict)  # day, reason
    # The registration body each job role needs (roles needing none left out), and each
    # person's verified registrations: (body, issued, expires or END).
    body_of_role: dict[int, str] = field(default_factory=dict)
    registrations: dict[int, list[tuple[str, dt.date, dt.date]]] = field(default_factory=dict)
    years: tuple[int, int] | None = None  # the calendar years read (None: not indexed)
    # Built once, on first use (a trend reuses them for every date).
    _spells_of: dict[int, list[Spell]] | None = None
    _jobs_by_year: dict[int, list[Job]] | None = None
    _spells_by_start: tuple[list[dt.date], list[Spell]] | None = None
    _spells_by_end: tuple[list[dt.date], list[Spell]] | None = None
    _sickness: dict[tuple[dt.date, dt.date, int], SicknessSums] = field(default_factory=dict)

    def spells_of(self, person_id: int) -> list[Spell]:
        if self._spells_of is None:
            self._spells_of = defaultdict(list)
            for spell in self.spells:
                self._spells_of[spell.person_id].append(spell)
        return self._spells_of.get(person_id, [])

    def sickness_in(self, first: dt.date, last: dt.date, long_term_from: int) -> SicknessSums:
        """The sickness touching the days from `first` to `last` (`read_sickness` for them
        alone, unless it has been read already)."""
        key = (first, last, long_term_from)
        if key not in self._sickness:
            self.read_sickness([(first, last)], long_term_from)
        return self._sickness[key]

    def read_sickness(self, periods: list[tuple[dt.date, dt.date]], long_term_from: int) -> None:
        """Read the spells of sickness that touch each period (none overlapping another), by
        people on the staff in the scope: two queries, however many periods. Most spells lie
        plainly inside a period and are plainly short or long: the database counts and adds
        those up by period, for people with a staff job in the scope on the spell's first
        day. The rest (running over an edge, still going on, or near the long-term boundary:
        `_sure_long_from`) come back as rows for `measures` to share out."""
        earliest = min(first for first, _ in periods)
        latest = max(last for _, last in periods)
        staff = (
            Assignment.objects.filter(self.scope.assignments_q())
            .exclude(contract_type__in=NOT_STAFF)
            .filter(start_date__lte=latest)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=earliest))
            .filter(person_id=OuterRef("person_id"), start_date__lte=OuterRef("first_day"))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("first_day")))
        )
        short = Q(last_day__lte=F("first_day") + dt.timedelta(days=long_term_from - 1))
        long = Q(
            last_day__gte=F("first_day") + dt.timedelta(days=_sure_long_from(long_term_from) - 1)
        )
        inside = [
            Q(first_day__gte=first, first_day__lte=last, last_day__lte=last)
            for first, last in periods
        ]
        plain = reduce(operator.or_, inside) & (short | long)
        tenths = Cast(Round(F("working_days_lost") * 10), IntegerField())
        by_period = {
            row["period"]: row
            for row in Absence.objects.filter(plain)
            .filter(Exists(staff))
            .annotate(
                period=Case(
                    *(When(q, then=Value(n)) for n, q in enumerate(inside)),
                    output_field=IntegerField(),
                )
            )
            .order_by()
            .values("period")
            .annotate(
                short_spells=Count("pk", filter=short),
                short_tenths=Sum(tenths, filter=short),
                long_spells=Count("pk", filter=long),
                long_tenths=Sum(tenths, filter=long),
            )
        }
        others = [
            Sickness(
                *row,
                None
                if row[2] is None or (row[2] - row[1]).days < long_term_from
                else working_days(row[1], row[2]),
            )
            for row in Absence.objects.filter(
                Q(last_day__isnull=True) | Q(last_day__gte=earliest), first_day__lte=latest
            )
            .exclude(plain)
            .annotate(tenths=tenths)
            .order_by()
            .values_list("person_id", "first_day", "last_day", "tenths")
        ]
        for n, (first, last) in enumerate(periods):
            sums = by_period.get(n, {})
            self._sickness[(first, last, long_term_from)] = SicknessSums(
                sums.get("short_spells", 0),
                sums.get("short_tenths") or 0,
                sums.get("long_spells", 0),
                sums.get("long_tenths") or 0,
                [a for a in others if a.first <= last and (a.last or END) >= first],
            )

    def jobs_on(self, day: dt.date) -> list[Job]:
        """The jobs (staff and agency) current on the day. For a read of many years (a trend)
        each job is filed once under each calendar year it runs in, so a day looks at its
        year's only; a read of a year or two is quicker scanned."""
        if (
            self.years is None
            or self.years[1] - self.years[0] < INDEXED_FROM_YEARS
            or not self.years[0] <= day.year <= self.years[1]
        ):
            return [j for j in self.jobs if j.start <= day <= j.end]
        low, high = self.years
        if self._jobs_by_year is None:
            self._jobs_by_year = defaultdict(list)
            for job in self.jobs:
                for year in range(max(job.start.year, low), min(job.end.year, high) + 1):
                    self._jobs_by_year[year].append(job)
        return [j for j in self._jobs_by_year.get(day.year, ()) if j.start <= day <= j.end]

    def spells_starting(self, first: dt.date, last: dt.date) -> list[Spell]:
        """The spells that start from `first` to `last` (by bisection on their first days)."""
        if self._spells_by_start is None:
            ordered = sorted(self.spells, key=lambda s: s.start)
            self._spells_by_start = ([s.start for s in ordered], ordered)
        days, ordered = self._spells_by_start
        return ordered[bisect_left(days, first) : bisect_right(days, last)]

    def spells_ending(self, first: dt.date, last: dt.date) -> list[Spell]:
        """The spells that end from `first` to `last` (by bisection on their last days)."""
        if self._spells_by_end is None:
            ordered = sorted(self.spells, key=lambda s: s.end)
            self._spells_by_end = ([s.end for s in ordered], ordered)
        days, ordered = self._spells_by_end
        return ordered[bisect_left(days, first) : bisect_right(days, last)]

    @classmethod
    @collector_paused()
    def read(
        cls, scope: Scope, first: dt.date, last: dt.date, *, people_from: dt.date | None = None
    ) -> Facts:
        """The facts for as-of dates from `first` to `last` (their periods included): ten
        queries, whatever the size of the council (sickness is read for each period, by
        `sickness_in`). Why leavers left is read for the as-of dates from `people_from` (by
        default `first`) only: a trend asks the measures about people of its last date."""
        since = add_months(first, -12)
        facts = cls(scope, years=(since.year - 1, last.year))
        # The jobs that overlap the dates, and the staff jobs that end the day before: a spell
        # that starts in a period is then never mistaken for the later part of one that began
        # before it (its earlier job, ending the day before a kept one, is kept too), and jobs
        # that ended before that change no measure.
        overlapping = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=since))
        agency = Assignment.ContractType.AGENCY
        before = since - dt.timedelta(days=1)
        rows = (
            Assignment.objects.filter(scope.assignments_q())
            .exclude(contract_type=Assignment.ContractType.EXTERNAL)
            .filter(Q(start_date__lte=last), Q(end_date__isnull=True) | Q(end_date__gte=before))
            .annotate(
                start=F("start_date"),
                end=Coalesce("end_date", Value(END), output_field=DateField()),
                agency=ExpressionWrapper(Q(contract_type=agency), output_field=BooleanField()),
            )
            .order_by("person_id", "start_date")  # as join_spells wants them: its sort is quick
            .values_list(*Job._fields)  # Job's fields, in order
        )
        facts.jobs = list(map(Job._make, rows))
        facts.spells = join_spells([j for j in facts.jobs if not j.agency])
        posts = Post.objects.filter(overlapping)
        if scope.unit_paths is not None:
            posts = posts.filter(subtree_q("unit__path", list(scope.unit_paths)))
        if scope.job_family is not None:
            posts = posts.filter(job_role__job_family=scope.job_family)
        facts.posts = [
            (pk, fte, start, end or END)
            for pk, fte, start, end in posts.order_by().values_list(
                "pk", "fte", "start_date", "end_date"
            )
        ]
        people = {j.person_id for j in facts.jobs}
        for person_id, on, cases in (
            Caseload.objects.filter(
                on__gte=first - dt.timedelta(days=CASELOAD_WITHIN), on__lte=last
            )
            .order_by()
            .values_list("person_id", "on", "cases")
        ):
            if person_id in people:
                facts.caseloads.setdefault(on, {})[person_id] = cases
        # Length of service: the continuous service date, or else the first staff job ever
        # (anywhere in the council), of those still here in the span. Most have the date, so
        # only those without it have their jobs looked through.
        staying = Person.objects.filter(
            _staff_people_q(scope, "pk"), Q(leaving_date__isnull=True) | Q(leaving_date__gte=since)
        ).order_by()
        facts.service_start = dict(
            staying.filter(service_start__isnull=False).values_list("pk", "service_start")
        )
        staff_jobs = ~Q(assignments__contract_type__in=NOT_STAFF)
        facts.service_start |= {
            pk: first
            for pk, first in staying.filter(service_start__isnull=True)
            .annotate(first=Min("assignments__start_date", filter=staff_jobs))
            .values_list("pk", "first")
            if first is not None
        }
        facts.born = dict(
            EqualityRecord.objects.filter(
                _staff_people_q(scope), date_of_birth__isnull=False
            ).values_list("person_id", "date_of_birth")
        )
        facts.leaving = {
            pk: (day, reason)
            for pk, day, reason in Person.objects.filter(
                _staff_people_q(scope, "pk"),
                leaving_date__gte=add_months(people_from or first, -12),
                leaving_date__lte=last,
            ).values_list("pk", "leaving_date", "leaving_reason")
        }
        facts.body_of_role = dict(
            JobRole.objects.exclude(registration_body="").values_list("pk", "registration_body")
        )
        if facts.body_of_role:
            for person_id, body, issued, expires in Credential.objects.filter(
                _staff_people_q(scope),
                type__kind=CredentialType.Kind.REGISTRATION,
                status=Credential.Status.VERIFIED,
                issued_on__lte=last,
            ).values_list("person_id", "type__body", "issued_on", "expires_on"):
                facts.registrations.setdefault(person_id, []).append((body, issued, expires or END))
        return facts


def _staff_people_q(scope: Scope, field_name: str = "person_id") -> Q:
    """A Q over rows about people (`field_name`): those with a staff job in the scope ever;
    for the whole council, anyone (no subquery to run)."""
    if scope.unit_paths is None and scope.job_family is None:
        return Q()
    staff = (
        Assignment.objects.filter(scope.assignments_q())
        .exclude(contract_type__in=NOT_STAFF)
        .values("person_id")
    )
    return Q(**{f"{field_name}__in": staff})


def join_spells(staff_jobs: list[Job]) -> list[Spell]:
    """Each person's staff jobs that overlap or follow on from each other, joined into spells
    (the jobs in person and start order, read once; most spells are one job)."""
    spells: list[Spell] = []
    ordered = sorted(staff_jobs, key=itemgetter(0, 1))  # quick when they come in order
    one_day = dt.timedelta(days=1)
    i, count = 0, len(ordered)
    while i < count:
        first = ordered[i]
        end = first.end
        after = i + 1
        while after < count:
            job = ordered[after]
            if job.person_id != first.person_id or (end != END and job.start > end + one_day):
                break
            end = max(end, job.end)
            after += 1
        if after == i + 1:
            spells.append(Spell(first.person_id, first.start, end, first.fte, first.fte))
        else:
            group = ordered[i:after]
            start_fte = sum((j.fte for j in group if j.start <= first.start <= j.end), ZERO)
            end_fte = sum((j.fte for j in group if j.start <= end <= j.end), ZERO)
            spells.append(Spell(first.person_id, first.start, end, start_fte, end_fte))
        i = after
    return spells


def working_days(first: dt.date, last: dt.date) -> int:
    """Monday to Friday from `first` to `last`, both included."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    extra = sum(1 for n in range(rest) if (first.weekday() + n) % 7 < 5)
    return weeks * 5 + extra


def _rate(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _days(tenths: Fraction) -> Decimal:
    """Tenths of a day, as days."""
    return Decimal(tenths.numerator) / Decimal(tenths.denominator) / 10


def _one_place(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def period_of(as_of: dt.date) -> dt.date:
    """The first day of the year to the as-of date: the period of its flows."""
    return add_months(as_of, -12) + dt.timedelta(days=1)


@collector_paused()
def measures(
    facts: Facts,
    as_of: dt.date,
    *,
    period_start: dt.date | None = None,
    long_term_from: int = LONG_TERM_FROM,
    people: bool = True,
) -> dict[str, object]:
    """Every measure for the as-of date, keyed as the national statistics' data file names
    them where it has the measure (DEFINITIONS says how each is worked out). Without `people`,
    the measures about the people themselves (service, age, registration, why leavers left)
    are left out: a trend of the rates does not need them."""
    start = period_start or period_of(as_of)
    staff_on: list[Job] = []
    agency_on: list[Job] = []
    for j in facts.jobs_on(as_of):
        (agency_on if j.agency else staff_on).append(j)
    inpost_fte = sum((j.fte for j in staff_on), ZERO)
    inpost_headcount = len({j.person_id for j in staff_on})
    agency_fte = sum((j.fte for j in agency_on), ZERO)
    agency_headcount = len({j.person_id for j in agency_on})

    starters = facts.spells_starting(start, as_of)
    leavers = facts.spells_ending(start, as_of)
    starters_fte = sum((s.start_fte for s in starters), ZERO)
    leavers_fte = sum((s.end_fte for s in leavers), ZERO)
    leavers_headcount = len({s.person_id for s in leavers})
    before = start - dt.timedelta(days=1)
    fte_before = sum((j.fte for j in facts.jobs_on(before) if not j.agency), ZERO)

    # The establishment: each open post's FTE not held by staff is vacant; agency FTE holding
    # a post covers its vacancy, up to the vacant FTE.
    staff_on_post: dict[int, Decimal] = defaultdict(Decimal)
    agency_on_post: dict[int, Decimal] = defaultdict(Decimal)
    for job in staff_on:
        if job.post_id is not None:
            staff_on_post[job.post_id] += job.fte
    for job in agency_on:
        if job.post_id is not None:
            agency_on_post[job.post_id] += job.fte
    vacancy_fte = ZERO
    agency_cover_fte = ZERO
    for pk, fte, post_start, post_end in facts.posts:
        if post_start <= as_of <= post_end:
            held = staff_on_post.get(pk)
            if held is not None and held >= fte:
                continue  # filled (most are): nothing vacant to count or cover
            vacant = fte if held is None else fte - held
            vacancy_fte += vacant
            covering = agency_on_post.get(pk)
            if covering:
                agency_cover_fte += min(vacant, covering)

    # Caseloads: the latest count on or before the day (within CASELOAD_WITHIN days), of the
    # people in the scope that day, agency workers included.
    counted_on = max(
        (
            day
            for day in facts.caseloads
            if as_of - dt.timedelta(days=CASELOAD_WITHIN) < day <= as_of
        ),
        default=None,
    )
    cases = 0
    case_holders_fte = ZERO
    case_holders = 0
    if counted_on is not None:
        held_by = facts.caseloads[counted_on]
        fte_that_day: dict[int, Decimal] = {}
        for job in facts.jobs_on(counted_on):
            if held_by.get(job.person_id, 0) > 0:
                fte_that_day[job.person_id] = fte_that_day.get(job.person_id, ZERO) + job.fte
        for person_id, fte in fte_that_day.items():
            cases += held_by[person_id]
            case_holders += 1
            case_holders_fte += fte

    # Sickness: the days lost in the period by people on the staff in the scope when the spell
    # (or the period) began; a spell running over the period's edges counts the share of its
    # calendar days inside it. Exact and quick: whole tenths of a day for the spells inside
    # the period, fractions for the few running over its edges.
    sums = facts.sickness_in(start, as_of, long_term_from)
    short_spells, short_tenths = sums.short_spells, sums.short_tenths
    long_spells, long_tenths = sums.long_spells, sums.long_tenths
    short_part = long_part = Fraction(0)
    for absence in sums.others:
        last = absence.last or as_of
        counted_from = max(absence.first, start)
        if not any(s.start <= counted_from <= s.end for s in facts.spells_of(absence.person_id)):
            continue
        inside = (min(last, as_of) - counted_from).days + 1
        whole = (last - absence.first).days + 1
        spell_days = whole  # its working days are no more than its calendar days
        if whole > long_term_from:
            spell_days = absence.working_days
            if spell_days is None:
                spell_days = working_days(absence.first, last)
        if spell_days > long_term_from:
            long_spells += 1
            if inside == whole:
                long_tenths += absence.tenths
            else:
                long_part += Fraction(absence.tenths * inside, whole)
        else:
            short_spells += 1
            if inside == whole:
                short_tenths += absence.tenths
            else:
                short_part += Fraction(absence.tenths * inside, whole)
    short_days = _days(short_tenths + short_part)
    long_days = _days(long_tenths + long_part)
    days_lost = short_days + long_days
    period_days = (as_of - start).days + 1
    working_days_in_period = Decimal(WORKING_DAYS_A_YEAR) * period_days / 365
    average_fte = (fte_before + inpost_fte) / 2

    found = {
        "as_of": as_of,
        "period_start": start,
        "inpost_fte": _one_place(inpost_fte),
        "inpost_headcount": inpost_headcount,
        "starters_fte": _one_place(starters_fte),
        "starters_headcount": len({s.person_id for s in starters}),
        "leavers_fte": _one_place(leavers_fte),
        "leavers_headcount": leavers_headcount,
        "turnover_rate_fte": _rate(leavers_fte, inpost_fte),
        "turnover_rate_headcount": _rate(leavers_headcount, inpost_headcount),
        "lg_turnover_rate_fte": _rate(leavers_fte, average_fte),
        "agency_fte": _one_place(agency_fte),
        "agency_headcount": agency_headcount,
        "agency_rate_fte": _rate(agency_fte, agency_fte + inpost_fte),
        "agency_rate_headcount": _rate(agency_headcount, agency_headcount + inpost_headcount),
        "vacancy_fte": _one_place(vacancy_fte),
        "vacancy_rate_fte": _rate(vacancy_fte, vacancy_fte + inpost_fte),
        "agency_cover_fte": _one_place(agency_cover_fte),
        "agency_cover_rate_fte": _rate(agency_cover_fte, agency_fte),
        "vacancy_agency_cover_rate_fte": _rate(agency_cover_fte, vacancy_fte),
        "caseload_counted_on": counted_on,
        "case_holders_headcount": case_holders,
        "case_holders_fte": _one_place(case_holders_fte),
        "cases": cases,
        "caseload_fte": (
            _one_place(Decimal(cases) / case_holders_fte) if case_holders_fte else None
        ),
        "working_days_lost_fte": _one_place(days_lost),
        "absence_rate_fte": _rate(days_lost, inpost_fte * working_days_in_period),
        "working_days_lost_per_fte": (_one_place(days_lost / average_fte) if average_fte else None),
        "short_term_spells": short_spells,
        "short_term_days_lost": _one_place(short_days),
        "long_term_spells": long_spells,
        "long_term_days_lost": _one_place(long_days),
    }
    if not people:
        return found

    two_years_ago = add_months(as_of, -24)
    people_in_post = {j.person_id for j in staff_on}
    under_two_years = sum(
        1 for p in people_in_post if facts.service_start.get(p, as_of) > two_years_ago
    )

    # Age, from the equality records' dates of birth (those without one are "not known").
    ages: dict[str, int] = {}
    near_pension = known_age = 0
    reaching_by = latest_birth_reaching_pension_by(pension_horizon(as_of))
    cutoffs = band_cutoffs(as_of)
    for person_id in people_in_post:
        born = facts.born.get(person_id)
        if born is None:
            band = "Not known"
        else:
            band = next((label for last, label in cutoffs if born <= last), cutoffs[-1][1])
        ages[band] = ages.get(band, 0) + 1
        if born is not None:
            known_age += 1
            near_pension += born <= reaching_by

    # Qualified: of those in post in a job that needs a professional registration, the share
    # holding a verified one from that body, valid on the day.
    needing = set()
    qualified = set()
    for job in staff_on:
        body = facts.body_of_role.get(job.job_role_id)
        if body is None:
            continue
        needing.add(job.person_id)
        held = facts.registrations.get(job.person_id, ())
        if any(b in ("", body) and issued <= as_of <= expires for b, issued, expires in held):
            qualified.add(job.person_id)

    reasons = leavers_by_reason(facts, leavers)

    return found | {
        "under_two_years_service_rate": _rate(under_two_years, inpost_headcount),
        "needing_registration_headcount": len(needing),
        "qualified_rate": _rate(len(qualified), len(needing)),
        "within_five_years_of_pension_rate": _rate(near_pension, known_age),
        "age_profile": {label: ages.get(label, 0) for *_, label in AGE_BANDS}
        | ({"Not known": ages["Not known"]} if "Not known" in ages else {}),
        "leavers_by_reason": reasons,
    }


def leavers_by_reason(facts: Facts, leavers: list[Spell]) -> dict[str, int]:
    """Why the leavers left, most first: the reason recorded when they left the council; one
    whose spell here ended without leaving the council moved within it."""
    labels = dict(Person.LeavingReason.choices)
    ends: dict[int, set[dt.date]] = defaultdict(set)
    for spell in leavers:
        ends[spell.person_id].add(spell.end)
    reasons: dict[str, int] = {}
    for person_id, days in ends.items():
        day_reason = facts.leaving.get(person_id)
        if day_reason is not None and day_reason[0] in days:
            reason = labels.get(day_reason[1], "Not recorded") if day_reason[1] else "Not recorded"
        else:
            reason = "Moved within the council"
        reasons[reason] = reasons.get(reason, 0) + 1
    return dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))


def financial_quarters(on: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The last `count` financial quarters (April to June is the first) ending on or before
    the day, oldest first: (first day, last day)."""
    month = ((on.month - 1) // 3) * 3 + 1  # the first month of the calendar quarter of `on`
    start = dt.date(on.year, month, 1)
    quarters = []
    while len(quarters) < count:
        end = add_months(start, 3) - dt.timedelta(days=1)
        if end <= on:
            quarters.append((start, end))
        start = add_months(start, -3)
    return quarters[::-1]


def leavers_by_quarter(
    facts: Facts, quarters: list[tuple[dt.date, dt.date]]
) -> list[tuple[tuple[dt.date, dt.date], dict[str, int]]]:
    """Each quarter's leavers by reason, for the quarterly report to the senior team."""
    return [
        (
            (first, last),
            leavers_by_reason(facts, [s for s in facts.spells if first <= s.end <= last]),
        )
        for first, last in quarters
    ]


DEFINITIONS: dict[str, str] = {
    "inpost_fte": "FTE of the staff (not agency) jobs in post on the day.",
    "inpost_headcount": "Staff (not agency) in post on the day, each person once.",
    "starters_fte": "FTE of those whose staff employment here began in the period.",
    "starters_headcount": "People whose staff employment here began in the period.",
    "leavers_fte": "FTE of those whose staff employment here ended in the period.",
    "leavers_headcount": "People whose staff employment here ended in the period.",
    "turnover_rate_fte": (
        "Leavers in the period over those in post on the day (FTE), as the Department for "
        "Education counts it: the year to 30 September over the stock on 30 September."
    ),
    "turnover_rate_headcount": "Leavers over those in post on the day, by headcount.",
    "lg_turnover_rate_fte": (
        "Local government form: leavers' FTE over the average FTE of the period's first and "
        "last days."
    ),
    "agency_fte": "FTE of agency workers on the day.",
    "agency_headcount": "Agency workers on the day.",
    "agency_rate_fte": "Agency FTE over agency plus staff FTE.",
    "agency_rate_headcount": "Agency workers over agency workers plus staff in post.",
    "vacancy_fte": "FTE of the posts open on the day not held by staff.",
    "vacancy_rate_fte": "Vacant FTE over vacant plus staff FTE in post.",
    "agency_cover_fte": "Agency FTE holding vacant posts (up to the vacant FTE).",
    "agency_cover_rate_fte": "Agency FTE covering a vacancy over all agency FTE.",
    "vacancy_agency_cover_rate_fte": "Agency FTE covering a vacancy over vacant FTE.",
    "caseload_counted_on": "The caseload count used: the latest within three months before.",
    "case_holders_headcount": "People holding at least one case on the count day.",
    "case_holders_fte": "FTE of those holding at least one case, agency workers included.",
    "cases": "Open cases held on the count day.",
    "caseload_fte": "Cases over the FTE of those holding at least one case.",
    "working_days_lost_fte": "FTE working days lost to sickness in the period.",
    "absence_rate_fte": (
        "Working days lost over FTE in post times 253 working days a year (for the period)."
    ),
    "working_days_lost_per_fte": (
        "Local government form: days lost over the average FTE of the period's first and last days."
    ),
    "short_term_spells": "Spells of sickness of up to 20 working days touching the period.",
    "short_term_days_lost": "Days lost in the period to short-term spells.",
    "long_term_spells": "Spells of sickness of more than 20 working days touching the period.",
    "long_term_days_lost": "Days lost in the period to long-term spells.",
    "under_two_years_service_rate": "Share of those in post with under two years' service.",
    "needing_registration_headcount": (
        "People in post in a job that needs a professional registration."
    ),
    "qualified_rate": (
        "Of those, the share holding a verified registration from that body, valid on the day."
    ),
    "within_five_years_of_pension_rate": (
        "Share of those in post (with a date of birth) within five years of state pension age."
    ),
    "age_profile": "People in post by age band on the day.",
    "leavers_by_reason": "Leavers in the period by the reason recorded when they left.",
}
