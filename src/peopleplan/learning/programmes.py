"""Programmes: an ordered set of catalogue items, complete when every item is done (or the
programme's `required_count` of them), such as a manager development programme or the ASYE.
Progress counts the verified completions a member has of the programme's items, whenever they
were made. Reads only: programmes and their cohorts are kept in the admin or by import."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from peopleplan.learning.models import Completion, Programme, ProgrammeItem, ProgrammeMember
from peopleplan.org.models import Person


@dataclass
class Progress:
    """A person's progress through a programme."""

    done_ids: set[int]
    needed: int
    of: int

    @property
    def done(self) -> int:
        return len(self.done_ids)

    @property
    def complete(self) -> bool:
        return self.done >= self.needed

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.needed)) if self.needed else 100


def needed(programme: Programme, of: int) -> int:
    """How many items complete the programme: its `required_count`, or all of them."""
    return min(programme.required_count, of) if programme.required_count else of


def rule_text(programme: Programme, of: int) -> str:
    n = needed(programme, of)
    return f"Complete all {of} items" if n == of else f"Complete any {n} of the {of} items"


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.annotate(item_count=Count("entries")).order_by("title", "pk")


def programme_ids_of(person_id: int | None) -> set[int]:
    """The programmes the person is a member of: one query."""
    if not person_id:
        return set()
    return set(
        ProgrammeMember.objects.filter(person_id=person_id).values_list("programme_id", flat=True)
    )


def access_programme(programme_id) -> Programme:
    """A programme (every member of staff may see the programmes); otherwise a 404."""
    try:
        pk = int(programme_id)
    except (TypeError, ValueError):
        raise Http404 from None
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def entries(programme: Programme) -> list[ProgrammeItem]:
    return list(
        ProgrammeItem.objects.filter(programme=programme)
        .select_related("item")
        .order_by("position", "pk")
    )


def _done(person_ids: list[int], item_ids: list[int]) -> dict[int, set[int]]:
    done: dict[int, set[int]] = defaultdict(set)
    for person_id, item_id in (
        Completion.objects.filter(
            person_id__in=person_ids, item_id__in=item_ids, status=Completion.Status.VERIFIED
        )
        .values_list("person_id", "item_id")
        .distinct()
    ):
        done[person_id].add(item_id)
    return done


def cohort_progress(
    programme: Programme, items: list[ProgrammeItem], people: QuerySet[Person]
) -> list[tuple[ProgrammeMember, Progress]]:
    """The members of the programme among `people` (those the viewer may see), each with their
    progress: two queries."""
    members = list(
        ProgrammeMember.objects.filter(programme=programme, person__in=people)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    item_ids = [e.item_id for e in items]
    done = _done([m.person_id for m in members], item_ids)
    n = needed(programme, len(items))
    return [(m, Progress(done[m.person_id], n, len(items))) for m in members]


def person_programmes(person_id: int) -> list[tuple[Programme, list[ProgrammeItem], Progress]]:
    """The programmes the person is a member of, with their items and the person's progress:
    three queries."""
    programmes = [
        m.programme
        for m in ProgrammeMember.objects.filter(person_id=person_id)
        .select_related("programme")
        .order_by("programme__title", "pk")
    ]
    by_programme: dict[int, list[ProgrammeItem]] = defaultdict(list)
    for entry in (
        ProgrammeItem.objects.filter(programme__in=programmes)
        .select_related("item")
        .order_by("position", "pk")
    ):
        by_programme[entry.programme_id].append(entry)
    all_items = [e.item_id for items in by_programme.values() for e in items]
    done = _done([person_id], all_items).get(person_id, set()) if programmes else set()
    result = []
    for programme in programmes:
        items = by_programme[programme.pk]
        mine = {e.item_id for e in items} & done
        result.append((programme, items, Progress(mine, needed(programme, len(items)), len(items))))
    return result


def progress_of(person_id: int | None, programme: Programme) -> Progress | None:
    """The person's progress through the programme, or None when they are not in it."""
    if not person_id:
        return None
    return next(
        (progress for p, _items, progress in person_programmes(person_id) if p.pk == programme.pk),
        None,
    )
