"""The `cohorts` import kind: who came in by which recruitment route, in which intake, and when
they started, one row per person and cohort.

A row is known by its person, route and cohort name, so the same file twice changes nothing;
a different start day corrects the one held, in place, with the change in the audit log. A
cohort named for the first time is made. A file never takes anyone out of a cohort. A row is
refused, naming its column, when the person or route is not in peopleplan, the start day is
not a date or is in the future, the person had no job that day, or the same person and cohort
is twice in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peopleplan.core.audit import audit_entry, audit_record_many
from peopleplan.core.imports import Change, Column, ImportKind, Plan, Row, register
from peopleplan.core.imports.values import format_date, normalise_word, parse_date
from peopleplan.org.imports.capacity import EMPLOYEE, PeopleLookup, day_text

from .models import Cohort, CohortMember, RecruitmentRoute

BATCH = 2000


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    route_id: int
    cohort: str
    started_on: dt.date


@register
class CohortsKind(PeopleLookup, ImportKind):
    order = 70
    name = "cohorts"
    label = "Recruitment cohorts"
    description = (
        "One row per person and cohort: the recruitment route they came in by (its code or "
        "name), the intake's name, and the day they started. A person, route and cohort "
        "already held is the same membership."
    )
    key_column = "membership"  # no single column is the key: `check` finds repeats
    key_label = "Membership"
    capability = "people.import"
    columns = (
        EMPLOYEE,
        Column(
            "route",
            True,
            ("recruitment route", "route code", "programme", "scheme"),
            "The recruitment route's code or name.",
            "step-up",
        ),
        Column(
            "cohort",
            True,
            ("intake", "cohort name", "group"),
            "The intake's name: made the first time it is named.",
            "Step Up 2024",
        ),
        Column(
            "started_on",
            True,
            ("start date", "started", "joined"),
            "The day they started by this route.",
            "2024-09-02",
        ),
    )

    def prepare(self) -> None:
        self.prepare_people()
        self.routes: dict[str, RecruitmentRoute] = {}
        for route in RecruitmentRoute.objects.all():
            self.routes[normalise_word(route.code)] = route
            self.routes[normalise_word(route.name)] = route
        self.route_names = {r.pk: r.name for r in self.routes.values()}
        self.cohorts = {(c.route_id, c.name): c.pk for c in Cohort.objects.all()}
        self.held = {
            (cohort_id, person_id): (pk, started)
            for pk, cohort_id, person_id, started in CohortMember.objects.values_list(
                "pk", "cohort_id", "person_id", "started_on"
            )
        }

    def parse(self, row: Row) -> MemberRow | None:
        number = row.get("employee_number")
        person_id = self.people.get(number)
        if person_id is None:
            row.error("employee_number", f"Employee {number} is not in peopleplan")
        route = self.routes.get(normalise_word(row.get("route")))
        if route is None:
            codes = ", ".join(sorted({r.code for r in self.routes.values()}))
            row.error(
                "route", f"{row.get('route')} is not a recruitment route: the routes are {codes}"
            )
        started = row.take("started_on", parse_date)
        if started is not None and started > self.today:
            row.error("started_on", f"{day_text(started)} is in the future")
        if row.problems:
            return None
        if not self.had_job(person_id, started):
            row.error("started_on", f"Employee {number} had no job on {day_text(started)}")
            return None
        return MemberRow(person_id, route.pk, row.get("cohort").strip()[:200], started)

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        first: dict[tuple, Row] = {}
        for row in rows:
            p: MemberRow = row.parsed
            other = first.setdefault((p.person_id, p.route_id, p.cohort), row)
            if other is not row:
                what = f"{row.get('employee_number')} in {p.cohort}"
                row.error("cohort", f"{what} is also on row {other.number}")

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            p: MemberRow = row.parsed
            key = f"{row.get('employee_number')} {self.route_names[p.route_id]}: {p.cohort}"
            cohort_id = self.cohorts.get((p.route_id, p.cohort))
            held = None if cohort_id is None else self.held.get((cohort_id, p.person_id))
            if held is None:
                plan.changes.append(Change("added", key, "", row=row.number, payload=p))
            elif held[1] != p.started_on:
                details = [f"started: {format_date(held[1])} → {format_date(p.started_on)}"]
                plan.changes.append(
                    Change("changed", key, "", details, row.number, payload=(p, held))
                )
            else:
                plan.changes.append(Change("unchanged", key, "", row=row.number, payload=p))
        return plan

    def apply(self, plan: Plan, *, actor: Any) -> None:
        added = [c for c in plan.changes if c.action == "added"]
        for p in (c.payload for c in added):
            if (p.route_id, p.cohort) not in self.cohorts:
                made = Cohort.objects.create(route_id=p.route_id, name=p.cohort)
                self.cohorts[(p.route_id, p.cohort)] = made.pk
        members = CohortMember.objects.bulk_create(
            [
                CohortMember(
                    cohort_id=self.cohorts[(c.payload.route_id, c.payload.cohort)],
                    person_id=c.payload.person_id,
                    started_on=c.payload.started_on,
                )
                for c in added
            ],
            batch_size=BATCH,
        )
        entries = [
            audit_entry(
                actor=actor,
                action="create",
                object_type="workforce.cohortmember",
                object_id=member.pk or "",
                object_label=change.key,
                summary="Cohort member imported",
                after={"started_on": member.started_on},
            )
            for member, change in zip(members, added, strict=True)
        ]
        changed = [c for c in plan.changes if c.action == "changed"]
        held = CohortMember.objects.in_bulk([c.payload[1][0] for c in changed])
        for change in changed:
            p, (pk, before) = change.payload
            held[pk].started_on = p.started_on
            entries.append(
                audit_entry(
                    actor=actor,
                    action="update",
                    object_type="workforce.cohortmember",
                    object_id=pk,
                    object_label=change.key,
                    summary="; ".join(change.details),
                    before={"started_on": before},
                    after={"started_on": p.started_on},
                )
            )
        CohortMember.objects.bulk_update(held.values(), ["started_on"], batch_size=BATCH)
        audit_record_many(entries)

    def export_rows(self) -> Iterable[list[str]]:
        for number, route, cohort, started in CohortMember.objects.order_by(
            "cohort__route__code", "cohort__name", "person__employee_number"
        ).values_list(
            "person__employee_number", "cohort__route__code", "cohort__name", "started_on"
        ):
            yield [number, route, cohort, format_date(started)]
