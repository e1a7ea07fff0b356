"""The audit log: council-wide for HR officers and system administrators; one person's history
for whoever may see both that person and the audit log over them."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from peopleplan.access import gates
from peopleplan.core import selectors
from peopleplan.core.models import AuditEntry


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any"), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(
        label="About",
        required=False,
        choices=[
            ("", "Anything"),
            ("person", "People"),
            ("assignment", "Assignments"),
            ("equality", "Equality data"),
            ("unit", "Units"),
            ("rolegrant", "Role grants"),
            ("import", "Imports"),
            ("export", "Exports"),
        ],
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data


def audit(request):
    person = None
    person_id = request.GET.get("person") or (
        request.GET.get("object_id") if request.GET.get("object_type") == "person" else None
    )
    if person_id:
        person = gates.access_person_for_user(request.user, person_id)
        if not gates.can_view_audit_of(request.user, person):
            gates.require(request.user, "audit.view_all")
    else:
        gates.require(request.user, "audit.view_all")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.audit_entries(
        person=person,
        action=filters.get("action", ""),
        object_type="" if person else filters.get("object_type", ""),
        text=filters.get("q", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page, "person": person})
