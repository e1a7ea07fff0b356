"""The gender pay gap in a real browser: an HR officer goes from the workforce dashboard to
the pay gap, reads the six measures on the latest snapshot, and chooses an earlier one. The
page fits 320 pixels, works from the keyboard and passes axe-core."""

import pytest
from django.urls import reverse

from tests.browser.checks import check_page, sign_in
from tests.workforce.conftest import pay  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_read_the_pay_gap_and_choose_a_snapshot(page, live_server, cast, pay):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.hr_officer.email)
    page.goto(base + reverse("workforce:dashboard"))
    page.get_by_role("link", name="gender pay gap").click()
    page.wait_for_url(base + reverse("workforce:pay_gap"))
    page.wait_for_selector("h1:has-text('Gender pay gap on 31 March 2025')")
    hourly = page.get_by_role("table", name="Hourly pay of full-pay relevant employees")
    assert "21.4%" in hourly.inner_text() and "15.4%" in hourly.inner_text()
    check_page(page, page.url)

    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_label("Snapshot date").select_option(label="31 March 2024")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("h1:has-text('Gender pay gap on 31 March 2024')")
    assert "5.3%" in page.content()
    check_page(page, page.url)
