"""The approvals page: the queue, a decision, a reason needed to decline, audited."""

import pytest
from django.urls import reverse

from peopleplan.core.models import AuditEntry
from peopleplan.learning import services
from peopleplan.learning.models import Approval, Booking
from tests.factories import SessionFactory


@pytest.fixture
def request_from_learner(cast):
    session = SessionFactory(approval=Approval.MANAGER)
    return services.booking_create(session=session, person=cast.learner.person, actor=cast.learner)


def test_the_manager_approves_from_the_queue(client, cast, request_from_learner):
    client.force_login(cast.manager)
    page = client.get(reverse("learning:approvals"))
    assert request_from_learner.session.item.title in page.content.decode()
    url = reverse("learning:approval_decide", args=[request_from_learner.pk])
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "was approved" in response.content.decode()
    request_from_learner.refresh_from_db()
    assert request_from_learner.status == Booking.Status.BOOKED
    entry = AuditEntry.objects.get(object_type="booking_approval")
    assert entry.actor == cast.manager and entry.summary.startswith("Approved")


def test_declining_needs_a_reason(client, cast, request_from_learner):
    client.force_login(cast.manager)
    url = reverse("learning:approval_decide", args=[request_from_learner.pk])
    response = client.post(url, {"decision": "decline", "reason": " "})
    assert response.status_code == 400
    assert "Give a reason for declining" in response.content.decode()
    request_from_learner.refresh_from_db()
    assert request_from_learner.status == Booking.Status.AWAITING_APPROVAL


@pytest.mark.parametrize("who", ["learner", "outsider", "senior_manager", "hr_officer", "ld_admin"])
def test_others_cannot_decide(client, cast, request_from_learner, who):
    client.force_login(getattr(cast, who))
    assert (
        request_from_learner.session.item.title
        not in client.get(reverse("learning:approvals")).content.decode()
    )
    url = reverse("learning:approval_decide", args=[request_from_learner.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    missing = reverse("learning:approval_decide", args=[999999])
    assert client.post(missing, {"decision": "approve"}).status_code == 404
