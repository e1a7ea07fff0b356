"""The status engine: each person's status for each requirement, as of any date, computed from
the data (their assignments for the audience, their achievements, their exemptions), never
stored.

Two ways in, which agree (a test holds them to it):

- `statuses` for a few people at a time (a person, a team): it reads the facts in a fixed
  number of queries and gives each pair to `rules.status`, which also writes the reason.
- `status_counts` for a whole council at once: the same decision as a SQL CASE
  (`status_case`), worked out in the database for every qualifying job and counted by unit
  and status: one query per audience, for all the requirements that share it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    FilteredRelation,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)

from peopleplan.learning import hooks
from peopleplan.org import audiences
from peopleplan.org.models import Assignment, Person

from . import rules
from .models import Achievement, Exemption, Requirement
from .rules import StatusCode


def requirements_in_force() -> list[Requirement]:
    """The active requirements, their items, and their audiences resolved (a few queries in
    all, however many requirements)."""
    reqs = list(
        Requirement.objects.filter(is_active=True)
        .select_related("audience", "credential_type")
        .prefetch_related("items")
    )
    audiences.prepare([r.audience for r in reqs])
    return reqs


def statuses(
    *, person_ids: Iterable[int], requirements: list[Requirement], as_of: dt.date
) -> dict[tuple[int, int], rules.Status]:
    """(person id, requirement id) -> status, for a few people: a fixed number of queries
    whatever their number."""
    ids = list(person_ids)
    if not ids or not requirements:
        return {}
    facts = _audience_facts(ids, requirements, as_of)
    held: dict[tuple[int, int], list[rules.Period]] = defaultdict(list)
    for a in Achievement.objects.filter(
        person_id__in=ids, requirement__in=requirements, achieved_on__lte=as_of
    ):
        held[(a.person_id, a.requirement_id)].append(a.period)
    exempt = {
        (e.person_id, e.requirement_id): rules.Exemption(e.reason, e.ends_on)
        for e in Exemption.objects.filter(
            person_id__in=ids,
            requirement__in=requirements,
            starts_on__lte=as_of,
            ends_on__gte=as_of,
        )
    }
    out = {}
    kept = [(req, req.rule) for req in requirements]  # each rule made once, not per person
    for pk in Person.objects.filter(pk__in=ids).values_list("pk", flat=True):
        row = facts.get(pk, {})
        for req, rule in kept:
            key = (pk, req.pk)
            out[key] = rules.status(
                as_of=as_of,
                rule=rule,
                member=bool(row.get(f"m{req.audience_id}")),
                joined_on=row.get(f"j{req.audience_id}"),
                held=held.get(key, ()),
                exemption=exempt.get(key),
            )
    return out


def _audience_facts(
    ids: list[int], requirements: list[Requirement], as_of: dt.date
) -> dict[int, dict[str, object]]:
    """For each of these people, for each audience of the requirements: whether they are in it
    on the day (`m<audience id>`: how many qualifying assignments are current) and the day
    they first joined it (`j<audience id>`, as `audiences.joined_on`). One query over these
    people's own assignments, each audience's rules as an aggregate's filter (as
    `audiences.member_counts` does), so its cost follows the number of people asked about,
    not the size of each audience."""
    never = Q(pk__in=[])
    aggregates: dict[str, object] = {}
    for audience in {req.audience_id: req.audience for req in requirements}.values():
        current = audiences.assignment_q(audience, as_of)
        started = audiences.assignment_q(audience, as_of, current=False)
        if current != never:
            aggregates[f"m{audience.pk}"] = Count("pk", filter=current)
        if started != never:
            aggregates[f"j{audience.pk}"] = Min("start_date", filter=started)
    if not aggregates:
        return {}
    rows = (
        Assignment.objects.filter(person_id__in=ids, start_date__lte=as_of)
        .values("person_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("person_id"): row for row in rows}


def _in_force(prefix: str, req: Requirement, as_of: dt.date) -> Q:
    """The achievement in force on the day: the latest that had started by then."""
    return Q(
        **{
            f"{prefix}__requirement": req,
            f"{prefix}__achieved_on__lte": as_of,
        }
    ) & (
        Q(**{f"{prefix}__superseded_on__isnull": True})
        | Q(**{f"{prefix}__superseded_on__gt": as_of})
    )


def status_case(
    req: Requirement, as_of: dt.date, *, held: str = "held", exempt: str = "exempt"
) -> Case:
    """`rules.status` as SQL, over rows annotated with `held` (the achievement in force),
    `exempt` (an exemption covering the day) and `joined` (when the person joined the
    audience): `held` and `exempt` name those annotations. Every date is compared with a
    constant worked out here."""
    window_ends = as_of + dt.timedelta(days=req.window_days)
    grace_from = as_of - dt.timedelta(days=req.grace_days)
    if req.applies_from is not None and req.applies_from >= grace_from:
        in_grace = Q(pk__isnull=False)  # everyone: it was introduced within the grace period
    else:
        in_grace = Q(joined__gte=grace_from)
    return Case(
        When(Q(**{f"{exempt}__id__isnull": False}), then=Value(StatusCode.EXEMPT.value)),
        When(
            Q(**{f"{held}__id__isnull": False, f"{held}__held_until__isnull": True}),
            then=Value(StatusCode.COMPLIANT.value),
        ),
        When(Q(**{f"{held}__held_until__gt": window_ends}), then=Value(StatusCode.COMPLIANT.value)),
        When(Q(**{f"{held}__held_until__gte": as_of}), then=Value(StatusCode.DUE_SOON.value)),
        When(in_grace, then=Value(StatusCode.DUE_SOON.value)),
        When(Q(**{f"{held}__id__isnull": False}), then=Value(StatusCode.EXPIRED.value)),
        default=Value(StatusCode.OVERDUE.value),
    )


def _audience_rows(audience, as_of: dt.date, within: Q | None) -> QuerySet:
    """The audience's qualifying current assignments (within a part of the council, a Q over
    Assignment), each with the day its person joined the audience (`joined`)."""
    rows = Assignment.objects.filter(audiences.assignment_q(audience, as_of))
    if within is not None:
        rows = rows.filter(within)
    return rows.annotate(joined=audiences.joined_on(audience, as_of, person_ref="person_id"))


def _with_status(rows: QuerySet, req: Requirement, as_of: dt.date, suffix: str = "") -> QuerySet:
    """Rows of `_audience_rows` with the person's status for the requirement (`code<suffix>`)
    and what it rests on: the achievement in force (`held<suffix>`) and an exemption covering
    the day (`exempt<suffix>`)."""
    held, exempt, code = f"held{suffix}", f"exempt{suffix}", f"code{suffix}"
    return rows.annotate(
        **{
            held: FilteredRelation(
                "person__achievements", condition=_in_force("person__achievements", req, as_of)
            ),
            exempt: FilteredRelation(
                "person__exemptions",
                condition=Q(
                    person__exemptions__requirement=req,
                    person__exemptions__starts_on__lte=as_of,
                    person__exemptions__ends_on__gte=as_of,
                ),
            ),
        }
    ).annotate(**{code: status_case(req, as_of, held=held, exempt=exempt)})


def requirement_rows(req: Requirement, as_of: dt.date, within: Q | None = None) -> QuerySet:
    """The qualifying current assignments of the requirement's audience (within a part of the
    council, a Q over Assignment), each with its person's status `code` and the dates it
    rests on (`held__held_until`, `joined`)."""
    return _with_status(_audience_rows(req.audience, as_of, within), req, as_of)


@dataclass(frozen=True)
class UnitCount:
    requirement_id: int
    unit_id: int  # or the group of the unit, when counted by groups
    code: str
    people: int


def status_counts(
    *,
    requirements: list[Requirement],
    as_of: dt.date,
    within: Q | None = None,
    group: Expression | None = None,
) -> list[UnitCount]:
    """How many people have each status for each requirement in each unit (the unit of the
    job that puts them in the audience), or in each group of units (`group`: an expression
    over Assignment giving the group, or None to leave the job out). Someone with such jobs in
    two units (or groups) counts in each, and once in each.

    One query per audience, however many requirements share it: the audience's qualifying
    jobs are read once with each of its requirements' statuses worked out in the database
    (`status_case`), and counted by group and statuses. A status belongs to the person, not
    the job, so counting distinct people within each combination counts each person once in
    a group."""
    by_audience: dict[int, list[Requirement]] = defaultdict(list)
    for req in requirements:
        by_audience[req.audience_id].append(req)
    counts: Counter[tuple[int, object, str]] = Counter()
    for reqs in by_audience.values():
        rows = _audience_rows(reqs[0].audience, as_of, within)
        for req in reqs:
            rows = _with_status(rows, req, as_of, f"_{req.pk}")
        rows = rows.annotate(group=F("unit_id") if group is None else group)
        codes = [f"code_{r.pk}" for r in reqs]
        for row in (
            rows.filter(group__isnull=False)
            .values("group", *codes)
            .annotate(people=Count("person_id", distinct=True))
            .order_by()
        ):
            for req, code in zip(reqs, codes, strict=True):
                counts[(req.pk, row["group"], row[code])] += row["people"]
    return [UnitCount(req_id, key, code, n) for (req_id, key, code), n in counts.items()]


URGENCY = {
    StatusCode.OVERDUE: hooks.URGENT,
    StatusCode.EXPIRED: hooks.URGENT,
    StatusCode.DUE_SOON: hooks.SOON,
    StatusCode.COMPLIANT: hooks.HELD,
}


def mandatory_items(person_id: int, on: dt.date) -> dict[int, int]:
    """The catalogue items that meet a requirement the person must meet on the day, each with
    its urgency (`learning.hooks`): the answer to Find learning's "mandatory for me" and to
    the waiting list's priority."""
    reqs = requirements_in_force()
    found: dict[int, int] = {}
    for (_, req_id), status in statuses(
        person_ids=[person_id], requirements=reqs, as_of=on
    ).items():
        urgency = URGENCY.get(status.code)
        if urgency is None:  # not required, or exempt
            continue
        req = next(r for r in reqs if r.pk == req_id)
        for item in req.items.all():
            found[item.pk] = max(found.get(item.pk, urgency), urgency)
    return found
