"""The organisation's pages: who may open them, and what they show."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from peopleplan.access.models import RoleGrant
from peopleplan.org import services
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    RoleGrantFactory,
    UserFactory,
)

ALL = (
    "learner",
    "manager",
    "senior_manager",
    "outsider",
    "ld_admin",
    "hr_officer",
    "hr_equality",
    "adults_hr",
    "senior_leader",
    "budget_holder",
    "sysadmin",
)
WITH_ROLES = ("ld_admin", "hr_officer", "hr_equality", "adults_hr", "senior_leader")
WITH_ROLES += ("budget_holder", "sysadmin")
WITHOUT_ROLES = ("learner", "manager", "senior_manager", "outsider")


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def without_tokens(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


# --- who may open which page -----------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_everyone_has_a_home_page_my_details_and_my_team(client, cast, name):
    user = getattr(cast, name)
    assert get(client, user, reverse("home")).status_code == 200
    assert get(client, user, reverse("org:person", args=[user.person_id])).status_code == 200
    assert get(client, user, reverse("org:my_team")).status_code == 200


@pytest.mark.parametrize("name", WITH_ROLES)
def test_people_and_organisation_open_to_roles(client, cast, name):
    user = getattr(cast, name)
    assert get(client, user, reverse("org:people")).status_code == 200
    assert get(client, user, reverse("org:units")).status_code == 200
    assert get(client, user, reverse("org:unit", args=[cast.adults.pk])).status_code == 200


@pytest.mark.parametrize("name", WITHOUT_ROLES)
def test_people_and_organisation_refused_without_a_role(client, cast, name):
    user = getattr(cast, name)
    response = get(client, user, reverse("org:people"))
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
    assert get(client, user, reverse("org:units")).status_code == 403
    assert get(client, user, reverse("org:unit", args=[cast.adults.pk])).status_code == 404


def test_scoped_role_cannot_open_units_outside_its_scope(client, cast):
    assert (
        get(client, cast.adults_hr, reverse("org:unit", args=[cast.adults.pk])).status_code == 200
    )
    url = reverse("org:unit", args=[cast.childrens.pk])
    assert get(client, cast.adults_hr, url).status_code == 404
    assert (
        get(client, cast.adults_hr, reverse("org:unit", args=[cast.council.pk])).status_code == 404
    )


def test_forbidden_person_is_the_same_404_as_a_missing_one(client, cast):
    client.force_login(cast.manager)
    forbidden = client.get(reverse("org:person", args=[cast.outsider.person_id]))
    missing = client.get(reverse("org:person", args=[999_999]))
    nonsense = client.get("/people/not-a-number/")
    assert forbidden.status_code == missing.status_code == nonsense.status_code == 404
    assert without_tokens(forbidden.content) == without_tokens(missing.content)
    assert "Page not found" in forbidden.content.decode()


def test_manager_sees_reports_but_learner_does_not_see_manager(client, cast):
    assert (
        get(client, cast.manager, reverse("org:person", args=[cast.learner.person_id])).status_code
        == 200
    )
    senior = get(client, cast.senior_manager, reverse("org:person", args=[cast.learner.person_id]))
    assert senior.status_code == 200
    assert (
        get(client, cast.learner, reverse("org:person", args=[cast.manager.person_id])).status_code
        == 404
    )


def test_anonymous_people_go_to_sign_in(client, cast):
    for url in (reverse("home"), reverse("org:people"), reverse("org:my_team")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:login") + "?next=")


# --- the person page -------------------------------------------------------------------------


def test_person_page_shows_the_job_unit_path_manager_and_history(client, cast):
    response = get(client, cast.hr_officer, reverse("org:person", args=[cast.learner.person_id]))
    html = response.content.decode()
    person = cast.learner.person
    assert escape(person.full_name) in html
    assert person.employee_number in html
    assert "Adults team A" in html and "Adults" in html and "Council" in html
    # The manager is visible to an HR officer, so linked.
    assert f'href="{reverse("org:person", args=[cast.manager.person_id])}"' in html
    assert "moj-timeline" in html
    assert "Started as Officer in Adults team A" in html


def test_manager_name_is_not_a_link_for_the_learner(client, cast):
    response = get(client, cast.learner, reverse("org:person", args=[cast.learner.person_id]))
    html = response.content.decode()
    assert escape(cast.manager.person.full_name) in html
    assert f'href="{reverse("org:person", args=[cast.manager.person_id])}"' not in html


def test_person_page_lists_direct_reports(client, cast):
    response = get(client, cast.manager, reverse("org:person", args=[cast.manager.person_id]))
    html = response.content.decode()
    assert "People who report to me" in html
    assert escape(cast.learner.person.full_name) in html


def test_timeline_is_newest_first_and_shows_leaving(client, cast):
    person = cast.learner.person
    first = person.assignments.get()
    services.assignment_start(
        person=person,
        start_date=dt.date(2023, 6, 1),
        unit=cast.adults_team,
        job_role=first.job_role,
        contract_type="permanent",
        fte=first.fte,
        line_manager=cast.manager.person,
    )
    services.person_leave(
        person=person, leaving_date=dt.date(2024, 3, 31), leaving_reason="resignation"
    )
    response = get(client, cast.hr_officer, reverse("org:person", args=[person.pk]))
    titles = [e.title for e in response.context["timeline"]]
    assert titles[0] == "Left the council"
    assert titles.index("Left the council") < titles.index("Started as Officer in Adults team A")
    dates = [e.date for e in response.context["timeline"]]
    assert dates == sorted(dates, reverse=True)
    assert "Resignation" in response.content.decode()


def test_equality_section_only_for_equality_viewers(client, cast):
    services.equality_record_set(
        person=cast.learner.person, ethnicity="White British", religion="No religion"
    )
    url = reverse("org:person", args=[cast.learner.person_id])
    seen = get(client, cast.hr_equality, url).content.decode()
    assert "Equality monitoring" in seen
    assert "White British" in seen
    for name in ("learner", "manager", "senior_manager", "hr_officer", "adults_hr", "sysadmin"):
        html = get(client, getattr(cast, name), url).content.decode()
        assert "Equality monitoring" not in html, name
        assert "White British" not in html, name


def test_audit_link_only_for_those_who_may_see_the_audit(client, cast):
    url = reverse("org:person", args=[cast.learner.person_id])
    audit = reverse("core:audit")
    assert audit in get(client, cast.hr_officer, url).content.decode()
    assert audit in get(client, cast.sysadmin, url).content.decode()
    for name in ("learner", "manager", "ld_admin", "hr_equality", "senior_leader"):
        assert f'href="{audit}?' not in get(client, getattr(cast, name), url).content.decode()


# --- home ------------------------------------------------------------------------------------


def test_home_for_a_member_of_staff(client, cast):
    html = get(client, cast.learner, reverse("home")).content.decode()
    assert "My details" in html
    assert "Adults team A" in html
    assert escape(cast.manager.person.full_name) in html
    assert "My team" not in html.split("</header>")[1]
    assert "Staff and vacancies today" not in html


def test_home_for_a_manager_shows_the_team(client, cast):
    response = get(client, cast.senior_manager, reverse("home"))
    html = response.content.decode()
    assert response.context["direct_count"] == 1
    assert response.context["report_count"] == 2
    assert escape(cast.manager.person.full_name) in html
    assert reverse("org:my_team") in html


def test_home_for_hr_shows_the_organisation(client, cast):
    response = get(client, cast.hr_officer, reverse("home"))
    html = response.content.decode()
    assert "Staff and vacancies today" in html
    assert "Adults" in html and "Children" in html
    assert response.context["establishment"].total.headcount == 11


def test_home_for_a_scoped_role_shows_its_scope_only(client, cast):
    response = get(client, cast.adults_hr, reverse("home"))
    assert [n.unit for n in response.context["establishment"].roots] == [cast.adults]
    assert "Children" not in response.content.decode().split("main-content")[1]


def test_home_for_a_user_without_a_person(client, db):
    admin = UserFactory(email="it@council.example")
    RoleGrantFactory(user=admin, role=RoleGrant.Role.SYSTEM_ADMIN)
    nobody = UserFactory(email="nobody@council.example")
    html = get(client, admin, reverse("home")).content.decode()
    assert "not linked to a member of staff" in html
    assert reverse("admin:index") in html
    html = get(client, nobody, reverse("home")).content.decode()
    assert "ask your HR team to link your account" in html
    assert get(client, nobody, reverse("org:my_team")).status_code == 200


# --- my team ---------------------------------------------------------------------------------


def test_my_team_shows_direct_and_indirect_reports_with_their_manager(client, cast):
    response = get(client, cast.senior_manager, reverse("org:my_team"))
    rows = list(response.context["page"].object_list)
    assert [(r.person_id, r.level) for r in rows] == [
        (cast.manager.person_id, 1),
        (cast.learner.person_id, 2),
    ]
    assert rows[1].manager_id == cast.manager.person_id
    assert rows[1].manager_name == cast.manager.person.full_name
    html = response.content.decode()
    assert "Level 2" in html and "Direct report" in html


def test_my_team_is_a_friendly_empty_page_without_reports(client, cast):
    response = get(client, cast.learner, reverse("org:my_team"))
    assert response.status_code == 200
    assert "No one reports to you" in response.content.decode()


# --- people ----------------------------------------------------------------------------------


def test_people_search_by_name_and_number(client, cast):
    learner = cast.learner.person
    client.force_login(cast.hr_officer)
    response = client.get(reverse("org:people"), {"q": learner.last_name.upper()})
    assert learner in [p for p, _ in response.context["rows"]]
    response = client.get(reverse("org:people"), {"q": learner.employee_number})
    assert [p for p, _ in response.context["rows"]] == [learner]
    response = client.get(reverse("org:people"), {"q": "zzzz-nobody"})
    assert response.context["rows"] == []
    assert "No one matches" in response.content.decode()


def test_people_filter_by_unit_includes_units_under_it(client, cast):
    client.force_login(cast.hr_officer)
    response = client.get(reverse("org:people"), {"unit": cast.adults.pk})
    people = {p for p, _ in response.context["rows"]}
    assert people == {cast.learner.person, cast.manager.person, cast.senior_manager.person}


def test_people_scoped_role_sees_its_scope_and_cannot_filter_outside(client, cast):
    client.force_login(cast.adults_hr)
    response = client.get(reverse("org:people"))
    assert cast.outsider.person not in {p for p, _ in response.context["rows"]}
    response = client.get(reverse("org:people"), {"unit": cast.childrens.pk})
    assert "Choose a unit from the list" in response.content.decode()
    assert cast.outsider.person not in {p for p, _ in response.context["rows"]}


def test_people_leavers_only_when_asked(client, cast):
    services.person_leave(
        person=cast.learner.person, leaving_date=dt.date(2024, 3, 31), leaving_reason="retirement"
    )
    client.force_login(cast.hr_officer)
    rows = client.get(reverse("org:people")).context["rows"]
    assert cast.learner.person not in {p for p, _ in rows}
    rows = client.get(reverse("org:people"), {"leavers": "on"}).context["rows"]
    assert cast.learner.person in {p for p, _ in rows}


def test_people_are_paginated_by_fifty_keeping_the_search(client, cast):
    for n in range(60):
        AssignmentFactory(person=PersonFactory(last_name=f"Paged{n:02d}"), unit=cast.adults_team)
    client.force_login(cast.hr_officer)
    response = client.get(reverse("org:people"), {"q": "paged"})
    assert response.context["page"].paginator.count == 60
    assert len(response.context["rows"]) == 50
    html = response.content.decode()
    assert 'href="?q=paged&amp;page=2"' in html
    response = client.get(reverse("org:people"), {"q": "paged", "page": 2})
    assert len(response.context["rows"]) == 10


# --- error pages -----------------------------------------------------------------------------


def test_error_pages_are_govuk_pages(client, cast):
    client.force_login(cast.learner)
    html = client.get("/no-such-page/").content.decode()
    assert "Page not found" in html and "govuk-template__body" in html
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-template__body" in html
