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
