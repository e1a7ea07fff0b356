"""Reads of the catalogue, sessions and bookings for the learning pages.

A session is shown to learners when it is open for booking and has not started: its first
dated part is still to come. "Full" is worked out from the bookings holding a place, never kept.
Every list here is a fixed number of queries whatever the size of the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Lower
from django.http import Http404

from peopleplan.access import gates
from peopleplan.learning.models import (
    Booking,
    CalendarFeed,
    LearningItem,
    Session,
    SessionPart,
    Topic,
)
from peopleplan.org.models import Person

ONLINE = "online"
IN_PERSON = "in_person"


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def topics() -> list[Topic]:
    return list(Topic.objects.all())


def upcoming_sessions(
    *, start: dt.datetime, end: dt.datetime | None = None, mode: str = ""
) -> QuerySet[Session]:
    """Open sessions whose first part starts from `start` (and before `end`), each with `first`,
    its first start. `mode` keeps only the online ones or only those at a venue."""
    return _upcoming(start=start, end=end, mode=mode).annotate(first=Min("parts__starts_at"))


def _upcoming(*, start: dt.datetime, end: dt.datetime | None, mode: str) -> QuerySet[Session]:
    """`upcoming_sessions` without `first`: "the first part starts from `start`" as a part
    from then and none before, which needs no grouping (an item's filter asks it of every
    session of every item)."""
    parts = SessionPart.objects.filter(session=OuterRef("pk"))
    sessions = Session.objects.filter(
        Exists(parts.filter(starts_at__gte=start)),
        ~Exists(parts.filter(starts_at__lt=start)),
        status=Session.Status.OPEN,
    )
    if end is not None:
        sessions = sessions.filter(Exists(parts.filter(starts_at__lt=end)))
    if mode == ONLINE:
        sessions = sessions.exclude(online_url="")
    elif mode == IN_PERSON:
        sessions = sessions.filter(venue__isnull=False)
    return sessions


def with_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Each session with `held`, the places held (booked or offered), counted in the query."""
    return sessions.annotate(
        held=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING), distinct=True)
    )


def catalogue_search(
    *,
    now: dt.datetime,
    words: str = "",
    kind: str = "",
    topic: Topic | None = None,
    mode: str = "",
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    upcoming_only: bool = False,
    only: Iterable[int] | None = None,
) -> QuerySet[LearningItem]:
    """Active items matching the search (and among `only`, when given), by title. The page's
    rows find their next session with `next_sessions`; here the dates and mode ask only
    whether an item has one."""
    items = LearningItem.objects.filter(is_active=True)
    if only is not None:
        items = items.filter(pk__in=list(only))
    for word in words.split()[:10]:
        # Every word in the title, summary or description, whatever its case: `search_text`
        # holds the three lower-cased by the database, and the word is lower-cased by the same
        # database function, so both sides fold case alike (on SQLite, ASCII letters only).
        items = items.filter(search_text__contains=Lower(Value(word)))
    if kind:
        items = items.filter(kind=kind)
    if topic is not None:
        items = items.filter(
            Exists(
                LearningItem.topics.through.objects.filter(learningitem=OuterRef("pk"), topic=topic)
            )
        )
    start = max(now, date_from) if date_from else now
    has_upcoming = Exists(
        _upcoming(start=start, end=date_to, mode=mode).filter(item=OuterRef("pk"))
    )
    if upcoming_only or date_from or date_to or mode == IN_PERSON:
        items = items.filter(has_upcoming)
    elif mode == ONLINE:
        items = items.filter(has_upcoming | Q(kind=LearningItem.Kind.ELEARNING))
    return items.select_related("provider").order_by("title", "code")


def next_sessions(
    items: list[LearningItem],
    *,
    now: dt.datetime,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    mode: str = "",
) -> dict[int, Session]:
    """The next session of each item that has one (in the dates and mode of the search), with
    places held: one query for the whole page."""
    if not items:
        return {}
    start = max(now, date_from) if date_from else now
    sessions = with_places(
        upcoming_sessions(start=start, end=date_to, mode=mode).filter(
            item_id__in=[i.pk for i in items]
        )
    ).order_by("first", "pk")
    found: dict[int, Session] = {}
    for session in sessions:
        found.setdefault(session.item_id, session)
    return found


def access_item(item_id) -> LearningItem:
    """An active item of the catalogue; anything else is a 404. Every member of staff may see
    the catalogue."""
    item = (
        LearningItem.objects.filter(pk=_pk(item_id), is_active=True)
        .select_related("provider")
        .prefetch_related("topics", "prerequisites")
        .first()
    )
    if item is None:
        raise Http404
    return item


def item_sessions(item: LearningItem, *, now: dt.datetime) -> list[Session]:
    """The item's upcoming open sessions, soonest first, with their parts, venue and places."""
    return list(
        with_places(upcoming_sessions(start=now).filter(item=item))
        .select_related("venue")
        .prefetch_related("parts")
        .order_by("first", "pk")
    )


def access_session(session_id) -> Session:
    """A session of an active item, with `first` and `held`; the booking rules decide whether it
    may be booked now."""
    session = (
        with_places(
            Session.objects.filter(pk=_pk(session_id), item__is_active=True).annotate(
                first=Min("parts__starts_at")
            )
        )
        .select_related("item", "venue")
        .first()
    )
    if session is None:
        raise Http404
    return session


def session_parts(session: Session) -> list[SessionPart]:
    return list(session.parts.all())


def waitlist_length(session: Session) -> int:
    return Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED).count()


def clashes(person: Person, session: Session) -> list[Booking]:
    """The person's other live bookings with a part overlapping one of this session's parts: a
    warning shown before booking, not a refusal (someone may choose to leave one early)."""
    overlapping = SessionPart.objects.filter(
        session=OuterRef("session_id"),
    )
    mine = list(session.parts.values_list("starts_at", "ends_at"))
    if not mine:
        return []
    q = Q()
    for starts, ends in mine:
        q |= Q(starts_at__lt=ends, ends_at__gt=starts)
    overlapping = overlapping.filter(q)
    return list(
        Booking.objects.filter(person=person, status__in=Booking.ACTIVE)
        .exclude(session=session)
        .filter(Exists(overlapping))
        .select_related("session__item")
    )


# --- bookings --------------------------------------------------------------------------------


def person_bookings(person_id: int) -> QuerySet[Booking]:
    """A person's bookings, with `first` and `last`, the start and end of their session."""
    return (
        Booking.objects.filter(person_id=person_id)
        .select_related("session__item", "session__venue", "person")
        .annotate(first=Min("session__parts__starts_at"), last=Max("session__parts__ends_at"))
    )


@dataclass
class MyBookings:
    live: list[Booking]
    past: QuerySet[Booking]


def bookings_for_person(person_id: int | None, *, now: dt.datetime) -> MyBookings:
    if not person_id:
        return MyBookings(live=[], past=Booking.objects.none())
    bookings = person_bookings(person_id)
    ongoing = Q(status__in=Booking.ACTIVE) & (Q(last__isnull=True) | Q(last__gte=now))
    live = list(bookings.filter(ongoing).order_by("first", "pk"))
    past = bookings.exclude(ongoing).order_by("-first", "-pk")
    return MyBookings(live=live, past=past)


def bookings_made_for_others(user, *, now: dt.datetime) -> list[Booking]:
    """Live bookings the user made for other people they may still book for."""
    if not gates.may_book_for_others(user):
        return []
    return list(
        Booking.objects.filter(requested_by=user, status__in=Booking.ACTIVE)
        .exclude(person_id=user.person_id)
        .filter(person__in=gates.booking_people_for_user(user))
        .select_related("session__item", "person")
        .annotate(first=Min("session__parts__starts_at"), last=Max("session__parts__ends_at"))
        .filter(Q(last__isnull=True) | Q(last__gte=now))
        .order_by("first", "pk")
    )


def access_booking_for_user(user, booking_id) -> Booking:
    """A booking of someone the user may book for; anyone else's is the same 404 as none."""
    booking = (
        person_bookings_q(user)
        .filter(pk=_pk(booking_id))
        .select_related("session__item", "session__venue", "person")
        .annotate(first=Min("session__parts__starts_at"), last=Max("session__parts__ends_at"))
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def person_bookings_q(user) -> QuerySet[Booking]:
    return Booking.objects.filter(person__in=gates.booking_people_for_user(user))


FEED_DAYS_BACK = 90
# A place booked stays in the calendar once the register has been marked.
FEED_STATUSES = (Booking.Status.BOOKED, Booking.Status.ATTENDED, Booking.Status.PARTLY_ATTENDED)


def feed_bookings(token: str, *, now: dt.datetime) -> list[Booking] | None:
    """The booked sessions in a calendar feed (those that end after `FEED_DAYS_BACK` days
    ago), with their parts; None when no active user has this secret address."""
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True, user__person__isnull=False)
        .select_related("user")
        .first()
    )
    if feed is None or not token:
        return None
    return list(
        Booking.objects.filter(person_id=feed.user.person_id, status__in=FEED_STATUSES)
        .exclude(session__status=Session.Status.CANCELLED)
        .annotate(last=Max("session__parts__ends_at"), changes=Count("events", distinct=True))
        .filter(last__gte=now - dt.timedelta(days=FEED_DAYS_BACK))
        .select_related("session__item", "session__venue")
        .prefetch_related("session__parts")
        .order_by("last", "pk")
    )


def parts_to_train(person_id: int | None, *, now: dt.datetime) -> list[SessionPart]:
    """The parts of sessions the person trains, from a week ago to three months ahead, soonest
    first, for their registers: one query."""
    if not person_id:
        return []
    return list(
        SessionPart.objects.filter(
            session__trainers=person_id,
            starts_at__gte=now - dt.timedelta(days=7),
            starts_at__lte=now + dt.timedelta(days=92),
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__item", "session__venue")
        .order_by("starts_at", "pk")
    )
