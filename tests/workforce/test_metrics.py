"""The capacity measures on a small, hand-made service whose every answer is worked out here,
as the national statistics would work it out (the year to 30 September 2025)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peopleplan.org.models import Assignment
from peopleplan.workforce.metrics import DEFINITIONS, Facts, Scope, measures, working_days

D = dt.date
AS_OF = D(2025, 9, 30)  # the period: 1 October 2024 to 30 September 2025
AGENCY = Assignment.ContractType.AGENCY


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
        "needing_registration_headcount": 3,  # A, B, F: social workers
        "qualified_rate": Decimal("33.3"),  # A; B's ran out in June, F has none
        "within_five_years_of_pension_rate": Decimal("50.0"),  # A, of the two with a birth date
        "age_profile": {
            "Under 25": 0,
            "25 to 34": 1,
            "35 to 44": 0,
            "45 to 54": 0,
            "55 to 64": 1,
            "65 and over": 0,
            "Not known": 1,
        },
        "leavers_by_reason": {"Resignation": 1},
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
    assert got["leavers_by_reason"] == {"Moved within the council": 1, "Resignation": 1}


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


@given(st.integers(1, 40), st.dates(D(2020, 1, 1), D(2030, 12, 31)), st.integers(0, 60))
def test_a_spell_long_enough_is_long_term_whatever_day_it_starts(boundary, first, extra):
    from peopleplan.workforce.metrics import _sure_long_from

    sure = _sure_long_from(boundary)
    assert working_days(first, first + dt.timedelta(days=sure + extra - 1)) > boundary
    # and one day fewer is not always enough
    shorter = [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(7)]
    assert any(working_days(d, d + dt.timedelta(days=sure - 2)) <= boundary for d in shorter)


@pytest.mark.parametrize("boundary", [20, 10])
def test_every_length_of_spell_is_counted_once_and_shared_out_by_hand(db, boundary):
    """Spells of every length from 1 to 40 calendar days, some over the period's edges and
    one still going on, summed by the database and by Python, against a count by hand."""
    from peopleplan.org.models import Absence
    from tests.factories import AssignmentFactory, PersonFactory

    start, as_of = D(2024, 10, 1), D(2025, 9, 30)
    spells = []
    for length in range(1, 41):  # each on a weekday of its own, some over an edge
        for day in (D(2024, 9, 20) + dt.timedelta(days=length), D(2025, 3, 1), D(2025, 9, 25)):
            person = PersonFactory()
            AssignmentFactory(person=person, start_date=D(2010, 1, 1))
            last = day + dt.timedelta(days=length - 1)
            spells.append(
                Absence(
                    person=person,
                    first_day=day + dt.timedelta(days=length % 7),
                    last_day=last + dt.timedelta(days=length % 7),
                )
            )
    person = PersonFactory()
    AssignmentFactory(person=person, start_date=D(2010, 1, 1))
    spells.append(Absence(person=person, first_day=D(2025, 9, 20), last_day=None))
    for n, spell in enumerate(spells):
        spell.working_days_lost = Decimal(n % 7) + Decimal("0.5")
    Absence.objects.bulk_create(spells)

    expected = {"short_term_spells": 0, "long_term_spells": 0}
    short_days = long_days = Fraction(0)
    for spell in spells:
        last = spell.last_day or as_of
        if last < start or spell.first_day > as_of:
            continue
        inside = (min(last, as_of) - max(spell.first_day, start)).days + 1
        whole = (last - spell.first_day).days + 1
        lost = Fraction(spell.working_days_lost) * inside / whole
        if working_days(spell.first_day, last) > boundary:
            expected["long_term_spells"] += 1
            long_days += lost
        else:
            expected["short_term_spells"] += 1
            short_days += lost
    got = measures(Facts.read(Scope(), as_of, as_of), as_of, long_term_from=boundary)
    assert {k: got[k] for k in expected} == expected
    assert got["short_term_days_lost"] == round(Decimal(float(short_days)), 1)
    assert got["long_term_days_lost"] == round(Decimal(float(long_days)), 1)
    # Read with other periods at once (as a trend reads them), the figures are the same.
    from peopleplan.workforce.metrics import period_of

    trend = Facts.read(Scope(), D(2023, 9, 30), as_of)
    days = [D(2023, 9, 30), D(2024, 9, 30), as_of]
    trend.read_sickness([(period_of(d), d) for d in days], boundary)
    keys = ["short_term_spells", "long_term_spells", "short_term_days_lost", "long_term_days_lost"]
    again = measures(trend, as_of, long_term_from=boundary)
    assert {k: again[k] for k in keys} == {k: got[k] for k in keys}
    before = measures(trend, D(2024, 9, 30), long_term_from=boundary)
    alone = measures(
        Facts.read(Scope(), D(2024, 9, 30), D(2024, 9, 30)), D(2024, 9, 30), long_term_from=boundary
    )
    assert {k: before[k] for k in keys} == {k: alone[k] for k in keys}
    assert before["short_term_spells"] > 0  # the spells of September 2024


@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),  # person
            st.integers(0, 60),  # first day
            st.one_of(st.none(), st.integers(0, 30)),  # length less one; None: open
            st.sampled_from([Decimal("0.5"), Decimal("1.0")]),
        ),
        max_size=12,
    )
)
def test_spells_are_the_days_worked_without_a_break(jobs):
    from peopleplan.workforce.metrics import END, Job, join_spells

    base = D(2024, 1, 1)
    made = [
        Job(
            person,
            base + dt.timedelta(days=first),
            END if length is None else base + dt.timedelta(days=first + length),
            fte,
            False,
            None,
            0,
        )
        for person, first, length, fte in jobs
    ]
    spells = join_spells(made)
    for person in {j.person_id for j in made}:
        theirs = [j for j in made if j.person_id == person]
        days = {
            base + dt.timedelta(days=n)
            for j in theirs
            for n in range((j.start - base).days, min((j.end - base).days, 200) + 1)
        }
        mine = sorted((s for s in spells if s.person_id == person), key=lambda s: s.start)
        # Every day worked is in exactly one spell, and no spell runs on after a day off.
        for day in days:
            assert sum(1 for s in mine if s.start <= day <= s.end) == 1
        for before, after in pairwise(mine):
            assert after.start > before.end + dt.timedelta(days=1)
        for s in mine:
            assert s.start_fte == sum(j.fte for j in theirs if j.start <= s.start <= j.end)
            if s.end != END:
                assert s.end_fte == sum(j.fte for j in theirs if j.start <= s.end <= j.end)
