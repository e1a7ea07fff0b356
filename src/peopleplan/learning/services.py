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
- the waiting list is ordered by priority (higher first), then by when each joined it;
- a freed place is offered to the first in line for the session's hold (48 hours by default,
  and never more than half the time left before the session starts); an offer not taken in
  time passes on; no offers once the session has started;
- a cancellation after the session's cut-off is late, and kept as such.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from peopleplan.learning.models import Approval, Booking, BookingEvent, Session
from peopleplan.org.models import Person

S = Booking.Status


class BookingError(ValueError):
    """A booking the rules refuse, with a message for the person."""


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _move(booking: Booking, to: str, *, at: dt.datetime, actor: Any, reason: str = "") -> None:
    """Change a booking's status and record the change. The caller holds the session's lock."""
    before = booking.status if booking.pk else ""
    booking.status = to
    booking.save()
    BookingEvent.objects.create(
        booking=booking, from_status=before, to_status=to, at=at, actor=_user(actor), reason=reason
    )


def _lock(session_id: int) -> Session:
    return Session.objects.select_for_update().select_related("item").get(pk=session_id)


def session_starts_at(session: Session) -> dt.datetime | None:
    return session.parts.aggregate(first=Min("starts_at"))["first"]


def held_places(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.HOLDING).count()


def _allocate(
    booking: Booking, session: Session, *, at: dt.datetime, actor: Any, reason: str = ""
) -> None:
    if held_places(session) < session.capacity:
        _move(booking, S.BOOKED, at=at, actor=actor, reason=reason)
    else:
        booking.waitlisted_at = at
        _move(booking, S.WAITLISTED, at=at, actor=actor, reason=reason or "The session is full")


@transaction.atomic
def booking_create(
    *,
    session: Session,
    person: Person,
    actor: Any,
    now: dt.datetime | None = None,
    priority: int = 0,
) -> Booking:
    """Book a place (or a place on the waiting list, or ask for approval)."""
    now = now or timezone.now()
    session = _lock(session.pk)
    starts = session_starts_at(session)
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
    existing = Booking.objects.filter(session=session, person=person, status__in=Booking.ACTIVE)
    if (held := existing.first()) is not None:
        raise BookingError(
            f"{person.full_name} already has a booking on this session "
            f"({held.get_status_display().lower()})."
        )
    booking = Booking(
        session=session,
        person=person,
        requested_by=_user(actor),
        created_at=now,
        priority=priority,
    )
    if session.approval_rule == Approval.NONE:
        _allocate(booking, session, at=now, actor=actor)
    else:
        _move(booking, S.AWAITING_APPROVAL, at=now, actor=actor)
    return booking


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
    request on to L&D (`ld_step` is L&D's decision); the last yes allocates a place."""
    now = now or timezone.now()
    session = _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    waiting = S.APPROVED if ld_step else S.AWAITING_APPROVAL
    if booking.status != waiting:
        raise BookingError("This request is not waiting for this decision.")
    if not approve:
        if not reason.strip():
            raise BookingError("Give a reason for declining.")
        _move(booking, S.DECLINED, at=now, actor=actor, reason=reason)
        return booking
    if session.approval_rule == Approval.MANAGER_THEN_LD and not ld_step:
        _move(booking, S.APPROVED, at=now, actor=actor, reason=reason or "Approved by manager")
        return booking
    _allocate(booking, session, at=now, actor=actor, reason=reason or "Approved")
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
    booking.cancelled_by = by
    booking.is_late_cancellation = bool(
        session.cancellation_cutoff_at and now > session.cancellation_cutoff_at
    )
    _move(booking, S.CANCELLED, at=now, actor=actor, reason=reason)
    _offer_free_places(session, now=now, actor=actor)
    return booking


def waitlist(session: Session):
    """The waiting list in order: higher priority first, then who joined first."""
    return Booking.objects.filter(session=session, status=S.WAITLISTED).order_by(
        "-priority", "waitlisted_at", "id"
    )


def waitlist_position(booking: Booking) -> int | None:
    if booking.status != S.WAITLISTED:
        return None
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
    free = session.capacity - held_places(session)
    if free <= 0:
        return
    for booking in waitlist(session).select_for_update()[:free]:
        booking.offer_expires_at = offer_expiry(session, now, starts)
        _move(booking, S.OFFERED, at=now, actor=actor, reason="A place became free")


@transaction.atomic
def offer_accept(*, booking: Booking, actor: Any, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != S.OFFERED:
        raise BookingError("There is no place offered on this booking.")
    if booking.offer_expires_at and now > booking.offer_expires_at:
        raise BookingError("The offer of a place has expired.")
    _move(booking, S.BOOKED, at=now, actor=actor, reason="Offer accepted")
    return booking


@transaction.atomic
def offer_decline(*, booking: Booking, actor: Any, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    session = _lock(booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != S.OFFERED:
        raise BookingError("There is no place offered on this booking.")
    _move(booking, S.DECLINED, at=now, actor=actor, reason="Offer declined")
    _offer_free_places(session, now=now, actor=actor)
    return booking


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Pass on every offer not taken in time (run by `peopleplan expire_offers`; running it
    twice does nothing more)."""
    now = now or timezone.now()
    expired = 0
    sessions = (
        Booking.objects.filter(status=S.OFFERED, offer_expires_at__lt=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    for session_id in list(sessions):
        with transaction.atomic():
            session = _lock(session_id)
            for booking in Booking.objects.select_for_update().filter(
                session=session, status=S.OFFERED, offer_expires_at__lt=now
            ):
                _move(
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
        _move(booking, S.CANCELLED, at=now, actor=actor, reason=reason)
    session.status = Session.Status.CANCELLED
    session.cancelled_reason = reason
    session.save(update_fields=["status", "cancelled_reason"])
    return session
