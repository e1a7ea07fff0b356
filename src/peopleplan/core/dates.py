"""Dates the council works in: today, financial years (1 April to 31 March)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def financial_year_start(on: dt.date) -> dt.date:
    return dt.date(on.year if on.month >= 4 else on.year - 1, 4, 1)


def financial_year_end(on: dt.date) -> dt.date:
    start = financial_year_start(on)
    return dt.date(start.year + 1, 3, 31)


def financial_year_label(on: dt.date) -> str:
    start = financial_year_start(on)
    return f"{start.year}/{str(start.year + 1)[-2:]}"


def add_months(on: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), or the last day of the month when it is
    shorter: 31 January plus one month is 28 (or 29) February."""
    index = on.year * 12 + on.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(on.day, last_day))
