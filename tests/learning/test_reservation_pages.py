"""L&D reserves places on a session from its page, and stops reserving them."""

import datetime as dt

import pytest
from django.urls import reverse

from peopleplan.core.models import AuditEntry
from peopleplan.learning import services
from peopleplan.learning.models import Booking, PlaceReservation, Programme
from tests.factories import AssignmentFactory, SessionFactory


@pytest.fixture
def session(cast):
    return SessionFactory(capacity=10)


def reserve(client, session, **data):
    return client.post(reverse("learning:session_reserve", args=[session.pk]), data)


def test_reserving_for_one_unit(client, cast, session):
    client.force_login(cast.ld_admin)
    assert client.get(reverse("learning:session_reserve", args=[session.pk])).status_code == 200
    response = reserve(client, session, holder="unit", unit_code="adu", places=3)
    assert response.status_code == 302
    reservation = PlaceReservation.objects.get()
    assert (reservation.unit, reservation.places) == (cast.adults, 3)
    assert AuditEntry.objects.filter(summary="3 places reserved for Adults").exists()
    page = client.get(reverse("learning:session_detail", args=[session.pk])).content.decode()
    assert "Stop reserving" in page


def test_sharing_among_directorates_by_headcount(client, cast, session):
    cast.adults.unit_type = cast.childrens.unit_type = "directorate"
    cast.adults.save()
    cast.childrens.save()
    for _ in range(4):  # Adults: 3 in the cast and these 4; Children's: the outsider and 3
        AssignmentFactory(unit=cast.adults_team)
    for _ in range(3):
        AssignmentFactory(unit=cast.childrens_team)
    client.force_login(cast.ld_admin)
    reserve(
        client,
        session,
        holder="pro_rata",
        directorates=[cast.adults.pk, cast.childrens.pk],
        places=4,
        release_at="2030-01-01T09:00",
    )
    shares = dict(PlaceReservation.objects.values_list("unit__code", "places"))
    assert shares == {"ADU": 3, "CHI": 1}
    assert all(r.release_at for r in PlaceReservation.objects.all())


def test_for_a_programmes_cohort(client, cast, session):
    programme = Programme.objects.create(code="MDP", title="Managers")
    client.force_login(cast.ld_admin)
    reserve(client, session, holder="programme", programme=programme.pk, places=2)
    assert PlaceReservation.objects.get().programme == programme


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "holder", "Select who the places are for"),
        ({"holder": "unit", "places": 1}, "unit_code", "Enter the code of the unit"),
        (
            {"holder": "unit", "unit_code": "NOPE", "places": 1},
            "unit_code",
            "There is no unit with the code NOPE",
        ),
        ({"holder": "pro_rata", "places": 1}, "directorates", "Select the directorates"),
        ({"holder": "programme", "places": 1}, "programme", "Choose the programme"),
        ({"holder": "unit", "unit_code": "ADU", "places": 0}, "places", "Reserve at least 1"),
        (
            {"holder": "unit", "unit_code": "ADU", "places": 11},
            "places",
            "Only 10 of the 10 places are neither reserved nor taken",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_kept(client, cast, session, data, field, message):
    client.force_login(cast.ld_admin)
    response = reserve(client, session, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'href="#id_{field}' in response.content.decode()
    assert not PlaceReservation.objects.exists()


def test_stopping_a_reservation_offers_its_places_to_the_waiting_list(cast, session):
    session.capacity = 2
    session.save()
    reservation = services.reservation_add(
        session=session, places=1, unit=cast.childrens, actor=cast.ld_admin
    )
    first = services.booking_create(session=session, person=cast.learner.person, actor=None)
    waiting = services.booking_create(session=session, person=cast.manager.person, actor=None)
    assert (first.status, waiting.status) == ("booked", "waitlisted")
    services.reservation_remove(reservation=reservation, actor=cast.ld_admin)
    assert Booking.objects.get(pk=waiting.pk).status == "offered"
    assert not PlaceReservation.objects.exists()


def test_the_page_stops_a_reservation(client, cast, session):
    reservation = services.reservation_add(session=session, places=2, unit=cast.adults)
    client.force_login(cast.ld_admin)
    url = reverse("learning:reservation_remove", args=[session.pk, reservation.pk])
    assert client.post(url).status_code == 302
    assert not PlaceReservation.objects.exists()
    assert client.post(url).status_code == 404


def test_a_past_or_cancelled_session_takes_no_reservations(client, cast):
    session = SessionFactory(starts_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    services.session_cancel(session=session, reason="Off", actor=None)
    client.force_login(cast.ld_admin)
    assert client.get(reverse("learning:session_reserve", args=[session.pk])).status_code == 404
