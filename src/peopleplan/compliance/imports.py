"""The credentials import kind: DBS checks, registrations and certificates from HR's records,
one row per credential.

A credential is known by its person, type and issue date (and its number, when the row gives
one), so the same file twice changes nothing: a row that matches a credential peopleplan holds
is unchanged, or corrected in place with the change in the audit log. Rows go in verified (a
matching credential a person added and HR have not yet verified is verified by the file). The
last Update Service status check, when given, is added unless the credential has one that day.
A credential is never deleted by a file that leaves it out. The people touched have their
achievements rebuilt once, in the import's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from peopleplan.core.audit import audit_entry, audit_record_many
from peopleplan.core.dates import today
from peopleplan.core.imports import Change, Column, ImportKind, Plan, Row, register
from peopleplan.core.imports.values import (
    choice_parser,
    format_bool,
    format_date,
    parse_bool,
    parse_date,
)
from peopleplan.org.imports.capacity import EMPLOYEE
from peopleplan.org.models import Person

from . import services
from .models import Credential, CredentialType, StatusCheck

BATCH = 2000
# No single column is a credential's key (person, type, issue date and number), so the
# framework's check of one key column is not used: `check` finds a credential twice instead.
KEY = "credential"
# The values a row sets on a credential, besides its key; named as the model's fields.
VALUES = (
    "expires_on",
    "dbs_level",
    "workforce",
    "update_service",
    "update_service_renews_on",
    "notes",
)
LABELS = {
    "expires_on": "expires",
    "dbs_level": "DBS level",
    "workforce": "workforce",
    "update_service": "Update Service",
    "update_service_renews_on": "Update Service renews",
    "notes": "notes",
    "status": "status",
}

_dbs_level = choice_parser(
    Credential._meta.get_field("dbs_level"),
    {"enhanced barred": "enhanced_barred", "enhanced with barred list": "enhanced_barred"},
)
_workforce = choice_parser(
    Credential.Workforce,
    {
        "child": "child",
        "adult": "adult",
        "both": "child_and_adult",
        "child and adult": "child_and_adult",
    },
)
_check_result = choice_parser(
    StatusCheck.Result, {"clear": "clear", "changed": "changed", "new information": "changed"}
)


@dataclass(frozen=True)
class CredentialRow:
    person_id: int
    type_id: int
    issued_on: dt.date
    number: str
    values: dict[str, Any]  # only the columns the file has
    check: tuple[dt.date, str] | None  # the last status check: its date and result


@dataclass
class Held:
    """A credential peopleplan holds, as `prepare` reads it (values, not model instances: a
    council's credentials are read at every import)."""

    id: int
    person_id: int
    type_id: int
    issued_on: dt.date
    number: str
    status: str
    expires_on: dt.date | None
    dbs_level: str
    workforce: str
    update_service: bool
    update_service_renews_on: dt.date | None
    notes: str

    @property
    def pk(self) -> int:
        return self.id


HELD_FIELDS = ("id", "person_id", "type_id", "issued_on", "number", "status", *VALUES)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


@register
class CredentialsKind(ImportKind):
    order = 300
    name = "credentials"
    label = "Credentials and checks"
    key_column = KEY
    key_label = "Credential"
    capability = "compliance.import"
    description = (
        "One row per credential a person holds: DBS checks, professional registrations and "
        "other certificates, from HR's records. A person, type and issue date (and number, "
        "when given) already held is the same credential. Rows go in verified."
    )
    columns = (
        EMPLOYEE,
        Column(
            "credential_type",
            True,
            ("type", "credential type code", "check type"),
            "The credential type's code in peopleplan.",
            "DBS-ENH",
        ),
        Column(
            "number",
            False,
            ("certificate number", "registration number", "reference", "certificate no"),
            "The certificate or registration number: needed for a DBS check (12 digits) and a "
            "registration.",
            "001234567890",
        ),
        Column(
            "issued_on",
            True,
            ("issue date", "date issued", "issued", "registered on"),
            "The date it was issued, not in the future.",
            "2024-05-01",
        ),
        Column(
            "expires_on",
            False,
            ("expiry date", "expires", "expiry", "valid until"),
            "When it expires, on or after the issue date; needed for a type that always has one.",
            "2027-04-30",
        ),
        Column(
            "dbs_level",
            False,
            ("level", "dbs level", "check level"),
            "A DBS check's level: basic, standard, enhanced or enhanced_barred; needed for a DBS "
            "check, blank for anything else.",
            "enhanced_barred",
        ),
        Column(
            "workforce",
            False,
            ("dbs workforce",),
            "A DBS check's workforce: child, adult, child_and_adult or other; needed for a DBS "
            "check, blank for anything else.",
            "child",
        ),
        Column(
            "update_service",
            False,
            ("dbs update service", "subscribed"),
            "Subscribed to the DBS Update Service: yes or no.",
            "yes",
        ),
        Column(
            "update_service_renews_on",
            False,
            ("update service renewal", "subscription renews"),
            "When the yearly Update Service subscription renews.",
            "2026-05-01",
        ),
        Column(
            "last_status_check_on",
            False,
            ("status check date", "last checked", "last status check"),
            "The date of the last Update Service status check, with its result.",
            "2026-01-15",
        ),
        Column(
            "last_status_check_result",
            False,
            ("status check result", "check result"),
            "What that check found: clear (no new information) or changed (new information).",
            "clear",
        ),
        Column("notes", False, ("comments", "note"), "Anything HR note about it.", ""),
    )

    def prepare(self) -> None:
        self.people = dict(Person.objects.values_list("employee_number", "id"))
        self.types = {t.code: t for t in CredentialType.objects.all()}
        self.type_codes = {t.pk: t.code for t in self.types.values()}
        self.today = today()
        self.held: dict[tuple[int, int, dt.date], list[Held]] = defaultdict(list)
        for values in Credential.objects.order_by("id").values(*HELD_FIELDS):
            held = Held(**values)
            self.held[(held.person_id, held.type_id, held.issued_on)].append(held)
        self.checks: dict[int, dict[dt.date, str]] = defaultdict(dict)
        for credential_id, on, result in StatusCheck.objects.values_list(
            "credential_id", "checked_on", "result"
        ):
            self.checks[credential_id][on] = result

    def parse(self, row: Row) -> CredentialRow | None:
        number_text = row.get("employee_number")
        person_id = self.people.get(number_text)
        if person_id is None:
            row.error("employee_number", f"Employee {number_text} is not in peopleplan")
        code = row.get("credential_type")
        ctype = self.types.get(code)
        if ctype is None:
            row.error("credential_type", f"Credential type {code} is not in peopleplan")
        number = row.get("number").strip()
        issued_on = row.take("issued_on", parse_date)
        if issued_on and issued_on > self.today:
            row.error("issued_on", f"{format_date(issued_on)} is in the future")
        values: dict[str, Any] = {}
        if row.has("expires_on"):
            values["expires_on"] = row.take("expires_on", parse_date)
        if row.has("dbs_level"):
            values["dbs_level"] = row.take("dbs_level", _dbs_level) or ""
        if row.has("workforce"):
            values["workforce"] = row.take("workforce", _workforce) or ""
        if row.has("update_service"):
            values["update_service"] = bool(row.take("update_service", parse_bool))
        if row.has("update_service_renews_on"):
            values["update_service_renews_on"] = row.take("update_service_renews_on", parse_date)
        if row.has("notes"):
            values["notes"] = row.get("notes")
        checked_on = row.take("last_status_check_on", parse_date)
        result = row.take("last_status_check_result", _check_result)
        if checked_on and not result and not row.get("last_status_check_result"):
            row.error(
                "last_status_check_result", "Give what the status check found: clear or changed"
            )
        if result and not checked_on and not row.get("last_status_check_on"):
            row.error("last_status_check_on", "Give the date of the status check")
        if row.problems or ctype is None:
            return None

        expires_on = values.get("expires_on")
        if expires_on and issued_on and expires_on < issued_on:
            row.error(
                "expires_on",
                f"{format_date(expires_on)} is before the issue date {format_date(issued_on)}",
            )
        if ctype.expiry_required and not expires_on:
            row.error("expires_on", f"A {ctype.name} needs its expiry date")
        if not number and ctype.kind != CredentialType.Kind.CERTIFICATE:
            # As the form: a DBS check and a registration are known by their numbers.
            what = "certificate" if ctype.kind == CredentialType.Kind.DBS else "registration"
            row.error("number", f"A {ctype.name} needs its {what} number")
        if ctype.kind == CredentialType.Kind.DBS:
            if number and not (number.isdigit() and len(number) == 12):
                row.error("number", f"{number} is not a DBS certificate number: it is 12 digits")
            if not values.get("dbs_level"):
                row.error("dbs_level", "A DBS check needs its level")
            if not values.get("workforce"):
                row.error("workforce", "A DBS check needs its workforce")
        else:
            for column in ("dbs_level", "workforce", "update_service"):
                if values.get(column):
                    row.error(column, f"Only a DBS check has this; {code} is not one")
        if values.get("update_service_renews_on") and not values.get("update_service"):
            row.error(
                "update_service_renews_on",
                "A renewal date is only for an Update Service subscription",
            )
        check = None
        if checked_on and result:
            if not (ctype.kind == CredentialType.Kind.DBS and values.get("update_service")):
                row.error(
                    "last_status_check_on",
                    "A status check is only for a DBS check subscribed to the Update Service",
                )
            elif issued_on and not issued_on <= checked_on <= self.today:
                row.error(
                    "last_status_check_on",
                    f"{format_date(checked_on)} is not between the issue date and today",
                )
            check = (checked_on, result)
        if row.problems:
            return None
        return CredentialRow(person_id, ctype.pk, issued_on, number, values, check)

    def check(self, rows: list[Row], all_rows: list[Row]) -> None:
        first: dict[tuple, Row] = {}
        for row in rows:
            p: CredentialRow = row.parsed
            key = (p.person_id, p.type_id, p.issued_on, p.number)
            other = first.get(key)
            if other is None:
                first[key] = row
                continue
            what = (
                f"{row.get('employee_number')} {row.get('credential_type')} issued "
                f"{format_date(p.issued_on)}"
            )
            row.error("issued_on", f"{what} is also on row {other.number}")
            if not any("is also on row" in problem.message for problem in other.problems):
                other.error("issued_on", f"{what} is also on row {row.number}")
        for row in rows:
            if row.problems:
                continue
            p = row.parsed
            if not p.number and len(self.held.get((p.person_id, p.type_id, p.issued_on), [])) > 1:
                row.error(
                    "number",
                    "peopleplan holds more than one of these issued that day: give the number",
                )

    def _match(self, p: CredentialRow) -> Held | None:
        held = self.held.get((p.person_id, p.type_id, p.issued_on), [])
        if p.number:
            same = [c for c in held if c.number == p.number]
            if same:
                return same[0]
            # A credential held without its number is this one, now numbered.
            unnumbered = [c for c in held if not c.number]
            return unnumbered[0] if len(unnumbered) == 1 and len(held) == 1 else None
        return held[0] if len(held) == 1 else None

    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        for row in rows:
            p: CredentialRow = row.parsed
            key = " ".join(
                part
                for part in (
                    row.get("employee_number"),
                    self.type_codes[p.type_id],
                    format_date(p.issued_on),
                    p.number,
                )
                if part
            )
            held = self._match(p)
            if held is None:
                plan.changes.append(Change("added", key, "", row=row.number, payload=(p, None)))
                continue
            new = dict(p.values)
            if p.number != held.number:
                new["number"] = p.number
            if held.status != Credential.Status.VERIFIED:
                new["status"] = Credential.Status.VERIFIED
            new = {k: v for k, v in new.items() if getattr(held, k) != v}
            details = [
                f"{LABELS.get(k, k)}: {_text(getattr(held, k)) or '(blank)'} → "
                f"{_text(v) or '(blank)'}"
                for k, v in new.items()
            ]
            if p.check and self.checks[held.pk].get(p.check[0]) != p.check[1]:
                details.append(f"status check on {format_date(p.check[0])}: {p.check[1]}")
            action = "changed" if details else "unchanged"
            plan.changes.append(
                Change(action, key, "", details, row.number, payload=(p, (held, new)))
            )
        return plan

    def apply(self, plan: Plan, *, actor: Any) -> None:
        now = timezone.now()
        user = actor if getattr(actor, "is_authenticated", False) else None
        added_changes = [c for c in plan.changes if c.action == "added"]
        added = [
            Credential(
                person_id=p.person_id,
                type_id=p.type_id,
                issued_on=p.issued_on,
                number=p.number,
                status=Credential.Status.VERIFIED,
                created_by=user,
                verified_by=user,
                verified_at=now,
                **p.values,
            )
            for change in added_changes
            for p, _ in [change.payload]
        ]
        Credential.objects.bulk_create(added, batch_size=BATCH)
        if added and added[0].pk is None:  # a backend that does not return ids
            ids = {
                (c.person_id, c.type_id, c.issued_on, c.number): c.pk
                for c in Credential.objects.filter(person_id__in={a.person_id for a in added})
            }
            for credential in added:
                credential.pk = ids[
                    (
                        credential.person_id,
                        credential.type_id,
                        credential.issued_on,
                        credential.number,
                    )
                ]
        entries = [
            audit_entry(
                actor=actor,
                action="create",
                object_type="compliance.credential",
                object_id=credential.pk or "",
                object_label=change.key,
                summary="Credential imported",
                after={"number": credential.number, **change.payload[0].values},
            )
            for credential, change in zip(added, added_changes, strict=True)
        ]
        checks = [
            StatusCheck(
                credential=credential,
                checked_on=change.payload[0].check[0],
                result=change.payload[0].check[1],
                checked_by=user,
            )
            for credential, change in zip(added, added_changes, strict=True)
            if change.payload[0].check
        ]
        changed = [c for c in plan.changes if c.action == "changed"]
        instances = Credential.objects.in_bulk([c.payload[1][0].pk for c in changed])
        updated: list[Credential] = []
        fields: set[str] = set()
        for change in changed:
            p, (held, new) = change.payload
            credential = instances[held.pk]
            before = {k: getattr(credential, k) for k in new}
            for name, value in new.items():
                setattr(credential, name, value)
            if new.get("status") == Credential.Status.VERIFIED:
                credential.verified_by, credential.verified_at = user, now
                credential.rejected_reason = ""
                new = new | {"verified_by": user, "verified_at": now, "rejected_reason": ""}
            if new:
                updated.append(credential)
                fields |= set(new)
            if p.check and self.checks[held.pk].get(p.check[0]) != p.check[1]:
                if p.check[0] in self.checks[held.pk]:
                    StatusCheck.objects.filter(credential_id=held.pk, checked_on=p.check[0]).update(
                        result=p.check[1]
                    )
                else:
                    checks.append(
                        StatusCheck(
                            credential_id=held.pk,
                            checked_on=p.check[0],
                            result=p.check[1],
                            checked_by=user,
                        )
                    )
            entries.append(
                audit_entry(
                    actor=actor,
                    action="update",
                    object_type="compliance.credential",
                    object_id=held.pk,
                    object_label=change.key,
                    summary="; ".join(change.details)[:500],
                    before=before,
                    after={k: v for k, v in new.items() if k in before},
                )
            )
        if updated:
            Credential.objects.bulk_update(updated, sorted(fields), batch_size=BATCH)
        StatusCheck.objects.bulk_create(checks, batch_size=BATCH)
        audit_record_many(entries)
        touched = {c.person_id for c in added} | {c.payload[1][0].person_id for c in changed}
        if touched:
            services.achievements_refresh(person_ids=touched)

    def export_rows(self) -> Iterable[list[str]]:
        latest: dict[int, tuple[dt.date, str]] = {}
        for credential_id, on, result in StatusCheck.objects.order_by(
            "credential_id", "checked_on", "id"
        ).values_list("credential_id", "checked_on", "result"):
            latest[credential_id] = (on, result)
        credentials = (
            Credential.objects.filter(status=Credential.Status.VERIFIED)
            .order_by("person__employee_number", "type__code", "issued_on", "id")
            .values_list(
                "id",
                "person__employee_number",
                "type__code",
                "number",
                "issued_on",
                "expires_on",
                "dbs_level",
                "workforce",
                "update_service",
                "update_service_renews_on",
                "notes",
            )
        )
        for (
            pk,
            employee,
            code,
            number,
            issued,
            expires,
            level,
            workforce,
            us,
            renews,
            notes,
        ) in credentials.iterator(chunk_size=BATCH):
            check_on, result = latest.get(pk, (None, ""))
            yield [
                employee,
                code,
                number,
                format_date(issued),
                format_date(expires),
                level,
                workforce,
                format_bool(us),
                format_date(renews),
                format_date(check_on),
                result,
                notes,
            ]
