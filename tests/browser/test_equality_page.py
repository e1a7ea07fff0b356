"""The equality figures in a real browser: an HR equality viewer goes from the navigation to
the equality page, reads the counts with small numbers hidden, moves between the tabs from the
keyboard, enters the comparison population (put right after an error) and sees it beside the
workforce. The pages fit 320 pixels, work from the keyboard and pass axe-core, with and
without JavaScript."""

import pytest
from django.urls import reverse

from tests.browser.checks import check_page, sign_in
from tests.workforce.conftest import equality_staff  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_equality_viewer_reads_the_figures_and_enters_the_census(
    page,
    live_server,
    equality_staff,  # noqa: F811
):
    base = live_server.url
    sign_in(page, base, equality_staff.hr_equality.email)
    page.get_by_role("link", name="Workforce equality").first.click()
    page.wait_for_url(base + reverse("workforce:equality"))
    page.wait_for_selector("h1:has-text('Workforce equality: the council')")
    page.goto(base + reverse("workforce:equality") + "?on=2025-09-30")
    sex = page.get_by_role("table", name="Sex: people in each group")
    assert "14" in sex.inner_text() and "Fewer than 5" in sex.inner_text()  # 2 starters
    check_page(page, page.url)

    # The tabs, from the keyboard: the first tab is focused, the arrow moves to the next.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("tab", name="Sex").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("table", name="Ethnic group: people in each group").is_visible()
    assert not sex.is_visible()

    page.get_by_role("link", name="Enter the comparison population").click()
    page.wait_for_url(base + reverse("workforce:equality_comparison"))
    page.get_by_label("What the population is").fill("City residents aged 16 to 64")
    page.get_by_role("group", name="Sex").get_by_label("Female", exact=True).fill("60")
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).fill("49.6")
    page.get_by_role("button", name="Save the comparison population").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "The sex shares add up to 109.6%" in page.inner_text(".govuk-error-summary")
    check_page(page, page.url)  # opens the form afresh
    page.get_by_label("What the population is").fill("City residents aged 16 to 64")
    page.get_by_role("group", name="Sex").get_by_label("Female", exact=True).fill("50.4")
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).fill("49.6")
    page.get_by_role("button", name="Save the comparison population").click()
    page.wait_for_url(base + reverse("workforce:equality"))
    page.goto(base + reverse("workforce:equality") + "?on=2025-09-30")
    sex = page.get_by_role("table", name="Sex: people in each group")
    assert "City residents aged 16 to 64" in sex.inner_text() and "50.4%" in sex.inner_text()


def test_without_javascript_every_tab_shows(browser, live_server, equality_staff):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, equality_staff.hr_equality.email)
    page.goto(base + reverse("workforce:equality") + "?on=2025-09-30")
    for name in ("Sex", "Ethnic group", "Disability", "Age"):
        assert page.get_by_role("table", name=f"{name}: people in each group").is_visible()
    context.close()
