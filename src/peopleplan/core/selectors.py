"""Reads of the shared kernel. The shells decide access first (access.gates)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from peopleplan.core.models import AuditEntry

PERSON_OBJECT_TYPES = ("assignment", "equality")


def audit_entries(
    *,
    person=None,
    action: str = "",
    object_type: str = "",
    text: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor")
    if person is not None:
        entries = entries.filter(
            Q(object_type="person", object_id=str(person.pk))
            | Q(object_type__in=PERSON_OBJECT_TYPES, object_label=person.employee_number)
        )
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type__startswith=object_type)
    if text:
        entries = entries.filter(
            Q(object_label__icontains=text)
            | Q(summary__icontains=text)
            | Q(actor_label__icontains=text)
        )
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries
