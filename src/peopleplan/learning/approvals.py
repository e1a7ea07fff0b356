"""Approval of booking requests: who decides, the approvers' queue, reminders and escalation.

The line manager (as of today) decides a request waiting for approval; a request left for the
council's escalation period (`PEOPLEPLAN["APPROVAL_ESCALATE_DAYS"]`, 5 days by default) goes up
to the manager's manager as well. With "line manager, then L&D", an L&D administrator whose grant
covers the learner makes the second decision. Decisions go through `services.booking_decide`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.core.messages import message_send
from peopleplan.learning.messages import session_lines
from peopleplan.learning.models import Booking
from peopleplan.org.models import Assignment, Person

S = Booking.Status


def escalate_after() -> dt.timedelta:
    return dt.timedelta(days=settings.PEOPLEPLAN.get("APPROVAL_ESCALATE_DAYS", 5))


def _managed_by(manager_id: int, on: dt.date):
    """People whose current job reports to this manager."""
    return Assignment.objects.current_on(on).filter(line_manager_id=manager_id)


def approval_queue(user, *, now: dt.datetime | None = None) -> QuerySet[Booking]:
    """The requests this user may decide now, oldest first."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    q = Q(pk__in=[])
    if user.person_id:
        direct = _managed_by(user.person_id, on).filter(person=OuterRef("person"))
        # The manager's manager sees a request left too long: the learner's manager is one
        # of theirs.
        theirs = _managed_by(user.person_id, on).values("person_id")
        above = Assignment.objects.current_on(on).filter(
            person=OuterRef("person"), line_manager_id__in=theirs
        )
        q |= Q(status=S.AWAITING_APPROVAL) & (
            Q(Exists(direct)) | Q(Exists(above), created_at__lte=now - escalate_after())
        )
    ld_paths = gates.scope_paths(user, (gates.LD_ADMIN,))
    if ld_paths is None:
        q |= Q(status=S.APPROVED)
    elif ld_paths:
        covered = gates.placed_in_q(ld_paths, on)
        q |= Q(status=S.APPROVED, person__in=Person.objects.filter(covered))
    return (
        Booking.objects.filter(q)
        .exclude(person_id=user.person_id)
        .select_related("person", "session__item")
        .order_by("created_at", "id")
    )


def may_decide(user, booking: Booking, *, now: dt.datetime | None = None) -> bool:
    return approval_queue(user, now=now).filter(pk=booking.pk).exists()


def approval_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind approvers of requests waiting two days or more (once a day), and tell the
    manager's manager once when a request is escalated to them. Safe to run twice."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    sent = 0
    waiting = Booking.objects.filter(
        status=S.AWAITING_APPROVAL, created_at__lte=now - dt.timedelta(days=2)
    ).select_related("person", "session__item", "session__venue")
    for booking in waiting:
        job = (
            Assignment.objects.current_on(on)
            .filter(person=booking.person, line_manager__isnull=False)
            .select_related("line_manager")
            .first()
        )
        if job is None:
            continue
        about = "\n".join(session_lines(booking.session, list(booking.session.parts.all())))
        message_send(
            to=job.line_manager.email,
            key=f"learning:approval-reminder:{booking.pk}:{on.isoformat()}",
            subject=f"Waiting for your approval: {booking.person.full_name}",
            body=f"{booking.person.full_name} asked on "
            f"{timezone.localtime(booking.created_at):%d %B %Y} for a place on:\n\n{about}"
            "\n\nApprove or decline it in peopleplan (Approvals).",
        )
        sent += 1
        if booking.created_at <= now - escalate_after():
            above = (
                Assignment.objects.current_on(on)
                .filter(person=job.line_manager, line_manager__isnull=False)
                .select_related("line_manager")
                .first()
            )
            if above is not None:
                message_send(
                    to=above.line_manager.email,
                    key=f"learning:approval-escalated:{booking.pk}",
                    subject=f"Approval needed: {booking.person.full_name} has waited "
                    f"{(now - booking.created_at).days} days",
                    body=f"{booking.person.full_name}'s request for a place has waited for "
                    f"{job.line_manager.full_name} since "
                    f"{timezone.localtime(booking.created_at):%d %B %Y}:\n\n{about}\n\nYou can "
                    "approve or decline it in peopleplan (Approvals).",
                )
    return sent
