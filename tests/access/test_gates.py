import datetime as dt

import pytest
from django.http import Http404

from peopleplan.access import gates
from peopleplan.org import services
from tests.factories import AssignmentFactory, PersonFactory


def visible(user):
    return set(gates.people_for_user(user).values_list("employee_number", flat=True))


def test_everyone_sees_themselves(cast):
    assert visible(cast.learner) == {cast.learner.person.employee_number}
    assert visible(cast.outsider) == {cast.outsider.person.employee_number}


def test_manager_sees_direct_and_indirect_reports(cast):
    numbers = visible(cast.senior_manager)
    assert cast.manager.person.employee_number in numbers
    assert cast.learner.person.employee_number in numbers
    assert cast.outsider.person.employee_number not in numbers
    assert gates.report_ids(cast.manager.person) == {cast.learner.person_id}


def test_reports_are_as_of_today(cast):
    # The learner moves to another manager from yesterday: the old manager no longer sees them.
    yesterday = dt.date.today() - dt.timedelta(days=1)
    services.assignment_start(
        person=cast.learner.person,
        start_date=yesterday,
        unit=cast.adults_team,
        job_role=cast.learner.person.assignments.first().job_role,
        contract_type="permanent",
        fte=cast.learner.person.assignments.first().fte,
        line_manager=cast.senior_manager.person,
    )
    assert gates.report_ids(cast.manager.person) == set()
    assert cast.learner.person_id in gates.report_ids(cast.senior_manager.person)


def test_a_loop_in_reporting_lines_ends(cast):
    a = PersonFactory()
    b = PersonFactory()
    AssignmentFactory(person=a, unit=cast.adults_team, line_manager=b)
    AssignmentFactory(person=b, unit=cast.adults_team, line_manager=a)
    assert gates.report_ids(a) == {b.pk}


def test_manager_in_adults_cannot_open_person_in_childrens(cast):
    with pytest.raises(Http404):
        gates.access_person_for_user(cast.manager, cast.outsider.person_id)
    with pytest.raises(Http404):
        gates.access_person_for_user(cast.manager, 999_999)


def test_scoped_role_sees_its_subtree_only(cast):
    numbers = visible(cast.adults_hr)
    assert cast.learner.person.employee_number in numbers
    assert cast.outsider.person.employee_number not in numbers


def test_council_wide_role_sees_everyone(cast):
    assert cast.outsider.person.employee_number in visible(cast.hr_officer)


def test_leaver_stays_visible_to_the_scope_they_left(cast):
    services.person_leave(
        person=cast.learner.person,
        leaving_date=dt.date.today() - dt.timedelta(days=30),
        leaving_reason="resignation",
    )
    assert cast.learner.person.employee_number in visible(cast.adults_hr)
    assert cast.learner.person_id not in gates.report_ids(cast.manager.person)


def test_equality_only_for_equality_viewers(cast):
    person = cast.learner.person
    assert gates.can_view_equality(cast.hr_equality, person)
    assert not gates.can_view_equality(cast.hr_officer, person)
    assert not gates.can_view_equality(cast.manager, person)


def test_admin_site_only_for_system_administrators(cast):
    assert cast.sysadmin.is_staff
    assert not cast.hr_officer.is_staff
