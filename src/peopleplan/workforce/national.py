"""The published national figures the council's measures are set beside: children and family
social workers in England, from the Department for Education's "Children's social work
workforce" statistics (the release updated in March 2026, its data file
`csww_indicators_2017_to_2025.csv`). Stocks are at 30 September, flows for the year to 30
September; rates are percentages as published. Later releases revise earlier years, so the
release is named wherever the figures are shown, and the rates are shown as published (they
are worked out over the councils with valid data, so they cannot always be recomputed from the
national totals)."""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

RELEASE = "Children's social work workforce, England, release of March 2026"
SOURCE = Path(__file__).resolve().parent / "data" / "csww_national.csv"
# The job families the national figures describe, by the words councils use for them.
FAMILY_WORDS = ("children's social work", "childrens social work", "children's social care")


@cache
def national_figures() -> dict[int, dict[str, Decimal]]:
    """Year (of the 30 September) -> measure key (as our measures name them) -> figure."""
    with SOURCE.open(encoding="utf-8") as handle:
        return {
            int(row.pop("year")): {key: Decimal(value) for key, value in row.items() if value}
            for row in csv.DictReader(handle)
        }


def applies_to(job_family: str | None) -> bool:
    """Whether the national figures describe this job family (children's social workers)."""
    return job_family is not None and job_family.strip().lower() in FAMILY_WORDS
