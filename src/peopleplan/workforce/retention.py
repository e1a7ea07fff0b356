"""Retention of recruitment cohorts: how many of the people who came in by a route are still
with the council as time goes on, as a Kaplan-Meier survival curve.

Each member is followed from the day they started by the route (`CohortMember.started_on`) to
the day they left the council (`Person.leaving_date`: the event), or to the as-of date if they
have not left (censored: still in post, we do not yet know for how long). Moving to another job
in the council is staying. The estimate at each day someone left is the product, over every
such day so far, of (1 - those who left that day / those still followed just before it); those
censored on a day someone left are counted as followed that day. Survival is given for each
whole month (30.4375 days) since starting, and read at 12 and 24 months; it is None past the
longest anyone has been followed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q

from peopleplan.org.models import Assignment, subtree_q

from .models import CohortMember

MONTH = 30.4375  # days: a twelfth of an average year


def kaplan_meier(followed: list[tuple[int, bool]]) -> list[tuple[int, float]]:
    """(day, survival just after it) at each day someone left, from (days followed, whether
    they left then) for each person. Survival starts at 1 on day 0 (not listed)."""
    leaving = Counter(days for days, left in followed if left)
    at_risk = len(followed)
    gone_before: Counter[int] = Counter(days for days, _ in followed)
    survival = 1.0
    curve = []
    passed = 0
    for day in sorted(gone_before):
        left = leaving.get(day, 0)
        if left:
            survival *= 1 - left / (at_risk - passed)
            curve.append((day, survival))
        passed += gone_before[day]  # those who left or were censored on the day
    return curve


def survival_at(curve: list[tuple[int, float]], day: float, followed_for: int) -> float | None:
    """The estimate on the day: the last step at or before it; None past the longest follow-up."""
    if day > followed_for:
        return None
    value = 1.0
    for step_day, survival in curve:
        if step_day > day:
            break
        value = survival
    return value


def _percent(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Retention:
    label: str  # the route (or the cohort)
    people: int
    left: int
    first_start: dt.date | None
    last_start: dt.date | None
    at_12_months: Decimal | None  # percent still with the council
    at_24_months: Decimal | None
    months: list[tuple[int, Decimal | None]] = field(default_factory=list)  # month, percent


def retention(members: list[tuple[dt.date, dt.date | None]], as_of: dt.date, label: str):
    """The retention of people who started on the first day and left on the second (None: not
    left by the as-of date), followed to the as-of date."""
    followed = []
    for started, left_on in members:
        if started > as_of:
            continue
        if left_on is not None and left_on <= as_of:
            followed.append(((left_on - started).days, True))
        else:
            followed.append(((as_of - started).days, False))
    followed = [(days, left) for days, left in followed if days >= 0]
    curve = kaplan_meier(followed)
    longest = max((days for days, _ in followed), default=-1)
    months = int(longest // MONTH) if followed else -1
    starts = [s for s, _ in members if s <= as_of]
    return Retention(
        label=label,
        people=len(followed),
        left=sum(1 for _, left in followed if left),
        first_start=min(starts, default=None),
        last_start=max(starts, default=None),
        at_12_months=_percent(survival_at(curve, 12 * MONTH, longest)),
        at_24_months=_percent(survival_at(curve, 24 * MONTH, longest)),
        months=[(m, _percent(survival_at(curve, m * MONTH, longest))) for m in range(months + 1)],
    )


def by_route(paths: list[str] | None, as_of: dt.date) -> list[tuple[Retention, list[Retention]]]:
    """Each route's retention, with each of its cohorts': the members whose job on the day
    they started lies in the scope (None: the whole council). One query."""
    members = CohortMember.objects.filter(started_on__lte=as_of)
    if paths is not None:
        started = OuterRef("started_on")
        job_then = Assignment.objects.filter(
            subtree_q("unit__path", paths),
            Q(end_date__isnull=True) | Q(end_date__gte=started),
            person_id=OuterRef("person_id"),
            start_date__lte=started,
        )
        members = members.filter(Exists(job_then))
    rows = members.order_by("cohort__route__name", "cohort__name").values_list(
        "cohort__route__name", "cohort__name", "started_on", "person__leaving_date"
    )
    routes: dict[str, list[tuple]] = {}
    cohorts: dict[str, dict[str, list[tuple]]] = {}
    for route, cohort, started, left_on in rows:
        routes.setdefault(route, []).append((started, left_on))
        cohorts.setdefault(route, {}).setdefault(cohort, []).append((started, left_on))
    return [
        (
            retention(routes[route], as_of, route),
            [retention(m, as_of, name) for name, m in cohorts[route].items()],
        )
        for route in routes
    ]
