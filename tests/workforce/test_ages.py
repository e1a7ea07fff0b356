"""Ages and the state pension age: hand-worked cases from the Pensions Acts' tables, and
properties over every date of birth."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from peopleplan.workforce.ages import (
    age_band,
    age_on,
    band_cutoffs,
    latest_birth_reaching_pension_by,
    state_pension_age_months,
    state_pension_date,
    within_five_years_of_pension,
)

D = dt.date


def test_the_state_pension_age_by_date_of_birth():
    assert state_pension_age_months(D(1958, 1, 1)) == 66 * 12
    assert state_pension_age_months(D(1960, 4, 6)) == 66 * 12 + 1  # 6 April - 5 May 1960
    assert state_pension_age_months(D(1960, 5, 5)) == 66 * 12 + 1
    assert state_pension_age_months(D(1960, 5, 6)) == 66 * 12 + 2
    assert state_pension_age_months(D(1961, 3, 5)) == 66 * 12 + 11  # 6 February - 5 March 1961
    assert state_pension_age_months(D(1961, 3, 6)) == 67 * 12
    assert state_pension_age_months(D(1977, 4, 5)) == 67 * 12
    assert state_pension_age_months(D(1977, 4, 6)) == 68 * 12
    assert state_pension_date(D(1962, 7, 14)) == D(2029, 7, 14)


def test_within_five_years_of_pension():
    born = D(1962, 7, 14)  # 67 on 14 July 2029
    assert within_five_years_of_pension(born, D(2024, 7, 14))
    assert not within_five_years_of_pension(born, D(2024, 7, 13))


def test_ages_and_bands():
    assert age_on(D(1990, 6, 15), D(2025, 6, 14)) == 34
    assert age_on(D(1990, 6, 15), D(2025, 6, 15)) == 35
    assert age_on(D(2000, 2, 29), D(2025, 2, 28)) == 24
    assert (
        age_band(24) == "Under 25" and age_band(25) == "25 to 34" and age_band(70) == "65 and over"
    )


@given(st.dates(D(1940, 1, 1), D(2010, 12, 31)), st.dates(D(1940, 1, 1), D(2010, 12, 31)))
def test_the_pension_age_never_falls_for_a_later_birth(first, second):
    earlier, later = sorted((first, second))
    assert state_pension_age_months(earlier) <= state_pension_age_months(later)
    assert state_pension_date(earlier) <= state_pension_date(later)


@given(st.dates(D(1940, 1, 1), D(2010, 12, 31)), st.integers(0, 40000))
def test_an_age_is_the_whole_years_lived(born, days):
    on = born + dt.timedelta(days=days)
    age = age_on(born, on)
    assert 0 <= age <= days // 365
    if (on.month, on.day) != (2, 29):
        assert age_on(born, on.replace(year=on.year + 1)) == age + 1  # a year on: a year older


@given(st.dates(D(1940, 1, 1), D(2010, 12, 31)), st.dates(D(2000, 1, 1), D(2060, 12, 31)))
def test_the_latest_birth_reaching_pension_by_a_day_splits_every_birth(born, day):
    latest = latest_birth_reaching_pension_by(day)
    assert (born <= latest) == (state_pension_date(born) <= day)


@given(st.dates(D(1940, 1, 1), D(2010, 12, 31)), st.dates(D(2010, 12, 31), D(2040, 12, 31)))
def test_the_band_cutoffs_put_everyone_in_their_age_band(born, on):
    cutoffs = band_cutoffs(on)
    found = next(label for last, label in cutoffs if born <= last)
    assert found == age_band(age_on(born, on))
