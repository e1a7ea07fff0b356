"""The compliance status pages in the browser: my compliance, a person's and the team matrix
fit 320 pixels (the matrix scrolls inside its labelled region), work from the keyboard and pass
axe-core."""

import pytest
from django.urls import reverse

from tests.browser.checks import check_page, sign_in
from tests.compliance.test_status_pages import reqs  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_compliance(page, live_server, cast, reqs):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.learner.email)
    check_page(page, base + reverse("compliance:mine"))
    check_page(page, base + reverse("compliance:mine") + "?on-day=30&on-month=2&on-year=2026")
    page.goto(base + reverse("compliance:mine"))
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Show").click()
    assert "up to date with 0 of 2" in page.locator("[data-testid=summary]").inner_text()


def test_the_team_matrix_and_a_persons_compliance(page, live_server, cast, reqs):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.senior_manager.email)
    team = base + reverse("compliance:team")
    check_page(page, team)
    check_page(page, team + f"?sort=req-{reqs['sga'].pk}&status=attention")
    check_page(page, base + reverse("compliance:person", args=[cast.learner.person_id]))
    page.goto(team)
    page.get_by_label("Direct reports only").check()
    page.get_by_role("button", name="Show").click()
    assert page.locator("[data-person]").count() == 1


def test_the_unit_matrix_for_l_and_d(page, live_server, cast, reqs):  # noqa: F811
    base = live_server.url
    sign_in(page, base, cast.ld_admin.email)
    check_page(page, base + reverse("compliance:team"))
    page.goto(base + reverse("compliance:team"))
    page.get_by_label("Whose compliance").select_option(label="Adults")
    page.get_by_role("button", name="Show").click()
    assert page.locator("[data-person]").count() == 3
    check_page(page, page.url)
