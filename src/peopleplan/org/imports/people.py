"""The people kind of the HR import: one row per person, their primary job as of the extract.

How a row meets what peopleplan holds (the person's latest primary assignment):
- a new employee number adds the person and their assignment (already ended for a leaver);
- the same assignment start: the assignment is corrected in place, the change in the audit log;
- a later assignment start with a different job: a new assignment from that date, and the one
  before ends the day before; nothing is overwritten;
- an assignment end with a leaving reason: the person leaves on that date;
- an earlier assignment start than peopleplan holds is refused (an older extract);
- a person missing from the file is reported, never deleted.
Secondary assignments are not in the file and are left as they are. The optional pay columns
(a person's pay at a gender pay gap snapshot) are read and written by `pay.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from peopleplan.core.audit import audit_entry, audit_record_many
from peopleplan.core.dates import today
from peopleplan.core.imports import Change, Column, ImportKind, Plan, Row, register
from peopleplan.core.imports.values import (
    ValueProblem,
    choice_parser,
    format_date,
    parse_date,
    parse_decimal,
)
from peopleplan.org.imports import pay as payroll
from peopleplan.org.imports.pay import Pay
from peopleplan.org.models import Assignment, EqualityRecord, Grade, JobRole, Person, Post, Unit

BATCH = 2000

parse_contract = choice_parser(
    Assignment.ContractType,
    {
        "perm": "permanent",
        "fixed": "fixed_term",
        "ftc": "fixed_term",
        "fixed term contract": "fixed_term",
        "temp": "temporary",
        "bank": "casual",
        "relief": "casual",
        "sessional": "casual",
        "zero hours": "casual",
        "apprenticeship": "apprentice",
        "agency worker": "agency",
        "locum": "agency",
        "interim": "agency",
        "partner agency": "external",
        "foster carer": "external",
    },
)
parse_leaving_reason = choice_parser(
    Person.LeavingReason,
    {
        "resigned": "resignation",
        "voluntary resignation": "resignation",
        "retired": "retirement",
        "ill health retirement": "retirement",
        "end of fixed term contract": "end_of_contract",
        "end of fixed term": "end_of_contract",
        "contract ended": "end_of_contract",
        "dismissed": "dismissal",
        "redundant": "redundancy",
        "tupe": "transfer_out",
        "tupe transfer": "transfer_out",
        "death": "death_in_service",
        "deceased": "death_in_service",
    },
)
parse_sex = choice_parser(
    EqualityRecord.Sex,
    {
        "f": "female",
        "m": "male",
        "woman": "female",
        "man": "male",
        "not stated": "prefer_not_to_say",
        "not known": "prefer_not_to_say",
        "unknown": "prefer_not_to_say",
    },
)

EQUALITY_COLUMNS = (
    "date_of_birth",
    "sex",
    "ethnicity",
    "disability",
    "religion",
    "sexual_orientation",
)
JOB_LABELS = {
    "unit": "unit",
    "post": "post",
    "job_role": "job role",
    "grade": "grade",
    "contract_type": "contract type",
    "fte": "FTE",
    "manager": "line manager",
}


def _fte(text: str) -> Decimal:
    return parse_decimal(text, minimum=Decimal("0"), maximum=Decimal("1.5"))


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise ValueProblem(f"{text!r} is not an email address") from None
    return text


@dataclass(frozen=True)
class Job:
    """A primary job as the file says it, by code: what is compared with what is held."""

    unit: str
    post: str
    job_role: str
    grade: str
    contract_type: str
    fte: Decimal
    manager: str  # the line manager's employee number


@dataclass
class PersonRow:
    employee_number: str
    first_name: str
    last_name: str
    email: str | None  # None: the file does not say
    service_start: dt.date | None
    start: dt.date
    end: dt.date | None
    leaving_reason: str
    job: Job
    equality: dict[str, Any]  # only the equality columns the file has
    present: frozenset[str]  # the columns the file has: one it leaves out keeps what is held
    pay: Pay | None = None  # None: the row gives no pay


@dataclass
class Held:
    """A primary assignment peopleplan holds, with codes for comparing."""

    id: int
    start: dt.date
    end: dt.date | None
    job: Job


@dataclass
class PersonOp:
    """What applying one row does."""

    employee_number: str
    person_id: int | None
    person_fields: dict[str, Any] = field(default_factory=dict)
    close: tuple[int, dt.date] | None = None  # (assignment id, new end date)
    close_others: list[tuple[int, dt.date]] = field(default_factory=list)  # a leaver's other jobs
    correct: tuple[int, Job, dt.date | None] | None = None  # (assignment id, job, end)
    new: tuple[dt.date, dt.date | None, Job] | None = None  # (start, end, job)
    equality: dict[str, Any] | None = None
    pay: tuple[int | None, Pay] | None = None  # (the record held, or None to add; the pay)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@register
class PeopleKind(ImportKind):
    special_columns = EQUALITY_COLUMNS
    order = 50
    name = "people"
    label = "People"
    key_column = "employee_number"
    key_label = "Employee"
    description = (
        "One row per person with their primary job as of the extract, leavers included. "
        "A changed job becomes a new assignment from its start date. The last four columns, "
        "optional, give the person's pay at a gender pay gap snapshot date."
    )
    columns = (
        Column(
            "employee_number",
            True,
            (
                "employee no",
                "emp no",
                "employee id",
                "payroll number",
                "staff number",
                "person number",
                "employee",
            ),
            "The person's number in the HR system, unique.",
            "100234",
        ),
        Column(
            "first_name",
            True,
            ("forename", "given name", "first names", "known as"),
            "First name.",
            "Aisha",
        ),
        Column("last_name", True, ("surname", "family name", "last names"), "Last name.", "Khan"),
        Column(
            "email",
            False,
            ("email address", "work email", "e-mail"),
            "Work email: their login.",
            "aisha.khan@council.gov.uk",
        ),
        Column(
            "date_of_birth",
            False,
            ("dob", "birth date"),
            "Date of birth (equality monitoring data).",
            "1986-02-14",
        ),
        Column(
            "unit_code",
            False,
            ("unit", "org unit code", "organisation code", "team code"),
            "The unit they work in; may be left blank when post_number is given.",
            "ADU-OT1",
        ),
        Column(
            "post_number",
            False,
            ("post", "post no", "position number", "position id"),
            "The establishment post they hold, if any.",
            "P004512",
        ),
        Column(
            "job_role_code",
            False,
            ("job role", "job code", "role code"),
            "Their job role; may be left blank when post_number is given.",
            "ADU-OT",
        ),
        Column(
            "grade_code",
            False,
            ("grade", "pay band", "band"),
            "Their grade; the post's grade when blank.",
            "KR11",
        ),
        Column(
            "contract_type",
            True,
            ("contract", "employment type", "contract basis"),
            "permanent, fixed-term, temporary, casual, apprentice, agency or external.",
            "permanent",
        ),
        Column(
            "fte",
            True,
            ("hours fte", "fte worked", "full time equivalent"),
            "Full-time equivalent from 0 to 1.5.",
            "0.80",
        ),
        Column(
            "assignment_start",
            True,
            (
                "start date",
                "assignment start date",
                "effective date",
                "effective from",
                "job start",
            ),
            "The date this job started.",
            "2023-09-04",
        ),
        Column(
            "service_start",
            False,
            ("continuous service date", "csd", "service date", "start with council"),
            "Continuous service date; the assignment start when blank for a new person.",
            "2015-01-05",
        ),
        Column(
            "assignment_end",
            False,
            ("end date", "assignment end date", "leaving date", "date left"),
            "The date this job ends or ended.",
            "",
        ),
        Column(
            "leaving_reason",
            False,
            ("reason for leaving", "leaver reason"),
            "With assignment_end, the person leaves: resignation, retirement, end of "
            "contract, dismissal, redundancy, transfer out, death in service, other.",
            "",
        ),
        Column(
            "line_manager_employee_number",
            False,
            (
                "line manager",
                "manager",
                "manager employee number",
                "reports to",
                "line manager number",
                "manager number",
            ),
            "The line manager's employee number.",
            "100017",
        ),
        Column(
            "sex",
            False,
            ("gender", "legal sex"),
            "female, male or prefer not to say (equality monitoring data).",
            "female",
        ),
        Column(
            "ethnicity",
            False,
            ("ethnic origin", "ethnic group"),
            "Ethnicity (equality monitoring data).",
            "Asian or Asian British: Pakistani",
        ),
        Column(
            "disability",
            False,
            ("disabled", "disability status"),
            "Disability (equality monitoring data).",
            "No",
        ),
        Column(
            "religion",
            False,
            ("religion or belief", "belief"),
            "Religion or belief (equality monitoring data).",
            "Muslim",
        ),
        Column(
            "sexual_orientation",
            False,
            ("orientation",),
            "Sexual orientation (equality monitoring data).",
            "Heterosexual",
        ),
        *payroll.COLUMNS,
    )

    # --- reading what is held ----------------------------------------------------------------

    def prepare(self) -> None:
        self.units = set(Unit.objects.values_list("code", flat=True))
        self.roles = set(JobRole.objects.values_list("code", flat=True))
        self.grades = set(Grade.objects.values_list("code", flat=True))
        self.posts = {
            number: (unit, role, grade)
            for number, unit, role, grade in Post.objects.values_list(
                "post_number", "unit__code", "job_role__code", "grade__code"
            )
        }
        self.people: dict[str, tuple] = {}
        self.number_of: dict[int, str] = {}
        for row in Person.objects.values_list(
            "id",
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "service_start",
            "leaving_date",
            "leaving_reason",
        ):
            self.people[row[1]] = row
            self.number_of[row[0]] = row[1]
        self.held: dict[int, list[Held]] = {}
        for values in (
            Assignment.objects.filter(is_primary=True)
            .order_by("person_id", "start_date", "id")
            .values_list(
                "id",
                "person_id",
                "start_date",
                "end_date",
                "unit__code",
                "post__post_number",
                "job_role__code",
                "grade__code",
                "contract_type",
                "fte",
                "line_manager_id",
            )
        ):
            (pk, person_id, start, end, unit, post, role, grade, contract, fte, manager) = values
            job = Job(
                unit,
                post or "",
                role,
                grade or "",
                contract,
                fte,
                self.number_of.get(manager, "") if manager else "",
            )
            self.held.setdefault(person_id, []).append(Held(pk, start, end, job))
        self.others: dict[int, list[tuple[int, dt.date | None]]] = {}
        for pk, person_id, end in Assignment.objects.filter(is_primary=False).values_list(
            "id", "person_id", "end_date"
        ):
            self.others.setdefault(person_id, []).append((pk, end))
        self.equality = {
            e["person_id"]: e for e in EqualityRecord.objects.values("person_id", *EQUALITY_COLUMNS)
        }
        self.pay = payroll.held_pay()

    def _held_pay(self, number: str, snapshot: dt.date) -> Pay | None:
        person = self.people.get(number)
        held = self.pay.get((person[0], snapshot)) if person is not None else None
        return held[1] if held is not None else None

    # --- one row -----------------------------------------------------------------------------

    def parse(self, row: Row) -> PersonRow | None:
        number = row.get("employee_number")
        post_number = row.get("post_number")
        post = None
        if post_number:
            post = self.posts.get(post_number)
            if post is None:
                row.error(
                    "post_number", f"Post {post_number} is not in peopleplan (import posts first)"
                )
        unit = row.get("unit_code") or (post[0] if post else "")
        role = row.get("job_role_code") or (post[1] if post else "")
        grade = row.get("grade_code") or (post[2] or "" if post else "")
        if not unit and not post_number:
            row.error("unit_code", "is required when there is no post_number")
        elif unit not in self.units and row.get("unit_code"):
            row.error("unit_code", f"Unit {unit} is not in peopleplan (import units first)")
        if post and row.get("unit_code") and post[0] != unit:
            row.error("post_number", f"Post {post_number} is in unit {post[0]}, not {unit}")
        if not role and not post_number:
            row.error("job_role_code", "is required when there is no post_number")
        elif role not in self.roles and row.get("job_role_code"):
            row.error(
                "job_role_code", f"Job role {role} is not in peopleplan (import job roles first)"
            )
        if row.get("grade_code") and grade not in self.grades:
            row.error("grade_code", f"Grade {grade} is not in peopleplan (import grades first)")
        contract = row.take("contract_type", parse_contract)
        fte = row.take("fte", _fte)
        start = row.take("assignment_start", parse_date)
        end = row.take("assignment_end", parse_date)
        service_start = row.take("service_start", parse_date)
        reason = row.take("leaving_reason", parse_leaving_reason) or ""
        email = row.take("email", _email) if row.has("email") else None
        manager = row.get("line_manager_employee_number")
        if start and end and end < start:
            row.error(
                "assignment_end",
                f"{format_date(end)} is before assignment_start {format_date(start)}",
            )
        if reason and not end:
            row.error("leaving_reason", "a leaving reason needs an assignment_end date")
        if manager and manager == number:
            row.error("line_manager_employee_number", "a person cannot be their own line manager")
        equality: dict[str, Any] = {}
        for column in EQUALITY_COLUMNS:
            if not row.has(column):
                continue
            if column == "date_of_birth":
                equality[column] = row.take(column, parse_date)
            elif column == "sex":
                equality[column] = row.take(column, parse_sex) or ""
            else:
                equality[column] = row.get(column)
        pay = payroll.parse_pay(row, lambda on: self._held_pay(number, on))
        if row.problems:
            return None
        return PersonRow(
            employee_number=number,
            first_name=row.get("first_name"),
            last_name=row.get("last_name"),
            email=email if email is not None else (None if not row.has("email") else ""),
            service_start=service_start,
            start=start,
            end=end,
            leaving_reason=reason,
            job=Job(unit, post_number, role, grade, contract, fte, manager),
            equality=equality,
            present=row.columns,
            pay=pay,
        )

    # --- across rows -------------------------------------------------------------------------

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        in_file = {r.parsed.employee_number: r for r in rows}
        everywhere = {r.get("employee_number"): r.number for r in all_rows}
        for number, row in in_file.items():
            p: PersonRow = row.parsed
            manager = p.job.manager
            if manager and manager not in in_file and manager not in self.people:
                where = (
                    f"; their row {everywhere[manager]} in this file is rejected"
                    if manager in everywhere
                    else ""
                )
                row.error(
                    "line_manager_employee_number",
                    f"line manager {manager} is not found in this file or in peopleplan{where}",
                )
                continue
            held = self.people.get(number)
            history = self.held.get(held[0], []) if held is not None else []
            if history and p.start < history[-1].start:
                latest = history[-1]
                job = _filled(p, latest)
                repeated = next(
                    (h for h in history[:-1] if h.start >= p.start and h.job == job), None
                )
                if job != latest.job and repeated is not None:
                    until = format_date(repeated.end) or "(open)"
                    row.error(
                        "assignment_start",
                        f"this row repeats the job held from {format_date(repeated.start)} to "
                        f"{until}, which has changed since {format_date(latest.start)}: "
                        "is this an older extract?",
                    )
        self._check_loops(in_file)

    def _manager_held(self, number: str) -> str:
        person = self.people.get(number)
        if person is None:
            return ""
        history = self.held.get(person[0])
        if not history or (history[-1].end and history[-1].end < today()):
            return ""
        return history[-1].job.manager

    def _check_loops(self, in_file: dict[str, Row]) -> None:
        def manager_of(number: str) -> str:
            row = in_file.get(number)
            if row is None or "line_manager_employee_number" not in row.parsed.present:
                return self._manager_held(number)
            return row.parsed.job.manager

        safe: set[str] = set()
        for start in in_file:
            chain: list[str] = []
            on_chain: set[str] = set()
            current = start
            while current and current not in safe:
                if current in on_chain:
                    loop = [*chain[chain.index(current) :], current]
                    text = " → ".join(loop)
                    for number in loop[:-1]:
                        row = in_file.get(number)
                        if row is not None and not row.problems:
                            row.error(
                                "line_manager_employee_number",
                                f"the reporting lines would form a loop: {text}",
                            )
                    break
                chain.append(current)
                on_chain.add(current)
                current = manager_of(current)
            safe.update(chain)

    # --- what will change --------------------------------------------------------------------

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            p: PersonRow = row.parsed
            held = self.people.get(p.employee_number)
            label = f"{p.first_name} {p.last_name}"
            if held is None:
                op = PersonOp(
                    p.employee_number,
                    None,
                    person_fields=self._new_person(p),
                    new=(p.start, p.end, p.job),
                    equality=p.equality or None,
                    pay=(None, p.pay) if p.pay else None,
                )
                if p.pay:
                    op.after["pay"] = p.pay.as_dict()
                plan.changes.append(Change("added", p.employee_number, label, [], row.number, op))
                continue
            op, details, action = self._compare(p, held)
            plan.changes.append(Change(action, p.employee_number, label, details, row.number, op))
        in_file = {r.parsed.employee_number for r in rows}
        on = today()
        missing = sorted(
            number
            for number, person in self.people.items()
            if number not in in_file
            and person[6] is None
            and any(h.end is None or h.end >= on for h in self.held.get(person[0], []))
        )
        if missing:
            plan.notes.append(
                f"{len(missing)} people in post in peopleplan are not in this file. "
                "They are kept, not deleted: if they have left, send their leaving date and "
                "reason. " + ", ".join(missing[:25]) + (" and more" if len(missing) > 25 else "")
            )
        return plan

    def _new_person(self, p: PersonRow) -> dict[str, Any]:
        return {
            "employee_number": p.employee_number,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": p.email or "",
            "service_start": p.service_start or p.start,
            "leaving_date": p.end if p.leaving_reason else None,
            "leaving_reason": p.leaving_reason,
        }

    def _compare(self, p: PersonRow, held: tuple) -> tuple[PersonOp, list[str], str]:
        person_id, _, first, last, email, service_start, leaving_date, leaving_reason = held
        op = PersonOp(p.employee_number, person_id)
        details: list[str] = []  # for people to read; the audit log gets before and after
        before = {
            "first_name": first,
            "last_name": last,
            "email": email,
            "service_start": service_start,
            "leaving_date": leaving_date,
            "leaving_reason": leaving_reason,
        }
        after = dict(before, first_name=p.first_name, last_name=p.last_name)
        if p.email:
            after["email"] = p.email
        if p.service_start:
            after["service_start"] = p.service_start

        history = self.held.get(person_id, [])
        latest = history[-1] if history else None
        job = _filled(p, latest)
        if latest is None:
            op.new = (p.start, p.end, job)
            details.append(f"assignment from {format_date(p.start)}")
        elif p.start > latest.start and (
            latest.job != job or (latest.end is not None and latest.end < p.start)
        ):
            # A new job from its own start date; the one before ends the day before.
            op.new = (p.start, p.end, job)
            details += _job_differences(latest.job, job)
            details.append(f"new assignment from {format_date(p.start)}")
            if latest.end is None or latest.end >= p.start:
                op.close = (latest.id, p.start - dt.timedelta(days=1))
        elif latest.job != job:
            # A change within the job the file dates from its start (a new manager, grade or
            # FTE): it takes effect from the date the file describes, so the past stays true.
            effective = self.as_of
            details += _job_differences(latest.job, job)
            if effective > latest.start and (p.end is None or p.end >= effective):
                op.close = (latest.id, effective - dt.timedelta(days=1))
                op.new = (effective, p.end, job)
                details.append(f"changed from {format_date(effective)}")
            else:
                op.correct = (latest.id, job, p.end)
                details.append(f"corrected from {format_date(latest.start)}")
        elif latest.end != p.end:
            op.correct = (latest.id, latest.job, p.end)
            details.append(f"assignment end: {_show(latest.end)} → {_show(p.end)}")
        if op.close or op.correct or op.new:
            op.before["job"] = _job_snapshot(latest)
            op.after["job"] = {
                **_job_dict(job),
                "start": op.new[0] if op.new else latest.start,
                "end": p.end,
            }

        if p.leaving_reason:
            after["leaving_date"], after["leaving_reason"] = p.end, p.leaving_reason
        elif leaving_date is not None and (p.end is None or p.start > leaving_date):
            # In post again (a rejoiner, or a leaver entered in error): not a leaver.
            after["leaving_date"], after["leaving_reason"] = None, ""
        action = "changed"
        if after["leaving_date"] and after["leaving_date"] != leaving_date:
            action = "ended"
            # Leaving ends every job, the secondary ones too.
            op.close_others = [
                (pk, after["leaving_date"])
                for pk, end in self.others.get(person_id, [])
                if end is None or end > after["leaving_date"]
            ]
        person_changes = {k: v for k, v in after.items() if before[k] != v}
        if person_changes:
            op.person_fields = after
            op.before["person"] = before
            op.after["person"] = after
            labels = {
                "first_name": "first name",
                "last_name": "last name",
                "service_start": "continuous service date",
                "leaving_date": "leaving date",
                "leaving_reason": "leaving reason",
            }
            for key in person_changes:
                details.append(
                    f"{labels.get(key, key)}: {_show(before[key])} → {_show(after[key])}"
                )
        if p.equality:
            held_equality = self.equality.get(person_id, {})
            if any(
                held_equality.get(k, "" if k != "date_of_birth" else None) != v
                for k, v in p.equality.items()
            ):
                op.equality = p.equality
                details.append("equality monitoring data")
        if p.pay:
            held_pay = self.pay.get((person_id, p.pay.snapshot_on))
            detail = payroll.pay_detail(p.pay, held_pay[1] if held_pay else None)
            if detail:
                op.pay = (held_pay[0] if held_pay else None, p.pay)
                op.before["pay"] = held_pay[1].as_dict() if held_pay else None
                op.after["pay"] = p.pay.as_dict()
                details.append(detail)
        if not details:
            action = "unchanged"
        return op, details, action

    # --- applying ----------------------------------------------------------------------------

    def apply(self, plan: Plan, *, actor: Any) -> None:
        ops: list[PersonOp] = [c.payload for c in plan.changes if c.action != "unchanged"]
        ids = {number: person[0] for number, person in self.people.items()}

        new_people = [Person(**op.person_fields) for op in ops if op.person_id is None]
        Person.objects.bulk_create(new_people, batch_size=BATCH)
        ids.update({p.employee_number: p.pk for p in new_people})

        changed_people = []
        for op in ops:
            if op.person_id is not None and op.person_fields:
                person = Person(pk=op.person_id, **op.person_fields)
                changed_people.append(person)
        Person.objects.bulk_update(
            changed_people,
            ["first_name", "last_name", "email", "service_start", "leaving_date", "leaving_reason"],
            batch_size=BATCH,
        )

        resolved = self._resolver(ids)
        closes = [Assignment(pk=op.close[0], end_date=op.close[1]) for op in ops if op.close]
        closes += [Assignment(pk=pk, end_date=end) for op in ops for pk, end in op.close_others]
        Assignment.objects.bulk_update(closes, ["end_date"], batch_size=BATCH)
        corrections = []
        for op in ops:
            if op.correct:
                pk, job, end = op.correct
                corrections.append(Assignment(pk=pk, end_date=end, **resolved(job)))
        Assignment.objects.bulk_update(
            corrections,
            [
                "end_date",
                "unit_id",
                "post_id",
                "job_role_id",
                "grade_id",
                "contract_type",
                "fte",
                "line_manager_id",
            ],
            batch_size=BATCH,
        )
        new_assignments = []
        for op in ops:
            if op.new:
                start, end, job = op.new
                new_assignments.append(
                    Assignment(
                        person_id=ids[op.employee_number],
                        start_date=start,
                        end_date=end,
                        is_primary=True,
                        **resolved(job),
                    )
                )
        Assignment.objects.bulk_create(new_assignments, batch_size=BATCH)

        new_equality, changed_equality = [], []
        for op in ops:
            if not op.equality:
                continue
            person_id = ids[op.employee_number]
            if person_id in self.equality:
                values = dict(self.equality[person_id], **op.equality)
                values.pop("person_id", None)
                changed_equality.append((person_id, values))
            else:
                new_equality.append(EqualityRecord(person_id=person_id, **op.equality))
        EqualityRecord.objects.bulk_create(new_equality, batch_size=BATCH)
        if changed_equality:
            existing = EqualityRecord.objects.in_bulk(
                [pid for pid, _ in changed_equality], field_name="person_id"
            )
            records = []
            for person_id, values in changed_equality:
                record = existing[person_id]
                for key, value in values.items():
                    setattr(record, key, value)
                records.append(record)
            EqualityRecord.objects.bulk_update(records, list(EQUALITY_COLUMNS), batch_size=BATCH)

        payroll.apply_pay(
            [(ids[op.employee_number], op.pay[1]) for op in ops if op.pay and op.pay[0] is None],
            [(op.pay[0], op.pay[1]) for op in ops if op.pay and op.pay[0] is not None],
            BATCH,
        )

        audit_record_many(
            audit_entry(
                actor=actor,
                action="create"
                if change.payload.person_id is None
                else ("end" if change.action == "ended" else "update"),
                object_type="person",
                object_id=ids[change.key],
                object_label=change.key,
                summary="; ".join(change.details)[:500] or "Added by the HR import",
                before=change.payload.before or None,
                after=(
                    {**change.payload.person_fields, **change.payload.after}
                    if change.payload.person_id is None
                    else change.payload.after
                )
                or None,
            )
            for change in plan.changes
            if change.action != "unchanged"
        )

    def _resolver(self, ids: dict[str, int]):
        units = dict(Unit.objects.values_list("code", "id"))
        roles = dict(JobRole.objects.values_list("code", "id"))
        grades = dict(Grade.objects.values_list("code", "id"))
        posts = dict(Post.objects.values_list("post_number", "id"))

        def resolved(job: Job) -> dict[str, Any]:
            return {
                "unit_id": units[job.unit],
                "post_id": posts[job.post] if job.post else None,
                "job_role_id": roles[job.job_role],
                "grade_id": grades[job.grade] if job.grade else None,
                "contract_type": job.contract_type,
                "fte": job.fte,
                "line_manager_id": ids[job.manager] if job.manager else None,
            }

        return resolved

    # --- export ------------------------------------------------------------------------------

    def export_rows(self) -> Iterable[list[str]]:
        latest: dict[int, tuple] = {}
        for values in (
            Assignment.objects.filter(is_primary=True)
            .order_by("person_id", "start_date", "id")
            .values_list(
                "person_id",
                "start_date",
                "end_date",
                "unit__code",
                "post__post_number",
                "job_role__code",
                "grade__code",
                "contract_type",
                "fte",
                "line_manager__employee_number",
            )
            .iterator(chunk_size=BATCH)
        ):
            latest[values[0]] = values
        equality = {
            e["person_id"]: e for e in EqualityRecord.objects.values("person_id", *EQUALITY_COLUMNS)
        }
        pay = payroll.latest_pay()
        no_pay = [""] * len(payroll.PAY_COLUMNS)
        for person in (
            Person.objects.order_by("employee_number")
            .values_list(
                "id",
                "employee_number",
                "first_name",
                "last_name",
                "email",
                "service_start",
                "leaving_reason",
            )
            .iterator(chunk_size=BATCH)
        ):
            pk, number, first, last, email, service_start, reason = person
            a = latest.get(pk)
            if a is None:
                continue  # a person with no primary job cannot be written as a row
            e = equality.get(pk, {})
            yield [
                number,
                first,
                last,
                email,
                format_date(e.get("date_of_birth")),
                a[3],
                a[4] or "",
                a[5],
                a[6] or "",
                a[7],
                str(a[8]),
                format_date(a[1]),
                format_date(service_start),
                format_date(a[2]),
                reason,
                a[9] or "",
                e.get("sex", ""),
                e.get("ethnicity", ""),
                e.get("disability", ""),
                e.get("religion", ""),
                e.get("sexual_orientation", ""),
                *(pay[pk].cells() if pk in pay else no_pay),
            ]


def _filled(p: PersonRow, latest: Held | None) -> Job:
    """The row's job, with what the file leaves out (a column it does not have) taken from the
    job peopleplan holds: a missing column keeps, an empty cell clears."""
    if latest is None:
        return p.job
    has = p.present
    fill: dict[str, str] = {}
    if "line_manager_employee_number" not in has:
        fill["manager"] = latest.job.manager
    if "post_number" not in has:
        same_unit = "unit_code" not in has or p.job.unit == latest.job.unit
        fill["post"] = latest.job.post if same_unit else ""
        for column, attr in (
            ("unit_code", "unit"),
            ("job_role_code", "job_role"),
            ("grade_code", "grade"),
        ):
            if column not in has:
                fill[attr] = getattr(latest.job, attr)
    return replace(p.job, **fill) if fill else p.job


def _job_dict(job: Job) -> dict[str, Any]:
    return {
        "unit": job.unit,
        "post": job.post,
        "job_role": job.job_role,
        "grade": job.grade,
        "contract_type": job.contract_type,
        "fte": job.fte,
        "line_manager": job.manager,
    }


def _job_snapshot(held: Held | None) -> dict[str, Any] | None:
    if held is None:
        return None
    return {**_job_dict(held.job), "start": held.start, "end": held.end}


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def _job_differences(old: Job, new: Job) -> list[str]:
    return [
        f"{label}: {_show(getattr(old, key))} → {_show(getattr(new, key))}"
        for key, label in JOB_LABELS.items()
        if getattr(old, key) != getattr(new, key)
    ]
