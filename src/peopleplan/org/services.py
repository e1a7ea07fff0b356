"""Writes to the organisation and its people, one at a time. Typed, keyword-only, in a
transaction, writing the audit log.

Whole HR files are applied in bulk by the import kinds (`org.imports`), which are the services
for that path and follow the same rules: a change of job is a new assignment from its date, a
leaver's jobs all end on the leaving date, nothing is overwritten without the audit log
keeping what it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from peopleplan.core.audit import audit_record
from peopleplan.org.models import (
    PATH_SEPARATOR,
    Assignment,
    EqualityRecord,
    Grade,
    JobRole,
    Person,
    Post,
    Unit,
    UnitMove,
)


class OrgError(ValueError):
    """A change the organisation's rules refuse, with a message for the user."""


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
