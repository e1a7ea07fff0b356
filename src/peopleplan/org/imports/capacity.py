"""The capacity import kinds: sickness absences and caseloads, one row per person and day.

Each row is known by its person and its day (an absence's first day, a caseload's count day),
so the same file twice changes nothing: a row that matches what peopleplan holds is unchanged,
or corrected in place with the change in the audit log. A file never deletes what it leaves
out. A row is refused, naming its column, when its person is not in peopleplan or had no job
that day, when a date is not a date or is in the future, when a number is out of range, or when
the same person and day is twice in the file; an absence also when it overlaps another of the
person's absences, in the file or held.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any, ClassVar

from django.db import models

from peopleplan.core.audit import audit_entry, audit_record_many
from peopleplan.core.dates import today
from peopleplan.core.imports import Change, Column, ImportKind, Plan, Row, register
from peopleplan.core.imports.values import format_date, parse_date, parse_decimal, parse_int
from peopleplan.org.models import Absence, Assignment, Caseload, Person

BATCH = 2000
# The column of every kind whose rows name a person (absences, caseloads, exit interviews,
# cohorts, completions, credentials).
EMPLOYEE = Column(
    "employee_number",
    True,
    ("employee no", "emp no", "employee id", "payroll number", "staff number", "employee"),
    "The person's number in the HR system.",
    "E01234",
)


@dataclass(frozen=True)
class DatedRow:
    person_id: int
    day: dt.date
    values: dict[str, Any]  # the model's fields besides the person and the day


def day_text(on: dt.date) -> str:
    """A date as a message says it: 13 January 2025."""
    return f"{on.day} {on:%B %Y}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


class PeopleLookup:
    """For a kind whose rows name people by employee number: the people, and each one's jobs
    to ask whether they had one on a day (read once, in `prepare`)."""

    def prepare_people(self) -> None:
        self.today = today()
        self.people = dict(Person.objects.values_list("employee_number", "id"))
        self.numbers = {pk: number for number, pk in self.people.items()}
        # Each person's jobs as sorted (start, end) pairs.
        self.jobs: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for person_id, start, end in Assignment.objects.order_by(
            "person_id", "start_date"
        ).values_list("person_id", "start_date", "end_date"):
            self.jobs[person_id].append((start, end or dt.date.max))

    def had_job(self, person_id: int, day: dt.date) -> bool:
        jobs = self.jobs.get(person_id, [])
        index = bisect_right(jobs, (day, dt.date.max))
        return any(start <= day <= end for start, end in jobs[:index])


class PersonDayKind(PeopleLookup, ImportKind):
    """Rows known by a person and a day, added or corrected in place, never deleted."""

    model: ClassVar[type[models.Model]]
    day_field: ClassVar[str]  # the model's field for the day, and the file's column
    value_fields: ClassVar[tuple[str, ...]]
    labels: ClassVar[dict[str, str]] = {}
    # No single column is the key (person and day), so the framework's check of one key column
    # is not used: `check` finds a person and day twice instead.
    key_column = "entry"
    key_label = "Entry"
    capability = "people.import"

    def prepare(self) -> None:
        self.prepare_people()
        self.held: dict[tuple[int, dt.date], dict[str, Any]] = {
            (values.pop("person_id"), values.pop(self.day_field)): values
            for values in self.model.objects.values(
                "id", "person_id", self.day_field, *self.value_fields
            )
        }

    def parse(self, row: Row) -> DatedRow | None:
        number = row.get("employee_number")
        person_id = self.people.get(number)
        if person_id is None:
            row.error("employee_number", f"Employee {number} is not in peopleplan")
        day = row.take(self.day_field, parse_date)
        if day is not None and day > self.today:
            row.error(self.day_field, f"{day_text(day)} is in the future")
        values = self.parse_values(row, day)
        known = person_id is not None and day is not None and not row.problems
        if known and (problem := self.day_problem(number, person_id, day)):
            row.error(self.day_field, problem)
        if row.problems:
            return None
        return DatedRow(person_id, day, values)

    def parse_values(self, row: Row, day: dt.date | None) -> dict[str, Any]:
        raise NotImplementedError

    def day_problem(self, number: str, person_id: int, day: dt.date) -> str | None:
        """Why the person cannot have a row on the day, or None: here, they had no job then."""
        if not self.had_job(person_id, day):
            return f"Employee {number} had no job on {day_text(day)}"
        return None

    def describe(self, value: Any) -> str:
        """A value as a change's details show it."""
        return _text(value)

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        first: dict[tuple[int, dt.date], Row] = {}
        for row in rows:
            p: DatedRow = row.parsed
            other = first.setdefault((p.person_id, p.day), row)
            if other is row:
                continue
            what = f"{row.get('employee_number')} on {day_text(p.day)}"
            row.error(self.day_field, f"{what} is also on row {other.number}")
            if not any("is also on row" in problem.message for problem in other.problems):
                other.error(self.day_field, f"{what} is also on row {row.number}")

    def key(self, p: DatedRow) -> str:
        return f"{self.numbers[p.person_id]} {format_date(p.day)}"

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            p: DatedRow = row.parsed
            held = self.held.get((p.person_id, p.day))
            if held is None:
                plan.changes.append(Change("added", self.key(p), "", row=row.number, payload=p))
                continue
            new = {k: v for k, v in p.values.items() if held[k] != v}
            details = [
                f"{self.labels.get(k, k)}: {self.describe(held[k]) or '(blank)'} → "
                f"{self.describe(v) or '(blank)'}"
                for k, v in new.items()
            ]
            plan.changes.append(
                Change(
                    "changed" if new else "unchanged",
                    self.key(p),
                    "",
                    details,
                    row.number,
                    payload=(p, held["id"], new),
                )
            )
        return plan

    def apply(self, plan: Plan, *, actor: Any) -> None:
        object_type = self.model._meta.label_lower  # org.absence, workforce.exitinterview
        added_changes = [c for c in plan.changes if c.action == "added"]
        added = [
            self.model(
                person_id=c.payload.person_id,
                **{self.day_field: c.payload.day},
                **c.payload.values,
            )
            for c in added_changes
        ]
        self.model.objects.bulk_create(added, batch_size=BATCH)
        entries = [
            audit_entry(
                actor=actor,
                action="create",
                object_type=object_type,
                object_id=obj.pk or "",
                object_label=change.key,
                summary=f"{self.model._meta.verbose_name.capitalize()} imported",
                after={self.day_field: change.payload.day, **change.payload.values},
            )
            for obj, change in zip(added, added_changes, strict=True)
        ]
        changed = [c for c in plan.changes if c.action == "changed"]
        instances = self.model.objects.in_bulk([c.payload[1] for c in changed])
        fields: set[str] = set()
        for change in changed:
            _, pk, new = change.payload
            obj = instances[pk]
            before = {k: getattr(obj, k) for k in new}
            for name, value in new.items():
                setattr(obj, name, value)
            fields |= set(new)
            entries.append(
                audit_entry(
                    actor=actor,
                    action="update",
                    object_type=object_type,
                    object_id=pk,
                    object_label=change.key,
                    summary="; ".join(change.details)[:500],
                    before=before,
                    after=new,
                )
            )
        if changed:
            self.model.objects.bulk_update(instances.values(), sorted(fields), batch_size=BATCH)
        audit_record_many(entries)


def _days_lost(text: str) -> Decimal:
    return parse_decimal(text, minimum=Decimal("0"), maximum=Decimal("9999"), places=1)


@register
class AbsencesKind(PersonDayKind):
    order = 60
    name = "absences"
    label = "Sickness absences"
    description = (
        "One row per spell of sickness absence, from HR's absence records: the first and last "
        "day (empty while it goes on), the working days lost on the person's working pattern, "
        "and the reason's category. A person and first day already held is the same spell."
    )
    model = Absence
    day_field = "first_day"
    value_fields = ("last_day", "working_days_lost", "reason")
    labels = {"last_day": "last day", "working_days_lost": "working days lost", "reason": "reason"}
    columns = (
        EMPLOYEE,
        Column(
            "first_day",
            True,
            ("start date", "absence start", "first day of absence", "from"),
            "The first day of the spell.",
            "2025-01-13",
        ),
        Column(
            "last_day",
            False,
            ("end date", "absence end", "last day of absence", "to"),
            "The last day of the spell; empty while it goes on.",
            "2025-01-17",
        ),
        Column(
            "working_days_lost",
            True,
            ("days lost", "working days", "fte days lost", "duration"),
            "Working days lost on the person's working pattern, to one decimal place (a half "
            "day is 0.5).",
            "5",
        ),
        Column(
            "reason",
            False,
            ("reason category", "absence reason", "category", "sickness reason"),
            "The reason's category, as the council codes it.",
            "Musculoskeletal",
        ),
    )

    def prepare(self) -> None:
        super().prepare()
        # Each person's held spells, to find overlaps: first day -> last day (max: ongoing).
        self.spells: dict[int, dict[dt.date, dt.date]] = defaultdict(dict)
        for (person_id, first), values in self.held.items():
            self.spells[person_id][first] = values["last_day"] or dt.date.max

    def parse_values(self, row: Row, day: dt.date | None) -> dict[str, Any]:
        last = row.take("last_day", parse_date)
        lost = row.take("working_days_lost", _days_lost)
        if last is not None and last > self.today:
            row.error("last_day", f"{day_text(last)} is in the future")
        if last is not None and day is not None and last < day:
            row.error("last_day", f"{day_text(last)} is before the first day, {day_text(day)}")
        elif lost is not None and day is not None:
            calendar_days = ((last or self.today) - day).days + 1
            if lost > calendar_days:
                row.error(
                    "working_days_lost",
                    f"{lost} working days is more than the {calendar_days} days of the spell",
                )
        values: dict[str, Any] = {"working_days_lost": lost}
        # A column the file leaves out keeps what is held (an empty cell means empty).
        if row.has("last_day"):
            values["last_day"] = last
        if row.has("reason"):
            values["reason"] = row.get("reason").strip()[:100]
        return values

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        super().check(rows, all_rows)
        # Spells of one person may not overlap: those in the file, with each other and with the
        # held ones the file does not correct.
        by_person: dict[int, list[tuple[dt.date, dt.date, Row | None]]] = defaultdict(list)
        in_file = {(r.parsed.person_id, r.parsed.day) for r in rows if not r.problems}
        for row in rows:
            if row.problems:
                continue
            p: DatedRow = row.parsed
            last = p.values.get("last_day", self.spells[p.person_id].get(p.day))
            by_person[p.person_id].append((p.day, last or dt.date.max, row))
        for person_id, spells in by_person.items():
            for first, last in self.spells.get(person_id, {}).items():
                if (person_id, first) not in in_file:
                    spells.append((first, last, None))
            spells.sort(key=lambda spell: spell[0])
            for (first, last, row), (next_first, _, next_row) in pairwise(spells):
                if next_first > last:
                    continue
                where = f"row {row.number}" if row else "held in peopleplan"
                if next_row is not None:
                    next_row.error(
                        "first_day",
                        f"This spell overlaps the one from {day_text(first)} ({where})",
                    )
                elif row is not None:
                    row.error(
                        "last_day",
                        f"This spell overlaps the one held from {day_text(next_first)}",
                    )

    def export_rows(self) -> Iterable[list[str]]:
        for number, first, last, lost, reason in (
            Absence.objects.order_by("person__employee_number", "first_day")
            .values_list(
                "person__employee_number", "first_day", "last_day", "working_days_lost", "reason"
            )
            .iterator(chunk_size=BATCH)
        ):
            yield [number, format_date(first), format_date(last), str(lost), reason]


@register
class CaseloadsKind(PersonDayKind):
    order = 61
    name = "caseloads"
    label = "Caseloads"
    description = (
        "One row per person and count day: the open cases they held that day, from the case "
        "management system (agency workers included). A person and day already held is the "
        "same count."
    )
    model = Caseload
    day_field = "on"
    value_fields = ("cases",)
    labels = {"cases": "cases"}
    columns = (
        EMPLOYEE,
        Column(
            "on",
            True,
            ("date", "count date", "as at", "snapshot date"),
            "The day the cases were counted.",
            "2025-09-30",
        ),
        Column(
            "cases",
            True,
            ("open cases", "caseload", "cases held", "number of cases"),
            "How many open cases they held that day: a whole number from 0 to 999.",
            "17",
        ),
    )

    def parse_values(self, row: Row, day: dt.date | None) -> dict[str, Any]:
        cases = row.take("cases", parse_int)
        if cases is not None and not 0 <= cases <= 999:
            row.error("cases", f"{cases} is outside 0 to 999")
        return {"cases": cases}

    def export_rows(self) -> Iterable[list[str]]:
        for number, on, cases in (
            Caseload.objects.order_by("person__employee_number", "on")
            .values_list("person__employee_number", "on", "cases")
            .iterator(chunk_size=BATCH)
        ):
            yield [number, format_date(on), str(cases)]
