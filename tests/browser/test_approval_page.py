"""The approvals page in a real browser: a manager declines a request with a reason."""

import pytest
from django.urls import reverse

from peopleplan.learning import services
from peopleplan.learning.models import Approval, Booking
from tests.browser.checks import axe_violations, check_page, sign_in
from tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_declines_with_a_reason(page, live_server, cast):
    session = SessionFactory(approval=Approval.MANAGER)
    request = services.booking_create(session=session, person=cast.learner.person, actor=None)
    sign_in(page, live_server.url, cast.manager.email)
    check_page(page, live_server.url + reverse("learning:approvals"))
    page.get_by_label("Decline").check()
    page.get_by_role("button", name="Send decision").click()
    assert "Give a reason for declining" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []  # the page with its errors, as the POST returned it
    page.get_by_label("Decline").check()
    page.get_by_label("Reason").fill("The team is short that week")
    page.get_by_role("button", name="Send decision").click()
    page.wait_for_selector("text=was declined")
    request.refresh_from_db()
    assert request.status == Booking.Status.DECLINED
