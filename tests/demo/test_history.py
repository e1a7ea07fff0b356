"""The demo council's years of history: five by default, more when asked for (the workforce
benchmark's ten-year trend), read back from a small council of 300 built once for the module
with ten years."""

from __future__ import annotations

import datetime as dt
import inspect
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from peopleplan.compliance.models import Requirement
from peopleplan.demo.generator import DemoError, demo_build
from peopleplan.demo.plan import HISTORY_YEARS, plan_council, years_before
from peopleplan.learning.models import Completion
from peopleplan.org.models import Absence, Assignment, Caseload, Person
from peopleplan.workforce.models import ExitInterview
from tests.demo import checks

AS_OF = dt.date(2026, 3, 31)
START = dt.date(2016, 3, 31)  # ten years before the as-of date


def build(*extra: str) -> str:
    out = StringIO()
    call_command(
        "demo", "--people", "300", "--seed", "3", "--as-of", str(AS_OF), *extra, stdout=out
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker, tmp_path_factory):
    """Ten years of history, built once, in a transaction rolled back when the module's tests
    are done."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        output = build("--history-years", "10")
        yield output
        transaction.set_rollback(True)


def history_year(day: dt.date) -> int:
    """Which of the ten years to the as-of date a day falls in: 0 the first (from the day the
    history starts, 31 March 2016), 9 the last (to 31 March 2026); -1 before the history."""
    if day < START:
        return -1
    for year in range(10):
        if day <= years_before(AS_OF, 9 - year):
            return year
    raise AssertionError(f"{day} is after the as-of date")


def test_the_default_is_five_years():
    assert HISTORY_YEARS == 5
    assert inspect.signature(demo_build).parameters["history_years"].default == HISTORY_YEARS
    plan = plan_council(people=300, seed=3, as_of=AS_OF)
    assert plan.history_years == 5
    assert plan.history_start == dt.date(2021, 3, 31)
    assert len(plan.shape()["leavers_by_year"]) == 5
    leaving = [p.leaving for p in plan.persons if p.leaving is not None]
    assert min(leaving) >= plan.history_start.toordinal()
    # The same plan as when the years are asked for.
    again = plan_council(people=300, seed=3, as_of=AS_OF, history_years=5)
    assert [(p.number, p.born, p.leaving) for p in again.persons] == [
        (p.number, p.born, p.leaving) for p in plan.persons
    ]


def test_the_command_says_how_many_years(council):
    assert "10 years of history" in council
    assert "10 years of leavers" in council
    assert council.count("  year to ") == 10


def test_assignments_start_and_end_in_each_of_the_ten_years(council, db):
    starts, ends = set(), set()
    for start, end in Assignment.objects.values_list("start_date", "end_date"):
        starts.add(history_year(start))
        if end is not None and end <= AS_OF:  # not a fixed-term contract's planned end
            ends.add(history_year(end))
    assert starts == {-1, *range(10)}  # and those in post when the history starts
    assert set(range(10)) <= ends
    leaving = Person.objects.filter(leaving_date__isnull=False).values_list(
        "leaving_date", flat=True
    )
    assert {history_year(day) for day in leaving} == set(range(10))


def test_absences_caseloads_and_exit_interviews_in_each_of_the_ten_years(council, db):
    absences = Absence.objects.values_list("first_day", flat=True)
    assert min(absences) > START
    assert {history_year(day) for day in absences} == set(range(10))
    caseloads = set(Caseload.objects.values_list("on", flat=True))
    assert {history_year(day) for day in caseloads} == set(range(10))
    assert len(caseloads) == 40  # the last day of each quarter
    exits = ExitInterview.objects.values_list("held_on", flat=True)
    assert {history_year(day) for day in exits} == set(range(10))


def test_the_requirements_and_their_completions_go_back_ten_years(council, db):
    assert set(Requirement.objects.values_list("applies_from", flat=True)) == {START}
    days = Completion.objects.filter(item__requirements__isnull=False).values_list(
        "completed_on", flat=True
    )
    assert min(days) >= START
    assert {history_year(day) for day in days} == set(range(10))


def test_the_invariants_hold_over_the_ten_years(council, db):
    assert checks.assignments_ending_before_start() == []
    assert checks.overlapping_primary_assignments() == []
    assert checks.leavers_with_open_assignments() == []
    assert checks.managers_not_in_post() == []
    for years_ago in range(10):
        assert checks.reporting_loops(years_before(AS_OF, years_ago)) == []


@pytest.mark.parametrize("years", ["0", "21", "-5"])
def test_the_command_refuses_years_out_of_range(db, years):
    with pytest.raises(CommandError, match="--history-years must be from 1 to 20"):
        build("--history-years", years)


def test_the_build_and_the_plan_refuse_years_out_of_range(db):
    with pytest.raises(DemoError, match="1 to 20 years of history"):
        demo_build(people=300, history_years=0)
    with pytest.raises(ValueError, match="a year of history"):
        plan_council(people=300, seed=3, as_of=AS_OF, history_years=0)
