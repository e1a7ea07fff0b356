"""L&D's side of sessions: setting one up, changing it (updated invites, capacity), opening it,
offering places to the waiting list, and moving a learner to another session."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from peopleplan.core.models import AuditEntry
from peopleplan.learning import services
from peopleplan.learning.models import (
    AttendanceMark,
    Booking,
    BookingEvent,
    PlaceReservation,
    Session,
    Venue,
)
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory, UnitFactory

S = Booking.Status


@pytest.fixture
def people(db):
    return [AssignmentFactory().person for _ in range(6)]


def book(session, person):
    return services.booking_create(session=session, person=person, actor=None)


def calendars(message) -> dict[str, Calendar]:
    return {name: Calendar.from_ical(content) for name, content, _ in message.attachments}


def soon(days=30, hour=9):
    day = timezone.localtime() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


# --- setting up and opening ------------------------------------------------------------------


def test_a_session_is_set_up_planned_with_its_parts_and_audited(db):
    item = LearningItemFactory()
    venue = Venue.objects.create(name="Civic Centre", address="1 High Street")
    trainer = AssignmentFactory().person
    parts = [(soon(31), soon(31, 16)), (soon(30), soon(30, 16))]
    session = services.session_create(
        item=item, capacity=12, minimum=4, venue=venue, trainers=[trainer], parts=parts, actor=None
    )
    assert session.status == Session.Status.PLANNED
    assert [p.starts_at for p in session.parts.all()] == [soon(30), soon(31)]
    assert list(session.trainers.all()) == [trainer]
    assert AuditEntry.objects.filter(object_type="learning_session", action="create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"minimum": 30}, "minimum"),
        ({"venue": None, "online_url": ""}, "venue"),
        ({"parts": []}, "parts"),
        ({"parts": [(soon(30, 16), soon(30, 9))]}, "parts"),
        ({"parts": [(soon(30, 9), soon(30, 16)), (soon(30, 12), soon(30, 17))]}, "parts"),
        ({"booking_opens_at": soon(5), "booking_closes_at": soon(4)}, "booking_closes_at"),
        ({"cancellation_cutoff_at": soon(40)}, "cancellation_cutoff_at"),
        ({"offer_hold_hours": 0}, "offer_hold_hours"),
    ],
)
def test_bad_sessions_are_refused_naming_the_field(db, changes, field):
    values = {
        "item": LearningItemFactory(),
        "capacity": 10,
        "online_url": "https://meet.example/x",
        "parts": [(soon(30, 9), soon(30, 16))],
        "actor": None,
        **changes,
    }
    with pytest.raises(services.SessionError) as refused:
        services.session_create(**values)
    assert refused.value.field == field
    assert not Session.objects.exists()


def test_a_retired_item_gets_no_new_sessions(db):
    with pytest.raises(services.SessionError, match="retired"):
        services.session_create(
            item=LearningItemFactory(is_active=False),
            capacity=5,
            online_url="https://meet.example/x",
            parts=[(soon(), soon(30, 16))],
            actor=None,
        )


def test_opening_a_planned_session(db):
    session = SessionFactory(status=Session.Status.PLANNED)
    services.session_open(session=session, actor=None)
    session.refresh_from_db()
    assert session.status == Session.Status.OPEN
    with pytest.raises(services.SessionError, match="Only a planned session"):
        services.session_open(session=session, actor=None)


def test_a_started_session_is_not_opened(db):
    session = SessionFactory(
        status=Session.Status.PLANNED, starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(services.SessionError, match="started"):
        services.session_open(session=session, actor=None)


# --- changing a session ----------------------------------------------------------------------


def test_lowering_capacity_below_the_places_booked_is_refused(people):
    session = SessionFactory(capacity=4)
    for person in people[:3]:
        book(session, person)
    with pytest.raises(services.SessionError) as refused:
        services.session_update(session=session, capacity=2, actor=None)
    assert refused.value.field == "capacity"
    assert "3 places" in str(refused.value)
    session.refresh_from_db()
    assert session.capacity == 4
    services.session_update(session=session, capacity=3, actor=None)  # to exactly the booked
    session.refresh_from_db()
    assert session.capacity == 3


def test_lowering_capacity_below_the_places_reserved_is_refused(people, cast):
    session = SessionFactory(capacity=6)
    services.reservation_add(session=session, unit=cast.adults, places=4)
    book(session, people[0])  # an open place
    with pytest.raises(services.SessionError, match="5 places"):
        services.session_update(session=session, capacity=4, actor=None)


def test_raising_capacity_offers_the_new_places_to_the_waiting_list(
    people, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    bookings = [book(session, p) for p in people[:4]]
    assert [b.status for b in bookings] == [S.BOOKED, S.WAITLISTED, S.WAITLISTED, S.WAITLISTED]
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, capacity=3, actor=None)
    statuses = [Booking.objects.get(pk=b.pk).status for b in bookings]
    assert statuses == [S.BOOKED, S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[1:3])
    assert all(m.subject.startswith("A place is free") for m in mail.outbox)


def test_changing_dates_sends_the_booked_an_updated_invite(
    people, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        booked = book(session, people[0])
        book(session, people[1])  # waiting: has no invite, hears nothing
    (first,) = calendars(mail.outbox[0]).values()
    (event,) = first.walk("VEVENT")
    mail.outbox.clear()
    later = [(soon(40, 10), soon(40, 15))]
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, parts=later, actor=None)
    (changed,) = mail.outbox
    assert changed.to == [booked.person.email] and changed.subject.startswith("Changed:")
    assert "The updated invite is attached" in changed.body
    (update,) = calendars(changed).values()
    assert update["METHOD"] == "REQUEST"
    (again,) = update.walk("VEVENT")
    assert again["UID"] == event["UID"]
    assert int(again["SEQUENCE"]) == int(event["SEQUENCE"]) + 1
    assert again.decoded("DTSTART") == soon(40, 10)
    session.refresh_from_db()
    assert session.sequence == 1


def test_a_new_venue_is_a_new_invite_and_a_removed_part_is_cancelled(
    people, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=5)
    services.session_update(
        session=session,
        parts=[(soon(30, 9), soon(30, 16)), (soon(31, 9), soon(31, 16))],
        actor=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        book(session, people[0])
    (before,) = calendars(mail.outbox[0]).values()
    uids = [e["UID"] for e in before.walk("VEVENT")]
    mail.outbox.clear()
    venue = Venue.objects.create(name="Town Hall")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session, venue=venue, parts=[(soon(30, 9), soon(30, 16))], actor=None
        )
    (changed,) = mail.outbox
    found = calendars(changed)
    (kept,) = found["invite.ics"].walk("VEVENT")
    assert kept["UID"] == uids[0] and kept["LOCATION"] == "Town Hall"
    assert found["cancelled.ics"]["METHOD"] == "CANCEL"
    (dropped,) = found["cancelled.ics"].walk("VEVENT")
    assert dropped["UID"] == uids[1]


def test_a_change_of_numbers_only_sends_no_invite(people, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=5)
    book(session, people[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, minimum=2, actor=None)
    assert mail.outbox == []
    session.refresh_from_db()
    assert session.sequence == 0 and session.minimum == 2


def test_a_part_with_a_marked_register_is_not_removed(people):
    session = SessionFactory(starts_at=timezone.now() - dt.timedelta(days=2))
    services.session_update(
        session=session,
        parts=[
            (
                timezone.now() - dt.timedelta(days=2),
                timezone.now() - dt.timedelta(days=2, hours=-3),
            ),
            (soon(3), soon(3, 16)),
        ],
        actor=None,
    )
    booking = Booking.objects.create(
        session=session, person=people[0], status=S.BOOKED, created_at=timezone.now()
    )
    second = session.parts.order_by("starts_at").last()
    AttendanceMark.objects.create(
        booking=booking, part=second, mark="attended", marked_at=timezone.now()
    )
    first = session.parts.order_by("starts_at").first()
    with pytest.raises(services.SessionError, match="Part 2 has a register"):
        services.session_update(
            session=session, parts=[(first.starts_at, first.ends_at)], actor=None
        )


def test_a_cancelled_session_is_not_changed(db):
    session = SessionFactory()
    services.session_cancel(session=session, reason="Trainer ill", actor=None)
    with pytest.raises(services.SessionError, match="cancelled"):
        services.session_update(session=session, capacity=30, actor=None)


def test_only_known_fields_change(db):
    with pytest.raises(services.SessionError, match="status"):
        services.session_update(session=SessionFactory(), status="open", actor=None)


# --- the waiting list ------------------------------------------------------------------------


def test_l_and_d_offers_a_released_reserved_place(people, cast):
    session = SessionFactory(capacity=2)
    services.reservation_add(
        session=session,
        unit=UnitFactory(),
        places=1,
        release_at=timezone.now() + dt.timedelta(hours=1),
    )
    book(session, people[0])
    waiting = book(session, people[1])
    assert waiting.status == S.WAITLISTED
    with pytest.raises(services.BookingError, match="reserved"):
        services.waitlist_offer(session=session, actor=None)
    PlaceReservation.objects.update(release_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.waitlist_offer(session=session, actor=None) == 1
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    with pytest.raises(services.BookingError, match="No one is on the waiting list"):
        services.waitlist_offer(session=session, actor=None)


def test_no_offer_without_a_free_place(people):
    session = SessionFactory(capacity=1)
    book(session, people[0])
    book(session, people[1])
    with pytest.raises(services.BookingError, match="no free place"):
        services.waitlist_offer(session=session, actor=None)


# --- moving a learner ------------------------------------------------------------------------


def test_moving_a_learner_keeps_history_frees_the_place_and_sends_one_message(
    people, django_capture_on_commit_callbacks
):
    item = LearningItemFactory()
    old = SessionFactory(item=item, capacity=1)
    new = SessionFactory(item=item, capacity=5, starts_at=soon(45))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(old, people[0])
        waiting = book(old, people[1])
    (booked_invite,) = calendars(mail.outbox[0]).values()
    (old_event,) = booked_invite.walk("VEVENT")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.booking_transfer(booking=booking, to_session=new, actor=None)
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == S.CANCELLED and booking.cancelled_by == "admin"
    assert not booking.is_late_cancellation
    assert moved.session == new and moved.status == S.BOOKED
    assert booking.events.last().reason.startswith(f"Moved to session {new.pk}")
    assert moved.events.get().reason.startswith(f"Moved from session {old.pk}")
    assert waiting.status == S.OFFERED  # the freed place went to the waiting list
    to_learner = [m for m in mail.outbox if m.to == [people[0].email]]
    (message,) = to_learner
    assert message.subject.startswith("Moved to another session")
    found = calendars(message)
    assert found["invite.ics"]["METHOD"] == "REQUEST"
    (cancelled,) = found["cancelled.ics"].walk("VEVENT")
    assert found["cancelled.ics"]["METHOD"] == "CANCEL"
    assert cancelled["UID"] == old_event["UID"]
    assert int(cancelled["SEQUENCE"]) > int(old_event["SEQUENCE"])
    assert AuditEntry.objects.filter(object_type="booking", object_id=str(moved.pk)).exists()


def test_moving_someone_from_the_waiting_list_books_them(people):
    item = LearningItemFactory()
    old = SessionFactory(item=item, capacity=1)
    new = SessionFactory(item=item, capacity=1)
    book(old, people[0])
    waiting = book(old, people[1])
    moved = services.booking_transfer(booking=waiting, to_session=new, actor=None)
    assert moved.status == S.BOOKED
    assert services.held_places(old) == 1


def test_a_move_to_a_full_session_is_refused_and_changes_nothing(people):
    item = LearningItemFactory()
    old = SessionFactory(item=item)
    full = SessionFactory(item=item, capacity=1)
    book(full, people[1])
    booking = book(old, people[0])
    with pytest.raises(services.BookingError, match="no place"):
        services.booking_transfer(booking=booking, to_session=full, actor=None)
    booking.refresh_from_db()
    assert booking.status == S.BOOKED
    assert Booking.objects.filter(session=full).count() == 1
    assert BookingEvent.objects.filter(booking=booking).count() == 1


@pytest.mark.parametrize("target", ["other_item", "past", "cancelled", "planned", "same"])
def test_a_move_to_a_session_it_cannot_go_to_is_refused(people, target):
    item = LearningItemFactory()
    old = SessionFactory(item=item)
    booking = book(old, people[0])
    to = {
        "other_item": lambda: SessionFactory(item=LearningItemFactory()),
        "past": lambda: SessionFactory(item=item, starts_at=timezone.now() - dt.timedelta(days=1)),
        "cancelled": lambda: SessionFactory(item=item, status=Session.Status.CANCELLED),
        "planned": lambda: SessionFactory(item=item, status=Session.Status.PLANNED),
        "same": lambda: old,
    }[target]()
    with pytest.raises(services.BookingError):
        services.booking_transfer(booking=booking, to_session=to, actor=None)
    booking.refresh_from_db()
    assert booking.status == S.BOOKED


def test_a_second_booking_on_the_target_is_refused(people):
    item = LearningItemFactory()
    old, new = SessionFactory(item=item), SessionFactory(item=item)
    booking = book(old, people[0])
    book(new, people[0])
    with pytest.raises(services.BookingError, match="already has a booking"):
        services.booking_transfer(booking=booking, to_session=new, actor=None)


def test_a_cancelled_booking_is_not_moved(people):
    item = LearningItemFactory()
    old, new = SessionFactory(item=item), SessionFactory(item=item)
    booking = book(old, people[0])
    services.booking_cancel(booking=booking, actor=None, by="learner")
    with pytest.raises(services.BookingError, match="Only a booked place"):
        services.booking_transfer(booking=booking, to_session=new, actor=None)


def test_a_move_locks_both_sessions_in_id_order(people, monkeypatch):
    item = LearningItemFactory()
    first, second = SessionFactory(item=item), SessionFactory(item=item)
    booking = book(second, people[0])
    locked = []
    real = services._lock

    def spy(session_id):
        locked.append(session_id)
        return real(session_id)

    monkeypatch.setattr(services, "_lock", spy)
    services.booking_transfer(booking=booking, to_session=first, actor=None)
    assert locked == [first.pk, second.pk]


# --- from the review: a session moved earlier, and who hears of a change ----------------------


def test_moving_a_session_earlier_shortens_offers_and_new_ones(
    people, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    first = book(session, people[0])
    offered = book(session, people[1])
    waiting = book(session, people[2])
    services.booking_cancel(booking=first, actor=None, by="learner")
    assert Booking.objects.get(pk=offered.pk).status == S.OFFERED
    start = timezone.now() + dt.timedelta(hours=4)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session, parts=[(start, start + dt.timedelta(hours=2))], capacity=2, actor=None
        )
    for booking in (offered, waiting):
        expires = Booking.objects.get(pk=booking.pk).offer_expires_at
        assert expires <= timezone.now() + dt.timedelta(hours=2, minutes=1)
    # Whoever the change itself offered a place hears of the offer, not of a change.
    subjects = {(m.to[0], m.subject.split(":")[0]) for m in mail.outbox}
    assert (people[2].email, "Changed") not in subjects
    assert (people[2].email, "A place is free for you") in subjects


def test_an_offer_is_not_taken_once_the_session_has_started(people):
    session = SessionFactory(capacity=1)
    first = book(session, people[0])
    offered = book(session, people[1])
    services.booking_cancel(booking=first, actor=None, by="learner")
    offered.refresh_from_db()
    started = session.parts.get().starts_at + dt.timedelta(minutes=5)
    Booking.objects.filter(pk=offered.pk).update(offer_expires_at=started + dt.timedelta(days=1))
    with pytest.raises(services.BookingError, match="has started"):
        services.offer_accept(booking=offered, actor=None, now=started)


def test_reserved_places_are_matched_to_the_waiting_list_in_one_query(
    people, cast, django_assert_max_num_queries
):
    session = SessionFactory(capacity=2)
    services.reservation_add(session=session, places=1, unit=cast.childrens)
    book(session, people[0])
    for person in [AssignmentFactory().person for _ in range(30)]:
        book(session, person)  # all waiting: the reserved place is not theirs to take
    with django_assert_max_num_queries(16):
        book(session, people[1])


def test_a_cancelled_session_says_so_in_its_history(people):
    session = SessionFactory()
    services.session_cancel(session=session, reason="The trainer is ill", actor=None)
    entry = AuditEntry.objects.get(object_type="learning_session", object_id=str(session.pk))
    assert "cancelled: The trainer is ill" in entry.summary
