"""What a requirement would mean today, before it is saved: who is in its audience (how many,
by directorate, a sample of names) and how many of them would be compliant, due soon,
overdue or expired with these dates, worked out by `rules` from the people's verified
completions of the chosen learning and their verified credentials of the chosen type, as the
requirement would count them once saved (exemptions of a saved requirement included).

A fixed number of queries whatever the size of the audience: the members with the day each
joined it, their completions, their credentials with their status checks, and exemptions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from peopleplan.compliance import rules
from peopleplan.compliance.models import Credential, CredentialType, Exemption, Requirement
from peopleplan.compliance.rules import SEVERITY, StatusCode
from peopleplan.compliance.services import credential_period
from peopleplan.learning.models import Completion, LearningItem
from peopleplan.org import audiences
from peopleplan.org.models import Audience, Person

# The statuses a preview counts, worst first (not required is never one: everyone is in).
SHOWN = [c for c in SEVERITY if c != StatusCode.NOT_REQUIRED]


@dataclass
class RequirementPreview:
    audience: audiences.Preview
    statuses: list[tuple[StatusCode, int]]  # worst first, every status shown even when 0

    @property
    def count(self) -> int:
        return self.audience.count


def status_counts(
    *,
    audience: Audience,
    rule: rules.Rule,
    items: list[LearningItem],
    credential_type: CredentialType | None,
    on: dt.date,
    requirement: Requirement | None = None,
) -> Counter:
    """How many of the audience's members on the day would have each status."""
    members = audiences.members(audience, on)
    joined = dict(
        members.annotate(joined=audiences.joined_on(audience, on)).values_list("pk", "joined")
    )
    done: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    if items:
        for person_id, on_day, title in (
            Completion.objects.filter(
                person__in=members,
                item__in=items,
                status=Completion.Status.VERIFIED,
                completed_on__lte=on,
            )
            .order_by("completed_on", "pk")
            .values_list("person_id", "completed_on", "item__title")
        ):
            done[person_id].append((on_day, title))
    held: dict[int, list[rules.Period]] = {
        person_id: rules.periods(completions, rule) for person_id, completions in done.items()
    }
    if credential_type is not None:
        for credential in (
            Credential.objects.filter(
                person__in=members, type=credential_type, status=Credential.Status.VERIFIED
            )
            .select_related("type")
            .prefetch_related("checks")
        ):
            held.setdefault(credential.person_id, []).append(credential_period(credential))
    exempt: dict[int, rules.Exemption] = {}
    if requirement is not None and requirement.pk:
        exempt = {
            e.person_id: rules.Exemption(e.reason, e.ends_on)
            for e in Exemption.objects.filter(
                requirement=requirement, starts_on__lte=on, ends_on__gte=on, person__in=members
            )
        }
    counts: Counter = Counter()
    for person_id, joined_on in joined.items():
        got = rules.status(
            as_of=on,
            rule=rule,
            member=True,
            joined_on=joined_on,
            held=held.get(person_id, ()),
            exemption=exempt.get(person_id),
        )
        counts[got.code] += 1
    return counts


def requirement_preview(
    *,
    audience: Audience,
    rule: rules.Rule,
    items: list[LearningItem],
    credential_type: CredentialType | None,
    on: dt.date,
    visible: QuerySet[Person] | None,
    requirement: Requirement | None = None,
) -> RequirementPreview:
    """Who is in (`audiences.audience_preview`: the names among `visible`) and the statuses."""
    counts = status_counts(
        audience=audience,
        rule=rule,
        items=items,
        credential_type=credential_type,
        on=on,
        requirement=requirement,
    )
    return RequirementPreview(
        audience=audiences.audience_preview(audience, on, visible),
        statuses=[(code, counts.get(code, 0)) for code in SHOWN],
    )
