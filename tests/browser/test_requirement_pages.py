"""The requirements admin and the demand forecast in the browser: the list, a requirement,
the form with its errors and its preview, credential types and the forecast; each page fits
320 pixels, works from the keyboard and passes axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from peopleplan.compliance import services
from peopleplan.compliance.models import CredentialType, Requirement
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.browser.checks import axe_violations, check_page, describe, sign_in
from tests.factories import AssignmentFactory, JobRoleFactory, LearningItemFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def requirements(cast):
    sw = JobRoleFactory(code="SW", title="Social worker", job_family="Social work")
    audience = Audience.objects.create(code="sw", name="Social workers")
    AudienceRule.objects.create(audience=audience, kind="job_family", values=["Social work"])
    course = LearningItemFactory(code="SG2", title="Safeguarding children level 2")
    LearningItemFactory(code="IG1", title="Information governance", kind="elearning")
    CredentialType.objects.create(code="DBS", name="Enhanced DBS check", kind="dbs")
    today = timezone.localdate()
    for n, unit in enumerate([cast.adults_team, cast.adults_team, cast.childrens_team]):
        person = PersonFactory()
        AssignmentFactory(person=person, unit=unit, job_role=sw)
        Completion.objects.create(
            person=person,
            item=course,
            completed_on=today - dt.timedelta(days=400 * n + 30),
            source="import",
            created_at=timezone.now(),
        )
        hooks.completions_changed([person.pk])
    req = services.requirement_create(
        actor=None,
        code="SG2",
        name="Safeguarding children level 2",
        audience=audience,
        items=[course],
        validity_months=24,
    )
    return {"req": req}


def test_the_requirements_pages(page, live_server, cast, requirements):
    base = live_server.url
    sign_in(page, base, cast.hr_officer.email)
    check_page(page, base + reverse("compliance:requirement_list"))
    check_page(page, base + reverse("compliance:requirement_detail", args=[requirements["req"].pk]))
    assert "Job family is Social work" in page.locator("main").inner_text()
    check_page(page, base + reverse("compliance:credential_type_list"))
    check_page(page, base + reverse("compliance:credential_type_new"))
    check_page(page, base + reverse("compliance:forecast"))
    assert "Safeguarding children level 2" in page.locator("main").inner_text()


def test_setting_up_a_requirement_with_a_preview_and_a_mistake(
    page, live_server, cast, requirements
):
    base = live_server.url
    sign_in(page, base, cast.ld_admin.email)
    check_page(page, base + reverse("compliance:requirement_new"))
    page.get_by_label("Code").fill("IG")
    page.get_by_label("Name", exact=True).fill("Information governance")
    page.get_by_label("Who needs it").select_option(label="Social workers")
    page.get_by_label("Learning that meets it").fill("IG1, NOPE")
    page.get_by_label("How long it lasts, in months").fill("12")
    page.get_by_label("Renewal window").fill("30")
    page.get_by_role("button", name="Set up the requirement").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "There is no learning item with the code NOPE" in summary
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_label("Learning that meets it").fill("IG1")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_selector("text=Preview: not saved yet")
    assert "3 people" in page.locator("#preview").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name="Set up the requirement").click()
    page.wait_for_selector("text=Information governance is set up")
    assert Requirement.objects.get(code="IG").validity_months == 12
