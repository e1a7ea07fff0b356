"""The planner alone (no database): the shape of a 5,000-person council and its determinism."""

from __future__ import annotations

import datetime as dt

import pytest

from peopleplan.demo.plan import AGENCY, LOGIN_KEYS, plan_council

AS_OF = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def plan():
    return plan_council(people=5000, seed=1, as_of=AS_OF)


def fingerprint(plan) -> list[tuple]:
    people = [
        (p.number, p.first_name, p.last_name, p.born, p.leaving, p.reason) for p in plan.persons
    ]
    jobs = [(a.person, a.post, a.start, a.end, a.manager, a.contract) for a in plan.assignments]
    return people + jobs


def test_the_same_seed_gives_the_same_plan(plan):
    again = plan_council(people=5000, seed=1, as_of=AS_OF)
    assert fingerprint(again) == fingerprint(plan)
    other = plan_council(people=5000, seed=2, as_of=AS_OF)
    assert fingerprint(other) != fingerprint(plan)


def test_a_council_of_about_the_people_asked_for(plan):
    shape = plan.shape()
    assert 4750 <= shape["in_post_today"] <= 5250
    assert 300 <= shape["job_roles"] <= 800
    assert 8 <= shape["vacant_percent"] <= 12
    assert shape["vacant_covered_by_agency"] > 20
    assert shape["secondary_assignments"] > 0
    assert set(shape["contracts_today"]) == {
        "permanent",
        "fixed_term",
        "temporary",
        "casual",
        "apprentice",
        AGENCY,
    }
    assert shape["contracts_today"]["permanent"] > 0.8 * shape["in_post_today"]
    assert shape["part_time_today"] > 0.15 * shape["employees_today"]
    assert shape["within_5_years_of_pension_age"] > 0.03 * shape["employees_today"]


def test_turnover_is_twelve_to_sixteen_percent_a_year(plan):
    for year in plan.shape()["leavers_by_year"]:
        assert 12 <= year["turnover_percent"] <= 16.5, year


def test_a_realistic_mix_of_leaving_reasons(plan):
    reasons = plan.shape()["leaving_reasons"]
    total = sum(reasons.values())
    assert reasons["resignation"] > total / 2
    assert reasons["retirement"] > total / 20
    assert {"dismissal", "redundancy", "transfer_out", "end_of_contract"} <= set(reasons)


def test_every_demo_login_has_a_person_in_post(plan):
    assert set(plan.logins) == set(LOGIN_KEYS)
    assert len(set(plan.logins.values())) == len(LOGIN_KEYS)
    for person in plan.logins.values():
        assert plan.persons[person].leaving is None
        assert not plan.persons[person].agency


def test_too_few_people_is_refused():
    with pytest.raises(ValueError, match="at least 50"):
        plan_council(people=10, seed=1, as_of=AS_OF)
