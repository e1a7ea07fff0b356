"""Equality figures: the workforce in post, the year's starters and leavers, and each grade
band, by sex, ethnic group, disability and age band, beside the comparison population the
council enters (its census figures), with every count under 5 suppressed.

The groups (`GROUPS`) are the census's: the 2021 Census's five high-level ethnic groups,
disabled or not under the Equality Act, the working-age bands of the age profile. HR records
hold the answers as people gave them, so each is put in its group by `group_of` (pure, with
tests): an answer left blank, declined or not recognised is "Not known".

Who is counted, in a scope (units and a job family, as the capacity measures):
- *the workforce*: the staff (not agency) in post on the as-of date, each person once, in
  the grade band of their highest graded job that day ("No grade" if none has one); their age
  is on the as-of date;
- *starters* and *leavers*: people whose staff employment in the scope began or ended in the
  year to the as-of date (`metrics.join_spells`), each person once; their age is on the day
  they started or left.

Suppression (`core.suppression`): the grade bands add up to the workforce, so they are
suppressed as one table (across and down); starters and leavers each as a row. A group's share
is of those whose answer is known, for comparing with the census, which has no "Not known";
it is shown only where its count, the row's total and the row's "Not known" are (from those
the share would give the hidden count away). "Not known" itself is a share of everyone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from peopleplan.core.dates import add_months
from peopleplan.core.memory import collector_paused
from peopleplan.core.suppression import Cell, Row, suppress_row, suppress_table
from peopleplan.org.models import Assignment, EqualityRecord, Grade
from peopleplan.org.selectors import NOT_STAFF

from .ages import BANDS as AGE_BANDS
from .ages import age_band, age_on
from .metrics import END, Job, Scope, join_spells
from .models import ComparisonPopulation, ComparisonShare

NOT_KNOWN = "Not known"
NO_GRADE = "No grade"
Dimension = ComparisonShare.Dimension

# Each dimension's groups, in the census's order ("Not known" comes after them in a table).
GROUPS: dict[str, tuple[str, ...]] = {
    Dimension.SEX: ("Female", "Male"),
    Dimension.ETHNICITY: ("Asian", "Black", "Mixed", "White", "Other"),
    Dimension.DISABILITY: ("Disabled", "Not disabled"),
    Dimension.AGE: tuple(label for *_, label in AGE_BANDS),
}
# What each group takes in, as the census names it.
GROUP_HINTS: dict[str, str] = {
    "Asian": "Asian, Asian British or Asian Welsh",
    "Black": "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed": "Mixed or Multiple ethnic groups",
    "White": "White (British, Irish, Gypsy or Irish Traveller, Roma, other White)",
    "Other": "Other ethnic group (Arab, any other)",
    "Disabled": "Disabled under the Equality Act 2010",
}

# --- an answer's group ---------------------------------------------------------------------

_DECLINED = {"prefer not to say", "not stated", "not known", "unknown", "declined", "refused"}
_ETHNIC_WORDS = {
    "White": {"white", "irish", "gypsy", "traveller", "roma"},
    "Asian": {"asian", "indian", "pakistani", "bangladeshi", "chinese"},
    "Black": {"black", "caribbean", "african"},
}
_MIXED_WORDS = {"mixed", "multiple", "dual", "heritage"}
_OTHER_WORDS = {"arab", "other", "any"}
_YES = {"yes", "y", "disabled", "true"}
_NO = {"no", "n", "not disabled", "false", "none"}


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", (text or "").lower()))


def ethnic_group(answer: str) -> str:
    """The census high-level group of an ethnicity as recorded ("White: Irish", "Pakistani",
    "Mixed: White and Asian"): a mixed answer, or one naming two groups, is Mixed; one naming a
    group is that group; Arab or any other is Other; anything else is Not known."""
    plain = _plain(answer)
    if not plain or plain in _DECLINED:
        return NOT_KNOWN
    words = set(plain.split())
    if words & _MIXED_WORDS:
        return "Mixed"
    named = [group for group, found in _ETHNIC_WORDS.items() if words & found]
    if len(named) > 1:
        return "Mixed"
    if named:
        return named[0]
    if words & _OTHER_WORDS:
        return "Other"
    return NOT_KNOWN


def disability_group(answer: str) -> str:
    plain = _plain(answer)
    if plain in _YES:
        return "Disabled"
    if plain in _NO:
        return "Not disabled"
    return NOT_KNOWN


def sex_group(answer: str) -> str:
    return {
        EqualityRecord.Sex.FEMALE: "Female",
        EqualityRecord.Sex.MALE: "Male",
    }.get(answer, NOT_KNOWN)


@dataclass(frozen=True)
class Answers:
    """A person's equality answers, put in their groups (age needs a day)."""

    sex: str = NOT_KNOWN
    ethnicity: str = NOT_KNOWN
    disability: str = NOT_KNOWN
    born: dt.date | None = None

    def group(self, dimension: str, on: dt.date) -> str:
        if dimension == Dimension.AGE:
            return NOT_KNOWN if self.born is None else age_band(age_on(self.born, on))
        return getattr(self, dimension)


NOBODY = Answers()

# --- the facts -----------------------------------------------------------------------------


@dataclass
class EqualityFacts:
    """Who was in post on the day (person -> grade band), who started and left in the year to
    it (person -> the day), and their answers: four queries."""

    as_of: dt.date
    period_start: dt.date
    in_post: dict[int, str] = field(default_factory=dict)
    bands: list[str] = field(default_factory=list)  # the grade bands held, lowest first
    starters: dict[int, dt.date] = field(default_factory=dict)
    leavers: dict[int, dt.date] = field(default_factory=dict)
    answers: dict[int, Answers] = field(default_factory=dict)

    @classmethod
    @collector_paused()
    def read(cls, scope: Scope, as_of: dt.date) -> EqualityFacts:
        start = add_months(as_of, -12) + dt.timedelta(days=1)
        facts = cls(as_of, start)
        # The staff jobs overlapping the year (and the day either side, so that a spell is
        # never cut at the year's edges: one ending the day before it joins a job starting on
        # its first day; one starting the day after it continues a job ending on its last).
        rows = (
            Assignment.objects.filter(scope.assignments_q())
            .exclude(contract_type__in=NOT_STAFF)
            .filter(
                Q(start_date__lte=as_of + dt.timedelta(days=1)),
                Q(end_date__isnull=True) | Q(end_date__gte=start - dt.timedelta(days=1)),
            )
            .order_by()
            .values_list("person_id", "start_date", "end_date", "fte", "grade_id")
        )
        jobs: list[Job] = []
        grade_on_day: dict[int, list[int | None]] = {}
        for person_id, first, last, fte, grade_id in rows:
            last = last or END
            jobs.append(Job(person_id, first, last, fte, False, None, 0))
            if first <= as_of <= last:
                grade_on_day.setdefault(person_id, []).append(grade_id)
        for spell in join_spells(jobs):
            if start <= spell.start <= as_of:
                facts.starters.setdefault(spell.person_id, spell.start)
            if start <= spell.end <= as_of:
                facts.leavers[spell.person_id] = spell.end  # the last, if two
        grades = {
            pk: (rank, name) for pk, rank, name in Grade.objects.values_list("pk", "rank", "name")
        }
        ranked = sorted(grades.values())
        for person_id, held in grade_on_day.items():
            known = [grades[g] for g in held if g is not None]
            facts.in_post[person_id] = max(known)[1] if known else NO_GRADE
        present = set(facts.in_post.values())
        facts.bands = [name for _, name in ranked if name in present]
        facts.bands += [NO_GRADE] if NO_GRADE in present else []
        records = EqualityRecord.objects.order_by()
        if scope.unit_paths is not None or scope.job_family is not None:
            staff = (
                Assignment.objects.filter(scope.assignments_q())
                .exclude(contract_type__in=NOT_STAFF)
                .values("person_id")
            )
            records = records.filter(person_id__in=staff)
        wanted = facts.in_post.keys() | facts.starters.keys() | facts.leavers.keys()
        for person_id, sex, ethnicity, disability, born in records.values_list(
            "person_id", "sex", "ethnicity", "disability", "date_of_birth"
        ):
            if person_id in wanted:
                facts.answers[person_id] = Answers(
                    sex_group(sex), ethnic_group(ethnicity), disability_group(disability), born
                )
        return facts


# --- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: whose (the workforce, starters, leavers, a grade band), their
    counts by group ("Not known" last) suppressed, and each group's share."""

    label: str
    kind: str  # "workforce", "starters", "leavers" or "band"
    row: Row

    def entries(self) -> list[tuple[Cell, float | None]]:
        """Each group's count and share, "Not known" last."""
        return [(cell, self.share(i)) for i, cell in enumerate(self.row.cells)]

    def share(self, index: int) -> float | None:
        """A group's share of those whose answer is known ("Not known": of everyone), in per
        cent to one place; None where it could give a hidden count away."""
        cells, total = self.row.cells, self.row.total
        not_known = cells[-1]
        if cells[index].suppressed or total.suppressed or not_known.suppressed:
            return None
        whole = total.count if index == len(cells) - 1 else total.count - not_known.count
        if not whole:
            return None
        return float(
            (Decimal(100 * cells[index].count) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
        )


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    groups: tuple[str, ...]  # with "Not known" last
    lines: list[Line]  # the workforce, starters, leavers, then each grade band
    comparison: dict[str, Decimal]  # group -> per cent (empty: none entered)

    def compared(self) -> list[tuple[Decimal | None, float | None]]:
        """Each group's share of the comparison population and the workforce's difference from
        it ("Not known" last, with neither)."""
        return [(self.comparison.get(g), self.difference(i)) for i, g in enumerate(self.groups)]

    def difference(self, index: int) -> float | None:
        """The workforce's share of a group less the comparison population's, in percentage
        points."""
        share = self.lines[0].share(index)
        wanted = self.comparison.get(self.groups[index])
        return None if share is None or wanted is None else round(share - float(wanted), 1)


@dataclass(frozen=True)
class Comparison:
    name: str
    source: str
    shares: dict[str, dict[str, Decimal]]  # dimension -> group -> per cent


def comparison() -> Comparison | None:
    """The comparison population the council holds, if any (two queries)."""
    population = ComparisonPopulation.objects.order_by("pk").first()
    if population is None:
        return None
    shares: dict[str, dict[str, Decimal]] = {}
    for dimension, group, percent in population.shares.values_list("dimension", "group", "percent"):
        shares.setdefault(dimension, {})[group] = percent
    return Comparison(population.name, population.source, shares)


def _counts(people: Iterable[tuple[int, dt.date]], facts, dimension, groups) -> list[int]:
    counts = dict.fromkeys(groups, 0)
    for person_id, on in people:
        counts[facts.answers.get(person_id, NOBODY).group(dimension, on)] += 1
    return list(counts.values())


def breakdowns(facts: EqualityFacts, compared: Comparison | None = None) -> list[Breakdown]:
    """Each dimension's breakdown, suppressed."""
    in_band: dict[str, list[int]] = {band: [] for band in facts.bands}
    for person_id, band in facts.in_post.items():
        in_band[band].append(person_id)
    found = []
    for dimension, label in Dimension.choices:
        groups = (*GROUPS[dimension], NOT_KNOWN)
        on = facts.as_of
        by_band = [
            _counts(((p, on) for p in in_band[band]), facts, dimension, groups)
            for band in facts.bands
        ]
        table = suppress_table(by_band) if by_band else suppress_table([[0] * len(groups)])
        lines = [Line("Workforce", "workforce", table.total)]
        for kind, people in (("starters", facts.starters), ("leavers", facts.leavers)):
            counts = _counts(people.items(), facts, dimension, groups)
            lines.append(Line(kind.capitalize(), kind, suppress_row(counts)))
        if by_band:
            lines += [
                Line(band, "band", row) for band, row in zip(facts.bands, table.rows, strict=True)
            ]
        shares = compared.shares.get(dimension, {}) if compared is not None else {}
        found.append(Breakdown(dimension, label, groups, lines, shares))
    return found
