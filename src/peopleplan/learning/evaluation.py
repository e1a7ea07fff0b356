"""Evaluation of learning: the feedback form after a session and the impact check weeks later.

- **Feedback**: once a session has ended, everyone whose booking was attended or partly
  attended is asked for the feedback form: four statements rated 1 to 5, an overall rating, and
  two optional comments.
- **Impact check**: `PEOPLEPLAN["IMPACT_CHECK_WEEKS"]` weeks (12 by default) after the session
  ended, the learner and the line manager of their primary current job are each asked whether
  it has changed the learner's practice (yes, a lot / somewhat / not yet / no), with an example.
  With no line manager, only the learner is asked.

A request (`EvaluationRequest`) is made once per booking, kind and person, when it falls due,
by `peopleplan send_evaluation_requests` (daily), which emails a link to the form; a request
that fell due more than `PEOPLEPLAN["EVALUATION_WINDOW_DAYS"]` days ago (28 by default) is not
made, so history imported from another system is never asked about. It is answered once,
by its respondent only. Response rates are answered requests over requests made.

The questions are a fixed set in code (`QUESTIONS`); each answer is kept under the question's
key, which never changes, so results read by question whatever the wording becomes. A new
question gets a new key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.core.audit import audit_record
from peopleplan.core.messages import message_send
from peopleplan.learning.approvers import manager_of
from peopleplan.learning.models import Booking, EvaluationAnswer, EvaluationRequest, Session
from peopleplan.learning.services import actor_user

Kind = EvaluationRequest.Kind
Role = EvaluationRequest.Role
S = Booking.Status

# Bookings that are evaluated: the learner came to all or part of the session.
EVALUATED = (S.ATTENDED, S.PARTLY_ATTENDED)

RESULTS_CAPABILITY = "learning.evaluation_results"


# --- the questions ---------------------------------------------------------------------------

AGREE = (
    (5, "Strongly agree"),
    (4, "Agree"),
    (3, "Neither agree nor disagree"),
    (2, "Disagree"),
    (1, "Strongly disagree"),
)
GOOD = ((5, "Excellent"), (4, "Good"), (3, "Fair"), (2, "Poor"), (1, "Very poor"))
IMPACT = (
    ("yes_a_lot", "Yes, a lot"),
    ("somewhat", "Somewhat"),
    ("not_yet", "Not yet"),
    ("no", "No"),
)


@dataclass(frozen=True)
class Question:
    key: str  # stable: answers are kept under it
    kind: str  # the request kind it belongs to
    answer: str  # "rating" (1 to 5), "choice" (one of `options`) or "text"
    text: str  # as the learner reads it
    options: tuple = ()
    required: bool = True
    manager_text: str = ""  # as a line manager reads it, when different
    hint: str = ""

    def text_for(self, role: str) -> str:
        return self.manager_text if role == Role.MANAGER and self.manager_text else self.text


QUESTIONS: tuple[Question, ...] = (
    Question("outcomes", Kind.FEEDBACK, "rating", "The session met its stated outcomes", AGREE),
    Question(
        "trainer", Kind.FEEDBACK, "rating", "The trainer was knowledgeable and engaging", AGREE
    ),
    Question("use", Kind.FEEDBACK, "rating", "I will be able to use what I learnt", AGREE),
    Question(
        "arrangements", Kind.FEEDBACK, "rating", "The venue or online arrangements worked", AGREE
    ),
    Question("overall", Kind.FEEDBACK, "rating", "Overall, how would you rate the session?", GOOD),
    Question(
        "most_useful", Kind.FEEDBACK, "text", "What was most useful? (optional)", required=False
    ),
    Question("better", Kind.FEEDBACK, "text", "What could be better? (optional)", required=False),
    Question(
        "practice",
        Kind.IMPACT,
        "choice",
        "Has it changed your practice?",
        IMPACT,
        manager_text="Has it changed their practice?",
    ),
    Question(
        "example",
        Kind.IMPACT,
        "text",
        "Give an example (optional)",
        required=False,
        hint="Something you now do differently, or what has got in the way.",
    ),
)
QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}
RATED = tuple(q for q in QUESTIONS if q.answer == "rating")
IMPACT_QUESTION = QUESTION_BY_KEY["practice"]
TEXT_LIMIT = 5000


def questions_for(kind: str) -> tuple[Question, ...]:
    return tuple(q for q in QUESTIONS if q.kind == kind)


# --- settings --------------------------------------------------------------------------------


def impact_after() -> dt.timedelta:
    return dt.timedelta(weeks=int(settings.PEOPLEPLAN.get("IMPACT_CHECK_WEEKS", 12)))


def due_window() -> dt.timedelta:
    return dt.timedelta(days=int(settings.PEOPLEPLAN.get("EVALUATION_WINDOW_DAYS", 28)))


# --- access ----------------------------------------------------------------------------------


def requests_for_user(user) -> QuerySet[EvaluationRequest]:
    """The forms asked of the user: only ever their own."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or not person_id:
        return EvaluationRequest.objects.none()
    return EvaluationRequest.objects.filter(respondent_id=person_id).select_related(
        "booking__person", "booking__session__item"
    )


def access_request_for_user(user, request_id) -> EvaluationRequest:
    """A form asked of the user; anyone else's is the same 404 as one that does not exist."""
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = requests_for_user(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def trained_sessions(user) -> QuerySet[Session]:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return Session.objects.none()
    return Session.objects.filter(trainers=person_id)


def results_scope(user) -> Q | None:
    """Which requests' results the user may read, as a filter on `EvaluationRequest`, or None
    when they may read none: a council-wide L&D administrator or senior leader reads every
    result; a trainer reads the results of the sessions they train."""
    if not getattr(user, "is_authenticated", False):
        return None
    if gates.can(user, RESULTS_CAPABILITY):
        return Q()
    if getattr(user, "person_id", None) and trained_sessions(user).exists():
        return Q(booking__session__in=trained_sessions(user).values("pk"))
    return None


# --- making requests -------------------------------------------------------------------------


def _ended(now: dt.datetime, after: dt.timedelta) -> QuerySet[Booking]:
    """Attended (or partly) bookings of sessions whose last part ended between `after` and
    `after` plus the window ago: those falling due now."""
    latest = now - after
    return (
        Booking.objects.filter(status__in=EVALUATED)
        .exclude(session__status=Session.Status.CANCELLED)
        .annotate(ended_at=Max("session__parts__ends_at"))
        .filter(ended_at__lte=latest, ended_at__gt=latest - due_window())
        .select_related("person", "session__item")
        .order_by("ended_at", "id")
    )


def _link(request: EvaluationRequest) -> str:
    path = reverse("learning:evaluation_respond", args=[request.pk])
    site = str(settings.PEOPLEPLAN.get("SITE_URL", "") or "").rstrip("/")
    return f"{site}{path}" if site else ""


def _ask(request: EvaluationRequest, booking: Booking) -> None:
    """Email the respondent a link to the form, once for the request."""
    title = booking.session.item.title
    council = settings.PEOPLEPLAN.get("COUNCIL_NAME", "peopleplan")
    respondent = request.respondent
    link = _link(request)
    where = f"\n\n{link}" if link else " in peopleplan (Your feedback)."
    if request.kind == Kind.FEEDBACK:
        subject = f"How was it? {title}"
        body = (
            f"Dear {respondent.first_name},\n\nThank you for coming to {title}. Please tell us "
            "how it went: it takes two minutes, and the learning and development team reads "
            f"every answer.\n\nAnswer the questions here:{where}"
        )
    elif request.respondent_role == Role.LEARNER:
        subject = f"Has it made a difference? {title}"
        body = (
            f"Dear {respondent.first_name},\n\nA few weeks ago you went to {title}. Has it "
            f"changed your practice? Please tell us, with an example if you can:{where}"
        )
    else:
        learner = booking.person.full_name
        subject = f"Has it made a difference for {learner}? {title}"
        body = (
            f"Dear {respondent.first_name},\n\n{learner} went to {title} a few weeks ago. As "
            "their line manager, has it changed their practice? Please tell us, with an "
            f"example if you can:{where}"
        )
    message_send(
        to=respondent.email,
        key=f"learning:evaluation:{request.pk}",
        subject=subject,
        body=f"{body}\n\n{council}",
    )


def _create(booking: Booking, kind: str, respondent, role: str, now: dt.datetime) -> bool:
    request, created = EvaluationRequest.objects.get_or_create(
        booking=booking,
        kind=kind,
        respondent=respondent,
        defaults={"respondent_role": role, "sent_at": now},
    )
    if created:
        request.respondent = respondent
        _ask(request, booking)
    return created


def evaluation_requests_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Make (and email) every feedback request and impact check that has fallen due. Running it
    again makes and sends nothing more. Answers how many of each were made."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    made = {"feedback": 0, "impact_learner": 0, "impact_manager": 0}
    asked = EvaluationRequest.objects.filter(booking=OuterRef("pk"))
    left = Q(person__leaving_date__isnull=False, person__leaving_date__lt=on)
    with transaction.atomic():
        feedback = _ended(now, dt.timedelta(0)).exclude(left)
        for booking in feedback.filter(~Exists(asked.filter(kind=Kind.FEEDBACK))):
            made["feedback"] += _create(booking, Kind.FEEDBACK, booking.person, Role.LEARNER, now)
        impact = _ended(now, impact_after()).exclude(left)
        for booking in impact.filter(~Exists(asked.filter(kind=Kind.IMPACT))):
            made["impact_learner"] += _create(
                booking, Kind.IMPACT, booking.person, Role.LEARNER, now
            )
            manager = manager_of(booking.person_id, on)
            if manager is not None and manager.pk != booking.person_id:
                made["impact_manager"] += _create(booking, Kind.IMPACT, manager, Role.MANAGER, now)
    return made


# --- answering -------------------------------------------------------------------------------


class EvaluationError(ValueError):
    """An answer the rules refuse: answered already, or an answer out of range."""


def _clean(question: Question, value: Any) -> dict[str, Any]:
    empty = value is None or (isinstance(value, str) and not value.strip())
    if empty:
        if question.required:
            raise EvaluationError(f"Answer “{question.text}”")
        return {}
    if question.answer == "rating":
        try:
            rating = int(value)
        except (TypeError, ValueError):
            raise EvaluationError(f"“{question.text}” must be from 1 to 5") from None
        if not 1 <= rating <= 5:
            raise EvaluationError(f"“{question.text}” must be from 1 to 5")
        return {"rating": rating}
    if question.answer == "choice":
        if value not in dict(question.options):
            raise EvaluationError(f"Choose one of the answers to “{question.text}”")
        return {"choice": value}
    text = str(value).strip()
    if len(text) > TEXT_LIMIT:
        raise EvaluationError(f"“{question.text}” must be {TEXT_LIMIT} characters or fewer")
    return {"text": text}


def evaluation_respond(
    *,
    request: EvaluationRequest,
    answers: dict[str, Any],
    actor: Any,
    now: dt.datetime | None = None,
) -> EvaluationRequest:
    """Answer a request once: `answers` maps question keys to a rating, a choice or words.
    Refuses a request answered already, a missing required answer and an answer out of range;
    nothing is kept unless everything is right."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = EvaluationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.responded_at is not None:
            raise EvaluationError("This form has been answered already.")
        rows = []
        for question in questions_for(locked.kind):
            values = _clean(question, answers.get(question.key))
            if values:
                rows.append(EvaluationAnswer(request=locked, question=question.key, **values))
        EvaluationAnswer.objects.bulk_create(rows)
        locked.responded_at = now
        locked.responded_by = actor_user(actor)
        locked.save(update_fields=["responded_at", "responded_by"])
        audit_record(
            actor=actor,
            action="create",
            object_type="learning.EvaluationRequest",
            object_id=locked.pk,
            object_label=str(locked)[:200],
            summary=f"{locked.get_kind_display()} answered",
        )
    request.responded_at = locked.responded_at
    request.responded_by = locked.responded_by
    return request
