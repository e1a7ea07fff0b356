"""The upload page in a real browser: an HR officer uploads a file with a problem, reads the
problem by row and column, then applies the good rows; the audit log shows the import."""

import pytest
from django.urls import reverse

from peopleplan.org.models import Person
from tests.browser.checks import check_page, sign_in
from tests.org.test_import_people import PEOPLE, people_csv, reference  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_and_apply(page, live_server, cast, reference, tmp_path):  # noqa: F811
    rows = [PEOPLE[0], PEOPLE[1].replace("permanent,0.80", "permanent,2"), *PEOPLE[2:]]
    path = tmp_path / "people.csv"
    path.write_text(people_csv(rows), encoding="utf-8")
    sign_in(page, live_server.url, cast.hr_officer.email)
    check_page(page, live_server.url + reverse("core:import_list"))

    page.get_by_label("People").check()
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_selector("text=Problems")
    assert page.get_by_role("cell", name="2 is outside 0 to 1.5").is_visible()
    check_page(page, page.url)

    page.get_by_role("button", name="Apply the good rows and skip 1 with problems").click()
    page.wait_for_selector("text=Import applied")
    assert Person.objects.filter(employee_number__in=["E1", "E3", "E4"]).count() == 3
    check_page(page, page.url)

    check_page(page, live_server.url + reverse("core:audit"))
    assert page.get_by_text("People from people.csv").first.is_visible()


def test_upload_form_errors_are_summarised(page, live_server, cast):
    sign_in(page, live_server.url, cast.hr_officer.email)
    page.goto(live_server.url + reverse("core:import_list"))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Select what the file holds" in summary.inner_text()
    check_page(page, page.url)
