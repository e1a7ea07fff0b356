"""The workforce dashboard (`/workforce/`) and its downloads (`?format=csv` or `xlsx`): the
capacity measures of a part of the council on an as-of date, each with its definition and the
national figure beside it, and their trend over the years with the national line. Thin: the
gate, the selectors, the exports of `core`.

The retention page (`/workforce/retention/`): each recruitment route's and cohort's retention,
the curve, and leavers by reason in each of the last eight financial quarters.

Who: `workforce.insight` (HR officers and senior leaders, in the units of their grants). A unit
outside the scope, or a job family no job role has, is 404; anyone else is refused (403).

The equality figures (`/workforce/equality/`, with the same choices and downloads) are for HR
equality viewers, in the units of their grants (`gates.workforce_equality_paths`); only counts
suppressed by `core.suppression` leave the server. A council-wide one sets the comparison
population (`/workforce/equality/comparison/`).

The gender pay gap (`/workforce/pay-gap/`, `?snapshot=YYYY-03-31` among the snapshots held,
and its downloads) is the employer's: council-wide `workforce.insight` grants only
(`gates.require_workforce_pay_gap`); a snapshot not held is 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render

from peopleplan.access import gates
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.core.exports import table_response
from peopleplan.org.models import Unit

from . import equality, metrics, retention, selectors, services
from .forms import ComparisonForm

ON_ERROR = "Enter the as-of date as a real date in the form YYYY-MM-DD, like 2025-09-30"


class BadDate(ValueError):
    """The as-of date asked for is not a date."""


def as_of(request) -> dt.date:
    """The as-of date asked for (`?on=YYYY-MM-DD`), by default the latest 30 September;
    BadDate for one that is not a date."""
    text = request.GET.get("on", "").strip()
    if not text:
        return selectors.last_30_september(today())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(ON_ERROR) from None


def page_as_of(request) -> tuple[dt.date, str]:
    """For a page: the as-of date asked for, or, when it is not a date, the default with the
    error the page shows beside the field (its downloads are refused, 400)."""
    try:
        return as_of(request), ""
    except BadDate as error:
        return selectors.last_30_september(today()), str(error)


def chosen(request, paths: list[str] | None):
    """(unit, job family) asked for, in the scope the gate gave (`paths`): 404 outside it."""
    unit = None
    if request.GET.get("unit"):
        unit = selectors.unit_in_scope(paths, request.GET["unit"])
        if unit is None:
            raise Http404
    family = request.GET.get("job_family") or None
    if family is not None and family not in selectors.job_families():
        raise Http404
    return unit, family


def _table(result: selectors.Dashboard) -> tuple[list[str], list[list]]:
    headers = ["measure", "key", "value", "national", "definition"]
    rows = [
        [
            f.label,
            f.key,
            "" if f.value is None else str(f.value),
            "" if f.national is None else str(f.national),
            f.definition,
        ]
        for f in result.figures
    ]
    for band, people in result.age_profile.items():
        rows.append([f"People in post aged {band.lower()}", "age_profile", str(people), "", ""])
    for reason, people in result.leavers_by_reason.items():
        rows.append([f"Leavers: {reason}", "leavers_by_reason", str(people), "", ""])
    for line in result.trend:
        for on, value, nat in line.points:
            rows.append(
                [
                    f"{line.label} on {on:%-d %B %Y}",
                    line.key,
                    "" if value is None else str(value),
                    "" if nat is None else str(nat),
                    "",
                ]
            )
    return headers, rows


def _number(value) -> float | None:
    return None if value is None else float(value)


def _download(request, file_name: str, headers, rows, title: str, object_type: str):
    """The page's table as CSV or XLSX, written in the audit log."""
    audit_record(
        actor=request.user,
        action="export",
        object_type=object_type,
        object_label=file_name,
        summary=f"{title}: {len(rows):,} rows ({request.GET.urlencode()})",
    )
    return table_response(file_name, headers, rows, title)


def dashboard_page(request):
    paths = gates.workforce_paths(request.user)
    unit, family = chosen(request, paths)
    on, on_error = page_as_of(request)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx") and on_error:
        return HttpResponseBadRequest(on_error)
    result = selectors.dashboard(paths=paths, unit=unit, job_family=family, as_of=on)
    if wanted in ("csv", "xlsx"):
        headers, rows = _table(result)
        file_name = f"workforce-{on:%Y-%m-%d}.{wanted}"
        return _download(
            request, file_name, headers, rows, "Workforce measures", "export:workforce"
        )
    query = request.GET.copy()
    query.pop("format", None)
    chart_data = [
        {
            "key": line.key,
            "labels": [f"{d:%Y}" for d, _, _ in line.points],
            "series": [
                {"label": "Here", "data": [_number(v) for _, v, _ in line.points]},
                {
                    "label": "England",
                    "data": [_number(n) for _, _, n in line.points],
                    "dashed": True,
                },
            ],
        }
        for line in result.trend
    ]
    return render(
        request,
        "workforce/dashboard.html",
        {
            "result": result,
            "on": on,
            "on_error": on_error,
            "unit": unit,
            "job_family": family,
            "units": selectors.unit_choices(paths),
            "families": selectors.job_families(),
            "whole_council": paths is None,
            "query": query.urlencode(),
            "chart_data": chart_data,
            "may_see_equality": gates.can(request.user, "workforce.equality"),
        },
    )


# --- recruitment routes and retention --------------------------------------------------------

QUARTERS = 8
CURVE_STEP = 3  # months between the points of a retention curve (chart and table alike)


def retention_data(paths, unit, family, on):
    """(each route's retention with its cohorts', leavers by reason in each quarter)."""
    scope_paths = [unit.path] if unit is not None else paths
    routes = retention.by_route(scope_paths, on)
    quarters = metrics.financial_quarters(on, QUARTERS)
    facts = metrics.Facts.read(selectors.scope_for(paths, unit, family), quarters[0][0], on)
    return routes, metrics.leavers_by_quarter(facts, quarters)


def retention_page(request):
    """Each recruitment route's retention (with its cohorts'), the curves over the months
    since starting, and leavers by reason in each of the last eight financial quarters."""
    paths = gates.workforce_paths(request.user)
    unit, family = chosen(request, paths)
    on, on_error = page_as_of(request)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx") and on_error:
        return HttpResponseBadRequest(on_error)
    routes, by_quarter = retention_data(paths, unit, family, on)
    reasons = sorted(
        {reason for _, counts in by_quarter for reason in counts},
        key=lambda r: -sum(counts.get(r, 0) for _, counts in by_quarter),
    )
    longest = max((len(r.months) for r, _ in routes), default=0)
    months = list(range(0, longest, CURVE_STEP))
    curve_rows = [
        (m, [dict(r.months).get(m) if m < len(r.months) else None for r, _ in routes])
        for m in months
    ]
    if wanted in ("csv", "xlsx"):
        headers = ["section", "label", "people", "left", "at_12_months", "at_24_months"]
        rows = [
            [
                "route" if i == 0 else "cohort",
                r.label,
                r.people,
                r.left,
                r.at_12_months,
                r.at_24_months,
            ]
            for route, cohorts in routes
            for i, r in enumerate([route, *cohorts])
        ]
        rows += [
            ["leavers", f"{first:%-d %b %Y} to {last:%-d %b %Y}: {reason}", n, "", "", ""]
            for (first, last), counts in by_quarter
            for reason, n in counts.items()
        ]
        return _download(
            request,
            f"workforce-retention-{on:%Y-%m-%d}.{wanted}",
            headers,
            rows,
            "Recruitment and retention",
            "export:workforce-retention",
        )
    query = request.GET.copy()
    query.pop("format", None)
    chart_data = [
        {
            "key": "retention",
            "labels": [str(m) for m in months],
            "stepped": True,
            "series": [
                {"label": route.label, "data": [_number(values[i]) for _, values in curve_rows]}
                for i, (route, _) in enumerate(routes)
            ],
        }
    ]
    return render(
        request,
        "workforce/retention.html",
        {
            "on": on,
            "on_error": on_error,
            "unit": unit,
            "job_family": family,
            "routes": routes,
            "route_rows": [
                (i == 0, r) for route, cohorts in routes for i, r in enumerate([route, *cohorts])
            ],
            "quarter_rows": [
                (quarter, [counts.get(r, 0) for r in reasons], sum(counts.values()))
                for quarter, counts in by_quarter
            ],
            "curve_rows": curve_rows,
            "by_quarter": by_quarter,
            "reasons": reasons,
            "units": selectors.unit_choices(paths),
            "families": selectors.job_families(),
            "whole_council": paths is None,
            "query": query.urlencode(),
            "chart_data": chart_data,
        },
    )


# --- the gender pay gap ----------------------------------------------------------------------


def chosen_snapshot(request) -> dt.date | None:
    """The snapshot asked for (`?snapshot=YYYY-03-31`), None for the latest; 404 for one that is
    not a date or not held (checked by the caller against the snapshots)."""
    text = request.GET.get("snapshot")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


def pay_gap_report(request) -> selectors.PayGapReport:
    gates.require_workforce_pay_gap(request.user)
    wanted = chosen_snapshot(request)
    report = selectors.pay_gap(wanted)
    if wanted is not None and report.snapshot != wanted:
        raise Http404
    return report


def pay_gap_page(request):
    report = pay_gap_report(request)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx") and report.snapshot is not None:
        rows = [
            [label, key, "" if value is None else str(value)]
            for label, key, value in selectors.pay_gap_rows(report)
        ]
        file_name = f"gender-pay-gap-{report.snapshot:%Y-%m-%d}.{wanted}"
        return _download(
            request,
            file_name,
            ["measure", "key", "value"],
            rows,
            "Gender pay gap",
            "export:workforce-pay-gap",
        )
    query = request.GET.copy()
    query.pop("format", None)
    if report.snapshot is not None:
        query["snapshot"] = report.snapshot.isoformat()
    return render(
        request,
        "workforce/pay_gap.html",
        {"report": report, "result": report.result, "query": query.urlencode()},
    )


# --- equality --------------------------------------------------------------------------------


def equality_paths(request) -> tuple[list[str] | None, Unit | None, str | None]:
    """(scope paths, unit, job family) of the equality figures asked for, through the gate."""
    paths = gates.workforce_equality_paths(request.user)
    return paths, *chosen(request, paths)


def equality_page(request):
    """The workforce, the year's starters and leavers and each grade band by sex, ethnic
    group, disability and age band, beside the comparison population, suppressed."""
    paths, unit, family = equality_paths(request)
    on, on_error = page_as_of(request)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx") and on_error:
        return HttpResponseBadRequest(on_error)
    report = selectors.equality_report(paths=paths, unit=unit, job_family=family, as_of=on)
    if wanted in ("csv", "xlsx"):
        return _download(
            request,
            f"workforce-equality-{on:%Y-%m-%d}.{wanted}",
            selectors.EQUALITY_HEADERS,
            selectors.equality_rows(report),
            "Workforce equality",
            "export:workforce-equality",
        )
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "workforce/equality.html",
        {
            "report": report,
            "on": on,
            "on_error": on_error,
            "unit": report.unit,
            "job_family": report.job_family,
            "units": selectors.unit_choices(paths),
            "families": selectors.job_families(),
            "whole_council": paths is None,
            "query": query.urlencode(),
            "may_set_comparison": gates.can(request.user, "workforce.equality_comparison"),
            "may_see_measures": gates.can(request.user, "workforce.insight"),
        },
    )


def equality_comparison_page(request):
    """Set the comparison population: a council-wide HR equality viewer only."""
    gates.require(request.user, "workforce.equality_comparison")
    held = equality.comparison()
    form = ComparisonForm(request.POST or None, comparison=held)
    if request.method == "POST" and form.is_valid():
        services.comparison_set(
            name=form.cleaned_data["name"],
            source=form.cleaned_data["source"],
            shares=form.shares(),
            actor=request.user,
        )
        messages.success(request, "The comparison population is saved.")
        return redirect("workforce:equality")
    return render(request, "workforce/equality_comparison.html", {"form": form, "held": held})
