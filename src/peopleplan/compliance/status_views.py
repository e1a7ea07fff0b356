"""The status pages: my compliance, a person's compliance and the team matrix (with its CSV and
XLSX export). Thin: ask the gates, read through `status_selectors`, render.

Each page takes an "as of" date (a GOV.UK date input, `on-day`, `on-month`, `on-year`, or
`on=YYYY-MM-DD` in links; today by default), so people and managers see the past or what will
be due by a date. The team on the matrix is the team on that date: a manager's reports then, or
the people with a job in the chosen unit then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Min
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from peopleplan.access import gates
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.core.exports import table_response
from peopleplan.org.models import Unit

from . import status_selectors as sel
from .rules import SEVERITY, StatusCode

# The unit chooser lists units this many levels below the user's top units (a deeper unit
# chosen through a link is added).
UNIT_LEVELS = 2
# People a page of the matrix (the summary row and the downloads cover every page).
PAGE_SIZE = 100


# --- the "as of" date ------------------------------------------------------------------------


@dataclass
class AsOf:
    on: dt.date
    day: str = ""
    month: str = ""
    year: str = ""
    error: str = ""

    @property
    def is_today(self) -> bool:
        return self.on == today()


def read_as_of(params) -> AsOf:
    """The date asked for: `on` (YYYY-MM-DD) or the three boxes of the date input; today when
    none is given or the one given is not a real date (with the error to show)."""
    now = today()
    iso = (params.get("on") or "").strip()
    parts = [(params.get(f"on-{p}") or "").strip() for p in ("day", "month", "year")]
    if iso:
        try:
            on = dt.date.fromisoformat(iso)
        except ValueError:
            return AsOf(now, error="Enter a real date, like 1 4 2027")
        return AsOf(on, str(on.day), str(on.month), str(on.year))
    if not any(parts):
        return AsOf(now, str(now.day), str(now.month), str(now.year))
    day, month, year = parts
    if not all(parts):
        return AsOf(now, day, month, year, "Enter a day, month and year, like 1 4 2027")
    try:
        on = dt.date(int(year), int(month), int(day))
        if not 1900 <= on.year <= 2200:
            raise ValueError
    except ValueError:
        return AsOf(now, day, month, year, "Enter a real date, like 1 4 2027")
    return AsOf(on, day, month, year)


# --- one person ------------------------------------------------------------------------------


def _my_credentials_url() -> str | None:
    """Where a person adds their own credential, once the credentials pages are there."""
    try:
        return reverse("compliance:credentials_mine_add")
    except NoReverseMatch:
        return None


def _person_page(request, person, *, is_me: bool):
    as_of = read_as_of(request.GET)
    compliance = sel.person_compliance(person.pk, as_of.on)
    context = {
        "person": person,
        "is_me": is_me,
        "as_of": as_of,
        "compliance": compliance,
        "my_credentials_url": _my_credentials_url() if is_me else None,
        # HR who keep this person's credentials reach them, and exemptions, from here.
        "keeps": not is_me
        and gates.credential_keeper_people(request.user).filter(pk=person.pk).exists(),
    }
    return render(request, "compliance/status/person.html", context)


def mine(request):
    """My compliance: every requirement that applies to me on the day, worst first."""
    user = request.user
    if not user.person_id:
        return render(request, "compliance/status/no_person.html")
    return _person_page(request, user.person, is_me=True)


def person(request, person_id):
    """A person's compliance, for someone the user may see (`gates.access_compliance_person`)."""
    found = gates.access_compliance_person(request.user, person_id)
    return _person_page(request, found, is_me=found.pk == request.user.person_id)


# --- the team matrix -------------------------------------------------------------------------


@dataclass
class Team:
    """Whose matrix it is: a unit chosen from the user's L&D or HR scope, or else the user's
    reports; `members` is empty when there is neither."""

    as_of: AsOf
    units: list[Unit]  # the unit chooser (empty: the user has no L&D or HR grant)
    unit: Unit | None
    is_manager: bool
    direct_only: bool
    members: list[sel.Member]

    @property
    def label(self) -> str:
        if self.unit is not None:
            return f"People in {self.unit.name}"
        return "Your direct reports" if self.direct_only else "Everyone who reports to you"


def team_for_user(user, params) -> Team:
    """The people on the user's matrix on the date asked for (a unit outside the user's scope
    is a 404)."""
    as_of = read_as_of(params)
    on = as_of.on
    scope = gates.compliance_units_for_user(user)
    unit = None
    wanted = (params.get("unit") or "").strip()
    if wanted:
        if not wanted.isdigit():
            raise Http404
        unit = scope.filter(pk=int(wanted)).first()
        if unit is None:
            raise Http404
    units: list[Unit] = []
    shallowest = scope.aggregate(depth=Min("depth"))["depth"]
    if shallowest is not None:
        units = list(scope.filter(depth__lte=shallowest + UNIT_LEVELS).order_by("path"))
        if unit is not None and unit not in units:
            units = sorted([*units, unit], key=lambda u: u.path)
    is_manager = bool(user.person_id) and gates.is_manager(user, on)
    direct_only = params.get("direct") in ("1", "true", "on")
    if unit is not None:
        members = sel.unit_members(unit, on)
    elif is_manager:
        reports = gates.reports_q(user.person_id, on, field="person_id")
        members = sel.team_members(user.person_id, reports, on, direct_only=direct_only)
    else:
        members = []
    return Team(as_of, units, unit, is_manager, direct_only and unit is None, members)


def matrix_for(team: Team, params) -> sel.Matrix:
    requirement = (params.get("requirement") or "").strip()
    return sel.matrix(
        team.members,
        team.as_of.on,
        requirement_id=int(requirement) if requirement.isdigit() else None,
        status_filter=(params.get("status") or "").strip(),
        sort=(params.get("sort") or "name").strip(),
    )


def _query(team: Team, params, **changes) -> str:
    """The page's query string with some values changed (the sort links, the export)."""
    values = {
        "on": team.as_of.on.isoformat(),
        "unit": team.unit.pk if team.unit else "",
        "direct": "1" if team.direct_only else "",
        "requirement": params.get("requirement", ""),
        "status": params.get("status", ""),
        "sort": params.get("sort", ""),
    } | changes
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


NOT_REQUIRED_CELL = mark_safe(
    '<td class="govuk-table__cell"><span class="govuk-visually-hidden">Not required</span></td>'
)


def cell_html(cell: sel.Cell | None) -> str:
    """One cell of the matrix: the tag (colour and words) and its date, or an empty cell that
    says "Not required" to a screen reader. Built here, not in the template: a team of 30 with
    25 requirements is 750 cells."""
    if cell is None:
        return NOT_REQUIRED_CELL
    words = cell.date_words
    return format_html(
        '<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong>{}</td>',
        cell.tag_class,
        cell.label,
        format_html(' <span class="pp-status-date">{}</span>', words) if words else "",
    )


def team(request):
    """The team matrix: people down the side, the requirements that apply to any of them
    across the top, each cell the status with its words and date."""
    user = request.user
    params = request.GET
    team = team_for_user(user, params)
    matrix = matrix_for(team, params)
    ids = [m.person_id for m in matrix.rows]
    linkable = set(
        gates.compliance_people_for_user(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    sort = params.get("sort") or "name"
    page = Paginator(matrix.rows, PAGE_SIZE).get_page(params.get("page"))
    rows = [(m, [cell_html(c) for c in m.shown]) for m in page.object_list]
    context = {
        "rows": rows,
        "page": page,
        "team": team,
        "as_of": team.as_of,
        "matrix": matrix,
        "linkable": linkable,
        "sort": sort,
        "sort_name_query": _query(team, params, sort="name"),
        "headers": [
            (c, _query(team, params, sort=key), sort == key)
            for c in matrix.columns
            for key in [f"req-{c.requirement.pk}"]
        ],
        "csv_query": _query(team, params, format="csv"),
        "xlsx_query": _query(team, params, format="xlsx"),
        "status_choices": [("attention", "Overdue or expired")]
        + [(c.value, c.label) for c in SEVERITY if c != StatusCode.NOT_REQUIRED],
        "requirements": matrix.requirements,
        "chosen_requirement": params.get("requirement", ""),
        "chosen_status": params.get("status", ""),
        "has_person": bool(user.person_id),
    }
    return render(request, "compliance/status/team.html", context)


def matrix_table(matrix: sel.Matrix, *, with_manager: bool) -> tuple[list[str], list[list]]:
    """The matrix as a table for a file: each requirement's status and its date, one row per
    person, then the compliant of required of each requirement."""
    headers = ["Name", "Job", "Unit"] + (["Reports to"] if with_manager else [])
    for c in matrix.columns:
        headers += [c.requirement.name, f"{c.requirement.name}: date"]
    rows: list[list] = []
    for m in matrix.rows:
        row: list = [m.name, m.job, m.unit] + ([m.manager_name] if with_manager else [])
        for c in matrix.columns:
            cell = m.cell(c.requirement.pk)
            if cell is None:
                row += ["Not required", ""]
            else:
                row += [cell.label, cell.date.isoformat() if cell.date else ""]
        rows.append(row)
    summary: list = ["Compliant", "", ""] + ([""] if with_manager else [])
    for c in matrix.columns:
        percent = f" ({c.percent}%)" if c.percent is not None else ""
        summary += [f"{c.compliant} of {c.required}{percent}", ""]
    rows.append(summary)
    return headers, rows


def team_export(request):
    """The matrix on the page (the same people, filters and order) as CSV or, with
    `format=xlsx`, XLSX; written in the audit log."""
    user = request.user
    params = request.GET
    team = team_for_user(user, params)
    matrix = matrix_for(team, params)
    xlsx = params.get("format") == "xlsx"
    file_name = f"compliance-{team.as_of.on:%Y-%m-%d}.{'xlsx' if xlsx else 'csv'}"
    headers, rows = matrix_table(matrix, with_manager=team.unit is None)
    audit_record(
        actor=user,
        action="export",
        object_type="export:compliance_matrix",
        object_id=team.unit.pk if team.unit else "",
        object_label=file_name,
        summary=f"Compliance matrix ({team.label}) as of {team.as_of.on:%d %B %Y}: "
        f"{len(matrix.rows):,} people, {len(matrix.columns)} requirements",
    )
    return table_response(file_name, headers, rows, "Compliance")
