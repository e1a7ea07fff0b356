"""Attendance: the register of each dated part of a session, and the completions it makes.

A trainer or L&D marks a part's register in one go (attended, partly attended, did not
attend). When every part of a session is marked for a booking, the booking takes its outcome:
every part attended is attended, none is a no-show, anything between is partly attended; each
change of status is kept in the booking's history, as the booking rules keep it. Attended makes
a completion on the learner's record with the item's hours and development days (and a result
for an assessed item). Marking again corrects the register: it never makes a second
completion, and a booking no longer attended loses the completion its attendance made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.access.gates import reports_q
from peopleplan.core.audit import audit_record
from peopleplan.core.dates import today
from peopleplan.learning import hooks
from peopleplan.learning.models import (
    AttendanceMark,
    Booking,
    Completion,
    Session,
    SessionPart,
)
from peopleplan.learning.services import actor_user, booking_move
from peopleplan.org.models import Person

S = Booking.Status
M = AttendanceMark.Mark

# Bookings a register lists: a place was booked, or the register has been marked already.
ON_REGISTER = (S.BOOKED, S.ATTENDED, S.PARTLY_ATTENDED, S.NO_SHOW)
OUTCOMES = (S.ATTENDED, S.PARTLY_ATTENDED, S.NO_SHOW)


class AttendanceError(ValueError):
    """A register the rules refuse, with a message for the person marking it."""


@dataclass
class RegisterResult:
    marked: int = 0
    outcomes: dict[str, int] | None = None  # booking status -> how many bookings took it
    completions_added: int = 0
    completions_removed: int = 0


def outcome_of(marks: list[str]) -> str:
    """A booking's outcome from the marks of every part."""
    if all(m == M.ATTENDED for m in marks):
        return S.ATTENDED
    if all(m == M.NO_SHOW for m in marks):
        return S.NO_SHOW
    return S.PARTLY_ATTENDED


def access_part_for_user(user, part_id) -> SessionPart:
    """A part of a session whose register the user may mark: one of the session's trainers, or
    an L&D administrator whose grants cover everyone on the register. Otherwise the same 404
    as for a part that does not exist."""
    try:
        pk = int(part_id)
    except (TypeError, ValueError):
        raise Http404 from None
    part = (
        SessionPart.objects.select_related("session__item", "session__venue").filter(pk=pk).first()
    )
    if part is None or not getattr(user, "is_authenticated", False):
        raise Http404
    session = part.session
    if user.person_id and session.trainers.filter(pk=user.person_id).exists():
        return part
    if not gates.has_role(user, gates.LD_ADMIN):
        raise Http404
    paths = gates.scope_paths(user, (gates.LD_ADMIN,))
    if paths is None:
        return part
    in_scope = Person.objects.filter(gates.placed_in_q(paths, today())).values("pk")
    outside = Booking.objects.filter(session=session, status__in=ON_REGISTER).exclude(
        person_id__in=in_scope
    )
    if outside.exists():
        raise Http404
    return part


def register_bookings(part: SessionPart) -> QuerySet[Booking]:
    """The people on a part's register, by name, with their mark for the part (`part_mark`)."""
    mark = AttendanceMark.objects.filter(booking=OuterRef("pk"), part=part).values("mark")[:1]
    return (
        Booking.objects.filter(session_id=part.session_id, status__in=ON_REGISTER)
        .select_related("person")
        .annotate(part_mark=Subquery(mark))
        .order_by("person__last_name", "person__first_name", "id")
    )


@transaction.atomic
def register_mark(
    *,
    part: SessionPart,
    marks: dict[int, str],
    actor: Any,
    results: dict[int, str] | None = None,
    now: dt.datetime | None = None,
) -> RegisterResult:
    """Mark a part's register: `marks` maps booking ids to a mark. Bookings not in `marks` are
    left as they are; `results` gives a result or grade by booking id, for assessed items."""
    now = now or timezone.now()
    results = results or {}
    session = Session.objects.select_for_update().select_related("item").get(pk=part.session_id)
    if session.status == Session.Status.CANCELLED:
        raise AttendanceError("This session is cancelled: there is no register to mark.")
    if part.starts_at > now:
        raise AttendanceError("This part of the session has not started yet.")
    allowed = set(M.values)
    wrong = sorted(str(v) for v in marks.values() if v not in allowed)
    if wrong:
        raise AttendanceError(f"{', '.join(wrong)} is not attended, partly attended or no-show.")
    bookings = {
        b.pk: b
        for b in Booking.objects.select_for_update()
        .select_related("person")
        .filter(session=session, pk__in=list(marks))
    }
    missing = [pk for pk in marks if pk not in bookings]
    if missing:
        raise AttendanceError(f"Booking {missing[0]} is not on this session.")
    not_booked = [b for b in bookings.values() if b.status not in ON_REGISTER]
    if not_booked:
        b = not_booked[0]
        raise AttendanceError(
            f"{b.person.full_name} is not booked on this session "
            f"({b.get_status_display().lower()})."
        )
    if not marks:
        return RegisterResult(outcomes={})

    held = {m.booking_id: m for m in AttendanceMark.objects.filter(part=part, booking_id__in=marks)}
    new_marks, changed_marks = [], []
    for pk, mark in marks.items():
        current = held.get(pk)
        if current is None:
            new_marks.append(
                AttendanceMark(
                    booking_id=pk, part=part, mark=mark, marked_by=actor_user(actor), marked_at=now
                )
            )
        elif current.mark != mark:
            current.mark, current.marked_by, current.marked_at = mark, actor_user(actor), now
            changed_marks.append(current)
    AttendanceMark.objects.bulk_create(new_marks)
    AttendanceMark.objects.bulk_update(changed_marks, ["mark", "marked_by", "marked_at"])

    # A booking takes its outcome once every part of the session is marked for it.
    part_count = session.parts.count()
    by_booking: dict[int, list[str]] = {}
    for booking_id, mark in AttendanceMark.objects.filter(booking_id__in=marks).values_list(
        "booking_id", "mark"
    ):
        by_booking.setdefault(booking_id, []).append(mark)
    last_day = timezone.localdate(session.parts.order_by("-starts_at").first().starts_at)
    result = RegisterResult(marked=len(marks), outcomes={})
    existing = {
        c.booking_id: c for c in Completion.objects.filter(booking_id__in=marks).select_for_update()
    }
    changed_people = set()
    for pk, booking in bookings.items():
        booking_marks = by_booking.get(pk, [])
        if len(booking_marks) < part_count:
            continue
        outcome = outcome_of(booking_marks)
        if booking.status != outcome:
            booking_move(booking, outcome, at=now, actor=actor, reason="Marked on the register")
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
        completion = existing.get(pk)
        if outcome == S.ATTENDED:
            result_text = (results.get(pk) or "").strip()[:100] if session.item.is_assessed else ""
            if completion is None:
                _complete(booking, session, last_day, result_text, actor=actor, now=now)
                result.completions_added += 1
                changed_people.add(booking.person_id)
            elif result_text and completion.result != result_text:
                completion.result = result_text
                completion.save(update_fields=["result"])
        elif completion is not None and completion.source == Completion.Source.ATTENDANCE:
            completion.delete()
            result.completions_removed += 1
            changed_people.add(booking.person_id)
    hooks.completions_changed(changed_people)
    audit_record(
        actor=actor,
        action="register",
        object_type="learning.sessionpart",
        object_id=part.pk,
        object_label=str(part),
        summary=(
            f"{len(marks)} marked on the register of {session.item.title}; "
            f"{result.completions_added} completions added, "
            f"{result.completions_removed} removed"
        ),
        after={"marks": {str(k): v for k, v in marks.items()}},
    )
    return result


def _complete(
    booking: Booking,
    session: Session,
    on: dt.date,
    result: str,
    *,
    actor: Any,
    now: dt.datetime,
) -> Completion:
    """The completion attendance makes. A completion of the same item on the same day (an
    import that came first) takes the booking rather than being made twice."""
    item = session.item
    same = Completion.objects.filter(
        person_id=booking.person_id, item=item, completed_on=on
    ).first()
    if same is not None:
        same.booking = booking
        if result:
            same.result = result
        same.save(update_fields=["booking", "result"])
        return same
    return Completion.objects.create(
        person_id=booking.person_id,
        item=item,
        completed_on=on,
        hours=item.duration_hours,
        development_days=item.development_days,
        result=result,
        source=Completion.Source.ATTENDANCE,
        booking=booking,
        status=Completion.Status.VERIFIED,
        created_by=actor_user(actor),
        created_at=now,
    )


# --- non-attendance --------------------------------------------------------------------------


@dataclass(frozen=True)
class NonAttendance:
    no_shows: int = 0
    partly: int = 0
    late_cancellations: int = 0

    @property
    def total(self) -> int:
        return self.no_shows + self.late_cancellations


def non_attendance_q(prefix: str = "") -> dict[str, Any]:
    """Aggregates of non-attendance over bookings (`prefix` reaches them from another model)."""
    return {
        "no_shows": Count("pk", filter=Q(**{f"{prefix}status": S.NO_SHOW})),
        "partly": Count("pk", filter=Q(**{f"{prefix}status": S.PARTLY_ATTENDED})),
        "late_cancellations": Count(
            "pk",
            filter=Q(**{f"{prefix}status": S.CANCELLED, f"{prefix}is_late_cancellation": True})
            & ~Q(**{f"{prefix}cancelled_by": Booking.CancelledBy.SESSION}),
        ),
    }


def non_attendance_by_person(
    people: QuerySet[Person] | list[int], *, since: dt.date | None = None
) -> dict[int, NonAttendance]:
    """No-shows, partly attended and late cancellations per person, in one query."""
    bookings = Booking.objects.filter(person_id__in=people)
    if since is not None:
        bookings = bookings.filter(created_at__date__gte=since)
    rows = bookings.values("person_id").annotate(**non_attendance_q()).order_by()
    return {
        r["person_id"]: NonAttendance(r["no_shows"], r["partly"], r["late_cancellations"])
        for r in rows
    }


def non_attendance_for_team(
    manager: Person | int, *, on: dt.date | None = None, since: dt.date | None = None
) -> NonAttendance:
    """The totals for everyone reporting to a manager (directly or through others) today."""
    manager_id = manager if isinstance(manager, int) else manager.pk
    team = Person.objects.filter(reports_q(manager_id, on or today())).values("pk")
    bookings = Booking.objects.filter(person_id__in=team)
    if since is not None:
        bookings = bookings.filter(created_at__date__gte=since)
    totals = bookings.aggregate(**non_attendance_q())
    return NonAttendance(totals["no_shows"], totals["partly"], totals["late_cancellations"])
