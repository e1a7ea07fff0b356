"""The audit log's one writer. Services call `audit_record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Model

from peopleplan.core.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value.pk)
    return value


def audit_record(**fields: Any) -> AuditEntry:
    """Write one entry now (the fields are those of `audit_entry`)."""
    entry = audit_entry(**fields)
    entry.save()
    return entry


def audit_record_many(entries: Iterable[AuditEntry], batch_size: int = 2000) -> None:
    """Bulk insert for imports: entries built with `audit_entry`, written a batch at a time so
    that a generator of many entries never holds them all."""
    iterator = iter(entries)
    while batch := list(islice(iterator, batch_size)):
        AuditEntry.objects.bulk_create(batch)


def audit_entry(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    object_label: str = "",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = str(actor) if user is not None else (str(actor) if actor else "system")
    return AuditEntry(
        actor=user,
        actor_label=label[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id or "")[:60],
        object_label=str(object_label)[:200],
        summary=summary[:500],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )
