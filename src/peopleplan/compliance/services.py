"""Every write of compliance: requirements, credentials and their checks, exemptions, and the
rebuild of the achievements that the status engine reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from peopleplan.core.audit import audit_record
from peopleplan.core.rows import insert_rows
from peopleplan.learning.models import Completion

from . import rules
from .models import Achievement, Credential, CredentialType, Exemption, Requirement, StatusCheck

CHUNK = 2000  # people rebuilt at a time


class ComplianceError(ValueError):
    """Refused, with a message that names the field: `field` for forms to place it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _actor_user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- achievements ----------------------------------------------------------------------------


def achievements_refresh(
    *,
    person_ids: Iterable[int] | None = None,
    requirements: Iterable[Requirement] | None = None,
) -> int:
    """Rebuild the achievements of these people (everyone, when None) for these requirements
    (all, when None) from their verified completions and credentials, by `rules.periods` and
    `rules.credential_until`. Returns how many achievements there are now for them."""
    reqs = list(
        Requirement.objects.prefetch_related("items") if requirements is None else requirements
    )
    if not reqs:
        return 0
    by_item: dict[int, list[Requirement]] = defaultdict(list)
    by_type: dict[int, list[Requirement]] = defaultdict(list)
    for req in reqs:
        for item in req.items.all():
            by_item[item.pk].append(req)
        if req.credential_type_id:
            by_type[req.credential_type_id].append(req)
    with transaction.atomic():  # readers see the old achievements or the new, never none
        return _rebuild(reqs, by_item, by_type, person_ids)


def _rebuild(
    reqs: list[Requirement],
    by_item: dict[int, list[Requirement]],
    by_type: dict[int, list[Requirement]],
    person_ids: Iterable[int] | None,
) -> int:
    req_ids = [r.pk for r in reqs]
    if person_ids is None:
        # Everyone: start afresh, and rebuild only those with anything that counts.
        Achievement.objects.filter(requirement_id__in=req_ids).delete()
        people = set(
            Completion.objects.filter(item_id__in=list(by_item), status=Completion.Status.VERIFIED)
            .values_list("person_id", flat=True)
            .distinct()
        ) | set(
            Credential.objects.filter(type_id__in=list(by_type), status=Credential.Status.VERIFIED)
            .values_list("person_id", flat=True)
            .distinct()
        )
        clear_first = False
    else:
        people = set(person_ids)
        clear_first = True
    made = 0
    ordered = iter(sorted(people))
    while chunk := list(islice(ordered, CHUNK)):
        if clear_first:
            Achievement.objects.filter(requirement_id__in=req_ids, person_id__in=chunk).delete()
        rows = _achievements_of(chunk, by_item, by_type)
        made += insert_rows(Achievement, ACHIEVEMENT_FIELDS, rows)
    return made


# The columns `_achievements_of` gives, in order (written as plain rows: `core.rows`).
ACHIEVEMENT_FIELDS = (
    "requirement",
    "person",
    "achieved_on",
    "valid_until",
    "renewed_from",
    "held_until",
    "superseded_on",
    "label",
    "completion",
    "credential",
)


def _achievements_of(
    people: list[int],
    by_item: dict[int, list[Requirement]],
    by_type: dict[int, list[Requirement]],
) -> list[tuple]:
    """The achievements of these people, as rows of ACHIEVEMENT_FIELDS."""
    done: dict[tuple[int, Requirement], list[tuple[dt.date, str, int]]] = defaultdict(list)
    if by_item:
        for pk, person_id, item_id, on, title in (
            Completion.objects.filter(
                person_id__in=people, item_id__in=list(by_item), status=Completion.Status.VERIFIED
            )
            .order_by("completed_on", "pk")
            .values_list("pk", "person_id", "item_id", "completed_on", "item__title")
        ):
            for req in by_item[item_id]:
                done[(person_id, req)].append((on, title, pk))
    # (period, completion id, credential id): what each period came from
    held: dict[tuple[int, Requirement], list[tuple]] = defaultdict(list)
    for (person_id, req), completions in done.items():
        # `periods` keeps the order of completions on the same day, so they line up.
        got = rules.periods([(on, title) for on, title, _ in completions], req.rule)
        for period, (_, _, pk) in zip(got, completions, strict=True):
            held[(person_id, req)].append((period, pk, None))
    if by_type:
        for credential in (
            Credential.objects.filter(
                person_id__in=people, type_id__in=list(by_type), status=Credential.Status.VERIFIED
            )
            .select_related("type")
            .prefetch_related("checks")
        ):
            period = credential_period(credential)
            for req in by_type[credential.type_id]:
                held[(credential.person_id, req)].append((period, None, credential.pk))
    rows = []
    # By requirement and person, as the index: a requirement's rows then lie together on disk,
    # so counting it for a whole council reads a quarter of the pages.
    for (person_id, req), periods in sorted(held.items(), key=lambda kv: (kv[0][1].pk, kv[0][0])):
        periods.sort(key=lambda p: p[0].on)  # stable: completions keep their order
        so_far: dt.date | None = dt.date.min  # the running latest expiry; None: for ever
        for index, (period, completion_id, credential_id) in enumerate(periods):
            if so_far is not None:
                so_far = None if period.until is None else max(so_far, period.until)
            following = periods[index + 1][0].on if index + 1 < len(periods) else None
            rows.append(
                (
                    req.pk,
                    person_id,
                    period.on,
                    period.until,
                    period.renewed_from,
                    so_far,
                    following,
                    period.label[:200],
                    completion_id,
                    credential_id,
                )
            )
    return rows


def credential_period(credential: Credential) -> rules.Period:
    """The period a credential is valid for (its checks prefetched or not)."""
    checks = list(credential.checks.all())
    changed = [c.checked_on for c in checks if c.result == StatusCheck.Result.CHANGED]
    until = rules.credential_until(
        issued_on=credential.issued_on,
        expires_on=credential.expires_on,
        recheck_months=credential.type.recheck_months,
        # Only while subscribed does a clear status check stand for a new certificate.
        clear_checks=[
            c.checked_on
            for c in checks
            if c.result == StatusCheck.Result.CLEAR and credential.update_service
        ],
        changed_on=min(changed) if changed else None,
    )
    return rules.Period(credential.issued_on, until, credential.type.name, credential=True)


def refresh_people(person_ids: set[int]) -> None:
    """What learning calls when completions change (`learning.hooks`)."""
    achievements_refresh(person_ids=person_ids)


# --- credentials -----------------------------------------------------------------------------

CREDENTIAL_FIELDS = (
    "number",
    "issued_on",
    "expires_on",
    "dbs_level",
    "workforce",
    "update_service",
    "update_service_renews_on",
    "notes",
)


def _credential_snapshot(credential: Credential) -> dict:
    return {"type": credential.type.code, **{f: getattr(credential, f) for f in CREDENTIAL_FIELDS}}


def _check_credential(credential: Credential, *, today: dt.date) -> None:
    kind = credential.type.kind
    if credential.issued_on > today:
        raise ComplianceError("The issue date must be today or in the past.", "issued_on")
    if credential.expires_on and credential.expires_on < credential.issued_on:
        raise ComplianceError("The expiry date must be on or after the issue date.", "expires_on")
    if credential.type.expiry_required and credential.expires_on is None:
        raise ComplianceError(f"Enter the expiry date of the {credential.type.name}.", "expires_on")
    if kind == CredentialType.Kind.DBS:
        if not credential.dbs_level:
            raise ComplianceError("Choose the level of the DBS check.", "dbs_level")
        if not credential.workforce:
            raise ComplianceError("Choose the workforce the DBS check is for.", "workforce")
        if credential.number and not (credential.number.isdigit() and len(credential.number) == 12):
            raise ComplianceError("A DBS certificate number is 12 digits.", "number")
    elif credential.dbs_level or credential.workforce or credential.update_service:
        raise ComplianceError("Only a DBS check has a level, workforce or Update Service.")
    if credential.update_service_renews_on and not credential.update_service:
        raise ComplianceError(
            "A renewal date is only for a subscription to the Update Service.",
            "update_service_renews_on",
        )


@transaction.atomic
def credential_record(
    *,
    person,
    type: CredentialType,
    actor: Any,
    verified: bool = True,
    evidence: UploadedFile | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Credential:
    """HR record a credential (verified), or a person adds their own with evidence
    (`verified=False`), which counts once HR verify it."""
    now = now or timezone.now()
    unknown = set(fields) - set(CREDENTIAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown credential fields: {sorted(unknown)}")
    credential = Credential(
        person=person,
        type=type,
        status=Credential.Status.VERIFIED if verified else Credential.Status.PENDING,
        created_by=_actor_user(actor),
        verified_by=_actor_user(actor) if verified else None,
        verified_at=now if verified else None,
        **fields,
    )
    credential.number = (credential.number or "").strip()
    _check_credential(credential, today=timezone.localdate(now))
    if not verified and evidence is None:
        raise ComplianceError("Upload the certificate or other evidence.", "evidence")
    if evidence is not None:
        credential.evidence.save(evidence.name, evidence, save=False)
    credential.save()
    audit_record(
        actor=actor,
        action="create",
        object_type="compliance.credential",
        object_id=credential.pk,
        object_label=f"{person.full_name}: {type.name}",
        summary="Credential recorded" if verified else "Credential added, waiting for HR",
        after=_credential_snapshot(credential),
    )
    achievements_refresh(person_ids={person.pk})
    return credential


@transaction.atomic
def credential_update(
    *, credential: Credential, actor: Any, now: dt.datetime | None = None, **fields: Any
) -> Credential:
    now = now or timezone.now()
    credential = Credential.objects.select_for_update().select_related("type").get(pk=credential.pk)
    before = _credential_snapshot(credential)
    for name, value in fields.items():
        if name not in CREDENTIAL_FIELDS:
            raise TypeError(f"Unknown credential field: {name}")
        setattr(credential, name, value)
    _check_credential(credential, today=timezone.localdate(now))
    credential.save()
    audit_record(
        actor=actor,
        action="update",
        object_type="compliance.credential",
        object_id=credential.pk,
        object_label=str(credential),
        before=before,
        after=_credential_snapshot(credential),
    )
    achievements_refresh(person_ids={credential.person_id})
    return credential


@transaction.atomic
def credential_verify(
    *,
    credential: Credential,
    approve: bool,
    actor: Any,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Credential:
    """HR verify (or not, with the reason) a credential a person added."""
    now = now or timezone.now()
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.status != Credential.Status.PENDING:
        raise ComplianceError("This credential is not waiting for verification.")
    if getattr(actor, "person_id", None) and actor.person_id == credential.person_id:
        raise ComplianceError("You cannot verify your own credential.")
    reason = reason.strip()
    if not approve and not reason:
        raise ComplianceError("Give a reason for not verifying it.", "reason")
    credential.status = Credential.Status.VERIFIED if approve else Credential.Status.REJECTED
    credential.rejected_reason = "" if approve else reason
    credential.verified_by = _actor_user(actor)
    credential.verified_at = now
    credential.save(update_fields=["status", "rejected_reason", "verified_by", "verified_at"])
    audit_record(
        actor=actor,
        action="verify" if approve else "reject",
        object_type="compliance.credential",
        object_id=credential.pk,
        object_label=str(credential),
        summary="Verified" if approve else f"Not verified: {reason}",
    )
    achievements_refresh(person_ids={credential.person_id})
    return credential


@transaction.atomic
def status_check_record(
    *,
    credential: Credential,
    checked_on: dt.date,
    result: str,
    actor: Any,
    notes: str = "",
    now: dt.datetime | None = None,
) -> StatusCheck:
    """A status check of a DBS certificate on the Update Service."""
    now = now or timezone.now()
    credential = Credential.objects.select_related("type").get(pk=credential.pk)
    if credential.type.kind != CredentialType.Kind.DBS:
        raise ComplianceError("Only a DBS check has status checks.")
    if not credential.update_service:
        raise ComplianceError("This DBS check is not subscribed to the Update Service.")
    if result not in StatusCheck.Result.values:
        raise ComplianceError("Choose what the status check found.", "result")
    if checked_on > timezone.localdate(now) or checked_on < credential.issued_on:
        raise ComplianceError(
            "The check must be dated between the issue of the certificate and today.",
            "checked_on",
        )
    check = StatusCheck.objects.create(
        credential=credential,
        checked_on=checked_on,
        result=result,
        notes=notes,
        checked_by=_actor_user(actor),
    )
    audit_record(
        actor=actor,
        action="status_check",
        object_type="compliance.credential",
        object_id=credential.pk,
        object_label=str(credential),
        summary=f"Update Service status check on {checked_on}: {check.get_result_display()}",
    )
    achievements_refresh(person_ids={credential.person_id})
    return check


# --- exemptions ------------------------------------------------------------------------------


@transaction.atomic
def exemption_grant(
    *,
    person,
    requirement: Requirement,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: Any,
) -> Exemption:
    """HR excuse a person from a requirement, with a reason, until an end date."""
    reason = reason.strip()
    if not reason:
        raise ComplianceError("Give the reason for the exemption.", "reason")
    if ends_on < starts_on:
        raise ComplianceError("The end date must be on or after the start date.", "ends_on")
    overlapping = Exemption.objects.filter(
        person=person, requirement=requirement, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if overlapping is not None:
        raise ComplianceError(
            f"{person.full_name} is already exempt from {requirement.name} from "
            f"{overlapping.starts_on:%d %B %Y} to {overlapping.ends_on:%d %B %Y}.",
            "starts_on",
        )
    exemption = Exemption.objects.create(
        person=person,
        requirement=requirement,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=_actor_user(actor),
    )
    audit_record(
        actor=actor,
        action="exempt",
        object_type="compliance.exemption",
        object_id=exemption.pk,
        object_label=f"{person.full_name}: {requirement.name}",
        after={"reason": reason, "starts_on": starts_on, "ends_on": ends_on},
    )
    return exemption


@transaction.atomic
def exemption_end(*, exemption: Exemption, on: dt.date, actor: Any) -> Exemption:
    """End an exemption early (the last day it covers is `on`)."""
    exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
    if on < exemption.starts_on or on >= exemption.ends_on:
        raise ComplianceError(
            "The new end date must be within the exemption and before its end.", "ends_on"
        )
    before = {"ends_on": exemption.ends_on}
    exemption.ends_on = on
    exemption.save(update_fields=["ends_on"])
    audit_record(
        actor=actor,
        action="update",
        object_type="compliance.exemption",
        object_id=exemption.pk,
        object_label=str(exemption),
        summary="Exemption ended early",
        before=before,
        after={"ends_on": on},
    )
    return exemption


# --- requirements ----------------------------------------------------------------------------

REQUIREMENT_FIELDS = (
    "name",
    "description",
    "validity_months",
    "window_days",
    "renew_from",
    "grace_days",
    "applies_from",
    "escalate_after_days",
    "is_active",
)
# Changing any of these changes the periods people hold: their achievements are rebuilt.
PERIOD_FIELDS = {"validity_months", "window_days", "renew_from", "items", "credential_type"}


def _requirement_snapshot(req: Requirement) -> dict:
    return {
        "code": req.code,
        "audience": req.audience.code,
        "items": sorted(i.code for i in req.items.all()) if req.pk else [],
        "credential_type": req.credential_type.code if req.credential_type else "",
        **{f: getattr(req, f) for f in REQUIREMENT_FIELDS},
    }


def _check_requirement(req: Requirement, items: list) -> None:
    if not req.code.strip():
        raise ComplianceError("Enter a code.", "code")
    if Requirement.objects.filter(code=req.code).exclude(pk=req.pk).exists():
        raise ComplianceError(f"There is already a requirement with code {req.code}.", "code")
    if not req.name.strip():
        raise ComplianceError("Enter a name.", "name")
    if not items and req.credential_type is None:
        raise ComplianceError(
            "Choose the learning that meets it, or the credential that does.", "items"
        )
    if req.renew_from not in Requirement.RenewFrom.values:
        raise ComplianceError("Choose what a renewal runs from.", "renew_from")
    if req.validity_months is not None and not 1 <= req.validity_months <= 600:
        raise ComplianceError("How long it lasts must be from 1 to 600 months.", "validity_months")
    if req.validity_months is not None and req.window_days > req.validity_months * 28:
        raise ComplianceError(
            "The renewal window must be shorter than the time it lasts.", "window_days"
        )
    if req.grace_days > 3650:
        raise ComplianceError("The grace period must be 10 years or less.", "grace_days")


@transaction.atomic
def requirement_create(
    *,
    actor: Any,
    code: str,
    name: str,
    audience,
    items: Iterable = (),
    credential_type: CredentialType | None = None,
    **fields: Any,
) -> Requirement:
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown requirement fields: {sorted(unknown)}")
    items = list(items)
    req = Requirement(
        code=code.strip(), name=name.strip(), audience=audience, credential_type=credential_type
    )
    for field, value in fields.items():
        setattr(req, field, value)
    _check_requirement(req, items)
    req.save()
    req.items.set(items)
    audit_record(
        actor=actor,
        action="create",
        object_type="compliance.requirement",
        object_id=req.pk,
        object_label=req.name,
        after=_requirement_snapshot(req),
    )
    achievements_refresh(requirements=[req])
    return req


_UNCHANGED: Any = object()


@transaction.atomic
def requirement_update(
    *,
    requirement: Requirement,
    actor: Any,
    audience=None,
    items: Iterable | None = None,
    credential_type: Any = _UNCHANGED,
    **fields: Any,
) -> Requirement:
    """Change a requirement; when what meets it or how long it lasts changes, everyone's
    achievements of it are rebuilt in the same transaction."""
    req = Requirement.objects.select_for_update().get(pk=requirement.pk)
    before = _requirement_snapshot(req)
    changed: set[str] = set()
    for field, value in fields.items():
        if field not in REQUIREMENT_FIELDS:
            raise TypeError(f"Unknown requirement field: {field}")
        if getattr(req, field) != value:
            setattr(req, field, value)
            changed.add(field)
    if audience is not None:
        req.audience = audience
    if credential_type is not _UNCHANGED and credential_type != req.credential_type:
        req.credential_type = credential_type
        changed.add("credential_type")
    new_items = list(items) if items is not None else list(req.items.all())
    if items is not None and {i.pk for i in new_items} != {i.pk for i in req.items.all()}:
        changed.add("items")
    _check_requirement(req, new_items)
    req.save()
    if items is not None:
        req.items.set(new_items)
    after = _requirement_snapshot(req)
    if after != before:
        audit_record(
            actor=actor,
            action="update",
            object_type="compliance.requirement",
            object_id=req.pk,
            object_label=req.name,
            before=before,
            after=after,
        )
    if changed & PERIOD_FIELDS:
        achievements_refresh(requirements=[Requirement.objects.get(pk=req.pk)])
    return req


def requirement_check(req: Requirement, items: list) -> None:
    """Refuse a requirement as `requirement_create` and `requirement_update` would (for forms
    that check before they save, such as the Django admin's)."""
    _check_requirement(req, items)


# --- credential types ------------------------------------------------------------------------

CREDENTIAL_TYPE_FIELDS = ("code", "name", "kind", "body", "recheck_months", "expiry_required")


def _credential_type_snapshot(kind: CredentialType) -> dict:
    return {f: getattr(kind, f) for f in CREDENTIAL_TYPE_FIELDS}


def credential_type_check(kind: CredentialType) -> None:
    if not kind.code.strip():
        raise ComplianceError("Enter a code.", "code")
    if CredentialType.objects.filter(code=kind.code).exclude(pk=kind.pk).exists():
        raise ComplianceError(f"There is already a credential type with code {kind.code}.", "code")
    if not kind.name.strip():
        raise ComplianceError("Enter a name.", "name")
    if kind.kind not in CredentialType.Kind.values:
        raise ComplianceError("Choose what kind of credential it is.", "kind")
    if kind.recheck_months is not None and not 1 <= kind.recheck_months <= 600:
        raise ComplianceError("The re-check period must be from 1 to 600 months.", "recheck_months")


@transaction.atomic
def credential_type_create(*, actor: Any, **fields: Any) -> CredentialType:
    unknown = set(fields) - set(CREDENTIAL_TYPE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown credential type fields: {sorted(unknown)}")
    kind = CredentialType(**fields)
    kind.code = kind.code.strip()
    kind.name = kind.name.strip()
    credential_type_check(kind)
    kind.save()
    audit_record(
        actor=actor,
        action="create",
        object_type="compliance.credentialtype",
        object_id=kind.pk,
        object_label=kind.name,
        after=_credential_type_snapshot(kind),
    )
    return kind


@transaction.atomic
def credential_type_update(*, credential_type: CredentialType, actor: Any, **fields: Any):
    """Change a credential type; a new re-check period rebuilds the achievements of the
    requirements it meets."""
    kind = CredentialType.objects.select_for_update().get(pk=credential_type.pk)
    before = _credential_type_snapshot(kind)
    for field, value in fields.items():
        if field not in CREDENTIAL_TYPE_FIELDS:
            raise TypeError(f"Unknown credential type field: {field}")
        setattr(kind, field, value.strip() if field in ("code", "name") else value)
    credential_type_check(kind)
    kind.save()
    after = _credential_type_snapshot(kind)
    if after != before:
        audit_record(
            actor=actor,
            action="update",
            object_type="compliance.credentialtype",
            object_id=kind.pk,
            object_label=kind.name,
            before=before,
            after=after,
        )
    if after["recheck_months"] != before["recheck_months"]:
        reqs = list(Requirement.objects.filter(credential_type=kind).prefetch_related("items"))
        if reqs:
            achievements_refresh(requirements=reqs)
    return kind
