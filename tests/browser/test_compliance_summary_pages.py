"""Compliance in numbers in a real browser: an HR officer opens the overview from the
navigation, goes down from the council to a directorate and to the people behind a number, and
looks at who runs out soon; a senior leader sees the numbers without links to names. Every page
fits 320 pixels, works from the keyboard and passes axe-core."""

import pytest
from django.urls import reverse

from tests.browser.checks import check_page, sign_in
from tests.compliance.test_summary import world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_goes_from_the_overview_to_the_people(page, live_server, cast, world):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.hr_officer.email)
    page.get_by_role("link", name="Compliance in numbers").first.click()
    page.wait_for_url(base + reverse("compliance:overview"))
    check_page(page, base + reverse("compliance:overview"))
    summary = base + reverse("compliance:summary")
    check_page(page, summary)
    page.goto(summary)
    page.get_by_role("link", name="Adults", exact=True).click()
    page.wait_for_selector("h1:has-text('Compliance summary: Adults')")
    page.get_by_role("link", name="Expired: 1").first.click()
    page.wait_for_selector("text=Dee Test")
    check_page(page, page.url)
    check_page(page, base + reverse("compliance:expiring") + "?days=90")
    assert "Bea Test" in page.content()


def test_a_senior_leader_sees_numbers_not_names(page, live_server, cast, world):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.senior_leader.email)
    check_page(page, base + reverse("compliance:summary"))
    assert page.locator(f"a[href*='{reverse('compliance:summary_people')}']").count() == 0
    check_page(page, base + reverse("compliance:expiring"))
