"""JSON shapes of the learning API."""

from __future__ import annotations

from rest_framework import serializers

from peopleplan.learning.models import Booking, LearningItem, Session, SessionPart
from peopleplan.learning.services import waitlist_position


class LearningItemSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    provider = serializers.StringRelatedField()
    topics = serializers.StringRelatedField(many=True)

    class Meta:
        model = LearningItem
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "kind_label",
            "summary",
            "description",
            "outcomes",
            "duration_hours",
            "development_days",
            "provider",
            "cost_per_delegate",
            "topics",
            "audience",
            "hosted_url",
            "approval",
            "is_assessed",
        ]


class SessionPartSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionPart
        fields = ["starts_at", "ends_at"]


class SessionSerializer(serializers.ModelSerializer):
    item = serializers.PrimaryKeyRelatedField(read_only=True)
    item_title = serializers.CharField(source="item.title", read_only=True)
    parts = SessionPartSerializer(many=True, read_only=True)
    venue = serializers.StringRelatedField()
    places_left = serializers.IntegerField(read_only=True)
    approval_rule = serializers.CharField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "item",
            "item_title",
            "status",
            "parts",
            "venue",
            "online_url",
            "capacity",
            "places_left",
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_cutoff_at",
            "approval_rule",
        ]


class BookingSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    session = serializers.PrimaryKeyRelatedField(read_only=True)
    item_title = serializers.CharField(source="session.item.title", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "session",
            "item_title",
            "person",
            "person_name",
            "status",
            "status_label",
            "created_at",
            "waitlist_position",
            "offer_expires_at",
            "cancelled_by",
            "is_late_cancellation",
        ]

    def get_waitlist_position(self, booking: Booking) -> int | None:
        return waitlist_position(booking)


class BookingRequestSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    person = serializers.IntegerField(required=False, help_text="Empty: yourself")


class ManyRequestSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    people = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=200, required=False
    )
    employee_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40), min_length=1, max_length=200, required=False
    )

    def validate(self, data):
        if not data.get("people") and not data.get("employee_numbers"):
            raise serializers.ValidationError("Give people (ids) or employee_numbers to book.")
        return data


class OutcomeSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    booking = BookingSerializer(allow_null=True)
    refused = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProgrammeEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    title = serializers.CharField(source="item.title")
    kind = serializers.CharField(source="item.kind")


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    required_count = serializers.IntegerField(allow_null=True)
    item_count = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    needed = serializers.IntegerField()
    complete = serializers.BooleanField()
    done_items = serializers.ListField(child=serializers.IntegerField(), source="done_ids")


class ProgrammeDetailSerializer(ProgrammeSerializer):
    items = ProgrammeEntrySerializer(many=True)
    my_progress = ProgressSerializer(allow_null=True, help_text="Null: you are not in it")
