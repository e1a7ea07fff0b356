"""The one place that decides who may see and do what.

Every page and API endpoint asks these gates. A gate takes the acting user and answers with a
queryset scoped to what that user may see, a yes or no, or the object itself; an object the user
may not see is answered exactly like one that does not exist (Http404).

Who sees whom:
- everyone who is a member of staff sees themselves;
- a line manager sees their direct and indirect reports as of today, from the reporting lines;
- a role grant (L&D administrator, HR officer, HR equality viewer, budget holder, senior leader,
  system administrator) covers the people placed in its unit subtree, or the whole council;
- equality monitoring data is shown only under an HR equality viewer grant covering the person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from peopleplan.access.models import RoleGrant, User
from peopleplan.core.dates import today
from peopleplan.core.imports import all_kinds
from peopleplan.core.models import ImportRun
from peopleplan.org.models import Assignment, Audience, Person, Post, Unit, subtree_q

Role = str  # one of RoleGrant.Role's values

LD_ADMIN = "ld_admin"
HR_OFFICER = "hr_officer"
HR_EQUALITY = "hr_equality"
BUDGET_HOLDER = "budget_holder"
SENIOR_LEADER = "senior_leader"
SYSTEM_ADMIN = "system_admin"
ALL_ROLES = (LD_ADMIN, HR_OFFICER, HR_EQUALITY, BUDGET_HOLDER, SENIOR_LEADER, SYSTEM_ADMIN)

# What each capability needs: any of these roles. A capability marked council-wide needs a
# grant over the whole council (an import of a full HR extract touches every directorate).
CAPABILITIES: dict[str, tuple[tuple[Role, ...], bool]] = {
    "people.view_scope": (ALL_ROLES, False),
    "org.browse": (ALL_ROLES, False),
    # Imports and exports of HR files (every kind in this issue asks for it).
    "people.import": ((HR_OFFICER, SYSTEM_ADMIN), True),
    "audit.view": ((HR_OFFICER, SYSTEM_ADMIN), False),
    "audit.view_all": ((HR_OFFICER, SYSTEM_ADMIN), True),
    # Imports and exports of learning completions.
    "learning.import": ((LD_ADMIN, SYSTEM_ADMIN), True),
    # Evaluation results of every session (trainers read their own sessions' without it).
    "learning.evaluation_results": ((LD_ADMIN, SENIOR_LEADER), True),
    # Setting up, changing, opening and cancelling sessions; moving learners between them.
    "learning.sessions": ((LD_ADMIN,), False),
    # Compliance: setting requirements and credential types (council-wide), recording and
    # verifying credentials and granting exemptions (HR, in their units), importing credentials,
    # and compliance in numbers (summaries, the leaders' overview, the demand forecast).
    "compliance.requirements": ((HR_OFFICER, LD_ADMIN, SYSTEM_ADMIN), True),
    "compliance.credentials": ((HR_OFFICER,), False),
    "compliance.import": ((HR_OFFICER, SYSTEM_ADMIN), True),
    "compliance.summary": ((LD_ADMIN, HR_OFFICER, SENIOR_LEADER), False),
    # Audiences (rules that pick people) are the council's shared tool: requirements, the
    # waiting list and Find learning use them, so only a council-wide grant changes them.
    "org.audiences": ((HR_OFFICER, LD_ADMIN, SYSTEM_ADMIN), True),
    # The people behind those numbers, by name (drill-down lists, expiring soon, the full
    # export): L&D and HR only; senior leaders see compliance in numbers, not names.
    "compliance.summary_people": ((LD_ADMIN, HR_OFFICER), False),
    # The Django admin reaches every record, so only a council-wide grant opens it.
    "admin.site": ((SYSTEM_ADMIN,), True),
    # Workforce insight: the capacity measures (numbers, never names) for leaders and HR, in
    # the units of their grants.
    "workforce.insight": ((HR_OFFICER, SENIOR_LEADER), False),
    # The equality figures (special-category data in numbers, small numbers suppressed): HR
    # equality viewers, in their units; the comparison population (the council's census
    # figures) is set by a council-wide one.
    "workforce.equality": ((HR_EQUALITY,), False),
    "workforce.equality_comparison": ((HR_EQUALITY,), True),
}


@dataclass(frozen=True)
class Grant:
    role: Role
    unit_id: int | None
    unit_path: str | None  # None: the whole council


def grants(user) -> list[Grant]:
    """The user's active grants, read once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_peopleplan_grants", None)
    if cached is None:
        cached = [
            Grant(role=role, unit_id=unit_id, unit_path=path)
            for role, unit_id, path in user.grants.filter(revoked_at__isnull=True).values_list(
                "role", "unit_id", "unit__path"
            )
        ]
        user._peopleplan_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_peopleplan_grants"):
        del user._peopleplan_grants


def has_role(user, *roles: Role) -> bool:
    return any(g.role in roles for g in grants(user))


def is_system_admin(user) -> bool:
    """May use the Django admin: a council-wide system administrator."""
    return can(user, "admin.site")


def admin_site_has_permission(request) -> bool:
    return request.user.is_active and is_system_admin(request.user)


def scope_paths(user, roles: tuple[Role, ...]) -> list[str] | None:
    """The unit paths the user's grants of these roles cover; None means the whole council."""
    paths: list[str] = []
    for g in grants(user):
        if g.role in roles:
            if g.unit_path is None:
                return None
            paths.append(g.unit_path)
    return paths


def can(user, capability: str) -> bool:
    roles, council_wide = CAPABILITIES[capability]
    if council_wide:
        return any(g.role in roles and g.unit_path is None for g in grants(user))
    return has_role(user, *roles)


def require(user, capability: str) -> None:
    """Refuse (403) a page or action the user's roles do not allow at all."""
    if not can(user, capability):
        raise PermissionDenied


def is_manager(user, on: dt.date | None = None) -> bool:
    """Whether anyone reports to the user on the date (read once per user object and date, so
    once per request however often the navigation and the page ask)."""
    if not getattr(user, "person_id", None):
        return False
    on = on or today()
    cache = user.__dict__.setdefault("_peopleplan_is_manager", {})
    if on not in cache:
        current = Assignment.objects.current_on(on)
        cache[on] = current.filter(line_manager_id=user.person_id).exists()
    return cache[on]


# --- reporting lines -------------------------------------------------------------------------


def _reports_sql(manager_id: int, on: dt.date) -> tuple[str, list]:
    """Everyone reporting to the manager, directly or through others, on a date: one recursive
    query over the assignments current on that date. UNION (not UNION ALL) ends on a loop."""
    table = Assignment._meta.db_table
    current = "a.start_date <= %s AND (a.end_date IS NULL OR a.end_date >= %s)"
    sql = (
        "WITH RECURSIVE reports(person_id) AS ("
        f" SELECT a.person_id FROM {table} a WHERE a.line_manager_id = %s AND {current}"
        " UNION"
        f" SELECT a.person_id FROM {table} a JOIN reports r ON a.line_manager_id = r.person_id"
        f" WHERE {current}"
        ") SELECT person_id FROM reports"
    )
    return sql, [manager_id, on, on, on, on]


def report_ids(manager: Person | int, on: dt.date | None = None) -> set[int]:
    manager_id = manager if isinstance(manager, int) else manager.pk
    sql, params = _reports_sql(manager_id, on or today())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()} - {manager_id}


def reports_q(manager_id: int, on: dt.date, field: str = "pk") -> Q:
    sql, params = _reports_sql(manager_id, on)
    return Q(**{f"{field}__in": RawSQL(sql, params)}) & ~Q(**{field: manager_id})


# --- people ----------------------------------------------------------------------------------


def placed_in_q(paths: list[str], on: dt.date) -> Q:
    """People placed in these subtrees on a date: an assignment there that has not ended, or,
    for a leaver, the assignment they left from."""
    placing = (
        Assignment.objects.filter(person=OuterRef("pk"))
        .filter(subtree_q("unit__path", paths))
        .filter(
            Q(end_date__isnull=True)
            | Q(end_date__gte=on)
            | Q(end_date__gte=OuterRef("leaving_date"))
        )
    )
    return Q(Exists(placing))


def _people_in_reach(
    user, roles: tuple[Role, ...], on: dt.date | None, *, themselves: bool = True
) -> QuerySet[Person]:
    """Themselves (unless not), the people who report to them, directly or not, and the people
    their grants of these roles cover: the shape of every "whom may they see" question."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    on = on or today()
    paths = scope_paths(user, roles)
    if paths is None:
        people = Person.objects.all()
    else:
        q = Q(pk__in=[])
        if user.person_id:
            q |= Q(pk=user.person_id) | reports_q(user.person_id, on)
        if paths:
            q |= placed_in_q(paths, on)
        people = Person.objects.filter(q)
    if not themselves and user.person_id:
        people = people.exclude(pk=user.person_id)
    return people


def people_for_user(user, on: dt.date | None = None) -> QuerySet[Person]:
    """Every person the user may see."""
    return _people_in_reach(user, ALL_ROLES, on)


def access_person_for_user(user, person_id) -> Person:
    """The person, if the user may see them; otherwise the same 404 as for nobody."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = people_for_user(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


# --- booking learning for people ---------------------------------------------------------


def booking_people_for_user(user, on: dt.date | None = None) -> QuerySet[Person]:
    """The people the user may book learning for (and whose bookings they may see and cancel):
    themselves, the people who report to them, and the people an L&D administrator grant
    covers."""
    return _people_in_reach(user, (LD_ADMIN,), on)


# --- records of learning -------------------------------------------------------------------

# Who opens a person's whole record of learning, besides the person and their managers. Budget
# holders, senior leaders and equality viewers see people for their own purposes, not what
# each person has learnt.
LEARNING_RECORD_ROLES = (LD_ADMIN, HR_OFFICER)


def learning_record_people_for_user(user, on: dt.date | None = None) -> QuerySet[Person]:
    """The people whose record of learning the user may open: themselves, the people who report
    to them, and the people an L&D administrator or HR officer grant covers."""
    return _people_in_reach(user, LEARNING_RECORD_ROLES, on)


def access_learning_record_person(user, person_id) -> Person:
    """The person, if the user may open their record of learning; otherwise a 404."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = learning_record_people_for_user(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def verifiable_people(user, on: dt.date | None = None) -> QuerySet[Person]:
    """The people whose self-logged learning the user may verify: their reports, and the
    people an L&D administrator grant covers; never themselves."""
    return _people_in_reach(user, (LD_ADMIN,), on, themselves=False)


# --- compliance ----------------------------------------------------------------------------

# Who sees a person's compliance (each status with its reason and dates), besides the person
# and their managers. Senior leaders see compliance in numbers (`compliance.summary`).
COMPLIANCE_ROLES = (LD_ADMIN, HR_OFFICER)


def compliance_people_for_user(user, on: dt.date | None = None) -> QuerySet[Person]:
    """The people whose compliance the user may see: themselves, the people who report to
    them, and the people an L&D administrator or HR officer grant covers."""
    return _people_in_reach(user, COMPLIANCE_ROLES, on)


def access_compliance_person(user, person_id) -> Person:
    """The person, if the user may see their compliance; otherwise a 404."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404 from None
    person = compliance_people_for_user(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def compliance_units_for_user(user) -> QuerySet[Unit]:
    """The units whose people's compliance, one by one, the user may see as a team matrix: the
    subtrees of their L&D administrator and HR officer grants (managers see their reports
    instead)."""
    paths = scope_paths(user, COMPLIANCE_ROLES)
    if paths is None:
        return Unit.objects.all()
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(subtree_q("path", paths))


def credential_keeper_people(user, on: dt.date | None = None) -> QuerySet[Person]:
    """The people whose credentials the user may record, change and verify, and whose
    certificate numbers and evidence they may read: those an HR officer grant covers, never
    themselves. (Managers see the dates and statuses of their team, not the certificates.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Person.objects.none()
    paths = scope_paths(user, (HR_OFFICER,))
    if paths is None:
        people = Person.objects.all()
    elif paths:
        people = Person.objects.filter(placed_in_q(paths, on or today()))
    else:
        return Person.objects.none()
    return people.exclude(pk=user.person_id) if user.person_id else people


def compliance_summary_paths(user) -> list[str] | None:
    """The unit paths whose compliance in numbers the user may see (None: the whole council;
    empty: none)."""
    return scope_paths(user, CAPABILITIES["compliance.summary"][0])


def compliance_forecast_paths(user) -> list[str] | None:
    """The unit paths whose demand forecast the user may see (None: the whole council): the
    requirements admins see all of it, compliance-summary users their units. 403 for anyone
    else."""
    if can(user, "compliance.requirements"):
        return None
    require(user, "compliance.summary")
    return compliance_summary_paths(user)


def workforce_paths(user) -> list[str] | None:
    """The unit paths whose workforce measures the user may see (None: the whole council).
    403 for anyone without `workforce.insight`."""
    require(user, "workforce.insight")
    return scope_paths(user, CAPABILITIES["workforce.insight"][0])


def require_workforce_pay_gap(user) -> None:
    """Refuse (403) anyone without a council-wide `workforce.insight` grant. The gender pay
    gap is the employer's, worked out over everyone it employs: a part of the council has no
    pay gap of its own to read, and pay is kept from a grant over a part of it."""
    if workforce_paths(user) is not None:
        raise PermissionDenied


def workforce_equality_paths(user) -> list[str] | None:
    """The unit paths whose equality figures the user may see (None: the whole council): their
    HR equality viewer grants. 403 for anyone without `workforce.equality`."""
    require(user, "workforce.equality")
    return scope_paths(user, CAPABILITIES["workforce.equality"][0])


def compliance_names_paths(user) -> list[str] | None:
    """The unit paths whose people the user may see by name behind the numbers (None: the
    whole council; empty: none): their L&D administrator and HR officer grants. A senior
    leader's grant gives numbers only."""
    return scope_paths(user, CAPABILITIES["compliance.summary_people"][0])


def may_book_for_others(user) -> bool:
    """Whether the user may book for anyone but themselves: a line manager, an L&D admin."""
    return has_role(user, LD_ADMIN) or is_manager(user)


def bookable_person(user, person_id: int) -> Person | None:
    """The person, when the user may book for them; None otherwise (one query, and no access
    query at all for the user's own booking, the commonest case)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.person_id and person_id == user.person_id:
        return Person.objects.filter(pk=person_id).first()
    return booking_people_for_user(user).filter(pk=person_id).first()


def can_book_for(user, person: Person | int) -> bool:
    pk = person if isinstance(person, int) else person.pk
    return bookable_person(user, pk) is not None


def booking_capacities(user, person_ids: list[int]) -> dict[int, str | None]:
    """In what capacity the user acts on each person's bookings: "learner" (their own),
    "manager" (a report's), "admin" (under an L&D grant), or None when they may not. Two
    queries at most, however many people."""
    reports = report_ids(user.person_id) if user.person_id else set()
    covered: set[int] = set()
    if has_role(user, LD_ADMIN):
        covered = set(
            booking_people_for_user(user).filter(pk__in=person_ids).values_list("pk", flat=True)
        )
    capacities: dict[int, str | None] = {}
    for pk in person_ids:
        if user.person_id and pk == user.person_id:
            capacities[pk] = "learner"
        elif pk in reports:
            capacities[pk] = "manager"
        elif pk in covered:
            capacities[pk] = "admin"
        else:
            capacities[pk] = None
    return capacities


def booking_capacity_of(user, person: Person | int) -> str | None:
    pk = person if isinstance(person, int) else person.pk
    if user.person_id and pk == user.person_id:
        return "learner"  # no query for the commonest case
    return booking_capacities(user, [pk])[pk]


def can_view_equality(user, person: Person) -> bool:
    paths = scope_paths(user, (HR_EQUALITY,))
    if paths is None:
        return True
    if not paths:
        return False
    return Person.objects.filter(pk=person.pk).filter(placed_in_q(paths, today())).exists()


def can_view_audit_of(user, person: Person) -> bool:
    if not can(user, "audit.view"):
        return False
    paths = scope_paths(user, CAPABILITIES["audit.view"][0])
    if paths is None:
        return True
    return Person.objects.filter(pk=person.pk).filter(placed_in_q(paths, today())).exists()


# --- units and the establishment ------------------------------------------------------------


def units_for_user(user) -> QuerySet[Unit]:
    """The units whose figures the user may see: the subtrees of their grants."""
    paths = scope_paths(user, ALL_ROLES)
    if paths is None:
        return Unit.objects.all()
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(subtree_q("path", paths))


def access_unit_for_user(user, unit_id) -> Unit:
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise Http404 from None
    unit = units_for_user(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def posts_for_user(user) -> QuerySet[Post]:
    paths = scope_paths(user, ALL_ROLES)
    if paths is None:
        return Post.objects.all()
    if not paths:
        return Post.objects.none()
    return Post.objects.filter(subtree_q("unit__path", paths))


def top_units_for_user(user) -> list[Unit]:
    """The roots of what the user may browse: top-level units, or the units of their grants."""
    paths = scope_paths(user, ALL_ROLES)
    if paths is None:
        return list(Unit.objects.filter(parent__isnull=True))
    # Keep only the outermost granted units.
    units = list(Unit.objects.filter(path__in=paths))
    return [u for u in units if not any(u is not o and u.is_under(o) for o in units)]


# --- audiences -------------------------------------------------------------------------------


def audiences_for_user(user) -> QuerySet[Audience]:
    """Every audience, for a council-wide HR officer, L&D administrator or system
    administrator; none for anyone else."""
    if not can(user, "org.audiences"):
        return Audience.objects.none()
    return Audience.objects.all()


def access_audience_for_user(user, audience_id) -> Audience:
    """The audience: 403 for a user whose roles do not open audiences at all, 404 for one
    that does not exist."""
    require(user, "org.audiences")
    try:
        pk = int(audience_id)
    except (TypeError, ValueError):
        raise Http404 from None
    audience = audiences_for_user(user).filter(pk=pk).first()
    if audience is None:
        raise Http404
    return audience


# --- imports ---------------------------------------------------------------------------------


def import_kinds_for_user(user) -> list:
    """The import kinds the user may upload and export."""
    return [kind for kind in all_kinds() if can(user, kind.capability)]


def import_runs_for_user(user) -> QuerySet[ImportRun]:
    kinds = [kind.name for kind in import_kinds_for_user(user)]
    return ImportRun.objects.filter(kind__in=kinds)


def access_import_run_for_user(user, run_id) -> ImportRun:
    try:
        pk = int(run_id)
    except (TypeError, ValueError):
        raise Http404 from None
    run = import_runs_for_user(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def may_handle_special_category(user) -> bool:
    """Equality columns go into, and come in from, whole-council files only for a council-wide
    HR equality viewer grant."""
    return scope_paths(user, (HR_EQUALITY,)) is None


def role_holders_over(person: Person | int, role: Role, on: dt.date | None = None):
    """The active users holding a grant of this role that covers the person on the date: a
    council-wide grant, or one over a unit the person works in or a unit above it."""
    on = on or today()
    pk = person if isinstance(person, int) else person.pk
    paths = Assignment.objects.current_on(on).filter(person_id=pk).values_list("unit__path")
    # '/1/7/42/' is under the units '/1/', '/1/7/' and '/1/7/42/'.
    above = {path[: i + 1] for (path,) in paths for i, c in enumerate(path) if c == "/" and i}
    holding = RoleGrant.objects.filter(role=role, revoked_at__isnull=True).filter(
        Q(unit__isnull=True) | Q(unit__path__in=above)
    )
    return User.objects.filter(is_active=True, pk__in=holding.values("user_id")).order_by("email")
