"""Every write of workforce insight that is not an import: the comparison population."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from peopleplan.core.audit import audit_record

from .models import ComparisonPopulation, ComparisonShare


def _shares_of(population: ComparisonPopulation | None) -> dict[str, str]:
    if population is None:
        return {}
    return {
        f"{dimension}: {group}": str(percent)
        for dimension, group, percent in population.shares.values_list(
            "dimension", "group", "percent"
        )
    }


@transaction.atomic
def comparison_set(
    *, name: str, source: str, shares: dict[tuple[str, str], Decimal], actor: Any
) -> ComparisonPopulation:
    """Hold this comparison population (the council has one): its name, where its figures
    come from and each group's share, (dimension, group) -> per cent; groups left out have
    no figure. Written in the audit log with what it was."""
    population = ComparisonPopulation.objects.select_for_update().order_by("pk").first()
    before = None
    if population is not None:
        before = {"name": population.name, "source": population.source} | _shares_of(population)
        population.shares.all().delete()
        population.name, population.source = name, source
    else:
        population = ComparisonPopulation(name=name, source=source)
    population.updated_at = timezone.now()
    population.save()
    ComparisonShare.objects.bulk_create(
        ComparisonShare(population=population, dimension=dimension, group=group, percent=percent)
        for (dimension, group), percent in shares.items()
    )
    audit_record(
        actor=actor,
        action="update" if before is not None else "create",
        object_type="workforce:comparison",
        object_id=population.pk,
        object_label=name,
        summary="Equality comparison population set",
        before=before,
        after={"name": name, "source": source} | _shares_of(population),
    )
    return population
