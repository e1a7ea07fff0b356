"""Checks of the organisation's invariants, read from the database. The demo tests run them on
a small council; they run as well on any database (the benchmark's 50,000)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections import defaultdict

from django.db.models import F

from peopleplan.org.models import Assignment, EqualityRecord, Person, Post, Unit

FIELDS = (
    "person_id",
    "start_date",
    "end_date",
    "contract_type",
    "line_manager_id",
    "is_primary",
    "post_id",
)


def _by_person() -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = defaultdict(list)
    for row in Assignment.objects.values_list(*FIELDS).iterator(chunk_size=5000):
        found[row[0]].append(row)
    return found


def assignments_ending_before_start() -> list[int]:
    return list(
        Assignment.objects.filter(end_date__lt=F("start_date")).values_list("pk", flat=True)
    )


def overlapping_primary_assignments() -> list[int]:
    """People with two primary assignments on the same day."""
    wrong = []
    for person, rows in _by_person().items():
        primary = sorted((r[1], r[2] or dt.date.max) for r in rows if r[5])
        for (_, end), (start, _) in itertools.pairwise(primary):
            if start <= end:
                wrong.append(person)
                break
    return wrong


def leavers_with_open_assignments() -> list[int]:
    leaving = dict(
        Person.objects.filter(leaving_date__isnull=False).values_list("pk", "leaving_date")
    )
    wrong = []
    for person, rows in _by_person().items():
        if person in leaving and any(r[2] is None or r[2] > leaving[person] for r in rows):
            wrong.append(person)
    return wrong


def reporting_loops(on: dt.date) -> list[int]:
    """People whose chain of primary line managers on a date comes back to them."""
    manager_of = dict(
        Assignment.objects.current_on(on)
        .filter(is_primary=True, line_manager__isnull=False)
        .values_list("person_id", "line_manager_id")
    )
    loops = []
    for person in manager_of:
        seen = {person}
        current = manager_of.get(person)
        while current is not None:
            if current in seen:
                loops.append(person)
                break
            seen.add(current)
            current = manager_of.get(current)
    return loops


def managers_not_in_post() -> list[int]:
    """Assignments whose line manager did not hold a (non-agency) assignment for the whole of
    the assignment, up to the as-of date."""
    rows = _by_person()
    held: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for person, items in rows.items():
        spans = sorted((r[1], r[2] or dt.date.max) for r in items if r[3] != "agency" and r[5])
        merged: list[tuple[dt.date, dt.date]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        held[person] = merged
    wrong = []
    for items in rows.values():
        for r in items:
            manager = r[4]
            if manager is None:
                continue
            start, end = r[1], r[2] or dt.date.max
            if not any(s <= start and end <= e for s, e in held.get(manager, [])):
                wrong.append(manager)
    return wrong


def vacant_posts(on: dt.date) -> tuple[int, int, int]:
    """(posts open on the date, with no holder, of those covered by an agency worker)."""
    open_posts = Post.objects.filter(start_date__lte=on).exclude(end_date__lt=on)
    current = Assignment.objects.current_on(on)
    substantive = set(
        current.exclude(contract_type="agency").values_list("post_id", flat=True).distinct()
    )
    agency = set(current.filter(contract_type="agency").values_list("post_id", flat=True))
    ids = list(open_posts.values_list("pk", flat=True))
    vacant = [p for p in ids if p not in substantive]
    return len(ids), len(vacant), sum(1 for p in vacant if p in agency)


def council_digest() -> str:
    """A digest of the council by its own keys (never database ids), to compare two builds."""
    digest = hashlib.sha256()
    numbers = dict(Person.objects.values_list("pk", "employee_number"))
    codes = dict(Unit.objects.values_list("pk", "code"))
    posts = dict(Post.objects.values_list("pk", "post_number"))
    for row in Unit.objects.order_by("code").values_list(
        "code", "name", "unit_type", "parent__code", "depth", "cost_centre"
    ):
        digest.update(repr(row).encode())
    for row in Post.objects.order_by("post_number").values_list(
        "post_number", "unit__code", "job_role__code", "grade__code", "fte", "start_date"
    ):
        digest.update(repr(row).encode())
    for row in Person.objects.order_by("employee_number").values_list(
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "service_start",
        "leaving_date",
        "leaving_reason",
    ):
        digest.update(repr(row).encode())
    for row in EqualityRecord.objects.order_by("person__employee_number").values_list(
        "person__employee_number", "sex", "date_of_birth", "ethnicity", "religion"
    ):
        digest.update(repr(row).encode())
    rows = sorted(
        (
            numbers[a[0]],
            a[1],
            a[2],
            a[3],
            numbers.get(a[4]),
            a[5],
            posts.get(a[6]),
            codes[a[7]],
            str(a[8]),
        )
        for a in Assignment.objects.values_list(*FIELDS, "unit_id", "fte")
    )
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


# --- learning --------------------------------------------------------------------------------


def sessions_over_capacity() -> list[int]:
    """Sessions with more bookings holding a place (booked, offered) than places."""
    from django.db.models import Count, Q

    from peopleplan.learning.models import Booking, Session

    return list(
        Session.objects.annotate(
            holding=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING))
        )
        .filter(holding__gt=F("capacity"))
        .values_list("pk", flat=True)
    )


def people_with_two_active_bookings() -> list[tuple[int, int]]:
    from django.db.models import Count

    from peopleplan.learning.models import Booking

    return [
        (r["session_id"], r["person_id"])
        for r in Booking.objects.filter(status__in=Booking.ACTIVE)
        .values("session_id", "person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    ]


def waitlists_out_of_order() -> list[int]:
    """Sessions whose waiting list positions are not 1..n (a booking without the time it
    joined, or two in the same place), or with an offer that has no expiry."""
    from peopleplan.learning.models import Booking
    from peopleplan.learning.services import with_waitlist_position

    positions: dict[int, list[int]] = defaultdict(list)
    waiting = with_waitlist_position(Booking.objects.filter(status="waitlisted"))
    for booking in waiting:
        if booking.waitlisted_at is None:
            positions[booking.session_id].append(0)
        positions[booking.session_id].append(booking.waitlist_ahead + 1)
    wrong = {s for s, found in positions.items() if sorted(found) != list(range(1, len(found) + 1))}
    offered = Booking.objects.filter(status="offered", offer_expires_at__isnull=True)
    wrong |= set(offered.values_list("session_id", flat=True))
    return sorted(wrong)


def bookings_with_a_broken_history() -> list[int]:
    """Bookings whose history does not run from nothing to their status, each change starting
    where the one before ended, in time order."""
    from peopleplan.learning.models import Booking, BookingEvent

    status = dict(Booking.objects.values_list("pk", "status"))
    events: dict[int, list[tuple]] = defaultdict(list)
    for row in BookingEvent.objects.order_by("booking_id", "at", "id").values_list(
        "booking_id", "from_status", "to_status", "at"
    ):
        events[row[0]].append(row[1:])
    wrong = []
    for pk, current in status.items():
        chain = events.get(pk, [])
        before, when = "", None
        for from_status, to_status, at in chain:
            if from_status != before or (when is not None and at < when):
                wrong.append(pk)
                break
            before, when = to_status, at
        else:
            if before != current:
                wrong.append(pk)
    return wrong


def register_faults() -> list[int]:
    """Bookings whose outcome does not follow from their marks (one per part of the session),
    attendance completions of bookings not attended, attended bookings with no completion."""
    from peopleplan.learning.attendance import outcome_of
    from peopleplan.learning.models import AttendanceMark, Booking, Completion, SessionPart

    parts = defaultdict(int)
    for session_id in SessionPart.objects.values_list("session_id", flat=True):
        parts[session_id] += 1
    marks: dict[int, list[str]] = defaultdict(list)
    for booking_id, mark in AttendanceMark.objects.values_list("booking_id", "mark"):
        marks[booking_id].append(mark)
    completed = set(
        Completion.objects.filter(source="attendance").values_list("booking_id", flat=True)
    )
    wrong = []
    outcomes = ("attended", "partly_attended", "no_show")
    for pk, session_id, status in Booking.objects.values_list("pk", "session_id", "status"):
        found = marks.get(pk, [])
        if status in outcomes:
            if (
                len(found) != parts[session_id]
                or outcome_of(found) != status
                or (status == "attended") != (pk in completed)
            ):
                wrong.append(pk)
        elif found or pk in completed:
            wrong.append(pk)
    return wrong


def learning_digest() -> str:
    """A digest of the learning by its own keys (item codes, employee numbers, times)."""
    from peopleplan.learning.models import (
        AttendanceMark,
        Booking,
        BookingEvent,
        Completion,
        LearningItem,
        Session,
    )

    digest = hashlib.sha256()
    for row in LearningItem.objects.order_by("code").values_list(
        "code", "title", "kind", "provider__name", "duration_hours", "approval", "hosted_url"
    ):
        digest.update(repr(row).encode())
    first = {}
    for session in Session.objects.prefetch_related("parts", "trainers").select_related("item"):
        parts = sorted((p.starts_at, p.ends_at) for p in session.parts.all())
        first[session.pk] = (session.item.code, parts[0][0])
        row = (
            session.item.code,
            parts,
            session.capacity,
            session.status,
            session.online_url,
            sorted(t.employee_number for t in session.trainers.all()),
        )
        digest.update(repr(row).encode())
    numbers = dict(Person.objects.values_list("pk", "employee_number"))
    keys = {}
    rows = []
    for b in Booking.objects.values_list(
        "pk", "session_id", "person_id", "status", "created_at", "waitlisted_at", "cancelled_by"
    ):
        keys[b[0]] = (first[b[1]], numbers[b[2]])
        rows.append((keys[b[0]], *b[3:]))
    for row in sorted(rows):
        digest.update(repr(row).encode())
    events = sorted(
        (keys[e[0]], *e[1:])
        for e in BookingEvent.objects.values_list("booking_id", "from_status", "to_status", "at")
    )
    marks = sorted(
        (keys[m[0]], m[1]) for m in AttendanceMark.objects.values_list("booking_id", "mark")
    )
    completions = sorted(
        (numbers[c[0]], c[1] or "", *c[2:])
        for c in Completion.objects.values_list(
            "person_id", "item__code", "title", "completed_on", "source", "status", "hours"
        )
    )
    for row in (*events, *marks, *completions):
        digest.update(repr(row).encode())
    return digest.hexdigest()
