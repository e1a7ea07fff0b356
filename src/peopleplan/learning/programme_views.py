"""Programmes: the list, and a programme's page with its items in order, the viewer's own
progress when they are in its cohort, and the progress of the members the viewer may see the
records of (their reports; everyone an L&D or HR grant covers)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from peopleplan.access import gates
from peopleplan.learning import programmes

PAGE_SIZE = 50


def programme_list(request):
    mine = programmes.programme_ids_of(request.user.person_id)
    rows = [
        {
            "programme": p,
            "rule": programmes.rule_text(p, p.item_count),
            "mine": p.pk in mine,
        }
        for p in programmes.programme_list()
    ]
    return render(request, "learning/programmes.html", {"rows": rows})


def programme(request, programme_id):
    programme = programmes.access_programme(programme_id)
    items = programmes.entries(programme)
    mine = programmes.progress_of(request.user.person_id, programme)
    visible = gates.learning_record_people_for_user(request.user)
    if request.user.person_id:
        visible = visible.exclude(pk=request.user.person_id)
    cohort = Paginator(programmes.cohort_progress(programme, items, visible), PAGE_SIZE)
    return render(
        request,
        "learning/programme.html",
        {
            "programme": programme,
            "items": items,
            "rule": programmes.rule_text(programme, len(items)),
            "mine": mine,
            "cohort": cohort.get_page(request.GET.get("page")),
        },
    )
