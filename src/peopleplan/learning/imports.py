"""The completions import kind: historic and external completions, one row per completion.

A completion is known by its person, item and date, so the same file twice changes nothing: a
row that matches a completion peopleplan holds (from an earlier import or from a register) is
unchanged, or corrected in place (hours, development days, result) with the change in the
audit log. A completion is never deleted by a file that leaves it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from peopleplan.core.audit import audit_entry, audit_record_many
from peopleplan.core.dates import today
from peopleplan.core.imports import Change, Column, ImportKind, Plan, Row, register
from peopleplan.core.imports.values import ValueProblem, format_date, parse_date, parse_decimal
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion, LearningItem
from peopleplan.org.imports.capacity import EMPLOYEE
from peopleplan.org.models import Person

BATCH = 2000
# No single column is a completion's key (it is person, item and date), so the framework's
# check of one key column is not used: `check` finds a completion twice in the file instead.
KEY = "completion"


def _not_negative(maximum: str):
    def parse(text: str) -> Decimal:
        try:
            value = Decimal(text.strip())
        except ArithmeticError:
            raise ValueProblem(f"{text!r} is not a number") from None
        if value.is_finite() and value < 0:
            raise ValueProblem(f"{text} is negative: it must be 0 or more")
        return parse_decimal(text, minimum=Decimal("0"), maximum=Decimal(maximum))

    return parse


_hours = _not_negative("9999")
_days = _not_negative("99")


@dataclass(frozen=True)
class CompletionRow:
    person_id: int
    item_id: int
    completed_on: dt.date
    values: dict[str, Any]  # hours, development_days, result: only those the file has
    defaults: dict[str, Any]  # the item's hours and development days, for a new completion


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


@register
class CompletionsKind(ImportKind):
    order = 200
    name = "completions"
    label = "Learning completions"
    key_column = KEY
    key_label = "Completion"
    capability = "learning.import"
    description = (
        "One row per completion of a learning item in the catalogue: historic records, "
        "e-learning completions from where it is hosted. A person, item and date already held "
        "is the same completion."
    )
    columns = (
        EMPLOYEE,
        Column(
            "item_code",
            True,
            ("course code", "learning item code", "item", "course", "module code", "code"),
            "The learning item's code in the catalogue.",
            "SAFE-ADU-2",
        ),
        Column(
            "completed_on",
            True,
            ("completion date", "date completed", "completed", "date", "end date"),
            "The date it was completed, not in the future.",
            "2024-11-14",
        ),
        Column(
            "hours",
            False,
            ("cpd hours", "duration hours", "duration", "learning hours"),
            "CPD hours, 0 or more; the item's hours when blank.",
            "6.5",
        ),
        Column(
            "development_days",
            False,
            ("days", "development days", "dev days"),
            "Development days, 0 or more; the item's development days when blank.",
            "1",
        ),
        Column(
            "result",
            False,
            ("grade", "score", "outcome", "mark"),
            "A result or grade, for assessed items.",
            "Pass",
        ),
    )

    labels = {"hours": "hours", "development_days": "development days", "result": "result"}

    def prepare(self) -> None:
        self.people = dict(Person.objects.values_list("employee_number", "id"))
        self.items = {
            code: (pk, hours, days)
            for code, pk, hours, days in LearningItem.objects.values_list(
                "code", "id", "duration_hours", "development_days"
            )
        }
        self.held: dict[tuple[int, int, dt.date], tuple] = {}
        for values in Completion.objects.filter(item__isnull=False).values_list(
            "person_id", "item_id", "completed_on", "id", "hours", "development_days", "result"
        ):
            self.held[values[:3]] = values[3:]

    def parse(self, row: Row) -> CompletionRow | None:
        number = row.get("employee_number")
        person_id = self.people.get(number)
        if person_id is None:
            row.error("employee_number", f"Employee {number} is not in peopleplan")
        code = row.get("item_code")
        item = self.items.get(code)
        if item is None:
            row.error("item_code", f"Learning item {code} is not in the catalogue")
        completed_on = row.take("completed_on", parse_date)
        if completed_on and completed_on > today():
            row.error("completed_on", f"{format_date(completed_on)} is in the future")
        values: dict[str, Any] = {}
        if row.has("hours"):
            hours = row.take("hours", _hours)
            values["hours"] = hours if hours is not None else (item[1] if item else None)
        if row.has("development_days"):
            days = row.take("development_days", _days)
            values["development_days"] = days if days is not None else (item[2] if item else None)
        # A blank result keeps the one held: results come for some rows only, and a file must
        # not wipe a grade by leaving its cell empty.
        if row.has("result") and (result := row.get("result")):
            if len(result) > 100:
                row.error("result", "is longer than 100 characters")
            values["result"] = result
        if row.problems:
            return None
        defaults = {"hours": item[1], "development_days": item[2], "result": ""}
        return CompletionRow(person_id, item[0], completed_on, values, defaults)

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        first: dict[tuple, Row] = {}
        for row in rows:
            p: CompletionRow = row.parsed
            key = (p.person_id, p.item_id, p.completed_on)
            other = first.get(key)
            if other is None:
                first[key] = row
                continue
            what = (
                f"{row.get('employee_number')} completing {row.get('item_code')} on "
                f"{format_date(p.completed_on)}"
            )
            row.error("completed_on", f"{what} is also on row {other.number}")
            if not any("is also on row" in problem.message for problem in other.problems):
                other.error("completed_on", f"{what} is also on row {row.number}")

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            p: CompletionRow = row.parsed
            key = (
                f"{row.get('employee_number')} {row.get('item_code')} {format_date(p.completed_on)}"
            )
            held = self.held.get((p.person_id, p.item_id, p.completed_on))
            if held is None:
                new = p.defaults | p.values
                plan.changes.append(Change("added", key, "", row=row.number, payload=(p, new)))
                continue
            pk, hours, days, result = held
            old = {"hours": hours, "development_days": days, "result": result}
            details = [
                f"{self.labels[k]}: {_text(old[k]) or '(blank)'} → {_text(v) or '(blank)'}"
                for k, v in p.values.items()
                if old[k] != v
            ]
            action = "changed" if details else "unchanged"
            plan.changes.append(Change(action, key, "", details, row.number, payload=(p, pk)))
        return plan

    def apply(self, plan: Plan, *, actor: Any) -> None:
        now = timezone.now()
        user = actor if getattr(actor, "is_authenticated", False) else None
        added = [
            Completion(
                person_id=p.person_id,
                item_id=p.item_id,
                completed_on=p.completed_on,
                source=Completion.Source.IMPORT,
                status=Completion.Status.VERIFIED,
                created_by=user,
                created_at=now,
                **new,
            )
            for change in plan.changes
            if change.action == "added"
            for p, new in [change.payload]
        ]
        Completion.objects.bulk_create(added, batch_size=BATCH)
        hooks.completions_changed({c.person_id for c in added})
        changes = [c for c in plan.changes if c.action == "changed"]
        entries = []
        if changes:
            held = Completion.objects.in_bulk([c.payload[1] for c in changes])
            fields: set[str] = set()
            for change in changes:
                p, pk = change.payload
                completion = held[pk]
                before = {k: getattr(completion, k) for k in p.values}
                for attr, value in p.values.items():
                    setattr(completion, attr, value)
                fields |= set(p.values)
                entries.append(
                    audit_entry(
                        actor=actor,
                        action="update",
                        object_type="learning.completion",
                        object_id=pk,
                        object_label=change.key,
                        summary="; ".join(change.details)[:500],
                        before=before,
                        after=p.values,
                    )
                )
            Completion.objects.bulk_update(list(held.values()), sorted(fields), batch_size=BATCH)
        entries += [
            audit_entry(
                actor=actor,
                action="create",
                object_type="learning.completion",
                object_id=c.pk or "",
                object_label=change.key,
                after={
                    "completed_on": c.completed_on,
                    "hours": c.hours,
                    "development_days": c.development_days,
                    "result": c.result,
                },
            )
            for c, change in zip(
                added, [ch for ch in plan.changes if ch.action == "added"], strict=True
            )
        ]
        audit_record_many(entries)

    def export_rows(self) -> Iterable[list[str]]:
        completions = (
            Completion.objects.filter(item__isnull=False, status=Completion.Status.VERIFIED)
            .order_by("person__employee_number", "completed_on", "item__code", "id")
            .values_list(
                "person__employee_number",
                "item__code",
                "completed_on",
                "hours",
                "development_days",
                "result",
            )
        )
        for number, code, completed_on, hours, days, result in completions.iterator(
            chunk_size=BATCH
        ):
            yield [number, code, format_date(completed_on), str(hours), str(days), result]
