"""The API of the requirements admin and the demand forecast, under /api/compliance/:
requirements and credential types (list, retrieve, create with POST, change with PUT or PATCH,
through the same services and checks as the pages: a refusal is a 400 naming the field), and
the forecast. Requirements and credential types are for `compliance.requirements` users
(403 for anyone else, 404 for one that does not exist); the forecast as its page
(`gates.compliance_forecast_paths`).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from peopleplan.access import gates
from peopleplan.compliance import forecast, services
from peopleplan.compliance.forecast_views import forecast_within
from peopleplan.compliance.models import CredentialType, Requirement
from peopleplan.compliance.requirement_views import CAPABILITY, how_met, lasts
from peopleplan.core.dates import today
from peopleplan.learning.models import LearningItem
from peopleplan.org import audiences
from peopleplan.org.models import Audience

# --- shapes ----------------------------------------------------------------------------------


class RequirementSerializer(serializers.ModelSerializer):
    """A requirement: its audience, learning items and credential type by their codes."""

    audience = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Audience.objects.all(),
        error_messages={"does_not_exist": "There is no audience with the code {value}."},
    )
    audience_name = serializers.CharField(source="audience.name", read_only=True)
    items = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=LearningItem.objects.all(),
        error_messages={"does_not_exist": "There is no learning item with the code {value}."},
        help_text="The codes of the learning items that meet it (any one of them)",
    )
    credential_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CredentialType.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "There is no credential type with the code {value}."},
    )
    how_met = serializers.SerializerMethodField()
    lasts = serializers.SerializerMethodField()
    people_today = serializers.SerializerMethodField(
        help_text="How many people it applies to today"
    )

    class Meta:
        model = Requirement
        fields = [
            "id",
            "code",
            "name",
            "description",
            "audience",
            "audience_name",
            "items",
            "credential_type",
            "validity_months",
            "window_days",
            "renew_from",
            "grace_days",
            "applies_from",
            "escalate_after_days",
            "is_active",
            "how_met",
            "lasts",
            "people_today",
        ]
        # The services check the code is new; the model's unique check would say it first.
        extra_kwargs = {"code": {"validators": []}}

    def get_how_met(self, req) -> str:
        return how_met(req)

    def get_lasts(self, req) -> str:
        return lasts(req)

    def get_people_today(self, req) -> int:
        counts = self.context.get("counts")
        if counts is None:
            counts = audiences.member_counts([req.audience], today())
        return counts.get(req.audience_id, 0)


class CredentialTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CredentialType
        fields = ["id", *services.CREDENTIAL_TYPE_FIELDS]
        extra_kwargs = {"code": {"validators": []}}


class DirectorateMonthsSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    months = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class RequirementForecastSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement.pk")
    requirement_code = serializers.CharField(source="requirement.code")
    requirement_name = serializers.CharField(source="requirement.name")
    directorates = DirectorateMonthsSerializer(source="rows", many=True)
    months = serializers.ListField(child=serializers.IntegerField(), help_text="Everyone")
    total = serializers.IntegerField()
    overdue_now = serializers.IntegerField(
        help_text="Already overdue or expired today: counted in the first month"
    )
    starters = serializers.IntegerField(help_text="Known starters counted")
    session_size = serializers.IntegerField(allow_null=True, help_text="None: no sessions needed")
    sessions = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    sessions_total = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class ForecastSerializer(serializers.Serializer):
    on = serializers.DateField()
    months = serializers.ListField(
        child=serializers.DateField(), help_text="The first day of each of the 12 months"
    )
    requirements = RequirementForecastSerializer(many=True)


def _refused(error: services.ComplianceError) -> ValidationError:
    return ValidationError({error.field or "detail": [str(error)]})


# --- the endpoints ---------------------------------------------------------------------------


class RequirementViewSet(viewsets.ViewSet):
    serializer_class = RequirementSerializer
    queryset = Requirement.objects.none()  # for the schema: the id is a number

    def _all(self):
        gates.require(self.request.user, CAPABILITY)
        return Requirement.objects.select_related("audience", "credential_type").prefetch_related(
            "items"
        )

    def _one(self, pk) -> Requirement:
        found = self._all().filter(pk=int(pk) if str(pk).isdigit() else 0).first()
        if found is None:
            raise NotFound
        return found

    def _shown(self, req: Requirement, code=status.HTTP_200_OK) -> Response:
        return Response(RequirementSerializer(self._one(req.pk)).data, status=code)

    @extend_schema(responses=RequirementSerializer(many=True))
    def list(self, request):
        reqs = list(self._all())
        shared = {r.audience_id: r.audience for r in reqs}
        counts = audiences.member_counts(shared.values(), today())
        return Response(RequirementSerializer(reqs, many=True, context={"counts": counts}).data)

    @extend_schema(responses=RequirementSerializer)
    def retrieve(self, request, pk=None):
        return Response(RequirementSerializer(self._one(pk)).data)

    @extend_schema(request=RequirementSerializer, responses={201: RequirementSerializer})
    def create(self, request):
        gates.require(request.user, CAPABILITY)
        data = RequirementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            req = services.requirement_create(actor=request.user, **values)
        except services.ComplianceError as error:
            raise _refused(error) from None
        return self._shown(req, status.HTTP_201_CREATED)

    @extend_schema(request=RequirementSerializer, responses=RequirementSerializer)
    def update(self, request, pk=None, partial=False):
        req = self._one(pk)
        data = RequirementSerializer(req, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.pop("code", req.code) != req.code:
            raise ValidationError({"code": ["The code of a requirement cannot change."]})
        try:
            services.requirement_update(requirement=req, actor=request.user, **values)
        except services.ComplianceError as error:
            raise _refused(error) from None
        return self._shown(req)

    @extend_schema(request=RequirementSerializer, responses=RequirementSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


class CredentialTypeViewSet(viewsets.ViewSet):
    serializer_class = CredentialTypeSerializer
    queryset = CredentialType.objects.none()  # for the schema: the id is a number

    def _one(self, pk) -> CredentialType:
        gates.require(self.request.user, CAPABILITY)
        found = CredentialType.objects.filter(pk=int(pk) if str(pk).isdigit() else 0).first()
        if found is None:
            raise NotFound
        return found

    @extend_schema(responses=CredentialTypeSerializer(many=True))
    def list(self, request):
        gates.require(request.user, CAPABILITY)
        return Response(
            CredentialTypeSerializer(CredentialType.objects.order_by("name"), many=True).data
        )

    @extend_schema(responses=CredentialTypeSerializer)
    def retrieve(self, request, pk=None):
        return Response(CredentialTypeSerializer(self._one(pk)).data)

    @extend_schema(request=CredentialTypeSerializer, responses={201: CredentialTypeSerializer})
    def create(self, request):
        gates.require(request.user, CAPABILITY)
        data = CredentialTypeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            kind = services.credential_type_create(actor=request.user, **data.validated_data)
        except services.ComplianceError as error:
            raise _refused(error) from None
        return Response(CredentialTypeSerializer(kind).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CredentialTypeSerializer, responses=CredentialTypeSerializer)
    def update(self, request, pk=None, partial=False):
        kind = self._one(pk)
        data = CredentialTypeSerializer(kind, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        try:
            kind = services.credential_type_update(
                credential_type=kind, actor=request.user, **data.validated_data
            )
        except services.ComplianceError as error:
            raise _refused(error) from None
        return Response(CredentialTypeSerializer(kind).data)

    @extend_schema(request=CredentialTypeSerializer, responses=CredentialTypeSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)


class ForecastViewSet(viewsets.ViewSet):
    serializer_class = ForecastSerializer

    @extend_schema(responses=ForecastSerializer)
    def list(self, request):
        """The demand forecast of every requirement in force for the next 12 months, by
        directorate (the units you cover, or the whole council), as the page shows it."""
        within = forecast_within(request.user)
        return Response(ForecastSerializer(forecast.forecast(on=today(), within=within)).data)
