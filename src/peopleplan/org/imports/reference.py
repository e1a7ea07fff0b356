"""The reference kinds of the HR import: units, grades, job roles and posts.

Each reads a council's HR extract (see docs/data-formats.md), compares it with what peopleplan
holds, and applies the differences in place, each change in the audit log. A unit that changes
parent is moved, and the move kept in its history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from peopleplan.core.audit import audit_entry, audit_record_many
from peopleplan.core.imports import Change, Column, ImportKind, Plan, Row, register
from peopleplan.core.imports.values import (
    ValueProblem,
    choice_parser,
    format_bool,
    format_date,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
)
from peopleplan.org import services
from peopleplan.org.models import Grade, JobRole, Post, Unit

BATCH = 2000


def _fte(text: str) -> Decimal:
    return parse_decimal(text, minimum=Decimal("0"), maximum=Decimal("1.5"))


def _post_fte(text: str) -> Decimal:
    value = parse_decimal(text, minimum=Decimal("0"), maximum=Decimal("1.5"))
    if value == 0:
        raise ValueProblem("a post's FTE must be more than 0")
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return format_bool(value)
    return str(value)


def _differences(old: dict[str, Any], new: dict[str, Any], labels: dict[str, str]) -> list[str]:
    return [
        f"{labels.get(key, key)}: {_text(old.get(key)) or '(blank)'} → {_text(value) or '(blank)'}"
        for key, value in new.items()
        if old.get(key) != value
    ]


def _lookup_code(row: Row, column: str, table: dict[str, Any], what: str, hint: str) -> Any:
    code = row.get(column)
    if not code:
        return None
    found = table.get(code)
    if found is None:
        row.error(column, f"{what} {code} is not in peopleplan ({hint})")
    return found


# --- units -----------------------------------------------------------------------------------


@register
class UnitsKind(ImportKind):
    order = 10
    name = "units"
    label = "Units"
    key_column = "unit_code"
    key_label = "Unit"
    description = "The organisation's tree: directorates, divisions, services, teams."
    columns = (
        Column(
            "unit_code",
            True,
            ("code", "unit id", "org unit code", "organisation code"),
            "The unit's code in the HR system, unique.",
            "ADU-OT1",
        ),
        Column(
            "name",
            True,
            ("unit name", "title", "organisation name"),
            "The unit's name.",
            "Occupational therapy team 1",
        ),
        Column(
            "unit_type",
            False,
            ("type", "level", "unit level"),
            "Directorate, division, service, team or the council's own word.",
            "team",
        ),
        Column(
            "parent_code",
            False,
            ("parent", "parent unit", "parent unit code", "reports to"),
            "The code of the unit above; blank for a top-level organisation.",
            "ADU-OT",
        ),
        Column(
            "cost_centre",
            False,
            ("cost center", "cost code", "cc"),
            "The finance cost centre.",
            "40210",
        ),
    )

    held_names = ("name", "unit_type", "parent_code", "cost_centre")

    def prepare(self) -> None:
        self.units = {u.code: u for u in Unit.objects.select_related("parent")}

    def held_values(self, unit: Unit) -> dict[str, str]:
        return {
            "name": unit.name,
            "unit_type": unit.unit_type,
            "parent_code": unit.parent.code if unit.parent_id else "",
            "cost_centre": unit.cost_centre,
        }

    def parse(self, row: Row) -> Any:
        if row.get("parent_code") and row.get("parent_code") == row.get("unit_code"):
            row.error("parent_code", "a unit cannot be its own parent")
            return None
        # Only the columns the file has: one it leaves out keeps what is held.
        values = {k: row.get(k) for k in ("name", "unit_type", "parent_code", "cost_centre")}
        return {"code": row.get("unit_code")} | {k: v for k, v in values.items() if row.has(k)}

    def _final(self, data: dict[str, str]) -> dict[str, str]:
        """The unit's values once the file is applied."""
        unit = self.units.get(data["code"])
        held = self.held_values(unit) if unit else dict.fromkeys(self.held_names, "")
        return held | {k: v for k, v in data.items() if k != "code"}

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        in_file = {r.parsed["code"]: r for r in rows}
        everywhere = {r.get("unit_code"): r.number for r in all_rows}
        parent_of = {code: self.held_values(u)["parent_code"] for code, u in self.units.items()}
        parent_of |= {code: self._final(r.parsed)["parent_code"] for code, r in in_file.items()}
        for code, row in in_file.items():
            parent = parent_of[code]
            if parent and parent not in in_file and parent not in self.units:
                where = (
                    f" and its row {everywhere[parent]} in this file is rejected"
                    if parent in everywhere
                    else ""
                )
                row.error("parent_code", f"parent unit {parent} is not in peopleplan{where}")
                continue
            seen = [code]
            current = parent
            while current:
                if current in seen:
                    loop = " → ".join([*seen[seen.index(current) :], current])
                    row.error("parent_code", f"the units would form a loop: {loop}")
                    break
                seen.append(current)
                current = parent_of.get(current, "")

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            new = self._final(row.parsed)
            code = row.parsed["code"]
            unit = self.units.get(code)
            payload = {"code": code, **new}
            if unit is None:
                plan.changes.append(
                    Change("added", code, new["name"], row=row.number, payload=payload)
                )
                continue
            details = _differences(self.held_values(unit), new, {"parent_code": "parent"})
            action = "changed" if details else "unchanged"
            plan.changes.append(
                Change(action, code, new["name"], details, row.number, payload=payload)
            )
        in_file = {r.parsed["code"] for r in rows}
        missing = sorted(
            code for code, u in self.units.items() if u.is_active and code not in in_file
        )
        if missing:
            plan.notes.append(
                f"{len(missing)} units in peopleplan are not in this file (kept): "
                + ", ".join(missing[:20])
                + (" and more" if len(missing) > 20 else "")
            )
        return plan

    def apply(self, plan: Plan, *, actor: Any) -> None:
        pending = [c for c in plan.changes if c.action in ("added", "changed")]
        parent_of = {code: self.held_values(u)["parent_code"] for code, u in self.units.items()}
        parent_of |= {c.key: c.payload["parent_code"] for c in pending}

        def final_depth(code: str) -> int:
            depth = 0
            while parent_of.get(code):
                code, depth = parent_of[code], depth + 1
            return depth

        # In the order of the final tree, top down: every parent is in its final place (or new)
        # before anything moves under it, so no move ever goes under its own subtree.
        units = dict(self.units)
        for change in sorted(pending, key=lambda c: final_depth(c.key)):
            data = change.payload
            parent = units[data["parent_code"]] if data["parent_code"] else None
            if change.action == "added":
                units[data["code"]] = services.unit_create(
                    code=data["code"],
                    name=data["name"],
                    unit_type=data["unit_type"],
                    parent=parent,
                    cost_centre=data["cost_centre"],
                    actor=actor,
                )
                continue
            unit = services.unit_update(
                unit=units[data["code"]],
                name=data["name"],
                unit_type=data["unit_type"],
                cost_centre=data["cost_centre"],
                actor=actor,
            )
            if unit.parent_id != (parent.pk if parent else None):
                services.unit_move(unit=unit, new_parent=parent, moved_on=self.as_of, actor=actor)
                # A move rewrites the paths below it: read them again.
                units = {u.code: u for u in Unit.objects.all()}

    def export_rows(self) -> Iterable[list[str]]:
        for unit in Unit.objects.select_related("parent").order_by("path"):
            yield [
                unit.code,
                unit.name,
                unit.unit_type,
                unit.parent.code if unit.parent_id else "",
                unit.cost_centre,
            ]


# --- grades and job roles --------------------------------------------------------------------


class ReferenceKind(ImportKind):
    """Reference data keyed by a code, updated in place, every change in the audit log."""

    model: type
    key_attr: str
    labels: dict[str, str] = {}

    def prepare(self) -> None:
        self.existing = {getattr(o, self.key_attr): o for o in self.model.objects.all()}

    def values(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            key = row.get(self.key_column)
            obj = self.existing.get(key)
            new = row.parsed
            if obj is None:
                plan.changes.append(Change("added", key, "", row=row.number, payload=new))
                continue
            details = _differences(self.values(obj), new, self.labels)
            plan.changes.append(
                Change(
                    self.action_for(obj, new) if details else "unchanged",
                    key,
                    "",
                    details,
                    row.number,
                    payload=new,
                )
            )
        return plan

    def action_for(self, obj, new: dict[str, Any]) -> str:
        return "changed"

    def apply(self, plan: Plan, *, actor: Any) -> None:
        object_type = self.model._meta.model_name
        added = [
            self.model(**{self.key_attr: c.key}, **c.payload)
            for c in plan.changes
            if c.action == "added"
        ]
        self.model.objects.bulk_create(added, batch_size=BATCH)
        changed = []
        entries = []
        for c in plan.changes:
            if c.action in ("changed", "ended"):
                obj = self.existing[c.key]
                before = self.values(obj)
                for attr, value in c.payload.items():
                    setattr(obj, attr, value)
                changed.append(obj)
                entries.append(
                    audit_entry(
                        actor=actor,
                        action="update",
                        object_type=object_type,
                        object_id=obj.pk,
                        object_label=c.key,
                        summary="; ".join(c.details)[:500],
                        before=before,
                        after=c.payload,
                    )
                )
        if changed:
            # Every row of a file has the same columns, so the same fields.
            fields = list(next(c for c in plan.changes if c.action in ("changed", "ended")).payload)
            self.model.objects.bulk_update(changed, fields, batch_size=BATCH)
        entries += [
            audit_entry(
                actor=actor,
                action="create",
                object_type=object_type,
                object_id=o.pk,
                object_label=getattr(o, self.key_attr),
                after=self.values(o),
            )
            for o in added
        ]
        audit_record_many(entries)


@register
class GradesKind(ReferenceKind):
    order = 20
    name = "grades"
    label = "Grades"
    key_column = "grade_code"
    key_label = "Grade"
    description = "Pay bands in order: a higher rank is a more senior grade."
    model = Grade
    key_attr = "code"
    columns = (
        Column(
            "grade_code",
            True,
            ("code", "grade", "pay band", "band"),
            "The grade's code, unique.",
            "KR9",
        ),
        Column(
            "name",
            True,
            ("grade name", "title", "description"),
            "The grade's name.",
            "KR9 (£32,654 - £35,235)",
        ),
        Column(
            "rank",
            True,
            ("order", "level", "seniority"),
            "A whole number: higher is more senior.",
            "9",
        ),
    )

    def parse(self, row: Row) -> Any:
        rank = row.take("rank", parse_int)
        return None if row.problems else {"name": row.get("name"), "rank": rank}

    def values(self, obj) -> dict[str, Any]:
        return {"name": obj.name, "rank": obj.rank}

    def export_rows(self) -> Iterable[list[str]]:
        for grade in Grade.objects.order_by("rank", "code"):
            yield [grade.code, grade.name, str(grade.rank)]


_dbs = choice_parser(
    JobRole.DbsLevel,
    {
        "": "none",
        "n/a": "none",
        "enhanced barred": "enhanced_barred",
        "enhanced with barred list": "enhanced_barred",
        "enhanced with barred lists": "enhanced_barred",
        "enhanced+barred": "enhanced_barred",
    },
)


@register
class JobRolesKind(ReferenceKind):
    order = 30
    name = "job_roles"
    label = "Job roles"
    key_column = "job_role_code"
    key_label = "Job role"
    description = "Job roles with their family, registration body, DBS level and flags."
    model = JobRole
    key_attr = "code"
    labels = {"dbs_level": "DBS level"}
    columns = (
        Column(
            "job_role_code",
            True,
            ("code", "job code", "role code", "job role"),
            "The job role's code, unique.",
            "CSW-SW",
        ),
        Column(
            "title", True, ("job title", "role title", "name"), "The job title.", "Social worker"
        ),
        Column(
            "job_family",
            False,
            ("family", "job group", "profession"),
            "The job family.",
            "Children's social work",
        ),
        Column(
            "registration_body",
            False,
            ("professional body", "registration", "regulator"),
            "The body the role must be registered with, if any.",
            "Social Work England",
        ),
        Column(
            "dbs_level",
            False,
            ("dbs", "dbs check", "dbs check level"),
            "none, basic, standard, enhanced or enhanced with barred lists.",
            "enhanced_barred",
        ),
        Column("works_with_children", False, ("children",), "yes or no.", "yes"),
        Column(
            "works_with_adults",
            False,
            ("vulnerable adults", "works with vulnerable adults"),
            "yes or no (vulnerable adults).",
            "no",
        ),
        Column(
            "manages_people", False, ("manager", "people manager", "is manager"), "yes or no.", "no"
        ),
    )

    def parse(self, row: Row) -> Any:
        data: dict[str, Any] = {"title": row.get("title")}
        # Only the columns the file has: one it leaves out keeps what is held.
        for column in ("job_family", "registration_body"):
            if row.has(column):
                data[column] = row.get(column)
        if row.has("dbs_level"):
            data["dbs_level"] = row.take("dbs_level", _dbs) or JobRole.DbsLevel.NONE
        for column in ("works_with_children", "works_with_adults", "manages_people"):
            if row.has(column):
                data[column] = bool(row.take(column, parse_bool))
        return None if row.problems else data

    def values(self, obj) -> dict[str, Any]:
        return {
            "title": obj.title,
            "job_family": obj.job_family,
            "registration_body": obj.registration_body,
            "dbs_level": obj.dbs_level,
            "works_with_children": obj.works_with_children,
            "works_with_adults": obj.works_with_adults,
            "manages_people": obj.manages_people,
        }

    def export_rows(self) -> Iterable[list[str]]:
        for role in JobRole.objects.order_by("code"):
            v = self.values(role)
            yield [role.code, *(_text(x) for x in v.values())]


@register
class PostsKind(ReferenceKind):
    order = 40
    name = "posts"
    label = "Posts (the establishment)"
    key_column = "post_number"
    key_label = "Post"
    description = "The establishment: budgeted posts. A post with no holder is a vacancy."
    model = Post
    key_attr = "post_number"
    labels = {
        "unit_id": "unit",
        "job_role_id": "job role",
        "grade_id": "grade",
        "fte": "FTE",
        "is_critical": "critical",
    }
    columns = (
        Column(
            "post_number",
            True,
            ("post", "post no", "position number", "position id"),
            "The post's number, unique.",
            "P004512",
        ),
        Column("unit_code", True, ("unit", "org unit code"), "The unit the post is in.", "ADU-OT1"),
        Column(
            "job_role_code",
            True,
            ("job role", "job code", "role code"),
            "The post's job role.",
            "ADU-OT",
        ),
        Column("grade_code", False, ("grade", "pay band"), "The post's grade.", "KR11"),
        Column(
            "fte",
            True,
            ("budgeted fte", "fte budget", "hours fte"),
            "Budgeted full-time equivalent, more than 0 and up to 1.5.",
            "1.00",
        ),
        Column(
            "start_date",
            True,
            ("start", "established", "date established"),
            "The date the post starts.",
            "2019-04-01",
        ),
        Column(
            "end_date",
            False,
            ("end", "deleted", "date deleted", "end date"),
            "The date the post ends, if it does.",
            "",
        ),
        Column("is_critical", False, ("critical", "critical post"), "yes or no.", "no"),
    )

    def prepare(self) -> None:
        super().prepare()
        self.units = dict(Unit.objects.values_list("code", "id"))
        self.roles = dict(JobRole.objects.values_list("code", "id"))
        self.grades = dict(Grade.objects.values_list("code", "id"))

    def parse(self, row: Row) -> Any:
        data = {
            "unit_id": _lookup_code(row, "unit_code", self.units, "Unit", "import units first"),
            "job_role_id": _lookup_code(
                row, "job_role_code", self.roles, "Job role", "import job roles first"
            ),
            "fte": row.take("fte", _post_fte),
            "start_date": row.take("start_date", parse_date),
        }
        # Only the columns the file has: one it leaves out keeps what is held.
        if row.has("grade_code"):
            data["grade_id"] = _lookup_code(
                row, "grade_code", self.grades, "Grade", "import grades first"
            )
        if row.has("end_date"):
            data["end_date"] = row.take("end_date", parse_date)
            if data["end_date"] and data["start_date"] and data["end_date"] < data["start_date"]:
                row.error("end_date", "is before start_date")
        if row.has("is_critical"):
            data["is_critical"] = bool(row.take("is_critical", parse_bool))
        return None if row.problems else data

    def values(self, obj) -> dict[str, Any]:
        return {
            "unit_id": obj.unit_id,
            "job_role_id": obj.job_role_id,
            "grade_id": obj.grade_id,
            "fte": obj.fte,
            "start_date": obj.start_date,
            "end_date": obj.end_date,
            "is_critical": obj.is_critical,
        }

    def action_for(self, obj, new: dict[str, Any]) -> str:
        end = new.get("end_date")
        return "ended" if end and obj.end_date != end else "changed"

    def plan(self, rows: list[Row]) -> Plan:
        plan = super().plan(rows)
        codes = {v: k for k, v in self.units.items()}
        roles = {v: k for k, v in self.roles.items()}
        grades = {v: k for k, v in self.grades.items()}
        names = {"unit": codes, "job role": roles, "grade": grades}
        for change in plan.changes:  # show codes, not ids
            change.details = [_with_codes(d, names) for d in change.details]
        return plan

    def export_rows(self) -> Iterable[list[str]]:
        posts = Post.objects.select_related("unit", "job_role", "grade").order_by("post_number")
        for post in posts.iterator(chunk_size=BATCH):
            yield [
                post.post_number,
                post.unit.code,
                post.job_role.code,
                post.grade.code if post.grade_id else "",
                str(post.fte),
                format_date(post.start_date),
                format_date(post.end_date),
                format_bool(post.is_critical),
            ]


def _with_codes(detail: str, names: dict[str, dict[int, str]]) -> str:
    label, _, rest = detail.partition(": ")
    if label not in names:
        return detail
    old, _, new = rest.partition(" → ")
    table = names[label]

    def code(text: str) -> str:
        return table.get(int(text), text) if text.isdigit() else text

    return f"{label}: {code(old)} → {code(new)}"
