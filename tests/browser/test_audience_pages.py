"""Audiences in the browser: the list, an audience, and the form with its rows of rules and
its preview (htmx, then without JavaScript), with a mistake and then saved; each page fits 320
pixels, works from the keyboard and passes axe-core."""

import pytest
from django.urls import reverse

from peopleplan.org import services
from peopleplan.org.models import Audience
from tests.browser.checks import axe_violations, check_page, describe, sign_in
from tests.factories import AssignmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def managers(cast):
    for _ in range(3):
        AssignmentFactory(unit=cast.childrens_team, contract_type="agency")
    return services.audience_create(
        actor=None,
        code="managers",
        name="Managers",
        description="Everyone who line manages someone, and no agency workers",
        rules=[
            {"kind": "line_manager"},
            {"kind": "contract_type", "values": ["agency"], "exclude": True},
        ],
    )


def test_the_pages(page, live_server, cast, managers):
    base = live_server.url
    sign_in(page, base, cast.hr_officer.email)
    check_page(page, base + reverse("org:audience_list"))
    assert "Line manages someone" in page.locator("main").inner_text()
    check_page(page, base + reverse("org:audience_detail", args=[managers.pk]))
    check_page(page, base + reverse("org:audience_edit", args=[managers.pk]))
    check_page(page, base + reverse("org:audience_delete", args=[managers.pk]))


def test_the_form_with_its_preview(page, live_server, cast, managers):
    base = live_server.url
    sign_in(page, base, cast.ld_admin.email)
    check_page(page, base + reverse("org:audience_new"))
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_label("Name", exact=True).fill("Children's services")
    page.get_by_label("What is the rule about?").select_option("unit")
    page.get_by_label("Codes or names").fill("CHI")
    # The preview comes in place (htmx): the page is not reloaded, what was typed stays.
    page.get_by_role("button", name="Preview who is in").click()
    preview = page.locator("#audience-preview")
    preview.get_by_text("4 people today").wait_for()
    assert "Children's" in preview.inner_text()
    assert page.get_by_label("Name", exact=True).input_value() == "Children's services"
    assert not axe_violations(page), describe(axe_violations(page))

    # Another rule: taking agency workers out.
    page.get_by_role("button", name="Add another rule").click()
    page.locator("#id_rule-2-kind").select_option("contract_type")
    page.locator("#id_rule-2-values").fill("agency")
    page.locator("#id_rule-2-exclude").check()
    page.get_by_role("button", name="Preview who is in").click()
    preview.get_by_text("1 person today").wait_for()
    assert cast.outsider.person.last_name in preview.inner_text()

    # A mistake: a rule with a code that names nothing, and no code for the audience.
    page.get_by_role("button", name="Add another rule").click()
    page.locator("#id_rule-3-kind").select_option("job_role")
    page.locator("#id_rule-3-values").fill("SW9")
    page.get_by_role("button", name="Preview who is in").click()
    preview.get_by_text("Rule 3: no job role with code SW9").wait_for()
    page.get_by_role("button", name="Save the audience").last.click()
    summary = page.locator(".govuk-error-summary").first.inner_text()
    assert "Enter a code for the audience" in summary
    assert "Rule 3: no job role with code SW9" in summary
    assert not axe_violations(page), describe(axe_violations(page))

    page.get_by_role("button", name="Remove rule 3").click()
    page.get_by_label("Code", exact=True).fill("childrens-services")
    page.get_by_role("button", name="Save the audience").last.click()
    page.get_by_text("Children's services is saved").wait_for()
    made = Audience.objects.get(code="childrens-services")
    assert [(r.kind, r.exclude) for r in made.rules.all()] == [
        ("unit", False),
        ("contract_type", True),
    ]
    check_page(page, page.url)


def test_the_preview_without_javascript(browser, live_server, cast, managers):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        base = live_server.url
        page.goto(f"{base}/login/")
        page.get_by_label("Email address").fill(cast.hr_officer.email)
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.goto(base + reverse("org:audience_new"))
        page.get_by_label("What is the rule about?").select_option("line_manager")
        page.get_by_role("button", name="Preview who is in").click()
        assert "2 people today" in page.locator("#audience-preview").inner_text()
        assert "Create an audience" in page.locator("h1").inner_text()
    finally:
        context.close()
