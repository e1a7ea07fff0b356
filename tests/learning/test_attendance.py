"""Registers: marking a part in bulk, the booking's outcome, the completion attendance makes,
non-attendance counts, and who may mark a register."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from peopleplan.learning import attendance
from peopleplan.learning.models import (
    AttendanceMark,
    Booking,
    BookingEvent,
    Completion,
    SessionPart,
)
from tests.factories import AssignmentFactory, LearningItemFactory, RoleGrantFactory, SessionFactory

S = Booking.Status
A, P, N = "attended", "partly_attended", "no_show"


def past_session(parts: int = 2, **kwargs):
    """A session whose parts were on consecutive days, the last one yesterday."""
    start = timezone.now() - dt.timedelta(days=parts)
    session = SessionFactory(starts_at=start, **kwargs)
    for day in range(1, parts):
        at = start + dt.timedelta(days=day)
        SessionPart.objects.create(
            session=session, starts_at=at, ends_at=at + dt.timedelta(hours=3)
        )
    return session


def booking(session, person, status=S.BOOKED):
    return Booking.objects.create(
        session=session, person=person, status=status, created_at=timezone.now()
    )


@pytest.fixture
def people(db):
    return [AssignmentFactory().person for _ in range(4)]


def mark(part, marks, **kwargs):
    return attendance.register_mark(part=part, marks=marks, actor=None, **kwargs)


def test_attended_every_part_makes_one_completion_with_the_items_hours(people):
    item = LearningItemFactory(duration_hours=Decimal("13"), development_days=Decimal("2"))
    session = past_session(item=item)
    first, second = session.parts.all()
    b = booking(session, people[0])
    mark(first, {b.pk: A})
    b.refresh_from_db()
    assert b.status == S.BOOKED  # not every part marked yet
    assert not Completion.objects.exists()
    result = mark(second, {b.pk: A})
    b.refresh_from_db()
    assert b.status == S.ATTENDED
    assert result.completions_added == 1
    event = BookingEvent.objects.filter(booking=b).latest("id")
    assert (event.from_status, event.to_status) == (S.BOOKED, S.ATTENDED)
    completion = Completion.objects.get()
    assert completion.person == people[0]
    assert completion.item == item
    assert (completion.hours, completion.development_days) == (Decimal("13"), Decimal("2"))
    assert completion.completed_on == timezone.localdate(second.starts_at)
    assert completion.source == Completion.Source.ATTENDANCE
    assert completion.status == Completion.Status.VERIFIED
    assert completion.booking == b


@pytest.mark.parametrize(
    ("marks", "outcome"),
    [
        ((A, A), S.ATTENDED),
        ((A, N), S.PARTLY_ATTENDED),
        ((P, P), S.PARTLY_ATTENDED),
        ((N, N), S.NO_SHOW),
    ],
)
def test_the_outcome_comes_from_every_part(people, marks, outcome):
    session = past_session()
    b = booking(session, people[0])
    for part, value in zip(session.parts.all(), marks, strict=True):
        mark(part, {b.pk: value})
    b.refresh_from_db()
    assert b.status == outcome
    assert Completion.objects.exists() == (outcome == S.ATTENDED)


def test_a_register_is_marked_in_bulk(people):
    session = past_session(parts=1)
    part = session.parts.get()
    bookings = [booking(session, p) for p in people[:3]]
    result = mark(part, {bookings[0].pk: A, bookings[1].pk: N, bookings[2].pk: P})
    assert result.marked == 3
    assert result.outcomes == {S.ATTENDED: 1, S.NO_SHOW: 1, S.PARTLY_ATTENDED: 1}
    assert AttendanceMark.objects.filter(part=part).count() == 3


def test_marking_twice_changes_nothing_more(people):
    session = past_session(parts=1)
    part = session.parts.get()
    b = booking(session, people[0])
    mark(part, {b.pk: A})
    again = mark(part, {b.pk: A})
    assert again.completions_added == 0
    assert Completion.objects.count() == 1
    assert AttendanceMark.objects.count() == 1
    assert BookingEvent.objects.filter(booking=b).count() == 1


def test_a_correction_takes_the_completion_away(people):
    session = past_session(parts=1)
    part = session.parts.get()
    b = booking(session, people[0])
    mark(part, {b.pk: A})
    result = mark(part, {b.pk: N})
    b.refresh_from_db()
    assert b.status == S.NO_SHOW
    assert result.completions_removed == 1
    assert not Completion.objects.exists()
    assert AttendanceMark.objects.get().mark == N


def test_an_assessed_item_keeps_the_result(people):
    session = past_session(parts=1, item=LearningItemFactory(is_assessed=True))
    b = booking(session, people[0])
    mark(session.parts.get(), {b.pk: A}, results={b.pk: "Merit"})
    assert Completion.objects.get().result == "Merit"
    mark(session.parts.get(), {b.pk: A}, results={b.pk: "Distinction"})
    assert Completion.objects.get().result == "Distinction"


def test_an_item_not_assessed_has_no_result(people):
    session = past_session(parts=1)
    b = booking(session, people[0])
    mark(session.parts.get(), {b.pk: A}, results={b.pk: "Merit"})
    assert Completion.objects.get().result == ""


def test_an_imported_completion_of_the_same_day_is_not_made_twice(people):
    session = past_session(parts=1)
    part = session.parts.get()
    Completion.objects.create(
        person=people[0],
        item=session.item,
        completed_on=timezone.localdate(part.starts_at),
        source=Completion.Source.IMPORT,
        created_at=timezone.now(),
    )
    b = booking(session, people[0])
    mark(part, {b.pk: A})
    completion = Completion.objects.get()
    assert completion.booking == b
    assert completion.source == Completion.Source.IMPORT


@pytest.mark.parametrize("status", [S.WAITLISTED, S.CANCELLED, S.AWAITING_APPROVAL, S.OFFERED])
def test_only_booked_people_are_marked(people, status):
    session = past_session(parts=1)
    b = booking(session, people[0], status=status)
    with pytest.raises(attendance.AttendanceError, match="is not booked on this session"):
        mark(session.parts.get(), {b.pk: A})
    assert not AttendanceMark.objects.exists()


def test_bad_registers_are_refused(people):
    session = past_session(parts=1)
    part = session.parts.get()
    b = booking(session, people[0])
    other = booking(past_session(parts=1), people[1])
    with pytest.raises(attendance.AttendanceError, match="not on this session"):
        mark(part, {other.pk: A})
    with pytest.raises(attendance.AttendanceError, match="is not attended"):
        mark(part, {b.pk: "asleep"})
    future = SessionFactory()
    fb = booking(future, people[2])
    with pytest.raises(attendance.AttendanceError, match="has not started"):
        mark(future.parts.get(), {fb.pk: A})
    session.status = "cancelled"
    session.save()
    with pytest.raises(attendance.AttendanceError, match="cancelled"):
        mark(part, {b.pk: A})
    assert not AttendanceMark.objects.exists()


def test_non_attendance_per_person_and_per_team(cast):
    session = past_session(parts=1)
    part = session.parts.get()
    learner = booking(session, cast.learner.person)
    manager = booking(session, cast.manager.person)
    mark(part, {learner.pk: N, manager.pk: N})
    late = booking(SessionFactory(), cast.learner.person, status=S.CANCELLED)
    late.is_late_cancellation = True
    late.save()
    booking(SessionFactory(), cast.learner.person, status=S.CANCELLED)  # in time: not counted
    counts = attendance.non_attendance_by_person([cast.learner.person_id, cast.outsider.person_id])
    assert counts[cast.learner.person_id] == attendance.NonAttendance(1, 0, 1)
    assert cast.outsider.person_id not in counts
    # The senior manager's team is the manager and the learner; the manager's is the learner.
    assert attendance.non_attendance_for_team(cast.senior_manager.person).no_shows == 2
    assert attendance.non_attendance_for_team(cast.manager.person).total == 2


# --- the register page -----------------------------------------------------------------------


@pytest.fixture
def register(cast):
    session = past_session(parts=2)
    session.trainers.add(cast.outsider.person)
    part = session.parts.first()
    b = booking(session, cast.learner.person)
    return session, part, b


def test_the_trainer_marks_everyone_attended_with_one_button(client, cast, register):
    _, part, b = register
    client.force_login(cast.outsider)
    url = reverse("learning:register", args=[part.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mark all attended" in html
    assert f'name="mark-{b.pk}"' in html and 'type="radio"' in html
    response = client.post(url, {"all": "attended"})
    assert response.status_code == 302
    assert AttendanceMark.objects.get(booking=b, part=part).mark == A


def test_the_register_marks_each_person(client, cast, register):
    session, _, b = register
    client.force_login(cast.ld_admin)
    for p in session.parts.all():
        response = client.post(reverse("learning:register", args=[p.pk]), {f"mark-{b.pk}": N})
        assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == S.NO_SHOW


def test_a_register_with_nothing_selected_says_so(client, cast, register):
    _, part, _ = register
    client.force_login(cast.ld_admin)
    response = client.post(reverse("learning:register", args=[part.pk]), {})
    assert response.status_code == 400
    assert "Select attended" in response.content.decode()


def test_a_register_before_the_part_starts_is_refused(client, cast):
    session = SessionFactory()
    b = booking(session, cast.learner.person)
    client.force_login(cast.ld_admin)
    url = reverse("learning:register", args=[session.parts.get().pk])
    response = client.post(url, {f"mark-{b.pk}": A})
    assert response.status_code == 400
    assert "has not started" in response.content.decode()


def test_a_scoped_ld_admin_marks_only_registers_of_their_people(client, cast, register):
    _, part, _ = register
    adults_ld = cast.adults_hr  # give an Adults-only L&D grant to someone with no other L&D role
    RoleGrantFactory(user=adults_ld, role="ld_admin", unit=cast.adults)
    client.force_login(adults_ld)
    url = reverse("learning:register", args=[part.pk])
    assert client.get(url).status_code == 200
    booking(part.session, cast.outsider.person)  # someone in Children's is on it too
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["learner", "manager", "hr_officer", "sysadmin"])
def test_others_do_not_see_a_register(client, cast, register, who):
    _, part, _ = register
    client.force_login(getattr(cast, who))
    assert client.get(reverse("learning:register", args=[part.pk])).status_code == 404
