"""The credential pages in the browser: a learner adds their DBS check with evidence, HR verify
it and record another; every page fits 320 pixels, works from the keyboard and passes
axe-core, with its errors."""

import datetime as dt

import pytest
from django.urls import reverse

from peopleplan.compliance import services
from peopleplan.compliance.models import Credential, CredentialType
from peopleplan.org.models import Audience, AudienceRule
from tests.browser.checks import axe_violations, check_page, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def types(cast):
    dbs = CredentialType.objects.create(
        code="DBS-ENH", name="Enhanced DBS check", kind="dbs", recheck_months=36
    )
    CredentialType.objects.create(
        code="SWE",
        name="Social Work England registration",
        kind="registration",
        body="Social Work England",
        expiry_required=True,
    )
    audience = Audience.objects.create(code="everyone", name="Everyone")
    AudienceRule.objects.create(audience=audience, kind="unit", values=["CNL"])
    requirement = services.requirement_create(
        actor=None, code="DBS", name="Enhanced DBS check", audience=audience, credential_type=dbs
    )
    return {"dbs": dbs, "requirement": requirement}


def test_a_learner_adds_a_dbs_check_and_hr_verify_it(page, live_server, cast, types, tmp_path):
    base = live_server.url
    sign_in(page, base, cast.learner.email)
    check_page(page, base + reverse("compliance:credentials_mine"))
    add = base + reverse("compliance:credentials_mine_add")
    check_page(page, add)
    page.goto(add)
    page.get_by_label("Enhanced DBS check").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**type=*")
    form_url = page.url
    check_page(page, form_url)

    # Sent with mistakes: the summary and each field say what is wrong.
    page.goto(form_url)
    page.get_by_label("Certificate number").fill("12345")
    page.get_by_label("Date of issue").fill("1/5/2025")
    page.get_by_role("button", name="Add the Enhanced DBS check").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select the level of the DBS check" in summary.inner_text()
    assert "Upload the certificate or other evidence" in summary.inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    evidence = tmp_path / "dbs.pdf"
    evidence.write_bytes(b"%PDF-1.4 certificate")
    page.get_by_label("Certificate number").fill("001234567890")
    page.get_by_label("Enhanced", exact=True).check()
    page.get_by_label("Child workforce", exact=True).check()
    page.get_by_label("Upload the certificate or other evidence").set_input_files(str(evidence))
    page.get_by_role("button", name="Add the Enhanced DBS check").click()
    page.wait_for_url(f"**{reverse('compliance:credentials_mine')}")
    assert "Waiting for verification" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, base, cast.adults_hr.email)
    verify = base + reverse("compliance:credentials_verify")
    check_page(page, verify)
    page.goto(verify)
    page.get_by_label("Yes, verify it").check()
    page.get_by_role("button", name="Save").click()
    assert "is verified for" in page.locator(".govuk-notification-banner").inner_text()
    assert Credential.objects.get().status == Credential.Status.VERIFIED

    listing = base + reverse("compliance:person_credentials", args=[cast.learner.person_id])
    check_page(page, listing)
    check_page(
        page, base + reverse("compliance:person_credential_add", args=[cast.learner.person_id])
    )
    credential = Credential.objects.get()
    check_page(
        page,
        base
        + reverse(
            "compliance:person_credential_change", args=[cast.learner.person_id, credential.pk]
        ),
    )
    exemptions = base + reverse("compliance:person_exemptions", args=[cast.learner.person_id])
    services.exemption_grant(
        person=cast.learner.person,
        requirement=types["requirement"],
        reason="Long-term leave",
        starts_on=dt.date.today(),
        ends_on=dt.date.today() + dt.timedelta(days=30),
        actor=None,
    )
    check_page(page, exemptions)
    check_page(page, base + reverse("compliance:exemption_grant", args=[cast.learner.person_id]))
