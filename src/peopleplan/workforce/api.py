"""The API of workforce insight, with the pages' gates and selectors:
`/api/workforce/measures/` gives every measure of a part of the council on an as-of date with
its definition and the national figure, and the trend of the headline rates over the years;
`/api/workforce/pay-gap/` the gender pay gap's six measures on a snapshot date;
`/api/workforce/equality/` the equality figures, suppressed (HR equality viewers only).

403 for a user without `workforce.insight` (for the pay gap, without a council-wide grant of
it); 404 for a unit outside their scope, a job family no job role has, or a snapshot not
held."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from peopleplan.access import gates

from . import selectors
from . import views as pages

PARAMETERS = [
    OpenApiParameter(
        "on",
        str,
        description="As of this date (YYYY-MM-DD); by default the latest 30 September",
    ),
    OpenApiParameter(
        "unit", str, description="A unit's code in your scope: it and everything under it"
    ),
    OpenApiParameter("job_family", str, description="One job family"),
]


def _as_of(request):
    """The as-of date asked for; 400 naming `on` when it is not a date."""
    try:
        return pages.as_of(request)
    except pages.BadDate as error:
        raise ValidationError({"on": [str(error)]}) from None


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class MeasuresView(APIView):
    """Every measure on the as-of date (keyed as the national statistics' data file where it
    has the measure), each with its definition and England's figure for the same year, and
    the headline rates on each of the last ten 30 Septembers beside England's."""

    def get(self, request):
        paths = gates.workforce_paths(request.user)
        unit, family = pages.chosen(request, paths)
        on = _as_of(request)
        result = selectors.dashboard(paths=paths, unit=unit, job_family=family, as_of=on)
        return Response(
            {
                "as_of": on,
                "unit": None if unit is None else {"code": unit.code, "name": unit.name},
                "job_family": family,
                "whole_council": paths is None and unit is None,
                "national_release": result.release if result.national_applies else None,
                "measures": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "value": f.value,
                        "national": f.national,
                        "definition": f.definition,
                    }
                    for f in result.figures
                ],
                "age_profile": result.age_profile,
                "leavers_by_reason": result.leavers_by_reason,
                "trend": [
                    {
                        "key": line.key,
                        "label": line.label,
                        "points": [
                            {"on": d, "value": value, "national": nat}
                            for d, value, nat in line.points
                        ],
                    }
                    for line in result.trend
                ],
            }
        )


def _retention(r) -> dict:
    return {
        "label": r.label,
        "people": r.people,
        "left": r.left,
        "first_start": r.first_start,
        "last_start": r.last_start,
        "at_12_months": r.at_12_months,
        "at_24_months": r.at_24_months,
        "months": [{"month": m, "percent": p} for m, p in r.months],
    }


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class RetentionView(APIView):
    """Each recruitment route's retention (a Kaplan-Meier estimate, month by month, and at 12
    and 24 months) with its cohorts', and leavers by reason in each of the last eight
    financial quarters."""

    def get(self, request):
        paths = gates.workforce_paths(request.user)
        unit, family = pages.chosen(request, paths)
        on = _as_of(request)
        routes, by_quarter = pages.retention_data(paths, unit, family, on)
        return Response(
            {
                "as_of": on,
                "routes": [
                    {**_retention(route), "cohorts": [_retention(c) for c in cohorts]}
                    for route, cohorts in routes
                ],
                "leavers_by_quarter": [
                    {"first_day": first, "last_day": last, "reasons": counts}
                    for (first, last), counts in by_quarter
                ],
            }
        )


def _comparison(comparison) -> dict:
    return {"men": comparison.men, "women": comparison.women, "gap": comparison.gap}


@extend_schema(
    parameters=[
        OpenApiParameter(
            "snapshot",
            str,
            description="A snapshot date held (YYYY-03-31); by default the latest",
        ),
    ],
    responses=OpenApiTypes.OBJECT,
)
class PayGapView(APIView):
    """The gender pay gap's six measures on a 31 March snapshot date, as a public authority
    publishes them (gaps and proportions in per cent to one decimal place, amounts in pounds),
    with who was counted and left out. `snapshot` is null when no pay is held."""

    def get(self, request):
        report = pages.pay_gap_report(request)
        result = report.result
        body: dict = {"snapshot": report.snapshot, "snapshots": report.snapshots}
        if result is None:
            return Response(body)
        body |= {
            "relevant_employees": {"men": result.men, "women": result.women},
            "full_pay_relevant_employees": {
                "men": result.full_pay_men,
                "women": result.full_pay_women,
            },
            "left_out": {
                "sex_not_male_or_female": result.left_out,
                "without_pay": report.without_pay,
                "not_employed": report.not_employed,
            },
            "mean_hourly_pay": _comparison(result.mean_hourly),
            "median_hourly_pay": _comparison(result.median_hourly),
            "mean_bonus_pay": _comparison(result.mean_bonus),
            "median_bonus_pay": _comparison(result.median_bonus),
            "received_bonus": {
                "men": result.bonus_men,
                "women": result.bonus_women,
                "men_percent": result.bonus_men_percent,
                "women_percent": result.bonus_women_percent,
            },
            "quartiles": [
                {
                    "band": band.name,
                    "men": band.men,
                    "women": band.women,
                    "men_percent": band.men_percent,
                    "women_percent": band.women_percent,
                }
                for band in result.quartiles
            ],
        }
        return Response(body)


def _cell(cell, share) -> dict:
    return {"people": cell.value, "suppressed": cell.why or None, "share": share}


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class EqualityView(APIView):
    """The workforce in post, the year's starters and leavers and each grade band by sex,
    ethnic group, disability and age band, beside the comparison population the council
    entered. A count under 5, or one that would give it away, is null with `suppressed` saying
    why; a share (per cent) is of those whose answer is known ("Not known": of everyone), and
    null where it could give a hidden count away. HR equality viewers only (403 otherwise)."""

    def get(self, request):
        paths, unit, family = pages.equality_paths(request)
        report = selectors.equality_report(
            paths=paths, unit=unit, job_family=family, as_of=_as_of(request)
        )
        compared = report.comparison
        return Response(
            {
                "as_of": report.as_of,
                "period_start": report.period_start,
                "unit": None if report.unit is None else report.unit.code,
                "job_family": report.job_family,
                "comparison": (
                    None if compared is None else {"name": compared.name, "source": compared.source}
                ),
                "dimensions": [
                    {
                        "dimension": b.dimension,
                        "label": b.label,
                        "groups": list(b.groups),
                        "comparison": {g: b.comparison.get(g) for g in b.groups[:-1]},
                        "rows": [
                            {
                                "who": line.label,
                                "kind": line.kind,
                                "groups": {
                                    g: _cell(cell, share)
                                    for g, (cell, share) in zip(
                                        b.groups, line.entries(), strict=True
                                    )
                                },
                                "total": _cell(line.row.total, None),
                            }
                            for line in b.lines
                        ],
                    }
                    for b in report.breakdowns
                ],
            }
        )


urlpatterns = [
    path("workforce/measures/", MeasuresView.as_view(), name="workforce_measures"),
    path("workforce/retention/", RetentionView.as_view(), name="workforce_retention"),
    path("workforce/pay-gap/", PayGapView.as_view(), name="workforce_pay_gap"),
    path("workforce/equality/", EqualityView.as_view(), name="workforce_equality"),
]
