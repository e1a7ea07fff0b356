"""The API of credentials, Update Service status checks and exemptions, with the same gates,
forms and services as their pages (credential_views):

- `compliance/credentials/`: HR officers' credentials of the people they keep (403 for anyone
  else; a person or credential outside their grant is a 404): list (`?person=`), retrieve,
  create (verified), update; `waiting/` (added by people, waiting for HR), `{id}/verify/`,
  `{id}/status-checks/` (list and record);
- `compliance/my-credentials/`: yours, and adding one with evidence (multipart), which waits
  for HR;
- `compliance/exemptions/`: HR's exemptions of the people they keep (`?person=`), granting one,
  and `{id}/end/` to end one early.

The data is checked by the pages' forms, so the API refuses with the same words, by field.
"""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from peopleplan.access import gates
from peopleplan.core.dates import today

from . import credential_selectors as selectors
from . import services
from .credential_forms import (
    CredentialForm,
    ExemptionEndForm,
    ExemptionForm,
    StatusCheckForm,
    VerifyCredentialForm,
)
from .models import Credential, CredentialType, Exemption, StatusCheck

PERSON = [OpenApiParameter("person", int, description="Only this person's")]
# The levels a DBS check can have (named in the schema as CredentialDbsLevelEnum).
DBS_LEVEL_CHOICES = Credential._meta.get_field("dbs_level").choices


def _errors(form) -> dict[str, list[str]]:
    return {
        name: [str(m) for e in errors for m in e.messages]
        for name, errors in form.errors.as_data().items()
    }


def _refused(exc: services.ComplianceError) -> ValidationError:
    return ValidationError({exc.field or "non_field_errors": [str(exc)]})


def _plain(data) -> dict:
    """Request data as a plain dict of single values (a QueryDict's last value each)."""
    if isinstance(data, QueryDict):
        return {key: data.get(key) for key in data}
    return dict(data)


def _person_filter(request, queryset, field="person_id"):
    person = request.query_params.get("person")
    if person:
        try:
            return queryset.filter(**{field: int(person)})
        except ValueError:
            raise ValidationError({"person": ["Give the person's id, a number"]}) from None
    return queryset


# --- shapes ----------------------------------------------------------------------------------


class StatusCheckSerializer(serializers.ModelSerializer):
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = StatusCheck
        fields = ["id", "checked_on", "result", "result_label", "notes"]


class CredentialSerializer(serializers.ModelSerializer):
    """A credential, for the person and HR who keep it. `valid_until` is its expiry, or the
    date it is to be re-checked by policy (a DBS check), or the day a status check found new
    information; `state` is valid, soon (within 90 days), expired, pending or rejected."""

    person_name = serializers.CharField(source="person.full_name", read_only=True)
    type = serializers.CharField(source="type.code", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    kind = serializers.CharField(source="type.kind", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    valid_until = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    last_status_check = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = [
            "id",
            "person",
            "person_name",
            "type",
            "type_name",
            "kind",
            "number",
            "issued_on",
            "expires_on",
            "valid_until",
            "state",
            "dbs_level",
            "workforce",
            "update_service",
            "update_service_renews_on",
            "last_status_check",
            "status",
            "status_label",
            "rejected_reason",
            "notes",
            "evidence_url",
            "created_at",
            "verified_at",
        ]
        read_only_fields = fields

    def _shown(self, credential) -> selectors.Shown:
        cache = self.context.setdefault("_shown", {})
        if credential.pk not in cache:
            cache[credential.pk] = selectors.shown(credential, self.context.get("on"))
        return cache[credential.pk]

    def get_valid_until(self, credential) -> str | None:
        until = self._shown(credential).until
        return until.isoformat() if until else None

    def get_state(self, credential) -> str:
        return self._shown(credential).state

    def get_last_status_check(self, credential) -> dict | None:
        last = self._shown(credential).last_check
        return StatusCheckSerializer(last).data if last else None

    def get_evidence_url(self, credential) -> str | None:
        if not credential.evidence:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("compliance:credential_evidence", args=[credential.pk])
        )


class CredentialInSerializer(serializers.Serializer):
    """For the schema: checked by the page's form for the credential's type."""

    number = serializers.CharField(required=False, help_text="A DBS check's is 12 digits")
    issued_on = serializers.DateField(help_text="YYYY-MM-DD, today or before")
    expires_on = serializers.DateField(required=False, allow_null=True)
    dbs_level = serializers.ChoiceField(
        choices=DBS_LEVEL_CHOICES,
        required=False,
        help_text="A DBS check only (and needed for one)",
    )
    workforce = serializers.ChoiceField(
        choices=Credential.Workforce.choices, required=False, help_text="A DBS check only"
    )
    update_service = serializers.BooleanField(required=False, help_text="A DBS check only")
    update_service_renews_on = serializers.DateField(required=False, allow_null=True)


class CredentialCreateSerializer(CredentialInSerializer):
    person = serializers.IntegerField(help_text="A person you keep the credentials of")
    type = serializers.CharField(help_text="The credential type's code")
    notes = serializers.CharField(required=False, allow_blank=True)


class CredentialUpdateSerializer(CredentialInSerializer):
    issued_on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class MyCredentialSerializer(CredentialInSerializer):
    type = serializers.CharField(help_text="The credential type's code")
    evidence = serializers.FileField(
        help_text="The certificate or other evidence: PDF, image or document, up to 10 MB"
    )


class CredentialVerifySerializer(serializers.Serializer):
    verified = serializers.BooleanField(help_text="true to verify it, false not to")
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed when you do not verify it"
    )


class StatusCheckInSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    result = serializers.ChoiceField(choices=StatusCheck.Result.choices)
    notes = serializers.CharField(required=False, allow_blank=True)


class ExemptionSerializer(serializers.ModelSerializer):
    requirement_name = serializers.CharField(source="requirement.name", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Exemption
        fields = [
            "id",
            "person",
            "person_name",
            "requirement",
            "requirement_name",
            "reason",
            "starts_on",
            "ends_on",
            "granted_at",
        ]
        read_only_fields = fields


class ExemptionInSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    requirement = serializers.IntegerField()
    reason = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ExemptionEndSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The last day the exemption covers")


# --- the type, and the form ------------------------------------------------------------------


def _type(code) -> CredentialType:
    ctype = CredentialType.objects.filter(code=code or "").first()
    if ctype is None:
        raise ValidationError({"type": [f"There is no credential type {code!r}"]})
    return ctype


def _credential_form(data: dict, files, *, ctype: CredentialType, own: bool) -> CredentialForm:
    if "update_service" in data and data["update_service"] in (False, "false", "False", "0"):
        data["update_service"] = ""
    form = CredentialForm(data, files, ctype=ctype, own=own)
    if not form.is_valid():
        raise ValidationError(_errors(form))
    return form


# --- HR: the credentials they keep -------------------------------------------------------------


class CredentialViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Credentials of the people you keep (HR officers over them; never your own)."""

    serializer_class = CredentialSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        gates.require(request.user, "compliance.credentials")

    def get_queryset(self):
        return _person_filter(self.request, selectors.kept_credentials(self.request.user))

    def get_serializer_context(self):
        return super().get_serializer_context() | {"on": today()}

    def get_object(self):
        return selectors.kept_credential(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=PERSON)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CredentialCreateSerializer, responses={201: CredentialSerializer})
    def create(self, request):
        """Record a credential of a person you keep: it is verified."""
        data = _plain(request.data)
        try:
            person_id = int(data.get("person"))
        except (TypeError, ValueError):
            raise ValidationError({"person": ["Give the person's id, a number"]}) from None
        person = gates.credential_keeper_people(request.user).filter(pk=person_id).first()
        if person is None:
            raise NotFound
        ctype = _type(data.get("type"))
        form = _credential_form(data, None, ctype=ctype, own=False)
        try:
            credential = services.credential_record(
                person=person, type=ctype, actor=request.user, **form.values()
            )
        except services.ComplianceError as exc:
            raise _refused(exc) from None
        credential = selectors.kept_credential(request.user, credential.pk)
        return Response(self.get_serializer(credential).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CredentialUpdateSerializer, responses=CredentialSerializer)
    def partial_update(self, request, pk=None):
        """Change a credential: the fields you send; the rest stay as they are."""
        credential = self.get_object()
        data = {
            name: getattr(credential, name)
            for name in services.CREDENTIAL_FIELDS
            if getattr(credential, name) is not None
        }
        data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
        data |= _plain(request.data)
        form = _credential_form(data, None, ctype=credential.type, own=False)
        try:
            services.credential_update(credential=credential, actor=request.user, **form.values())
        except services.ComplianceError as exc:
            raise _refused(exc) from None
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses=CredentialSerializer(many=True))
    @action(detail=False, methods=["get"])
    def waiting(self, request):
        """Credentials people added themselves, waiting for you to verify them."""
        page = self.paginate_queryset(selectors.verify_queue(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=CredentialVerifySerializer, responses=CredentialSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verify a credential waiting for you, or not (with the reason the person reads)."""
        credential = selectors.verify_queue(request.user).filter(pk=self.get_object().pk).first()
        if credential is None:
            raise NotFound("This credential is not waiting for verification.")
        data = _plain(request.data)
        verified = data.get("verified")
        decision = {True: "verify", False: "reject", "true": "verify", "false": "reject"}.get(
            verified
        )
        form = VerifyCredentialForm(
            {"credential": credential.pk, "decision": decision, "reason": data.get("reason", "")}
        )
        if not form.is_valid():
            errors = _errors(form)
            if "decision" in errors:
                errors["verified"] = ["Say true to verify it or false not to"]
                del errors["decision"]
            raise ValidationError(errors)
        try:
            services.credential_verify(
                credential=credential,
                approve=decision == "verify",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except services.ComplianceError as exc:
            raise _refused(exc) from None
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(methods=["GET"], request=None, responses=StatusCheckSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=StatusCheckInSerializer,
        responses={201: StatusCheckSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="status-checks")
    def status_checks(self, request, pk=None):
        """A DBS check's Update Service status checks, newest first; POST records one."""
        credential = self.get_object()
        if request.method == "GET":
            checks = sorted(
                credential.checks.all(), key=lambda c: (c.checked_on, c.pk), reverse=True
            )
            return Response(StatusCheckSerializer(checks, many=True).data)
        form = StatusCheckForm(_plain(request.data))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        try:
            check = services.status_check_record(
                credential=credential, actor=request.user, **form.cleaned_data
            )
        except services.ComplianceError as exc:
            raise _refused(exc) from None
        return Response(StatusCheckSerializer(check).data, status=status.HTTP_201_CREATED)


# --- yours ------------------------------------------------------------------------------------


class MyCredentialViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your credentials, and adding one with its evidence for HR to verify."""

    serializer_class = CredentialSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return selectors.own_credentials(self.request.user)

    def get_serializer_context(self):
        return super().get_serializer_context() | {"on": today()}

    @extend_schema(request=MyCredentialSerializer, responses={201: CredentialSerializer})
    def create(self, request):
        """Add a credential of yours with its evidence (multipart): it counts once HR have
        verified it."""
        user = request.user
        if not user.person_id:
            raise NotFound("Your account has no staff record, so no credentials.")
        data = _plain(request.data)
        data.pop("evidence", None)
        ctype = _type(data.get("type"))
        form = _credential_form(data, request.FILES, ctype=ctype, own=True)
        try:
            credential = services.credential_record(
                person=user.person,
                type=ctype,
                actor=user,
                verified=False,
                evidence=form.cleaned_data["evidence"],
                **form.values(),
            )
        except services.ComplianceError as exc:
            raise _refused(exc) from None
        credential = selectors.own_credentials(user).get(pk=credential.pk)
        return Response(self.get_serializer(credential).data, status=status.HTTP_201_CREATED)


# --- exemptions -------------------------------------------------------------------------------


class ExemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Exemptions of the people you keep (HR officers over them)."""

    serializer_class = ExemptionSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        gates.require(request.user, "compliance.credentials")

    def get_queryset(self):
        kept = gates.credential_keeper_people(self.request.user).values("pk")
        return _person_filter(
            self.request,
            Exemption.objects.filter(person_id__in=kept)
            .select_related("requirement", "person")
            .order_by("person_id", "-starts_on", "-id"),
        )

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            raise NotFound from None
        exemption = self.get_queryset().filter(pk=pk).first()
        if exemption is None:
            raise NotFound
        return exemption

    @extend_schema(parameters=PERSON)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ExemptionInSerializer, responses={201: ExemptionSerializer})
    def create(self, request):
        """Excuse a person you keep from a requirement, with a reason, from a date to a date."""
        data = _plain(request.data)
        try:
            person_id = int(data.get("person"))
        except (TypeError, ValueError):
            raise ValidationError({"person": ["Give the person's id, a number"]}) from None
        person = gates.credential_keeper_people(request.user).filter(pk=person_id).first()
        if person is None:
            raise NotFound
        form = ExemptionForm(data)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        try:
            exemption = services.exemption_grant(
                person=person, actor=request.user, **form.cleaned_data
            )
        except services.ComplianceError as exc:
            raise _refused(exc) from None
        return Response(self.get_serializer(exemption).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExemptionEndSerializer, responses=ExemptionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End an exemption early: `on` is the last day it covers."""
        exemption = self.get_object()
        form = ExemptionEndForm(_plain(request.data))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        try:
            exemption = services.exemption_end(
                exemption=exemption, on=form.cleaned_data["on"], actor=request.user
            )
        except services.ComplianceError as exc:
            exc.field = "on" if exc.field == "ends_on" else exc.field
            raise _refused(exc) from None
        return Response(self.get_serializer(self.get_object()).data)


def register(router) -> None:
    router.register("compliance/credentials", CredentialViewSet, basename="compliance-credential")
    router.register(
        "compliance/my-credentials", MyCredentialViewSet, basename="compliance-my-credential"
    )
    router.register("compliance/exemptions", ExemptionViewSet, basename="compliance-exemption")
