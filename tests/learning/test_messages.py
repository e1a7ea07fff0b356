"""What people are told: plain-English emails with a calendar invite that follows the session,
sent once the change is committed; reminders sent once however often the command runs."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend
from icalendar import Calendar

from peopleplan.learning import services
from peopleplan.learning.models import Approval
from tests.factories import AssignmentFactory, SessionFactory, UserFactory


@pytest.fixture
def learner(db):
    manager = AssignmentFactory().person
    UserFactory(person=manager, email=manager.email)  # a manager who can sign in to decide
    return AssignmentFactory(line_manager=manager).person


def invite(message) -> Calendar:
    (name, content, mimetype), *_ = message.attachments
    assert name == "invite.ics" and mimetype == "text/calendar"
    return Calendar.from_ical(content)


def test_booked_then_cancelled_updates_the_same_invite(learner, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(session=session, person=learner, actor=None)
    (booked,) = mail.outbox
    assert booked.to == [learner.email] and booked.subject.startswith("Booked:")
    assert f"Dear {learner.first_name}" in booked.body
    first = invite(booked)
    assert first["METHOD"] == "REQUEST"
    (event,) = first.walk("VEVENT")

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, actor=None, by="learner", reason="Clash")
    cancelled = mail.outbox[1]
    assert (
        cancelled.subject.startswith("Cancelled:") and "The reason given: Clash" in cancelled.body
    )
    second = invite(cancelled)
    assert second["METHOD"] == "CANCEL"
    (again,) = second.walk("VEVENT")
    assert again["UID"] == event["UID"]
    assert int(again["SEQUENCE"]) > int(event["SEQUENCE"])


def test_waiting_list_and_offer_messages(learner, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    holder = AssignmentFactory().person
    with django_capture_on_commit_callbacks(execute=True):
        first = services.booking_create(session=session, person=holder, actor=None)
        services.booking_create(session=session, person=learner, actor=None)
        services.booking_cancel(booking=first, actor=None, by="learner")
    subjects = [m.subject.split(":")[0] for m in mail.outbox]
    assert subjects == ["Booked", "On the waiting list", "Cancelled", "A place is free for you"]
    assert "Accept it in peopleplan" in mail.outbox[-1].body


def test_approval_needed_goes_to_the_line_manager(learner, django_capture_on_commit_callbacks):
    session = SessionFactory(approval=Approval.MANAGER)
    manager = learner.assignments.get().line_manager
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(session=session, person=learner, actor=None)
    (message,) = mail.outbox
    assert message.to == [manager.email]
    assert message.subject.startswith(f"Approval needed: {learner.full_name}")


def test_nothing_is_sent_when_the_change_is_rolled_back(
    learner, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=5, status="planned")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.BookingError):
        services.booking_create(session=session, person=learner, actor=None)
    assert mail.outbox == []


def test_reminders_are_sent_once(learner, django_capture_on_commit_callbacks):
    session = SessionFactory(starts_at=timezone.now() + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(session=session, person=learner, actor=None)
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_learning_reminders", stdout=io.StringIO())
    (reminder,) = mail.outbox
    assert reminder.subject.startswith("Reminder:") and reminder.to == [learner.email]


def test_a_declined_request_says_why(learner, django_capture_on_commit_callbacks):
    session = SessionFactory(approval=Approval.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.booking_create(session=session, person=learner, actor=None)
        services.booking_decide(booking=request, approve=False, actor=None, reason="Team cover")
    declined = mail.outbox[-1]
    assert declined.subject.startswith("Not booked:") and "The reason given: Team cover" in (
        declined.body
    )


def test_messages_go_to_the_worker_not_the_request(
    learner, django_capture_on_commit_callbacks, settings
):
    """With the database backend the booking request only queues the message: the worker
    writes and sends it. (The dummy backend stands in for the database one here.)"""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    session = SessionFactory(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(session=session, person=learner, actor=None)
    assert mail.outbox == []
    (queued,) = default_task_backend.results
    assert queued.task.name == "booking_tell_task"
    assert list(queued.args) == [booking.pk, "booked"]
