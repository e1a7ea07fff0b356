"""Never more booked than the capacity, whatever the concurrency: 200 booking requests at a
20-place session from 50 threads at once, each with its own PostgreSQL connection. A control
with the session's row lock taken away shows the race the lock prevents."""

import time
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections

from peopleplan.learning import services
from peopleplan.learning.models import Booking, Session
from tests.factories import PersonFactory, SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REQUESTS = 200
THREADS = 50  # PostgreSQL allows 100 connections here


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (PEOPLEPLAN_TEST_DATABASE_URL)")


def fire(session, people) -> list[Exception]:
    barrier = Barrier(THREADS)
    errors: list[Exception] = []

    def request(person):
        try:
            services.booking_create(session=session, person=person, actor=None)
        except Exception as exc:
            errors.append(exc)

    def worker(batch):
        try:
            barrier.wait()
            for person in batch:
                request(person)
        finally:
            connections.close_all()

    batches = [people[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, batches))
    return errors


def test_two_hundred_requests_for_twenty_places():
    session = SessionFactory(capacity=20)
    people = [PersonFactory() for _ in range(REQUESTS)]
    assert fire(session, people) == []
    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(Booking.Status.BOOKED) == 20
    assert statuses.count(Booking.Status.WAITLISTED) == 180
    positions = sorted(services.waitlist_position(b) for b in services.waitlist(session))
    assert positions == list(range(1, 181))


def test_control_without_the_lock_overbooks(monkeypatch):
    """Take the row lock away and slow the count a little: the same requests overbook."""

    class SlowPools(services.Pools):
        def __init__(self, session, at):
            super().__init__(session, at)
            time.sleep(0.02)  # between counting the places and taking one

    monkeypatch.setattr(
        services, "_lock", lambda pk: Session.objects.select_related("item").get(pk=pk)
    )
    monkeypatch.setattr(services, "Pools", SlowPools)
    session = SessionFactory(capacity=20)
    people = [PersonFactory() for _ in range(REQUESTS)]
    fire(session, people)
    booked = Booking.objects.filter(session=session, status=Booking.Status.BOOKED).count()
    assert booked > 20
