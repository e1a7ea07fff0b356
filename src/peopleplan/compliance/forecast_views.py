"""The demand forecast page and its CSV and XLSX export (`forecast.py` works it out). For the
requirements admins (the whole council) and compliance-summary users (their units:
`gates.compliance_forecast_paths`); anyone else gets a 403. Every export is in the audit log.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from peopleplan.access import gates
from peopleplan.compliance import forecast
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.core.exports import table_response
from peopleplan.org.models import subtree_q


def forecast_within(user) -> Q | None:
    """The part of the council the user's forecast covers, as a Q over Assignment (403 for a
    user who may not see a forecast)."""
    paths = gates.compliance_forecast_paths(user)
    return None if paths is None else subtree_q("unit__path", paths)


def forecast_page(request):
    within = forecast_within(request.user)
    found = forecast.forecast(on=today(), within=within)
    return render(
        request,
        "compliance/forecast/page.html",
        {
            "found": found,
            "whole_council": within is None,
            "requirements_url": reverse("compliance:requirement_list")
            if gates.can(request.user, "compliance.requirements")
            else None,
        },
    )


def forecast_export(request):
    within = forecast_within(request.user)
    on = today()
    xlsx = request.GET.get("format") == "xlsx"
    file_name = f"demand-forecast-{on:%Y-%m-%d}.{'xlsx' if xlsx else 'csv'}"
    headers, rows = forecast.export_table(forecast.forecast(on=on, within=within))
    audit_record(
        actor=request.user,
        action="export",
        object_type="export:compliance_forecast",
        object_label=file_name,
        summary=f"Demand forecast from {on:%d %B %Y}: {len(rows):,} rows"
        + ("" if within is None else ", for the units the user covers"),
    )
    return table_response(file_name, headers, rows, "Demand forecast")
