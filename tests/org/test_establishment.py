"""Headcount, FTE and vacancies per unit, including everything under it, on a small
establishment counted by hand; and pages whose number of queries does not grow with size."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peopleplan.access.models import RoleGrant
from peopleplan.core.dates import today
from peopleplan.org import selectors
from peopleplan.org.models import Assignment
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    PostFactory,
    RoleGrantFactory,
    UnitFactory,
    UserFactory,
)

AGENCY = Assignment.ContractType.AGENCY


@pytest.fixture
def establishment(db):
    """
    R
    ├── A        s7 (casual, 1.0, no post)
    │   ├── A1   posts P1 (s1), P2 (agency ag1), P3 (vacant), P4 (closed), P5 (opens later)
    │   │        s5 main job here (0.6, no post)
    │   └── A2   posts P6 (s2, 0.5), P7 (s3 left it yesterday), P8 (s4 and agency ag2)
    │            s5 second job here (0.4)
    └── B        post P9 (vacant); s6 starts next month; s8 left yesterday
    """
    on = today()
    yesterday, next_month = on - dt.timedelta(days=1), on + dt.timedelta(days=30)
    r = UnitFactory(name="R")
    a = UnitFactory(name="A", parent=r)
    a1 = UnitFactory(name="A1", parent=a)
    a2 = UnitFactory(name="A2", parent=a)
    b = UnitFactory(name="B", parent=r)

    def post(unit, **kw):
        return PostFactory(unit=unit, **kw)

    p1, p2 = post(a1), post(a1)
    post(a1)  # P3, vacant
    post(a1, start_date=dt.date(2019, 1, 1), end_date=on - dt.timedelta(days=200))
    post(a1, start_date=next_month)
    p6, p7, p8 = post(a2), post(a2), post(a2)
    post(b)

    def job(unit, fte, post=None, person=None, **kw):
        return AssignmentFactory(
            person=person or PersonFactory(), unit=unit, post=post, fte=Decimal(fte), **kw
        )

    job(a1, "1.00", p1)  # s1
    job(a1, "1.00", p2, contract_type=AGENCY)  # ag1
    job(a2, "0.50", p6)  # s2
    job(a2, "1.00", p7, end_date=yesterday)  # s3, left the post yesterday
    job(a2, "1.00", p8, contract_type="fixed_term")  # s4
    job(a2, "1.00", p8, contract_type=AGENCY)  # ag2
    s5 = job(a1, "0.60").person
    job(a2, "0.40", person=s5, is_primary=False)
    job(b, "1.00", start_date=next_month)  # s6
    job(b, "1.00", end_date=yesterday)  # s8
    job(a, "1.00", contract_type="casual")  # s7

    user = UserFactory(email="hr-r@council.example")
    RoleGrantFactory(user=user, role=RoleGrant.Role.HR_OFFICER, unit=r)
    return {"R": r, "A": a, "A1": a1, "A2": a2, "B": b, "user": user}


EXPECTED = {
    # unit: (headcount, FTE, posts, vacancies, covered by agency)
    "A1": (2, "1.6", 3, 2, 1),  # s1, s5; P1-P3 open; P2 (agency) and P3 vacant
    "A2": (3, "1.9", 3, 1, 0),  # s2, s4, s5; P7 vacant since yesterday; P8 held by s4
    "A": (5, "4.5", 6, 3, 1),  # s7 + A1 + A2, with s5 counted once
    "B": (0, "0", 1, 1, 0),  # s6 not started, s8 gone; P9 vacant
    "R": (5, "4.5", 7, 4, 1),
}


def figures_tuple(f):
    return (f.headcount, f.fte, f.posts, f.vacancies, f.covered_by_agency)


def expected_tuple(name):
    headcount, fte, posts, vacancies, covered = EXPECTED[name]
    return (headcount, Decimal(fte), posts, vacancies, covered)


def test_figures_include_everything_under_each_unit(establishment):
    result = selectors.establishment([establishment["R"]], today())
    for name in EXPECTED:
        assert figures_tuple(result[establishment[name].pk].figures) == expected_tuple(name), name
    assert [n.unit.name for n in result.roots[0].children] == ["A", "B"]


def test_figures_in_four_queries(establishment, django_assert_num_queries):
    with django_assert_num_queries(4):
        selectors.establishment([establishment["R"]], today())


def test_units_page_shows_the_figures(client, establishment):
    client.force_login(establishment["user"])
    response = client.get(reverse("org:units"))
    assert response.status_code == 200
    root = response.context["establishment"].roots[0]
    assert root.unit == establishment["R"]
    assert figures_tuple(root.figures) == expected_tuple("R")
    html = response.content.decode()
    assert "5 people, 4.5 FTE," in html
    assert "4 vacancies (1 covered by agency)" in html


def test_unit_page_shows_children_posts_and_people(client, establishment):
    client.force_login(establishment["user"])
    response = client.get(reverse("org:unit", args=[establishment["A"].pk]))
    node = response.context["node"]
    assert figures_tuple(node.figures) == expected_tuple("A")
    assert [figures_tuple(c.figures) for c in node.children] == [
        expected_tuple("A1"),
        expected_tuple("A2"),
    ]
    response = client.get(reverse("org:unit", args=[establishment["A1"].pk]))
    statuses = [s.status for s in response.context["post_statuses"]]
    assert statuses == ["Filled", "Covered by agency", "Vacant"]
    # The people with a current job in A1 itself: s1, ag1 and s5.
    assert response.context["people"].paginator.count == 3
    html = response.content.decode()
    assert "Covered by agency" in html and "Vacant" in html
    assert 'class="pp-table-wrapper" tabindex="0" role="region"' in html


# --- queries do not grow with size ------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_my_team_queries_do_not_grow_with_the_team(client, cast):
    client.force_login(cast.manager)
    small = count_queries(client, reverse("org:my_team"))
    for _ in range(15):
        report = AssignmentFactory(unit=cast.adults_team, line_manager=cast.manager.person).person
        for _ in range(2):
            AssignmentFactory(unit=cast.adults_team, line_manager=report)
    response = client.get(reverse("org:my_team"))
    assert response.context["total_count"] == 1 + 15 * 3
    assert count_queries(client, reverse("org:my_team")) == small


def test_unit_page_queries_do_not_grow_with_the_unit(client, cast):
    client.force_login(cast.hr_officer)
    url = reverse("org:unit", args=[cast.adults.pk])
    AssignmentFactory(unit=cast.adults, post=PostFactory(unit=cast.adults))
    small = count_queries(client, url)
    for n in range(40):
        team = UnitFactory(parent=cast.adults_team if n % 2 else cast.adults)
        post = PostFactory(unit=cast.adults)
        AssignmentFactory(unit=cast.adults, post=post)
        AssignmentFactory(unit=team, contract_type=AGENCY)
    assert count_queries(client, url) == small


def test_organisation_and_people_queries_do_not_grow(client, cast):
    client.force_login(cast.hr_officer)
    small_units = count_queries(client, reverse("org:units"))
    small_people = count_queries(client, reverse("org:people"))
    small_home = count_queries(client, reverse("home"))
    for n in range(30):
        unit = UnitFactory(parent=cast.childrens if n % 3 else cast.adults_team)
        AssignmentFactory(unit=unit, post=PostFactory(unit=unit))
    assert count_queries(client, reverse("org:units")) == small_units
    assert count_queries(client, reverse("org:people")) == small_people
    assert count_queries(client, reverse("home")) == small_home
