"""The demo council, built through its command on a small council of 300 people."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from peopleplan.access import gates
from peopleplan.access.models import RoleGrant, User
from peopleplan.core.models import AuditEntry
from peopleplan.demo.catalogue import COUNCIL_NAME, PARTNER_NAME
from peopleplan.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from peopleplan.org import audiences
from peopleplan.org.models import (
    Assignment,
    Audience,
    EqualityRecord,
    JobRole,
    Person,
    Post,
    Unit,
)
from peopleplan.org.services import unit_path_for
from tests.demo import checks

AS_OF = dt.date.today()


def build(*extra: str) -> str:
    out = StringIO()
    call_command("demo", "--people", "300", *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def council(db):
    build("--seed", "3")


def test_a_small_council_builds(council):
    council_unit = Unit.objects.get(parent=None, name=COUNCIL_NAME)
    assert Unit.objects.get(name=PARTNER_NAME).parent is None
    directorates = set(council_unit.children.values_list("name", flat=True))
    assert {
        "Adults",
        "Children's",
        "Place",
        "Housing",
        "Public Health",
        "Corporate Resources",
    } <= directorates
    assert set(Unit.objects.values_list("unit_type", flat=True)) >= {
        "council",
        "directorate",
        "division",
        "service",
        "team",
        "partner agency",
    }
    for unit in Unit.objects.select_related("parent"):
        assert unit.path == unit_path_for(unit_id=unit.pk, parent=unit.parent)
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)
        assert unit.cost_centre
    in_post = Person.objects.filter(assignments__in=Assignment.objects.current_on(AS_OF))
    assert 270 <= in_post.distinct().count() <= 400
    assert Person.objects.filter(leaving_date__isnull=False).count() > 100
    assert EqualityRecord.objects.count() > 300
    assert Post.objects.filter(is_critical=True).exists()
    assert JobRole.objects.filter(registration_body="Social Work England").exists()
    assert JobRole.objects.filter(dbs_level="enhanced_barred", works_with_children=True).exists()
    # One audit entry for the whole build, none per row.
    assert AuditEntry.objects.filter(object_type="demo_council").count() == 1
    assert AuditEntry.objects.count() == 1


def test_the_audiences_pick_believable_people(council):
    found = {a.code: a for a in Audience.objects.all()}
    assert set(found) == {
        "everyone",
        "managers",
        "works-with-children",
        "social-workers",
        "childrens-services",
    }
    counts = audiences.member_counts(found.values(), AS_OF)
    everyone = counts[found["everyone"].pk]
    assert (
        everyone == Person.objects.filter(audiences.member_exists(found["everyone"], AS_OF)).count()
    )
    assert 270 <= everyone <= 400
    for code in ("managers", "works-with-children", "social-workers", "childrens-services"):
        assert 0 < counts[found[code].pk] < everyone, code
    social_workers = audiences.members(found["social-workers"], AS_OF)
    titles = set(
        Assignment.objects.current_on(AS_OF)
        .filter(person__in=social_workers, job_role__registration_body="Social Work England")
        .values_list("job_role__title", flat=True)
    )
    assert any(t.startswith("Social Worker") for t in titles)
    assert not any(t.startswith("Social Work Assistant") for t in titles)


def test_the_same_seed_gives_the_same_council_and_another_seed_another(db):
    build("--seed", "5", "--as-of", "2026-03-31")
    first = checks.council_digest()
    learning = checks.learning_digest()
    build("--seed", "5", "--as-of", "2026-03-31", "--replace")
    assert checks.council_digest() == first
    assert checks.learning_digest() == learning
    build("--seed", "6", "--as-of", "2026-03-31", "--replace")
    assert checks.council_digest() != first
    assert checks.learning_digest() != learning


def test_no_assignment_ends_before_it_starts(council):
    assert checks.assignments_ending_before_start() == []


def test_at_most_one_primary_assignment_on_any_day(council):
    assert checks.overlapping_primary_assignments() == []


def test_leavers_assignments_end_by_their_leaving_date(council):
    assert checks.leavers_with_open_assignments() == []
    leavers = Person.objects.filter(leaving_date__isnull=False)
    assert set(leavers.values_list("leaving_reason", flat=True)) >= {
        "resignation",
        "retirement",
        "end_of_contract",
    }


def test_reporting_lines_have_no_loops(council):
    for years_ago in range(5):
        assert checks.reporting_loops(AS_OF - dt.timedelta(days=365 * years_ago)) == []


def test_line_managers_are_in_post_for_the_whole_assignment(council):
    assert checks.managers_not_in_post() == []
    today = Assignment.objects.current_on(AS_OF).filter(line_manager__isnull=False)
    managers = Person.objects.filter(pk__in=today.values("line_manager_id"))
    assert not managers.filter(leaving_date__lt=AS_OF).exists()
    assert (
        not Assignment.objects.current_on(AS_OF)
        .filter(person__in=managers, contract_type="agency")
        .exists()
    )
    # A manager for every team and the chief executive at the top.
    chief = Assignment.objects.current_on(AS_OF).get(job_role__title="Chief Executive")
    assert chief.line_manager is None


def test_there_are_vacancies_and_agency_workers(council):
    open_posts, vacant, covered = checks.vacant_posts(AS_OF)
    assert 0.04 <= vacant / open_posts <= 0.16
    assert covered >= 1
    contracts = set(Assignment.objects.values_list("contract_type", flat=True))
    assert {"permanent", "fixed_term", "agency", "casual"} <= contracts
    assert Assignment.objects.filter(fte__lt=1, contract_type="permanent").exists()


def test_every_demo_login_authenticates_and_has_its_role(council):
    request = RequestFactory().post("/")
    for login in DEMO_LOGINS:
        user = authenticate(request, username=login.email, password=DEMO_PASSWORD)
        assert user is not None, login.email
        assert user.person is not None and user.person.leaving_date is None
        grants = list(RoleGrant.objects.filter(user=user).select_related("unit"))
        if login.role:
            assert [(g.role, g.unit.code if g.unit else "") for g in grants] == [
                (login.role, login.scope)
            ]
        else:
            assert grants == []
    assert User.objects.exclude(password="").count() == len(DEMO_LOGINS)

    learner = User.objects.get(email="learner@demo.peopleplan.example")
    manager = User.objects.get(email="manager@demo.peopleplan.example")
    senior = User.objects.get(email="senior.manager@demo.peopleplan.example")
    current = Assignment.objects.current_on(AS_OF).get(person=learner.person, is_primary=True)
    assert current.line_manager == manager.person
    direct = set(
        Assignment.objects.current_on(AS_OF)
        .filter(line_manager=manager.person)
        .values_list("person_id", flat=True)
    )
    assert len(direct) >= 3
    under_senior = gates.report_ids(senior.person, AS_OF)
    assert {manager.person_id, learner.person_id} <= under_senior
    assert gates.people_for_user(learner).count() == 1
    adults_hr = User.objects.get(email="hr.adults@demo.peopleplan.example")
    assert 0 < gates.people_for_user(adults_hr).count() < Person.objects.count()


def test_demo_logins_prints_a_table(council):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for login in DEMO_LOGINS:
        assert login.email in text
    assert DEMO_PASSWORD in text


def test_demo_logins_without_a_council(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "peopleplan demo" in out.getvalue()


def test_if_empty_does_nothing_when_there_are_people(db):
    build("--seed", "3", "--if-empty")
    counts = (Person.objects.count(), Assignment.objects.count(), Unit.objects.count())
    digest = checks.council_digest()
    assert "not built" in build("--seed", "4", "--if-empty")
    assert (Person.objects.count(), Assignment.objects.count(), Unit.objects.count()) == counts
    assert checks.council_digest() == digest


def test_refuses_to_build_over_people_without_replace(council):
    people = Person.objects.count()
    with pytest.raises(CommandError, match="already"):
        build("--seed", "4")
    assert Person.objects.count() == people


def test_replace_builds_a_new_council_in_place(council):
    build("--seed", "4", "--replace")
    assert User.objects.count() == len(DEMO_LOGINS)
    assert Unit.objects.filter(parent=None).count() == 2
    assert AuditEntry.objects.filter(action="delete", object_type="demo_council").count() == 1


def test_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="not a date"):
        build("--as-of", "31/03/2026")


def test_the_checks_catch_a_broken_council(council):
    """The invariant checks above are not vacuous: each finds the fault it is for."""
    leaver = Person.objects.filter(leaving_date__isnull=False).first()
    late = leaver.assignments.order_by("-start_date").first()
    Assignment.objects.filter(pk=late.pk).update(end_date=None)
    assert checks.leavers_with_open_assignments() == [leaver.pk]
    Assignment.objects.filter(pk=late.pk).update(end_date=late.end_date)
    assert checks.managers_not_in_post() == []

    a, b = Assignment.objects.current_on(AS_OF).filter(line_manager__isnull=False)[:2]
    Assignment.objects.filter(pk=a.pk).update(line_manager=b.person)
    Assignment.objects.filter(pk=b.pk).update(line_manager=a.person)
    assert {a.person_id, b.person_id} <= set(checks.reporting_loops(AS_OF))

    Assignment.objects.filter(pk=a.pk).update(line_manager=leaver)
    assert leaver.pk in checks.managers_not_in_post()

    Assignment.objects.create(
        person=b.person,
        start_date=b.start_date,
        contract_type="permanent",
        fte=1,
        unit=b.unit,
        job_role=b.job_role,
    )
    assert b.person_id in checks.overlapping_primary_assignments()
