"""Reads behind the workforce dashboard and its API: the measures of a part of the council on
an as-of date, their trend over the years (each 30 September, as the national statistics take
them) and the national figures beside them. The callers clear the scope through the gates
(`gates.workforce_paths`) first; everything here is a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from peopleplan.org.models import JobRole, Unit, subtree_q

from . import national
from .metrics import DEFINITIONS, Facts, Scope, measures

# The measures the dashboard shows, in order: (key, label, how it reads).
HEADLINES = (
    ("inpost_fte", "FTE in post", "fte"),
    ("inpost_headcount", "People in post", "number"),
    ("starters_headcount", "Starters in the year", "number"),
    ("leavers_headcount", "Leavers in the year", "number"),
    ("turnover_rate_fte", "Turnover rate (FTE)", "percent"),
    ("turnover_rate_headcount", "Turnover rate (headcount)", "percent"),
    ("lg_turnover_rate_fte", "Turnover rate, local government form (FTE)", "percent"),
    ("agency_fte", "Agency FTE", "fte"),
    ("agency_rate_fte", "Agency rate (FTE)", "percent"),
    ("vacancy_fte", "Vacant FTE", "fte"),
    ("vacancy_rate_fte", "Vacancy rate (FTE)", "percent"),
    ("agency_cover_rate_fte", "Agency workers covering a vacancy", "percent"),
    ("vacancy_agency_cover_rate_fte", "Vacancies covered by agency", "percent"),
    ("caseload_fte", "Average caseload (cases per FTE)", "number"),
    ("working_days_lost_per_fte", "Sickness days lost per FTE", "number"),
    ("absence_rate_fte", "Sickness absence rate", "percent"),
    ("short_term_spells", "Short-term sickness spells", "number"),
    ("long_term_spells", "Long-term sickness spells", "number"),
    ("under_two_years_service_rate", "Under two years' service", "percent"),
    ("qualified_rate", "Holding the registration their job needs", "percent"),
    ("within_five_years_of_pension_rate", "Within five years of state pension age", "percent"),
)
LABELS = {key: label for key, label, _ in HEADLINES}
# The measures drawn over the years, each beside its national figure.
TRENDED = (
    "turnover_rate_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
)
TREND_YEARS = 10


@dataclass
class Figure:
    key: str
    label: str
    reads: str  # fte, number or percent
    value: object
    national: Decimal | None
    definition: str

    @property
    def shown(self) -> str:
        return _shown(self.value, self.reads)

    @property
    def national_shown(self) -> str:
        return _shown(self.national, self.reads)


def _shown(value, reads: str) -> str:
    if value is None:
        return ""
    if reads == "percent":
        return f"{value}%"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,}"


@dataclass
class TrendLine:
    key: str
    label: str
    reads: str
    points: list[tuple[dt.date, object, Decimal | None]] = field(default_factory=list)


@dataclass
class Dashboard:
    as_of: dt.date
    unit: Unit | None
    job_family: str | None
    figures: list[Figure]
    trend: list[TrendLine]
    trend_dates: list[dt.date]
    national_applies: bool
    age_profile: dict[str, int] = field(default_factory=dict)
    leavers_by_reason: dict[str, int] = field(default_factory=dict)
    release: str = national.RELEASE


def last_30_september(on: dt.date) -> dt.date:
    """The latest 30 September on or before the day: the statistics' census day."""
    this_year = dt.date(on.year, 9, 30)
    return this_year if this_year <= on else dt.date(on.year - 1, 9, 30)


def scope_for(paths: list[str] | None, unit: Unit | None, job_family: str | None) -> Scope:
    if unit is not None:
        return Scope(unit_paths=(unit.path,), job_family=job_family)
    return Scope(unit_paths=None if paths is None else tuple(paths), job_family=job_family)


def dashboard(
    *,
    paths: list[str] | None,
    unit: Unit | None,
    job_family: str | None,
    as_of: dt.date,
    years: int = TREND_YEARS,
) -> Dashboard:
    """The measures on the as-of date and, for the trend, on each of the last `years` 30
    Septembers up to it; the national figures beside them when they describe the job family
    (or when no family is chosen, as a reference)."""
    scope = scope_for(paths, unit, job_family)
    latest = last_30_september(as_of)
    dates = [dt.date(latest.year - n, 9, 30) for n in range(years - 1, -1, -1)]
    facts = Facts.read(scope, min(dates[0], as_of), as_of)
    now = measures(facts, as_of)
    past = {on: measures(facts, on, people=False) for on in dates}
    figures_by_year = national.national_figures()
    applies = job_family is None or national.applies_to(job_family)
    this_year = figures_by_year.get(latest.year, {}) if applies else {}
    figures = [
        Figure(key, label, reads, now[key], this_year.get(key), DEFINITIONS.get(key, ""))
        for key, label, reads in HEADLINES
    ]
    trend = []
    for key in TRENDED:
        reads = next(r for k, _, r in HEADLINES if k == key)
        line = TrendLine(key, LABELS[key], reads)
        for on in dates:
            nat = figures_by_year.get(on.year, {}).get(key) if applies else None
            line.points.append((on, past[on][key], nat))
        trend.append(line)
    return Dashboard(
        as_of,
        unit,
        job_family,
        figures,
        trend,
        dates,
        applies,
        age_profile=now["age_profile"],
        leavers_by_reason=now["leavers_by_reason"],
    )


def unit_choices(paths: list[str] | None) -> list[Unit]:
    """The units a user may look at: the tops of their scope and two levels below."""
    units = Unit.objects.all() if paths is None else Unit.objects.filter(subtree_q("path", paths))
    units = list(units.filter(is_active=True).order_by("path"))
    if not units:
        return []
    top = min(u.depth for u in units)
    return [u for u in units if u.depth <= top + 2]


def job_families() -> list[str]:
    return sorted(
        {f for f in JobRole.objects.values_list("job_family", flat=True) if f}, key=str.lower
    )


def unit_in_scope(paths: list[str] | None, code: str) -> Unit | None:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return None
    if paths is not None and not any(unit.path.startswith(p) for p in paths):
        return None
    return unit
