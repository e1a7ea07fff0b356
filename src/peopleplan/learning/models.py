"""The learning management system: the catalogue, programmes, sessions, bookings.

A session's places are never kept in a counter: they are counted from its bookings, under a row
lock on the session, whenever a place is given or taken. A booking's changes of status are kept
in an append-only history (`BookingEvent`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower

from peopleplan.org.models import Person


class Provider(models.Model):
    """Who delivers learning: an internal team or an external supplier."""

    name = models.CharField(max_length=200, unique=True)
    is_internal = models.BooleanField(default=True)
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Approval(models.TextChoices):
    NONE = "none", "No approval"
    MANAGER = "manager", "Line manager"
    MANAGER_THEN_LD = "manager_then_ld", "Line manager, then L&D"


class LearningItem(models.Model):
    """One thing in the catalogue, of any kind the councils use."""

    class Kind(models.TextChoices):
        CLASSROOM = "classroom", "Classroom course"
        WORKSHOP = "workshop", "Workshop"
        WEBINAR = "webinar", "Webinar"
        ELEARNING = "elearning", "E-learning"
        QUALIFICATION = "qualification", "Qualification"
        CONFERENCE = "conference", "Conference"
        COACHING = "coaching", "Coaching"
        MENTORING = "mentoring", "Mentoring"
        SHADOWING = "shadowing", "Shadowing"
        REFLECTIVE = "reflective", "Group reflective learning"
        SELF_DIRECTED = "self_directed", "Self-directed study"

    SCHEDULED_KINDS = (Kind.CLASSROOM, Kind.WORKSHOP, Kind.WEBINAR, Kind.CONFERENCE)

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    outcomes = models.TextField(blank=True, help_text="What learners will be able to do")
    duration_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    development_days = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0"))
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    cost_per_delegate = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="items")
    audience = models.TextField(blank=True, help_text="Who it is for")
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for"
    )
    hosted_url = models.URLField(blank=True, help_text="Where e-learning is hosted")
    approval = models.CharField(max_length=20, choices=Approval.choices, default=Approval.NONE)
    is_assessed = models.BooleanField(default=False, help_text="Completions carry a result")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What "Find learning" searches: title, summary and description, lower-cased, kept by the
    # database itself whenever a row is written. The space between the parts keeps a word
    # (never containing a space) from matching across two of them.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "title",
                Value(" "),
                "summary",
                Value(" "),
                "description",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["title", "code"]
        # Find learning lists by title: a page is read from the index, not sorted each time.
        indexes = [models.Index(fields=["title", "code"], name="learning_item_title")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gte=0)
                & Q(development_days__gte=0)
                & Q(cost_per_delegate__gte=0),
                name="learning_learningitem_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    """An ordered set of items, complete when all of them (or N of them) are."""

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    required_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: every item is needed"
    )
    items = models.ManyToManyField(LearningItem, through="ProgrammeItem", related_name="programmes")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProgrammeItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(LearningItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "item"], name="learning_programmeitem_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.item}"


class ProgrammeMember(models.Model):
    """A person in a programme's cohort: places can be ring-fenced for them."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="programmes")
    joined_on = models.DateField()

    class Meta:
        ordering = ["programme", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"], name="learning_programmemember_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.programme}"


class Venue(models.Model):
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)
    access_notes = models.TextField(blank=True)
    room_size = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A bookable run of an item: one or more dated parts, a place or a link, and places."""

    class Status(models.TextChoices):
        # "Full" is not kept: it is worked out from the bookings whenever it is shown.
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open for booking"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    item = models.ForeignKey(LearningItem, on_delete=models.PROTECT, related_name="sessions")
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    online_url = models.URLField(blank=True)
    trainers = models.ManyToManyField(Person, blank=True, related_name="sessions_trained")
    capacity = models.PositiveIntegerField()
    minimum = models.PositiveIntegerField(default=0)
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    cancellation_cutoff_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    approval = models.CharField(
        max_length=20, choices=Approval.choices, blank=True, help_text="Empty: as the item"
    )
    offer_hold_hours = models.PositiveIntegerField(default=48)
    cancelled_reason = models.TextField(blank=True)
    # Raised each time the dates, times or place change, so that calendar invites sent again
    # carry a higher SEQUENCE than any sent before and replace them.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="learning_session_capacity"),
            models.CheckConstraint(
                condition=Q(minimum__lte=models.F("capacity")), name="learning_session_minimum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} (session {self.pk})"

    @property
    def approval_rule(self) -> str:
        return self.approval or self.item.approval


class SessionPart(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="learning_sessionpart_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.starts_at:%d %b %Y %H:%M}"


class PlaceReservation(models.Model):
    """Places of a session kept for the people of a unit (a directorate, with everything under
    it) or for a programme's cohort, until `release_at`, after which those not taken are open to
    everyone. Pro rata reservations are worked out once, from headcount, into these numbers."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reservations")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveIntegerField()
    release_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(programme__isnull=True))
                | (Q(unit__isnull=True) & Q(programme__isnull=False)),
                name="learning_placereservation_for_one",
            ),
            models.CheckConstraint(
                condition=Q(places__gt=0), name="learning_placereservation_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.places} places on {self.session} for {self.unit or self.programme}"

    def is_held_at(self, at) -> bool:
        return self.release_at is None or at < self.release_at

    @property
    def holder_name(self) -> str:
        return self.unit.name if self.unit_id else f"the {self.programme.title} cohort"


class Booking(models.Model):
    """One person's place (or wish for one) on a session."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        APPROVED = "approved", "Approved"
        BOOKED = "booked", "Booked"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Place offered"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        NO_SHOW = "no_show", "Did not attend"
        PARTLY_ATTENDED = "partly_attended", "Partly attended"
        ATTENDED = "attended", "Attended"

    class CancelledBy(models.TextChoices):
        LEARNER = "learner", "The learner"
        MANAGER = "manager", "Their manager"
        ADMIN = "admin", "L&D"
        SESSION = "session", "The session was cancelled"

    # A booking in one of these is someone's live interest in the session: one per person.
    ACTIVE = (
        Status.REQUESTED,
        Status.AWAITING_APPROVAL,
        Status.APPROVED,
        Status.BOOKED,
        Status.WAITLISTED,
        Status.OFFERED,
    )
    # A booking in one of these holds a place.
    HOLDING = (Status.BOOKED, Status.OFFERED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # Waiting list order: higher priority first, then the time they joined it.
    priority = models.IntegerField(default=0)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # The reserved places a held place came from; empty for the places open to everyone.
    reservation = models.ForeignKey(
        PlaceReservation, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    cancelled_by = models.CharField(max_length=20, choices=CancelledBy.choices, blank=True)
    is_late_cancellation = models.BooleanField(default=False)

    class Meta:
        ordering = ["session", "created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status"], name="learning_booking_session"),
            models.Index(fields=["person", "status"], name="learning_booking_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(
                    status__in=[
                        "requested",
                        "awaiting_approval",
                        "approved",
                        "booked",
                        "waitlisted",
                        "offered",
                    ]
                ),
                name="learning_booking_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.session}: {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class BookingEvent(models.Model):
    """A change of a booking's status: who, when, why. Only ever added."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["booking", "at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_status or 'new'} → {self.to_status} at {self.at}"


# --- attendance and the record of learning ---------------------------------------------------


class AttendanceMark(models.Model):
    """One learner's attendance at one dated part of a session, as the register says."""

    class Mark(models.TextChoices):
        ATTENDED = "attended", "Attended"
        PARTLY_ATTENDED = "partly_attended", "Partly attended"
        NO_SHOW = "no_show", "Did not attend"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="marks")
    part = models.ForeignKey(SessionPart, on_delete=models.CASCADE, related_name="marks")
    mark = models.CharField(max_length=20, choices=Mark.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        ordering = ["part", "booking"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "part"], name="learning_attendancemark_once")
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} at {self.part_id}: {self.get_mark_display()}"


def evidence_path(completion: Completion, filename: str) -> str:
    return f"learning/evidence/{completion.person_id}/{filename}"


class Completion(models.Model):
    """A piece of learning someone has done: from a register, e-learning, an import, or logged
    by the person themselves (with evidence, for their manager or L&D to verify). Only
    verified completions count towards development days and CPD hours."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", "Attendance"
        ELEARNING = "elearning", "E-learning"
        IMPORT = "import", "Imported"
        SELF_LOGGED = "self_logged", "Logged by the learner"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Not verified"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="completions")
    item = models.ForeignKey(
        LearningItem, null=True, blank=True, on_delete=models.PROTECT, related_name="completions"
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="For learning not in the catalogue"
    )
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    development_days = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0"))
    result = models.CharField(max_length=100, blank=True, help_text="A result or grade")
    learning_notes = models.TextField(blank=True, help_text="What was learnt")
    source = models.CharField(max_length=20, choices=Source.choices)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="completions"
    )
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VERIFIED)
    rejected_reason = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [
            models.Index(fields=["person", "completed_on"], name="learning_completion_person"),
            models.Index(fields=["status", "source"], name="learning_completion_status"),
        ]
        constraints = [
            # The same completion imported twice (or imported after a register made it) is one.
            models.UniqueConstraint(
                fields=["person", "item", "completed_on"],
                condition=Q(item__isnull=False),
                name="learning_completion_once",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False),
                name="learning_completion_one_per_booking",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(development_days__gte=0),
                name="learning_completion_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=False) | ~Q(title=""),
                name="learning_completion_titled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.display_title} on {self.completed_on}"

    @property
    def display_title(self) -> str:
        return self.item.title if self.item_id else self.title

    @property
    def counts(self) -> bool:
        """Whether it counts towards development days and CPD hours."""
        return self.status == self.Status.VERIFIED


class CalendarFeed(models.Model):
    """The secret address at which a member of staff's calendar reads their booked sessions.
    Anyone with the address can read the feed, so a new one can be made, and the old one then
    stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


# --- evaluation ------------------------------------------------------------------------------


class EvaluationRequest(models.Model):
    """A form asked of one person about one booking: the learner's feedback after the session,
    or an impact check some weeks later (to the learner and to their line manager). Made once,
    when it falls due; `responded_at` is set once, when it is answered. Response rates are
    answered requests over requests made."""

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", "Feedback"
        IMPACT = "impact", "Impact check"

    class Role(models.TextChoices):
        LEARNER = "learner", "The learner"
        MANAGER = "manager", "Their line manager"

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="evaluation_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    respondent = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="evaluation_requests"
    )
    respondent_role = models.CharField(max_length=20, choices=Role.choices)
    sent_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                fields=["respondent", "responded_at"], name="learning_evalrequest_waiting"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "respondent"], name="learning_evaluationrequest_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.respondent} on booking {self.booking_id}"

    @property
    def is_answered(self) -> bool:
        return self.responded_at is not None


class EvaluationAnswer(models.Model):
    """One answer in a response: a rating 1 to 5, a choice (the impact check's answer) or
    words, for a question of the fixed set in `learning.evaluation.QUESTIONS` named by its
    stable key."""

    request = models.ForeignKey(EvaluationRequest, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=40)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "id"]
        indexes = [
            models.Index(fields=["question", "request"], name="learning_evalanswer_question")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "question"], name="learning_evaluationanswer_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="learning_evaluationanswer_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.question}"
