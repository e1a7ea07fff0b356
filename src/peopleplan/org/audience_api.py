"""The API of audiences, under /api/audiences/: the list (each with its rules, in plain
English, and how many people are in it today), an audience, creating (POST), changing (PUT,
or PATCH with only what changes) and deleting one, its members (`members/`, the people the
user may see, paginated) and a preview of any rules before saving (`preview/`, POST).

The same access as the pages: council-wide HR officers, L&D administrators and system
administrators (the capability `org.audiences`); anyone else gets 403. A refusal of the
rules is a 400 naming the field; a rule's problem says which rule ("Rule 2: no job role with
code SW9") under `rules`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.org import audiences, services
from peopleplan.org.models import Audience, AudienceRule
from peopleplan.org.serializers import PersonBriefSerializer, UnitBriefSerializer

# --- shapes ----------------------------------------------------------------------------------


class RuleSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AudienceRule.Kind.choices)
    values = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        max_length=500,
        help_text="Codes of job roles, units or a grade; job family names; contract types "
        "or job role flags. A person matches any of them. Empty for a line manager or a "
        "length of service.",
    )
    number = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The months of a length of service; empty for the other kinds",
    )
    exclude = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Take the people this rule matches out, whatever `match` says",
    )


class AudienceSerializer(serializers.ModelSerializer):
    rules = serializers.SerializerMethodField()
    rules_text = serializers.SerializerMethodField(help_text="Each rule in plain English, in order")
    summary = serializers.SerializerMethodField(help_text="The whole audience in plain English")
    people_today = serializers.SerializerMethodField(
        help_text="How many people are in the audience today"
    )

    class Meta:
        model = Audience
        fields = [
            "id",
            "code",
            "name",
            "description",
            "match",
            "rules",
            "rules_text",
            "summary",
            "people_today",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(RuleSerializer(many=True))
    def get_rules(self, audience) -> list:
        return [
            {"kind": r.kind, "values": list(r.values), "number": r.number, "exclude": r.exclude}
            for r in audiences.rules_of(audience)
        ]

    def get_rules_text(self, audience) -> list[str]:
        names = self.context["names"]
        return [audiences.rule_text(r, names) for r in audiences.rules_of(audience)]

    def get_summary(self, audience) -> str:
        return str(self.context["descriptions"][audience.pk])

    def get_people_today(self, audience) -> int:
        return self.context["counts"][audience.pk]


class AudienceWriteSerializer(serializers.Serializer):
    """An audience as set: on a change (PATCH) any field may be left out; `rules` given
    replace all the rules."""

    code = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    match = serializers.ChoiceField(choices=Audience.Match.choices, required=False)
    rules = RuleSerializer(many=True, required=False)


class PreviewRequestSerializer(serializers.Serializer):
    match = serializers.ChoiceField(choices=Audience.Match.choices, default=Audience.Match.ALL)
    rules = RuleSerializer(many=True, required=False, default=list)
    on = serializers.DateField(required=False, help_text="The date (today when left out)")


class DirectorateCountSerializer(serializers.Serializer):
    unit = UnitBriefSerializer()
    count = serializers.IntegerField()


class PreviewSerializer(serializers.Serializer):
    on = serializers.DateField()
    count = serializers.IntegerField(help_text="Everyone in the audience on the date")
    everyone = serializers.BooleanField(help_text="No including rule: everyone in post")
    by_directorate = DirectorateCountSerializer(many=True)
    sample = PersonBriefSerializer(
        many=True, help_text="The first 20 by name, among the people you may see"
    )


def _refused(error: services.OrgError) -> ValidationError:
    problems: dict[str, list[str]] = {}
    for field, message in error.errors:
        problems.setdefault(field.split(".")[0] or "detail", []).append(message)
    return ValidationError(problems)


def _date(value: str | None) -> dt.date:
    if not value:
        return today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"on": ["Give the date as YYYY-MM-DD."]}) from None


ON_PARAMETER = OpenApiParameter(
    "on", OpenApiTypes.DATE, description="The date (today when left out)"
)


# --- the endpoints ---------------------------------------------------------------------------


class AudienceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AudienceSerializer

    def get_queryset(self) -> QuerySet[Audience]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return Audience.objects.none()
        gates.require(self.request.user, "org.audiences")
        return gates.audiences_for_user(self.request.user)

    def get_object(self) -> Audience:
        """403 for a user whose roles do not open audiences, 404 for one that does not exist
        (DRF answers Django's PermissionDenied and Http404 so)."""
        return gates.access_audience_for_user(self.request.user, self.kwargs["pk"])

    def _context(self, found: list[Audience]) -> dict:
        audiences.prepare(found)
        rules = [r for a in found for r in audiences.rules_of(a)]
        return {
            "request": self.request,
            "counts": audiences.member_counts(found, today()),
            "descriptions": audiences.describe_audiences(found),
            "names": audiences.names_for(rules),
        }

    def _one(self, audience: Audience, code=status.HTTP_200_OK) -> Response:
        audience = Audience.objects.get(pk=audience.pk)
        data = AudienceSerializer(audience, context=self._context([audience])).data
        return Response(data, status=code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        data = AudienceSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        return self._one(self.get_object())

    @extend_schema(request=AudienceWriteSerializer, responses={201: AudienceSerializer})
    def create(self, request):
        gates.require(request.user, "org.audiences")
        data = AudienceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            made = services.audience_create(actor=request.user, **data.validated_data)
        except services.OrgError as error:
            raise _refused(error) from None
        return self._one(made, status.HTTP_201_CREATED)

    def _change(self, request, *, partial: bool) -> Response:
        audience = self.get_object()
        data = AudienceWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {
            "code": audience.code,
            "name": audience.name,
            "description": audience.description,
            "match": audience.match,
            "rules": audiences.rules_of(audience),
            **data.validated_data,
        }
        try:
            services.audience_update(actor=request.user, audience=audience, **values)
        except services.OrgError as error:
            raise _refused(error) from None
        return self._one(audience)

    @extend_schema(request=AudienceWriteSerializer, responses=AudienceSerializer)
    def update(self, request, pk=None):
        return self._change(request, partial=False)

    @extend_schema(request=AudienceWriteSerializer, responses=AudienceSerializer)
    def partial_update(self, request, pk=None):
        return self._change(request, partial=True)

    def destroy(self, request, pk=None):
        audience = self.get_object()
        try:
            services.audience_delete(actor=request.user, audience=audience)
        except services.OrgError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The people in the audience you may see",
        parameters=[ON_PARAMETER],
        responses=PersonBriefSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        audience = self.get_object()
        on = _date(request.query_params.get("on"))
        people = (
            gates.people_for_user(request.user, on)
            .filter(pk__in=audiences.member_ids(audience, on))
            .order_by("last_name", "first_name", "employee_number")
        )
        page = self.paginate_queryset(people)
        return self.get_paginated_response(PersonBriefSerializer(page, many=True).data)

    @extend_schema(
        summary="Who would be in an audience with these rules, before saving",
        request=PreviewRequestSerializer,
        responses=PreviewSerializer,
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        gates.require(request.user, "org.audiences")
        data = PreviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        on = data.validated_data.get("on") or today()
        try:
            rules = services.audience_rules_clean(data.validated_data["rules"])
        except services.OrgError as error:
            raise _refused(error) from None
        shown = audiences.preview(
            rules, data.validated_data["match"], on, gates.people_for_user(request.user, on)
        )
        return Response(
            PreviewSerializer(
                {
                    "on": on,
                    "count": shown.count,
                    "everyone": shown.everyone,
                    "by_directorate": [
                        {"unit": unit, "count": count} for unit, count in shown.by_directorate
                    ],
                    "sample": shown.sample,
                }
            ).data
        )
