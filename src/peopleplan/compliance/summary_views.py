"""Pages of compliance in numbers: the summary of a unit, the people behind a number, expiring
soon, the leaders' overview, and their downloads (`?format=csv` or `xlsx` on each page, and
the full export). Thin: the gates, the selectors of `summary`, the exports of `core`.

Who: `compliance.summary` (L&D administrators, HR officers, senior leaders, in the units of
their grants) reads the numbers; `compliance.summary_people` (L&D and HR only) the people behind
them, by name. Senior leaders see numbers, not names. A page the user's roles do not open is
403; a unit outside their scope, or a requirement that does not exist, is 404.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from itertools import islice

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from peopleplan.access import gates
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.core.exports import XLSX, table_response

from . import status, summary
from .rules import StatusCode

PAGE_SIZE = 50
STATUS_LABELS = dict(StatusCode.choices)


def as_of(request) -> dt.date:
    """The date asked for (`?on=2026-11-27`), or today."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return today()


def summary_scope(request) -> list[str] | None:
    gates.require(request.user, "compliance.summary")
    return gates.compliance_summary_paths(request.user)


def names_scope(request) -> list[str] | None:
    gates.require(request.user, "compliance.summary_people")
    return gates.compliance_names_paths(request.user)


def chosen_unit(request, paths):
    """The unit asked for (404 outside the scope), or the top of the scope."""
    if request.GET.get("unit"):
        unit = summary.unit_in_scope(paths, request.GET["unit"])
        if unit is None:
            raise Http404
        return unit
    return summary.default_unit(paths)


def export_format(request) -> str | None:
    wanted = request.GET.get("format")
    return wanted if wanted in ("csv", "xlsx") else None


def download(request, *, name: str, title: str, headers: list[str], rows: list[list]):
    """A page's table as CSV or XLSX, written in the audit log."""
    fmt = export_format(request)
    file_name = f"{name}-{as_of(request):%Y-%m-%d}.{fmt}"
    audit_record(
        actor=request.user,
        action="export",
        object_type=f"export:{name}",
        object_label=file_name,
        summary=f"{title}: {len(rows):,} rows ({request.GET.urlencode()})",
    )
    return table_response(file_name, headers, rows, title)


def _query(request) -> str:
    """The page's query without its page number or format: for the download links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def _percent(tally: summary.Tally) -> str:
    return "" if tally.percent is None else str(tally.percent)


TALLY_HEADERS = [
    "compliant",
    "due_soon",
    "overdue",
    "expired",
    "exempt",
    "counted",
    "percent_compliant",
]


def _tally_cells(tally: summary.Tally) -> list:
    return [
        tally.compliant,
        tally.due_soon,
        tally.overdue,
        tally.expired,
        tally.exempt,
        tally.counted,
        _percent(tally),
    ]


# --- the summary of a unit -------------------------------------------------------------------


def summary_page(request):
    paths = summary_scope(request)
    unit = chosen_unit(request, paths)
    on = as_of(request)
    result = summary.unit_summary(paths=paths, unit=unit, as_of=on)
    if export_format(request):
        rows = []
        for line in result.lines:
            for column, tally in zip(result.columns, line.cells, strict=True):
                rows.append(
                    [
                        line.requirement.code,
                        line.requirement.name,
                        column.label,
                        *_tally_cells(tally),
                    ]
                )
            rows.append(
                [line.requirement.code, line.requirement.name, "All", *_tally_cells(line.total)]
            )
        return download(
            request,
            name="compliance-summary",
            title="Compliance summary",
            headers=["requirement_code", "requirement", "unit", *TALLY_HEADERS],
            rows=rows,
        )
    names = gates.can(request.user, "compliance.summary_people")
    name_paths = gates.compliance_names_paths(request.user) if names else []

    def cell(tally, req, column):
        # Links to the people only where every one of them is in the user's L&D or HR scope.
        area = column.unit if column else result.unit
        linked = names and (
            (area is not None and summary.in_scope(name_paths, area))
            or (area is None and name_paths is None)
        )
        return cell_data(tally, req, column, on, linked)

    whole = summary.Column(result.unit) if result.unit is not None else None
    table = [
        {
            "requirement": line.requirement,
            "cells": [
                cell(t, line.requirement, c)
                for t, c in zip(line.cells, result.columns, strict=True)
            ],
            "total": cell(line.total, line.requirement, whole),
        }
        for line in result.lines
    ]
    columns = [
        {
            "label": c.label,
            "url": None
            if c.direct or not c.has_children
            else f"?{urlencode({'unit': c.unit.pk, 'on': on.isoformat()})}",
        }
        for c in result.columns
    ]
    return render(
        request,
        "compliance/summary/summary.html",
        {
            "result": result,
            "table": table,
            "columns": columns,
            "column_totals": [cell_data(t, None, None, on, False) for t in result.column_totals],
            "total": cell_data(result.total, None, None, on, False),
            "on": on,
            "is_today": on == today(),
            "parent": unit.parent
            if unit and unit.parent and summary.in_scope(paths, unit.parent)
            else None,
            "names": names,
            "query": _query(request),
        },
    )


OTHERS = (
    (StatusCode.DUE_SOON, "Due soon"),
    (StatusCode.OVERDUE, "Overdue"),
    (StatusCode.EXPIRED, "Expired"),
    (StatusCode.EXEMPT, "Exempt"),
)


def people_url(req, column, on, code=None) -> str:
    query = {"requirement": req.pk}
    if column is not None:
        query["unit"] = column.unit.pk
        if column.direct:
            query["direct"] = 1
    if code:
        query["status"] = code
    query["on"] = on.isoformat()
    return f"{reverse('compliance:summary_people')}?{urlencode(query)}"


def cell_data(tally, req, column, on, linked: bool) -> dict:
    """A cell's numbers, with the links to the people behind them when `linked`."""
    link = linked and req is not None
    return {
        "tally": tally,
        "links": {
            "compliant": people_url(req, column, on, StatusCode.COMPLIANT),
        }
        if link
        else None,
        "others": [
            {
                "label": label,
                "n": tally.counts[code],
                "url": people_url(req, column, on, code) if link else None,
            }
            for code, label in OTHERS
            if tally.counts[code]
        ],
    }


# --- the people behind a number --------------------------------------------------------------


def people_choices(request, paths):
    """(requirement, unit, direct, status code, date) asked for; 404 for a requirement not in
    force, a unit outside the scope or a status that does not exist."""
    req = summary.requirement_by_id(status.requirements_in_force(), request.GET.get("requirement"))
    if req is None:
        raise Http404
    unit = None
    if request.GET.get("unit"):
        unit = summary.unit_in_scope(paths, request.GET["unit"])
        if unit is None:
            raise Http404
    direct = request.GET.get("direct") == "1" and unit is not None
    code = request.GET.get("status") or None
    if code is not None and code not in STATUS_LABELS:
        raise Http404
    return req, unit, direct, code, as_of(request)


def people_within(paths, unit, direct: bool):
    """The jobs whose people the user may see by name: in the unit, inside their scope."""
    within = summary.within_q(paths, unit, direct=direct)
    if unit is not None and paths is not None:
        within &= summary.scope_q(paths)
    return within


def people_page(request):
    paths = names_scope(request)
    req, unit, direct, code, on = people_choices(request, paths)
    within = people_within(paths, unit, direct)
    rows = summary.people_rows(req, on, within, code)
    if export_format(request):
        return download(
            request,
            name="compliance-people",
            title="Compliance people",
            headers=PEOPLE_HEADERS,
            rows=list(_people_with_reasons(rows, req, on)),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    found = status.statuses(
        person_ids=[r.person_id for r in page.object_list], requirements=[req], as_of=on
    )
    return render(
        request,
        "compliance/summary/people.html",
        {
            "requirement": req,
            "unit": unit,
            "direct": direct,
            "code": code,
            "code_label": STATUS_LABELS.get(code, ""),
            "on": on,
            "page": page,
            "lines": [(r, found.get((r.person_id, req.pk))) for r in page.object_list],
            "query": _query(request),
        },
    )


PEOPLE_HEADERS = [
    "employee_number",
    "name",
    "job",
    "unit",
    "status",
    "due_on",
    "expires_on",
    "reason",
]


REASONS_CHUNK = 1000


def _people_with_reasons(rows, req, on):
    """The rows of the download, their reasons read for a thousand people at a time."""
    read = rows.iterator(chunk_size=REASONS_CHUNK)
    while chunk := list(islice(read, REASONS_CHUNK)):
        found = status.statuses(
            person_ids={r.person_id for r in chunk}, requirements=[req], as_of=on
        )
        yield from (_person_cells(r, found.get((r.person_id, req.pk))) for r in chunk)


def person_dict(row, found) -> dict:
    return dict(zip(PEOPLE_HEADERS, _person_cells(row, found), strict=True))


def _person_cells(row, found) -> list:
    return [
        row.person.employee_number,
        row.person.full_name,
        row.job_role.title,
        row.unit.name,
        STATUS_LABELS.get(row.code, row.code),
        found.due_on.isoformat() if found and found.due_on else "",
        found.expires_on.isoformat() if found and found.expires_on else "",
        found.reason if found else "",
    ]


# --- expiring soon ---------------------------------------------------------------------------


def window(request) -> int:
    """The window asked for (`?days=30`, 60 or 90), 30 by default."""
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        return 30
    return days if days in summary.WINDOWS else 30


def expiring_page(request):
    paths = summary_scope(request)
    unit = chosen_unit(request, paths)
    on = as_of(request)
    days = window(request)
    requirements = status.requirements_in_force()
    counts = summary.expiring_counts(
        requirements=requirements, as_of=on, within=summary.within_q(paths, unit)
    )
    names = gates.can(request.user, "compliance.summary_people")
    req = summary.requirement_by_id(requirements, request.GET.get("requirement"))
    if req is None:  # the requirement with the most people running out
        busiest = max(counts, key=lambda c: c[1][days], default=None)
        req = busiest[0] if busiest and busiest[1][days] else None
    page = None
    if names and req is not None:
        within = people_within(gates.compliance_names_paths(request.user), unit, False)
        rows = (
            summary.expiring_rows(req, on, within, days)
            .select_related("person", "unit", "job_role")
            .order_by("held__held_until", "person__last_name", "person__first_name", "pk")
        )
        if export_format(request):
            return download(
                request,
                name="compliance-expiring",
                title="Expiring soon",
                headers=["requirement_code", *PEOPLE_HEADERS[:4], "expires_on"],
                rows=[
                    [
                        req.code,
                        r.person.employee_number,
                        r.person.full_name,
                        r.job_role.title,
                        r.unit.name,
                        r.until.isoformat(),
                    ]
                    for r in rows
                ],
            )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    elif export_format(request):
        return download(
            request,
            name="compliance-expiring",
            title="Expiring soon",
            headers=[
                "requirement_code",
                "requirement",
                *(f"within_{w}_days" for w in summary.WINDOWS),
            ],
            rows=[[r.code, r.name, *(c[w] for w in summary.WINDOWS)] for r, c in counts],
        )
    return render(
        request,
        "compliance/summary/expiring.html",
        {
            "counts": counts,
            "windows": summary.WINDOWS,
            "days": days,
            "requirement": req,
            "unit": unit,
            "on": on,
            "names": names,
            "page": page,
            "query": _query(request),
        },
    )


# --- the leaders' overview -------------------------------------------------------------------


def overview_page(request):
    paths = summary_scope(request)
    on = as_of(request)
    result = summary.overview(paths=paths, as_of=on)
    if export_format(request):
        rows = [
            ["requirement", line.requirement.code, line.requirement.name, *_tally_cells(line.total)]
            for line in result.requirements
        ] + [
            ["unit", column.unit.code, column.label, *_tally_cells(tally)]
            for column, tally in result.units
        ]
        return download(
            request,
            name="compliance-overview",
            title="Compliance overview",
            headers=["kind", "code", "name", *TALLY_HEADERS],
            rows=rows,
        )
    return render(
        request,
        "compliance/summary/overview.html",
        {
            "result": result,
            "on": on,
            "whole_council": paths is None,
            "query": _query(request),
            "names": gates.can(request.user, "compliance.summary_people"),
        },
    )


# --- the full export -------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def full_export(request):
    """Every person in an audience by every requirement, in the user's L&D or HR scope: CSV
    streamed as it is read, or XLSX written to a temporary file a chunk at a time."""
    paths = names_scope(request)
    on = as_of(request)
    fmt = export_format(request) or "csv"
    file_name = f"compliance-full-{on:%Y-%m-%d}.{fmt}"
    requirements = status.requirements_in_force()
    rows = summary.full_export_rows(
        requirements=requirements, as_of=on, within=summary.scope_q(paths)
    )
    audit_record(
        actor=request.user,
        action="export",
        object_type="export:compliance-full",
        object_label=file_name,
        summary=f"Full compliance export as of {on:%Y-%m-%d}: {len(requirements)} requirements, "
        + ("the whole council" if paths is None else f"{len(paths)} units and below"),
    )
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="Compliance")
        sheet.append(summary.FULL_EXPORT_HEADERS)
        for row in rows:
            sheet.append(row)
        out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        workbook.save(out)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=file_name, content_type=XLSX)
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines():
        yield "\ufeff" + writer.writerow(summary.FULL_EXPORT_HEADERS)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
