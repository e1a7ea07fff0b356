"""Fair place allocation: places reserved for a directorate (fixed or pro rata to headcount)
or a programme's cohort, released to everyone at a set time; and the invariants of allocation
checked over random sequences of bookings and cancellations (hypothesis)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peopleplan.learning import services
from peopleplan.learning.models import Booking, Programme, ProgrammeMember
from tests.factories import AssignmentFactory, SessionFactory, UnitFactory

S = Booking.Status


def book(session, person, **kwargs):
    return services.booking_create(session=session, person=person, actor=None, **kwargs)


@pytest.fixture
def council(db):
    top = UnitFactory(code="TOP")
    adults = UnitFactory(code="ADULTS", parent=top)
    place = UnitFactory(code="PLACE", parent=top)
    team = UnitFactory(code="ADULTS-T", parent=adults)
    return {
        "adults": adults,
        "place": place,
        "adult_people": [AssignmentFactory(unit=team).person for _ in range(4)],
        "place_people": [AssignmentFactory(unit=place).person for _ in range(4)],
    }


def test_reserved_places_go_to_their_directorate_first(council):
    session = SessionFactory(capacity=3)
    services.reservation_add(session=session, unit=council["adults"], places=2)
    first_place = book(session, council["place_people"][0])
    assert first_place.status == S.BOOKED and first_place.reservation is None
    second_place = book(session, council["place_people"][1])
    assert second_place.status == S.WAITLISTED  # the other two places are Adults'
    adult = book(session, council["adult_people"][0])
    assert adult.status == S.BOOKED and adult.reservation is not None


def test_unused_reserved_places_open_to_everyone_after_the_release(council):
    release = timezone.now() + dt.timedelta(days=2)
    session = SessionFactory(capacity=2)
    services.reservation_add(session=session, unit=council["adults"], places=2, release_at=release)
    waiting = book(session, council["place_people"][0])
    assert waiting.status == S.WAITLISTED
    assert services.offers_refresh(now=release - dt.timedelta(hours=1)) == 0
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    services.offers_refresh(now=release + dt.timedelta(minutes=1))
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED


def test_a_freed_reserved_place_goes_to_the_first_eligible_in_line(council):
    session = SessionFactory(capacity=1)
    services.reservation_add(session=session, unit=council["adults"], places=1)
    holder = book(session, council["adult_people"][0])
    outsider_first = book(session, council["place_people"][0])
    adult_second = book(session, council["adult_people"][1])
    services.booking_cancel(booking=holder, actor=None, by="learner")
    outsider_first.refresh_from_db()
    adult_second.refresh_from_db()
    assert outsider_first.status == S.WAITLISTED  # keeps their turn for an open place
    assert adult_second.status == S.OFFERED


def test_places_ring_fenced_for_a_programme_cohort(council):
    programme = Programme.objects.create(code="MDP", title="Manager development programme")
    member = council["place_people"][0]
    ProgrammeMember.objects.create(programme=programme, person=member, joined_on=dt.date.today())
    session = SessionFactory(capacity=1)
    services.reservation_add(session=session, programme=programme, places=1)
    assert book(session, council["adult_people"][0]).status == S.WAITLISTED
    assert book(session, member).status == S.BOOKED


def test_reservations_cannot_exceed_the_capacity(council):
    session = SessionFactory(capacity=3)
    services.reservation_add(session=session, unit=council["adults"], places=2)
    with pytest.raises(services.BookingError, match="Only 1 of the 3 places"):
        services.reservation_add(session=session, unit=council["place"], places=2)


def test_places_already_taken_cannot_be_reserved(council):
    session = SessionFactory(capacity=2)
    book(session, council["place_people"][0])
    book(session, council["place_people"][1])
    with pytest.raises(services.BookingError, match="Only 0 of the 2 places"):
        services.reservation_add(session=session, unit=council["adults"], places=1)


def test_a_released_place_goes_to_the_waiting_list_before_a_new_booking(council):
    release = timezone.now() + dt.timedelta(hours=2)
    session = SessionFactory(capacity=1)
    services.reservation_add(session=session, unit=council["adults"], places=1, release_at=release)
    waiting = book(session, council["place_people"][0], now=release - dt.timedelta(hours=1))
    late = book(session, council["place_people"][1], now=release + dt.timedelta(minutes=1))
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED and late.status == S.WAITLISTED
    with pytest.raises(services.BookingError, match="one unit or one programme"):
        services.reservation_add(session=session, places=1)


def test_pro_rata_to_headcount(council):
    AssignmentFactory(unit=council["place"])  # Place: 5 people, Adults: 4
    session = SessionFactory(capacity=10)
    made = services.reservations_pro_rata(
        session=session, units=[council["adults"], council["place"]], places=9
    )
    assert {r.unit.code: r.places for r in made} == {"ADULTS": 4, "PLACE": 5}


@given(
    places=st.integers(min_value=0, max_value=50),
    counts=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8),
)
def test_pro_rata_gives_every_place_and_each_within_one_of_its_share(places, counts):
    headcounts = dict(enumerate(counts))
    shares = services.pro_rata(places, headcounts)
    total = sum(counts)
    if total == 0:
        assert set(shares.values()) == {0}
        return
    assert sum(shares.values()) == places
    for key, count in headcounts.items():
        assert abs(shares[key] - places * count / total) < 1


ACTIONS = st.lists(
    st.tuples(st.sampled_from(["book", "cancel", "accept", "reserve"]), st.integers(0, 7)),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    capacity=st.integers(1, 4),
    reserved=st.integers(0, 3),
    priorities=st.lists(st.integers(0, 2), min_size=8, max_size=8),
    actions=ACTIONS,
)
def test_allocation_invariants(council, capacity, reserved, priorities, actions):
    """Whatever happens: never more held than the capacity, a reservation never over its
    places, only the eligible in reserved places, and the waiting list numbered 1..n."""
    people = council["adult_people"] + council["place_people"]
    with transaction.atomic():
        session = SessionFactory(capacity=capacity)
        if 0 < reserved <= capacity:
            services.reservation_add(session=session, unit=council["adults"], places=reserved)
        for action, index in actions:
            person = people[index]
            live = Booking.objects.filter(
                session=session, person=person, status__in=Booking.ACTIVE
            ).first()
            try:
                if action == "book":
                    book(session, person, priority=priorities[index])
                elif action == "cancel" and live:
                    services.booking_cancel(booking=live, actor=None, by="learner")
                elif action == "accept" and live and live.status == S.OFFERED:
                    services.offer_accept(booking=live, actor=None)
                elif action == "reserve":  # places for Place's people, after bookings began
                    services.reservation_add(session=session, unit=council["place"], places=1)
            except services.BookingError:
                pass
            held = Booking.objects.filter(session=session, status__in=Booking.HOLDING)
            assert held.count() <= capacity
            reservations = list(session.reservations.all())
            for made in reservations:
                in_reserved = held.filter(reservation=made)
                assert in_reserved.count() <= made.places
                eligible = council[
                    "adult_people" if made.unit == council["adults"] else "place_people"
                ]
                assert all(b.person in eligible for b in in_reserved)
            open_places = capacity - sum(r.places for r in reservations)
            assert held.filter(reservation=None).count() <= max(open_places, 0)
            positions = sorted(services.waitlist_position(b) for b in services.waitlist(session))
            assert positions == list(range(1, len(positions) + 1))
        transaction.set_rollback(True)
