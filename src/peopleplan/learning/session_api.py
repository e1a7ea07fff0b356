"""The API of L&D's sessions, under /api/learning/manage/sessions/: the list with fill counts,
a session, its bookings with waiting-list positions, setting one up (POST), changing it
(PATCH), opening, cancelling, offering free places to the waiting list, and moving a learner
to another session. The same access as the pages (`session_admin`): L&D sees and runs every
session; a trainer reads their own sessions (403 on a change); anyone else gets 403 for the
list and 404 for a session. A refusal of the rules is a 400 naming the field, or with the
reason in `detail`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from peopleplan.learning import services
from peopleplan.learning import session_admin as admin
from peopleplan.learning.models import Approval, LearningItem, Session, Venue
from peopleplan.learning.serializers import BookingSerializer, ReasonSerializer
from peopleplan.org.models import Person

# --- shapes ----------------------------------------------------------------------------------


class PartSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ManagedSessionSerializer(serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)
    item_code = serializers.CharField(source="item.code", read_only=True)
    parts = PartSerializer(many=True, read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True, default="")
    trainers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    shown_status = serializers.SerializerMethodField()
    booked = serializers.IntegerField(read_only=True)
    offered = serializers.IntegerField(read_only=True)
    waitlisted = serializers.IntegerField(read_only=True)
    places_left = serializers.SerializerMethodField()
    fill_rate = serializers.SerializerMethodField()
    below_minimum = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "item",
            "item_code",
            "item_title",
            "status",
            "shown_status",
            "parts",
            "venue",
            "venue_name",
            "online_url",
            "trainers",
            "capacity",
            "minimum",
            "booked",
            "offered",
            "waitlisted",
            "places_left",
            "fill_rate",
            "below_minimum",
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_cutoff_at",
            "approval",
            "offer_hold_hours",
            "sequence",
            "cancelled_reason",
        ]

    def get_shown_status(self, session) -> str:
        return admin.shown_status(session)[0]

    def get_places_left(self, session) -> int:
        return max(session.capacity - session.held, 0)

    def get_fill_rate(self, session) -> int:
        return admin.fill_rate(session)

    def get_below_minimum(self, session) -> bool:
        return admin.below_minimum(session)


class SessionWriteSerializer(serializers.Serializer):
    """What L&D sets on a session; on a change (PATCH) every field may be left out, and the
    item cannot change. `parts` replaces the dated parts, matched in date order."""

    item = serializers.PrimaryKeyRelatedField(queryset=LearningItem.objects.all())
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.all(), allow_null=True, required=False
    )
    online_url = serializers.URLField(required=False, allow_blank=True, max_length=200)
    trainers = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    minimum = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    booking_opens_at = serializers.DateTimeField(required=False, allow_null=True)
    booking_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    cancellation_cutoff_at = serializers.DateTimeField(required=False, allow_null=True)
    approval = serializers.ChoiceField(
        choices=[("", "As the item"), *Approval.choices], required=False, allow_blank=True
    )
    offer_hold_hours = serializers.IntegerField(min_value=1, max_value=720, required=False)
    parts = PartSerializer(many=True)
    open_now = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A new session only: open it for booking at once (otherwise it is planned)",
    )

    def validate_parts(self, value):
        return [(part["starts_at"], part["ends_at"]) for part in value]


class MoveSerializer(serializers.Serializer):
    booking = serializers.IntegerField(help_text="A booking on this session")
    to_session = serializers.IntegerField(help_text="A session of the same item")


class OffersSerializer(serializers.Serializer):
    offered = serializers.IntegerField()


def _refused(exc: services.BookingError):
    field = getattr(exc, "field", "")
    if field:
        return ValidationError({field: [str(exc)]})
    return ValidationError({"detail": str(exc)})


# --- the endpoints ---------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Words in the item's title, or its code"),
        OpenApiParameter("status", str, description="planned, open (with places), full, ..."),
        OpenApiParameter("when", str, description="upcoming (the default), past or all"),
        OpenApiParameter("provider", int, description="The item's provider"),
    ]
)
class ManagedSessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ManagedSessionSerializer

    def get_queryset(self):
        user = self.request.user
        params = self.request.query_params
        if self.action == "list":
            if not admin.may_see_sessions(user):
                raise PermissionDenied
            provider = params.get("provider")
            return admin.session_search(
                user,
                now=timezone.now(),
                words=params.get("q", ""),
                status=params.get("status", ""),
                when=params.get("when", admin.UPCOMING),
                provider=int(provider) if (provider or "").isdigit() else None,
            ).prefetch_related("parts", "trainers")
        return (
            admin.with_figures(admin.sessions_for_user(user))
            .select_related("item", "venue")
            .prefetch_related("parts", "trainers")
        )

    def _session(self, pk, *, manage: bool = True) -> Session:
        return admin.access_session_for_user(self.request.user, pk, manage=manage)

    def _fresh(self, session: Session, code=status.HTTP_200_OK) -> Response:
        session = self.get_queryset().get(pk=session.pk)
        return Response(ManagedSessionSerializer(session).data, status=code)

    @extend_schema(request=SessionWriteSerializer, responses={201: ManagedSessionSerializer})
    def create(self, request):
        if not admin.may_manage_sessions(request.user):
            raise PermissionDenied
        data = SessionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        opening = values.pop("open_now", False)
        status_ = Session.Status.OPEN if opening else Session.Status.PLANNED
        try:
            session = services.session_create(actor=request.user, status=status_, **values)
        except services.BookingError as exc:
            raise _refused(exc) from None
        return self._fresh(session, status.HTTP_201_CREATED)

    @extend_schema(request=SessionWriteSerializer, responses=ManagedSessionSerializer)
    def partial_update(self, request, pk=None):
        session = self._session(pk)
        data = SessionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("open_now", None)  # a default; opening a session is its own action
        if "open_now" in request.data:
            raise ValidationError({"open_now": ["Open a planned session with its open action."]})
        if "item" in values:
            raise ValidationError({"item": ["The item of a session cannot change."]})
        try:
            services.session_update(session=session, actor=request.user, **values)
        except services.BookingError as exc:
            raise _refused(exc) from None
        return self._fresh(session)

    @extend_schema(request=None, responses=ManagedSessionSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        session = self._session(pk)
        try:
            services.session_open(session=session, actor=request.user)
        except services.BookingError as exc:
            raise _refused(exc) from None
        return self._fresh(session)

    @extend_schema(request=ReasonSerializer, responses=ManagedSessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self._session(pk)
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        try:
            services.session_cancel(
                session=session,
                reason=reason.validated_data.get("reason", ""),
                actor=request.user,
            )
        except services.BookingError as exc:
            if "reason" in str(exc):
                raise ValidationError({"reason": [str(exc)]}) from None
            raise _refused(exc) from None
        return self._fresh(session)

    @extend_schema(request=None, responses=OffersSerializer)
    @action(detail=True, methods=["post"])
    def offer(self, request, pk=None):
        session = self._session(pk)
        try:
            offered = services.waitlist_offer(session=session, actor=request.user)
        except services.BookingError as exc:
            raise _refused(exc) from None
        return Response({"offered": offered})

    @extend_schema(request=MoveSerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move a learner's booking on this session to another session of the same item."""
        session = self._session(pk)
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = admin.access_booking_to_move(request.user, data.validated_data["booking"])
        if booking.session_id != session.pk:
            raise NotFound("No such booking on this session.")
        target = Session.objects.filter(pk=data.validated_data["to_session"]).first()
        if target is None:
            raise ValidationError({"to_session": ["No such session."]})
        try:
            moved = services.booking_transfer(
                booking=booking, to_session=target, actor=request.user
            )
        except services.BookingError as exc:
            raise ValidationError({"to_session": [str(exc)]}) from None
        return Response(BookingSerializer(moved).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BookingSerializer(many=True))
    @action(detail=True, methods=["get"])
    def bookings(self, request, pk=None):
        """Everyone on the session the user may see, with waiting-list positions."""
        session = self._session(pk, manage=False)
        bookings = admin.session_bookings(request.user, session)
        for booking in bookings:
            booking.session = session
        return Response(BookingSerializer(bookings, many=True).data)
