"""Who decides a booking request, the approvers' queue, reminders and escalation."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from peopleplan.learning import approvals, services
from peopleplan.learning.models import Approval, Booking
from tests.factories import SessionFactory

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
