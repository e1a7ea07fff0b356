"""The plan of a demo council: plain records that the planner fills in and the generator
writes. Units, posts, people and spells refer to each other by their index in the plan's lists;
days are date ordinals (`date.toordinal()`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# The years of history a demo council has before its as-of date, unless asked for more or
# fewer (`plan_council(history_years=...)`, `peopleplan demo --history-years`): the demo and
# the figures its docs and tests quote are five years; a trend benchmark asks for ten.
HISTORY_YEARS = 5
INF = dt.date.max.toordinal()  # an open end
MIN = 1

PERMANENT = "permanent"
FIXED_TERM = "fixed_term"
TEMPORARY = "temporary"
CASUAL = "casual"
APPRENTICE = "apprentice"
AGENCY = "agency"

FULL_TIME = Decimal("1.00")


# --- the plan --------------------------------------------------------------------------------


@dataclass(slots=True)
class UnitPlan:
    code: str
    name: str
    unit_type: str
    parent: int | None
    depth: int
    cost_centre: str
    top: int  # the directorate it sits in (a unit at depth 0 or 1)
    root: int  # the organisation it belongs to: the council or the partner agency
    manager_post: int | None = None


@dataclass(slots=True)
class RolePlan:
    code: str
    title: str
    job_family: str
    registration_body: str
    dbs_level: str
    works_with_children: bool
    works_with_adults: bool
    manages_people: bool


@dataclass(slots=True)
class PostPlan:
    number: str  # "" for a relief (casual) place, which is not in the establishment
    unit: int
    role: int
    grade: int  # the grade's rank
    fte: Decimal
    start: int  # day ordinal
    family: str
    manages: bool = False  # the manager post of its unit
    apprentice: bool = False
    casual: bool = False
    critical: bool = False
    end: int | None = None
    # state while the history runs
    holder: int | None = None  # the substantive holder's spell
    agency: int | None = None  # an agency worker's spell covering the vacancy
    token: int = 0  # bumped whenever a scheduled fill is no longer wanted
    fill_day: int = 0


@dataclass(slots=True)
class PersonPlan:
    number: str
    first_name: str
    last_name: str
    email: str
    sex: str
    ethnicity: str
    disability: str
    religion: str
    sexual_orientation: str
    born: int
    service_start: int
    retire_day: int
    agency: bool = False
    leaving: int | None = None
    reason: str = ""
    spell: int | None = None  # the primary spell in post now
    secondary: list[int] = field(default_factory=list)


@dataclass(slots=True)
class SpellPlan:
    """A person's time in one post on one contract; cut into assignments by line manager."""

    person: int
    post: int
    start: int
    contract: str
    fte: Decimal
    primary: bool = True
    end: int | None = None
    contract_end: int | None = None  # a fixed-term contract's planned end


@dataclass(slots=True)
class AssignmentPlan:
    person: int
    post: int
    start: int
    end: int | None
    contract: str
    fte: Decimal
    manager: int | None
    primary: bool


@dataclass
class CouncilPlan:
    people: int
    seed: int
    as_of: dt.date
    history_years: int
    history_start: dt.date  # `history_years` before the as-of date
    grades: list[tuple[str, str, int]]
    roles: list[RolePlan]
    units: list[UnitPlan]
    posts: list[PostPlan]
    persons: list[PersonPlan]
    spells: list[SpellPlan]
    assignments: list[AssignmentPlan]
    logins: dict[str, int]  # demo login key -> person
    scopes: dict[str, int]  # directorate code -> unit, for scoped demo logins

    def shape(self) -> dict:
        from peopleplan.demo.shape import council_shape

        return council_shape(self)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
