"""Evaluation results for L&D, senior leaders and trainers: by item, session, trainer or
provider, the requests made and answered (the response rate), the average of each rated
question, how the impact checks were answered, and the comments (never with a name).

Everything is counted in the database in a fixed number of queries whatever the number of
requests: one for the groups' requests, one for the answers of the groups on the page, two for
the totals, one for the comments and one for sessions' dates. A session with two trainers
counts for each of them, so the trainers' rows add up to more than the total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Min, Q, QuerySet

from peopleplan.learning.evaluation import IMPACT, RATED, Kind
from peopleplan.learning.models import (
    EvaluationAnswer,
    EvaluationRequest,
    LearningItem,
    Provider,
    Session,
    SessionPart,
)
from peopleplan.org.models import Person

PAGE_SIZE = 50
COMMENTS_SHOWN = 100

# How results are grouped: the request's field that names the group, and the fields that label it.
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "item": ("booking__session__item_id", ("booking__session__item__title",)),
    "session": ("booking__session_id", ("booking__session__item__title",)),
    "trainer": (
        "booking__session__trainers",
        ("booking__session__trainers__first_name", "booking__session__trainers__last_name"),
    ),
    "provider": (
        "booking__session__item__provider_id",
        ("booking__session__item__provider__name",),
    ),
}
GROUP_LABELS = {
    "item": "Learning item",
    "session": "Session",
    "trainer": "Trainer",
    "provider": "Provider",
}
NO_NAME = {"trainer": "No trainer named", "provider": "No provider named"}


@dataclass
class Filters:
    item: int | None = None
    provider: int | None = None
    trainer: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def q(self, prefix: str = "") -> Q:
        """The filter on requests (`prefix` "request__" for answers)."""
        q = Q()
        if self.item:
            q &= Q(**{f"{prefix}booking__session__item_id": self.item})
        if self.provider:
            q &= Q(**{f"{prefix}booking__session__item__provider_id": self.provider})
        if self.trainer:
            trained = Session.objects.filter(trainers=self.trainer).values("pk")
            q &= Q(**{f"{prefix}booking__session_id__in": trained})
        if self.date_from or self.date_to:
            parts = SessionPart.objects.all()
            if self.date_from:
                parts = parts.filter(starts_at__date__gte=self.date_from)
            if self.date_to:
                parts = parts.filter(starts_at__date__lte=self.date_to)
            q &= Q(**{f"{prefix}booking__session_id__in": parts.values("session_id")})
        return q


def _rate(answered: int, sent: int) -> Decimal | None:
    if not sent:
        return None
    return (Decimal(answered * 100) / sent).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _average(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Figures:
    """The numbers of one group (or of everything in the filter)."""

    key: int | None = None
    label: str = ""
    first: dt.datetime | None = None  # a session's first date
    feedback_sent: int = 0
    feedback_answered: int = 0
    impact_sent: int = 0
    impact_answered: int = 0
    averages: dict[str, Decimal | None] = field(default_factory=dict)
    impact: dict[str, int] = field(default_factory=dict)

    @property
    def feedback_rate(self) -> Decimal | None:
        return _rate(self.feedback_answered, self.feedback_sent)

    @property
    def impact_rate(self) -> Decimal | None:
        return _rate(self.impact_answered, self.impact_sent)

    @property
    def average_list(self) -> list[Decimal | None]:
        return [self.averages.get(q.key) for q in RATED]

    @property
    def impact_list(self) -> list[int]:
        return [self.impact.get(value, 0) for value, _ in IMPACT]

    def add_counts(self, kind: str, sent: int, answered: int) -> None:
        if kind == Kind.FEEDBACK:
            self.feedback_sent += sent
            self.feedback_answered += answered
        else:
            self.impact_sent += sent
            self.impact_answered += answered

    def add_answers(self, question: str, choice: str, n: int, average) -> None:
        if choice:
            self.impact[choice] = self.impact.get(choice, 0) + n
        else:
            self.averages[question] = _average(average)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "first": self.first,
            "feedback_sent": self.feedback_sent,
            "feedback_answered": self.feedback_answered,
            "feedback_rate": self.feedback_rate,
            "impact_sent": self.impact_sent,
            "impact_answered": self.impact_answered,
            "impact_rate": self.impact_rate,
            "averages": {q.key: self.averages.get(q.key) for q in RATED},
            "impact": {value: self.impact.get(value, 0) for value, _ in IMPACT},
        }


@dataclass
class Results:
    group: str
    groups: Page
    total: Figures
    comments: list[EvaluationAnswer]


def _label(group: str, row: dict) -> str:
    _, fields = GROUPS[group]
    words = " ".join(str(row[f]) for f in fields if row[f])
    return words or NO_NAME.get(group, "")


def _answers(requests_q: Q) -> QuerySet[EvaluationAnswer]:
    """Rated and impact answers (not the words) of the requests."""
    questions = [q.key for q in RATED] + ["practice"]
    return EvaluationAnswer.objects.filter(requests_q, question__in=questions)


def evaluation_results(
    *, scope: Q, filters: Filters, group: str = "item", page: int | str | None = 1
) -> Results:
    """The results the scope allows (see `evaluation.results_scope`), filtered and grouped."""
    key, label_fields = GROUPS[group]
    requests_q = scope & filters.q()
    requests = EvaluationRequest.objects.filter(requests_q)

    # 1. Requests made and answered, per group and kind.
    rows = (
        requests.values(key, *label_fields, "kind")
        .annotate(
            sent=Count("id", distinct=True),
            answered=Count("id", distinct=True, filter=Q(responded_at__isnull=False)),
        )
        .order_by()
    )
    by_key: dict[int | None, Figures] = {}
    for row in rows:
        figures = by_key.setdefault(row[key], Figures(key=row[key], label=_label(group, row)))
        figures.add_counts(row["kind"], row["sent"], row["answered"])
    ordered = sorted(by_key.values(), key=lambda f: (f.key is None, f.label.lower(), f.key or 0))
    groups = Paginator(ordered, PAGE_SIZE).get_page(page)
    shown = {f.key: f for f in groups.object_list}

    # 2. The answers of the groups on this page.
    if shown:
        keys = [k for k in shown if k is not None]
        in_page = Q(**{f"request__{key}__in": keys})
        if None in shown:
            in_page |= Q(**{f"request__{key}__isnull": True})
        answers = (
            _answers(Q(request__in=requests.values("pk")))
            .filter(in_page)
            .values(f"request__{key}", "question", "choice")
            .annotate(n=Count("id"), average=Avg("rating"))
            .order_by()
        )
        for row in answers:
            figures = shown.get(row[f"request__{key}"])
            if figures is not None:
                figures.add_answers(row["question"], row["choice"], row["n"], row["average"])

    # 3. Sessions' first dates.
    if group == "session" and shown:
        firsts = Session.objects.filter(pk__in=[k for k in shown if k]).annotate(
            first=Min("parts__starts_at")
        )
        for session_id, first in firsts.values_list("pk", "first"):
            shown[session_id].first = first

    # 4 and 5. Totals over everything in the filter (not a sum of groups: a session with two
    # trainers is one session).
    total = Figures(label="All")
    for row in (
        requests.values("kind")
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(responded_at__isnull=False)))
        .order_by()
    ):
        total.add_counts(row["kind"], row["sent"], row["answered"])
    for row in (
        _answers(Q(request__in=requests.values("pk")))
        .values("question", "choice")
        .annotate(n=Count("id"), average=Avg("rating"))
        .order_by()
    ):
        total.add_answers(row["question"], row["choice"], row["n"], row["average"])

    # 6. The latest comments, with what they are about but not who wrote them.
    comments = list(
        EvaluationAnswer.objects.filter(request__in=requests.values("pk"))
        .exclude(text="")
        .select_related("request__booking__session__item")
        .order_by("-request__responded_at", "-id")[:COMMENTS_SHOWN]
    )
    return Results(group=group, groups=groups, total=total, comments=comments)


def filter_choices(scope: Q) -> dict[str, list[tuple[int, str]]]:
    """What the filters offer: the items, providers and trainers that have requests in the
    scope (three queries)."""
    requests = EvaluationRequest.objects.filter(scope)
    sessions = requests.values("booking__session_id")
    items = (
        LearningItem.objects.filter(sessions__in=sessions)
        .distinct()
        .order_by("title", "id")
        .values_list("pk", "title")
    )
    providers = (
        Provider.objects.filter(items__sessions__in=sessions)
        .distinct()
        .order_by("name", "id")
        .values_list("pk", "name")
    )
    trainers = (
        Person.objects.filter(sessions_trained__in=sessions)
        .distinct()
        .order_by("last_name", "first_name", "id")
        .values_list("pk", "first_name", "last_name")
    )
    return {
        "item": list(items),
        "provider": list(providers),
        "trainer": [(pk, f"{first} {last}") for pk, first, last in trainers],
    }
