"""The API of L&D's sessions: the same services and access as the pages."""

import datetime as dt

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from peopleplan.learning import services
from peopleplan.learning.models import Booking, Session
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory

S = Booking.Status
URL = "/api/learning/manage/sessions/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def book(session, person):
    return services.booking_create(session=session, person=person, actor=None)


def when(days=30, hour=9):
    start = (timezone.now() + dt.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return start.isoformat()


def test_the_list_has_fill_counts_in_a_fixed_number_of_queries(cast):
    api = client_for(cast.ld_admin)
    session = SessionFactory(capacity=4, minimum=3)
    book(session, AssignmentFactory().person)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    body = api.get(URL).json()  # (the user's grants are read once, on the first request)
    (row,) = body.get("results", body)
    few = count()
    assert row["booked"] == 1 and row["fill_rate"] == 25 and row["below_minimum"] is True
    assert row["places_left"] == 3 and row["shown_status"] == "Open for booking"
    for _ in range(6):
        other = SessionFactory()
        for _ in range(2):
            book(other, AssignmentFactory().person)
    assert count() == few


def test_create_then_open(cast):
    item = LearningItemFactory()
    api = client_for(cast.ld_admin)
    response = api.post(
        URL,
        {
            "item": item.pk,
            "capacity": 10,
            "online_url": "https://meet.example/a",
            "parts": [{"starts_at": when(hour=9), "ends_at": when(hour=12)}],
            "trainers": [cast.outsider.person_id],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned" and body["trainers"] == [cast.outsider.person_id]
    opened = api.post(f"{URL}{body['id']}/open/")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    again = api.post(f"{URL}{body['id']}/open/")
    assert again.status_code == 400 and "Only a planned session" in again.json()["detail"]


def test_bad_input_names_the_field(cast):
    api = client_for(cast.ld_admin)
    response = api.post(
        URL,
        {
            "item": LearningItemFactory().pk,
            "capacity": 10,
            "minimum": 20,
            "online_url": "https://meet.example/a",
            "parts": [{"starts_at": when(hour=9), "ends_at": when(hour=12)}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "minimum" in response.json()
    response = api.post(URL, {"capacity": 0, "parts": []}, format="json")
    assert {"item", "capacity"} <= set(response.json())
    assert not Session.objects.exists()


def test_patch_refuses_a_capacity_below_the_booked_and_offers_when_raised(cast):
    session = SessionFactory(capacity=2)
    book(session, AssignmentFactory().person)
    book(session, AssignmentFactory().person)
    waiting = book(session, AssignmentFactory().person)
    api = client_for(cast.ld_admin)
    refused = api.patch(f"{URL}{session.pk}/", {"capacity": 0}, format="json")
    assert refused.status_code == 400 and "capacity" in refused.json()
    refused = api.patch(f"{URL}{session.pk}/", {"capacity": 1}, format="json")
    assert refused.status_code == 400
    assert "The capacity cannot be less than the 2" in refused.json()["capacity"][0]
    response = api.patch(f"{URL}{session.pk}/", {"capacity": 3}, format="json")
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    assert response.json()["offered"] == 1


def test_patch_dates_sends_updated_invites(cast, django_capture_on_commit_callbacks):
    session = SessionFactory()
    book(session, cast.learner.person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.ld_admin).patch(
            f"{URL}{session.pk}/",
            {"parts": [{"starts_at": when(40, 10), "ends_at": when(40, 15)}]},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["sequence"] == 1
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Changed"]


def test_the_item_does_not_change(cast):
    session = SessionFactory()
    response = client_for(cast.ld_admin).patch(
        f"{URL}{session.pk}/", {"item": LearningItemFactory().pk}, format="json"
    )
    assert response.status_code == 400 and "item" in response.json()


def test_cancel_needs_a_reason(cast):
    session = SessionFactory()
    api = client_for(cast.ld_admin)
    refused = api.post(f"{URL}{session.pk}/cancel/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    response = api.post(f"{URL}{session.pk}/cancel/", {"reason": "Venue flooded"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_move_a_booking(cast):
    item = LearningItemFactory()
    old, new, full = (
        SessionFactory(item=item),
        SessionFactory(item=item),
        SessionFactory(item=item, capacity=1),
    )
    book(full, AssignmentFactory().person)
    booking = book(old, cast.learner.person)
    api = client_for(cast.ld_admin)
    refused = api.post(
        f"{URL}{old.pk}/move/", {"booking": booking.pk, "to_session": full.pk}, format="json"
    )
    assert refused.status_code == 400 and "no place" in refused.json()["to_session"][0]
    elsewhere = api.post(
        f"{URL}{new.pk}/move/", {"booking": booking.pk, "to_session": full.pk}, format="json"
    )
    assert elsewhere.status_code == 404
    response = api.post(
        f"{URL}{old.pk}/move/", {"booking": booking.pk, "to_session": new.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["session"] == new.pk and response.json()["status"] == "booked"


def test_bookings_with_waiting_list_positions(cast):
    session = SessionFactory(capacity=1)
    book(session, AssignmentFactory().person)
    book(session, AssignmentFactory().person)
    response = client_for(cast.ld_admin).get(f"{URL}{session.pk}/bookings/")
    positions = sorted((b["status"], b["waitlist_position"]) for b in response.json())
    assert positions == [("booked", None), ("waitlisted", 1)]


def test_a_trainer_reads_but_does_not_change(cast):
    session = SessionFactory()
    session.trainers.add(cast.outsider.person)
    api = client_for(cast.outsider)
    assert api.get(f"{URL}{session.pk}/").status_code == 200
    assert api.patch(f"{URL}{session.pk}/", {"capacity": 30}, format="json").status_code == 403
    assert client_for(cast.learner).get(URL).status_code == 403
    assert client_for(cast.learner).get(f"{URL}{session.pk}/").status_code == 404


def test_only_l_and_d_change_a_session_through_the_api(cast):
    """PATCH for every role of the cast: the trainer (the outsider) gets 403, the others who
    cannot see the session 404, and signed out 401."""
    session = SessionFactory()
    session.trainers.add(cast.outsider.person)
    for who, user in cast.users().items():
        response = client_for(user).patch(f"{URL}{session.pk}/", {"minimum": 1}, format="json")
        expected = {"ld_admin": 200, "outsider": 403}.get(who, 404)
        assert response.status_code == expected, who
    assert APIClient().patch(f"{URL}{session.pk}/", {}, format="json").status_code == 401


def test_a_new_session_can_open_at_once(cast):
    response = client_for(cast.ld_admin).post(
        URL,
        {
            "item": LearningItemFactory().pk,
            "capacity": 8,
            "online_url": "https://meet.example/b",
            "parts": [{"starts_at": when(hour=9), "ends_at": when(hour=11)}],
            "open_now": True,
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "open"
