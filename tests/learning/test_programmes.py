"""Programmes: items in order, all or N of M, a member's progress, the cohort for those who
may see it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peopleplan.learning import programmes
from peopleplan.learning.models import Completion, Programme, ProgrammeItem, ProgrammeMember
from tests.factories import AssignmentFactory, LearningItemFactory


@pytest.fixture
def mdp(cast):
    programme = Programme.objects.create(
        code="MDP", title="Manager development programme", required_count=2
    )
    items = [LearningItemFactory(title=f"Module {n}") for n in (1, 2, 3)]
    for position, item in enumerate(reversed(items)):
        ProgrammeItem.objects.create(programme=programme, item=item, position=position)
    for who in (cast.learner, cast.outsider):
        ProgrammeMember.objects.create(
            programme=programme, person=who.person, joined_on=dt.date(2026, 4, 1)
        )
    return programme, items


def complete(person, item, status=Completion.Status.VERIFIED):
    return Completion.objects.create(
        person=person,
        item=item,
        completed_on=dt.date(2026, 5, 1),
        source=Completion.Source.IMPORT,
        status=status,
        created_at=timezone.now(),
    )


def test_n_of_m_and_order(cast, mdp):
    programme, items = mdp
    complete(cast.learner.person, items[0])
    complete(cast.learner.person, items[1], status=Completion.Status.PENDING)  # not yet
    progress = programmes.progress_of(cast.learner.person_id, programme)
    assert (progress.done, progress.needed, progress.complete) == (1, 2, False)
    complete(cast.learner.person, items[2])
    progress = programmes.progress_of(cast.learner.person_id, programme)
    assert progress.complete and progress.percent == 100
    assert [e.item for e in programmes.entries(programme)] == list(reversed(items))
    assert programmes.rule_text(programme, 3) == "Complete any 2 of the 3 items"
    programme.required_count = None
    assert programmes.rule_text(programme, 3) == "Complete all 3 items"
    assert programmes.progress_of(cast.manager.person_id, programme) is None


def test_the_programme_page_shows_my_progress(client, cast, mdp):
    programme, items = mdp
    complete(cast.learner.person, items[0])
    client.force_login(cast.learner)
    page = client.get(reverse("learning:programme", args=[programme.pk])).content.decode()
    assert "Complete any 2 of the 3 items" in page
    assert "You have done 1 of the 2 needed" in page
    assert "Progress of the people you look after" not in page
    listing = client.get(reverse("learning:programmes")).content.decode()
    assert programme.title in listing and "You are in it" in listing
    record = client.get(reverse("learning:record")).content.decode()
    assert "1 of 2 done" in record


def test_the_cohort_is_shown_to_those_who_may_see_it(client, cast, mdp):
    programme, _items = mdp
    url = reverse("learning:programme", args=[programme.pk])
    client.force_login(cast.manager)
    page = client.get(url).content.decode()
    assert cast.learner.person.full_name in page and cast.outsider.person.full_name not in page
    client.force_login(cast.ld_admin)
    page = client.get(url).content.decode()
    assert cast.learner.person.full_name in page and cast.outsider.person.full_name in page
    client.force_login(cast.budget_holder)
    assert cast.learner.person.full_name not in client.get(url).content.decode()


def test_the_cohort_page_makes_a_fixed_number_of_queries(client, cast, mdp):
    programme, items = mdp
    url = reverse("learning:programme", args=[programme.pk])
    client.force_login(cast.ld_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        person = AssignmentFactory(unit=cast.adults_team).person
        ProgrammeMember.objects.create(
            programme=programme, person=person, joined_on=dt.date.today()
        )
        complete(person, items[0])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_api(client, cast, mdp):
    programme, items = mdp
    complete(cast.learner.person, items[2])
    client.force_login(cast.learner)
    listing = client.get("/api/learning/programmes/").json()
    assert listing["results"][0]["item_count"] == 3
    detail = client.get(f"/api/learning/programmes/{programme.pk}/").json()
    assert [i["title"] for i in detail["items"]] == ["Module 3", "Module 2", "Module 1"]
    assert detail["my_progress"] == {
        "done": 1,
        "needed": 2,
        "complete": False,
        "done_items": [items[2].pk],
    }
    client.force_login(cast.manager)
    assert client.get(f"/api/learning/programmes/{programme.pk}/").json()["my_progress"] is None
    assert client.get("/api/learning/programmes/999999/").status_code == 404


def test_system_administrators_keep_programmes_in_the_admin(client, cast, mdp):
    programme, _items = mdp
    client.force_login(cast.sysadmin)
    assert (
        client.get(reverse("admin:learning_programme_change", args=[programme.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:learning_learningitem_changelist")).status_code == 200
    client.force_login(cast.ld_admin)
    assert client.get(reverse("admin:learning_programme_changelist")).status_code == 302
