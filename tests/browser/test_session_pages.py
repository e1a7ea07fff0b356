"""L&D's session pages in the browser: the list, a session with its waiting list, setting one
up (with its errors), changing it, cancelling it, and moving a learner; each page fits 320
pixels, works from the keyboard and passes axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from peopleplan.learning import services
from peopleplan.learning.models import Booking, Session, Venue
from tests.browser.checks import axe_violations, check_page, describe, sign_in
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sessions(cast):
    venue = Venue.objects.create(name="Civic Centre", address="1 High Street\nNorthbridge")
    item = LearningItemFactory(
        code="SAFE-101",
        title="Safeguarding adults: recognising abuse and neglect in the community",
    )
    session = SessionFactory(item=item, venue=venue, capacity=2, minimum=2)
    later = SessionFactory(
        item=item,
        online_url="https://meet.example/abc",
        starts_at=timezone.now() + dt.timedelta(days=45),
    )
    booking = services.booking_create(session=session, person=cast.learner.person, actor=None)
    for _ in range(3):
        services.booking_create(session=session, person=AssignmentFactory().person, actor=None)
    SessionFactory(item=LearningItemFactory(title="First aid at work"), status="planned")
    return {"session": session, "later": later, "booking": booking}


def test_l_and_d_pages(page, live_server, cast, sessions):
    base = live_server.url
    session = sessions["session"]
    sign_in(page, base, cast.ld_admin.email)
    check_page(page, base + reverse("learning:session_list"))
    check_page(page, base + reverse("learning:session_list") + "?status=full&when=all")
    check_page(page, base + reverse("learning:session_detail", args=[session.pk]))
    assert "Waiting list" in page.locator("main").inner_text()
    check_page(page, base + reverse("learning:session_edit", args=[session.pk]))
    check_page(page, base + reverse("learning:session_cancel", args=[session.pk]))


def test_setting_up_a_session_with_a_mistake(page, live_server, cast, sessions):
    base = live_server.url
    sign_in(page, base, cast.ld_admin.email)
    check_page(page, base + reverse("learning:session_new"))
    page.get_by_label("Learning item code").fill("SAFE-101")
    page.get_by_label("Capacity", exact=True).fill("10")
    page.get_by_role("button", name="Set up the session").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the date of the session" in summary
    assert "Choose a venue or give an online link" in summary
    violations = axe_violations(page)
    assert not violations, describe(violations)
    day = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    page.locator("#id_part1_date").fill(day)
    page.locator("#id_part1_start").fill("09:30")
    page.locator("#id_part1_end").fill("12:30")
    page.get_by_label("Online link").fill("https://meet.example/new")
    page.get_by_role("button", name="Set up the session").click()
    page.wait_for_selector("text=The session is set up")
    created = Session.objects.order_by("-id").first()
    assert created.status == Session.Status.PLANNED and created.parts.count() == 1


def test_moving_a_learner(page, live_server, cast, sessions):
    base = live_server.url
    booking = sessions["booking"]
    sign_in(page, base, cast.ld_admin.email)
    check_page(page, base + reverse("learning:booking_move_choose", args=[booking.pk]))
    page.get_by_role("button", name="Continue").click()
    assert "Select the session to move them to" in page.locator(".govuk-error-summary").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.locator("input[name=to]").first.check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("text=Check your answers")
    check_page(page, page.url)
    page.get_by_role("button", name="Move").click()
    page.wait_for_selector("text=is moved")
    check_page(page, page.url)
    moved = Booking.objects.get(session=sessions["later"], person=cast.learner.person)
    assert moved.status == Booking.Status.BOOKED


def test_reserving_places(page, live_server, cast, sessions):
    base = live_server.url
    session = sessions["later"]
    sign_in(page, base, cast.ld_admin.email)
    url = base + reverse("learning:session_reserve", args=[session.pk])
    check_page(page, url)
    page.goto(url)
    page.get_by_label("The people of one part of the council").check()
    page.get_by_role("button", name="Reserve places").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the code of the unit" in summary and "Enter the number of places" in summary
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_label("Unit code").fill("ADU")
    page.get_by_label("Number of places").fill("2")
    page.get_by_role("button", name="Reserve places").click()
    page.wait_for_url(f"**/learning/sessions/{session.pk}/")
    assert "2 places reserved for Adults" in page.content()
    check_page(page, base + reverse("learning:session_detail", args=[session.pk]))
