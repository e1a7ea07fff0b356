"""The record of learning: a person's completions, their development days and CPD hours this
financial year against the council's target, learning they log themselves with evidence, and
its verification by their line manager or L&D.

Who may open a record is the access gates' answer (`access_learning_record_person`): the person,
their managers, and L&D administrators and HR officers whose grant covers them.
Who may verify self-logged learning: the person's line manager (directly or through others)
and an L&D administrator whose grant covers the person; never the person themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import (
    financial_year_end,
    financial_year_label,
    financial_year_start,
    today,
)
from peopleplan.learning.models import Booking, Completion
from peopleplan.learning.services import actor_user
from peopleplan.org.models import Person

C = Completion
ZERO = Decimal("0")


class RecordError(ValueError):
    """A change to the record the rules refuse, with a message for the person."""


def development_days_target() -> Decimal:
    """The council's development days a year (five unless the council sets its own)."""
    return Decimal(str(settings.PEOPLEPLAN.get("DEVELOPMENT_DAYS_TARGET", 5)))


# --- reading the record ----------------------------------------------------------------------


def person_completions(person: Person | int) -> QuerySet[Completion]:
    """Every completion of the person, newest first (one query however long the record)."""
    pk = person if isinstance(person, int) else person.pk
    return (
        Completion.objects.filter(person_id=pk)
        .select_related("item", "verified_by")
        .order_by("-completed_on", "-id")
    )


@dataclass(frozen=True)
class YearSummary:
    label: str
    start: dt.date
    end: dt.date
    development_days: Decimal
    hours: Decimal
    target: Decimal
    pending: int

    @property
    def days_to_go(self) -> Decimal:
        return max(self.target - self.development_days, ZERO)

    @property
    def met(self) -> bool:
        return self.development_days >= self.target

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(100, int(self.development_days * 100 / self.target))


def year_summary(person: Person | int, on: dt.date | None = None) -> YearSummary:
    """Development days and CPD hours in the financial year of `on` (today): verified
    completions only; learning waiting for verification is counted apart."""
    on = on or today()
    start, end = financial_year_start(on), financial_year_end(on)
    pk = person if isinstance(person, int) else person.pk
    totals = Completion.objects.filter(person_id=pk, completed_on__range=(start, end)).aggregate(
        days=Coalesce(Sum("development_days", filter=Q(status=C.Status.VERIFIED)), ZERO),
        hours=Coalesce(Sum("hours", filter=Q(status=C.Status.VERIFIED)), ZERO),
        pending=Count("pk", filter=Q(status=C.Status.PENDING)),
    )
    return YearSummary(
        label=financial_year_label(on),
        start=start,
        end=end,
        development_days=Decimal(totals["days"]),
        hours=Decimal(totals["hours"]),
        target=development_days_target(),
        pending=totals["pending"],
    )


def _sum_subquery(field: str, start: dt.date, end: dt.date) -> Subquery:
    total = (
        Completion.objects.filter(
            person_id=OuterRef("pk"),
            status=C.Status.VERIFIED,
            completed_on__range=(start, end),
        )
        .order_by()
        .values("person_id")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=DecimalField()),
        Value(ZERO),
        output_field=DecimalField(),
    )


def _count_subquery(q: Q) -> Subquery:
    count = (
        Booking.objects.filter(q, person_id=OuterRef("pk"))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def team_learning(manager: Person | int, on: dt.date | None = None) -> QuerySet[Person]:
    """Everyone reporting to the manager today (directly or through others), each with their
    development days and CPD hours this financial year, no-shows, late cancellations and
    learning waiting for verification: one query whatever the size of the team."""
    on = on or today()
    manager_id = manager if isinstance(manager, int) else manager.pk
    start, end = financial_year_start(on), financial_year_end(on)
    pending = (
        Completion.objects.filter(person_id=OuterRef("pk"), status=C.Status.PENDING)
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Person.objects.filter(gates.reports_q(manager_id, on))
        .annotate(
            year_days=_sum_subquery("development_days", start, end),
            year_hours=_sum_subquery("hours", start, end),
            no_shows=_count_subquery(Q(status=Booking.Status.NO_SHOW)),
            late_cancellations=_count_subquery(
                Q(status=Booking.Status.CANCELLED, is_late_cancellation=True)
                & ~Q(cancelled_by=Booking.CancelledBy.SESSION)
            ),
            pending=Coalesce(Subquery(pending, output_field=IntegerField()), Value(0)),
        )
        .order_by("last_name", "first_name", "pk")
    )


# --- who may verify and see what ------------------------------------------------------------


def may_verify_anyone(user) -> bool:
    return gates.has_role(user, gates.LD_ADMIN) or gates.is_manager(user)


def can_verify(user, completion: Completion) -> bool:
    return gates.verifiable_people(user).filter(pk=completion.person_id).exists()


def verify_queue(user) -> QuerySet[Completion]:
    """Self-logged learning waiting for the user's verification, oldest first."""
    return (
        Completion.objects.filter(status=C.Status.PENDING)
        .filter(person__in=gates.verifiable_people(user).values("pk"))
        .select_related("person")
        .order_by("created_at", "id")
    )


def access_completion_for_user(user, completion_id) -> Completion:
    """A completion on a record the user may see; otherwise the same 404 as for none."""
    try:
        pk = int(completion_id)
    except (TypeError, ValueError):
        raise Http404 from None
    completion = (
        Completion.objects.filter(
            pk=pk, person__in=gates.learning_record_people_for_user(user).values("pk")
        )
        .select_related("item", "person", "verified_by", "item__provider")
        .first()
    )
    if completion is None:
        raise Http404
    return completion


def can_see_evidence(user, completion: Completion) -> bool:
    return can_see_evidence_of(user, completion.person_id)


def can_see_evidence_of(user, person_id: int) -> bool:
    """Evidence is for the person and those who verify their learning."""
    if user.person_id and person_id == user.person_id:
        return True
    return gates.verifiable_people(user).filter(pk=person_id).exists()


# --- writing ---------------------------------------------------------------------------------


@transaction.atomic
def completion_log(
    *,
    person: Person,
    title: str,
    completed_on: dt.date,
    hours: Decimal,
    actor: Any,
    learning_notes: str = "",
    development_days: Decimal = ZERO,
    evidence: UploadedFile | None = None,
    now: dt.datetime | None = None,
) -> Completion:
    """Learning the person logs themselves (an external course, a conference, reading, CPD):
    it waits for their line manager or L&D to verify it before it counts."""
    now = now or timezone.now()
    title = title.strip()
    if not title:
        raise RecordError("Enter what the learning was.")
    if completed_on > timezone.localdate(now):
        raise RecordError("The date must be today or in the past.")
    if hours < 0 or development_days < 0:
        raise RecordError("Hours and development days must not be negative.")
    completion = Completion(
        person=person,
        title=title[:200],
        completed_on=completed_on,
        hours=hours,
        development_days=development_days,
        learning_notes=learning_notes,
        source=C.Source.SELF_LOGGED,
        status=C.Status.PENDING,
        created_by=actor_user(actor),
        created_at=now,
    )
    if evidence is not None:
        completion.evidence.save(evidence.name, evidence, save=False)
    completion.save()
    audit_record(
        actor=actor,
        action="create",
        object_type="learning.completion",
        object_id=completion.pk,
        object_label=f"{person.full_name}: {completion.title}",
        summary="Learning logged, waiting for verification",
        after={
            "title": completion.title,
            "completed_on": completed_on,
            "hours": hours,
            "development_days": development_days,
            "evidence": completion.evidence.name or "",
        },
    )
    return completion


@transaction.atomic
def completion_verify(
    *,
    completion: Completion,
    approve: bool,
    actor: Any,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Completion:
    """Verify (or not, with the reason) learning a person logged."""
    now = now or timezone.now()
    completion = Completion.objects.select_for_update().get(pk=completion.pk)
    if completion.source != C.Source.SELF_LOGGED or completion.status != C.Status.PENDING:
        raise RecordError("This learning is not waiting for verification.")
    if getattr(actor, "person_id", None) and actor.person_id == completion.person_id:
        raise RecordError("You cannot verify your own learning.")
    reason = reason.strip()
    if not approve and not reason:
        raise RecordError("Give a reason for not verifying it.")
    before = {"status": completion.status}
    completion.status = C.Status.VERIFIED if approve else C.Status.REJECTED
    completion.rejected_reason = "" if approve else reason
    completion.verified_by = actor_user(actor)
    completion.verified_at = now
    completion.save(update_fields=["status", "rejected_reason", "verified_by", "verified_at"])
    audit_record(
        actor=actor,
        action="verify" if approve else "reject",
        object_type="learning.completion",
        object_id=completion.pk,
        object_label=completion.title,
        summary="Verified" if approve else f"Not verified: {reason}",
        before=before,
        after={"status": completion.status, "reason": completion.rejected_reason},
    )
    return completion
