"""Writes of the shared kernel: import runs from the upload page.

The upload page stores the file, then a background task checks it (a dry run) for the preview,
and, when an HR officer says so, applies it. Progress is written to the run as it goes.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from peopleplan.core.imports import ImportFailed, get_kind, run_import
from peopleplan.core.models import ImportRun

logger = logging.getLogger(__name__)
PROBLEMS_KEPT = 2000
CHANGES_KEPT = 1000


def import_run_create(
    *, kind: str, upload: UploadedFile, actor: Any, special_category: bool = False
) -> ImportRun:
    get_kind(kind)  # refuse an unknown kind before storing anything
    run = ImportRun(
        kind=kind, file_name=upload.name[:255], created_by=actor, special_category=special_category
    )
    run.file.save(upload.name, upload, save=False)
    run.save()
    return run


def import_run_mark_applying(
    *, run: ImportRun, actor: Any, skip_invalid: bool, special_category: bool = False
) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.CHECKED and not (
            skip_invalid and run.status == ImportRun.Status.FAILED
        ):
            raise ValueError("Only a checked import can be applied.")
        run.status = ImportRun.Status.APPLYING
        run.applied_by = actor
        run.skip_invalid = skip_invalid
        run.special_category = special_category
        run.rows_done = 0
        run.save(
            update_fields=["status", "applied_by", "skip_invalid", "special_category", "rows_done"]
        )
    return run


def import_run_discard(*, run: ImportRun) -> ImportRun:
    if run.status in (ImportRun.Status.APPLIED, *ImportRun.RUNNING):
        raise ValueError("This import cannot be discarded now.")
    run.status = ImportRun.Status.DISCARDED
    run.save(update_fields=["status"])
    run.file.delete(save=False)
    return run


def import_run_process(*, run_id: int, apply: bool) -> ImportRun:
    """Check (apply=False) or apply the stored file, writing progress and the outcome."""
    run = ImportRun.objects.select_related("created_by", "applied_by").get(pk=run_id)
    stage_status = ImportRun.Status.APPLYING if apply else ImportRun.Status.CHECKING
    ImportRun.objects.filter(pk=run.pk).update(status=stage_status, rows_done=0)

    def progress(stage: str, done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(stage=stage, rows_done=done, rows_total=total)

    with run.file.open("rb") as handle:
        data = handle.read()
    try:
        result = run_import(
            run.kind,
            data,
            file_name=run.file_name,
            actor=run.applied_by if apply else run.created_by,
            dry_run=not apply,
            skip_invalid=run.skip_invalid if apply else False,
            special_category=run.special_category,
            progress=progress,
        )
    except ImportFailed as exc:
        run.status = ImportRun.Status.BROKEN
        run.message = str(exc)
        run.save(update_fields=["status", "message"])
        return run
    except Exception as exc:
        # Whatever went wrong, the run must not stay "applying" for ever; nothing was applied
        # (the import is one transaction) and the error is logged for the administrators.
        logger.exception("Import run %s failed", run.pk)
        run.status = ImportRun.Status.BROKEN
        run.message = f"The import stopped with an error and nothing was changed: {exc}"
        run.save(update_fields=["status", "message"])
        return run

    run.rows_total = result.rows_total
    run.rows_done = result.rows_total
    run.summary = result.as_dict()
    run.problems = [
        {"row": p.row, "column": p.column, "message": p.message}
        for p in result.problems[:PROBLEMS_KEPT]
    ]
    run.changes = [
        {"action": c.action, "key": c.key, "label": c.label, "details": c.details, "row": c.row}
        for c in result.changes
        if c.action != "unchanged"
    ][:CHANGES_KEPT]
    run.rejected_csv = result.rejected_csv() if result.rejected else ""
    if result.applied:
        run.status = ImportRun.Status.APPLIED
        run.applied_at = timezone.now()
        run.file.delete(save=False)
    elif apply:
        # The data changed since the preview and the file no longer applies cleanly.
        run.status = ImportRun.Status.FAILED
    else:
        run.status = ImportRun.Status.FAILED if result.problems else ImportRun.Status.CHECKED
    run.save()
    return run
