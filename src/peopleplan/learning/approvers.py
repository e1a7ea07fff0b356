"""Who decides a booking request. The approvers' queue (`approvals.py`), the "approval needed"
emails (`messages.py`) and the reminders all ask here, so they always agree.

- The approver is the line manager of the learner's current primary job; when that job has no
  line manager, of their other current job that started first.
- An approver who has left, or has no active login, cannot decide: the request then goes to
  the L&D administrators whose grant covers the learner, who decide it as the only step.
- A request left for the escalation period goes up to the approver's own approver as well.
- With "line manager, then L&D", the manager's yes sends the request to the L&D administrators
  covering the learner.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from peopleplan.access import gates
from peopleplan.access.models import User
from peopleplan.org.models import Assignment, Person

# The order in which a person's current jobs are asked for their line manager.
JOB_ORDER = ("-is_primary", "start_date", "id")


def _managers(on: dt.date):
    return Assignment.objects.current_on(on).filter(line_manager__isnull=False).order_by(*JOB_ORDER)


def _reachable_users(on: dt.date):
    return User.objects.filter(is_active=True).filter(
        Q(person__leaving_date__isnull=True) | Q(person__leaving_date__gt=on)
    )


def with_approvers(bookings: QuerySet, on: dt.date) -> QuerySet:
    """Annotate each booking with `approver_id` (the learner's approver, reachable or not),
    `approver_reachable`, and `escalation_id` (the approver's own approver), in the query."""
    return bookings.annotate(
        approver_id=Subquery(
            _managers(on).filter(person_id=OuterRef("person_id")).values("line_manager_id")[:1]
        )
    ).annotate(
        approver_reachable=Exists(_reachable_users(on).filter(person_id=OuterRef("approver_id"))),
        escalation_id=Subquery(
            _managers(on).filter(person_id=OuterRef("approver_id")).values("line_manager_id")[:1]
        ),
    )


def manager_of(person: Person | int, on: dt.date) -> Person | None:
    """The person's approver (the line manager of their first job in `JOB_ORDER`), reachable
    or not."""
    pk = person if isinstance(person, int) else person.pk
    job = _managers(on).filter(person_id=pk).select_related("line_manager").first()
    return job.line_manager if job else None


def is_reachable(person: Person, on: dt.date) -> bool:
    return _reachable_users(on).filter(person=person).exists()


def approver_of(person: Person | int, on: dt.date) -> Person | None:
    """Who decides the person's requests: their line manager, when reachable."""
    manager = manager_of(person, on)
    return manager if manager is not None and is_reachable(manager, on) else None


def ld_approvers(person: Person | int, on: dt.date) -> list[User]:
    """The L&D administrators whose grant covers the person."""
    return list(gates.role_holders_over(person, gates.LD_ADMIN, on))


def approval_emails(person: Person | int, on: dt.date) -> list[str]:
    """Where a request from this person waiting for its first decision is sent: the approver,
    or the L&D administrators covering the person when the approver cannot decide."""
    approver = approver_of(person, on)
    if approver is not None:
        return [approver.email] if approver.email else []
    return [user.email for user in ld_approvers(person, on)]
