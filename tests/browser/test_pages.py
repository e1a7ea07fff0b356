"""Every page, signed in through the real form as each member of the cast: it fits a 320-pixel
screen, works from the keyboard, and axe-core finds nothing serious or critical."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from peopleplan.org import services
from tests.browser.checks import (
    NARROW,
    WIDE,
    axe_violations,
    check_page,
    describe,
    sideways_overflow,
    sign_in,
    tab_through,
)
from tests.factories import AssignmentFactory, PersonFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages_for(cast, name: str) -> list[str]:
    user = getattr(cast, name)
    mine = [reverse("home"), reverse("org:person", args=[user.person_id]), reverse("org:my_team")]
    learner = reverse("org:person", args=[cast.learner.person_id])
    org = [
        reverse("org:people"),
        reverse("org:people") + f"?unit={cast.adults.pk}&q=a",
        reverse("org:units"),
        reverse("org:unit", args=[cast.adults.pk]),
        reverse("org:unit", args=[cast.adults_team.pk]),
        learner,
    ]
    return {
        "learner": mine,
        "manager": [*mine, learner],
        "senior_manager": mine,
        "hr_officer": [*mine, *org],
        "outsider": mine,
        "ld_admin": [reverse("home"), reverse("org:units")],
        "hr_equality": [reverse("home"), learner, reverse("org:unit", args=[cast.council.pk])],
        "adults_hr": [reverse("home"), *org],
        "senior_leader": [reverse("home"), reverse("org:unit", args=[cast.childrens.pk])],
        "budget_holder": [reverse("home"), reverse("org:units")],
        "sysadmin": [reverse("home"), reverse("org:units")],
    }[name]


@pytest.fixture
def busy_cast(cast):
    """The cast, with enough posts, people and history to fill the tables and the timeline."""
    for n in range(3):
        post = PostFactory(unit=cast.adults_team, is_critical=n == 0)
        if n:
            AssignmentFactory(unit=cast.adults_team, post=post, line_manager=cast.manager.person)
    AssignmentFactory(
        person=PersonFactory(last_name="Agency-Worker-With-A-Very-Long-Name"),
        unit=cast.adults_team,
        post=PostFactory(unit=cast.adults_team),
        contract_type="agency",
    )
    services.equality_record_set(person=cast.learner.person, ethnicity="Any other White background")
    return cast


@pytest.mark.parametrize(
    "name",
    [
        "learner",
        "manager",
        "senior_manager",
        "outsider",
        "ld_admin",
        "hr_officer",
        "hr_equality",
        "adults_hr",
        "senior_leader",
        "budget_holder",
        "sysadmin",
    ],
)
def test_pages_for_each_role(page, live_server, busy_cast, name):
    user = getattr(busy_cast, name)
    sign_in(page, live_server.url, user.email)
    for path in pages_for(busy_cast, name):
        check_page(page, live_server.url + path)


def test_pages_before_signing_in(page, live_server, cast):
    for path in (
        reverse("access:login"),
        reverse("access:password_reset"),
        reverse("access:password_reset_done"),
        reverse("access:password_reset_complete"),
    ):
        check_page(page, live_server.url + path)


def test_choosing_a_new_password(page, live_server, cast):
    user = cast.learner
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    check_page(page, live_server.url + reverse("access:password_reset_confirm", args=[uid, token]))
    page.set_viewport_size(WIDE)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_sign_in_errors_are_summarised_and_linked(page, live_server, cast):
    page.goto(live_server.url + reverse("access:login"))
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    # GOV.UK Frontend moves focus to the summary; its links go to the fields.
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    page.set_viewport_size(NARROW)
    assert sideways_overflow(page) <= 0
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_lock_out_page(page, live_server, cast):
    for attempt in range(5):
        page.goto(live_server.url + reverse("access:login"))
        page.get_by_label("Email address").fill("learner@council.example")
        page.get_by_label("Password", exact=True).fill(f"wrong {attempt}")
        page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Your account is locked for now"
    assert not axe_violations(page), describe(axe_violations(page))
    page.set_viewport_size(NARROW)
    assert sideways_overflow(page) <= 0


def test_error_pages(page, live_server, cast):
    sign_in(page, live_server.url, cast.manager.email)
    response = page.goto(live_server.url + reverse("org:person", args=[cast.outsider.person_id]))
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    response = page.goto(live_server.url + reverse("org:people"))
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You cannot see this page"
    assert not axe_violations(page), describe(axe_violations(page))


def test_skip_link_moves_focus_to_the_main_content(page, live_server, cast):
    sign_in(page, live_server.url, cast.learner.email)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Skip to main content"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_narrow_screen_menu_and_sign_out(page, live_server, cast):
    sign_in(page, live_server.url, cast.hr_officer.email)
    page.set_viewport_size(NARROW)
    nav = page.get_by_role("navigation", name="Menu")
    menu = nav.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(nav.get_by_role("link", name="People", exact=True)).to_be_hidden()
    menu.click()
    expect(nav.get_by_role("link", name="People", exact=True)).to_be_visible()
    nav.get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + reverse("access:login"))
    assert "You have signed out" in page.content()
    page.set_viewport_size(WIDE)
    assert tab_through(page)[0]["text"] == "Skip to main content"
