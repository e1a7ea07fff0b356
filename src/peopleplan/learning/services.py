"""Bookings: every change of a booking's status, under a row lock on its session.

Places are counted from the bookings that hold one (booked, offered) inside the transaction
that holds the session's row lock, so two requests can never both take the last place. Every
change of status adds a `BookingEvent` (who, when, why).

The rules:
- a booking needs the session open, inside its booking window and not started, and the person
  without another live booking on it;
- with no approval needed a place is given at once if one is free, otherwise the person joins
  the waiting list; with approval the request waits for the approver and is allocated when
  approved;
- places may be reserved for the people of a unit (a directorate and everything under it) or a
  programme's cohort until a release time: someone eligible takes a reserved place first, and
  the others take the places open to everyone; after the release time unused reserved places
  are open to everyone;
- the waiting list is ordered by priority (higher first: those for whom the item is mandatory
  and overdue or expired, then due soon, as compliance says through `hooks` when they ask),
  then by when each joined it; a freed place goes to the first in line who may take it (a
  reserved place to the first eligible);
- a freed place is offered to the first in line for the session's hold (48 hours by default,
  and never more than half the time left before the session starts); an offer not taken in
  time passes on; no offers once the session has started;
- a cancellation after the session's cut-off is late, and kept as such.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from peopleplan.core.audit import audit_record
from peopleplan.learning import hooks, messages
from peopleplan.learning.models import (
    Approval,
    Booking,
    BookingEvent,
    CalendarFeed,
    PlaceReservation,
    ProgrammeMember,
    Session,
    SessionPart,
)
from peopleplan.org.models import Assignment, Person, Unit, subtree_q

S = Booking.Status


class BookingError(ValueError):
    """A booking the rules refuse, with a message for the person."""


def actor_user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def booking_move(
    booking: Booking,
    to: str,
    *,
    at: dt.datetime,
    actor: Any,
    reason: str = "",
    notify: bool = True,
) -> None:
    """Change a booking's status, record the change, and tell the people it concerns (sent
    once the transaction commits; `notify=False` when the caller sends one message of its own
    for several changes). The one writer of a booking's status: the caller holds the session's
    lock."""
    before = booking.status if booking.pk else ""
    booking.status = to
    booking.save()
    BookingEvent.objects.create(
        booking=booking,
        from_status=before,
        to_status=to,
        at=at,
        actor=actor_user(actor),
        reason=reason,
    )
    if notify:
        messages.booking_changed(booking)


def _lock(session_id: int) -> Session:
    """Lock the session's row (only it, not the item joined to it) and read its first start in
    the same statement. Everything the bookings change is read after this, so it is current;
    the start is as of the request, which is all a booking needs of it."""
    first_start = (
        SessionPart.objects.filter(session=OuterRef("pk")).order_by("starts_at").values("starts_at")
    )
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("item")
        .annotate(first_start=Subquery(first_start[:1]))
        .get(pk=session_id)
    )


def session_starts_at(session: Session) -> dt.datetime | None:
    if hasattr(session, "first_start"):  # read with the lock
        return session.first_start
    return session.parts.aggregate(first=Min("starts_at"))["first"]


def held_places(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.HOLDING).count()


class Pools:
    """A session's free places at a moment: per reservation still held, and open to everyone.
    Counted from the bookings that hold places; the caller holds the session's lock."""

    def __init__(self, session: Session, at: dt.datetime) -> None:
        self.reservations = [
            r for r in session.reservations.select_related("unit") if r.is_held_at(at)
        ]
        held_ids = {r.pk for r in self.reservations}
        taken: dict[int | None, int] = {}
        self.waiting = 0  # how many are on the waiting list
        for row in (
            Booking.objects.filter(session=session, status__in=(*Booking.HOLDING, S.WAITLISTED))
            .values("status", "reservation_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            if row["status"] == S.WAITLISTED:
                self.waiting += row["n"]
                continue
            key = row["reservation_id"] if row["reservation_id"] in held_ids else None
            taken[key] = taken.get(key, 0) + row["n"]
        self.free = {r.pk: r.places - taken.get(r.pk, 0) for r in self.reservations}
        reserved = sum(r.places for r in self.reservations)
        self.open = session.capacity - reserved - taken.get(None, 0)
        self.at = at
        self.eligible: dict[int, set[int]] = {}  # reservation -> people known eligible
        self.asked: set[int] = set()  # the people `eligible` answers for

    def know(self, person_ids: list[int]) -> None:
        """Find out at once who among these people may take each reserved place with a free
        place (one query per reservation, not one per person)."""
        for reservation in self.reservations:
            if self.free[reservation.pk] > 0:
                found = eligible_ids(reservation, person_ids, self.at)
                self.eligible[reservation.pk] = self.eligible.get(reservation.pk, set()) | found
        self.asked |= set(person_ids)

    def any_free(self) -> bool:
        return self.open > 0 or any(n > 0 for n in self.free.values())

    def take(self, person: Person) -> tuple[bool, PlaceReservation | None]:
        """Take a place for the person if there is one they may have: a reserved place they
        are eligible for first, then one open to everyone."""
        for reservation in self.reservations:
            if self.free[reservation.pk] <= 0:
                continue
            if person.pk in self.asked:
                known = self.eligible.get(reservation.pk, set())
            else:
                known = eligible_ids(reservation, [person.pk], self.at)
            if person.pk in known:
                self.free[reservation.pk] -= 1
                return True, reservation
        if self.open > 0:
            self.open -= 1
            return True, None
        return False, None


def eligible_ids(reservation: PlaceReservation, person_ids: list[int], at: dt.datetime) -> set[int]:
    """Which of these people may take the reservation's places: in the programme's cohort, or
    in a job in the unit (or under it) on the day."""
    if reservation.programme_id:
        rows = ProgrammeMember.objects.filter(
            programme_id=reservation.programme_id, person_id__in=person_ids
        )
    else:
        rows = (
            Assignment.objects.current_on(timezone.localdate(at))
            .filter(person_id__in=person_ids)
            .filter(subtree_q("unit__path", [reservation.unit.path]))
        )
    return set(rows.values_list("person_id", flat=True))


def _allocate(
    booking: Booking,
    session: Session,
    *,
    at: dt.datetime,
    actor: Any,
    starts: dt.datetime | None,
    reason: str = "",
) -> None:
    """Give the booking a place, or a place on the waiting list. The caller holds the session's
    lock and has checked that the session is open and not started."""
    pools = Pools(session, at)
    if pools.any_free() and pools.waiting:
        # Places that became free (a reservation released since the last refresh) go to the
        # waiting list first; only what is still free after that is given here.
        _offer_to_waitlist(session, pools, now=at, actor=actor, starts=starts)
    placed, reservation = pools.take(booking.person)
    if placed:
        booking.reservation = reservation
        booking_move(booking, S.BOOKED, at=at, actor=actor, reason=reason)
    else:
        booking.waitlisted_at = at
        booking_move(
            booking, S.WAITLISTED, at=at, actor=actor, reason=reason or "The session is full"
        )


# The capacity in which someone books (`gates.booking_capacity_of`): for themselves, for a
# report as their manager, or for anyone as an L&D administrator.
LEARNER, MANAGER, ADMIN = "learner", "manager", "admin"
BOOKED_BY = {MANAGER: "Booked by their manager", ADMIN: "Booked by learning and development"}


def approval_still_needed(rule: str, booked_as: str) -> str:
    """The approval a booking still needs when made in this capacity: "" (none), "manager"
    (the line manager's, and then L&D's if the rule says so) or "ld". A manager's booking for
    their report carries the manager's approval; an L&D administrator's needs none."""
    if rule == Approval.NONE or booked_as == ADMIN:
        return ""
    if booked_as == MANAGER:
        return "ld" if rule == Approval.MANAGER_THEN_LD else ""
    return "manager"


def _check_bookable(session: Session, *, now: dt.datetime, starts: dt.datetime | None) -> None:
    if session.status != Session.Status.OPEN:
        raise BookingError(f"This session is {session.get_status_display().lower()}.")
    if session.booking_opens_at and now < session.booking_opens_at:
        raise BookingError(
            f"Booking opens on {timezone.localtime(session.booking_opens_at):%d %B %Y at %H:%M}."
        )
    if session.booking_closes_at and now > session.booking_closes_at:
        raise BookingError(
            f"Booking closed on {timezone.localtime(session.booking_closes_at):%d %B %Y at %H:%M}."
        )
    if starts and now >= starts:
        raise BookingError("This session has started.")


def _book(
    session: Session,
    person: Person,
    *,
    actor: Any,
    now: dt.datetime,
    starts: dt.datetime | None,
    priority: int,
    booked_as: str,
) -> Booking:
    """Book one person on a session the caller has locked and checked."""
    existing = Booking.objects.filter(session=session, person=person, status__in=Booking.ACTIVE)
    if (held := existing.first()) is not None:
        raise BookingError(
            f"{person.full_name} already has a booking on this session "
            f"({held.get_status_display().lower()})."
        )
    booking = Booking(
        session=session,
        person=person,
        requested_by=actor_user(actor),
        created_at=now,
        priority=priority,
    )
    needed = approval_still_needed(session.approval_rule, booked_as)
    if not needed:
        reason = BOOKED_BY.get(booked_as, "") if session.approval_rule != Approval.NONE else ""
        _allocate(booking, session, at=now, actor=actor, starts=starts, reason=reason)
    elif needed == "ld":
        booking_move(booking, S.APPROVED, at=now, actor=actor, reason=BOOKED_BY[MANAGER])
    else:
        booking_move(booking, S.AWAITING_APPROVAL, at=now, actor=actor)
    return booking


@transaction.atomic
def booking_create(
    *,
    session: Session,
    person: Person,
    actor: Any,
    now: dt.datetime | None = None,
    priority: int | None = None,
    booked_as: str = LEARNER,
) -> Booking:
    """Book a place (or a place on the waiting list, or ask for approval). `booked_as`: the
    capacity in which the actor books (`gates.booking_capacity_of`); `priority` on the waiting
    list: by default, how urgent the item is for the person (`hooks.waitlist_priority`)."""
    now = now or timezone.now()
    if priority is None:  # asked before the lock: it reads nothing the lock guards
        priority = hooks.waitlist_priority(person.pk, session.item_id, timezone.localdate(now))
    session = _lock(session.pk)
    starts = session_starts_at(session)
    _check_bookable(session, now=now, starts=starts)
    return _book(
        session, person, actor=actor, now=now, starts=starts, priority=priority, booked_as=booked_as
    )


@dataclass(frozen=True)
class Outcome:
    """What booking one person of several came to: the booking, or why there is none."""

    person: Person
    booking: Booking | None
    refused: str = ""


@transaction.atomic
def bookings_create_many(
    *,
    session: Session,
    people: list[tuple[Person, str]],
    actor: Any,
    now: dt.datetime | None = None,
) -> list[Outcome]:
    """Book several people (each with the capacity the actor books them in) under one lock of
    the session, in the order given. Someone who cannot be booked (a second booking) is
    reported, and the others are booked; a session that cannot be booked at all refuses all."""
    now = now or timezone.now()
    priorities = {
        person.pk: hooks.waitlist_priority(person.pk, session.item_id, timezone.localdate(now))
        for person, _ in people
    }
    session = _lock(session.pk)
    starts = session_starts_at(session)
    _check_bookable(session, now=now, starts=starts)
    outcomes = []
    for person, booked_as in people:
        try:
            booking = _book(
                session,
                person,
                actor=actor,
                now=now,
                starts=starts,
                priority=priorities[person.pk],
                booked_as=booked_as,
            )
        except BookingError as refused:
            outcomes.append(Outcome(person, None, str(refused)))
        else:
            outcomes.append(Outcome(person, booking))
    return outcomes


@transaction.atomic
def booking_decide(
    *,
    booking: Booking,
    approve: bool,
    actor: Any,
    reason: str = "",
    ld_step: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """An approver's decision. With "line manager, then L&D" the manager's yes moves the
    request on to L&D; the last yes allocates a place. `ld_step`: L&D decides, as the last
    step (after the manager, or in place of a manager who cannot decide: `approvers.py`)."""
    now = now or timezone.now()
    session = _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    waiting = (S.APPROVED, S.AWAITING_APPROVAL) if ld_step else (S.AWAITING_APPROVAL,)
    if booking.status not in waiting:
        raise BookingError("This request is not waiting for this decision.")
    starts = session_starts_at(session)
    if approve and (
        session.status != Session.Status.OPEN or (starts is not None and now >= starts)
    ):
        raise BookingError("The session has started or is no longer open: decline the request.")
    if not approve and not reason.strip():
        raise BookingError("Give a reason for declining.")
    audit_record(
        actor=actor,
        action="update",
        object_type="booking_approval",
        object_id=booking.pk,
        object_label=booking.person.employee_number,
        summary=f"{'Approved' if approve else 'Declined'}"
        f"{' by L&D' if ld_step else ''}: {session.item.title}"
        + (f" ({reason})" if reason else ""),
        before={"status": booking.status},
    )
    if not approve:
        booking_move(booking, S.DECLINED, at=now, actor=actor, reason=reason)
        return booking
    if session.approval_rule == Approval.MANAGER_THEN_LD and not ld_step:
        booking_move(
            booking, S.APPROVED, at=now, actor=actor, reason=reason or "Approved by manager"
        )
        return booking
    _allocate(booking, session, at=now, actor=actor, starts=starts, reason=reason or "Approved")
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: Booking, actor: Any, by: str, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    now = now or timezone.now()
    session = _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in Booking.ACTIVE:
        raise BookingError(f"This booking is {booking.get_status_display().lower()} already.")
    starts = session_starts_at(session)
    if booking.status == S.BOOKED and starts is not None and now >= starts:
        raise BookingError(
            "The session has started: the register records who came, so the booking cannot be "
            "cancelled now."
        )
    booking.cancelled_by = by
    booking.is_late_cancellation = is_late(booking, session, now=now, starts=starts)
    booking_move(booking, S.CANCELLED, at=now, actor=actor, reason=reason)
    _offer_free_places(session, now=now, actor=actor)
    return booking


def is_late(
    booking: Booking, session: Session, *, now: dt.datetime, starts: dt.datetime | None
) -> bool:
    """A cancellation is late when it gives up a place after the session's cut-off (its start,
    when it has no cut-off of its own). Leaving a waiting list is never late."""
    if booking.status not in Booking.HOLDING:
        return False
    cutoff = session.cancellation_cutoff_at or starts
    return cutoff is not None and now > cutoff


def waitlist(session: Session):
    """The waiting list in order: higher priority first, then who joined first."""
    return Booking.objects.filter(session=session, status=S.WAITLISTED).order_by(
        "-priority", "waitlisted_at", "id"
    )


def _ahead_q() -> Q:
    """Waiting-list bookings ahead of the outer booking: higher priority, or the same priority
    and joined earlier (then the lower id)."""
    return (
        Q(priority__gt=OuterRef("priority"))
        | Q(priority=OuterRef("priority"), waitlisted_at__lt=OuterRef("waitlisted_at"))
        | Q(
            priority=OuterRef("priority"),
            waitlisted_at=OuterRef("waitlisted_at"),
            id__lt=OuterRef("id"),
        )
    )


def with_waitlist_position(bookings):
    """Annotate `waitlist_ahead` (how many are ahead on the waiting list) in the same query,
    for lists of bookings; `waitlist_position` reads it when it is there."""
    ahead = (
        Booking.objects.filter(session_id=OuterRef("session_id"), status=S.WAITLISTED)
        .filter(_ahead_q())
        .order_by()
        .values("session_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return bookings.annotate(waitlist_ahead=Coalesce(Subquery(ahead), 0))


def waitlist_position(booking: Booking) -> int | None:
    if booking.status != S.WAITLISTED:
        return None
    if hasattr(booking, "waitlist_ahead"):
        return booking.waitlist_ahead + 1
    ahead = Booking.objects.filter(session_id=booking.session_id, status=S.WAITLISTED).filter(
        Q(priority__gt=booking.priority)
        | Q(priority=booking.priority, waitlisted_at__lt=booking.waitlisted_at)
        | Q(priority=booking.priority, waitlisted_at=booking.waitlisted_at, id__lt=booking.id)
    )
    return ahead.count() + 1


def offer_expiry(session: Session, now: dt.datetime, starts: dt.datetime | None) -> dt.datetime:
    expires = now + dt.timedelta(hours=session.offer_hold_hours)
    if starts is not None:
        expires = min(expires, now + (starts - now) / 2)
    return expires


def _offer_free_places(session: Session, *, now: dt.datetime, actor: Any) -> None:
    starts = session_starts_at(session)
    if session.status != Session.Status.OPEN or (starts is not None and now >= starts):
        return
    pools = Pools(session, now)
    if pools.any_free() and pools.waiting:
        _offer_to_waitlist(session, pools, now=now, actor=actor, starts=starts)


def _offer_to_waitlist(
    session: Session, pools: Pools, *, now: dt.datetime, actor: Any, starts: dt.datetime | None
) -> None:
    """Offer the free places in `pools` to the first in line who may take them."""
    waiting = list(waitlist(session).select_for_update(of=("self",)).select_related("person"))
    pools.know([b.person_id for b in waiting])  # who may take reserved places: one query each
    for booking in waiting:
        placed, reservation = pools.take(booking.person)
        if not placed:
            continue  # only reserved places are free, and not for them: they keep their turn
        booking.reservation = reservation
        booking.offer_expires_at = offer_expiry(session, now, starts)
        booking_move(booking, S.OFFERED, at=now, actor=actor, reason="A place became free")
        if not pools.any_free():
            return


@transaction.atomic
def offer_accept(*, booking: Booking, actor: Any, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    session = _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != S.OFFERED:
        raise BookingError("There is no place offered on this booking.")
    if booking.offer_expires_at and now > booking.offer_expires_at:
        raise BookingError("The offer of a place has expired.")
    starts = session_starts_at(session)
    if starts is not None and now >= starts:
        raise BookingError("The session has started: the offer of a place has lapsed.")
    booking_move(booking, S.BOOKED, at=now, actor=actor, reason="Offer accepted")
    return booking


@transaction.atomic
def offer_decline(*, booking: Booking, actor: Any, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    session = _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != S.OFFERED:
        raise BookingError("There is no place offered on this booking.")
    booking_move(booking, S.DECLINED, at=now, actor=actor, reason="Offer declined")
    _offer_free_places(session, now=now, actor=actor)
    return booking


def offers_refresh(*, now: dt.datetime | None = None) -> int:
    """Pass on every offer not taken in time, and offer the places that have become free to
    the waiting lists (reserved places whose release time has passed). Run every few minutes by
    `peopleplan refresh_offers`; running it twice does nothing more. Returns the offers expired."""
    now = now or timezone.now()
    expired = 0
    # Sessions with offers that have run out, and sessions still to start with a waiting list.
    expired_offers = Booking.objects.filter(status=S.OFFERED, offer_expires_at__lt=now)
    waiting = (
        Booking.objects.filter(status=S.WAITLISTED, session__status=Session.Status.OPEN)
        .annotate(first=Min("session__parts__starts_at"))
        .filter(first__gt=now)
    )
    sessions = set(expired_offers.values_list("session_id", flat=True)) | set(
        waiting.values_list("session_id", flat=True)
    )
    for session_id in sorted(sessions):
        with transaction.atomic():
            session = _lock(session_id)
            for booking in Booking.objects.select_for_update().filter(
                session=session, status=S.OFFERED, offer_expires_at__lt=now
            ):
                booking_move(
                    booking,
                    S.DECLINED,
                    at=now,
                    actor=None,
                    reason="The offer was not taken in time",
                )
                expired += 1
            _offer_free_places(session, now=now, actor=None)
    return expired


@transaction.atomic
def reservation_add(
    *,
    session: Session,
    places: int,
    unit: Unit | None = None,
    programme=None,
    release_at: dt.datetime | None = None,
    actor: Any = None,
) -> PlaceReservation:
    """Keep places for a unit's people or a programme's cohort (until `release_at`)."""
    session = _lock(session.pk)
    if (unit is None) == (programme is None):
        raise BookingError("Reserve places for one unit or one programme.")
    if places < 1:
        raise BookingError("Reserve at least one place.")
    free = max(Pools(session, timezone.now()).open, 0)
    if places > free:
        raise BookingError(
            f"Only {free} of the {session.capacity} places are neither reserved nor taken."
        )
    reservation = PlaceReservation.objects.create(
        session=session, unit=unit, programme=programme, places=places, release_at=release_at
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="learning_session",
        object_id=session.pk,
        object_label=session.item.title,
        summary=f"{places} places reserved for {reservation.holder_name}",
        after={"places": places, "release_at": release_at},
    )
    return reservation


@transaction.atomic
def reservation_remove(*, reservation: PlaceReservation, actor: Any) -> None:
    """Stop keeping places: those not taken open to everyone, first to the waiting list. The
    people holding reserved places keep them."""
    session = _lock(reservation.session_id)
    now = timezone.now()
    reservation = (
        PlaceReservation.objects.select_related("unit", "programme")
        .filter(pk=reservation.pk)
        .first()
    )
    if reservation is None:
        return  # removed already (a second click)
    name = reservation.holder_name
    reservation.delete()
    audit_record(
        actor=actor,
        action="delete",
        object_type="learning_session",
        object_id=session.pk,
        object_label=session.item.title,
        summary=f"Places for {name} no longer reserved",
        before={"places": reservation.places, "release_at": reservation.release_at},
    )
    _offer_free_places(session, now=now, actor=actor)


def pro_rata(places: int, headcounts: dict[Any, int]) -> dict[Any, int]:
    """Share places in proportion to headcount, by largest remainder (ties to the larger
    headcount, then the order given); every place is given when anyone is counted."""
    total = sum(headcounts.values())
    if total == 0 or places <= 0:
        return dict.fromkeys(headcounts, 0)
    exact = {key: places * count / total for key, count in headcounts.items()}
    shares = {key: int(value) for key, value in exact.items()}
    order = list(headcounts)
    left = places - sum(shares.values())
    by_remainder = sorted(
        order, key=lambda k: (-(exact[k] - shares[k]), -headcounts[k], order.index(k))
    )
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


@transaction.atomic
def reservations_pro_rata(
    *,
    session: Session,
    units: list[Unit],
    places: int,
    release_at: dt.datetime | None = None,
    on: dt.date | None = None,
    actor: Any = None,
) -> list[PlaceReservation]:
    """Reserve `places` across the units in proportion to their headcount on the date (people
    in post, agency workers not counted)."""
    on = on or timezone.localdate()
    headcounts = {
        unit: Assignment.objects.current_on(on)
        .exclude(contract_type=Assignment.ContractType.AGENCY)
        .filter(subtree_q("unit__path", [unit.path]))
        .values("person_id")
        .distinct()
        .count()
        for unit in units
    }
    return [
        reservation_add(
            session=session, unit=unit, places=share, release_at=release_at, actor=actor
        )
        for unit, share in pro_rata(places, headcounts).items()
        if share > 0
    ]


@transaction.atomic
def session_cancel(
    *, session: Session, reason: str, actor: Any, now: dt.datetime | None = None
) -> Session:
    """Cancel a whole session: every live booking is cancelled with the reason."""
    now = now or timezone.now()
    if not reason.strip():
        raise BookingError("Give the reason the session is cancelled.")
    session = _lock(session.pk)
    if session.status == Session.Status.CANCELLED:
        raise BookingError("This session is cancelled already.")
    for booking in Booking.objects.select_for_update().filter(
        session=session, status__in=Booking.ACTIVE
    ):
        booking.cancelled_by = Booking.CancelledBy.SESSION
        booking_move(booking, S.CANCELLED, at=now, actor=actor, reason=reason)
    session.status = Session.Status.CANCELLED
    session.cancelled_reason = reason
    session.save(update_fields=["status", "cancelled_reason"])
    audit_record(
        actor=actor,
        action="update",
        object_type="learning_session",
        object_id=session.pk,
        object_label=session.item.title,
        summary=f"Session of {session.item.title} cancelled: {reason}",
        after={"status": session.status},
    )
    return session


@transaction.atomic
def calendar_feed_reset(*, user, now: dt.datetime | None = None) -> CalendarFeed:
    """Give the user a new secret calendar address; the old one, if any, stops working."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user,
        defaults={"token": secrets.token_urlsafe(32), "created_at": now or timezone.now()},
    )
    return feed


# --- L&D: sessions (create, change, open), moving a learner, offering places -----------------


class SessionError(BookingError):
    """A session the rules refuse, naming the field at fault (a form field's name)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# What L&D may set on a session (and change later, except the item).
SESSION_FIELDS = (
    "venue",
    "online_url",
    "capacity",
    "minimum",
    "booking_opens_at",
    "booking_closes_at",
    "cancellation_cutoff_at",
    "approval",
    "offer_hold_hours",
)
# The bookings a move takes: someone's place, or their place in the queue.
MOVABLE = (S.BOOKED, S.OFFERED, S.WAITLISTED)

Parts = list[tuple[dt.datetime, dt.datetime]]


def _session_check(session: Session, parts: Parts, *, place: bool = True) -> None:
    """The rules every session keeps, whoever sets it up; the first broken one is refused.
    (`place=False`: a change that leaves the place alone does not ask for one.)"""
    if session.capacity is None or session.capacity < 1:
        raise SessionError("The capacity must be at least 1.", field="capacity")
    if session.minimum is not None and session.minimum > session.capacity:
        raise SessionError(
            f"The minimum must be no more than the capacity ({session.capacity}).",
            field="minimum",
        )
    if place and session.venue_id is None and not session.online_url:
        raise SessionError("Choose a venue or give an online link, or both.", field="venue")
    if session.offer_hold_hours < 1:
        raise SessionError("Hold an offered place for at least 1 hour.", field="offer_hold_hours")
    if not parts:
        raise SessionError("Give the date and times of at least one part.", field="parts")
    ordered = sorted(parts)
    for number, (start, end) in enumerate(ordered, 1):
        if end <= start:
            raise SessionError(f"Part {number} must end after it starts.", field="parts")
        if number > 1 and start < ordered[number - 2][1]:
            raise SessionError(
                f"Part {number} starts before part {number - 1} ends.", field="parts"
            )
    opens, closes = session.booking_opens_at, session.booking_closes_at
    if opens and closes and closes <= opens:
        raise SessionError("Booking must close after it opens.", field="booking_closes_at")
    cutoff = session.cancellation_cutoff_at
    if cutoff and cutoff > ordered[0][0]:
        raise SessionError(
            "The cancellation cut-off must be before the session starts.",
            field="cancellation_cutoff_at",
        )


def _session_state(session: Session) -> dict[str, Any]:
    state = {name: getattr(session, name) for name in SESSION_FIELDS}
    state["venue"] = session.venue_id
    state["status"] = session.status
    return state


@transaction.atomic
def session_create(
    *,
    item,
    capacity: int,
    parts: Parts,
    actor: Any,
    minimum: int = 0,
    venue=None,
    online_url: str = "",
    trainers: list[Person] | tuple[Person, ...] = (),
    booking_opens_at: dt.datetime | None = None,
    booking_closes_at: dt.datetime | None = None,
    cancellation_cutoff_at: dt.datetime | None = None,
    approval: str = "",
    offer_hold_hours: int = 48,
    status: str = Session.Status.PLANNED,
) -> Session:
    """Set up a session of an item, planned (not yet open for booking) unless told otherwise."""
    if not item.is_active:
        raise SessionError("This learning is retired: it cannot have new sessions.", field="item")
    if status not in (Session.Status.PLANNED, Session.Status.OPEN):
        raise SessionError("A new session is planned or open.", field="status")
    session = Session(
        item=item,
        venue=venue,
        online_url=online_url,
        capacity=capacity,
        minimum=minimum,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        cancellation_cutoff_at=cancellation_cutoff_at,
        approval=approval,
        offer_hold_hours=offer_hold_hours,
        status=status,
    )
    _session_check(session, parts)
    session.save()
    session.trainers.set(trainers)
    SessionPart.objects.bulk_create(
        SessionPart(session=session, starts_at=start, ends_at=end) for start, end in sorted(parts)
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="learning_session",
        object_id=session.pk,
        object_label=item.title,
        summary=f"Session of {item.title} set up ({session.get_status_display().lower()})",
        after={**_session_state(session), "parts": sorted(parts)},
    )
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    actor: Any,
    parts: Parts | None = None,
    trainers: list[Person] | tuple[Person, ...] | None = None,
    now: dt.datetime | None = None,
    **changes: Any,
) -> Session:
    """Change a session. Everyone booked gets an updated invite when the dates, times or place
    change (the same UIDs, a higher SEQUENCE); a capacity raised offers the new places to the
    waiting list; a capacity below the places already booked, offered or reserved is refused.
    Parts are matched in date order: the first parts keep their identity (and their registers
    and invites), extra ones are added, and parts left over are removed unless a register has
    been marked for them."""
    now = now or timezone.now()
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise SessionError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    session = _lock(session.pk)
    if session.status in (Session.Status.CANCELLED, Session.Status.COMPLETED):
        raise SessionError(
            f"This session is {session.get_status_display().lower()}: it cannot be changed."
        )
    before = _session_state(session)
    old_parts = list(session.parts.all())
    new_parts = (
        sorted(parts) if parts is not None else [(p.starts_at, p.ends_at) for p in old_parts]
    )
    for name, value in changes.items():
        setattr(session, name, value)
    if "venue" in changes:
        session.venue_id = value.pk if (value := changes["venue"]) is not None else None
    pools = Pools(session, now)
    # Places already spoken for: those held, and those reserved and not yet taken.
    taken = held_places(session)
    needed = max(taken, session.capacity - pools.open)
    if session.capacity is not None and session.capacity < needed:
        raise SessionError(
            f"The capacity cannot be less than the {needed} places already booked, offered or "
            "reserved. Move or cancel bookings first.",
            field="capacity",
        )
    _session_check(session, new_parts, place="venue" in changes or "online_url" in changes)
    # Parts: keep the first ones (their registers and invites), add or remove at the end.
    removed = old_parts[len(new_parts) :]
    marked = [p for p in removed if p.marks.exists()]
    if marked:
        raise SessionError(
            f"Part {len(new_parts) + 1} has a register marked: it cannot be removed.",
            field="parts",
        )
    moved = False
    for part, (start, end) in zip(old_parts, new_parts, strict=False):
        if (part.starts_at, part.ends_at) != (start, end):
            part.starts_at, part.ends_at = start, end
            part.save(update_fields=["starts_at", "ends_at"])
            moved = True
    for start, end in new_parts[len(old_parts) :]:
        SessionPart.objects.create(session=session, starts_at=start, ends_at=end)
        moved = True
    gone = [(p.pk, p.starts_at, p.ends_at) for p in removed]
    if removed:
        SessionPart.objects.filter(pk__in=[p.pk for p in removed]).delete()
        moved = True
    place_changed = (
        before["venue"] != session.venue_id or before["online_url"] != session.online_url
    )
    if moved or place_changed:
        session.sequence += 1
    session.save()
    if trainers is not None:
        session.trainers.set(trainers)
    after = _session_state(session)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if moved:
        changed["parts"] = new_parts
    audit_record(
        actor=actor,
        action="update",
        object_type="learning_session",
        object_id=session.pk,
        object_label=session.item.title,
        summary=f"Session of {session.item.title} changed"
        + (f": {', '.join(sorted(changed))}" if changed else ""),
        before={k: before.get(k) for k in changed if k != "parts"},
        after=changed,
    )
    # The start read with the lock is the old one: from here on, the new one.
    session.first_start = new_parts[0][0] if new_parts else None
    if moved and session.first_start is not None:
        # Offers already made are held no longer than half the time left before the start.
        latest = max(now, now + (session.first_start - now) / 2)
        Booking.objects.filter(
            session=session, status=S.OFFERED, offer_expires_at__gt=latest
        ).update(offer_expires_at=latest)
    if moved or place_changed:
        holders = list(
            Booking.objects.filter(session=session, status__in=Booking.HOLDING).values_list(
                "pk", flat=True
            )
        )
        messages.session_changed(session, removed=gone, holders=holders)
    _offer_free_places(session, now=now, actor=actor)
    return session


@transaction.atomic
def session_open(*, session: Session, actor: Any, now: dt.datetime | None = None) -> Session:
    """Open a planned session for booking."""
    now = now or timezone.now()
    session = _lock(session.pk)
    if session.status != Session.Status.PLANNED:
        raise SessionError(
            f"Only a planned session can be opened: this one is "
            f"{session.get_status_display().lower()}."
        )
    starts = session_starts_at(session)
    if starts is None:
        raise SessionError("Give the session its dates before opening it.", field="parts")
    if now >= starts:
        raise SessionError("This session has started: it cannot be opened for booking.")
    session.status = Session.Status.OPEN
    session.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="update",
        object_type="learning_session",
        object_id=session.pk,
        object_label=session.item.title,
        summary=f"Session of {session.item.title} opened for booking",
        before={"status": Session.Status.PLANNED},
        after={"status": Session.Status.OPEN},
    )
    return session


@transaction.atomic
def waitlist_offer(*, session: Session, actor: Any, now: dt.datetime | None = None) -> int:
    """Offer the places that are free now to the first in line on the waiting list (as the
    booking rules do on their own when a place frees): for L&D, after a reservation's release
    time, without waiting for `refresh_offers`. Returns the number of places offered."""
    now = now or timezone.now()
    session = _lock(session.pk)
    if session.status != Session.Status.OPEN:
        raise BookingError(f"This session is {session.get_status_display().lower()}.")
    starts = session_starts_at(session)
    if starts is not None and now >= starts:
        raise BookingError("This session has started: no more places are offered.")
    if not waitlist(session).exists():
        raise BookingError("No one is on the waiting list.")
    if not Pools(session, now).any_free():
        raise BookingError("There is no free place to offer.")
    before = Booking.objects.filter(session=session, status=S.OFFERED).count()
    _offer_free_places(session, now=now, actor=actor)
    offered = Booking.objects.filter(session=session, status=S.OFFERED).count() - before
    if offered == 0:
        raise BookingError(
            "The free places are reserved, and no one on the waiting list may take them."
        )
    return offered


@transaction.atomic
def booking_transfer(
    *, booking: Booking, to_session: Session, actor: Any, now: dt.datetime | None = None
) -> Booking:
    """Move a learner's place (or their place in the queue) to another session of the same
    item, as L&D: the old booking is cancelled ("moved to session X"), a place is booked on the
    new session, the freed place is offered to the old session's waiting list, and the learner
    gets one message with the new invite and the old one cancelled. Both sessions are locked,
    in the order of their ids so that two moves the other way round cannot deadlock. A session
    with no place the learner may take is refused: a move never trades a place for a wait.
    Approval is not asked again: L&D places them."""
    now = now or timezone.now()
    if booking.session_id == to_session.pk:
        raise BookingError("Choose a different session from the one they are on.")
    locked = {pk: _lock(pk) for pk in sorted((booking.session_id, to_session.pk))}
    source, target = locked[booking.session_id], locked[to_session.pk]
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("person").get(pk=booking.pk)
    )
    person = booking.person
    if booking.status not in MOVABLE:
        raise BookingError(
            "Only a booked place, an offered place or a place on the waiting list can be "
            f"moved: this booking is {booking.get_status_display().lower()}."
        )
    if target.item_id != source.item_id:
        raise BookingError("A learner can only be moved to another session of the same learning.")
    if target.status != Session.Status.OPEN:
        raise BookingError(
            f"The session to move to is {target.get_status_display().lower()}, not open."
        )
    starts = session_starts_at(target)
    if starts is None or now >= starts:
        raise BookingError("The session to move to has started.")
    source_starts = session_starts_at(source)
    if booking.status == S.BOOKED and source_starts is not None and now >= source_starts:
        raise BookingError("The session they are on has started: the register records who came.")
    held = Booking.objects.filter(session=target, person=person, status__in=Booking.ACTIVE).first()
    if held is not None:
        raise BookingError(
            f"{person.full_name} already has a booking on the session to move to "
            f"({held.get_status_display().lower()})."
        )
    # Places the target's waiting list is owed go to it first.
    _offer_free_places(target, now=now, actor=actor)
    placed, reservation = Pools(target, now).take(person)
    if not placed:
        raise BookingError(
            f"The session to move to has no place {person.full_name} can take: choose a "
            "session with places left."
        )
    was_status = booking.status
    was_holding = was_status in Booking.HOLDING
    when = timezone.localtime(starts)
    booking.cancelled_by = Booking.CancelledBy.ADMIN
    booking.is_late_cancellation = False
    booking_move(
        booking,
        S.CANCELLED,
        at=now,
        actor=actor,
        reason=f"Moved to session {target.pk} ({when:%d %B %Y})",
        notify=False,
    )
    new = Booking(
        session=target,
        person=person,
        requested_by=actor_user(actor),
        created_at=now,
        priority=booking.priority,
        reservation=reservation,
    )
    first = session_starts_at(source)
    was = f" ({timezone.localtime(first):%d %B %Y})" if first else ""
    booking_move(
        new,
        S.BOOKED,
        at=now,
        actor=actor,
        reason=f"Moved from session {source.pk}{was}",
        notify=False,
    )
    if was_holding:
        _offer_free_places(source, now=now, actor=actor)
    audit_record(
        actor=actor,
        action="update",
        object_type="booking",
        object_id=new.pk,
        object_label=person.employee_number,
        summary=f"Moved from session {source.pk} to session {target.pk}: {target.item.title}",
        before={"session": source.pk, "booking": booking.pk, "status": was_status},
        after={"session": target.pk, "booking": new.pk, "status": new.status},
    )
    messages.booking_transferred(booking, new)
    return new
