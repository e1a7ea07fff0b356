"""Booking several people at once, and the approval a manager's or L&D's booking carries."""

import pytest
from django.core import mail
from django.urls import reverse

from peopleplan.learning import services
from peopleplan.learning.models import Approval, Booking
from tests.factories import AssignmentFactory, SessionFactory

S = Booking.Status


@pytest.fixture
def team(cast):
    """Three more reports of the manager."""
    return [
        AssignmentFactory(unit=cast.adults_team, line_manager=cast.manager.person).person
        for _ in range(3)
    ]


def many(client, session, **data):
    return client.post(reverse("learning:book_many", args=[session.pk]), data)


def test_a_manager_books_their_team_after_checking(client, cast, team):
    session = SessionFactory(capacity=2)
    client.force_login(cast.manager)
    page = client.get(reverse("learning:book_many", args=[session.pk])).content.decode()
    assert all(p.full_name in page for p in team) and cast.outsider.person.full_name not in page
    chosen = [str(p.pk) for p in team]
    check = many(client, session, people=chosen)
    assert "Check the bookings before confirming" in check.content.decode()
    assert not Booking.objects.exists()
    done = many(client, session, people=chosen, confirm="yes").content.decode()
    assert "2 of 3 booked" in done and "number 1 on the waiting list" in done
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == [S.BOOKED, S.BOOKED, S.WAITLISTED]


def test_employee_numbers_from_a_list(client, cast, team):
    session = SessionFactory()
    client.force_login(cast.ld_admin)
    numbers = f"{team[0].employee_number}\n{team[1].employee_number.lower()}, "
    numbers += f"{cast.outsider.person.employee_number}"
    many(client, session, employee_numbers=numbers, confirm="yes")
    booked = set(Booking.objects.values_list("person_id", flat=True))
    assert booked == {team[0].pk, team[1].pk, cast.outsider.person_id}


def test_an_unknown_number_is_named_and_nothing_is_booked(client, cast, team):
    session = SessionFactory()
    client.force_login(cast.manager)
    response = many(
        client,
        session,
        employee_numbers=f"{team[0].employee_number} NOPE-1 {cast.outsider.person.employee_number}",
        confirm="yes",
    )
    page = response.content.decode()
    assert "No one you can book for has the employee number NOPE-1" in page
    assert cast.outsider.person.employee_number in page  # not the manager's to book
    assert not Booking.objects.exists()


def test_nobody_chosen(client, cast):
    client.force_login(cast.manager)
    page = many(client, SessionFactory()).content.decode()
    assert "Select the people to book, or enter their employee numbers" in page


def test_someone_booked_already_is_reported_and_the_rest_booked(client, cast, team):
    session = SessionFactory()
    services.booking_create(session=session, person=team[0], actor=None)
    client.force_login(cast.manager)
    page = many(client, session, people=[str(p.pk) for p in team], confirm="yes")
    text = page.content.decode()
    assert "2 of 3 booked" in text and "already has a booking on this session" in text


def test_a_closed_session_refuses_everyone(client, cast, team):
    client.force_login(cast.manager)
    session = SessionFactory(status="cancelled")
    page = many(client, session, people=[str(team[0].pk)], confirm="yes").content.decode()
    assert "This session is cancelled" in page
    assert not Booking.objects.exists()


def test_only_managers_and_ld_book_several(client, cast):
    client.force_login(cast.learner)
    assert client.get(reverse("learning:book_many", args=[SessionFactory().pk])).status_code == 403


def test_a_managers_booking_is_their_approval(cast):
    session = SessionFactory(approval=Approval.MANAGER)
    booking = services.booking_create(
        session=session, person=cast.learner.person, actor=cast.manager, booked_as="manager"
    )
    assert booking.status == S.BOOKED
    assert booking.events.get().reason == "Booked by their manager"


def test_a_managers_booking_still_goes_to_ld_when_the_rule_says_so(
    cast, django_capture_on_commit_callbacks
):
    session = SessionFactory(approval=Approval.MANAGER_THEN_LD)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            session=session, person=cast.learner.person, actor=cast.manager, booked_as="manager"
        )
    assert booking.status == S.APPROVED
    assert cast.ld_admin.email in [m.to[0] for m in mail.outbox]


def test_an_ld_booking_needs_no_approval(cast):
    session = SessionFactory(approval=Approval.MANAGER_THEN_LD)
    booking = services.booking_create(
        session=session, person=cast.learner.person, actor=cast.ld_admin, booked_as="admin"
    )
    assert booking.status == S.BOOKED


def test_the_booking_pages_book_in_the_right_capacity(client, cast):
    session = SessionFactory(approval=Approval.MANAGER)
    client.force_login(cast.manager)
    url = reverse("learning:book_check", args=[session.pk]) + f"?person={cast.learner.person_id}"
    assert "A place will be booked" in client.get(url).content.decode()
    client.post(url, {"person": cast.learner.person_id})
    assert Booking.objects.get().status == S.BOOKED
    client.force_login(cast.learner)
    other = SessionFactory(approval=Approval.MANAGER)
    client.post(reverse("learning:book_check", args=[other.pk]))
    assert Booking.objects.get(session=other).status == S.AWAITING_APPROVAL


def test_the_api_books_several(client, cast, team):
    session = SessionFactory(capacity=1)
    client.force_login(cast.manager)
    response = client.post(
        "/api/learning/bookings/many/",
        {
            "session": session.pk,
            "people": [team[0].pk],
            "employee_numbers": [team[1].employee_number],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert [row["booking"]["status"] for row in body] == ["booked", "waitlisted"]
    refused = client.post(
        "/api/learning/bookings/many/",
        {"session": session.pk, "people": [cast.outsider.person_id]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "No one you can book for has the id" in refused.json()["people"][0]
