"""The learning API: the catalogue and sessions for every member of staff; bookings for the
people the user may book for (`gates.booking_people_for_user`); approvals for approvers. Every
write goes through the booking services, and a booking the user may not act on is a 404, the
same as one that does not exist. A refused booking (a closed window, a second booking) is a 400
with the reason."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from peopleplan.access import gates
from peopleplan.learning import approvals, evaluation_api, programmes, record_api, services
from peopleplan.learning.forms import MANY_LIMIT
from peopleplan.learning.models import Booking, LearningItem, Session
from peopleplan.learning.serializers import (
    BookingRequestSerializer,
    BookingSerializer,
    DecisionSerializer,
    LearningItemSerializer,
    ManyRequestSerializer,
    OutcomeSerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
    ReasonSerializer,
    SessionSerializer,
)


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound from None


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Words in the title or summary"),
        OpenApiParameter("kind", str, description="A kind of learning"),
    ]
)
class LearningItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LearningItemSerializer

    def get_queryset(self):
        items = (
            LearningItem.objects.filter(is_active=True)
            .select_related("provider")
            .prefetch_related("topics")
        )
        if words := self.request.query_params.get("q", "").strip():
            for word in words.split():
                items = items.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        if kind := self.request.query_params.get("kind"):
            items = items.filter(kind=kind)
        return items.order_by("title", "id")


@extend_schema(parameters=[OpenApiParameter("item", int, description="Sessions of one item")])
class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer

    def get_queryset(self):
        sessions = (
            Session.objects.exclude(status=Session.Status.PLANNED)
            .filter(item__is_active=True)
            .select_related("item", "venue")
            .prefetch_related("parts")
            .annotate(
                places_left=F("capacity")
                - Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING))
            )
            .order_by("id")
        )
        if item := self.request.query_params.get("item"):
            sessions = sessions.filter(item_id=_id(item))
        return sessions


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes, with their items in order; one programme says your progress if you are in
    its cohort."""

    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        return programmes.programme_list()

    @extend_schema(responses=ProgrammeDetailSerializer)
    def retrieve(self, request, pk=None):
        programme = self.get_queryset().filter(pk=_id(pk)).first()
        if programme is None:
            raise NotFound
        mine = programmes.progress_of(request.user.person_id, programme)
        detail = {
            **ProgrammeSerializer(programme).data,
            "items": programmes.entries(programme),
            "my_progress": mine,
        }
        return Response(ProgrammeDetailSerializer(detail).data)


class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BookingSerializer

    def get_queryset(self):
        people = gates.booking_people_for_user(self.request.user)
        return services.with_waitlist_position(
            Booking.objects.filter(person__in=people)
            .select_related("person", "session__item")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=BookingRequestSerializer, responses={201: BookingSerializer})
    def create(self, request):
        data = BookingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person_id = data.validated_data.get("person") or request.user.person_id
        person = gates.bookable_person(request.user, person_id) if person_id else None
        if person is None:
            raise NotFound("No such person, or one you may not book for.")
        session = Session.objects.filter(
            pk=data.validated_data["session"], item__is_active=True
        ).first()
        if session is None or session.status == Session.Status.PLANNED:
            raise NotFound("No such session.")
        try:
            booking = services.booking_create(
                session=session,
                person=person,
                actor=request.user,
                booked_as=gates.booking_capacity_of(request.user, person) or services.LEARNER,
            )
        except services.BookingError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ManyRequestSerializer, responses={201: OutcomeSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def many(self, request):
        """Book several people on a session (a manager their team, L&D anyone they cover), by
        id or employee number: what came of each, in the order given."""
        if not gates.may_book_for_others(request.user):
            raise PermissionDenied("Only managers and L&D administrators book for others.")
        data = ManyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        people = gates.booking_people_for_user(request.user)
        wanted_ids = data.validated_data.get("people", [])
        numbers = data.validated_data.get("employee_numbers", [])
        by_id = {p.pk: p for p in people.filter(pk__in=wanted_ids)}
        by_number = {
            p.employee_number.upper(): p
            for p in people.annotate(n=Upper("employee_number")).filter(
                n__in=[n.upper() for n in numbers]
            )
        }
        problems = [f"No one you can book for has the id {i}" for i in wanted_ids if i not in by_id]
        problems += [
            f"No one you can book for has the employee number {n}"
            for n in numbers
            if n.upper() not in by_number
        ]
        if problems:
            raise ValidationError({"people": problems})
        # In the order given (ids, then employee numbers): it decides who has the last places.
        ordered = [*(by_id[i] for i in wanted_ids), *(by_number[n.upper()] for n in numbers)]
        chosen = list({p.pk: p for p in ordered}.values())
        if len(chosen) > MANY_LIMIT:
            raise ValidationError({"people": [f"Book at most {MANY_LIMIT} people at a time."]})
        session = Session.objects.filter(
            pk=data.validated_data["session"], item__is_active=True
        ).first()
        if session is None or session.status == Session.Status.PLANNED:
            raise NotFound("No such session.")
        capacities = gates.booking_capacities(request.user, [p.pk for p in chosen])
        try:
            outcomes = services.bookings_create_many(
                session=session,
                people=[(p, capacities[p.pk] or services.LEARNER) for p in chosen],
                actor=request.user,
            )
        except services.BookingError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        positioned = {
            b.pk: b
            for b in services.with_waitlist_position(
                Booking.objects.filter(pk__in=[o.booking.pk for o in outcomes if o.booking])
            ).select_related("person", "session__item")
        }
        outcomes = [
            services.Outcome(
                o.person, positioned.get(o.booking.pk) if o.booking else None, o.refused
            )
            for o in outcomes
        ]
        return Response(OutcomeSerializer(outcomes, many=True).data, status=status.HTTP_201_CREATED)

    def _act(self, request, pk, do):
        booking = self.get_queryset().filter(pk=_id(pk)).first()
        if booking is None:
            raise NotFound
        try:
            booking = do(booking)
        except services.BookingError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=ReasonSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)

        def do(booking):
            by = gates.booking_capacity_of(request.user, booking.person_id) or "admin"
            return services.booking_cancel(
                booking=booking,
                actor=request.user,
                by=by,
                reason=reason.validated_data.get("reason", ""),
            )

        return self._act(request, pk, do)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(
            request, pk, lambda b: services.offer_accept(booking=b, actor=request.user)
        )

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(
            request, pk, lambda b: services.offer_decline(booking=b, actor=request.user)
        )


class ApprovalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Requests waiting for the user's decision."""

    serializer_class = BookingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is made with no user
            return Booking.objects.none()
        return services.with_waitlist_position(
            approvals.approval_queue(self.request.user, now=timezone.now())
        )

    @extend_schema(request=DecisionSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        booking = self.get_queryset().filter(pk=_id(pk)).first()
        if booking is None:
            raise NotFound
        try:
            booking = services.booking_decide(
                booking=booking,
                approve=decision.validated_data["approve"],
                reason=decision.validated_data.get("reason", ""),
                actor=request.user,
                ld_step=booking.as_ld,
            )
        except services.BookingError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(BookingSerializer(booking).data)


router = DefaultRouter()
router.register("learning/items", LearningItemViewSet, basename="learning-item")
router.register("learning/sessions", SessionViewSet, basename="learning-session")
router.register("learning/programmes", ProgrammeViewSet, basename="learning-programme")
router.register("learning/bookings", BookingViewSet, basename="learning-booking")
router.register("learning/approvals", ApprovalViewSet, basename="learning-approval")

# L&D's sessions (session_api, which uses this module's helpers, so it is imported here).
from peopleplan.learning.session_api import ManagedSessionViewSet  # noqa: E402

router.register(
    "learning/manage/sessions", ManagedSessionViewSet, basename="learning-manage-session"
)
# Evaluation (feedback, impact checks, results) and the record of learning and registers have
# their own modules and routes.
urlpatterns = router.urls + evaluation_api.urlpatterns + record_api.urlpatterns
