"""Compliance in the Django admin, for council-wide system administrators.

Requirements and credential types can be changed here, through the services (the same checks
as the requirements pages, the audit log, and everyone's dates worked out again). Credentials,
status checks and exemptions are read only here: HR record them on their pages, where the
services check them, log them and rebuild the achievements. Achievements are derived and never
edited."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from peopleplan.compliance import services
from peopleplan.compliance.models import (
    Achievement,
    Credential,
    CredentialType,
    Exemption,
    Requirement,
    StatusCheck,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _refuse(form: forms.ModelForm, error: services.ComplianceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


class CredentialTypeAdminForm(forms.ModelForm):
    class Meta:
        model = CredentialType
        fields = services.CREDENTIAL_TYPE_FIELDS

    def clean(self):
        data = super().clean()
        if not self.errors:
            kind = CredentialType(pk=self.instance.pk, **data)
            try:
                services.credential_type_check(kind)
            except services.ComplianceError as error:
                _refuse(self, error)
        return data


@admin.register(CredentialType)
class CredentialTypeAdmin(admin.ModelAdmin):
    form = CredentialTypeAdminForm
    list_display = ("name", "code", "kind", "body", "recheck_months", "expiry_required")
    list_filter = ("kind",)
    search_fields = ("code", "name", "body")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.CREDENTIAL_TYPE_FIELDS}
        if change:
            original = CredentialType.objects.get(pk=obj.pk)
            services.credential_type_update(credential_type=original, actor=request.user, **fields)
        else:
            obj.pk = services.credential_type_create(actor=request.user, **fields).pk


class RequirementAdminForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ("code", "audience", "items", "credential_type", *services.REQUIREMENT_FIELDS)

    def clean(self):
        data = super().clean()
        if not self.errors:
            req = Requirement(
                pk=self.instance.pk,
                code=data["code"],
                audience=data["audience"],
                credential_type=data.get("credential_type"),
                **{f: data.get(f) for f in services.REQUIREMENT_FIELDS},
            )
            try:
                services.requirement_check(req, list(data.get("items") or []))
            except services.ComplianceError as error:
                _refuse(self, error)
        return data


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    form = RequirementAdminForm
    list_display = ("name", "code", "audience", "credential_type", "validity_months", "is_active")
    list_filter = ("is_active", "credential_type")
    search_fields = ("code", "name")
    autocomplete_fields = ("items",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Saved in `save_related`, with its items, by the services."""

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        fields = {f: data[f] for f in services.REQUIREMENT_FIELDS}
        if change:
            services.requirement_update(
                requirement=form.instance,
                actor=request.user,
                audience=data["audience"],
                items=list(data["items"]),
                credential_type=data["credential_type"],
                **fields,
            )
        else:
            form.instance.pk = services.requirement_create(
                actor=request.user,
                code=data["code"],
                audience=data["audience"],
                items=list(data["items"]),
                credential_type=data["credential_type"],
                **fields,
            ).pk


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ("person", "type", "issued_on", "expires_on", "status")
    list_filter = ("type", "status")
    search_fields = ("person__employee_number", "person__last_name", "number")
    raw_id_fields = ("person",)


@admin.register(StatusCheck)
class StatusCheckAdmin(ReadOnlyAdmin):
    list_display = ("credential", "checked_on", "result")
    list_filter = ("result",)
    raw_id_fields = ("credential",)


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdmin):
    list_display = ("person", "requirement", "starts_on", "ends_on")
    list_filter = ("requirement",)
    search_fields = ("person__employee_number", "person__last_name")
    raw_id_fields = ("person",)


@admin.register(Achievement)
class AchievementAdmin(ReadOnlyAdmin):
    list_display = ("person", "requirement", "achieved_on", "valid_until", "held_until", "label")
    list_filter = ("requirement",)
    search_fields = ("person__employee_number", "person__last_name")
    raw_id_fields = ("person",)
