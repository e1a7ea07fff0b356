"""Audiences: rules that pick people, worked out from the assignments on a date.

An audience is never a stored list. Each rule is tested against an assignment (a person's
job: its role, grade, unit and contract) or, for a line manager or a length of service, the
person on the date. The including rules combine by the audience's `match` (all or any); an
excluding rule always takes people out. An audience with no including rule is everyone in
post. A person is in the audience on a date when one of their assignments current on that
date qualifies, so membership follows people as they join, move and leave.

The interface other apps call (compliance, the waiting list, Find learning):

- `assignment_q(audience, on, current=True)`: a Q over Assignment;
- `members(audience, on)`: a Person queryset (`member_ids`: their ids, as a subquery);
- `member_exists(audience, on, person_ref)`: an Exists to filter or annotate any queryset;
- `joined_on(audience, on, person_ref)`: when the person first had a qualifying job;
- `preview(rules, match, on, visible)`: how many and who, before saving;
- `member_counts(audiences, on)`: how many are in each of several audiences, in one query.

Rules are resolved to ids, unit paths and grade ranks up front, in at most three small
queries (job roles, grades, units) whatever the number of rules; `prepare` resolves many
audiences at once. The resolution is kept on the audience object, so asking again about the
same object costs nothing.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import Count, DateField, Exists, OuterRef, Q, QuerySet, Subquery

from peopleplan.core.dates import add_months
from peopleplan.org.models import (
    Assignment,
    Audience,
    AudienceRule,
    Grade,
    JobRole,
    Person,
    Unit,
    current_q,
    subtree_q,
)

Kind = AudienceRule.Kind
Flag = AudienceRule.Flag

# Rules about the person on the date rather than about one of their jobs.
PERSON_KINDS = (Kind.LINE_MANAGER, Kind.SERVICE_AT_LEAST)
# Rules that take a list of codes (or job family names); the others take none.
VALUE_KINDS = (
    Kind.JOB_ROLE,
    Kind.JOB_FAMILY,
    Kind.GRADE_AT_LEAST,
    Kind.UNIT,
    Kind.CONTRACT_TYPE,
    Kind.ROLE_FLAG,
)
ENHANCED_DBS = (JobRole.DbsLevel.ENHANCED, JobRole.DbsLevel.ENHANCED_BARRED)
SAMPLE_SIZE = 20

# How each flag is read from a job role.
FLAG_TESTS = {
    Flag.WORKS_WITH_CHILDREN: lambda role: role.works_with_children,
    Flag.WORKS_WITH_ADULTS: lambda role: role.works_with_adults,
    Flag.MANAGES_PEOPLE: lambda role: role.manages_people,
    Flag.REGISTERED: lambda role: bool(role.registration_body),
    Flag.DBS_ENHANCED: lambda role: role.dbs_level in ENHANCED_DBS,
}
FLAG_QS = {
    Flag.WORKS_WITH_CHILDREN: Q(works_with_children=True),
    Flag.WORKS_WITH_ADULTS: Q(works_with_adults=True),
    Flag.MANAGES_PEOPLE: Q(manages_people=True),
    Flag.REGISTERED: ~Q(registration_body=""),
    Flag.DBS_ENHANCED: Q(dbs_level__in=ENHANCED_DBS),
}


@dataclass(frozen=True)
class Rule:
    """A rule as evaluated: from a saved AudienceRule or from a dict of unsaved form data."""

    kind: str
    values: tuple[str, ...] = ()
    number: int | None = None
    exclude: bool = False


def as_rule(rule: AudienceRule | Rule | dict) -> Rule:
    if isinstance(rule, Rule):
        return rule
    if isinstance(rule, dict):
        get = rule.get
    else:

        def get(name, default=None):
            return getattr(rule, name, default)

    values = get("values") or ()
    if isinstance(values, str):
        values = values.split(",")
    return Rule(
        kind=str(get("kind") or ""),
        values=tuple(str(v).strip() for v in values if str(v).strip()),
        number=get("number"),
        exclude=bool(get("exclude", False)),
    )


# --- resolving codes -------------------------------------------------------------------------


@dataclass
class Resolved:
    """What the rules' codes stand for: job roles (with their family and flags), every grade's
    rank, and the paths of the units named."""

    roles: list[JobRole] = field(default_factory=list)
    grades: list[tuple[int, str, int]] = field(default_factory=list)  # id, code, rank
    unit_paths: dict[str, str] = field(default_factory=dict)

    def role_ids(self, rule: Rule) -> list[int]:
        values = set(rule.values)
        if rule.kind == Kind.JOB_ROLE:
            return [r.pk for r in self.roles if r.code in values]
        if rule.kind == Kind.JOB_FAMILY:
            return [r.pk for r in self.roles if r.job_family in values]
        tests = [FLAG_TESTS[f] for f in rule.values if f in FLAG_TESTS]
        return [r.pk for r in self.roles if any(test(r) for test in tests)]

    def grade_ids_from(self, code: str) -> list[int]:
        ranks = {c: rank for _, c, rank in self.grades}
        if code not in ranks:
            return []
        return [pk for pk, _, rank in self.grades if rank >= ranks[code]]


def resolve(rules: Iterable[Rule]) -> Resolved:
    """Look up every code the rules name: at most three queries, however many rules."""
    rules = list(rules)
    codes, families, flags, units = set(), set(), set(), set()
    grades_wanted = False
    for rule in rules:
        if rule.kind == Kind.JOB_ROLE:
            codes.update(rule.values)
        elif rule.kind == Kind.JOB_FAMILY:
            families.update(rule.values)
        elif rule.kind == Kind.ROLE_FLAG:
            flags.update(f for f in rule.values if f in FLAG_QS)
        elif rule.kind == Kind.UNIT:
            units.update(rule.values)
        elif rule.kind == Kind.GRADE_AT_LEAST:
            grades_wanted = True
    resolved = Resolved()
    role_q = Q(pk__in=[])
    if codes:
        role_q |= Q(code__in=codes)
    if families:
        role_q |= Q(job_family__in=families)
    for flag in flags:
        role_q |= FLAG_QS[flag]
    if codes or families or flags:
        resolved.roles = list(
            JobRole.objects.filter(role_q).only(
                "code",
                "job_family",
                "works_with_children",
                "works_with_adults",
                "manages_people",
                "registration_body",
                "dbs_level",
            )
        )
    if grades_wanted:
        resolved.grades = list(Grade.objects.values_list("pk", "code", "rank"))
    if units:
        resolved.unit_paths = dict(Unit.objects.filter(code__in=units).values_list("code", "path"))
    return resolved


# --- the Q of an audience ---------------------------------------------------------------------

# A rule or an audience that can match no one (its codes name nothing that exists).
NEVER = None


def rule_q(rule: Rule, resolved: Resolved, on: dt.date) -> Q | None:
    """The rule as a Q over Assignment, or NEVER when it can match no one."""
    kind = rule.kind
    if kind in (Kind.JOB_ROLE, Kind.JOB_FAMILY, Kind.ROLE_FLAG):
        ids = resolved.role_ids(rule)
        return Q(job_role_id__in=ids) if ids else NEVER
    if kind == Kind.GRADE_AT_LEAST:
        ids = resolved.grade_ids_from(rule.values[0]) if rule.values else []
        return Q(grade_id__in=ids) if ids else NEVER
    if kind == Kind.UNIT:
        paths = [resolved.unit_paths[c] for c in rule.values if c in resolved.unit_paths]
        return subtree_q("unit__path", paths) if paths else NEVER
    if kind == Kind.CONTRACT_TYPE:
        return Q(contract_type__in=rule.values) if rule.values else NEVER
    if kind == Kind.LINE_MANAGER:
        managing = Assignment.objects.filter(current_q(on), line_manager_id=OuterRef("person_id"))
        return Q(Exists(managing))
    if kind == Kind.SERVICE_AT_LEAST:
        if rule.number is None:
            return NEVER
        cutoff = add_months(on, -rule.number)
        # Continuous service from Person.service_start, or else from their first job.
        started = Assignment.objects.filter(person_id=OuterRef("person_id"), start_date__lte=cutoff)
        return Q(person__service_start__lte=cutoff) | Q(
            Q(person__service_start__isnull=True) & Q(Exists(started))
        )
    return NEVER


def rules_q(
    rules: list[Rule], match: str, on: dt.date, resolved: Resolved, *, current: bool = True
) -> Q | None:
    """The rules combined: the including ones by `match`, each excluding one as AND NOT; the
    assignment current on the date (or, with `current` False, started by then). NEVER when
    the audience can match no one."""
    including = [rule_q(r, resolved, on) for r in rules if not r.exclude]
    q = current_q(on) if current else Q(start_date__lte=on)
    if including:
        if match == Audience.Match.ANY:
            found = [rq for rq in including if rq is not NEVER]
            if not found:
                return NEVER
            q &= reduce(operator.or_, found)
        else:
            if any(rq is NEVER for rq in including):
                return NEVER
            for rq in including:
                q &= rq
    for rule in rules:
        if rule.exclude and (rq := rule_q(rule, resolved, on)) is not NEVER:
            q &= ~rq
    return q


def _rules_of(audience: Audience) -> tuple[list[Rule], Resolved]:
    """The audience's rules and what their codes resolve to, kept on the object."""
    cached = getattr(audience, "_audience_resolved", None)
    if cached is None:
        rules = [as_rule(r) for r in audience.rules.all()]
        cached = (rules, resolve(rules))
        audience._audience_resolved = cached
    return cached


def forget(audience: Audience) -> None:
    """Drop what `_rules_of` kept (after the audience's rules change)."""
    audience.__dict__.pop("_audience_resolved", None)


def prepare(audiences: Iterable[Audience]) -> list[Audience]:
    """Resolve many audiences at once: their rules in one query, and every code they name in
    at most three more. Asking about any of them afterwards costs no query to resolve."""
    audiences = list(audiences)
    wanted = [a for a in audiences if getattr(a, "_audience_resolved", None) is None]
    if not wanted:
        return audiences
    by_audience: dict[int, list[Rule]] = {a.pk: [] for a in wanted}
    for rule in AudienceRule.objects.filter(audience__in=wanted).order_by("position", "id"):
        by_audience[rule.audience_id].append(as_rule(rule))
    resolved = resolve(r for rules in by_audience.values() for r in rules)
    for audience in wanted:
        audience._audience_resolved = (by_audience[audience.pk], resolved)
    return audiences


def assignment_q(audience: Audience, on: dt.date, *, current: bool = True) -> Q:
    """The assignments that qualify for the audience on the date. With `current` (the
    default) the assignment must be current on the date; without, any assignment that had
    started by then (for when a person first joined the audience). Rules about the person
    (line manager, length of service) are always read on the date."""
    rules, resolved = _rules_of(audience)
    q = rules_q(rules, audience.match, on, resolved, current=current)
    return Q(pk__in=[]) if q is NEVER else q


def members(audience: Audience, on: dt.date) -> QuerySet[Person]:
    """The people in the audience on the date: a qualifying assignment current then. (An IN
    subquery rather than `member_exists`: SQLite runs it three to five times faster over a
    whole council, PostgreSQL the same.)"""
    return Person.objects.filter(pk__in=member_ids(audience, on))


def member_ids(audience: Audience, on: dt.date) -> QuerySet:
    """The ids of the people in the audience on the date, as a subquery (`pk__in=`)."""
    return Assignment.objects.filter(assignment_q(audience, on)).values("person_id")


def member_exists(audience: Audience, on: dt.date, person_ref: str = "pk") -> Exists:
    """Whether the person (`OuterRef(person_ref)`) is in the audience on the date, to filter
    or annotate any queryset in the same SQL."""
    qualifying = Assignment.objects.filter(
        assignment_q(audience, on), person_id=OuterRef(person_ref)
    )
    return Exists(qualifying)


def joined_on(audience: Audience, on: dt.date, person_ref: str = "pk") -> Subquery:
    """The earliest start of the person's qualifying assignments that started by the date
    (ended ones included: a move between two qualifying jobs keeps the first date), or None.
    The grace period of a new starter or a mover runs from it. A person who left the audience
    and came back years later keeps their first date."""
    first = (
        Assignment.objects.filter(
            assignment_q(audience, on, current=False), person_id=OuterRef(person_ref)
        )
        .order_by("start_date")
        .values("start_date")[:1]
    )
    return Subquery(first, output_field=DateField())


def member_counts(audiences: Iterable[Audience], on: dt.date) -> dict[int, int]:
    """How many people are in each audience on the date: one query for them all (after
    `prepare`, which this calls)."""
    audiences = prepare(audiences)
    counts = {a.pk: 0 for a in audiences}
    filters = {}
    for audience in audiences:
        rules, resolved = _rules_of(audience)
        q = rules_q(rules, audience.match, on, resolved)
        if q is not NEVER:
            filters[f"a{audience.pk}"] = Count("person_id", distinct=True, filter=q)
    if filters:
        found = Assignment.objects.filter(current_q(on)).aggregate(**filters)
        counts.update({int(key[1:]): value for key, value in found.items()})
    return counts


# --- the preview -----------------------------------------------------------------------------


@dataclass
class Preview:
    count: int
    sample: list[Person]  # the first by name, among the people the user may see
    by_directorate: list[tuple[Unit, int]]
    everyone: bool = False  # no including rule: everyone in post


def directorates() -> list[Unit]:
    """The units a count is broken down by: each unit just below a top-level unit (the
    directorates of a council), and each top-level unit for the people placed on it
    directly (a chief executive)."""
    return list(Unit.objects.filter(depth__lte=1).order_by("path"))


def _directorate_q(unit: Unit) -> Q:
    return Q(unit_id=unit.pk) if unit.depth == 0 else subtree_q("unit__path", [unit.path])


def preview(
    rules: Iterable[AudienceRule | Rule | dict],
    match: str,
    on: dt.date,
    visible: QuerySet[Person] | None = None,
) -> Preview:
    """Who would be in an audience with these rules (saved or not) on the date: how many, by
    directorate, and the first 20 by name among `visible` (None: everyone). Codes that name
    nothing match no one; check the rules with `services.audience_rules_clean` first to
    report them. Six queries at most, whatever the number of rules or people."""
    rules = [as_rule(r) for r in rules]
    everyone = not any(not r.exclude for r in rules)
    q = rules_q(rules, match, on, resolve(rules))
    if q is NEVER:
        return Preview(count=0, sample=[], by_directorate=[], everyone=everyone)
    units = directorates()
    figures = Assignment.objects.filter(q).aggregate(
        total=Count("person_id", distinct=True),
        **{f"u{u.pk}": Count("person_id", distinct=True, filter=_directorate_q(u)) for u in units},
    )
    people = visible if visible is not None else Person.objects.all()
    sample = list(
        people.filter(pk__in=Assignment.objects.filter(q).values("person_id")).order_by(
            "last_name", "first_name", "employee_number"
        )[:SAMPLE_SIZE]
    )
    return Preview(
        count=figures["total"],
        sample=sample,
        by_directorate=[(u, figures[f"u{u.pk}"]) for u in units if figures[f"u{u.pk}"]],
        everyone=everyone,
    )


def audience_preview(audience: Audience, on: dt.date, visible=None) -> Preview:
    rules, _ = _rules_of(audience)
    return preview(rules, audience.match, on, visible)


# --- in plain English ------------------------------------------------------------------------


@dataclass
class Names:
    """The names behind the codes rules give, to describe them."""

    roles: dict[str, str] = field(default_factory=dict)  # code: title
    grades: dict[str, str] = field(default_factory=dict)  # code: name
    units: dict[str, str] = field(default_factory=dict)  # code: name


def names_for(rules: Iterable[Rule]) -> Names:
    """The names of every job role, grade and unit the rules name: three queries at most."""
    roles, grades, units = set(), set(), set()
    for rule in rules:
        target = {Kind.JOB_ROLE: roles, Kind.GRADE_AT_LEAST: grades, Kind.UNIT: units}.get(
            rule.kind
        )
        if target is not None:
            target.update(rule.values)
    names = Names()
    if roles:
        names.roles = dict(JobRole.objects.filter(code__in=roles).values_list("code", "title"))
    if grades:
        names.grades = dict(Grade.objects.filter(code__in=grades).values_list("code", "name"))
    if units:
        names.units = dict(Unit.objects.filter(code__in=units).values_list("code", "name"))
    return names


def _or(words: list[str], joiner: str = "or") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def _named(codes: tuple[str, ...], names: dict[str, str], *, with_code: bool = False) -> list[str]:
    named = []
    for code in codes:
        if code not in names:
            named.append(f"{code} (no longer exists)")
        elif with_code:
            named.append(f"{names[code]} ({code})")
        else:
            named.append(names[code])
    return named


FLAG_WORDS = {
    Flag.WORKS_WITH_CHILDREN: ("Works with children", "Does not work with children"),
    Flag.WORKS_WITH_ADULTS: ("Works with adults", "Does not work with adults"),
    Flag.MANAGES_PEOPLE: ("Job role manages people", "Job role does not manage people"),
    Flag.REGISTERED: (
        "Job role needs professional registration",
        "Job role needs no professional registration",
    ),
    Flag.DBS_ENHANCED: (
        "Job role needs an enhanced DBS check",
        "Job role needs no enhanced DBS check",
    ),
}


def _months(number: int) -> str:
    if number and number % 12 == 0:
        years = number // 12
        return "1 year's" if years == 1 else f"{years} years'"
    return "1 month's" if number == 1 else f"{number} months'"


def rule_text(rule: AudienceRule | Rule | dict, names: Names) -> str:
    """One rule in plain English: "Job family is Social work", "Grade at least Grade 9",
    "In Children's Services or below", "Not agency"."""
    rule = as_rule(rule)
    kind, values, no = rule.kind, rule.values, rule.exclude
    if kind == Kind.JOB_ROLE:
        roles = _or(_named(values, names.roles, with_code=True))
        return f"Job role is {'not ' if no else ''}{roles}"
    if kind == Kind.JOB_FAMILY:
        return f"Job family is {'not ' if no else ''}{_or(list(values))}"
    if kind == Kind.GRADE_AT_LEAST:
        grade = _or(_named(values, names.grades))
        return f"Grade below {grade}, or no grade" if no else f"Grade at least {grade}"
    if kind == Kind.UNIT:
        units = _named(values, names.units)
        where = f"{_or(units)} or below" if len(units) == 1 else f"{_or(units)}, or below them"
        return f"Not in {where}" if no else f"In {where}"
    if kind == Kind.CONTRACT_TYPE:
        labels = dict(Assignment.ContractType.choices)
        words = [labels.get(v, v) for v in values]
        if no:
            return f"Not {_or([w.lower() for w in words])}"
        return f"Contract is {_or([w.lower() for w in words])}"
    if kind == Kind.ROLE_FLAG:
        words = [FLAG_WORDS[v][1 if no else 0] if v in FLAG_WORDS else v for v in values]
        words = [w[0].lower() + w[1:] if i else w for i, w in enumerate(words)]
        return _or(words, "and" if no else "or")
    if kind == Kind.LINE_MANAGER:
        return "Does not line manage anyone" if no else "Line manages someone"
    if kind == Kind.SERVICE_AT_LEAST:
        length = _months(rule.number or 0)
        return f"{'Less than' if no else 'At least'} {length} continuous service"
    return kind


@dataclass
class Description:
    """An audience in plain English: a lead ("People in post who match all of"), the rules
    under it, and for an audience that matches any of its rules, the excluding rules that
    every member matches besides."""

    lead: str
    rules: list[str]
    also: list[str]
    everyone: bool  # no including rule: everyone in post, less any excluded

    def __str__(self) -> str:
        text = f"{self.lead}: {'; '.join(self.rules)}" if self.rules else self.lead
        if self.also:
            label = "and all of" if len(self.also) > 1 else "and"
            text += f", {label}: {'; '.join(self.also)}"
        return text


def describe(rules: Iterable[AudienceRule | Rule | dict], match: str, names: Names) -> Description:
    """The rules in plain English, each by `rule_text`."""
    rules = [as_rule(r) for r in rules]
    including = [rule_text(r, names) for r in rules if not r.exclude]
    excluding = [rule_text(r, names) for r in rules if r.exclude]
    if not including:
        lead = "Everyone in post"
        if excluding:
            lead += " who matches" + (" all of" if len(excluding) > 1 else "")
        return Description(lead=lead, rules=excluding, also=[], everyone=True)
    if match == Audience.Match.ANY and len(including) > 1:
        lead = "People in post who match any of"
        return Description(lead=lead, rules=including, also=excluding, everyone=False)
    together = including + excluding
    lead = "People in post who match" + (" all of" if len(together) > 1 else "")
    return Description(lead=lead, rules=together, also=[], everyone=False)


def describe_audiences(audiences: Iterable[Audience]) -> dict[int, Description]:
    """Each audience in plain English (after `prepare`; three more queries for the names)."""
    audiences = prepare(audiences)
    rules = {a.pk: _rules_of(a)[0] for a in audiences}
    names = names_for(r for rs in rules.values() for r in rs)
    return {a.pk: describe(rules[a.pk], a.match, names) for a in audiences}


def rules_of(audience: Audience) -> list[Rule]:
    return _rules_of(audience)[0]


def snapshot(audience: Audience, rules: list[Rule] | None = None) -> dict[str, Any]:
    """The audience as the audit log keeps it."""
    rules = rules if rules is not None else _rules_of(audience)[0]
    return {
        "code": audience.code,
        "name": audience.name,
        "description": audience.description,
        "match": audience.match,
        "rules": [
            {"kind": r.kind, "values": list(r.values), "number": r.number, "exclude": r.exclude}
            for r in rules
        ],
    }
