"""Moving learners between sessions under load, on PostgreSQL: thirty moves at once into a
session with five places leave exactly five moved and the rest where they were; moves both ways
between two sessions at once do not deadlock (both sessions are locked in id order) and never
overbook either."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from peopleplan.learning import services
from peopleplan.learning.models import Booking
from tests.factories import LearningItemFactory, PersonFactory, SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Booking.Status


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (PEOPLEPLAN_TEST_DATABASE_URL)")


def fire(moves: list[tuple[Booking, object]]) -> list[Exception]:
    barrier = Barrier(len(moves))
    errors: list[Exception] = []

    def worker(move):
        booking, target = move
        try:
            barrier.wait()
            services.booking_transfer(booking=booking, to_session=target, actor=None)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(moves)) as pool:
        list(pool.map(worker, moves))
    return errors


def test_thirty_moves_into_five_places():
    item = LearningItemFactory()
    source = SessionFactory(item=item, capacity=30)
    target = SessionFactory(item=item, capacity=5)
    bookings = [
        services.booking_create(session=source, person=PersonFactory(), actor=None)
        for _ in range(30)
    ]
    errors = fire([(b, target) for b in bookings])
    assert len(errors) == 25
    assert all(isinstance(e, services.BookingError) for e in errors), errors
    assert Booking.objects.filter(session=target, status=S.BOOKED).count() == 5
    assert Booking.objects.filter(session=source, status=S.BOOKED).count() == 25


def test_moves_both_ways_at_once_do_not_deadlock():
    item = LearningItemFactory()
    a = SessionFactory(item=item, capacity=12)
    b = SessionFactory(item=item, capacity=12)
    on_a = [
        services.booking_create(session=a, person=PersonFactory(), actor=None) for _ in range(8)
    ]
    on_b = [
        services.booking_create(session=b, person=PersonFactory(), actor=None) for _ in range(8)
    ]
    errors = fire([(x, b) for x in on_a] + [(y, a) for y in on_b])
    assert all(isinstance(e, services.BookingError) for e in errors), errors
    for session in (a, b):
        assert services.held_places(session) <= 12
    assert services.held_places(a) + services.held_places(b) == 16
