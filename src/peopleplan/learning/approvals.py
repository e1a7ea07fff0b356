"""Approval of booking requests: the approvers' queue, reminders and escalation. Who decides
is `approvers.py`: the learner's line manager (as of today); L&D when the manager cannot decide;
the manager's manager as well once a request has waited the council's escalation period
(`PEOPLEPLAN["APPROVAL_ESCALATE_DAYS"]`, 5 days by default); with "line manager, then L&D", an
L&D administrator whose grant covers the learner makes the second decision. Decisions go
through `services.booking_decide`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.core.messages import message_send
from peopleplan.learning import approvers
from peopleplan.learning.messages import session_lines
from peopleplan.learning.models import Booking, BookingEvent
from peopleplan.org.models import Person

S = Booking.Status


def escalate_after() -> dt.timedelta:
    return dt.timedelta(days=settings.PEOPLEPLAN.get("APPROVAL_ESCALATE_DAYS", 5))


def approval_queue(user, *, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """The requests this user may decide now, oldest first. Each is annotated `as_ld`: whether
    the user decides it as L&D (the last decision: the second step, or in place of a manager
    who cannot decide) rather than as the learner's manager."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    as_manager = Q(pk__in=[])
    if user.person_id:
        as_manager = Q(status=S.AWAITING_APPROVAL) & (
            Q(approver_id=user.person_id)
            | Q(
                approver_reachable=True,
                escalation_id=user.person_id,
                created_at__lte=now - escalate_after(),
            )
        )
    as_ld = Q(pk__in=[])
    ld_paths = gates.scope_paths(user, (gates.LD_ADMIN,))
    if ld_paths is None or ld_paths:
        ld_waiting = Q(status=S.APPROVED) | Q(
            Q(approver_id__isnull=True) | Q(approver_reachable=False),
            status=S.AWAITING_APPROVAL,
        )
        covered = (
            Q()
            if ld_paths is None
            else Q(person__in=Person.objects.filter(gates.placed_in_q(ld_paths, on)))
        )
        # The two steps are two people's: whoever gave the manager's yes does not give L&D's.
        as_ld = ld_waiting & covered & ~Q(status=S.APPROVED, manager_step_by=user.pk)
    waiting = Booking.objects.filter(status__in=(S.AWAITING_APPROVAL, S.APPROVED)).annotate(
        manager_step_by=Subquery(
            BookingEvent.objects.filter(booking=OuterRef("pk"), to_status=S.APPROVED)
            .order_by("-at", "-id")
            .values("actor_id")[:1]
        )
    )
    return (
        approvers.with_approvers(waiting, on)
        .filter(as_manager | as_ld)
        .exclude(person_id=user.person_id)
        .annotate(
            as_ld=Case(
                When(as_manager, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .select_related("person", "session__item")
        .order_by("created_at", "id")
    )


def may_decide(user, booking: Booking, *, now: dt.datetime | None = None) -> bool:
    return approval_queue(user, now=now).filter(pk=booking.pk).exists()


def approval_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind whoever must decide a request that has waited two days or more (once a day): the
    approver, or L&D; tell the approver's own approver once when a request is escalated to
    them. Safe to run twice. Returns the reminders sent."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    sent = 0
    two_days_ago = now - dt.timedelta(days=2)
    waiting = (
        approvers.with_approvers(
            Booking.objects.filter(status__in=(S.AWAITING_APPROVAL, S.APPROVED)), on
        )
        .annotate(
            approved_at=Subquery(
                BookingEvent.objects.filter(booking=OuterRef("pk"), to_status=S.APPROVED)
                .order_by("-at")
                .values("at")[:1]
            )
        )
        .filter(
            Q(status=S.AWAITING_APPROVAL, created_at__lte=two_days_ago)
            | Q(status=S.APPROVED, approved_at__lte=two_days_ago)
        )
        .select_related("person", "session__item", "session__venue")
        .order_by("created_at", "id")
    )
    for booking in waiting:
        about = "\n".join(session_lines(booking.session, list(booking.session.parts.all())))
        asked = f"{timezone.localtime(booking.created_at):%d %B %Y}"
        by_manager = booking.status == S.AWAITING_APPROVAL and booking.approver_reachable
        if by_manager:
            manager = Person.objects.get(pk=booking.approver_id)
            to = [manager.email]
        else:
            to = [user.email for user in approvers.ld_approvers(booking.person, on)]
        for address in to:
            message_send(
                to=address,
                key=f"learning:approval-reminder:{booking.pk}:{address}:{on.isoformat()}",
                subject=f"Waiting for your approval: {booking.person.full_name}",
                body=f"{booking.person.full_name} asked on {asked} for a place on:\n\n{about}"
                "\n\nApprove or decline it in peopleplan (Approvals).",
            )
            sent += 1
        if by_manager and booking.escalation_id and booking.created_at <= now - escalate_after():
            above = Person.objects.get(pk=booking.escalation_id)
            message_send(
                to=above.email,
                key=f"learning:approval-escalated:{booking.pk}",
                subject=f"Approval needed: {booking.person.full_name} has waited "
                f"{(now - booking.created_at).days} days",
                body=f"{booking.person.full_name}'s request for a place has waited for "
                f"{manager.full_name} since {asked}:\n\n{about}\n\nYou can approve or "
                "decline it in peopleplan (Approvals).",
            )
    return sent
