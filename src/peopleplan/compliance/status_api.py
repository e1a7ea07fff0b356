"""The API of the status pages, with their gates and reads (status_views, status_selectors):

- `statuses/me/`: your statuses (404 when your account has no staff record);
- `statuses/people/{id}/`: a person's, when you may see their compliance
  (`gates.access_compliance_person`; anyone else's is a 404);
- `statuses/team/`: the team matrix: your reports, or with `unit` the people in a unit of your
  L&D or HR scope (404 outside it), with the page's filters.

Each takes `on` (YYYY-MM-DD, today by default). A status gives its code, label, reason, due
and expiry dates and its requirement; requirements that do not apply are left out.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.org.models import Person

from . import status_selectors as sel
from .status_views import matrix_for, team_for_user

ON = OpenApiParameter("on", dt.date, description="The day to answer for (YYYY-MM-DD); today")
TEAM = [
    ON,
    OpenApiParameter("unit", int, description="A unit in your L&D or HR scope: its people"),
    OpenApiParameter("direct", bool, description="Your direct reports only"),
    OpenApiParameter("requirement", int, description="Only this requirement"),
    OpenApiParameter(
        "status",
        str,
        description="Only people with this status in a shown requirement: attention (overdue "
        "or expired), compliant, due_soon, overdue, expired or exempt",
    ),
    OpenApiParameter("sort", str, description="name (the default), or req-<id>: worst first"),
]


def _on(request) -> dt.date:
    value = (request.query_params.get("on") or "").strip()
    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"on": ["Enter a real date as YYYY-MM-DD"]}) from None


# --- shapes ----------------------------------------------------------------------------------


class RequirementRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    requirement = RequirementRefSerializer()
    code = serializers.CharField(
        help_text="compliant, due_soon, overdue, expired or exempt (not_required is left out)"
    )
    label = serializers.CharField()
    reason = serializers.CharField(source="status.reason", help_text="In plain English")
    due_on = serializers.DateField(source="status.due_on", allow_null=True)
    expires_on = serializers.DateField(source="status.expires_on", allow_null=True)


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()


class PersonStatusesSerializer(serializers.Serializer):
    person = PersonRefSerializer()
    on = serializers.DateField()
    required = serializers.IntegerField(help_text="Requirements that apply, exemptions left out")
    up_to_date = serializers.IntegerField(help_text="Of those, how many are compliant")
    exempt = serializers.IntegerField()
    statuses = StatusSerializer(many=True, help_text="Worst first")


class ColumnSerializer(serializers.Serializer):
    requirement = RequirementRefSerializer()
    required = serializers.IntegerField(help_text="People shown it applies to, not exempt")
    compliant = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    full_name = serializers.CharField(source="name")
    job = serializers.CharField()
    unit = serializers.CharField()
    direct = serializers.BooleanField(help_text="Reports to you directly")
    statuses = serializers.SerializerMethodField()

    def get_statuses(self, member: sel.Member) -> list[dict]:
        return StatusSerializer([c for c in member.shown if c is not None], many=True).data


class TeamSerializer(serializers.Serializer):
    on = serializers.DateField()
    unit = serializers.IntegerField(allow_null=True)
    requirements = ColumnSerializer(many=True, help_text="The columns, with their summary")
    people = MemberSerializer(many=True, help_text="The rows, in the order asked for")


# --- the endpoints ---------------------------------------------------------------------------


def _person(person: Person, on: dt.date) -> dict:
    found = sel.person_compliance(person.pk, on)
    return PersonStatusesSerializer(
        {
            "person": person,
            "on": on,
            "required": found.required,
            "up_to_date": found.up_to_date,
            "exempt": found.exempt,
            "statuses": found.cells,
        }
    ).data


class StatusViewSet(viewsets.GenericViewSet):
    """Compliance statuses: yours and your team's."""

    serializer_class = PersonStatusesSerializer
    queryset = Person.objects.none()
    pagination_class = None

    @extend_schema(responses=PersonStatusesSerializer, parameters=[ON])
    @action(detail=False, methods=["get"])
    def me(self, request):
        """Your statuses: every requirement that applies to you on the day, worst first."""
        if not request.user.person_id:
            raise NotFound("Your account has no staff record, so nothing is required of it.")
        return Response(_person(request.user.person, _on(request)))

    @extend_schema(responses=TeamSerializer, parameters=TEAM)
    @action(detail=False, methods=["get"], serializer_class=TeamSerializer)
    def team(self, request):
        """The team matrix: the people (your reports on the day, or those in `unit`) and the
        requirements that apply to any of them, with each column's compliant of required."""
        params = request.query_params.copy()
        params["on"] = _on(request).isoformat()
        team = team_for_user(request.user, params)
        matrix = matrix_for(team, params)
        return Response(
            TeamSerializer(
                {
                    "on": matrix.on,
                    "unit": team.unit.pk if team.unit else None,
                    "requirements": matrix.columns,
                    "people": matrix.rows,
                }
            ).data
        )


class PersonStatusViewSet(viewsets.GenericViewSet):
    """A person's statuses, when you may see their compliance."""

    serializer_class = PersonStatusesSerializer
    queryset = Person.objects.none()

    @extend_schema(responses=PersonStatusesSerializer, parameters=[ON])
    def retrieve(self, request, pk=None):
        """A person's statuses on the day, worst first: 404 unless you may see them."""
        person = gates.access_compliance_person(request.user, pk)
        return Response(_person(person, _on(request)))
