"""What learners and approvers are told, in plain English, with a calendar invite that follows
the session: booked, on the waiting list, a place offered, cancelled, approval needed, declined,
and a reminder before the session. Called by the booking services as a booking changes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from icalendar import Calendar, Event

from peopleplan.core.messages import Attachment, message_send
from peopleplan.learning import approvers
from peopleplan.learning.models import Booking, BookingEvent, Session, SessionPart

S = Booking.Status


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%A %d %B %Y} at {local:%H:%M}"


def session_lines(session: Session, parts: list[SessionPart]) -> list[str]:
    lines = [f"{session.item.title}"]
    for part in parts:
        end = timezone.localtime(part.ends_at)
        lines.append(f"  {_when(part.starts_at)} to {end:%H:%M}")
    if session.venue_id:
        lines.append(f"At: {session.venue.name}, {session.venue.address}".rstrip(", "))
        if session.venue.access_notes:
            lines.append(f"Access: {session.venue.access_notes}")
    if session.online_url:
        lines.append(f"Online: {session.online_url}")
    return lines


def calendar_for(
    bookings: list[tuple[Booking, list[SessionPart]]], *, cancel: bool = False
) -> bytes:
    """An iCalendar file with one event per session part. The same booking always has the
    same UIDs and a rising SEQUENCE, so a calendar updates the invite rather than adding one.
    Parts need only `pk`, `starts_at` and `ends_at` (a part removed from a session is cancelled
    with what it was)."""
    calendar = Calendar()
    calendar.add("prodid", "-//peopleplan//learning//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    for booking, parts in bookings:
        # Each change of the booking, and each change of the session's dates or place, raises it.
        sequence = BookingEvent.objects.filter(booking=booking).count() + booking.session.sequence
        for part in parts:
            event = Event()
            event.add("uid", f"booking-{booking.pk}-part-{part.pk}@peopleplan")
            event.add("sequence", sequence)
            event.add("dtstamp", timezone.now())
            event.add("dtstart", part.starts_at)
            event.add("dtend", part.ends_at)
            event.add("summary", booking.session.item.title)
            where = booking.session.venue.name if booking.session.venue_id else ""
            event.add("location", where or booking.session.online_url)
            event.add("status", "CANCELLED" if cancel else "CONFIRMED")
            calendar.add_component(event)
    return calendar.to_ical()


def feed_calendar(bookings: list[Booking], *, name: str) -> bytes:
    """A calendar feed of booked sessions (`selectors.feed_bookings`): one event per part, with
    the same UIDs and SEQUENCE as the emailed invites."""
    calendar = Calendar()
    calendar.add("prodid", "-//peopleplan//learning//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        session = booking.session
        for part in session.parts.all():
            event = Event()
            event.add("uid", f"booking-{booking.pk}-part-{part.pk}@peopleplan")
            event.add("sequence", booking.changes + session.sequence)
            event.add("dtstamp", timezone.now())
            event.add("dtstart", part.starts_at)
            event.add("dtend", part.ends_at)
            event.add("summary", session.item.title)
            event.add("location", session.venue.name if session.venue_id else session.online_url)
            event.add("description", "\n".join(session_lines(session, list(session.parts.all()))))
            calendar.add_component(event)
    return calendar.to_ical()


def _invite(booking: Booking, parts: list[SessionPart], *, cancel: bool = False) -> Attachment:
    return Attachment(
        "invite.ics", calendar_for([(booking, parts)], cancel=cancel), "text/calendar"
    )


def booking_changed(booking: Booking) -> None:
    """Tell the learner (or the approver) what the booking's new status means for them. Once
    the change commits, the message goes to the background worker (`booking_tell_task`), so
    it is written and sent outside the session's lock and outside the request."""
    booking_id, status = booking.pk, booking.status
    transaction.on_commit(lambda: booking_tell_task.enqueue(booking_id, status))


@task()
def booking_tell_task(booking_id: int, status: str) -> None:
    booking_tell(booking_id, status)


def booking_tell(booking_id: int, status: str) -> None:
    """Write and send the message for a booking's change to `status`."""
    booking = (
        Booking.objects.select_related("person", "session__item", "session__venue", "requested_by")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return
    booking.status = status  # what it was when it changed, whatever has happened since
    session = booking.session
    parts = list(session.parts.all())
    about = "\n".join(session_lines(session, parts))
    name = booking.person.first_name
    sign_off = f"\n\n{getattr(settings, 'PEOPLEPLAN', {}).get('COUNCIL_NAME', 'peopleplan')}"
    to = booking.person.email
    title = session.item.title
    if booking.status == S.BOOKED:
        message_send(
            to=to,
            subject=f"Booked: {title}",
            body=f"Dear {name},\n\nYou have a place on:\n\n{about}\n\nThe invite is attached. "
            "If you cannot go, cancel your booking in peopleplan so that someone else can "
            f"have the place.{sign_off}",
            attachments=(_invite(booking, parts),),
        )
    elif booking.status == S.WAITLISTED:
        message_send(
            to=to,
            subject=f"On the waiting list: {title}",
            body=f"Dear {name},\n\nThe session is full, so you are on the waiting list for:\n\n"
            f"{about}\n\nIf a place becomes free and you are first in line, we will offer it "
            f"to you by email.{sign_off}",
        )
    elif booking.status == S.OFFERED:
        expires = _when(booking.offer_expires_at) if booking.offer_expires_at else "soon"
        message_send(
            to=to,
            subject=f"A place is free for you: {title}",
            body=f"Dear {name},\n\nA place has become free on:\n\n{about}\n\nAccept it in "
            f"peopleplan (My bookings) by {expires}, or it will be offered to the next "
            f"person in line.{sign_off}",
        )
    elif booking.status in (S.CANCELLED, S.DECLINED):
        last = booking.events.order_by("-at", "-id").first()
        reason = f"\n\nThe reason given: {last.reason}" if last is not None and last.reason else ""
        if booking.status == S.CANCELLED:
            message_send(
                to=to,
                subject=f"Cancelled: {title}",
                body=f"Dear {name},\n\nYour booking has been cancelled:\n\n{about}{reason}"
                f"{sign_off}",
                attachments=(_invite(booking, parts, cancel=True),),
            )
        else:
            message_send(
                to=to,
                subject=f"Not booked: {title}",
                body=f"Dear {name},\n\nYour request for a place was not taken forward:\n\n"
                f"{about}{reason}{sign_off}",
            )
    elif booking.status == S.AWAITING_APPROVAL:
        for address in approvers.approval_emails(booking.person, timezone.localdate()):
            message_send(
                to=address,
                subject=f"Approval needed: {booking.person.full_name}, {title}",
                body=f"{booking.person.full_name} has asked for a place on:\n\n{about}\n\n"
                "Approve or decline the request in peopleplan (Approvals)."
                f"{sign_off}",
            )
    elif booking.status == S.APPROVED:  # the manager said yes; L&D decides next
        booked_for_them = booking.requested_by_id is not None and (
            booking.requested_by.person_id != booking.person_id
        )
        what = (
            "Your manager has asked for a place for you on"
            if booked_for_them
            else "Your manager has approved your request for a place on"
        )
        message_send(
            to=to,
            subject=f"Approved by your manager: {title}",
            body=f"Dear {name},\n\n{what}:\n\n{about}\n\nLearning and development will now "
            f"decide it, and we will tell you when they have.{sign_off}",
        )
        for user in approvers.ld_approvers(booking.person, timezone.localdate()):
            message_send(
                to=user.email,
                subject=f"Approval needed (L&D): {booking.person.full_name}, {title}",
                body=f"{booking.person.full_name}'s manager has approved their request for a "
                f"place on:\n\n{about}\n\nMake the final decision in peopleplan (Approvals)."
                f"{sign_off}",
            )


def reminders_send(*, days_before: int = 2, now: dt.datetime | None = None) -> int:
    """A reminder to everyone booked on a session that starts within the days given. Each
    booking is reminded once, however often this runs."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days_before)
    bookings = (
        Booking.objects.filter(
            status=S.BOOKED,
            session__status=Session.Status.OPEN,
            session__parts__starts_at__gt=now,
            session__parts__starts_at__lte=horizon,
        )
        .select_related("person", "session__item", "session__venue")
        .distinct()
    )
    sent = 0
    for booking in bookings:
        parts = list(booking.session.parts.all())
        if parts and parts[0].starts_at <= now:
            continue
        message_send(
            to=booking.person.email,
            key=f"learning:reminder:{booking.pk}",
            subject=f"Reminder: {booking.session.item.title}",
            body=f"Dear {booking.person.first_name},\n\nA reminder that you are booked on:\n\n"
            + "\n".join(session_lines(booking.session, parts))
            + "\n\nIf you cannot go, cancel your booking in peopleplan.",
            attachments=(_invite(booking, parts),),
        )
        sent += 1
    return sent


# --- L&D's changes to sessions and bookings ----------------------------------------------------


def _sign_off() -> str:
    return f"\n\n{getattr(settings, 'PEOPLEPLAN', {}).get('COUNCIL_NAME', 'peopleplan')}"


def session_changed(
    session: Session, *, removed: list[tuple[int, dt.datetime, dt.datetime]], holders: list[int]
) -> None:
    """The session's dates, times or place have changed: everyone booked gets the updated
    invite (the same UIDs, a higher SEQUENCE; parts taken away are cancelled in it), and
    everyone offered a place is told the new details. `holders`: the bookings holding a place
    when it changed (a place offered by the change itself gets its own message, not this one).
    The background worker writes them once the change commits."""
    gone = [(pk, start.isoformat(), end.isoformat()) for pk, start, end in removed]
    transaction.on_commit(lambda: session_changed_task.enqueue(session.pk, gone, holders))


@task()
def session_changed_task(session_id: int, removed: list, holders: list[int]) -> None:
    _tell_changed(session_id, removed, holders)


def _tell_changed(session_id: int, removed: list, holders: list[int]) -> None:
    session = Session.objects.select_related("item", "venue").get(pk=session_id)
    parts = list(session.parts.all())
    gone = [
        SessionPart(
            pk=pk,
            starts_at=dt.datetime.fromisoformat(start),
            ends_at=dt.datetime.fromisoformat(end),
        )
        for pk, start, end in removed
    ]
    about = "\n".join(session_lines(session, parts))
    title = session.item.title
    bookings = Booking.objects.filter(
        session=session, status__in=Booking.HOLDING, pk__in=holders
    ).select_related("person")
    for booking in bookings:
        booking.session = session
        name = booking.person.first_name
        if booking.status == S.BOOKED:
            attachments = [_invite(booking, parts)]
            if gone:
                attachments.append(
                    Attachment(
                        "cancelled.ics",
                        calendar_for([(booking, gone)], cancel=True),
                        "text/calendar",
                    )
                )
            message_send(
                to=booking.person.email,
                subject=f"Changed: {title}",
                body=f"Dear {name},\n\nThe details of a session you are booked on have "
                f"changed. It is now:\n\n{about}\n\nThe updated invite is attached: "
                "open it to update your calendar. If you can no longer go, cancel your booking "
                f"in peopleplan so that someone else can have the place.{_sign_off()}",
                attachments=tuple(attachments),
            )
        else:
            message_send(
                to=booking.person.email,
                subject=f"Changed: {title}",
                body=f"Dear {name},\n\nThe details of the session you have been offered a "
                f"place on have changed. It is now:\n\n{about}\n\nYou can still accept "
                f"or decline the place in peopleplan (My bookings).{_sign_off()}",
            )


def booking_transferred(old: Booking, new: Booking) -> None:
    """One message for a learner moved to another session: the new invite, and the old one
    cancelled. The background worker writes it once the move commits."""
    old_id, new_id = old.pk, new.pk
    transaction.on_commit(lambda: booking_transferred_task.enqueue(old_id, new_id))


@task()
def booking_transferred_task(old_id: int, new_id: int) -> None:
    _tell_transferred(old_id, new_id)


def _tell_transferred(old_id: int, new_id: int) -> None:
    related = ("person", "session__item", "session__venue")
    old = Booking.objects.select_related(*related).get(pk=old_id)
    new = Booking.objects.select_related(*related).get(pk=new_id)
    old_parts = list(old.session.parts.all())
    new_parts = list(new.session.parts.all())
    attachments = [_invite(new, new_parts)]
    if old_parts:
        attachments.append(
            Attachment(
                "cancelled.ics", calendar_for([(old, old_parts)], cancel=True), "text/calendar"
            )
        )
    message_send(
        to=new.person.email,
        subject=f"Moved to another session: {new.session.item.title}",
        body=f"Dear {new.person.first_name},\n\nThe learning and development team has moved "
        "your place to another session of the same learning.\n\nYour new session:\n\n"
        + "\n".join(session_lines(new.session, new_parts))
        + "\n\nYou are no longer booked on:\n\n"
        + "\n".join(session_lines(old.session, old_parts))
        + "\n\nTwo calendar files are attached: the invite to the new session, and the "
        "cancellation of the old one. If you cannot go to the new session, cancel your "
        f"booking in peopleplan so that someone else can have the place.{_sign_off()}",
        attachments=tuple(attachments),
    )
