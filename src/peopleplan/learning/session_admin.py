"""Who may see and run sessions, and the reads of L&D's session pages.

An L&D administrator (any grant: sessions belong to the whole council) sees and runs every
session; the people on a session are shown to them as far as their grant reaches (everyone,
for a council-wide grant). A trainer sees the sessions they train, with everyone on them, as
on the register, but changes nothing. Anyone else sees none: a session they may not see is
the same 404 as one that does not exist. Every list here is a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from peopleplan.access import gates
from peopleplan.core.models import AuditEntry
from peopleplan.learning.models import Booking, BookingEvent, Session, SessionPart
from peopleplan.learning.services import MOVABLE, with_waitlist_position

S = Booking.Status

FULL = "full"  # shown for an open session with no place left; never stored
UPCOMING = "upcoming"
PAST = "past"


def pk_of(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def may_manage_sessions(user) -> bool:
    return gates.can(user, "learning.sessions")


def sessions_for_user(user) -> QuerySet[Session]:
    if may_manage_sessions(user):
        return Session.objects.all()
    if getattr(user, "person_id", None):
        return Session.objects.filter(trainers=user.person_id)
    return Session.objects.none()


def may_see_sessions(user) -> bool:
    """L&D, and anyone who trains a session."""
    if may_manage_sessions(user):
        return True
    return bool(getattr(user, "person_id", None)) and sessions_for_user(user).exists()


def access_session_for_user(user, session_id, *, manage: bool = False) -> Session:
    """The session, if the user may see it (404 otherwise); with `manage`, only for L&D (403
    for a trainer, who may see it but not change it)."""
    session = (
        sessions_for_user(user)
        .select_related("item__provider", "venue")
        .filter(pk=pk_of(session_id))
        .first()
    )
    if session is None:
        raise Http404
    if manage and not may_manage_sessions(user):
        raise PermissionDenied
    return session


def visible_bookings(user, session: Session) -> QuerySet[Booking]:
    """The session's bookings whose people the user may see: a trainer sees everyone on it, L&D
    the people their grant covers."""
    bookings = Booking.objects.filter(session=session)
    if may_manage_sessions(user) and gates.scope_paths(user, (gates.LD_ADMIN,)) is not None:
        bookings = bookings.filter(person__in=gates.booking_people_for_user(user))
    return bookings


def access_booking_to_move(user, booking_id) -> Booking:
    """A booking L&D may move: someone their grant covers, booked, offered or waiting."""
    if not may_manage_sessions(user):
        raise PermissionDenied
    booking = (
        Booking.objects.filter(pk=pk_of(booking_id), person__in=gates.booking_people_for_user(user))
        .select_related("person", "session__item", "session__venue")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def is_movable(booking: Booking) -> bool:
    return booking.status in MOVABLE


# --- the list of sessions --------------------------------------------------------------------


def with_figures(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Each session with its dates (`first`, `last`, `part_count`) and its bookings counted
    (`booked`, `offered`, `waitlisted`, `held`), in the one query. The dates come from
    subqueries so that the bookings are counted over one join, not multiplied by the parts."""
    parts = SessionPart.objects.filter(session=OuterRef("pk")).order_by()
    first = parts.order_by("starts_at").values("starts_at")[:1]
    last = parts.order_by("-ends_at").values("ends_at")[:1]
    count = parts.values("session").annotate(n=Count("id")).values("n")

    def counted(*statuses):
        return Count("bookings", filter=Q(bookings__status__in=statuses))

    return sessions.annotate(
        first=Subquery(first),
        last=Subquery(last),
        part_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        booked=counted(S.BOOKED),
        offered=counted(S.OFFERED),
        waitlisted=counted(S.WAITLISTED),
        held=counted(*Booking.HOLDING),
    )


def session_search(
    user,
    *,
    now: dt.datetime,
    words: str = "",
    status: str = "",
    when: str = UPCOMING,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    provider: int | None = None,
) -> QuerySet[Session]:
    """The sessions the user may see, filtered, with their figures: coming up (or running) in
    date order, or past with the latest first."""
    sessions = with_figures(sessions_for_user(user).select_related("item__provider", "venue"))
    for word in words.split():
        sessions = sessions.filter(Q(item__title__icontains=word) | Q(item__code__iexact=word))
    if status == FULL:
        sessions = sessions.filter(status=Session.Status.OPEN, held__gte=F("capacity"))
    elif status == Session.Status.OPEN:
        sessions = sessions.filter(status=status, held__lt=F("capacity"))
    elif status:
        sessions = sessions.filter(status=status)
    if provider:
        sessions = sessions.filter(item__provider_id=provider)
    if date_from is not None:
        sessions = sessions.filter(first__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(first__lt=date_to)
    if when == PAST:
        return sessions.filter(last__lt=now).order_by("-first", "-id")
    if when == UPCOMING:
        sessions = sessions.filter(Q(last__gte=now) | Q(last__isnull=True))
    return sessions.order_by(F("first").asc(nulls_last=True), "id")


def fill_rate(session: Session) -> int:
    """Places booked as a whole percentage of the capacity."""
    return round(100 * session.booked / session.capacity) if session.capacity else 0


def shown_status(session: Session) -> tuple[str, str]:
    """The status to show (with "Full" worked out) and its tag colour."""
    if session.status == Session.Status.OPEN and session.held >= session.capacity:
        return "Full", "govuk-tag--orange"
    colour = {
        Session.Status.PLANNED: "govuk-tag--grey",
        Session.Status.OPEN: "govuk-tag--green",
        Session.Status.CANCELLED: "govuk-tag--red",
        Session.Status.COMPLETED: "govuk-tag--blue",
    }[session.status]
    return session.get_status_display(), colour


def below_minimum(session: Session) -> bool:
    return session.status != Session.Status.CANCELLED and session.booked < session.minimum


# --- one session -----------------------------------------------------------------------------


def session_bookings(user, session: Session) -> list[Booking]:
    """Everyone on the session the user may see, in one query, with waiting-list positions."""
    return list(
        with_waitlist_position(visible_bookings(user, session))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )


def session_history(user, session: Session, *, limit: int = 50) -> list[BookingEvent]:
    """The latest changes to the bookings the user may see, newest first."""
    people = visible_bookings(user, session).values("pk")
    return list(
        BookingEvent.objects.filter(booking__in=people)
        .select_related("booking__person", "actor")
        .order_by("-at", "-id")[:limit]
    )


def session_changes(session: Session, *, limit: int = 20) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="learning_session", object_id=str(session.pk)
        ).order_by("-at", "-id")[:limit]
    )


def move_targets(booking: Booking, *, now: dt.datetime) -> list[Session]:
    """The sessions of the same item the learner could be moved to: open, still to start,
    with a place left, and without a booking of theirs."""
    theirs = Booking.objects.filter(person=booking.person_id, status__in=Booking.ACTIVE).values(
        "session_id"
    )
    sessions = (
        with_figures(
            Session.objects.filter(item_id=booking.session.item_id, status=Session.Status.OPEN)
            .exclude(pk=booking.session_id)
            .exclude(pk__in=theirs)
            .select_related("venue")
        )
        .filter(first__gt=now, held__lt=F("capacity"))
        .order_by("first", "id")
    )
    return list(sessions)
