"""The workforce dashboard in a real browser: an HR officer opens it from the navigation,
chooses children's social care, and sees each trend drawn as a chart beside its table. The
page fits 320 pixels, works from the keyboard and passes axe-core, with the charts and
without them."""

import pytest
from django.urls import reverse

from tests.browser.checks import check_page, sign_in
from tests.workforce.conftest import service  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_read_the_measures_and_their_trend(page, live_server, cast, service):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.hr_officer.email)
    page.get_by_role("link", name="Workforce").first.click()
    page.wait_for_url(base + reverse("workforce:dashboard"))
    page.get_by_label("As of (YYYY-MM-DD)").fill("2025-09-30")
    page.get_by_label("Unit (and everything under it)").select_option(
        label="Children's social care"
    )
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("h1:has-text('Workforce: Children')")
    assert "40.0%" in page.content()
    # Chart.js drew each trend: its canvas is shown, with the numbers in the table beside it.
    page.wait_for_function(
        "() => document.querySelectorAll('.pp-chart:not([hidden])').length === 5"
    )
    check_page(page, page.url)


def test_without_javascript_the_tables_are_all_there(browser, live_server, cast, service):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, cast.senior_leader.email)
    page.goto(base + reverse("workforce:dashboard") + "?on=2025-09-30&unit=CSC")
    assert page.locator(".pp-chart[hidden]").count() == 5
    assert page.get_by_role("table").count() == 8
    context.close()


def test_the_retention_page_in_the_browser(page, live_server, cast, service):  # noqa: F811
    import datetime as dt

    from peopleplan.workforce.models import Cohort, CohortMember, RecruitmentRoute

    route, _ = RecruitmentRoute.objects.get_or_create(code="frontline", defaults={"name": "F"})
    cohort = Cohort.objects.create(route=route, name="F1")
    for name in "AC":
        CohortMember.objects.create(
            cohort=cohort, person=service["people"][name], started_on=dt.date(2023, 9, 1)
        )
    base = live_server.url
    sign_in(page, base, cast.senior_leader.email)
    page.goto(base + reverse("workforce:dashboard") + "?on=2025-09-30")
    page.get_by_role("link", name="Recruitment routes, retention and leavers by quarter").click()
    page.wait_for_selector("h1:has-text('Recruitment and retention')")
    page.wait_for_function(
        "() => document.querySelectorAll('.pp-chart:not([hidden])').length === 1"
    )
    check_page(page, page.url)
