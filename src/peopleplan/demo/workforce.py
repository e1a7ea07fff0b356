"""The demo council's workforce data: sickness absences, social workers' caseloads, leavers'
exit interviews and starters' recruitment cohorts over the plan's years of history (five
unless asked for more or fewer), and pay on the last two 31 Marches, for the workforce
measures to count.

Drawn from the plan's history in memory (`workforce_plan`) and written as plain rows
(`workforce_write`), after the organisation, in the build's transaction. The same seed and
as-of date give the same rows: one `random.Random`, people and spells in the plan's order.

- Sickness absences, for employees while they hold a job with hours (agency workers' absences
  are their agency's, relief workers have none to lose). Each person has spells at their own
  rate (a few people have many, many have none in a year), higher in care and frontline
  families and lower for managers, calibrated to about 9 to 10 working days lost per FTE a year
  (the LG Inform average for councils). Most spells are short, some long-term, a few of months;
  one still running on the as-of date is ongoing (no last day). A person's spells never overlap
  and lie inside their employment (a spell running past the leaving date ends on it); the days
  lost are the Monday to Friday days of the spell times the job's FTE.
- Caseloads, for registered social workers in children's and adults' social work teams
  (agency ones included, not assistants, apprentices or managers), on the last day of each
  quarter: about 16 to 17 cases per FTE for children's social workers (the national figure),
  fewer for ASYEs and advanced practitioners, more where the team has vacancies, none in the
  first weeks in post or while on long-term sick leave.
- Exit interviews, for about 40% of the employees who left, held in their last month, with one
  to three coded reasons drawn from their leaving reason (and, for social workers, the pull of
  agency work and other councils), and a comment from some.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from peopleplan.demo.catalogue import APPRENTICE_GRADE, ETHNICITIES, KR_MINIMUM, KR_TOP, SWE
from peopleplan.demo.records import AGENCY, CouncilPlan, PostPlan, SpellPlan
from peopleplan.org.models import Absence, Caseload, PayRecord
from peopleplan.workforce.equality import ethnic_group
from peopleplan.workforce.models import (
    Cohort,
    CohortMember,
    ComparisonPopulation,
    ComparisonShare,
    ExitInterview,
    RecruitmentRoute,
)

Reason = ExitInterview.Reason

# --- sickness --------------------------------------------------------------------------------

# Spells a year in an office job, before each person's own rate; calibrated to about 9.5
# working days lost per FTE a year across the council.
SPELLS_A_YEAR = 1.0
# How many times more often people in a family go off sick (job family keys; 1 when not
# here): most in care and frontline work.
FAMILY_SICKNESS = {
    "CARE": 1.75,
    "RCC": 1.65,
    "ENV": 1.55,
    "CSW": 1.5,
    "ASW": 1.5,
    "TRD": 1.35,
    "EH": 1.3,
    "HWY": 1.3,
    "CUS": 1.3,
    "OT": 1.25,
    "HSG": 1.2,
    "BS": 1.1,
    "LIB": 1.1,
}
MANAGERS_SICKNESS = 0.75
# The short spells' working days and their weights: most are a day or two.
SHORT_DAYS = (1, 2, 3, 4, 5)
SHORT_WEIGHTS = (30, 22, 16, 12, 20)
SHORT, MEDIUM = 0.78, 0.15  # the shares of short (1-5 days) and medium (6-20) spells
LONG_MEAN = 40  # long-term spells: 21 working days and more, this many more on average
LONG_MOST = 250  # about a year

MUSCULOSKELETAL = "Musculoskeletal"
STRESS = "Stress, depression and anxiety"
INFECTIONS = "Infections"
GASTRO = "Gastrointestinal"
SURGERY = "Surgery"
CHEST = "Chest and respiratory"
OTHER = "Other"
SICKNESS_REASONS = (MUSCULOSKELETAL, STRESS, INFECTIONS, GASTRO, SURGERY, CHEST, OTHER)
# Weights of the reasons in the order above, for short, medium and long-term spells.
REASON_WEIGHTS = (
    (13, 8, 35, 22, 1, 10, 11),
    (25, 22, 12, 5, 10, 10, 16),
    (25, 38, 2, 1, 15, 5, 14),
)

# --- caseloads -------------------------------------------------------------------------------

CASE_FAMILIES = {"CSW": 18.8, "ASW": 19.0}  # cases for a full-time social worker, before factors
# By the rung's title (what comes before the comma).
RUNG_CASES = {
    "Social Worker (ASYE)": 0.65,
    "Advanced Practitioner": 0.75,
    "Senior Practitioner": 0.9,
}
# By the specialism (what comes after it).
SPECIALISM_CASES = {
    "Assessment": 1.15,
    "Child Protection": 1.1,
    "Care Leavers": 1.1,
    "Court": 0.95,
    "MASH": 0.9,
    "Fostering": 0.85,
    "Adoption": 0.8,
    "Hospital Discharge": 1.1,
    "Mental Health": 0.85,
}
VACANCY_PRESSURE = 0.5  # a team half vacant carries a quarter more cases each
SETTLING_DAYS = 42  # a new starter builds up to a full caseload over six weeks

# --- exit interviews -------------------------------------------------------------------------

# The chance that a leaver has an exit interview, by leaving reason (agency workers have none).
INTERVIEWED = {
    "resignation": 0.5,
    "retirement": 0.45,
    "end_of_contract": 0.2,
    "redundancy": 0.35,
    "transfer_out": 0.25,
    "dismissal": 0.05,
    "other": 0.3,
}
# The reasons given, weighted, by leaving reason; social work and hard-to-fill families add
# the pull of agency work and other councils (`PULLED`).
EXIT_REASONS = {
    "resignation": {
        Reason.PAY: 20,
        Reason.WORKLOAD: 14,
        Reason.PROGRESSION: 16,
        Reason.FLEXIBILITY: 10,
        Reason.MANAGEMENT: 10,
        Reason.WELLBEING: 8,
        Reason.CULTURE: 5,
        Reason.TRAVEL: 6,
        Reason.RELOCATION: 8,
        Reason.FAMILY: 8,
        Reason.OTHER_COUNCIL: 6,
        Reason.AGENCY: 1,
        Reason.OTHER: 4,
    },
    "retirement": {Reason.RETIREMENT: 1},
    "end_of_contract": {
        Reason.OTHER: 10,
        Reason.PROGRESSION: 8,
        Reason.OTHER_COUNCIL: 5,
        Reason.PAY: 4,
        Reason.RELOCATION: 2,
    },
    "redundancy": {Reason.OTHER: 10, Reason.CULTURE: 3, Reason.MANAGEMENT: 3},
    "transfer_out": {Reason.OTHER: 10, Reason.PROGRESSION: 2},
    "dismissal": {Reason.OTHER: 10, Reason.MANAGEMENT: 3, Reason.CULTURE: 2},
    "other": {Reason.OTHER: 6, Reason.FAMILY: 3, Reason.RELOCATION: 3, Reason.WELLBEING: 3},
}
# After retiring as their main reason, what else some retirers say.
RETIREMENT_TOO = {Reason.WORKLOAD: 3, Reason.WELLBEING: 2, Reason.FLEXIBILITY: 2, Reason.PAY: 1}
PULLED = {"CSW": 1.0, "ASW": 0.8, "RCC": 0.6, "OT": 0.5, "EP": 0.5, "CARE": 0.3}
PULL = {Reason.AGENCY: 16, Reason.OTHER_COUNCIL: 12, Reason.WORKLOAD: 14}
# --- recruitment cohorts -----------------------------------------------------------------------

# The routes a starter in a job family came in by, with their chances (the rest: an ordinary
# advert, no cohort). Social work draws on the national programmes; other families on the
# council's apprenticeships and graduate scheme.
ROUTES = {
    "CSW": (
        ("frontline", 0.12),
        ("step-up", 0.10),
        ("graduate-academy", 0.22),
        ("international", 0.08),
        ("apprenticeship", 0.05),
    ),
    "ASW": (("graduate-academy", 0.20), ("international", 0.06), ("apprenticeship", 0.08)),
    "OT": (("apprenticeship", 0.10),),
}
OTHER_ROUTES = (("apprenticeship", 0.03), ("graduate-academy", 0.02))
ROUTE_NAMES = {
    "frontline": "Frontline",
    "step-up": "Step Up",
    "graduate-academy": "Graduate academy",
    "international": "International",
    "apprenticeship": "Apprenticeships",
    "agency-to-permanent": "Agency to permanent",
}

HOW_MANY = ((1, 45), (2, 35), (3, 20))
COMMENTED = 0.35
COMMENTS = {
    Reason.PAY: (
        "The council next door pays more for the same job.",
        "Pay has not kept up with the cost of living.",
    ),
    Reason.WORKLOAD: (
        "Caseloads have been too high for too long.",
        "I could not do the job properly in my hours.",
    ),
    Reason.MANAGEMENT: ("Four managers in two years.", "Supervision kept being cancelled."),
    Reason.PROGRESSION: ("No route to a senior post here.", "Offered a promotion elsewhere."),
    Reason.FLEXIBILITY: (
        "I asked for compressed hours and was refused.",
        "I needed hours that fit round the school run.",
    ),
    Reason.WELLBEING: ("The stress was affecting my health.",),
    Reason.CULTURE: ("I did not feel valued.",),
    Reason.TRAVEL: ("The commute to the new office was too much.",),
    Reason.RELOCATION: ("Moving out of the area.",),
    Reason.FAMILY: ("Caring for a parent.",),
    Reason.RETIREMENT: ("Thank you to the team for the years.", "Time to enjoy retirement."),
    Reason.AGENCY: ("Agency work pays better and I choose my hours.",),
    Reason.OTHER_COUNCIL: ("Joining a neighbouring council with lower caseloads.",),
    Reason.OTHER: ("Personal reasons.", "Changing career."),
}


@dataclass
class WorkforcePlan:
    """Rows to write, by the plan's person index; days are date ordinals. An absence is
    (person, first day, last day or None, working days lost, reason, job family), a caseload
    (person, day, cases, job family, FTE, rung title), an exit interview (person, day, reasons,
    comments): the job's family, FTE and title are for `workforce_figures`, not written."""

    absences: list[tuple[int, int, int | None, Decimal, str, str]] = field(default_factory=list)
    caseloads: list[tuple[int, int, int, str, Decimal, str]] = field(default_factory=list)
    exits: list[tuple[int, int, list[str], str]] = field(default_factory=list)
    # (person, route code, cohort name, start day)
    cohorts: list[tuple[int, str, str, int]] = field(default_factory=list)
    # (person, snapshot day, hourly pay, bonus pay, full pay)
    pay: list[tuple[int, int, Decimal, Decimal, bool]] = field(default_factory=list)


# --- working days ----------------------------------------------------------------------------


def weekday(day: int) -> int:
    """Monday 0 to Sunday 6, of a date ordinal (day 1 was a Monday)."""
    return (day - 1) % 7


def working_days(first: int, last: int) -> int:
    """The Monday to Friday days from `first` to `last`, both counted."""
    if last < first:
        return 0
    weeks, extra = divmod(last - first + 1, 7)
    start = weekday(first)
    return weeks * 5 + sum(1 for i in range(extra) if (start + i) % 7 < 5)


def nth_working_day(first: int, n: int) -> int:
    """The `n`th working day of a spell that starts on a weekday `first` (n from 1)."""
    weeks, rest = divmod(n - 1, 5)
    day = first + weeks * 7 + rest
    return day + 2 if weekday(first) + rest >= 5 else day


def _runs(start: int, end: int | None, day: int) -> bool:
    """Whether something from `start` to `end` (open when None) runs on `day`."""
    return start <= day and (end is None or day <= end)


# --- the plan --------------------------------------------------------------------------------


def workforce_plan(plan: CouncilPlan) -> WorkforcePlan:
    return _Drawer(plan).run()


class _Drawer:
    def __init__(self, plan: CouncilPlan) -> None:
        self.plan = plan
        self.rng = random.Random(f"workforce-{plan.seed}")
        self.start = plan.history_start.toordinal()
        # The build's moment is the day before the as-of date: nothing is later.
        self.last = plan.as_of.toordinal() - 1
        self.jobs: dict[int, list[SpellPlan]] = defaultdict(list)  # primary spells by person
        for spell in plan.spells:
            if spell.primary:
                self.jobs[spell.person].append(spell)
        # Long-term sick leave by person, as (first, last) days: social workers off long-term
        # hold no cases.
        self.long_term: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.out = WorkforcePlan()

    def run(self) -> WorkforcePlan:
        self.sickness()
        self.caseloads()
        self.exit_interviews()
        self.cohorts()
        self.pay()
        return self.out

    def pay(self) -> None:
        """Pay on the last two 31 Marches, for the gender pay gap: each employee in a job that
        day, the hourly rate of their grade's pay (somewhere in its band, by their years in
        it) over a 37-hour week; a few on reduced pay (sick or family leave), a few with a
        one-off recognition payment (the bonus councils pay, if any)."""
        rng = random.Random(f"pay-{self.plan.seed}")
        as_of = self.plan.as_of
        latest = dt.date(
            as_of.year if as_of >= dt.date(as_of.year, 4, 1) else as_of.year - 1, 3, 31
        )
        for snapshot in (dt.date(latest.year - 1, 3, 31), latest):
            day = snapshot.toordinal()
            if day > self.last:
                continue
            for person_index, spells in sorted(self.jobs.items()):
                if self.plan.persons[person_index].agency:
                    continue
                spell = self.spell_on(spells, day)
                if spell is None or spell.contract == AGENCY:
                    continue
                grade = self.plan.posts[spell.post].grade
                low, high = _band(grade)
                years = min((day - spell.start) / 365.25, 5)
                annual = low + (high - low) * (years / 5) * rng.uniform(0.8, 1.0)
                hourly = Decimal(annual / (52.143 * 37)).quantize(Decimal("0.0001"))
                bonus = Decimal(0)
                if rng.random() < 0.02:
                    bonus = Decimal(rng.choice((250, 500, 750, 1000)))
                self.out.pay.append((person_index, day, hourly, bonus, rng.random() >= 0.03))

    def cohorts(self) -> None:
        """Starters in the history by a recruitment route, in intakes named by the year
        (from September: "Step Up 2024"); an employee whose first job here was an agency
        placement in the same post came in agency to permanent."""
        rng = random.Random(f"cohorts-{self.plan.seed}")
        first_spells: dict[int, SpellPlan] = {}
        agency_before: set[int] = set()
        for spell in self.plan.spells:
            if spell.contract == AGENCY:
                agency_before.add(spell.person)
            elif spell.primary and spell.person not in first_spells:
                first_spells[spell.person] = spell
        for person_index, spell in sorted(first_spells.items()):
            if spell.start <= self.start or self.plan.persons[person_index].agency:
                continue
            family = self.plan.posts[spell.post].family
            route = None
            if person_index in agency_before and rng.random() < 0.5:
                route = "agency-to-permanent"
            else:
                draw = rng.random()
                for code, chance in ROUTES.get(family, OTHER_ROUTES):
                    if draw < chance:
                        route = code
                        break
                    draw -= chance
            if route is None:
                continue
            day = dt.date.fromordinal(spell.start)
            intake = day.year if day.month >= 9 else day.year - 1
            self.out.cohorts.append(
                (person_index, route, f"{ROUTE_NAMES[route]} {intake}", spell.start)
            )

    # --- sickness ------------------------------------------------------------------------------

    def sickness(self) -> None:
        rng = self.rng
        for person, spells in self.jobs.items():
            if self.plan.persons[person].agency:
                continue
            # Their own rate: many are rarely off, a few often (a gamma with mean 1).
            own = rng.gammavariate(1.2, 1 / 1.2)
            employed = [s for s in spells if s.fte > 0]
            if not employed:
                continue  # a relief worker: no hours to lose
            first = max(self.start, employed[0].start)
            end = employed[-1].end
            until = self.last if end is None else min(end, self.last)
            day = first
            spell = self.spell_on(employed, day) or employed[0]
            while True:
                post = self.plan.posts[spell.post]
                rate = SPELLS_A_YEAR * own * FAMILY_SICKNESS.get(post.family, 1.0)
                if post.manages:
                    rate *= MANAGERS_SICKNESS
                day += 1 + int(rng.expovariate(rate) * 365.25)
                while weekday(day) >= 5:  # a spell starts on a working day
                    day += 1
                if day > until:
                    break
                found = self.spell_on(employed, day)
                if found is None:  # between jobs with hours: nothing to lose
                    continue
                spell = found
                day = self.absence(person, spell, day, end)

    @staticmethod
    def spell_on(spells: list[SpellPlan], day: int) -> SpellPlan | None:
        return next((s for s in spells if _runs(s.start, s.end, day)), None)

    def absence(self, person: int, spell: SpellPlan, first: int, end: int | None) -> int:
        """One spell of sickness from `first` (a working day in a job that ends on `end`, or
        goes on); the last day it counts."""
        rng = self.rng
        roll = rng.random()
        if roll < SHORT:
            kind, length = 0, rng.choices(SHORT_DAYS, SHORT_WEIGHTS)[0]
        elif roll < SHORT + MEDIUM:
            kind, length = 1, 6 + int(15 * rng.random() ** 1.6)
        else:
            kind, length = 2, min(LONG_MOST, 21 + int(rng.expovariate(1 / LONG_MEAN)))
        last: int | None = nth_working_day(first, length)
        if end is not None:
            last = min(last, end)  # a spell running past the leaving date ends on it
        counted_to = last
        if end is None and last > self.last:
            last, counted_to = None, self.last  # still off on the as-of date
        days = working_days(first, counted_to)
        lost = min(Decimal(days) * spell.fte, Decimal(counted_to - first + 1))
        reason = rng.choices(SICKNESS_REASONS, REASON_WEIGHTS[kind])[0]
        family = self.plan.posts[spell.post].family
        self.out.absences.append(
            (person, first, last, lost.quantize(Decimal("0.1")), reason, family)
        )
        if kind == 2:
            self.long_term[person].append((first, counted_to))
        return counted_to

    # --- caseloads -----------------------------------------------------------------------------

    def case_holding(self, post: PostPlan) -> bool:
        role = self.plan.roles[post.role]
        return (
            post.family in CASE_FAMILIES
            and not (post.manages or post.casual or post.apprentice)
            and role.registration_body == SWE
        )

    def count_days(self) -> list[int]:
        """The last day of each quarter in the history: 30 September is the national one."""
        days = []
        for year in range(self.plan.history_start.year, self.plan.as_of.year + 1):
            for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
                on = dt.date(year, month, day).toordinal()
                if self.start <= on <= self.last:
                    days.append(on)
        return days

    def caseloads(self) -> None:
        rng = self.rng
        plan = self.plan
        posts = {i for i, post in enumerate(plan.posts) if self.case_holding(post)}
        spells = [(i, s) for i, s in enumerate(plan.spells) if s.post in posts]
        # Each worker's own share of the work, the same on every count day.
        own = {i: max(0.5, rng.gauss(1, 0.15)) for i, _ in spells}
        team_posts: dict[int, list[int]] = defaultdict(list)
        for index in sorted(posts):
            team_posts[plan.posts[index].unit].append(index)
        for on in self.count_days():
            held = {s.post for _, s in spells if _runs(s.start, s.end, on)}
            pressure = {}
            for unit, indexes in team_posts.items():
                open_posts = [
                    i for i in indexes if _runs(plan.posts[i].start, plan.posts[i].end, on)
                ]
                vacant = sum(1 for i in open_posts if i not in held)
                pressure[unit] = 1 + VACANCY_PRESSURE * vacant / max(1, len(open_posts))
            for index, spell in spells:
                if not _runs(spell.start, spell.end, on):
                    continue
                post = plan.posts[spell.post]
                title, _, specialism = plan.roles[post.role].title.partition(", ")
                expected = (
                    CASE_FAMILIES[post.family]
                    * RUNG_CASES.get(title, 1.0)
                    * SPECIALISM_CASES.get(specialism, 1.0)
                    * own[index]
                    * float(spell.fte)
                    * pressure[post.unit]
                )
                days_in = on - spell.start
                if spell.contract != AGENCY and days_in < SETTLING_DAYS:
                    expected *= days_in / SETTLING_DAYS
                cases = max(0, round(rng.gauss(expected, expected * 0.15)))
                if any(a <= on <= b for a, b in self.long_term.get(spell.person, ())):
                    cases = 0  # reallocated while they are off
                self.out.caseloads.append((spell.person, on, cases, post.family, spell.fte, title))

    # --- exit interviews -----------------------------------------------------------------------

    def exit_interviews(self) -> None:
        rng = self.rng
        for person_index, person in enumerate(self.plan.persons):
            if person.leaving is None or person.agency:
                continue
            if rng.random() >= INTERVIEWED.get(person.reason, 0.0):
                continue
            spells = self.jobs[person_index]
            started = spells[0].start
            # A working day in their last month (in a job, and not after the build).
            earliest, latest = max(started, person.leaving - 30), min(person.leaving, self.last)
            days = [d for d in range(earliest, latest + 1) if weekday(d) < 5]
            if not days:
                continue
            family = self.plan.posts[spells[-1].post].family
            reasons = self.reasons(person.reason, family)
            comments = ""
            if rng.random() < COMMENTED:
                comments = rng.choice(COMMENTS[Reason(reasons[0])])
            self.out.exits.append((person_index, rng.choice(days), reasons, comments))

    def reasons(self, leaving_reason: str, family: str) -> list[str]:
        rng = self.rng
        weights = dict(EXIT_REASONS.get(leaving_reason, EXIT_REASONS["other"]))
        wanted = rng.choices(*zip(*HOW_MANY, strict=True))[0]
        if leaving_reason == "retirement":
            chosen = [Reason.RETIREMENT]
            weights = dict(RETIREMENT_TOO)
            wanted = 1 if rng.random() < 0.7 else 2
        else:
            chosen = []
            if leaving_reason == "resignation":
                pull = PULLED.get(family, 0.0)
                for reason, weight in PULL.items():
                    weights[reason] = weights.get(reason, 0) + weight * pull
        while len(chosen) < wanted and weights:
            reason = rng.choices(list(weights), list(weights.values()))[0]
            chosen.append(reason)
            del weights[reason]
        return [str(r) for r in chosen]


def _band(rank: int) -> tuple[float, float]:
    """The lowest and highest pay a year of a grade (the apprentice rate: three quarters of
    KR1's)."""
    if rank <= APPRENTICE_GRADE:
        return KR_MINIMUM[0] * 0.75, KR_MINIMUM[0] * 0.75
    low = KR_MINIMUM[rank - 1]
    high = KR_MINIMUM[rank] if rank < len(KR_MINIMUM) else KR_TOP
    return low, high


# --- writing ---------------------------------------------------------------------------------


def workforce_write(
    drawn: WorkforcePlan, *, person_ids: list[int], insert: Callable, create: Callable
) -> dict[str, int]:
    """Write the workforce data: `insert(model, fields, rows)` inserts plain rows (absences and
    caseloads), `create(model, objects)` model instances (exit interviews: a JSON field)."""
    dates: dict[int, dt.date] = {}

    def day(ordinal: int | None) -> dt.date | None:
        if ordinal is None:
            return None
        if ordinal not in dates:
            dates[ordinal] = dt.date.fromordinal(ordinal)
        return dates[ordinal]

    absences = insert(
        Absence,
        ("person_id", "first_day", "last_day", "working_days_lost", "reason"),
        (
            (person_ids[p], day(first), day(last), lost, reason)
            for p, first, last, lost, reason, _ in drawn.absences
        ),
    )
    caseloads = insert(
        Caseload,
        ("person_id", "on", "cases"),
        ((person_ids[p], day(on), cases) for p, on, cases, *_ in drawn.caseloads),
    )
    exits = create(
        ExitInterview,
        (
            ExitInterview(
                person_id=person_ids[p], held_on=day(on), reasons=reasons, comments=comments
            )
            for p, on, reasons, comments in drawn.exits
        ),
    )
    routes = {
        code: RecruitmentRoute.objects.get_or_create(
            code=code, defaults={"name": ROUTE_NAMES[code]}
        )[0].pk
        for code in {route for _, route, _, _ in drawn.cohorts}
    }
    cohort_ids: dict[tuple[str, str], int] = {}
    for _, route, name, _ in drawn.cohorts:
        if (route, name) not in cohort_ids:
            cohort_ids[(route, name)] = Cohort.objects.create(route_id=routes[route], name=name).pk
    members = insert(
        CohortMember,
        ("cohort_id", "person_id", "started_on"),
        (
            (cohort_ids[(route, name)], person_ids[p], day(start))
            for p, route, name, start in drawn.cohorts
        ),
    )
    pay = insert(
        PayRecord,
        ("person_id", "snapshot_on", "hourly_pay", "bonus_pay", "full_pay"),
        ((person_ids[p], day(on), hourly, bonus, full) for p, on, hourly, bonus, full in drawn.pay),
    )
    comparison = comparison_write()
    return {
        "comparison shares": comparison,
        "pay records": pay,
        "sickness absences": absences,
        "caseloads": caseloads,
        "exit interviews": len(exits),
        "cohort members": members,
    }


def comparison_write() -> int:
    """The demo city's comparison population for the equality figures: made-up figures in the
    shape of the 2021 Census for residents aged 16 to 64, the ethnic groups in the proportions
    the demo draws its people from (so the workforce is near them, as a council's would be)."""
    population = ComparisonPopulation.objects.create(
        name="Demo city residents aged 16 to 64 (made-up figures in the shape of Census 2021)",
        source="Demo data, not real census figures",
        updated_at=timezone.now(),
    )
    weights: dict[str, float] = defaultdict(float)
    for answer, weight, _ in ETHNICITIES:
        weights[ethnic_group(answer)] += weight
    total = sum(weights.values())
    ethnic = {group: round(Decimal(w * 100 / total), 1) for group, w in weights.items()}
    # The largest group takes the rounding, so that the shares add up to exactly 100.
    largest = max(ethnic, key=ethnic.get)
    ethnic[largest] += Decimal(100) - sum(ethnic.values())
    shares = {
        "sex": {"Female": Decimal("50.6"), "Male": Decimal("49.4")},
        "ethnicity": ethnic,
        "disability": {"Disabled": Decimal("15.9"), "Not disabled": Decimal("84.1")},
        "age": {
            "Under 25": Decimal("17.2"),
            "25 to 34": Decimal("21.6"),
            "35 to 44": Decimal("20.4"),
            "45 to 54": Decimal("20.9"),
            "55 to 64": Decimal("19.9"),
            "65 and over": Decimal("0.0"),
        },
    }
    rows = [
        ComparisonShare(population=population, dimension=dimension, group=group, percent=percent)
        for dimension, groups in shares.items()
        for group, percent in groups.items()
    ]
    ComparisonShare.objects.bulk_create(rows)
    return len(rows)


# --- figures ---------------------------------------------------------------------------------

SOCIAL_CARE = ("CARE", "RCC", "CSW", "ASW")


def workforce_figures(plan: CouncilPlan, drawn: WorkforcePlan) -> dict:
    """What the workforce data adds up to, as the command prints it and the docs quote it:
    working days lost per FTE a year over the history (employees' FTE, as LG Inform counts
    it), the same for social care, the long-term share, the caseload per FTE of children's
    social workers on the latest 30 September, and the share of leavers interviewed."""
    start, last = plan.history_start.toordinal(), plan.as_of.toordinal() - 1
    fte_years: dict[str, float] = defaultdict(float)
    for spell in plan.spells:
        if spell.primary and spell.contract != AGENCY:
            first, end = (
                max(spell.start, start),
                min(last if spell.end is None else spell.end, last),
            )
            if end >= first:
                years = float(spell.fte) * (end - first + 1) / 365.25
                fte_years[plan.posts[spell.post].family] += years
    lost: dict[str, float] = defaultdict(float)
    long_term = short = 0
    long_days = 0.0
    for _, first, end, days, _, family in drawn.absences:
        lost[family] += float(days)
        length = working_days(first, last if end is None else end)
        short += length <= 5
        if length > 20:
            long_term += 1
            long_days += float(days)

    def per_fte(families) -> float:
        fte = sum(fte_years[f] for f in families)
        return round(sum(lost[f] for f in families) / fte, 1) if fte else 0.0

    september = dt.date(plan.as_of.year - (plan.as_of.month < 10), 9, 30).toordinal()
    counted = [c for c in drawn.caseloads if c[1] == september and c[3] == "CSW"]
    cases = sum(c[2] for c in counted)
    fte = float(sum(c[4] for c in counted))
    asye = [c for c in counted if c[5] == "Social Worker (ASYE)"]
    leavers = sum(1 for p in plan.persons if p.leaving is not None and not p.agency)
    total = sum(lost.values())
    return {
        "sickness_absences": len(drawn.absences),
        "days_lost_per_fte": per_fte(fte_years),
        "days_lost_per_fte_social_care": per_fte(SOCIAL_CARE),
        "short_spells_percent": round(100 * short / max(1, len(drawn.absences))),
        "long_term_spells": long_term,
        "long_term_days_percent": round(100 * long_days / total) if total else 0,
        "ongoing": sum(1 for a in drawn.absences if a[2] is None),
        "caseloads": len(drawn.caseloads),
        "count_day": dt.date.fromordinal(september),
        "childrens_social_workers": len(counted),
        "childrens_cases_per_fte": round(cases / fte, 1) if fte else 0.0,
        "asye_cases_per_fte": (
            round(sum(c[2] for c in asye) / float(sum(c[4] for c in asye)), 1) if asye else 0.0
        ),
        "holding_none": sum(1 for c in counted if c[2] == 0),
        "exit_interviews": len(drawn.exits),
        "leavers_interviewed_percent": round(100 * len(drawn.exits) / leavers) if leavers else 0,
    }
