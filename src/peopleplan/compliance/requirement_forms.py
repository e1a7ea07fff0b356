"""The forms of the requirements admin: a requirement (its learning items typed as codes, so
the form works without JavaScript whatever the size of the catalogue) and a credential type.
They parse and name the field; the rules that refuse a requirement are the services'
(`ComplianceError.field` puts the message on the field)."""

from __future__ import annotations

import re

from django import forms

from peopleplan.compliance.models import CredentialType, Requirement
from peopleplan.compliance.services import ComplianceError
from peopleplan.learning.forms import DATE_FORMATS
from peopleplan.learning.models import LearningItem
from peopleplan.org.models import Audience

NUMERIC = forms.NumberInput(attrs={"inputmode": "numeric"})


def _days(label: str, example: int, *, most: int = 3650, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=most,
        widget=NUMERIC,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a whole number of days, like {example}",
            "min_value": f"The {label.lower()} must be 0 days or more",
            "max_value": f"The {label.lower()} must be {most:,} days or fewer",
        },
    )


def split_codes(text: str) -> list[str]:
    """Item codes typed with commas, spaces or new lines between them, each once."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", text or ""):
        if code and code not in seen:
            seen.append(code)
    return seen


class RequirementForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="A short code that never changes, for files and the API, like SG2",
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter a code"},
    )
    name = forms.CharField(
        label="Name",
        help_text="As people will read it, like Safeguarding children level 2",
        max_length=200,
        error_messages={"required": "Enter a name"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = forms.TypedChoiceField(
        label="Who needs it",
        help_text="The audience it applies to",
        coerce=int,
        error_messages={
            "required": "Choose who needs it",
            "invalid_choice": "Choose an audience from the list",
        },
    )
    items = forms.CharField(
        label="Learning that meets it",
        help_text="The codes of the learning items, separated by commas or spaces, like "
        "SG2, SG2E. Completing any one of them meets it.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
    )
    credential_type = forms.TypedChoiceField(
        label="Or a credential that meets it",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a credential type from the list"},
    )
    validity_months = forms.IntegerField(
        label="How long it lasts, in months",
        help_text="Leave empty when it is done once and never needs renewing",
        required=False,
        min_value=1,
        max_value=600,
        widget=NUMERIC,
        error_messages={
            "invalid": "Enter how long it lasts as a whole number of months, like 36",
            "min_value": "How long it lasts must be from 1 to 600 months",
            "max_value": "How long it lasts must be from 1 to 600 months",
        },
    )
    window_days = _days(
        "Renewal window",
        90,
        help_text="It is due soon this many days before it runs out",
    )
    renew_from = forms.ChoiceField(
        label="A renewal inside the window runs from",
        choices=Requirement.RenewFrom.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what a renewal runs from",
            "invalid_choice": "Choose what a renewal runs from",
        },
    )
    grace_days = _days(
        "Grace period",
        90,
        help_text="New starters and people moving in have this many days to meet it",
    )
    applies_from = forms.DateField(
        label="Applies from (optional)",
        help_text="When it comes in, for example 1/4/2027: nobody is due before this date "
        "plus the grace period",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": "Enter the date it applies from as a real date, like 1/4/2027"},
    )
    escalate_after_days = _days(
        "Escalate after",
        28,
        help_text="Still overdue this many days after it was due: the manager's manager is told",
    )
    is_active = forms.BooleanField(
        label="In force", help_text="Untick to stop it applying to anyone", required=False
    )

    def __init__(
        self,
        *args,
        audiences: list[Audience],
        credential_types: list[CredentialType],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.audiences = {a.pk: a for a in audiences}
        self.credential_types = {c.pk: c for c in credential_types}
        self.fields["audience"].choices = [("", "Choose an audience")] + [
            (a.pk, a.name) for a in audiences
        ]
        self.fields["credential_type"].choices = [("", "None")] + [
            (c.pk, c.name) for c in credential_types
        ]
        self.found_items: list[LearningItem] = []

    def clean_items(self) -> list[str]:
        codes = split_codes(self.cleaned_data.get("items", ""))
        found = {i.code: i for i in LearningItem.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                f"There is no learning item with the code {unknown[0]}"
                if len(unknown) == 1
                else f"There are no learning items with the codes {', '.join(unknown)}"
            )
        self.found_items = [found[c] for c in codes]
        return codes

    def service_fields(self) -> dict:
        """What the services take, from a valid form."""
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "description": data["description"],
            "audience": self.audiences[data["audience"]],
            "items": self.found_items,
            "credential_type": self.credential_types.get(data["credential_type"]),
            "validity_months": data["validity_months"],
            "window_days": data["window_days"],
            "renew_from": data["renew_from"],
            "grace_days": data["grace_days"],
            "applies_from": data["applies_from"],
            "escalate_after_days": data["escalate_after_days"],
            "is_active": data["is_active"],
        }

    def refused(self, error: ComplianceError) -> None:
        """Put a service's refusal on its field."""
        self.add_error(error.field if error.field in self.fields else None, str(error).rstrip("."))

    @staticmethod
    def initial_for(req: Requirement | None) -> dict:
        if req is None:
            return {
                "window_days": 90,
                "grace_days": 90,
                "escalate_after_days": 28,
                "renew_from": Requirement.RenewFrom.EXPIRY,
                "is_active": True,
            }
        return {
            "code": req.code,
            "name": req.name,
            "description": req.description,
            "audience": req.audience_id,
            "items": ", ".join(i.code for i in req.items.all()),
            "credential_type": req.credential_type_id,
            "validity_months": req.validity_months,
            "window_days": req.window_days,
            "renew_from": req.renew_from,
            "grace_days": req.grace_days,
            "applies_from": req.applies_from,
            "escalate_after_days": req.escalate_after_days,
            "is_active": req.is_active,
        }


class CredentialTypeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="A short code that never changes, like DBS-ENH",
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter a code"},
    )
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name"}
    )
    kind = forms.ChoiceField(
        label="What kind of credential is it?",
        choices=CredentialType.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of credential it is",
            "invalid_choice": "Choose what kind of credential it is",
        },
    )
    body = forms.CharField(
        label="Who issues it (optional)",
        help_text="Like Social Work England, or the Disclosure and Barring Service",
        max_length=200,
        required=False,
    )
    recheck_months = forms.IntegerField(
        label="Re-check after, in months (optional)",
        help_text="When one has no expiry date of its own, it lapses this many months after "
        "its issue (36 for a DBS check). Leave empty: it does not lapse",
        required=False,
        min_value=1,
        max_value=600,
        widget=NUMERIC,
        error_messages={
            "invalid": "Enter the re-check period as a whole number of months, like 36",
            "min_value": "The re-check period must be from 1 to 600 months",
            "max_value": "The re-check period must be from 1 to 600 months",
        },
    )
    expiry_required = forms.BooleanField(
        label="Each one has its own expiry date",
        help_text="Like a professional registration",
        required=False,
    )

    def refused(self, error: ComplianceError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error).rstrip("."))

    @staticmethod
    def initial_for(kind: CredentialType | None) -> dict:
        if kind is None:
            return {}
        return {
            f: getattr(kind, f)
            for f in ("code", "name", "kind", "body", "recheck_months", "expiry_required")
        }
