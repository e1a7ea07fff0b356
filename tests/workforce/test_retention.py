"""Kaplan-Meier retention of recruitment cohorts: a hand-worked curve, properties against the
plain count when no one is censored, and the routes of a small council."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from peopleplan.workforce.models import Cohort, CohortMember, RecruitmentRoute
from peopleplan.workforce.retention import by_route, kaplan_meier, retention, survival_at
from tests.factories import AssignmentFactory, PersonFactory

D = dt.date


def test_a_curve_worked_by_hand():
    # Five people: left on day 100; still in post after 200; left on 300; still in post after
    # 300 (followed that day, so at risk when the other left); left on 400.
    followed = [(100, True), (200, False), (300, True), (300, False), (400, True)]
    curve = kaplan_meier(followed)
    assert [day for day, _ in curve] == [100, 300, 400]
    assert curve[0][1] == 0.8  # 4 of 5
    assert abs(curve[1][1] - 0.8 * 2 / 3) < 1e-12  # 1 of the 3 still followed left
    assert curve[2][1] == 0.0  # the last one followed left
    assert survival_at(curve, 99, 400) == 1.0
    assert survival_at(curve, 250, 400) == 0.8
    assert survival_at(curve, 401, 400) is None  # no one followed that long


@given(st.lists(st.integers(0, 2000), min_size=1, max_size=40), st.integers(0, 2000))
def test_with_no_one_censored_it_is_the_share_still_there(days, t):
    curve = kaplan_meier([(d, True) for d in days])
    share = sum(1 for d in days if d > t) / len(days)
    estimate = survival_at(curve, t, max(days))
    if t > max(days):
        assert estimate is None  # no one followed that long
    else:
        assert abs(estimate - share) < 1e-9


@given(st.lists(st.tuples(st.integers(0, 2000), st.booleans()), min_size=1, max_size=40))
def test_survival_never_rises_and_stays_between_nought_and_one(followed):
    values = [s for _, s in kaplan_meier(followed)]
    assert all(0 <= v <= 1 for v in values)
    assert values == sorted(values, reverse=True)


def test_retention_at_twelve_and_twenty_four_months():
    start = D(2022, 9, 1)
    people = [
        (start, D(2023, 3, 1)),  # left after six months
        (start, D(2024, 3, 1)),  # after eighteen
        (start, None),
        (start, None),
    ]
    got = retention(people, D(2025, 9, 30), "Step Up")
    assert (got.people, got.left) == (4, 2)
    assert got.at_12_months == Decimal("75.0")
    assert got.at_24_months == Decimal("50.0")
    assert got.months[0] == (0, Decimal("100.0"))


def test_routes_and_their_cohorts_within_a_scope(cast):
    route = RecruitmentRoute.objects.get(code="step-up")
    cohort = Cohort.objects.create(route=route, name="Step Up 2023")
    inside = cast.learner.person  # in Adults team A since 2020
    CohortMember.objects.create(cohort=cohort, person=inside, started_on=D(2023, 9, 1))
    elsewhere = PersonFactory(leaving_date=D(2024, 9, 30))
    AssignmentFactory(person=elsewhere, unit=cast.childrens_team, start_date=D(2023, 9, 1))
    CohortMember.objects.create(cohort=cohort, person=elsewhere, started_on=D(2023, 9, 1))
    council = by_route(None, D(2025, 9, 30))
    assert [(r.label, r.people, r.left) for r, _ in council] == [("Step Up to Social Work", 2, 1)]
    assert [c.label for c in council[0][1]] == ["Step Up 2023"]
    adults = by_route([cast.adults.path], D(2025, 9, 30))
    assert [(r.people, r.left) for r, _ in adults] == [(1, 0)]
