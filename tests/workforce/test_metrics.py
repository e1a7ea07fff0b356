"""The capacity measures on a small, hand-made service whose every answer is worked out here,
as the national statistics would work it out (the year to 30 September 2025)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peopleplan.org.models import Absence, Assignment, Caseload
from peopleplan.workforce.metrics import DEFINITIONS, Facts, Scope, measures, working_days
from tests.factories import (
    AssignmentFactory,
    JobRoleFactory,
    PersonFactory,
    PostFactory,
    UnitFactory,
)

D = dt.date
AS_OF = D(2025, 9, 30)  # the period: 1 October 2024 to 30 September 2025
AGENCY = Assignment.ContractType.AGENCY


@pytest.fixture
def service(db):
    """Children's social care (two teams) and, outside it, a housing team.

    In post on 30 September 2025: A (1.0, since 2020), B (0.5, started 1 December 2024) and
    F (1.0, moved between the teams on 1 June 2025). C (1.0) left on 31 March 2025. Agency: D
    (0.8, in C's post since 1 April 2025) and E (1.0, no post). G works in housing.
    Posts open on the day: A's (held), B's (1.0 held at 0.5), C's (held by agency D), one
    empty; one more closed in January."""
    council = UnitFactory(code="NCC", name="Council")
    csc = UnitFactory(code="CSC", name="Children's social care", parent=council)
    team1 = UnitFactory(code="CSC-1", name="Team 1", parent=csc)
    team2 = UnitFactory(code="CSC-2", name="Team 2", parent=csc)
    housing = UnitFactory(code="HOU", name="Housing", parent=council)
    social_worker = JobRoleFactory(code="SW", title="Social worker", job_family="Social work")
    officer = JobRoleFactory(code="HO", title="Housing officer", job_family="Housing")

    def post(unit=team1, fte="1.00", **kwargs):
        return PostFactory(unit=unit, job_role=social_worker, fte=Decimal(fte), **kwargs)

    p1, p2, p3, p4 = post(), post(), post(), post(unit=team2)
    post(start_date=D(2020, 4, 1), end_date=D(2025, 1, 1))

    def person(name, service_start=None):
        return PersonFactory(first_name=name, service_start=service_start)

    def job(who, start, end=None, fte="1.00", unit=team1, contract="permanent", post=None):
        return AssignmentFactory(
            person=who,
            start_date=start,
            end_date=end,
            fte=Decimal(fte),
            unit=unit,
            job_role=officer if unit == housing else social_worker,
            contract_type=contract,
            post=post,
        )

    people = {name: person(name) for name in "ABCDEFG"}
    job(people["A"], D(2020, 1, 1), post=p1)
    job(people["B"], D(2024, 12, 1), fte="0.50", post=p2)
    job(people["C"], D(2019, 1, 1), D(2025, 3, 31), post=p3)
    job(people["D"], D(2025, 4, 1), fte="0.80", contract=AGENCY, post=p3)
    job(people["E"], D(2025, 1, 1), contract=AGENCY)
    job(people["F"], D(2018, 1, 1), D(2025, 5, 31))
    job(people["F"], D(2025, 6, 1), unit=team2)
    job(people["G"], D(2015, 1, 1), unit=housing)
    del p4  # the empty post

    def count(name, on, cases):
        Caseload.objects.create(person=people[name], on=on, cases=cases)

    count("A", AS_OF, 15)
    count("B", AS_OF, 5)
    count("D", AS_OF, 20)  # agency workers hold cases too
    count("F", AS_OF, 0)  # holds none: not a case holder
    count("G", AS_OF, 40)  # outside the service
    count("C", D(2025, 3, 31), 30)  # an earlier count

    def absent(name, first, last, lost):
        Absence.objects.create(
            person=people[name], first_day=first, last_day=last, working_days_lost=Decimal(lost)
        )

    absent("A", D(2025, 1, 13), D(2025, 1, 17), "5")  # a week: short-term
    absent("B", D(2025, 2, 3), D(2025, 3, 14), "15")  # 30 working days at 0.5: long-term
    absent("C", D(2024, 9, 23), D(2024, 10, 4), "10")  # 4 of its 12 days in the period
    absent("F", D(2025, 9, 29), None, "2")  # still off on the day
    absent("E", D(2025, 5, 1), D(2025, 5, 2), "2")  # agency: not counted
    absent("G", D(2025, 5, 1), D(2025, 5, 2), "2")  # outside the service
    return {"csc": csc, "council": council, "people": people}


def worked_out(scope):
    return measures(Facts.read(scope, AS_OF, AS_OF), AS_OF)


def test_every_measure_of_the_service_as_the_statistics_count_it(service):
    got = worked_out(Scope(unit_paths=(service["csc"].path,)))
    assert got["period_start"] == D(2024, 10, 1)
    expected = {
        "inpost_fte": Decimal("2.5"),  # A 1.0 + B 0.5 + F 1.0
        "inpost_headcount": 3,
        "starters_fte": Decimal("0.5"),  # B; F's move inside the service is not a start
        "starters_headcount": 1,
        "leavers_fte": Decimal("1.0"),  # C
        "leavers_headcount": 1,
        "turnover_rate_fte": Decimal("40.0"),  # 1.0 / 2.5
        "turnover_rate_headcount": Decimal("33.3"),  # 1 / 3
        "lg_turnover_rate_fte": Decimal("36.4"),  # 1.0 / ((3.0 + 2.5) / 2)
        "agency_fte": Decimal("1.8"),  # D 0.8 + E 1.0
        "agency_headcount": 2,
        "agency_rate_fte": Decimal("41.9"),  # 1.8 / 4.3
        "agency_rate_headcount": Decimal("40.0"),  # 2 / 5
        "vacancy_fte": Decimal("2.5"),  # B's post 0.5 + C's 1.0 + the empty one 1.0
        "vacancy_rate_fte": Decimal("50.0"),  # 2.5 / (2.5 + 2.5)
        "agency_cover_fte": Decimal("0.8"),  # D in C's post
        "agency_cover_rate_fte": Decimal("44.4"),  # 0.8 / 1.8
        "vacancy_agency_cover_rate_fte": Decimal("32.0"),  # 0.8 / 2.5
        "caseload_counted_on": AS_OF,
        "case_holders_headcount": 3,  # A, B and agency D; F holds none
        "case_holders_fte": Decimal("2.3"),
        "cases": 40,
        "caseload_fte": Decimal("17.4"),  # 40 / 2.3
        "working_days_lost_fte": Decimal("25.3"),  # 5 + 15 + 10 * 4/12 + 2
        "absence_rate_fte": Decimal("4.0"),  # 25.33 / (2.5 * 253)
        "working_days_lost_per_fte": Decimal("9.2"),  # 25.33 / 2.75
        "short_term_spells": 3,  # A, C, F
        "short_term_days_lost": Decimal("10.3"),
        "long_term_spells": 1,  # B
        "long_term_days_lost": Decimal("15.0"),
        "under_two_years_service_rate": Decimal("33.3"),  # B
    }
    assert {key: got[key] for key in expected} == expected
    assert set(DEFINITIONS) <= set(got)


def test_a_job_family_is_a_scope_of_its_own(service):
    housing = worked_out(Scope(job_family="Housing"))
    assert (housing["inpost_headcount"], housing["cases"], housing["caseload_fte"]) == (
        1,
        40,
        Decimal("40.0"),
    )
    assert housing["vacancy_fte"] == 0 and housing["vacancy_rate_fte"] == Decimal("0.0")
    council = worked_out(Scope())
    assert council["inpost_headcount"] == 4 and council["cases"] == 80


def test_a_move_out_of_a_team_is_a_leaver_of_the_team(service):
    team1 = service["csc"].children.get(code="CSC-1")
    got = worked_out(Scope(unit_paths=(team1.path,)))
    # F moved to team 2 on 1 June: a leaver of team 1, with C.
    assert got["leavers_headcount"] == 2 and got["inpost_headcount"] == 2


def test_nothing_to_count_gives_no_rate(db):
    got = worked_out(Scope())
    assert got["inpost_headcount"] == 0
    assert got["turnover_rate_fte"] is None and got["caseload_fte"] is None
    assert got["caseload_counted_on"] is None


@given(first=st.dates(D(2020, 1, 1), D(2030, 1, 1)), length=st.integers(0, 60))
def test_working_days_counts_monday_to_friday(first, length):
    last = first + dt.timedelta(days=length)
    by_hand = sum(1 for n in range(length + 1) if (first + dt.timedelta(days=n)).weekday() < 5)
    assert working_days(first, last) == by_hand


def test_the_command_prints_every_measure_as_json(service):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("workforce_metrics", "--as-of", "2025-09-30", "--unit", "CSC", stdout=out)
    got = json.loads(out.getvalue())
    assert got["unit"] == "CSC" and got["as_of"] == "2025-09-30"
    assert got["inpost_fte"] == 2.5 and got["turnover_rate_fte"] == 40.0
    assert got["caseload_fte"] == 17.4 and got["vacancy_rate_fte"] == 50.0
    out = io.StringIO()
    call_command("workforce_metrics", "--as-of", "2025-09-30", "--format", "text", stdout=out)
    assert "inpost_headcount" in out.getvalue()


def test_the_command_refuses_an_unknown_unit_or_family(service):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no unit with the code NOPE"):
        call_command("workforce_metrics", "--unit", "NOPE")
    with pytest.raises(CommandError, match="Social work"):
        call_command("workforce_metrics", "--job-family", "Astronauts")
