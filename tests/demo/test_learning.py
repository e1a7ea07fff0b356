"""The demo council's learning: catalogue, sessions, bookings, registers and records, built
through the `demo` command on a small council of 300 people."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Min, Q
from django.utils import timezone

from peopleplan.access.models import User
from peopleplan.core.models import AuditEntry
from peopleplan.demo import learning_catalogue as lc
from peopleplan.learning.approvals import approval_queue
from peopleplan.learning.models import (
    AttendanceMark,
    Booking,
    BookingEvent,
    Completion,
    EvaluationRequest,
    LearningItem,
    PlaceReservation,
    Programme,
    Provider,
    Session,
    Venue,
)
from peopleplan.org.models import Person, Unit
from tests.demo import checks

AS_OF = dt.date.today()


def build(*extra: str) -> str:
    out = StringIO()
    call_command("demo", "--people", "300", *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def council(db):
    build("--seed", "3")


def login(key: str) -> User:
    return User.objects.select_related("person").get(email=f"{key}@demo.peopleplan.example")


def test_a_believable_catalogue(council):
    assert Provider.objects.filter(is_internal=True).count() >= 3
    assert Provider.objects.filter(is_internal=False).count() >= 5
    assert 80 <= LearningItem.objects.count() <= 150
    assert set(LearningItem.objects.values_list("kind", flat=True)) == set(LearningItem.Kind.values)
    assert set(LearningItem.objects.values_list("approval", flat=True)) == {
        "none",
        "manager",
        "manager_then_ld",
    }
    for item in LearningItem.objects.prefetch_related("topics"):
        assert item.description and item.outcomes and item.audience and item.provider_id
        assert item.topics.exists()
        assert bool(item.hosted_url) == (item.kind == "elearning")
    assert LearningItem.objects.filter(is_assessed=True).count() >= 10
    assert LearningItem.objects.filter(prerequisites__isnull=False).distinct().count() >= 3
    assert LearningItem.objects.filter(cost_per_delegate__gt=0).exists()
    titles = set(LearningItem.objects.values_list("title", flat=True))
    assert {"ILM level 5 diploma in leadership and management"} <= titles
    assert any("ASYE" in t for t in titles) and any("apprenticeship" in t for t in titles)
    venues = Venue.objects.filter(is_active=True)
    assert venues.count() >= 6
    assert all(v.address and v.access_notes and v.room_size for v in venues)

    managers = Programme.objects.get(code="MDP")
    assert managers.required_count == 5 and managers.entries.count() == 7
    assert managers.members.exists()
    asye = Programme.objects.get(code="ASYE")
    assert asye.required_count is None and asye.entries.count() >= 4


def test_sessions_run_from_a_year_back_to_six_months_ahead(council):
    now = timezone.now()
    first = Session.objects.annotate(first=Min("parts__starts_at"))
    starts = [s.first for s in first]
    assert min(starts).date() >= AS_OF - dt.timedelta(days=372)
    assert max(starts).date() <= AS_OF + dt.timedelta(days=200)
    assert min(starts) < now - dt.timedelta(days=300)
    assert max(starts) > now + dt.timedelta(days=150)
    for session in first.prefetch_related("parts"):
        parts = list(session.parts.all())
        if session.status == "completed":
            assert parts[-1].ends_at < now
        elif session.status in ("open", "planned"):
            assert parts[0].starts_at > now
            assert session.booking_opens_at < session.booking_closes_at <= parts[0].starts_at
            assert session.cancellation_cutoff_at < parts[0].starts_at
            assert (session.status == "open") == (session.booking_opens_at <= now)
        else:
            assert session.status == "cancelled" and session.cancelled_reason
        assert bool(session.venue_id) != bool(session.online_url)
        assert 0 <= session.minimum <= session.capacity
    assert Session.objects.filter(status="completed").count() > 20
    assert Session.objects.filter(status="open").count() > 5
    assert Session.objects.filter(status="planned").exists()
    assert Session.objects.filter(parts__isnull=False).annotate(n=Count("parts")).filter(n__gt=1)
    assert Session.objects.filter(trainers__isnull=False).exists()
    reservations = PlaceReservation.objects.select_related("unit")
    assert reservations.count() >= 4
    assert {r.unit.unit_type for r in reservations} == {"directorate"}


def test_the_bookings_keep_the_booking_rules(council):
    assert checks.sessions_over_capacity() == []
    assert checks.people_with_two_active_bookings() == []
    assert checks.waitlists_out_of_order() == []
    assert checks.bookings_with_a_broken_history() == []
    assert checks.register_faults() == []
    now = timezone.now()
    assert not BookingEvent.objects.filter(at__gt=now).exists()
    assert not Booking.objects.filter(created_at__gt=now).exists()
    assert not Booking.objects.filter(status="waitlisted", waitlisted_at__isnull=True).exists()
    assert not Booking.objects.filter(status="offered", offer_expires_at__isnull=True).exists()
    cancelled = Booking.objects.filter(status="cancelled")
    assert cancelled.exists() and not cancelled.filter(cancelled_by="").exists()
    assert cancelled.filter(is_late_cancellation=True).exists()
    assert not Booking.objects.exclude(status="cancelled").filter(cancelled_by__gt="").exists()
    assert not Booking.objects.filter(
        session__status="cancelled", status__in=Booking.ACTIVE
    ).exists()
    assert not Booking.objects.filter(
        session__status="completed", status__in=Booking.ACTIVE
    ).exists()
    # Approvals go through their steps.
    assert BookingEvent.objects.filter(from_status="awaiting_approval", to_status="approved")
    assert BookingEvent.objects.filter(from_status="approved", to_status="booked")
    assert BookingEvent.objects.filter(from_status="waitlisted", to_status="offered")
    # Places taken from a reservation are by people of its directorate.
    for booking in Booking.objects.filter(reservation__isnull=False).select_related(
        "reservation__unit"
    ):
        assert Person.objects.filter(
            pk=booking.person_id, assignments__unit__path__startswith=booking.reservation.unit.path
        ).exists()


def test_registers_are_marked_at_believable_rates(council):
    outcomes = dict(
        Booking.objects.filter(status__in=("attended", "partly_attended", "no_show"))
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    total = sum(outcomes.values())
    assert total > 100
    assert 0.04 <= outcomes["no_show"] / total <= 0.18
    assert outcomes["attended"] / total >= 0.75
    assert AttendanceMark.objects.filter(mark="partly_attended").exists() or outcomes.get(
        "partly_attended"
    )
    for completion in Completion.objects.filter(source="attendance").select_related(
        "booking__session__item"
    )[:50]:
        item = completion.booking.session.item
        assert completion.status == "verified"
        assert (completion.hours, completion.development_days) == (
            item.duration_hours,
            item.development_days,
        )
        assert completion.item_id == item.pk and completion.completed_on <= AS_OF


def test_the_record_of_learning_has_every_source(council):
    sources = set(Completion.objects.values_list("source", flat=True))
    assert sources == {"attendance", "elearning", "import", "self_logged"}
    pending = Completion.objects.filter(status="pending")
    assert pending.exists()
    assert set(pending.values_list("source", flat=True)) == {"self_logged"}
    assert not pending.exclude(evidence="").exists()
    assert not Completion.objects.filter(completed_on__gte=AS_OF).exists()
    # Older ones are the five years of mandatory training (`test_compliance.py`).
    older = Completion.objects.filter(completed_on__lt=AS_OF - dt.timedelta(days=366))
    assert not older.filter(item__requirements__isnull=True).exists()
    assert Completion.objects.filter(item__kind="elearning", source="elearning").exists()


def test_popular_sessions_ahead_are_full_with_waiting_lists(council):
    full = (
        Session.objects.filter(status="open")
        .annotate(
            holding=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING)),
            waiting=Count("bookings", filter=Q(bookings__status="waitlisted")),
        )
        .filter(waiting__gt=0)
    )
    assert full.exists()
    assert all(s.holding == s.capacity for s in full if not s.reservations.exists())


def test_the_demo_logins_have_learning_to_show(council):
    now = timezone.now()
    learner = login("learner").person
    mine = Booking.objects.filter(person=learner).annotate(first=Min("session__parts__starts_at"))
    assert mine.filter(status="attended", first__lt=now).count() >= 2
    assert Completion.objects.filter(person=learner, source="attendance").count() >= 2
    assert Completion.objects.filter(person=learner, status="pending").exists()
    assert mine.filter(status="booked", first__gt=now).count() >= 2
    assert mine.filter(status="waitlisted", first__gt=now).count() == 1
    offered = mine.get(status="offered")
    assert offered.offer_expires_at > now and offered.first > offered.offer_expires_at

    queue = approval_queue(login("manager"))
    assert queue.count() >= 2
    assert all(b.session.item.approval != "none" for b in queue)


def test_replace_deletes_the_learning_first_in_one_go(council):
    bookings = Booking.objects.count()
    assert bookings > 0
    # Evaluation forms asked about the demo's sessions go with them.
    attended = Booking.objects.filter(status="attended").first()
    EvaluationRequest.objects.create(
        booking=attended,
        kind="feedback",
        respondent=attended.person,
        respondent_role="learner",
        sent_at=timezone.now(),
    )
    build("--seed", "4", "--replace")
    deleted = AuditEntry.objects.get(action="delete", object_type="demo_council")
    assert deleted.before["bookings"] == bookings
    assert Booking.objects.exists() and Unit.objects.filter(parent=None).count() == 2
    assert AuditEntry.objects.filter(action="create", object_type="demo_council").count() == 2
    assert LearningItem.objects.count() == len(lc.ITEMS)


def test_the_learning_checks_catch_faults(council):
    session = Session.objects.filter(status="completed", bookings__status="attended").first()
    attended = session.bookings.filter(status="attended").first()
    Booking.objects.filter(pk=attended.pk).update(status="no_show")
    assert attended.pk in checks.bookings_with_a_broken_history()
    assert attended.pk in checks.register_faults()
    Booking.objects.filter(session=session).update(status="booked")
    Session.objects.filter(pk=session.pk).update(capacity=1, minimum=0)
    assert session.pk in checks.sessions_over_capacity()
    Booking.objects.filter(pk=attended.pk).update(status="waitlisted", waitlisted_at=None)
    assert session.pk in checks.waitlists_out_of_order()
