"""Writes to the organisation and its people, one at a time. Typed, keyword-only, in a
transaction, writing the audit log.

Whole HR files are applied in bulk by the import kinds (`org.imports`), which are the services
for that path and follow the same rules: a change of job is a new assignment from its date, a
leaver's jobs all end on the leaving date, nothing is overwritten without the audit log
keeping what it was."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, ProtectedError, Value
from django.db.models.functions import Concat, Substr, Upper

from peopleplan.core.audit import audit_record
from peopleplan.org import audiences
from peopleplan.org.models import (
    PATH_SEPARATOR,
    Assignment,
    Audience,
    AudienceRule,
    EqualityRecord,
    Grade,
    JobRole,
    Person,
    Post,
    Unit,
    UnitMove,
)


class OrgError(ValueError):
    """A change the organisation's rules refuse, with a message for the user. `errors` names
    the field of each problem, as (field, message) pairs; a rule's field is
    `rules.<n>.<field>`, n counting from 1 as the message does ("Rule 2: ...")."""

    def __init__(self, message: str, *, field: str = "", errors: list | None = None):
        super().__init__(message)
        self.field = field
        self.errors: list[tuple[str, str]] = errors or [(field, message)]


# --- units -----------------------------------------------------------------------------------


def unit_path_for(*, unit_id: int, parent: Unit | None) -> str:
    prefix = parent.path if parent is not None else PATH_SEPARATOR
    return f"{prefix}{unit_id}{PATH_SEPARATOR}"


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    unit_type: str = "",
    parent: Unit | None = None,
    cost_centre: str = "",
    actor: Any = None,
) -> Unit:
    unit = Unit.objects.create(
        code=code, name=name, unit_type=unit_type, parent=parent, cost_centre=cost_centre
    )
    unit.path = unit_path_for(unit_id=unit.pk, parent=parent)
    unit.depth = 0 if parent is None else parent.depth + 1
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="create",
        object_type="unit",
        object_id=unit.pk,
        object_label=unit.code,
        after={"code": code, "name": name, "parent": parent.code if parent else None},
    )
    return unit


@transaction.atomic
def unit_update(
    *, unit: Unit, name: str, unit_type: str, cost_centre: str, actor: Any = None
) -> Unit:
    before = {"name": unit.name, "unit_type": unit.unit_type, "cost_centre": unit.cost_centre}
    after = {"name": name, "unit_type": unit_type, "cost_centre": cost_centre}
    if before == after:
        return unit
    unit.name, unit.unit_type, unit.cost_centre = name, unit_type, cost_centre
    unit.save(update_fields=["name", "unit_type", "cost_centre"])
    audit_record(
        actor=actor,
        action="update",
        object_type="unit",
        object_id=unit.pk,
        object_label=unit.code,
        before=before,
        after=after,
    )
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit | None, moved_on: dt.date, actor: Any = None) -> Unit:
    """Move a unit (and everything under it) to a new parent, keeping the move in its history.
    The paths of the whole subtree change in one UPDATE."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None:
        new_parent.refresh_from_db()
        if new_parent.is_under(unit):
            raise OrgError(f"{unit.code} cannot move under {new_parent.code}, which is below it.")
    if unit.parent_id == (new_parent.pk if new_parent else None):
        return unit
    old_parent = unit.parent
    old_path = unit.path
    new_path = unit_path_for(unit_id=unit.pk, parent=new_parent)
    depth_change = (0 if new_parent is None else new_parent.depth + 1) - unit.depth
    Unit.objects.subtree(unit).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    UnitMove.objects.create(
        unit=unit, from_parent=old_parent, to_parent=new_parent, moved_on=moved_on
    )
    audit_record(
        actor=actor,
        action="update",
        object_type="unit",
        object_id=unit.pk,
        object_label=unit.code,
        summary=f"Moved from {old_parent.code if old_parent else 'the top'} "
        f"to {new_parent.code if new_parent else 'the top'} on {moved_on:%d %B %Y}",
        before={"parent": old_parent.code if old_parent else None},
        after={"parent": new_parent.code if new_parent else None},
    )
    unit.refresh_from_db()
    return unit


# --- people ----------------------------------------------------------------------------------


def _person_snapshot(person: Person) -> dict:
    return {
        "employee_number": person.employee_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "service_start": person.service_start,
        "leaving_date": person.leaving_date,
        "leaving_reason": person.leaving_reason,
    }


def assignment_snapshot(a: Assignment) -> dict:
    return {
        "start_date": a.start_date,
        "end_date": a.end_date,
        "contract_type": a.contract_type,
        "fte": a.fte,
        "unit": a.unit_id,
        "post": a.post_id,
        "job_role": a.job_role_id,
        "grade": a.grade_id,
        "line_manager": a.line_manager_id,
        "is_primary": a.is_primary,
    }


@transaction.atomic
def person_create(
    *,
    employee_number: str,
    first_name: str,
    last_name: str,
    email: str = "",
    service_start: dt.date | None = None,
    actor: Any = None,
) -> Person:
    person = Person.objects.create(
        employee_number=employee_number,
        first_name=first_name,
        last_name=last_name,
        email=email,
        service_start=service_start,
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="person",
        object_id=person.pk,
        object_label=person.employee_number,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def assignment_start(
    *,
    person: Person,
    start_date: dt.date,
    unit: Unit,
    job_role: JobRole,
    contract_type: str,
    fte: Decimal,
    grade: Grade | None = None,
    post: Post | None = None,
    line_manager: Person | None = None,
    is_primary: bool = True,
    end_date: dt.date | None = None,
    actor: Any = None,
) -> Assignment:
    """Start a job from a date. When it is the primary job, the primary assignment open on
    that date ends the day before: nothing is overwritten."""
    if line_manager is not None and line_manager.pk == person.pk:
        raise OrgError("A person cannot be their own line manager.")
    if post is not None and post.unit_id != unit.pk:
        raise OrgError(f"Post {post.post_number} is in another unit.")
    if end_date is not None and end_date < start_date:
        raise OrgError("The assignment cannot end before it starts.")
    if not (Decimal("0") <= fte <= Decimal("1.5")):
        raise OrgError("FTE must be between 0 and 1.5.")
    if is_primary:
        for previous in (
            Assignment.objects.select_for_update()
            .filter(person=person, is_primary=True)
            .current_on(start_date)
        ):
            if previous.start_date >= start_date:
                raise OrgError(
                    f"{person} already has a primary assignment from "
                    f"{previous.start_date:%d %B %Y}."
                )
            before = assignment_snapshot(previous)
            previous.end_date = start_date - dt.timedelta(days=1)
            previous.save(update_fields=["end_date"])
            audit_record(
                actor=actor,
                action="end",
                object_type="assignment",
                object_id=previous.pk,
                object_label=person.employee_number,
                before=before,
                after=assignment_snapshot(previous),
            )
    assignment = Assignment.objects.create(
        person=person,
        start_date=start_date,
        end_date=end_date,
        unit=unit,
        post=post,
        job_role=job_role,
        grade=grade,
        contract_type=contract_type,
        fte=fte,
        line_manager=line_manager,
        is_primary=is_primary,
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="assignment",
        object_id=assignment.pk,
        object_label=person.employee_number,
        after=assignment_snapshot(assignment),
    )
    return assignment


@transaction.atomic
def person_leave(
    *, person: Person, leaving_date: dt.date, leaving_reason: str, actor: Any = None
) -> Person:
    """A leaver: every open assignment ends on the leaving date."""
    if leaving_reason not in Person.LeavingReason.values:
        raise OrgError(f"{leaving_reason!r} is not a leaving reason.")
    before = _person_snapshot(person)
    for a in Assignment.objects.select_for_update().filter(person=person).current_on(leaving_date):
        a.end_date = leaving_date
        a.save(update_fields=["end_date"])
    person.leaving_date = leaving_date
    person.leaving_reason = leaving_reason
    person.save(update_fields=["leaving_date", "leaving_reason"])
    audit_record(
        actor=actor,
        action="end",
        object_type="person",
        object_id=person.pk,
        object_label=person.employee_number,
        summary=f"Left on {leaving_date:%d %B %Y}: {person.get_leaving_reason_display()}",
        before=before,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def equality_record_set(*, person: Person, actor: Any = None, **fields: Any) -> EqualityRecord:
    record, _ = EqualityRecord.objects.get_or_create(person=person)
    before = {k: getattr(record, k) for k in fields}
    for key, value in fields.items():
        setattr(record, key, value)
    record.save()
    audit_record(
        actor=actor,
        action="update",
        object_type="equality",
        object_id=person.pk,
        object_label=person.employee_number,
        summary="Equality monitoring data changed",
        # The values themselves are special-category data: the log says which fields changed.
        before={"fields": sorted(k for k in fields if before[k] != fields[k])},
    )
    return record


# --- audiences -------------------------------------------------------------------------------

AUDIENCE_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MAX_RULES = 30
MAX_MONTHS = 600
Kind = AudienceRule.Kind


def _codes(words: list[str]) -> str:
    return ", ".join(words)


def audience_rules_clean(rules: list) -> list[audiences.Rule]:
    """Check rules (dicts of kind, values, number, exclude, or AudienceRule objects) against
    the organisation and put them in canonical form: codes and job families spelt as they are
    stored, whatever the case given; contract types and flags by their value; values a rule
    does not take dropped. Every problem is reported at once, naming the rule and its field
    ("Rule 2: no job role with code SW9"). Four queries at most, however many rules."""
    given = [audiences.as_rule(r) for r in rules]
    problems: list[tuple[str, str]] = []
    if len(given) > MAX_RULES:
        raise OrgError(f"An audience can have at most {MAX_RULES} rules.", field="rules")
    wanted: dict[str, set[str]] = {}
    for rule in given:
        wanted.setdefault(rule.kind, set()).update(v.upper() for v in rule.values)
    roles: dict[str, str] = {}
    families: dict[str, str] = {}
    grades: dict[str, str] = {}
    units: dict[str, str] = {}
    if wanted.get(Kind.JOB_ROLE):
        roles = dict(
            JobRole.objects.annotate(key=Upper("code"))
            .filter(key__in=wanted[Kind.JOB_ROLE])
            .values_list("key", "code")
        )
    if wanted.get(Kind.JOB_FAMILY):
        families = dict(
            JobRole.objects.annotate(key=Upper("job_family"))
            .filter(key__in=wanted[Kind.JOB_FAMILY])
            .values_list("key", "job_family")
            .distinct()
        )
    if wanted.get(Kind.GRADE_AT_LEAST):
        grades = dict(
            Grade.objects.annotate(key=Upper("code"))
            .filter(key__in=wanted[Kind.GRADE_AT_LEAST])
            .values_list("key", "code")
        )
    if wanted.get(Kind.UNIT):
        units = dict(
            Unit.objects.annotate(key=Upper("code"))
            .filter(key__in=wanted[Kind.UNIT])
            .values_list("key", "code")
        )
    contracts = {}
    for value, label in Assignment.ContractType.choices:
        contracts[value.upper()] = contracts[str(label).upper()] = value
    flags = {value.upper(): value for value in AudienceRule.Flag.values}
    known = {
        Kind.JOB_ROLE: (roles, "no job role with code", "no job roles with codes"),
        Kind.JOB_FAMILY: (families, "no job role is in the job family", "no job role is in"),
        Kind.GRADE_AT_LEAST: (grades, "no grade with code", "no grades with codes"),
        Kind.UNIT: (units, "no unit with code", "no units with codes"),
        Kind.CONTRACT_TYPE: (
            contracts,
            "there is no contract type",
            "there are no contract types",
        ),
        Kind.ROLE_FLAG: (flags, "there is no job role flag", "there are no job role flags"),
    }
    what = {
        Kind.JOB_ROLE: "the code of a job role",
        Kind.JOB_FAMILY: "a job family",
        Kind.GRADE_AT_LEAST: "the code of a grade",
        Kind.UNIT: "the code of a unit",
        Kind.CONTRACT_TYPE: "a contract type",
        Kind.ROLE_FLAG: "a job role flag",
    }
    cleaned: list[audiences.Rule] = []
    for n, rule in enumerate(given, start=1):
        field = f"rules.{n}"
        if rule.kind not in Kind.values:
            message = f"Rule {n}: choose what the rule is about"
            if rule.kind:
                message = f"Rule {n}: there is no kind of rule called {rule.kind}"
            problems.append((f"{field}.kind", message))
            continue
        values: tuple[str, ...] = ()
        number = None
        if rule.kind in audiences.VALUE_KINDS:
            lookup, one, many = known[rule.kind]
            given_values = list(dict.fromkeys(rule.values))
            if not given_values:
                problems.append((f"{field}.values", f"Rule {n}: give {what[rule.kind]}"))
                continue
            if rule.kind == Kind.GRADE_AT_LEAST and len(given_values) > 1:
                problems.append((f"{field}.values", f"Rule {n}: give one grade, not several"))
                continue
            missing = [v for v in given_values if v.upper() not in lookup]
            if missing:
                words = one if len(missing) == 1 else many
                problems.append((f"{field}.values", f"Rule {n}: {words} {_codes(missing)}"))
                continue
            values = tuple(dict.fromkeys(lookup[v.upper()] for v in given_values))
        if rule.kind == Kind.SERVICE_AT_LEAST:
            number = rule.number
            if isinstance(number, str):
                number = int(number) if number.strip().isdigit() else number
            if number is None or number == "":
                problems.append((f"{field}.number", f"Rule {n}: give the months of service"))
                continue
            if not isinstance(number, int) or isinstance(number, bool):
                problems.append(
                    (f"{field}.number", f"Rule {n}: give the months of service as a whole number")
                )
                continue
            if not 1 <= number <= MAX_MONTHS:
                problems.append(
                    (
                        f"{field}.number",
                        f"Rule {n}: the months of service must be between 1 and {MAX_MONTHS}",
                    )
                )
                continue
        cleaned.append(
            audiences.Rule(kind=rule.kind, values=values, number=number, exclude=rule.exclude)
        )
    if problems:
        raise OrgError("; ".join(m for _, m in problems), field=problems[0][0], errors=problems)
    return cleaned


def _audience_check(
    *, code: str, name: str, match: str, rules: list, audience: Audience | None = None
) -> tuple[str, str, list[audiences.Rule]]:
    problems: list[tuple[str, str]] = []
    code = (code or "").strip().lower()
    name = (name or "").strip()
    if not code:
        problems.append(("code", "Enter a code for the audience"))
    elif len(code) > 60 or not AUDIENCE_CODE.match(code):
        problems.append(
            (
                "code",
                "The code must be 60 characters or fewer: lower-case letters and numbers, "
                "with hyphens or underscores between them, like social-workers",
            )
        )
    else:
        taken = Audience.objects.filter(code=code)
        if audience is not None:
            taken = taken.exclude(pk=audience.pk)
        if taken.exists():
            problems.append(("code", f"There is already an audience with the code {code}"))
    if not name:
        problems.append(("name", "Enter a name for the audience"))
    elif len(name) > 200:
        problems.append(("name", "The name must be 200 characters or fewer"))
    if match not in Audience.Match.values:
        problems.append(("match", "Choose whether people must match all the rules or any"))
    cleaned: list[audiences.Rule] = []
    try:
        cleaned = audience_rules_clean(rules)
    except OrgError as error:
        problems.extend(error.errors)
    if problems:
        raise OrgError("; ".join(m for _, m in problems), field=problems[0][0], errors=problems)
    return code, name, cleaned


def _rules_save(audience: Audience, rules: list[audiences.Rule]) -> None:
    AudienceRule.objects.filter(audience=audience).delete()
    AudienceRule.objects.bulk_create(
        AudienceRule(
            audience=audience,
            kind=r.kind,
            values=list(r.values),
            number=r.number,
            exclude=r.exclude,
            position=n,
        )
        for n, r in enumerate(rules, start=1)
    )
    audiences.forget(audience)


@transaction.atomic
def audience_create(
    *,
    actor: Any = None,
    code: str,
    name: str,
    description: str = "",
    match: str = Audience.Match.ALL,
    rules: list,
) -> Audience:
    """A new audience with its rules, checked against the organisation (`OrgError` names
    each field that is wrong)."""
    code, name, cleaned = _audience_check(code=code, name=name, match=match, rules=rules)
    audience = Audience.objects.create(
        code=code, name=name, description=(description or "").strip(), match=match
    )
    _rules_save(audience, cleaned)
    audit_record(
        actor=actor,
        action="create",
        object_type="audience",
        object_id=audience.pk,
        object_label=audience.code,
        after=audiences.snapshot(audience, cleaned),
    )
    return audience


@transaction.atomic
def audience_update(
    *,
    actor: Any = None,
    audience: Audience,
    code: str,
    name: str,
    description: str = "",
    match: str = Audience.Match.ALL,
    rules: list,
) -> Audience:
    """Change an audience: its code, name, description, match and all its rules at once (the
    rules given replace the old ones). Who is in changes with it: nothing else is stored."""
    stored = Audience.objects.select_for_update().get(pk=audience.pk)
    code, name, cleaned = _audience_check(
        code=code, name=name, match=match, rules=rules, audience=stored
    )
    before = audiences.snapshot(stored)
    audience.code, audience.name, audience.match = code, name, match
    audience.description = (description or "").strip()
    after = audiences.snapshot(audience, cleaned)
    if before == after:
        return audience
    audience.save()
    _rules_save(audience, cleaned)
    audit_record(
        actor=actor,
        action="update",
        object_type="audience",
        object_id=audience.pk,
        object_label=audience.code,
        before=before,
        after=after,
    )
    return audience


@transaction.atomic
def audience_delete(*, actor: Any = None, audience: Audience) -> None:
    """Delete an audience and its rules; refused while something (a requirement) uses it."""
    before = audiences.snapshot(audience)
    pk = audience.pk
    try:
        with transaction.atomic():
            audience.delete()
    except ProtectedError as error:
        users = sorted({str(obj) for obj in error.protected_objects})[:5]
        raise OrgError(
            f"{audience.name} is in use and cannot be deleted: {', '.join(users)}", field="code"
        ) from error
    audit_record(
        actor=actor,
        action="delete",
        object_type="audience",
        object_id=pk,
        object_label=before["code"],
        before=before,
    )
