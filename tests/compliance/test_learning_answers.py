"""What compliance answers learning: the waiting list puts those for whom the item is
mandatory and overdue first, and Find learning offers "mandatory for me"."""

import datetime as dt

import pytest
from django.utils import timezone

from peopleplan.compliance import services
from peopleplan.learning import services as learning
from peopleplan.learning.models import Booking, Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory


@pytest.fixture
def mandatory(cast):
    """Everyone in Adults must do "Safeguarding adults" every three years."""
    audience = Audience.objects.create(code="adults", name="Adults")
    AudienceRule.objects.create(audience=audience, kind="unit", values=["ADU"])
    item = LearningItemFactory(title="Safeguarding adults level 1")
    services.requirement_create(
        actor=None,
        code="SGA1",
        name="Safeguarding adults level 1",
        audience=audience,
        items=[item],
        validity_months=36,
        grace_days=30,
    )
    return item


def test_the_overdue_go_first_on_the_waiting_list(cast, mandatory):
    session = SessionFactory(item=mandatory, capacity=1)
    outsider = cast.outsider.person  # not in Adults: it is not mandatory for them
    first = AssignmentFactory(unit=cast.adults_team).person  # in Adults, but will be up to date
    Completion.objects.create(
        person=first,
        item=mandatory,
        completed_on=timezone.localdate() - dt.timedelta(days=30),
        source="import",
        created_at=timezone.now(),
    )
    services.achievements_refresh(person_ids=[first.pk])
    learning.booking_create(session=session, person=cast.manager.person, actor=None)  # the place
    waiting = [
        learning.booking_create(session=session, person=p, actor=None)
        for p in (outsider, first, cast.learner.person)  # the learner has never done it
    ]
    assert [b.status for b in waiting] == [Booking.Status.WAITLISTED] * 3
    assert [b.priority for b in waiting] == [0, 0, 2]
    positions = {b.person_id: learning.waitlist_position(b) for b in waiting}
    assert positions == {cast.learner.person.pk: 1, outsider.pk: 2, first.pk: 3}


def test_mandatory_for_me_in_find_learning(client, cast, mandatory):
    LearningItemFactory(title="Creative writing")
    client.force_login(cast.learner)
    page = client.get("/learning/", {"mandatory": "on"}).content.decode()
    assert "Safeguarding adults level 1" in page
    assert "Creative writing" not in page
    assert "Mandatory for you: overdue" in page
    client.force_login(cast.outsider)
    page = client.get("/learning/", {"mandatory": "on"}).content.decode()
    assert "Safeguarding adults level 1" not in page
    assert "0 results" in page
