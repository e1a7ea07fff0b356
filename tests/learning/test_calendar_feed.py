"""A personal calendar feed of booked sessions at a secret address."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peopleplan.learning import services
from peopleplan.learning.models import Booking, SessionPart
from tests.factories import AssignmentFactory, SessionFactory, UserFactory


@pytest.fixture
def learner(db):
    person = AssignmentFactory().person
    return UserFactory(email=person.email, person=person)


def feed(client, user) -> Calendar:
    url = reverse("learning:calendar_feed", args=[user.calendar_feed.token])
    response = client.get(url)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def book(learner, **session):
    return services.booking_create(
        session=SessionFactory(**session), person=learner.person, actor=None
    )


def test_the_feed_has_booked_sessions_with_the_invites_uids(client, learner):
    booked = book(learner)
    two_days = SessionFactory()
    start = two_days.parts.get().starts_at + dt.timedelta(days=1)
    SessionPart.objects.create(
        session=two_days, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    services.booking_create(session=two_days, person=learner.person, actor=None)
    cancelled = book(learner)
    services.booking_cancel(booking=cancelled, actor=None, by="learner")
    full = SessionFactory(capacity=1)
    services.booking_create(session=full, person=AssignmentFactory().person, actor=None)
    services.booking_create(session=full, person=learner.person, actor=None)  # waiting list
    old = book(learner, starts_at=timezone.now() + dt.timedelta(days=1))
    old.session.parts.update(
        starts_at=timezone.now() - dt.timedelta(days=120),
        ends_at=timezone.now() - dt.timedelta(days=120, hours=-2),
    )
    services.calendar_feed_reset(user=learner)

    events = list(feed(client, learner).walk("VEVENT"))
    part = booked.session.parts.get()
    uids = sorted(str(e["UID"]) for e in events)
    assert len(events) == 3  # one part, and two parts; not the cancelled, waiting or old ones
    assert f"booking-{booked.pk}-part-{part.pk}@peopleplan" in uids
    first = next(e for e in events if str(e["UID"]).startswith(f"booking-{booked.pk}-"))
    assert str(first["SUMMARY"]) == booked.session.item.title
    assert int(first["SEQUENCE"]) == booked.events.count() + booked.session.sequence


def test_a_cancelled_session_leaves_the_feed(client, learner):
    booking = book(learner)
    services.calendar_feed_reset(user=learner)
    services.session_cancel(session=booking.session, reason="Trainer unwell", actor=None)
    assert list(feed(client, learner).walk("VEVENT")) == []


def test_the_feed_makes_a_fixed_number_of_queries(client, learner):
    services.calendar_feed_reset(user=learner)
    url = reverse("learning:calendar_feed", args=[learner.calendar_feed.token])
    book(learner)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        book(learner)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one) <= 4


def test_a_new_address_stops_the_old_one(client, learner):
    old = services.calendar_feed_reset(user=learner).token
    client.force_login(learner)
    response = client.post(reverse("learning:calendar_feed_reset"))
    assert response.status_code == 302
    learner.refresh_from_db()
    new = learner.calendar_feed.token
    assert new != old
    assert client.get(reverse("learning:calendar_feed", args=[old])).status_code == 404
    page = client.get(reverse("learning:bookings")).content.decode()
    assert new in page and "Make a new address" in page


def test_my_bookings_offers_an_address(client, learner):
    client.force_login(learner)
    page = client.get(reverse("learning:bookings")).content.decode()
    assert "Get a calendar address" in page


def test_a_user_with_no_person_has_no_feed(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("learning:calendar_feed_reset")).status_code == 404


def test_a_session_attended_stays_in_the_feed(client, learner):
    booking = book(learner)
    services.calendar_feed_reset(user=learner)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.ATTENDED)
    assert len(list(feed(client, learner).walk("VEVENT"))) == 1
