"""The learning pages in the browser: a learner finds an item, books a place through the
journey and sees it in My bookings; a manager books for a report; every page fits 320 pixels,
works from the keyboard and passes axe-core."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from peopleplan.learning import services
from peopleplan.learning.models import Programme, ProgrammeItem, ProgrammeMember, Topic, Venue
from tests.browser.checks import axe_violations, check_page, describe, sign_in
from tests.factories import LearningItemFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(cast):
    topic = Topic.objects.create(name="Safeguarding", slug="safeguarding")
    venue = Venue.objects.create(name="Civic Centre", address="1 High Street\nNorthbridge")
    item = LearningItemFactory(
        title="Safeguarding adults: recognising abuse and neglect in the community",
        summary="Spot the signs and know what to do",
        description="A day on safeguarding adults.",
        outcomes="Recognise the signs of abuse.",
        audience="Everyone who works with adults",
        cost_per_delegate=Decimal("85"),
    )
    item.topics.add(topic)
    session = SessionFactory(item=item, venue=venue, capacity=2)
    SessionFactory(
        item=item,
        online_url="https://meet.example/abc",
        starts_at=timezone.now() + dt.timedelta(days=45),
    )
    for n in range(25):
        LearningItemFactory(title=f"Other course {n:02d}")
    return {"item": item, "session": session}


def test_a_learner_finds_books_and_sees_the_booking(page, live_server, cast, catalogue):
    base = live_server.url
    sign_in(page, base, cast.learner.email)
    check_page(page, base + reverse("learning:find"))
    check_page(page, base + reverse("learning:find") + "?page=2")

    page.goto(base + reverse("learning:find"))
    page.get_by_label("Search").fill("safeguarding")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=catalogue["item"].title).click()
    item_url = page.url
    check_page(page, item_url)

    page.goto(item_url)
    page.get_by_role("link", name="Book").first.click()
    # A learner books only for themselves, so the journey starts at "Check your answers".
    page.wait_for_url("**/book/check/**")
    check_url = page.url
    assert page.locator("h1").inner_text() == "Check your answers before booking"
    check_page(page, check_url)
    page.goto(check_url)
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url("**/confirmation/")
    assert page.locator(".govuk-panel__title").inner_text() == "Booking confirmed"
    check_page(page, page.url)

    page.goto(base + reverse("learning:bookings"))
    assert catalogue["item"].title in page.content()
    assert "Booked" in page.locator("main").inner_text()
    check_page(page, page.url)

    # Cancelling asks first.
    page.get_by_role("link", name="Cancel booking").click()
    check_page(page, page.url)


def test_a_refused_booking_and_an_offer(page, live_server, cast, catalogue):
    base = live_server.url
    session = catalogue["session"]
    services.booking_create(session=session, person=cast.learner.person, actor=None)
    sign_in(page, base, cast.learner.email)
    page.goto(base + reverse("learning:book_check", args=[session.pk]))
    page.get_by_role("button", name="Confirm booking").click()
    summary = page.locator(".govuk-error-summary")
    assert "already has a booking" in summary.inner_text()
    assert not axe_violations(page), describe(axe_violations(page))

    full = SessionFactory(item=catalogue["item"], capacity=1)
    first = services.booking_create(session=full, person=cast.outsider.person, actor=None)
    services.booking_create(session=full, person=cast.learner.person, actor=None)
    services.booking_cancel(booking=first, actor=None, by="learner")
    check_page(page, base + reverse("learning:bookings"))
    page.goto(base + reverse("learning:bookings"))
    page.get_by_role("button", name="Accept the place").click()
    assert "Place accepted" in page.content()

    page.get_by_role("button", name="Get a calendar address").click()
    address = page.get_by_label("Subscribe to this address").input_value()
    assert address.startswith(base) and address.endswith("/bookings.ics")
    check_page(page, base + reverse("learning:bookings"))


def test_a_manager_books_for_a_report(page, live_server, cast, catalogue):
    base = live_server.url
    session = catalogue["session"]
    sign_in(page, base, cast.manager.email)
    who = base + reverse("learning:book_who", args=[session.pk])
    check_page(page, who)
    page.goto(who)
    page.get_by_role("button", name="Continue").click()
    assert "Select who this booking is for" in page.locator(".govuk-error-summary").inner_text()
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_label(cast.learner.person.full_name).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/book/check/**")
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url("**/confirmation/")
    assert page.locator(".govuk-panel__title").inner_text() == "Booking confirmed"
    check_page(page, base + reverse("learning:bookings"))


def test_an_ld_admin_chooses_someone_else(page, live_server, cast, catalogue):
    base = live_server.url
    sign_in(page, base, cast.ld_admin.email)
    page.goto(base + reverse("learning:book_who", args=[catalogue["session"].pk]))
    page.get_by_role("radio", name="Someone else").check()
    page.get_by_label("Employee number of someone else").fill(cast.outsider.person.employee_number)
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/book/check/**")
    assert cast.outsider.person.full_name in page.locator("main").inner_text()


def test_a_manager_books_several_people(page, live_server, cast, catalogue):
    base = live_server.url
    session = catalogue["session"]
    sign_in(page, base, cast.manager.email)
    url = base + reverse("learning:book_many", args=[session.pk])
    check_page(page, url)
    page.goto(url)
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select the people to book" in summary
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_label(cast.learner.person.full_name).check()
    page.get_by_label("Employee numbers").fill("NOT-A-NUMBER")
    page.get_by_role("button", name="Continue").click()
    assert "NOT-A-NUMBER" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Employee numbers").fill("")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the bookings before confirming").is_visible()
    assert not axe_violations(page), describe(axe_violations(page))
    page.get_by_role("button", name="Confirm bookings").click()
    assert page.locator(".govuk-panel__title").inner_text() == "1 of 1 booked"
    assert not axe_violations(page), describe(axe_violations(page))


def test_programmes_pages(page, live_server, cast, catalogue):
    programme = Programme.objects.create(
        code="MDP", title="Manager development programme", required_count=1
    )
    ProgrammeItem.objects.create(programme=programme, item=catalogue["item"], position=1)
    ProgrammeMember.objects.create(
        programme=programme, person=cast.learner.person, joined_on=dt.date(2026, 4, 1)
    )
    base = live_server.url
    sign_in(page, base, cast.learner.email)
    check_page(page, base + reverse("learning:programmes"))
    check_page(page, base + reverse("learning:programme", args=[programme.pk]))
    page.context.clear_cookies()
    sign_in(page, base, cast.manager.email)
    check_page(page, base + reverse("learning:programme", args=[programme.pk]))
    assert cast.learner.person.full_name in page.content()
