"""Ages and the state pension age, as pure functions (with property tests).

The state pension age by date of birth, from the Pensions Acts 1995, 2007, 2011 and 2014, for
everyone a council employs today: 66 for those born from 6 October 1954 to 5 April 1960; rising
by a month for each month of birth from 6 April 1960 to 5 March 1961 (66 and 1 month to 66 and
11 months); 67 for those born from 6 March 1961 to 5 April 1977; 68 from then on. (The 2007 Act
phases 67 to 68 over births from 6 April 1977 to 5 April 1978; taking 68 for them is at most
eleven months early, and matters only from about 2039, when they come within five years of
it.) Those born before 6 October 1954 reached it at 65 or earlier: 65 is used.
"""

from __future__ import annotations

import datetime as dt

from peopleplan.core.dates import add_months

BANDS = ((0, 24, "Under 25"), (25, 34, "25 to 34"), (35, 44, "35 to 44"), (45, 54, "45 to 54"))
BANDS += ((55, 64, "55 to 64"), (65, 200, "65 and over"))


def age_on(born: dt.date, on: dt.date) -> int:
    """Whole years from birth to the day (a 29 February birthday counts on 1 March)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def age_band(age: int) -> str:
    return next(label for low, high, label in BANDS if low <= age <= high)


def state_pension_age_months(born: dt.date) -> int:
    """The state pension age in months."""
    if born < dt.date(1954, 10, 6):
        return 65 * 12
    if born < dt.date(1960, 4, 6):
        return 66 * 12
    if born < dt.date(1961, 3, 6):
        # One more month for each month of birth from 6 April 1960: 6 April - 5 May -> 1.
        months = (born.year - 1960) * 12 + born.month - 4 + (0 if born.day >= 6 else -1)
        return 66 * 12 + months + 1
    if born < dt.date(1977, 4, 6):
        return 67 * 12
    return 68 * 12


def state_pension_date(born: dt.date) -> dt.date:
    """The day the person reaches state pension age."""
    return add_months(born, state_pension_age_months(born))


def pension_horizon(on: dt.date) -> dt.date:
    """Five years on from the day: reaching state pension age by then is "within five years"."""
    return add_months(on, 60)


def within_five_years_of_pension(born: dt.date, on: dt.date) -> bool:
    """Whether the person reaches state pension age within five years of the day (or has)."""
    return state_pension_date(born) <= pension_horizon(on)


def latest_birth_reaching_pension_by(day: dt.date) -> dt.date:
    """The latest date of birth whose state pension age falls on or before the day: someone
    born on or before it reaches state pension age by then (the pension date never comes
    earlier for a later birth). Found by bisection, so that a council's people are each one
    comparison."""
    low, high = day.toordinal() - 80 * 366, day.toordinal()  # reached by then; not by then
    while high - low > 1:
        middle = (low + high) // 2
        if state_pension_date(dt.date.fromordinal(middle)) <= day:
            low = middle
        else:
            high = middle
    return dt.date.fromordinal(low)


def latest_birth_aged(years: int, on: dt.date) -> dt.date:
    """The latest date of birth of someone aged at least `years` on the day (age_on never
    rises for a later birth)."""
    low, high = on.toordinal() - (years + 2) * 366, on.toordinal() + 1  # aged so; not aged so
    while high - low > 1:
        middle = (low + high) // 2
        if age_on(dt.date.fromordinal(middle), on) >= years:
            low = middle
        else:
            high = middle
    return dt.date.fromordinal(low)


def band_cutoffs(on: dt.date) -> list[tuple[dt.date, str]]:
    """Each age band's latest date of birth on the day, the oldest band first: someone born
    on or before a band's date and after the next older band's is in that band."""
    return [(latest_birth_aged(low, on), label) for low, _, label in reversed(BANDS)]
