"""Build the demo council in the database: `demo_build` plans it in memory (`plan.py`, its
learning in `learning.py`, its sickness, caseloads and exit interviews in `workforce.py`) and
writes it with bulk inserts in batches, in one transaction, with one audit entry for the whole
build. 50,000 people (about 100,000 people rows with five years of leavers, 200,000
assignments, 85,000 bookings, 190,000 completions) take well under three minutes on SQLite or
PostgreSQL. Five years of history is the default; `history_years` asks for more (a ten-year
trend) or fewer, from 1 to `MOST_HISTORY_YEARS`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from peopleplan.access.models import RoleGrant, User
from peopleplan.compliance.models import (
    Achievement,
    Credential,
    CredentialType,
    Exemption,
    Requirement,
    StatusCheck,
)
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.core.rows import insert_rows
from peopleplan.demo.catalogue import AUDIENCES, COUNCIL_NAME
from peopleplan.demo.compliance import compliance_write
from peopleplan.demo.learning import LearningPlan, learning_plan, learning_write
from peopleplan.demo.logins import DEMO_DOMAIN, demo_users_create
from peopleplan.demo.plan import HISTORY_YEARS, CouncilPlan, plan_council
from peopleplan.demo.workforce import WorkforcePlan, workforce_plan, workforce_write
from peopleplan.learning.models import (
    AttendanceMark,
    Booking,
    BookingEvent,
    Completion,
    EvaluationAnswer,
    EvaluationRequest,
    LearningItem,
    PlaceReservation,
    Programme,
    ProgrammeItem,
    ProgrammeMember,
    Provider,
    Session,
    SessionPart,
    Topic,
    Venue,
)
from peopleplan.org.models import (
    Absence,
    Assignment,
    Audience,
    AudienceRule,
    Caseload,
    EqualityRecord,
    Grade,
    JobRole,
    PayRecord,
    Person,
    Post,
    Unit,
    UnitMove,
)
from peopleplan.org.services import unit_path_for
from peopleplan.workforce.models import Cohort, CohortMember, ComparisonPopulation, ExitInterview

BATCH = 2000

# The most years of history a demo council is built with: every year adds its starters,
# leavers, absences and caseloads to the build.
MOST_HISTORY_YEARS = 20

# The workforce data, deleted first: it refers to people only, and deleting people would
# otherwise cascade to it row by row.
WORKFORCE_MODELS = (
    CohortMember,
    Cohort,
    ExitInterview,
    Caseload,
    Absence,
    PayRecord,
    ComparisonPopulation,
)

# The compliance data, in the order it is deleted (before the learning and the audiences).
COMPLIANCE_MODELS = (
    Achievement,
    Exemption,
    StatusCheck,
    Credential,
    Requirement,
    CredentialType,
)

# The learning data, in the order it is deleted (bookings and completions protect people).
LEARNING_MODELS = (
    EvaluationAnswer,
    EvaluationRequest,
    Completion,
    AttendanceMark,
    BookingEvent,
    Booking,
    PlaceReservation,
    SessionPart,
    Session,
    ProgrammeMember,
    ProgrammeItem,
    Programme,
    LearningItem,
    Venue,
    Topic,
    Provider,
)


class DemoError(Exception):
    """The demo council cannot be built, with a message for the person running it."""


@dataclass
class DemoBuild:
    plan: CouncilPlan
    learning: LearningPlan
    workforce: WorkforcePlan
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def demo_build(
    *,
    people: int = 5000,
    seed: int = 1,
    as_of: dt.date | None = None,
    replace: bool = False,
    actor: Any = None,
    history_years: int = HISTORY_YEARS,
) -> DemoBuild:
    """Build the demo council, with `history_years` of history before `as_of`. Refuses when
    there are people already, unless `replace`, which deletes the organisation data first."""
    if people < 50:
        raise DemoError("A demo council needs at least 50 people.")
    if not 1 <= history_years <= MOST_HISTORY_YEARS:
        raise DemoError(
            f"A demo council has 1 to {MOST_HISTORY_YEARS} years of history, not {history_years}."
        )
    existing = Person.objects.count()
    if existing and not replace:
        raise DemoError(
            f"There are already {existing:,} people in the database, so the demo council was "
            "not built. Use --replace to delete the organisation data and build the demo "
            "council in its place, or --if-empty to leave the data as it is."
        )
    held = [
        m._meta.verbose_name_plural
        for m in (
            Unit,
            Grade,
            JobRole,
            Post,
            Audience,
            LearningItem,
            Provider,
            Venue,
            Requirement,
            CredentialType,
        )
        if m.objects.exists()
    ]
    if held and not replace:
        raise DemoError(
            f"The database already holds {', '.join(held)}, so the demo council was not built. "
            "Use --replace to delete the organisation data and build the demo council."
        )
    as_of = as_of or today()
    started = time.perf_counter()
    plan = plan_council(people=people, seed=seed, as_of=as_of, history_years=history_years)
    build = DemoBuild(plan=plan, learning=learning_plan(plan), workforce=workforce_plan(plan))
    build.seconds["plan"] = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        if existing or held:
            org_data_delete(actor=actor)
        build.rows = _write(plan, build.learning, build.workforce)
        build.seconds["write"] = time.perf_counter() - started
        audit_record(
            actor=actor,
            action="create",
            object_type="demo_council",
            object_label=COUNCIL_NAME,
            summary=f"Demo council built: {plan.people:,} people, seed {seed}, "
            f"as of {as_of:%d %B %Y}, {history_years} years of history",
            after={
                "people": people,
                "seed": seed,
                "as_of": as_of,
                "history_years": history_years,
                "rows": build.rows,
            },
        )
    return build


def org_data_delete(*, actor: Any = None) -> dict[str, int]:
    """Delete the organisation: units, grades, roles, posts, people and their assignments,
    the demo users, and role grants scoped to a unit; and first what refers to them: the
    workforce data (exit interviews, caseloads, sickness absences), the compliance data
    (achievements, exemptions, status checks, credentials, requirements, credential types),
    then the catalogue, sessions, bookings and records of learning. The audit log stays."""
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            for model in WORKFORCE_MODELS:
                counts[model._meta.verbose_name_plural] = model.objects.all().delete()[0]
            for model in COMPLIANCE_MODELS:
                deleted = model.objects.all().delete()[1]
                counts[model._meta.verbose_name_plural] = deleted.get(model._meta.label, 0)
            for model in LEARNING_MODELS:  # rows of the model itself, not its many-to-many links
                deleted = model.objects.all().delete()[1]
                counts[model._meta.verbose_name_plural] = deleted.get(model._meta.label, 0)
            counts["demo users"] = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()[
                0
            ]
            counts["unit role grants"] = RoleGrant.objects.filter(unit__isnull=False).delete()[0]
            counts["audiences"] = Audience.objects.all().delete()[1].get(Audience._meta.label, 0)
            for model in (Assignment, EqualityRecord, Person, Post, JobRole, Grade, UnitMove):
                counts[model._meta.verbose_name_plural] = model.objects.all().delete()[0]
            Unit.objects.update(parent=None)
            counts["units"] = Unit.objects.all().delete()[0]
            audit_record(
                actor=actor,
                action="delete",
                object_type="demo_council",
                summary="Organisation data deleted to build the demo council",
                before=counts,
            )
    except ProtectedError as error:
        raise DemoError(
            "The organisation data cannot be deleted while other records refer to it: "
            f"{error.args[0]}"
        ) from error
    return counts


# --- writing the plan ------------------------------------------------------------------------


def _batches(objects: Iterable, size: int = BATCH * 5) -> Iterator[list]:
    iterator = iter(objects)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _create(model, objects: Iterable) -> list[int]:
    """Insert in batches; the new rows' ids in order."""
    ids: list[int] = []
    for chunk in _batches(objects):
        model.objects.bulk_create(chunk, batch_size=BATCH)
        ids.extend(obj.pk for obj in chunk)
    return ids


def _write(plan: CouncilPlan, learning: LearningPlan, workforce: WorkforcePlan) -> dict[str, int]:
    dates: dict[int, dt.date] = {}

    def day(ordinal: int | None) -> dt.date | None:
        if ordinal is None:
            return None
        if ordinal not in dates:
            dates[ordinal] = dt.date.fromordinal(ordinal)
        return dates[ordinal]

    grade_ids = dict(
        zip(
            (rank for _, _, rank in plan.grades),
            _create(Grade, (Grade(code=c, name=n, rank=r) for c, n, r in plan.grades)),
            strict=True,
        )
    )
    role_ids = _create(
        JobRole,
        (
            JobRole(
                code=r.code,
                title=r.title,
                job_family=r.job_family,
                registration_body=r.registration_body,
                dbs_level=r.dbs_level,
                works_with_children=r.works_with_children,
                works_with_adults=r.works_with_adults,
                manages_people=r.manages_people,
            )
            for r in plan.roles
        ),
    )

    # Units level by level, so that each parent has its id; then their paths in one pass.
    units: list[Unit | None] = [None] * len(plan.units)
    for depth in range(max(u.depth for u in plan.units) + 1):
        level = [i for i, u in enumerate(plan.units) if u.depth == depth]
        objects = [
            Unit(
                code=plan.units[i].code,
                name=plan.units[i].name,
                unit_type=plan.units[i].unit_type,
                parent=units[plan.units[i].parent] if plan.units[i].parent is not None else None,
                depth=depth,
                cost_centre=plan.units[i].cost_centre,
            )
            for i in level
        ]
        Unit.objects.bulk_create(objects, batch_size=BATCH)
        for i, unit in zip(level, objects, strict=True):
            parent = plan.units[i].parent
            parent_unit = units[parent] if parent is not None else None
            unit.path = unit_path_for(unit_id=unit.pk, parent=parent_unit)
            units[i] = unit
    Unit.objects.bulk_update(units, ["path"], batch_size=500)
    unit_ids = [u.pk for u in units]

    establishment = [i for i, p in enumerate(plan.posts) if not p.casual]
    post_pk: dict[int, int] = dict(
        zip(
            establishment,
            _create(
                Post,
                (
                    Post(
                        post_number=p.number,
                        unit_id=unit_ids[p.unit],
                        job_role_id=role_ids[p.role],
                        grade_id=grade_ids[p.grade],
                        fte=p.fte,
                        start_date=day(p.start),
                        end_date=day(p.end),
                        is_critical=p.critical,
                    )
                    for p in (plan.posts[i] for i in establishment)
                ),
            ),
            strict=True,
        )
    )
    person_ids = _create(
        Person,
        (
            Person(
                employee_number=p.number,
                first_name=p.first_name,
                last_name=p.last_name,
                email=p.email,
                service_start=day(p.service_start),
                leaving_date=day(p.leaving),
                leaving_reason=p.reason,
            )
            for p in plan.persons
        ),
    )
    # Agency workers' equality data stays with their agency.
    equality = _create(
        EqualityRecord,
        (
            EqualityRecord(
                person_id=person_ids[i],
                sex=p.sex,
                date_of_birth=day(p.born),
                ethnicity=p.ethnicity,
                disability=p.disability,
                religion=p.religion,
                sexual_orientation=p.sexual_orientation,
            )
            for i, p in enumerate(plan.persons)
            if not p.agency
        ),
    )
    assignments = _create(
        Assignment,
        (
            Assignment(
                person_id=person_ids[a.person],
                start_date=day(a.start),
                end_date=day(a.end),
                contract_type=a.contract,
                fte=a.fte,
                unit_id=unit_ids[plan.posts[a.post].unit],
                post_id=post_pk.get(a.post),
                job_role_id=role_ids[plan.posts[a.post].role],
                grade_id=grade_ids[plan.posts[a.post].grade],
                line_manager_id=person_ids[a.manager] if a.manager is not None else None,
                is_primary=a.primary,
            )
            for a in plan.assignments
        ),
    )
    audiences = _create(
        Audience,
        (Audience(code=c, name=n, description=d, match=m) for c, n, d, m, _ in AUDIENCES),
    )
    _create(
        AudienceRule,
        (
            AudienceRule(
                audience_id=audience_id,
                kind=rule["kind"],
                values=rule.get("values", []),
                exclude=rule.get("exclude", False),
                position=position,
            )
            for audience_id, (_, _, _, _, rules) in zip(audiences, AUDIENCES, strict=True)
            for position, rule in enumerate(rules, start=1)
        ),
    )
    users = demo_users_create(
        people={key: person_ids[index] for key, index in plan.logins.items()},
        scopes={code: unit_ids[index] for code, index in plan.scopes.items()},
    )
    rows = {
        "grades": len(grade_ids),
        "job roles": len(role_ids),
        "units": len(unit_ids),
        "posts": len(post_pk),
        "people": len(person_ids),
        "equality records": len(equality),
        "assignments": len(assignments),
        "audiences": len(audiences),
        "demo users": len(users),
    }
    rows |= learning_write(
        plan,
        learning,
        person_ids=person_ids,
        unit_ids=unit_ids,
        user_ids={u.email.split("@")[0]: u.pk for u in users},
        create=_create,
        insert=insert_rows,
    )
    rows |= compliance_write(
        plan,
        person_ids=person_ids,
        user_ids={u.email.split("@")[0]: u.pk for u in users},
        create=_create,
        insert=insert_rows,
    )
    rows |= workforce_write(workforce, person_ids=person_ids, insert=insert_rows, create=_create)
    return rows
