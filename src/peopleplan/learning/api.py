"""The learning API: the catalogue and sessions for every member of staff; bookings for the
people the user may book for (`gates.booking_people_for_user`); approvals for approvers. Every
write goes through the booking services, and a booking the user may not act on is a 404, the
same as one that does not exist. A refused booking (a closed window, a second booking) is a 400
with the reason."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from peopleplan.access import gates
from peopleplan.learning import approvals, evaluation_api, record_api, services
from peopleplan.learning.models import Booking, LearningItem, Session
from peopleplan.learning.serializers import (
    BookingRequestSerializer,
    BookingSerializer,
    DecisionSerializer,
    LearningItemSerializer,
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
            booking = services.booking_create(session=session, person=person, actor=request.user)
        except services.BookingError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

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
router.register("learning/bookings", BookingViewSet, basename="learning-booking")
router.register("learning/approvals", ApprovalViewSet, basename="learning-approval")

# Evaluation (feedback, impact checks, results) has its own module and routes.
urlpatterns = router.urls + evaluation_api.urlpatterns + record_api.urlpatterns
