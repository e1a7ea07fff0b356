"""Pages of evaluation: "Your feedback" (the forms waiting for the user), a form to answer,
and the results for L&D, senior leaders and trainers. Thin: the gates of `evaluation`, its
services, the results selector.

A form asked of someone else is the same 404 as one that does not exist; the results page is
403 for someone who may read no results at all."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peopleplan.access import gates
from peopleplan.learning import evaluation
from peopleplan.learning.evaluation import IMPACT, QUESTION_BY_KEY, RATED
from peopleplan.learning.evaluation_forms import ResponseForm, ResultsFilterForm
from peopleplan.learning.evaluation_results import (
    COMMENTS_SHOWN,
    GROUP_LABELS,
    Filters,
    evaluation_results,
    filter_choices,
)
from peopleplan.learning.models import EvaluationRequest

ANSWERED_SHOWN = 20


def evaluations(request):
    user = request.user
    mine = evaluation.requests_for_user(user)
    waiting = list(mine.filter(responded_at__isnull=True).order_by("sent_at", "id"))
    answered = list(
        mine.filter(responded_at__isnull=False).order_by("-responded_at")[:ANSWERED_SHOWN]
    )
    return render(
        request,
        "learning/evaluations.html",
        {
            "has_person": bool(user.person_id),
            "waiting": waiting,
            "answered": answered,
            "reads_results": evaluation.results_scope(user) is not None,
            "whole_council": gates.can(user, evaluation.RESULTS_CAPABILITY),
        },
    )


@require_http_methods(["GET", "POST"])
def evaluation_respond(request, request_id):
    asked = evaluation.access_request_for_user(request.user, request_id)
    if asked.is_answered:
        if request.method == "POST":
            messages.info(request, "You have answered this form already.")
            return redirect("learning:evaluations")
        return render(request, "learning/evaluation_answered.html", {"asked": asked})
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        kind=asked.kind,
        role=asked.respondent_role,
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.evaluation_respond(
                request=asked, answers=form.cleaned_data, actor=request.user
            )
        except evaluation.EvaluationError as refused:
            messages.info(request, str(refused))
        else:
            messages.success(
                request,
                f"Thank you: your answers about {asked.booking.session.item.title} are sent.",
            )
        return redirect("learning:evaluations")
    first = asked.booking.session.parts.order_by("starts_at").first()
    return render(
        request,
        "learning/evaluation_respond.html",
        {"asked": asked, "form": form, "first": first and first.starts_at},
        status=400 if form.errors else 200,
    )


def evaluation_results_page(request):
    scope = evaluation.results_scope(request.user)
    if scope is None:
        raise PermissionDenied
    choices = filter_choices(scope)
    form = ResultsFilterForm(request.GET or None, choices=choices)
    group = form.chosen_group() if request.GET else "item"
    results = evaluation_results(
        scope=scope,
        filters=form.filters() if request.GET else Filters(),
        group=group,
        page=request.GET.get("page"),
    )
    return render(
        request,
        "learning/evaluation_results.html",
        {
            "form": form,
            "results": results,
            "group_label": GROUP_LABELS[group],
            "rated": RATED,
            "impact_options": IMPACT,
            "comments": [
                {
                    "item": answer.request.booking.session.item.title,
                    "question": QUESTION_BY_KEY[answer.question].text
                    if answer.question in QUESTION_BY_KEY
                    else answer.question,
                    "manager": answer.request.respondent_role == EvaluationRequest.Role.MANAGER,
                    "on": answer.request.responded_at,
                    "text": answer.text,
                }
                for answer in results.comments
            ],
            "comments_shown": COMMENTS_SHOWN,
            "whole_council": gates.can(request.user, evaluation.RESULTS_CAPABILITY),
        },
    )
