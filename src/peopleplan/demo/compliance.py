"""The demo council's compliance: credential types, the council's requirements on the demo
audiences (applying from the start of the plan's history, five years unless asked for more or
fewer), completions of their items since then for the people in post, credentials (DBS checks,
Social Work England registrations, first aid certificates), a few exemptions, and then the
achievements rebuilt once.

Written after the learning (`generator._write`), reading back what it needs (audience members
and when they joined, item ids, the demo logins' own completions) in a few queries. The picture
is drawn per person and requirement: most compliant (renewed every period, mostly inside the
renewal window), some due soon, some expired (lapsed), some never done (overdue once past
their grace period). The same seed and as-of date give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Min
from django.utils import timezone

from peopleplan.compliance.models import (
    Credential,
    CredentialType,
    Exemption,
    Requirement,
    StatusCheck,
)
from peopleplan.compliance.services import achievements_refresh
from peopleplan.core.dates import add_months
from peopleplan.demo.records import CouncilPlan
from peopleplan.learning.models import Completion, LearningItem
from peopleplan.org import audiences
from peopleplan.org.models import Assignment, Audience, JobRole

DAY = dt.timedelta(days=1)

# (code, name, kind, body, recheck months, expiry required)
CREDENTIAL_TYPES = (
    (
        "dbs-enhanced",
        "Enhanced DBS check",
        CredentialType.Kind.DBS,
        "Disclosure and Barring Service",
        36,
        False,
    ),
    (
        "swe",
        "Social Work England registration",
        CredentialType.Kind.REGISTRATION,
        "Social Work England",
        None,
        True,
    ),
    ("first-aid", "First aid at work certificate", CredentialType.Kind.CERTIFICATE, "", 36, False),
)


@dataclass(frozen=True)
class RequirementSpec:
    code: str
    name: str
    audience: str
    item: str = ""  # a catalogue item's code, or
    months: int | None = 36  # None: once only
    grace: int = 90
    window: int = 90
    credential: str = ""  # a credential type's code


REQUIREMENTS: tuple[RequirementSpec, ...] = (
    RequirementSpec("induction", "Corporate e-induction", "everyone", "EL-IND", None, grace=14),
    RequirementSpec(
        "info-governance", "Information governance", "everyone", "EL-DPA", 12, window=60
    ),
    RequirementSpec("equality", "Equality and diversity", "everyone", "EL-EDI"),
    RequirementSpec("health-safety", "Health and safety", "everyone", "EL-HSA"),
    RequirementSpec("safeguarding-adults-1", "Safeguarding adults level 1", "everyone", "EL-SGA"),
    RequirementSpec("prevent", "Prevent awareness", "everyone", "EL-PRE"),
    RequirementSpec(
        "safeguarding-children-1", "Safeguarding children level 1", "childrens-services", "EL-SGC"
    ),
    RequirementSpec(
        "safeguarding-children-2", "Safeguarding children level 2", "works-with-children", "SG-C2"
    ),
    RequirementSpec(
        "safeguarding-children-3", "Safeguarding children level 3", "social-workers", "SG-C3"
    ),
    RequirementSpec("domestic-abuse", "Domestic abuse awareness", "childrens-services", "EL-DA"),
    RequirementSpec(
        "management-standard",
        "The Northbridge management standard",
        "managers",
        "MG-LEAD",
        None,
        grace=180,
    ),
    RequirementSpec(
        "managing-attendance", "Managing attendance", "managers", "MG-ATT", None, grace=180
    ),
    RequirementSpec("risk-assessment", "Risk assessment for managers", "managers", "HS-RISK"),
    RequirementSpec("safer-recruitment", "Safer recruitment", "managers", "MG-REC"),
    RequirementSpec("mental-capacity", "Mental Capacity Act", "social-workers", "EL-MCA", 24),
    RequirementSpec("lone-working", "Lone working", "social-workers", "EL-LONE"),
    RequirementSpec("recording", "Recording in social care", "social-workers", "EL-RECORD", None),
    RequirementSpec("dbs", "Enhanced DBS check", "works-with-children", credential="dbs-enhanced"),
    RequirementSpec("swe", "Social Work England registration", "social-workers", credential="swe"),
)

# The share of people per requirement: compliant, then due soon, expired, and never done.
COMPLIANT, DUE, EXPIRED, NEVER = "compliant", "due", "expired", "never"
SHARES = ((COMPLIANT, 0.80), (DUE, 0.07), (EXPIRED, 0.07), (NEVER, 0.06))
EXEMPT_REASONS = (
    "On long-term sick leave: to complete on return",
    "On maternity leave until the new year",
    "Completed the equivalent with a previous employer; certificate seen",
    "Reasonable adjustment agreed: a face-to-face session being arranged",
)


def _draw(rng: random.Random) -> str:
    roll = rng.random()
    for profile, share in SHARES:
        if roll < share:
            return profile
        roll -= share
    return NEVER


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def compliance_write(
    plan: CouncilPlan,
    *,
    person_ids: list[int],
    user_ids: dict[str, int],
    create: Callable,
    insert: Callable,
) -> dict[str, int]:
    """Write the compliance data and rebuild the achievements once."""
    rng = random.Random(f"compliance-{plan.seed}")
    as_of = plan.as_of
    last = as_of - DAY  # the build's moment is the day before the as-of date
    # The requirements apply from the start of the history, and the completions go back to it.
    start = plan.history_start
    type_ids = dict(
        zip(
            (c[0] for c in CREDENTIAL_TYPES),
            create(
                CredentialType,
                (
                    CredentialType(
                        code=code,
                        name=name,
                        kind=kind,
                        body=body,
                        recheck_months=months,
                        expiry_required=expiry,
                    )
                    for code, name, kind, body, months, expiry in CREDENTIAL_TYPES
                ),
            ),
            strict=True,
        )
    )
    audience_by_code = {a.code: a for a in Audience.objects.all()}
    items = {
        i["code"]: i
        for i in LearningItem.objects.filter(
            code__in=[r.item for r in REQUIREMENTS if r.item]
        ).values("pk", "code", "kind", "duration_hours", "development_days")
    }
    reqs = [
        Requirement(
            code=spec.code,
            name=spec.name,
            audience=audience_by_code[spec.audience],
            credential_type_id=type_ids[spec.credential] if spec.credential else None,
            validity_months=spec.months if spec.item else None,
            window_days=spec.window,
            grace_days=spec.grace,
            applies_from=start,
        )
        for spec in REQUIREMENTS
    ]
    create(Requirement, reqs)
    create(
        Requirement.items.through,
        (
            Requirement.items.through(requirement_id=req.pk, learningitem_id=items[spec.item]["pk"])
            for req, spec in zip(reqs, REQUIREMENTS, strict=True)
            if spec.item
        ),
    )

    # Who is in each audience today, and since when (one query each way per audience).
    used = {spec.audience for spec in REQUIREMENTS}
    joined: dict[str, dict[int, dt.date]] = {}
    for code in sorted(used):
        audience = audience_by_code[code]
        members = set(
            Assignment.objects.filter(audiences.assignment_q(audience, as_of)).values_list(
                "person_id", flat=True
            )
        )
        since = dict(
            Assignment.objects.filter(audiences.assignment_q(audience, as_of, current=False))
            .values("person_id")
            .annotate(first=Min("start_date"))
            .order_by()
            .values_list("person_id", "first")
        )
        joined[code] = {p: since[p] for p in sorted(members)}

    # The demo logins are given a picture to look at: the learner one item due soon and one
    # overdue, three of the manager's team each one thing to act on.
    forced: dict[tuple[int, str], str] = {}
    learner = person_ids[plan.logins["learner"]] if "learner" in plan.logins else None
    manager = person_ids[plan.logins["manager"]] if "manager" in plan.logins else None
    team = (
        sorted(
            set(
                Assignment.objects.filter(line_manager_id=manager, start_date__lte=as_of)
                .exclude(end_date__lt=as_of)
                .exclude(person_id=learner)
                .values_list("person_id", flat=True)
            )
        )[:3]
        if manager
        else []
    )
    watched = [p for p in (learner, *team) if p is not None]
    done_items: dict[int, set[int]] = defaultdict(set)
    for person, item in Completion.objects.filter(person_id__in=watched).values_list(
        "person_id", "item_id"
    ):
        done_items[person].add(item)

    def free(person: int, *, once: bool | None = None) -> list[RequirementSpec]:
        """The person's item requirements with no completion of their item yet."""
        return [
            s
            for s in REQUIREMENTS
            if s.item
            and person in joined[s.audience]
            and items[s.item]["pk"] not in done_items[person]
            and joined[s.audience][person] < as_of - dt.timedelta(days=s.grace + 30)
            and (once is None or (s.months is None) == once)
        ]

    if learner is not None:
        for spec in REQUIREMENTS:
            if learner in joined[spec.audience]:
                forced[(learner, spec.code)] = COMPLIANT
        choices = free(learner, once=False)
        if len(choices) >= 2:
            forced[(learner, choices[0].code)] = DUE
            forced[(learner, choices[-1].code)] = NEVER
    for person, profile in zip(team, (DUE, NEVER, EXPIRED), strict=False):
        choices = free(person, once=False)
        if choices:
            forced[(person, choices[0].code)] = profile

    # Completions of the requirements' items, back to the start of the history.
    tz = timezone.get_default_timezone()
    moments: dict[dt.date, dt.datetime] = {}

    def moment(day: dt.date) -> dt.datetime:
        if day not in moments:
            local = dt.datetime.combine(day, dt.time(17), tzinfo=tz)
            moments[day] = local.astimezone(dt.UTC)
        return moments[day]

    def completion_days(spec: RequirementSpec, since: dt.date, profile: str) -> list[dt.date]:
        if profile == NEVER or since > last:
            return []
        if spec.months is None:  # once only: soon after joining (or in the first year)
            day = max(since, start) + dt.timedelta(days=rng.randrange(max(1, spec.grace)))
            if profile == DUE and since > last - dt.timedelta(days=spec.grace):
                return []  # a new starter still in their grace period
            return [day] if day <= last else []
        expiry_from, expiry_to = {
            COMPLIANT: (as_of + dt.timedelta(days=spec.window + 1), None),
            DUE: (as_of + dt.timedelta(days=7), as_of + dt.timedelta(days=spec.window)),
            EXPIRED: (as_of - dt.timedelta(days=400), as_of - dt.timedelta(days=14)),
        }[profile]
        first = add_months(expiry_from, -spec.months)
        latest = _day_between(
            rng, first, add_months(expiry_to, -spec.months) if expiry_to else last
        )
        if latest < since:
            # Joined since: done after joining, or not yet (in their grace period or overdue).
            if rng.random() < 0.3 or since > last:
                return []
            latest = _day_between(rng, since, min(last, since + dt.timedelta(days=spec.grace)))
        days = [min(latest, last)]
        earlier = latest
        while True:
            earlier = add_months(earlier, -spec.months) - dt.timedelta(days=rng.randrange(45))
            if earlier < max(since, start):
                break
            days.append(earlier)
        return days

    fields = (
        "person", "item", "title", "completed_on", "hours", "development_days", "result",
        "learning_notes", "source", "booking", "evidence", "status", "rejected_reason",
        "verified_by", "verified_at", "created_by", "created_at",
    )  # fmt: skip

    # The learning already holds some of these items' completions: one a person and day.
    taken = set(
        Completion.objects.filter(item_id__in=[i["pk"] for i in items.values()]).values_list(
            "person_id", "item_id", "completed_on"
        )
    )

    def completion_rows():
        for spec in REQUIREMENTS:
            if not spec.item:
                continue
            item = items[spec.item]
            source = (
                Completion.Source.ELEARNING.value
                if item["kind"] == LearningItem.Kind.ELEARNING
                else Completion.Source.IMPORT.value
            )
            for person, since in joined[spec.audience].items():
                profile = forced.get((person, spec.code)) or _draw(rng)
                for day in completion_days(spec, since, profile):
                    if (person, item["pk"], day) in taken:
                        continue
                    yield (
                        person, item["pk"], "", day, item["duration_hours"],
                        item["development_days"], "", "", source, None, "",
                        Completion.Status.VERIFIED.value, "", None, None, None, moment(day),
                    )  # fmt: skip

    completions = insert(Completion, fields, completion_rows())

    # Credentials: DBS checks for those who work with children, registrations for social
    # workers, first aid certificates for some.
    credentials: list[Credential] = []
    clear_checks: list[tuple[int, dt.date]] = []  # (index in credentials, day)
    dbs_type, swe_type, aid_type = (type_ids[c[0]] for c in CREDENTIAL_TYPES)
    for person in joined["works-with-children"]:
        profile = forced.get((person, "dbs")) or _draw(rng)
        update_service = rng.random() < 0.35
        if profile == COMPLIANT and update_service:
            issued = _day_between(rng, start, last - dt.timedelta(days=400))
            check = _day_between(rng, last - dt.timedelta(days=300), last)
        else:
            check = None
            window = {
                COMPLIANT: (add_months(as_of, -36) + dt.timedelta(days=91), last),
                DUE: (add_months(as_of, -36) + dt.timedelta(days=7), add_months(as_of, -33)),
            }.get(
                profile,
                (add_months(as_of, -36) - dt.timedelta(days=300), add_months(as_of, -36) - DAY),
            )
            issued = _day_between(rng, *window)
            update_service = False
        renews = None
        if update_service:
            renews = (
                issued.replace(year=as_of.year) if (issued.month, issued.day) != (2, 29) else None
            )
            if renews is not None and renews < as_of:
                renews = renews.replace(year=as_of.year + 1)
        if check is not None:
            clear_checks.append((len(credentials), check))
        credentials.append(
            Credential(
                person_id=person, type_id=dbs_type, number=f"00{rng.randrange(10**10):010d}",
                issued_on=issued, dbs_level=JobRole.DbsLevel.ENHANCED_BARRED,
                workforce=Credential.Workforce.CHILD, update_service=update_service,
                update_service_renews_on=renews,
            )
        )  # fmt: skip
    for person in joined["social-workers"]:
        profile = forced.get((person, "swe")) or _draw(rng)
        expires = {
            COMPLIANT: _day_between(
                rng, as_of + dt.timedelta(days=91), as_of + dt.timedelta(days=365)
            ),
            DUE: _day_between(rng, as_of + dt.timedelta(days=7), as_of + dt.timedelta(days=90)),
        }.get(profile) or _day_between(rng, as_of - dt.timedelta(days=200), as_of - DAY)
        credentials.append(
            Credential(
                person_id=person, type_id=swe_type, number=f"SW{rng.randrange(10**5, 10**6)}",
                issued_on=add_months(expires, -12) + DAY, expires_on=expires,
            )
        )  # fmt: skip
    for person in joined["everyone"]:
        if rng.random() < 0.02:
            issued = _day_between(rng, add_months(as_of, -40), last)
            credentials.append(
                Credential(
                    person_id=person, type_id=aid_type, number=f"FAW-{rng.randrange(10**6):06d}",
                    issued_on=issued, expires_on=add_months(issued, 36) - DAY,
                )
            )  # fmt: skip
    create(Credential, credentials)
    checks = create(
        StatusCheck,
        (
            StatusCheck(
                credential_id=credentials[index].pk,
                checked_on=day,
                result=StatusCheck.Result.CLEAR,
                notes="Checked on the Update Service at the yearly review.",
            )
            for index, day in clear_checks
        ),
    )

    # What the HR login has to verify: the learner's renewed registration, added by them.
    pending = 0
    if learner is not None and learner in joined["social-workers"]:
        held = next(c for c in credentials if c.person_id == learner and c.type_id == swe_type)
        renewal = Credential.objects.create(
            person_id=learner,
            type_id=swe_type,
            number=held.number,
            issued_on=last,
            expires_on=add_months(held.expires_on, 12),
            status=Credential.Status.PENDING,
            notes="My renewal came through: the confirmation email from Social Work England.",
            created_by_id=user_ids.get("learner"),
        )
        renewal.evidence.save(
            "swe-renewal-confirmation.txt",
            ContentFile(
                f"Social Work England\nRegistration {held.number} renewed until "
                f"{renewal.expires_on:%d %B %Y}.\n".encode()
            ),
        )
        pending = 1

    # A handful of exemptions.
    exempt_pool = [
        (p, s) for s in REQUIREMENTS if s.item for p in joined[s.audience] if p not in watched
    ]
    exemptions = create(
        Exemption,
        (
            Exemption(
                person_id=person, requirement_id=reqs[REQUIREMENTS.index(spec)].pk,
                reason=rng.choice(EXEMPT_REASONS),
                starts_on=last - dt.timedelta(days=rng.randrange(120)),
                ends_on=as_of + dt.timedelta(days=30 + rng.randrange(150)),
            )
            for person, spec in sorted(
                rng.sample(exempt_pool, min(len(exempt_pool), 5 + plan.people // 5000)),
                key=lambda p: (p[0], p[1].code),
            )
        ),
    )  # fmt: skip
    achievements = achievements_refresh()
    return {
        "credential types": len(type_ids),
        "requirements": len(reqs),
        "compliance completions": completions,
        "credentials": len(credentials) + pending,
        "status checks": len(checks),
        "exemptions": len(exemptions),
        "achievements": achievements,
    }
