"""Reads behind the workforce dashboard and its API: the measures of a part of the council on
an as-of date, their trend over the years (each 30 September, as the national statistics take
them) and the national figures beside them. The callers clear the scope through the gates
(`gates.workforce_paths`) first; everything here is a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from peopleplan.org.models import Assignment, JobRole, PayRecord, Unit, subtree_q
from peopleplan.org.selectors import NOT_STAFF

from . import equality, national, paygap
from .metrics import DEFINITIONS, LONG_TERM_FROM, Facts, Scope, measures, period_of

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
    facts = Facts.read(scope, min(dates[0], as_of), as_of, people_from=as_of)
    facts.read_sickness([(period_of(on), on) for on in dates], LONG_TERM_FROM)
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


# --- equality ------------------------------------------------------------------------------


@dataclass
class EqualityReport:
    as_of: dt.date
    period_start: dt.date
    unit: Unit | None
    job_family: str | None
    comparison: equality.Comparison | None
    breakdowns: list[equality.Breakdown]


def equality_report(
    *, paths: list[str] | None, unit: Unit | None, job_family: str | None, as_of: dt.date
) -> EqualityReport:
    """The equality figures of a part of the council on the as-of date, suppressed, beside
    the comparison population. The caller clears the scope through
    `gates.workforce_equality_paths` first. Six queries."""
    facts = equality.EqualityFacts.read(scope_for(paths, unit, job_family), as_of)
    compared = equality.comparison()
    return EqualityReport(
        as_of,
        facts.period_start,
        unit,
        job_family,
        compared,
        equality.breakdowns(facts, compared),
    )


EQUALITY_HEADERS = ["dimension", "who", "group", "people", "suppressed", "share", "comparison"]


def equality_rows(report: EqualityReport) -> list[list]:
    """Every figure as a row for the downloads: a suppressed count is blank, with why; a share
    (of those whose answer is known, per cent) only where it can be shown; the comparison
    population's share beside the workforce's."""
    rows: list[list] = []
    for breakdown in report.breakdowns:
        for line in breakdown.lines:
            for (cell, share), group, (wanted, _) in zip(
                line.entries(), breakdown.groups, breakdown.compared(), strict=True
            ):
                rows.append(
                    [
                        breakdown.label,
                        line.label,
                        group,
                        cell.value,
                        cell.why,
                        share,
                        wanted if line.kind == "workforce" else None,
                    ]
                )
            total = line.row.total
            rows.append([breakdown.label, line.label, "Total", total.value, total.why, None, None])
    return rows


# --- the gender pay gap ------------------------------------------------------------------------


@dataclass
class PayGapReport:
    """The gender pay gap on a snapshot date, with what it could not count."""

    snapshot: dt.date | None  # None: no pay has been imported
    snapshots: list[dt.date]  # every snapshot held, latest first
    result: paygap.PayGap | None
    without_pay: int = 0  # employed on the day, with no pay held for it: not counted
    not_employed: int = 0  # pay held for people not employed on the day: not counted


def pay_snapshots() -> list[dt.date]:
    """The snapshot dates pay is held for, latest first."""
    return list(
        PayRecord.objects.order_by("-snapshot_on").values_list("snapshot_on", flat=True).distinct()
    )


def pay_gap(snapshot: dt.date | None = None) -> PayGapReport:
    """The six measures on a snapshot date held (the latest by default), over the council's
    relevant employees: people with a staff (not agency or external) job on the day, with
    their pay for it. Three queries, whatever the size of the council. The caller clears the
    user through `gates.require_workforce_pay_gap` first."""
    snapshots = pay_snapshots()
    if snapshot is None and snapshots:
        snapshot = snapshots[0]
    if snapshot is None or snapshot not in snapshots:
        return PayGapReport(None, snapshots, None)
    staff_on_day = Assignment.objects.current_on(snapshot).exclude(contract_type__in=NOT_STAFF)
    employees: list[paygap.Employee] = []
    not_employed = 0
    for hourly, bonus, full, sex, employed in (
        PayRecord.objects.filter(snapshot_on=snapshot)
        .annotate(employed=Exists(staff_on_day.filter(person_id=OuterRef("person_id"))))
        .order_by()
        .values_list("hourly_pay", "bonus_pay", "full_pay", "person__equality__sex", "employed")
        .iterator(chunk_size=5000)
    ):
        if employed:
            employees.append(paygap.Employee(sex or "", hourly, bonus, full))
        else:
            not_employed += 1
    without_pay = (
        staff_on_day.exclude(person__pay_records__snapshot_on=snapshot)
        .values("person_id")
        .distinct()
        .count()
    )
    return PayGapReport(snapshot, snapshots, paygap.pay_gap(employees), without_pay, not_employed)


def pay_gap_rows(report: PayGapReport) -> list[tuple[str, str, object]]:
    """The page's figures as (label, key, value) rows, for its downloads."""
    result = report.result
    if result is None:
        return []
    rows: list[tuple[str, str, object]] = [
        ("Snapshot date", "snapshot_on", report.snapshot),
        ("Relevant employees: men", "relevant_men", result.men),
        ("Relevant employees: women", "relevant_women", result.women),
        ("Full-pay relevant employees: men", "full_pay_men", result.full_pay_men),
        ("Full-pay relevant employees: women", "full_pay_women", result.full_pay_women),
        ("Left out: sex not recorded as male or female", "left_out", result.left_out),
        ("Left out: employed on the day with no pay for it", "without_pay", report.without_pay),
        (
            "Left out: pay held for people not employed on the day",
            "not_employed",
            report.not_employed,
        ),
    ]
    for key, label, comparison, unit in (
        ("mean_hourly", "Mean hourly pay", result.mean_hourly, "£"),
        ("median_hourly", "Median hourly pay", result.median_hourly, "£"),
        ("mean_bonus", "Mean bonus pay (of those who received one)", result.mean_bonus, "£"),
        ("median_bonus", "Median bonus pay (of those who received one)", result.median_bonus, "£"),
    ):
        rows += [
            (f"{label} of men ({unit})", f"{key}_men", comparison.men),
            (f"{label} of women ({unit})", f"{key}_women", comparison.women),
            (f"{label}: gender pay gap (%)", f"{key}_gap", comparison.gap),
        ]
    rows += [
        ("Men who received a bonus", "bonus_men", result.bonus_men),
        ("Women who received a bonus", "bonus_women", result.bonus_women),
        ("Men who received a bonus (%)", "bonus_men_percent", result.bonus_men_percent),
        ("Women who received a bonus (%)", "bonus_women_percent", result.bonus_women_percent),
    ]
    for band in result.quartiles:
        key = band.name.lower().replace(" ", "_") + "_quartile"
        rows += [
            (f"{band.name} quartile: men", f"{key}_men", band.men),
            (f"{band.name} quartile: women", f"{key}_women", band.women),
            (f"{band.name} quartile: men (%)", f"{key}_men_percent", band.men_percent),
            (f"{band.name} quartile: women (%)", f"{key}_women_percent", band.women_percent),
        ]
    return rows
