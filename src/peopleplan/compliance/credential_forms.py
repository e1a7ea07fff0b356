"""The forms of credentials, status checks and exemptions. A credential's form is made for its
type: the fields of a DBS check (level, workforce, Update Service and its renewal) are there
only for a DBS check. The services check the rules; their `ComplianceError.field` puts each
refusal on its field (`place_error`)."""

from __future__ import annotations

from django import forms

from peopleplan.core.dates import today

from .models import Credential, CredentialType, Requirement, StatusCheck

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
DATE_HINT = "For example, 27 3 2025 or 2025-03-27."
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".txt")


def date_field(label: str, *, required: bool, missing: str = "", hint: str = DATE_HINT):
    return forms.DateField(
        label=label,
        help_text=hint,
        required=required,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": missing or f"Enter the {label.lower()}",
            "invalid": "Enter a real date, like 2025-03-27",
        },
    )


def place_error(form: forms.Form, exc) -> None:
    """A service's refusal, on the field it names (or the whole form)."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


class ChooseTypeForm(forms.Form):
    type = forms.ModelChoiceField(
        label="What kind of credential is it?",
        queryset=CredentialType.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the kind of credential",
            "invalid_choice": "Select the kind of credential",
        },
    )


class CredentialForm(forms.Form):
    """One credential of `ctype`. `evidence` is asked for (and needed) when a person adds their
    own; HR's form has notes instead."""

    def __init__(self, *args, ctype: CredentialType, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.ctype = ctype
        is_dbs = ctype.kind == CredentialType.Kind.DBS
        if is_dbs:
            number_label, number_hint = "Certificate number", "The 12 digits on the certificate."
        elif ctype.kind == CredentialType.Kind.REGISTRATION:
            number_label = "Registration number"
            number_hint = f"As {ctype.body} gives it." if ctype.body else ""
        else:
            number_label, number_hint = "Certificate number (optional)", ""
        self.fields["number"] = forms.CharField(
            label=number_label,
            help_text=number_hint,
            max_length=100,
            required=ctype.kind != CredentialType.Kind.CERTIFICATE,
            error_messages={"required": f"Enter the {number_label.lower()}"},
        )
        self.fields["issued_on"] = date_field("Date of issue", required=True)
        if ctype.expiry_required:
            expiry_label, expiry_hint = "Expiry date", DATE_HINT
        elif ctype.recheck_months:
            expiry_label = "Expiry date (optional)"
            expiry_hint = (
                f"Leave blank when it has none: it is re-checked {ctype.recheck_months} months "
                "after its issue by policy."
            )
        else:
            expiry_label, expiry_hint = "Expiry date (optional)", "Leave blank when it has none."
        self.fields["expires_on"] = date_field(
            expiry_label, required=ctype.expiry_required, hint=expiry_hint
        )
        if is_dbs:
            self.fields["dbs_level"] = forms.ChoiceField(
                label="Level of the check",
                choices=Credential._meta.get_field("dbs_level").choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the level of the DBS check"},
            )
            self.fields["workforce"] = forms.ChoiceField(
                label="Workforce",
                choices=Credential.Workforce.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the workforce the DBS check is for"},
            )
            self.fields["update_service"] = forms.BooleanField(
                label="Subscribed to the DBS Update Service", required=False
            )
            self.fields["update_service_renews_on"] = date_field(
                "Update Service renewal date (optional)",
                required=False,
                hint="When the yearly subscription renews. " + DATE_HINT,
            )
        if own:
            self.fields["evidence"] = forms.FileField(
                label="Upload the certificate or other evidence",
                help_text="A PDF, image or document, up to 10 MB.",
                error_messages={"required": "Upload the certificate or other evidence"},
            )
        else:
            self.fields["notes"] = forms.CharField(
                label="Notes (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean_number(self):
        return self.cleaned_data["number"].strip().replace(" ", "")

    def clean_issued_on(self):
        value = self.cleaned_data["issued_on"]
        if value and value > today():
            raise forms.ValidationError("The date of issue must be today or in the past")
        return value

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        if not upload.name.lower().endswith(EVIDENCE_SUFFIXES):
            raise forms.ValidationError("The evidence must be a PDF, image or document")
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The evidence must be smaller than 10 MB")
        return upload

    def values(self) -> dict:
        """The credential's fields, for `credential_record` and `credential_update`."""
        return {k: v for k, v in self.cleaned_data.items() if k != "evidence"}


class StatusCheckForm(forms.Form):
    checked_on = date_field("Date of the check", required=True)
    result = forms.ChoiceField(
        label="What did the check find?",
        choices=StatusCheck.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the status check found"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyCredentialForm(forms.Form):
    credential = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Do you verify this credential?",
        choices=[("verify", "Yes, verify it"), ("reject", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you verify this credential"},
    )
    reason = forms.CharField(
        label="Reason (needed if you do not verify it)", required=False, max_length=2000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for not verifying it")
        return data


class ExemptionForm(forms.Form):
    requirement = forms.ModelChoiceField(
        label="Which requirement is the person exempt from?",
        queryset=Requirement.objects.filter(is_active=True),
        empty_label="Choose a requirement",
        error_messages={
            "required": "Choose the requirement",
            "invalid_choice": "Choose the requirement",
        },
    )
    reason = forms.CharField(
        label="Why are they exempt?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the exemption"},
    )
    starts_on = date_field("From", required=True, missing="Enter the date the exemption starts")
    ends_on = date_field("To", required=True, missing="Enter the date the exemption ends")


class ExemptionEndForm(forms.Form):
    on = date_field(
        "Last day of the exemption",
        required=True,
        missing="Enter the last day the exemption covers",
    )
