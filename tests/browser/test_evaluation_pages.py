"""Evaluation in a real browser: a learner answers the feedback form (after an error that names
the question), a line manager sees the impact check, and L&D reads the results; every page fits
320 pixels, works from the keyboard and passes axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from peopleplan.learning import evaluation
from peopleplan.learning.models import Booking, EvaluationRequest, Provider
from tests.browser.checks import axe_violations, check_page, describe, sign_in
from tests.factories import LearningItemFactory, PersonFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _attended(person, item, days_ago):
    session = SessionFactory(item=item, starts_at=timezone.now() - dt.timedelta(days=days_ago))
    session.trainers.add(PersonFactory(first_name="Tess", last_name="Trainer"))
    return Booking.objects.create(
        session=session, person=person, status="attended", created_at=timezone.now()
    )


def test_a_learner_answers_and_l_and_d_reads_the_results(page, live_server, cast):
    item = LearningItemFactory(
        title="Safeguarding adults: recognising abuse and neglect in the community",
        provider=Provider.objects.create(name="Safeguarding board"),
    )
    _attended(cast.learner.person, item, 2)
    _attended(cast.learner.person, item, 7 * 12 + 2)
    evaluation.evaluation_requests_send()
    base = live_server.url

    sign_in(page, base, cast.learner.email)
    page.goto(base + reverse("learning:bookings"))
    page.get_by_role("link", name="Give your feedback").click()
    check_page(page, base + reverse("learning:evaluations"))
    feedback = EvaluationRequest.objects.get(kind="feedback")
    url = base + reverse("learning:evaluation_respond", args=[feedback.pk])
    check_page(page, url)

    page.goto(url)
    page.locator("#id_outcomes-4").check()
    page.get_by_role("button", name="Send your answers").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select an answer to “The trainer was knowledgeable and engaging”" in summary
    violations = axe_violations(page)  # the form with its errors, as the POST returned it
    assert not violations, describe(violations)
    page.locator(".govuk-error-summary a", has_text="The trainer").click()
    assert page.evaluate("() => document.activeElement.id") == "id_trainer"
    for key in ("outcomes", "trainer", "use", "arrangements", "overall"):
        page.locator(f"#id_{key}-4").check()
    page.get_by_label("What was most useful? (optional)").fill("The case studies")
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_selector("text=your answers about")
    feedback.refresh_from_db()
    assert feedback.responded_at is not None
    check_page(page, url)  # answered already

    impact = EvaluationRequest.objects.get(kind="impact", respondent_role="learner")
    page.goto(base + reverse("learning:evaluation_respond", args=[impact.pk]))
    page.get_by_label("Yes, a lot").check()
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_selector("text=your answers about")

    page.context.clear_cookies()
    sign_in(page, base, cast.manager.email)
    theirs = EvaluationRequest.objects.get(kind="impact", respondent_role="manager")
    check_page(page, base + reverse("learning:evaluation_respond", args=[theirs.pk]))
    assert "Has it changed their practice?" in page.content()

    page.context.clear_cookies()
    sign_in(page, base, cast.ld_admin.email)
    results = base + reverse("learning:evaluation_results")
    check_page(page, results)
    assert "The case studies" in page.content()
    check_page(page, results + "?group=session")
    check_page(page, results + "?group=trainer&date_from=not-a-date")
    assert "Enter the start of the dates as a real date" in page.content()
