"""The evaluation API: the forms asked of the user (feedback and impact checks) with their
questions, answering one, and the results, with the same access as the pages: a form asked of
someone else is a 404; results are for council-wide L&D administrators and senior leaders,
and for trainers about their own sessions (403 for anyone else)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from peopleplan.learning import evaluation
from peopleplan.learning.evaluation import QUESTION_BY_KEY, questions_for
from peopleplan.learning.evaluation_forms import ResponseForm, ResultsFilterForm
from peopleplan.learning.evaluation_results import evaluation_results, filter_choices
from peopleplan.learning.models import EvaluationRequest


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    answer = serializers.CharField(help_text="rating (1 to 5), choice or text")
    text = serializers.CharField()
    required = serializers.BooleanField()
    options = serializers.ListField(child=serializers.DictField())


class EvaluationRequestSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    session = serializers.IntegerField(source="booking.session_id", read_only=True)
    item_title = serializers.CharField(source="booking.session.item.title", read_only=True)
    learner = serializers.IntegerField(source="booking.person_id", read_only=True)
    learner_name = serializers.CharField(source="booking.person.full_name", read_only=True)
    questions = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationRequest
        fields = [
            "id",
            "kind",
            "kind_label",
            "respondent_role",
            "booking",
            "session",
            "item_title",
            "learner",
            "learner_name",
            "sent_at",
            "responded_at",
            "questions",
            "answers",
        ]

    def get_questions(self, asked: EvaluationRequest) -> list[dict]:
        return [
            {
                "key": q.key,
                "answer": q.answer,
                "text": q.text_for(asked.respondent_role),
                "required": q.required,
                "options": [{"value": v, "label": label} for v, label in q.options],
            }
            for q in questions_for(asked.kind)
        ]

    def get_answers(self, asked: EvaluationRequest) -> dict:
        """Your answers by question key, once answered (read with the request's answers)."""
        answers = getattr(asked, "prefetched_answers", None)
        if answers is None:
            answers = list(asked.answers.all())
        return {
            a.question: (a.rating if a.rating is not None else a.choice or a.text)
            for a in answers
            if a.question in QUESTION_BY_KEY
        }


def _errors(form) -> dict[str, list[str]]:
    """A form's errors by field name, in the words the pages use."""
    return {
        name: [str(m) for e in errors for m in e.messages]
        for name, errors in form.errors.as_data().items()
    }


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound from None


@extend_schema(
    parameters=[OpenApiParameter("waiting", bool, description="Only those not answered yet")]
)
class EvaluationRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Feedback forms and impact checks asked of you."""

    serializer_class = EvaluationRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvaluationRequest.objects.none()
        mine = (
            evaluation.requests_for_user(self.request.user)
            .prefetch_related("answers")
            .order_by("-sent_at", "-id")
        )
        if self.request.query_params.get("waiting") in ("true", "1", "yes"):
            mine = mine.filter(responded_at__isnull=True)
        return mine

    def get_object(self):
        found = self.get_queryset().filter(pk=_id(self.kwargs["pk"])).first()
        if found is None:
            raise NotFound
        return found

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses=EvaluationRequestSerializer,
        description="Answer the form once: an object of question keys to a rating (1 to 5), "
        "a choice's value or words, as the request's `questions` say.",
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        asked = self.get_object()
        if asked.is_answered:
            raise ValidationError({"detail": "This form has been answered already."})
        data = request.data if hasattr(request.data, "get") else {}
        form = ResponseForm(data, kind=asked.kind, role=asked.respondent_role)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        try:
            evaluation.evaluation_respond(
                request=asked, answers=form.cleaned_data, actor=request.user
            )
        except evaluation.EvaluationError as refused:
            raise ValidationError({"detail": str(refused)}) from None
        return Response(EvaluationRequestSerializer(self.get_object()).data)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "group", str, description="item (the default), session, trainer or provider"
        ),
        OpenApiParameter("item", int, description="Only this learning item"),
        OpenApiParameter("provider", int, description="Only this provider's items"),
        OpenApiParameter("trainer", int, description="Only sessions this person trains"),
        OpenApiParameter("date_from", str, description="Sessions from this date (YYYY-MM-DD)"),
        OpenApiParameter("date_to", str, description="Sessions to this date (YYYY-MM-DD)"),
        OpenApiParameter("page", int, description="A page of 50 groups"),
    ],
    responses=OpenApiTypes.OBJECT,
)
class EvaluationResultsViewSet(viewsets.ViewSet):
    """Evaluation results: response rates, average ratings, impact answers and comments."""

    def list(self, request):
        scope = evaluation.results_scope(request.user)
        if scope is None:
            raise PermissionDenied
        form = ResultsFilterForm(request.query_params, choices=filter_choices(scope))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        results = evaluation_results(
            scope=scope,
            filters=form.filters(),
            group=form.chosen_group(),
            page=request.query_params.get("page"),
        )
        return Response(
            {
                "group": results.group,
                "page": results.groups.number,
                "pages": results.groups.paginator.num_pages,
                "rated_questions": {q.key: q.text for q in evaluation.RATED},
                "impact_answers": dict(evaluation.IMPACT),
                "groups": [f.as_dict() for f in results.groups],
                "total": results.total.as_dict(),
                "comments": [
                    {
                        "item_title": a.request.booking.session.item.title,
                        "session": a.request.booking.session_id,
                        "kind": a.request.kind,
                        "respondent_role": a.request.respondent_role,
                        "question": a.question,
                        "responded_at": a.request.responded_at,
                        "text": a.text,
                    }
                    for a in results.comments
                ],
            }
        )


router = SimpleRouter()
router.register("learning/evaluations", EvaluationRequestViewSet, basename="learning-evaluation")
router.register(
    "learning/evaluation-results", EvaluationResultsViewSet, basename="learning-evaluation-result"
)
urlpatterns = router.urls
