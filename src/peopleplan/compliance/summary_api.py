"""The API of compliance in numbers, with the pages' gates and selectors: the summary of a
unit, the people behind a number (L&D and HR only), expiring soon and the overview.

403 for a user whose roles open none of it; 404 for a unit outside their scope or a
requirement that does not exist."""

from __future__ import annotations

from django.core.paginator import Paginator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from peopleplan.access import gates

from . import status, summary
from . import summary_views as pages

ON = OpenApiParameter("on", str, description="As of this date (YYYY-MM-DD); today by default")
UNIT = OpenApiParameter("unit", int, description="A unit in your scope; the top of it by default")


def _unit(unit) -> dict | None:
    return None if unit is None else {"id": unit.pk, "code": unit.code, "name": unit.name}


def _requirement(req) -> dict:
    return {"id": req.pk, "code": req.code, "name": req.name}


@extend_schema(parameters=[ON, UNIT], responses=OpenApiTypes.OBJECT)
class SummaryViewSet(viewsets.ViewSet):
    """Each requirement by child unit: compliant, due soon, overdue, expired and exempt, the
    people counted (everyone who needs it but the exempt) and the % compliant."""

    def list(self, request):
        paths = pages.summary_scope(request)
        unit = pages.chosen_unit(request, paths)
        on = pages.as_of(request)
        result = summary.unit_summary(paths=paths, unit=unit, as_of=on)
        return Response(
            {
                "as_of": on,
                "unit": _unit(unit),
                "columns": [
                    {**_unit(c.unit), "direct": c.direct, "label": c.label} for c in result.columns
                ],
                "requirements": [
                    {
                        **_requirement(line.requirement),
                        "cells": [t.as_dict() for t in line.cells],
                        "total": line.total.as_dict(),
                    }
                    for line in result.lines
                ],
                "column_totals": [t.as_dict() for t in result.column_totals],
                "total": result.total.as_dict(),
            }
        )


@extend_schema(
    parameters=[
        OpenApiParameter("requirement", int, required=True),
        UNIT,
        OpenApiParameter("direct", int, description="1: only the people placed in the unit"),
        OpenApiParameter("status", str, description="compliant, due_soon, overdue, expired…"),
        ON,
        OpenApiParameter("page", int, description="A page of 50"),
    ],
    responses=OpenApiTypes.OBJECT,
)
class SummaryPeopleViewSet(viewsets.ViewSet):
    """The people behind a number, with their status, dates and the reason (L&D and HR, in
    their units; senior leaders see numbers only)."""

    def list(self, request):
        return Response(_people_payload(request))


def _people_payload(request) -> dict:
    paths = pages.names_scope(request)
    req, unit, direct, code, on = pages.people_choices(request, paths)
    rows = summary.people_rows(req, on, pages.people_within(paths, unit, direct), code)
    page = Paginator(rows, pages.PAGE_SIZE).get_page(request.GET.get("page"))
    found = status.statuses(
        person_ids=[r.person_id for r in page.object_list], requirements=[req], as_of=on
    )
    return {
        "as_of": on,
        "requirement": _requirement(req),
        "unit": _unit(unit),
        "status": code,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [
            pages.person_dict(r, found.get((r.person_id, req.pk))) for r in page.object_list
        ],
    }


@extend_schema(
    parameters=[
        OpenApiParameter("days", int, description="30, 60 or 90: the people listed"),
        OpenApiParameter("requirement", int, description="The requirement whose people to list"),
        UNIT,
        ON,
    ],
    responses=OpenApiTypes.OBJECT,
)
class ExpiringViewSet(viewsets.ViewSet):
    """How many people's training or checks run out within 30, 60 and 90 days, by
    requirement; with a requirement, the people (L&D and HR only)."""

    def list(self, request):
        paths = pages.summary_scope(request)
        unit = pages.chosen_unit(request, paths)
        on = pages.as_of(request)
        requirements = status.requirements_in_force()
        counts = summary.expiring_counts(
            requirements=requirements, as_of=on, within=summary.within_q(paths, unit)
        )
        body = {
            "as_of": on,
            "unit": _unit(unit),
            "requirements": [
                {**_requirement(r), "within": {str(w): n[w] for w in summary.WINDOWS}}
                for r, n in counts
            ],
        }
        req = summary.requirement_by_id(requirements, request.GET.get("requirement"))
        if req is not None and gates.can(request.user, "compliance.summary_people"):
            days = pages.window(request)
            name_paths = gates.compliance_names_paths(request.user)
            rows = (
                summary.expiring_rows(req, on, pages.people_within(name_paths, unit, False), days)
                .select_related("person", "unit", "job_role")
                .order_by("held__held_until", "person__last_name", "person__first_name", "pk")
            )
            body["people"] = {
                "requirement": _requirement(req),
                "days": days,
                "results": [
                    {
                        "employee_number": r.person.employee_number,
                        "name": r.person.full_name,
                        "job": r.job_role.title,
                        "unit": r.unit.name,
                        "status": r.code,
                        "expires_on": r.until,
                    }
                    for r in rows[:1000]
                ],
            }
        return Response(body)


@extend_schema(parameters=[ON], responses=OpenApiTypes.OBJECT)
class OverviewViewSet(viewsets.ViewSet):
    """The leaders' overview: each requirement's % compliant, worst first; the units with the
    lowest compliance; overdue and expired in all."""

    def list(self, request):
        paths = pages.summary_scope(request)
        on = pages.as_of(request)
        result = summary.overview(paths=paths, as_of=on)
        return Response(
            {
                "as_of": on,
                "whole_council": paths is None,
                "total": result.total.as_dict(),
                "requirements": [
                    {**_requirement(line.requirement), **line.total.as_dict()}
                    for line in result.requirements
                ],
                "lowest_units": [
                    {**_unit(c.unit), "direct": c.direct, **t.as_dict()} for c, t in result.units
                ],
            }
        )
