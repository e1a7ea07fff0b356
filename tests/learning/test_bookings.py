"""The booking rules: places, the waiting list, offers, approval, cancellation."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from peopleplan.learning import selectors, services
from peopleplan.learning.models import Approval, Booking, BookingEvent, Session
from tests.factories import AssignmentFactory, SessionFactory

S = Booking.Status


@pytest.fixture
def people(db):
    return [AssignmentFactory().person for _ in range(6)]


def book(session, person, **kwargs):
    return services.booking_create(session=session, person=person, actor=None, **kwargs)


def test_places_then_the_waiting_list_in_order(people):
    session = SessionFactory(capacity=2)
    bookings = [book(session, p) for p in people[:5]]
    assert [b.status for b in bookings] == [
        S.BOOKED,
        S.BOOKED,
        S.WAITLISTED,
        S.WAITLISTED,
        S.WAITLISTED,
    ]
    assert [services.waitlist_position(b) for b in bookings[2:]] == [1, 2, 3]
    assert services.held_places(session) == 2


def test_priority_goes_first_on_the_waiting_list(people):
    session = SessionFactory(capacity=1)
    book(session, people[0])
    first = book(session, people[1])
    urgent = book(session, people[2], priority=10)
    assert services.waitlist_position(urgent) == 1
    assert services.waitlist_position(first) == 2


def test_a_cancellation_offers_the_place_to_the_first_in_line(people):
    session = SessionFactory(capacity=1, offer_hold_hours=48)
    booked = book(session, people[0])
    waiting = book(session, people[1])
    now = timezone.now()
    services.booking_cancel(booking=booked, actor=None, by="learner", now=now)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    assert waiting.offer_expires_at == now + dt.timedelta(hours=48)
    services.offer_accept(booking=waiting, actor=None)
    waiting.refresh_from_db()
    assert waiting.status == S.BOOKED


def test_the_hold_is_shorter_close_to_the_start(people):
    start = timezone.now() + dt.timedelta(hours=10)
    session = SessionFactory(capacity=1, starts_at=start)
    booked = book(session, people[0])
    waiting = book(session, people[1])
    now = timezone.now()
    services.booking_cancel(booking=booked, actor=None, by="learner", now=now)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == now + (start - now) / 2


def test_an_offer_not_taken_passes_on(people):
    session = SessionFactory(capacity=1)
    booked = book(session, people[0])
    second, third = book(session, people[1]), book(session, people[2])
    now = timezone.now()
    services.booking_cancel(booking=booked, actor=None, by="learner", now=now)
    later = now + dt.timedelta(hours=49)
    assert services.offers_refresh(now=later) == 1
    assert services.offers_refresh(now=later) == 0  # twice does nothing more
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.DECLINED and third.status == S.OFFERED
    with pytest.raises(services.BookingError, match="expired"):
        third.offer_expires_at = now
        third.save()
        services.offer_accept(booking=third, actor=None, now=later)


def test_no_offers_once_the_session_has_started(people):
    start = timezone.now() + dt.timedelta(hours=1)
    session = SessionFactory(capacity=1, starts_at=start)
    booked = book(session, people[0])
    first, second = book(session, people[1]), book(session, people[2])
    services.booking_cancel(booking=booked, actor=None, by="admin")
    first.refresh_from_db()
    assert first.status == S.OFFERED
    services.offer_decline(booking=first, actor=None, now=start + dt.timedelta(minutes=5))
    second.refresh_from_db()
    assert second.status == S.WAITLISTED


def test_a_place_cannot_be_cancelled_once_the_session_has_started(people):
    start = timezone.now() + dt.timedelta(hours=1)
    session = SessionFactory(capacity=1, starts_at=start)
    booked = book(session, people[0])
    with pytest.raises(services.BookingError, match="register records who came"):
        services.booking_cancel(
            booking=booked, actor=None, by="learner", now=start + dt.timedelta(minutes=1)
        )


def test_leaving_the_waiting_list_is_never_late_and_no_cutoff_means_the_start(people):
    start = timezone.now() + dt.timedelta(hours=1)
    session = SessionFactory(capacity=1, starts_at=start)
    booked, waiting = book(session, people[0]), book(session, people[1])
    just_before = start - dt.timedelta(minutes=1)
    assert not services.booking_cancel(
        booking=waiting, actor=None, by="learner", now=just_before
    ).is_late_cancellation
    assert not services.booking_cancel(
        booking=booked, actor=None, by="learner", now=just_before
    ).is_late_cancellation


def test_an_approval_after_the_start_is_refused(people):
    start = timezone.now() + dt.timedelta(hours=1)
    session = SessionFactory(approval=Approval.MANAGER, starts_at=start)
    request = book(session, people[0])
    with pytest.raises(services.BookingError, match="has started"):
        services.booking_decide(
            booking=request, approve=True, actor=None, now=start + dt.timedelta(minutes=1)
        )
    declined = services.booking_decide(
        booking=request,
        approve=False,
        actor=None,
        reason="Too late",
        now=start + dt.timedelta(minutes=1),
    )
    assert declined.status == S.DECLINED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Session.Status.PLANNED}, "This session is planned"),
        ({"status": Session.Status.CANCELLED}, "This session is cancelled"),
        ({"booking_opens_at": timezone.now() + dt.timedelta(days=1)}, "Booking opens on"),
        ({"booking_closes_at": timezone.now() - dt.timedelta(days=1)}, "Booking closed on"),
    ],
)
def test_refusals(people, change, message):
    session = SessionFactory(**change)
    with pytest.raises(services.BookingError, match=message):
        book(session, people[0])
    assert not Booking.objects.exists()


def test_a_second_booking_is_refused(people):
    session = SessionFactory()
    book(session, people[0])
    with pytest.raises(services.BookingError, match="already has a booking"):
        book(session, people[0])
    assert Booking.objects.count() == 1


def test_a_started_session_cannot_be_booked(people):
    session = SessionFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(services.BookingError, match="has started"):
        book(session, people[0])


def test_late_cancellation_is_kept(people):
    session = SessionFactory(cancellation_cutoff_at=timezone.now() - dt.timedelta(hours=1))
    booking = services.booking_cancel(booking=book(session, people[0]), actor=None, by="learner")
    assert booking.is_late_cancellation and booking.cancelled_by == "learner"
    with pytest.raises(services.BookingError, match="cancelled already"):
        services.booking_cancel(booking=booking, actor=None, by="learner")


def test_manager_then_ld_approval(people):
    session = SessionFactory(capacity=1, approval=Approval.MANAGER_THEN_LD)
    booking = book(session, people[0])
    assert booking.status == S.AWAITING_APPROVAL
    booking = services.booking_decide(booking=booking, approve=True, actor=None)
    assert booking.status == S.APPROVED
    booking = services.booking_decide(booking=booking, approve=True, actor=None, ld_step=True)
    assert booking.status == S.BOOKED
    other = book(session, people[1])
    with pytest.raises(services.BookingError, match="reason"):
        services.booking_decide(booking=other, approve=False, actor=None)
    other = services.booking_decide(booking=other, approve=False, actor=None, reason="Not now")
    assert other.status == S.DECLINED


def test_every_change_is_in_the_history(people):
    session = SessionFactory(capacity=1)
    booking = book(session, people[0])
    services.booking_cancel(booking=booking, actor=None, by="learner", reason="Ill")
    history = list(
        BookingEvent.objects.filter(booking=booking).values_list(
            "from_status", "to_status", "reason"
        )
    )
    assert history == [("", "booked", ""), ("booked", "cancelled", "Ill")]


def test_cancelling_a_session_cancels_its_bookings(people):
    session = SessionFactory(capacity=1)
    booked, waiting = book(session, people[0]), book(session, people[1])
    with pytest.raises(services.BookingError, match="reason"):
        services.session_cancel(session=session, reason=" ", actor=None)
    services.session_cancel(session=session, reason="Trainer ill", actor=None)
    for booking in (booked, waiting):
        booking.refresh_from_db()
        assert booking.status == S.CANCELLED and booking.cancelled_by == "session"
    assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED


def test_one_live_booking_per_person_per_session_is_a_database_rule(people):
    session = SessionFactory()
    book(session, people[0])
    with pytest.raises(IntegrityError):
        Booking.objects.create(
            session=session, person=people[0], status=S.WAITLISTED, created_at=timezone.now()
        )


def test_refresh_offers_command(people):
    session = SessionFactory(capacity=1)
    booked = book(session, people[0])
    waiting = book(session, people[1])
    services.booking_cancel(
        booking=booked, actor=None, by="learner", now=timezone.now() - dt.timedelta(days=3)
    )
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    out = io.StringIO()
    call_command("refresh_offers", stdout=out)
    assert "1 offers passed on." in out.getvalue()


def test_a_clash_is_a_warning_not_a_refusal(people):
    start = timezone.now() + dt.timedelta(days=10)
    first = SessionFactory(starts_at=start)
    overlapping = SessionFactory(starts_at=start + dt.timedelta(hours=2))
    later = SessionFactory(starts_at=start + dt.timedelta(days=1))
    booked = book(first, people[0])
    assert selectors.clashes(people[0], overlapping) == [booked]
    assert selectors.clashes(people[0], later) == []
    assert book(overlapping, people[0]).status == S.BOOKED
