"""The API of the record of learning and of registers, with the same access, services and
selectors as their pages (record_views):

- a record: yours (`records/me/`), or a person's (`records/{person_id}/`) whose record you may
  open (`gates.access_learning_record_person`; anyone else's is a 404), with the financial
  year's development days against the target, CPD hours, non-attendance and the completions;
- your team's learning (`records/team/`): everyone reporting to you;
- logging learning (`completions/`, multipart with an optional evidence file), checked by the
  page's form;
- verification (`completions/waiting/`, `completions/{id}/verify/`): for line managers and L&D
  (403 for anyone else), a completion not waiting for you is a 404;
- registers (`registers/{part_id}/`, `registers/{part_id}/marks/`): for the session's trainers
  and L&D covering everyone on it (404 for anyone else); a wrong row refuses the whole
  register, with an error on that row naming the booking.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.learning import attendance, records
from peopleplan.learning.models import AttendanceMark, Completion, SessionPart
from peopleplan.learning.record_views import LogLearningForm
from peopleplan.org.models import Person

M = AttendanceMark.Mark
# The completions of a record come a page at a time.
PAGES = [
    OpenApiParameter("page", int, description="A page of completions"),
    OpenApiParameter("page_size", int, description="Completions a page (50; at most 500)"),
]
NOTHING_MARKED = "Select attended, partly attended or did not attend for at least one person"


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound from None


def _errors(form) -> dict[str, list[str]]:
    """A form's errors by field name, in the words the pages use."""
    return {
        name: [str(m) for e in errors for m in e.messages]
        for name, errors in form.errors.as_data().items()
    }


def _url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


# --- shapes ----------------------------------------------------------------------------------


class RecordPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    employee_number = serializers.CharField()


class RecordYearSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The financial year, like 2025-26")
    start = serializers.DateField()
    end = serializers.DateField()
    development_days = serializers.DecimalField(max_digits=8, decimal_places=2)
    target = serializers.DecimalField(
        max_digits=8, decimal_places=2, help_text="The council's development days a year"
    )
    days_to_go = serializers.DecimalField(max_digits=8, decimal_places=2)
    met = serializers.BooleanField()
    cpd_hours = serializers.DecimalField(max_digits=10, decimal_places=2, source="hours")
    pending = serializers.IntegerField(help_text="Learning waiting for verification, not counted")


class NonAttendanceSerializer(serializers.Serializer):
    no_shows = serializers.IntegerField()
    partly = serializers.IntegerField()
    late_cancellations = serializers.IntegerField()
    total = serializers.IntegerField(help_text="No-shows and late cancellations")


class CompletionSerializer(serializers.ModelSerializer):
    """A completion on a record. `evidence_url` is the evidence page (the file is downloaded
    there), given when there is evidence and the reader may see it (the person and those who
    verify their learning); `certificate_url` once the completion is verified."""

    item = serializers.PrimaryKeyRelatedField(read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    has_evidence = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()
    certificate_url = serializers.SerializerMethodField()

    class Meta:
        model = Completion
        fields = [
            "id",
            "item",
            "title",
            "completed_on",
            "hours",
            "development_days",
            "result",
            "source",
            "source_label",
            "status",
            "status_label",
            "rejected_reason",
            "has_evidence",
            "evidence_url",
            "certificate_url",
        ]

    def get_has_evidence(self, completion: Completion) -> bool:
        return bool(completion.evidence)

    def get_evidence_url(self, completion: Completion) -> str | None:
        if not completion.evidence or not self.context.get("evidence_visible"):
            return None
        return _url(self.context["request"], "learning:record_evidence", completion.pk)

    def get_certificate_url(self, completion: Completion) -> str | None:
        if completion.status != Completion.Status.VERIFIED:
            return None
        return _url(self.context["request"], "learning:record_certificate", completion.pk)


class CompletionPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CompletionSerializer(many=True)


class RecordSerializer(serializers.Serializer):
    person = RecordPersonSerializer()
    is_me = serializers.BooleanField()
    year = RecordYearSerializer()
    non_attendance = NonAttendanceSerializer()
    completions = CompletionPageSerializer(help_text="Newest first, 50 a page (`?page=`)")


class TeamMemberSerializer(serializers.Serializer):
    """Someone reporting to you, with their learning this financial year."""

    person = serializers.IntegerField(source="pk")
    full_name = serializers.CharField()
    development_days = serializers.DecimalField(max_digits=8, decimal_places=2, source="year_days")
    target = serializers.SerializerMethodField()
    cpd_hours = serializers.DecimalField(max_digits=10, decimal_places=2, source="year_hours")
    no_shows = serializers.IntegerField()
    late_cancellations = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Learning waiting for verification")
    record_url = serializers.SerializerMethodField()

    def get_target(self, person: Person) -> Decimal:
        return self.context["target"]

    def get_record_url(self, person: Person) -> str:
        return _url(self.context["request"], "api:learning-record-detail", person.pk)


class WaitingCompletionSerializer(CompletionSerializer):
    """Self-logged learning waiting for your verification."""

    person = serializers.PrimaryKeyRelatedField(read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta(CompletionSerializer.Meta):
        fields = [
            "id",
            "person",
            "person_name",
            "title",
            "completed_on",
            "hours",
            "development_days",
            "learning_notes",
            "created_at",
            "has_evidence",
            "evidence_url",
        ]


class LogLearningSerializer(serializers.Serializer):
    """For the schema: the fields are checked by the page's form (`LogLearningForm`)."""

    title = serializers.CharField(max_length=200)
    completed_on = serializers.DateField(help_text="YYYY-MM-DD, today or before")
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0"))
    development_days = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=Decimal("0"), required=False
    )
    learning_notes = serializers.CharField(help_text="What you learnt")
    evidence = serializers.FileField(
        required=False,
        help_text="PDF, image or document (.pdf .jpg .png .doc .docx .odt .txt), up to 10 MB",
    )


class VerifySerializer(serializers.Serializer):
    verified = serializers.BooleanField(help_text="true to verify it, false not to")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Needed when you do not verify it; the person sees it",
    )

    def validate(self, data):
        if not data["verified"] and not data.get("reason", "").strip():
            raise ValidationError({"reason": ["Give a reason for not verifying it"]})
        return data


class RegisterRowSerializer(serializers.Serializer):
    booking = serializers.IntegerField(source="pk")
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    mark = serializers.CharField(source="part_mark", allow_null=True)
    result = serializers.CharField(
        allow_null=True, help_text="For an assessed item: the result or grade held"
    )


class RegisterSerializer(serializers.Serializer):
    part = serializers.IntegerField(source="part.pk")
    part_number = serializers.IntegerField()
    parts = serializers.IntegerField(help_text="How many parts the session has")
    starts_at = serializers.DateTimeField(source="part.starts_at")
    ends_at = serializers.DateTimeField(source="part.ends_at")
    started = serializers.BooleanField()
    session = serializers.IntegerField(source="session.pk")
    session_status = serializers.CharField(source="session.status")
    item = serializers.IntegerField(source="session.item_id")
    item_title = serializers.CharField(source="session.item.title")
    assessed = serializers.BooleanField()
    unmarked = serializers.IntegerField()
    bookings = RegisterRowSerializer(many=True)


class MarkRowSerializer(serializers.Serializer):
    booking = serializers.IntegerField()
    mark = serializers.CharField(help_text="attended, partly_attended or no_show")
    result = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="For an assessed item"
    )

    def validate_booking(self, value):
        if value not in self.context["on_register"]:
            raise ValidationError(f"Booking {value} is not on this register")
        return value

    def validate(self, data):
        if data["mark"] not in M.values:
            raise ValidationError(
                {
                    "mark": [
                        f"Booking {data['booking']}: choose attended, partly_attended or no_show"
                    ]
                }
            )
        return data


class MarksSerializer(serializers.Serializer):
    marks = MarkRowSerializer(many=True, required=False)
    all = serializers.ChoiceField(
        choices=[M.ATTENDED],
        required=False,
        help_text='"attended" marks everyone on the register attended',
        error_messages={"invalid_choice": 'Only "attended" marks everyone at once'},
    )

    def validate_marks(self, rows):
        """A booking sent twice is refused on its second row (errors are keyed by row, from
        0, as for the rows' own fields)."""
        seen: set[int] = set()
        errors = {}
        for index, row in enumerate(rows):
            if row["booking"] in seen:
                errors[index] = {"booking": [f"Booking {row['booking']} is marked twice"]}
            seen.add(row["booking"])
        if errors:
            raise ValidationError(errors)
        return rows

    def validate(self, data):
        if "all" in data and data.get("marks"):
            raise ValidationError({"all": ["Send marks or all, not both"]})
        if "all" not in data and not data.get("marks"):
            raise ValidationError({"marks": [NOTHING_MARKED]})
        return data


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    outcomes = serializers.DictField(
        child=serializers.IntegerField(), help_text="Booking status: how many took it"
    )
    completions_added = serializers.IntegerField()
    completions_removed = serializers.IntegerField()
    register = RegisterSerializer()


# --- the record ------------------------------------------------------------------------------


class RecordViewSet(viewsets.GenericViewSet):
    """Records of learning: yours, your team's, and the people's whose record you may open."""

    serializer_class = RecordSerializer
    queryset = Person.objects.none()

    def _record(self, request, person: Person) -> Response:
        page = self.paginate_queryset(records.person_completions(person))
        with_evidence = next((c for c in page if c.evidence), None)
        context = self.get_serializer_context() | {
            "evidence_visible": with_evidence is not None
            and records.can_see_evidence(request.user, with_evidence),
        }
        completions = self.get_paginated_response(
            CompletionSerializer(page, many=True, context=context).data
        ).data
        summary = records.year_summary(person)
        non_attendance = attendance.non_attendance_by_person([person.pk]).get(
            person.pk, attendance.NonAttendance()
        )
        return Response(
            {
                "person": RecordPersonSerializer(person).data,
                "is_me": person.pk == request.user.person_id,
                "year": RecordYearSerializer(summary).data,
                "non_attendance": NonAttendanceSerializer(non_attendance).data,
                "completions": completions,
            }
        )

    @extend_schema(responses=RecordSerializer, parameters=PAGES)
    def retrieve(self, request, pk=None):
        """A person's record of learning: 404 unless you may open it."""
        return self._record(request, gates.access_learning_record_person(request.user, pk))

    @extend_schema(responses=RecordSerializer, parameters=PAGES)
    @action(detail=False, methods=["get"])
    def me(self, request):
        """Your record of learning (404 when your account is not a member of staff)."""
        if not request.user.person_id:
            raise NotFound("Your account has no staff record, so no record of learning.")
        return self._record(request, request.user.person)

    @extend_schema(responses=TeamMemberSerializer(many=True))
    @action(detail=False, methods=["get"], serializer_class=TeamMemberSerializer)
    def team(self, request):
        """Everyone reporting to you (directly or through others), with their development days
        and CPD hours this financial year, non-attendance and learning waiting for
        verification."""
        user = request.user
        rows = (
            records.team_learning(user.person_id, today())
            if user.person_id
            else Person.objects.none()
        )
        page = self.paginate_queryset(rows)
        context = self.get_serializer_context() | {"target": records.development_days_target()}
        return self.get_paginated_response(
            TeamMemberSerializer(page, many=True, context=context).data
        )


# --- logging and verifying learning ---------------------------------------------------------


class CompletionViewSet(viewsets.GenericViewSet):
    """Learning you log yourself, and its verification by line managers and L&D."""

    serializer_class = CompletionSerializer
    queryset = Completion.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=LogLearningSerializer, responses={201: CompletionSerializer})
    def create(self, request):
        """Log learning you have done, with optional evidence (multipart): it waits for your
        line manager or L&D to verify it before it counts."""
        user = request.user
        if not user.person_id:
            raise NotFound("Your account has no staff record, so no record of learning.")
        form = LogLearningForm(request.data, request.FILES or None)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        data = form.cleaned_data
        try:
            completion = records.completion_log(
                person=user.person,
                title=data["title"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                development_days=data["development_days"] or Decimal("0"),
                learning_notes=data["learning_notes"],
                evidence=data["evidence"],
                actor=user,
            )
        except records.RecordError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        context = self.get_serializer_context() | {"evidence_visible": True}
        return Response(
            CompletionSerializer(completion, context=context).data, status=status.HTTP_201_CREATED
        )

    def _queue(self, request):
        if not records.may_verify_anyone(request.user):
            raise PermissionDenied
        return records.verify_queue(request.user)

    @extend_schema(responses=WaitingCompletionSerializer(many=True))
    @action(detail=False, methods=["get"], serializer_class=WaitingCompletionSerializer)
    def waiting(self, request):
        """Self-logged learning waiting for your verification, oldest first."""
        page = self.paginate_queryset(self._queue(request))
        # Everyone in the queue is someone whose learning you verify: you may see the evidence.
        context = self.get_serializer_context() | {"evidence_visible": True}
        return self.get_paginated_response(
            WaitingCompletionSerializer(page, many=True, context=context).data
        )

    @extend_schema(request=VerifySerializer, responses=CompletionSerializer)
    @action(detail=True, methods=["post"], serializer_class=VerifySerializer)
    def verify(self, request, pk=None):
        """Verify learning waiting for you, or not, with the reason (the person sees it)."""
        completion = self._queue(request).filter(pk=_id(pk)).first()
        if completion is None:
            raise NotFound
        decision = VerifySerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            completion = records.completion_verify(
                completion=completion,
                approve=decision.validated_data["verified"],
                reason=decision.validated_data.get("reason", ""),
                actor=request.user,
            )
        except records.RecordError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        context = self.get_serializer_context() | {"evidence_visible": True}
        return Response(CompletionSerializer(completion, context=context).data)


# --- registers -------------------------------------------------------------------------------


class RegisterViewSet(viewsets.GenericViewSet):
    """The register of a part of a session, for its trainers and L&D."""

    serializer_class = RegisterSerializer
    queryset = SessionPart.objects.none()

    def _register(self, part) -> dict:
        session = part.session
        bookings = list(attendance.register_bookings(part))
        assessed = session.item.is_assessed
        results = (
            dict(
                Completion.objects.filter(booking__in=bookings).values_list("booking_id", "result")
            )
            if assessed
            else {}
        )
        for booking in bookings:
            booking.result = results.get(booking.pk, "") if assessed else None
        parts = list(session.parts.all())
        return {
            "part": part,
            "part_number": next(i for i, p in enumerate(parts, 1) if p.pk == part.pk),
            "parts": len(parts),
            "started": part.starts_at <= timezone.now(),
            "session": session,
            "assessed": assessed,
            "unmarked": sum(1 for b in bookings if not b.part_mark),
            "bookings": bookings,
        }

    @extend_schema(responses=RegisterSerializer)
    def retrieve(self, request, pk=None):
        """The bookings on the part's register with their marks: 404 unless you train the
        session or are L&D covering everyone on it."""
        part = attendance.access_part_for_user(request.user, pk)
        return Response(RegisterSerializer(self._register(part)).data)

    @extend_schema(
        request=MarksSerializer,
        responses=MarkedSerializer,
        description='Mark the register: `marks` (a row per booking) or `{"all": "attended"}`. '
        "Bookings not sent are left as they are. A wrong row refuses the whole register: "
        "`marks` then holds the errors of each wrong row under its index (from 0), each "
        "naming the booking.",
    )
    @action(detail=True, methods=["post"], serializer_class=MarksSerializer)
    def marks(self, request, pk=None):
        part = attendance.access_part_for_user(request.user, pk)
        on_register = [b.pk for b in attendance.register_bookings(part)]
        sent = MarksSerializer(data=request.data, context={"on_register": set(on_register)})
        sent.is_valid(raise_exception=True)
        if "all" in sent.validated_data:
            marks = dict.fromkeys(on_register, M.ATTENDED)
            results: dict[int, str] = {}
        else:
            rows = sent.validated_data["marks"]
            marks = {row["booking"]: row["mark"] for row in rows}
            results = {row["booking"]: row["result"] for row in rows if row.get("result")}
        if not marks:
            raise ValidationError({"marks": [NOTHING_MARKED]})
        try:
            done = attendance.register_mark(
                part=part, marks=marks, results=results, actor=request.user
            )
        except attendance.AttendanceError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(
            MarkedSerializer(
                {
                    "marked": done.marked,
                    "outcomes": done.outcomes or {},
                    "completions_added": done.completions_added,
                    "completions_removed": done.completions_removed,
                    "register": self._register(part),
                }
            ).data
        )


router = SimpleRouter()
router.register("learning/records", RecordViewSet, basename="learning-record")
router.register("learning/completions", CompletionViewSet, basename="learning-completion")
router.register("learning/registers", RegisterViewSet, basename="learning-register")
urlpatterns = router.urls
