"""The one upload page for every import kind: upload, preview what will change, apply.

A background task checks the file (a dry run); the page shows its progress, then what would be
added, changed and ended and every problem by row and column; applying runs the import again
on the same file against the data as it is then.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from peopleplan.access import gates
from peopleplan.core import services
from peopleplan.core.audit import audit_record
from peopleplan.core.exports import table_response
from peopleplan.core.forms import ImportUploadForm
from peopleplan.core.imports import get_kind
from peopleplan.core.tasks import import_run_task


def _kinds_or_403(user):
    kinds = gates.import_kinds_for_user(user)
    if not kinds:
        gates.require(user, "people.import")
    return kinds


@require_http_methods(["GET", "POST"])
def import_list(request):
    kinds = _kinds_or_403(request.user)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, kinds=kinds)
    else:
        form = ImportUploadForm(kinds=kinds)
    if form.is_bound and form.is_valid():
        run = services.import_run_create(
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            actor=request.user,
            special_category=gates.may_handle_special_category(request.user),
        )
        import_run_task.enqueue(run.pk, False)
        return redirect("core:import_detail", run_id=run.pk)
    runs = gates.import_runs_for_user(request.user).select_related("created_by")[:20]
    return render(
        request,
        "core/imports/list.html",
        {"form": form, "kinds": kinds, "runs": runs},
        status=400 if form.errors else 200,
    )


def import_detail(request, run_id):
    run = gates.access_import_run_for_user(request.user, run_id)
    kind = get_kind(run.kind)
    counts = run.summary.get("counts", {})
    problems = Paginator(run.problems, 100).get_page(request.GET.get("problems_page"))
    changes = Paginator(run.changes, 100).get_page(request.GET.get("changes_page"))
    return render(
        request,
        "core/imports/detail.html",
        {
            "run": run,
            "kind": kind,
            "counts": counts,
            "problems": problems,
            "changes": changes,
            "notes": run.summary.get("notes", []),
            "unknown_columns": run.summary.get("unknown_columns", []),
        },
    )


def import_progress(request, run_id):
    """The progress panel, polled by htmx; when the run is done the whole page reloads."""
    run = gates.access_import_run_for_user(request.user, run_id)
    response = render(request, "core/imports/_progress.html", {"run": run})
    if not run.is_running:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def import_apply(request, run_id):
    run = gates.access_import_run_for_user(request.user, run_id)
    skip_invalid = request.POST.get("skip_invalid") == "yes"
    try:
        run = services.import_run_mark_applying(
            run=run,
            actor=request.user,
            skip_invalid=skip_invalid,
            special_category=gates.may_handle_special_category(request.user),
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("core:import_detail", run_id=run.pk)
    import_run_task.enqueue(run.pk, True)
    return redirect("core:import_detail", run_id=run.pk)


@require_POST
def import_discard(request, run_id):
    run = gates.access_import_run_for_user(request.user, run_id)
    try:
        services.import_run_discard(run=run)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("core:import_detail", run_id=run.pk)
    messages.success(request, f"{run.file_name} was discarded. Nothing was changed.")
    return redirect("core:import_list")


def import_rejected(request, run_id):
    run = gates.access_import_run_for_user(request.user, run_id)
    if not run.rejected_csv:
        raise Http404
    response = HttpResponse(run.rejected_csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-{run.kind}-{run.pk}.csv"'
    return response


def _kind_for_user(user, kind_name):
    for kind in gates.import_kinds_for_user(user):
        if kind.name == kind_name:
            return kind
    raise Http404


def import_template(request, kind_name):
    kind = _kind_for_user(request.user, kind_name)
    return table_response(
        f"{kind.name}-template.csv",
        kind.column_names(),
        [[c.example for c in kind.columns]],
        kind.label,
    )


def export_download(request, kind_name):
    """Everything of one kind, in the import's own format (CSV, or XLSX with ?format=xlsx)."""
    kind = _kind_for_user(request.user, kind_name)
    special = gates.may_handle_special_category(request.user)
    xlsx = request.GET.get("format") == "xlsx"
    file_name = f"{kind.name}-{timezone.localdate():%Y-%m-%d}.{'xlsx' if xlsx else 'csv'}"
    headers, rows = kind().export_table(special_category=special)
    rows = list(rows)
    audit_record(
        actor=request.user,
        action="export",
        object_type=f"export:{kind.name}",
        object_label=file_name,
        summary=f"{kind.label}: {len(rows):,} rows"
        + ("" if special else ", without equality monitoring data"),
    )
    return table_response(file_name, headers, rows, kind.label)
