"""The learning API: booking through the same services and gates as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from peopleplan.learning.models import Approval, Booking
from tests.factories import SessionFactory

S = Booking.Status


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def session(db):
    return SessionFactory(capacity=1)


def test_a_learner_books_and_joins_the_waiting_list(cast, session):
    response = client_for(cast.learner).post(
        "/api/learning/bookings/", {"session": session.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "booked"
    response = client_for(cast.outsider).post(
        "/api/learning/bookings/", {"session": session.pk}, format="json"
    )
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1


def test_a_second_booking_is_refused_with_the_reason(cast, session):
    client = client_for(cast.learner)
    client.post("/api/learning/bookings/", {"session": session.pk}, format="json")
    response = client.post("/api/learning/bookings/", {"session": session.pk}, format="json")
    assert response.status_code == 400
    assert "already has a booking" in response.json()["detail"]


def test_booking_for_someone_else(cast, session):
    learner = cast.learner.person_id
    outsider = client_for(cast.outsider).post(
        "/api/learning/bookings/", {"session": session.pk, "person": learner}, format="json"
    )
    nobody = client_for(cast.outsider).post(
        "/api/learning/bookings/", {"session": session.pk, "person": 999999}, format="json"
    )
    assert outsider.status_code == nobody.status_code == 404
    manager = client_for(cast.manager).post(
        "/api/learning/bookings/", {"session": session.pk, "person": learner}, format="json"
    )
    assert manager.status_code == 201
    assert Booking.objects.get().requested_by == cast.manager


def test_only_those_who_may_act_on_a_booking_see_or_cancel_it(cast, session):
    booking = (
        client_for(cast.learner)
        .post("/api/learning/bookings/", {"session": session.pk}, format="json")
        .json()
    )
    url = f"/api/learning/bookings/{booking['id']}/"
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.outsider).post(url + "cancel/", {}).status_code == 404
    assert client_for(cast.manager).get(url).status_code == 200
    response = client_for(cast.manager).post(url + "cancel/", {"reason": "Cover needed"})
    assert response.status_code == 200
    assert response.json()["cancelled_by"] == "manager"


def test_offers_are_accepted_through_the_api(cast, session):
    first = (
        client_for(cast.learner)
        .post("/api/learning/bookings/", {"session": session.pk}, format="json")
        .json()
    )
    second = (
        client_for(cast.outsider)
        .post("/api/learning/bookings/", {"session": session.pk}, format="json")
        .json()
    )
    client_for(cast.learner).post(f"/api/learning/bookings/{first['id']}/cancel/", {})
    response = client_for(cast.outsider).post(f"/api/learning/bookings/{second['id']}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "booked"
    again = client_for(cast.outsider).post(f"/api/learning/bookings/{second['id']}/accept/")
    assert again.status_code == 400


def test_approvals(cast):
    session = SessionFactory(approval=Approval.MANAGER)
    booking = (
        client_for(cast.learner)
        .post("/api/learning/bookings/", {"session": session.pk}, format="json")
        .json()
    )
    assert booking["status"] == "awaiting_approval"
    assert client_for(cast.outsider).get("/api/learning/approvals/").json()["count"] == 0
    queue = client_for(cast.manager).get("/api/learning/approvals/").json()
    assert [b["id"] for b in queue["results"]] == [booking["id"]]
    url = f"/api/learning/approvals/{booking['id']}/decide/"
    assert client_for(cast.outsider).post(url, {"approve": True}).status_code == 404
    refused = client_for(cast.manager).post(url, {"approve": False})
    assert refused.status_code == 400 and "reason" in refused.json()["detail"]
    response = client_for(cast.manager).post(url, {"approve": True})
    assert response.json()["status"] == "booked"


def test_catalogue_and_sessions(cast, session):
    items = client_for(cast.outsider).get("/api/learning/items/", {"q": session.item.title})
    assert [i["id"] for i in items.json()["results"]] == [session.item_id]
    sessions = client_for(cast.outsider).get("/api/learning/sessions/", {"item": session.item_id})
    (found,) = sessions.json()["results"]
    assert found["places_left"] == 1 and len(found["parts"]) == 1


def test_signed_out(db, session):
    assert client_for().get("/api/learning/items/").status_code == 401
    assert client_for().post("/api/learning/bookings/", {"session": session.pk}).status_code == 401


def test_booking_lists_make_a_fixed_number_of_queries(cast):
    client = client_for(cast.ld_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/learning/bookings/")
        assert response.status_code == 200
        return len(queries)

    session = SessionFactory(capacity=1)
    client_for(cast.learner).post("/api/learning/bookings/", {"session": session.pk})
    count()  # the first request reads the user's grants, which later ones reuse
    few = count()
    for who in ("outsider", "manager", "senior_manager", "hr_officer", "sysadmin"):
        client_for(getattr(cast, who)).post("/api/learning/bookings/", {"session": session.pk})
    results = client.get("/api/learning/bookings/").json()["results"]
    assert sorted(b["waitlist_position"] for b in results if b["waitlist_position"]) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert count() == few


def test_retired_items_sessions_are_not_listed_or_booked(cast, session):
    session.item.is_active = False
    session.item.save()
    client = client_for(cast.learner)
    assert client.get("/api/learning/sessions/").json()["count"] == 0
    response = client.post("/api/learning/bookings/", {"session": session.pk})
    assert response.status_code == 404
