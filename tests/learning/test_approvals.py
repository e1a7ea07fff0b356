"""Who decides a booking request, the approvers' queue, reminders and escalation."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.access.models import RoleGrant
from peopleplan.learning import approvals, services
from peopleplan.learning.models import Approval, Booking
from tests.factories import AssignmentFactory, SessionFactory

S = Booking.Status


@pytest.fixture
def request_from_learner(cast):
    session = SessionFactory(approval=Approval.MANAGER_THEN_LD)
    created = timezone.now() - dt.timedelta(days=1)
    return services.booking_create(
        session=session, person=cast.learner.person, actor=cast.learner, now=created
    )


def queue(user, **kwargs):
    return list(approvals.approval_queue(user, **kwargs))


def test_the_line_manager_decides_first(cast, request_from_learner):
    assert queue(cast.manager) == [request_from_learner]
    for other in ("learner", "senior_manager", "outsider", "ld_admin", "hr_officer"):
        assert queue(getattr(cast, other)) == [], other


def test_a_request_left_too_long_goes_up_to_the_managers_manager(cast, request_from_learner):
    later = timezone.now() + dt.timedelta(days=5)
    assert queue(cast.senior_manager, now=later) == [request_from_learner]
    assert queue(cast.manager, now=later) == [request_from_learner]


def test_then_ld_decides(cast, request_from_learner):
    services.booking_decide(booking=request_from_learner, approve=True, actor=cast.manager)
    assert queue(cast.manager) == []
    assert queue(cast.ld_admin) == [request_from_learner]
    assert approvals.may_decide(cast.ld_admin, request_from_learner)
    assert not approvals.may_decide(cast.hr_officer, request_from_learner)
    booking = services.booking_decide(
        booking=request_from_learner, approve=True, actor=cast.ld_admin, ld_step=True
    )
    assert booking.status == S.BOOKED


def test_reminders_and_escalation_are_sent_once(
    cast, request_from_learner, django_capture_on_commit_callbacks
):
    Booking.objects.filter(pk=request_from_learner.pk).update(
        created_at=timezone.now() - dt.timedelta(days=6)
    )
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_approval_reminders", stdout=io.StringIO())
    to = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert to == [
        (cast.manager.person.email, "Waiting for your approval"),
        (cast.senior_manager.person.email, "Approval needed"),
    ]


# --- who decides: the primary job's manager, L&D when the manager cannot decide ------------


def _second_job(person, manager, *, primary=False, start=dt.date(2019, 4, 1)):
    return AssignmentFactory(
        person=person,
        unit=cast_unit(person),
        line_manager=manager,
        is_primary=primary,
        start_date=start,
    )


def cast_unit(person):
    return person.assignments.first().unit


def test_the_primary_jobs_manager_decides_in_the_queue_and_the_emails(
    cast, django_capture_on_commit_callbacks
):
    """A learner with a second job has one approver, the primary job's manager, wherever it
    is asked: the queue, the email and the reminders."""
    cast.learner.person.assignments.update(is_primary=False)
    _second_job(cast.learner.person, cast.outsider.person, primary=True)
    session = SessionFactory(approval=Approval.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            session=session, person=cast.learner.person, actor=cast.learner
        )
    assert [m.to for m in mail.outbox] == [[cast.outsider.person.email]]
    assert queue(cast.outsider) == [booking]
    assert queue(cast.manager) == []


def test_a_manager_who_cannot_sign_in_leaves_the_decision_to_ld(
    cast, django_capture_on_commit_callbacks
):
    cast.manager.is_active = False
    cast.manager.save()
    session = SessionFactory(approval=Approval.MANAGER_THEN_LD)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            session=session, person=cast.learner.person, actor=cast.learner
        )
    assert [m.to for m in mail.outbox] == [[cast.ld_admin.email]]
    assert mail.outbox[0].subject.startswith("Approval needed:")
    (row,) = queue(cast.ld_admin)
    assert row == booking and row.as_ld
    assert queue(cast.senior_manager, now=timezone.now() + dt.timedelta(days=9)) == []
    # L&D's yes is the last: no second step after it.
    booked = services.booking_decide(booking=row, approve=True, actor=cast.ld_admin, ld_step=True)
    assert booked.status == S.BOOKED


def test_a_learner_with_no_manager_goes_to_ld(cast):
    cast.learner.person.assignments.update(line_manager=None)
    session = SessionFactory(approval=Approval.MANAGER)
    booking = services.booking_create(
        session=session, person=cast.learner.person, actor=cast.learner
    )
    assert queue(cast.ld_admin) == [booking]
    assert queue(cast.manager) == []


def test_ld_scoped_elsewhere_does_not_get_the_fallback(cast):
    cast.learner.person.assignments.update(line_manager=None)
    RoleGrant.objects.filter(user=cast.ld_admin).update(unit=cast.childrens)
    session = SessionFactory(approval=Approval.MANAGER)
    services.booking_create(session=session, person=cast.learner.person, actor=cast.learner)
    assert queue(cast.ld_admin) == []


def test_the_managers_yes_tells_ld_and_the_learner(
    cast, request_from_learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(booking=request_from_learner, approve=True, actor=cast.manager)
    sent = sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)
    assert sent == [
        (cast.ld_admin.email, "Approval needed (L&D)"),
        (cast.learner.person.email, "Approved by your manager"),
    ]
    (row,) = queue(cast.ld_admin)
    assert row.as_ld


def test_ld_is_reminded_of_requests_waiting_for_it(
    cast, request_from_learner, django_capture_on_commit_callbacks
):
    services.booking_decide(
        booking=request_from_learner,
        approve=True,
        actor=cast.manager,
        now=timezone.now() - dt.timedelta(days=3),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_approval_reminders", stdout=io.StringIO())
    assert [(m.to[0], m.subject.split(":")[0]) for m in mail.outbox] == [
        (cast.ld_admin.email, "Waiting for your approval")
    ]


def test_a_manager_deciding_for_their_report_is_not_an_ld_decision(cast, request_from_learner):
    """An L&D administrator who is also the learner's manager decides the first step as the
    manager."""
    RoleGrant.objects.create(user=cast.manager, role=RoleGrant.Role.LD_ADMIN)
    gates.forget_grants(cast.manager)
    (row,) = queue(cast.manager)
    assert not row.as_ld


def test_whoever_gave_the_managers_yes_does_not_give_lds(cast, request_from_learner):
    RoleGrant.objects.create(user=cast.manager, role=RoleGrant.Role.LD_ADMIN)
    gates.forget_grants(cast.manager)
    services.booking_decide(booking=request_from_learner, approve=True, actor=cast.manager)
    assert queue(cast.manager) == []
    assert queue(cast.ld_admin) == [request_from_learner]
