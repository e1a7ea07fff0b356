"""The API of the record of learning and of registers: the same services, selectors and gates
as the pages, bad input refused with the field or row named, lists in a fixed number of
queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from peopleplan.core.dates import financial_year_start
from peopleplan.learning import records
from peopleplan.learning.models import AttendanceMark, Booking, Completion, SessionPart
from tests.factories import (
    AssignmentFactory,
    LearningItemFactory,
    RoleGrantFactory,
    SessionFactory,
    UserFactory,
)

C = Completion
S = Booking.Status
A, P, N = "attended", "partly_attended", "no_show"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def fresh_client(user) -> APIClient:
    """A client for the user as a new request sees them (nothing cached on the user object)."""
    return client_for(type(user).objects.get(pk=user.pk))


def complete(person, on=None, *, days="1", hours="6", **kw):
    return Completion.objects.create(
        person=person,
        item=kw.pop("item", None) or LearningItemFactory(),
        completed_on=on or dt.date.today(),
        hours=Decimal(hours),
        development_days=Decimal(days),
        source=C.Source.IMPORT,
        created_at=timezone.now(),
        **kw,
    )


def log(person, **kw):
    values = {
        "person": person,
        "title": "Safeguarding conference",
        "completed_on": dt.date.today() - dt.timedelta(days=3),
        "hours": Decimal("5"),
        "development_days": Decimal("1"),
        "learning_notes": "Contextual safeguarding",
        "actor": None,
    }
    return records.completion_log(**(values | kw))


# --- the record ------------------------------------------------------------------------------


def test_my_record_gives_the_year_non_attendance_and_completions(cast, settings):
    settings.PEOPLEPLAN = settings.PEOPLEPLAN | {"DEVELOPMENT_DAYS_TARGET": "4"}
    person = cast.learner.person
    start = financial_year_start(dt.date.today())
    course = complete(person, start, days="1.5", hours="9", result="Pass")
    complete(person, start - dt.timedelta(days=1), days="3", hours="20")  # last year
    logged = log(person, evidence=SimpleUploadedFile("notes.txt", b"notes"))
    Booking.objects.create(
        session=SessionFactory(), person=person, status=S.NO_SHOW, created_at=timezone.now()
    )

    response = client_for(cast.learner).get("/api/learning/records/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["id"] == person.pk and body["is_me"]
    year = body["year"]
    assert Decimal(year["development_days"]) == Decimal("1.5")
    assert Decimal(year["cpd_hours"]) == Decimal("9")
    assert Decimal(year["target"]) == Decimal("4")
    assert Decimal(year["days_to_go"]) == Decimal("2.5")
    assert year["pending"] == 1 and not year["met"]
    assert body["non_attendance"] == {
        "no_shows": 1,
        "partly": 0,
        "late_cancellations": 0,
        "total": 1,
    }
    completions = body["completions"]
    assert completions["count"] == 3
    newest = completions["results"][0]
    assert newest["id"] == logged.pk
    assert newest["title"] == "Safeguarding conference" and newest["item"] is None
    assert newest["source"] == "self_logged" and newest["status"] == "pending"
    assert newest["has_evidence"]
    assert newest["evidence_url"].endswith(f"/learning/record/completions/{logged.pk}/evidence/")
    assert newest["certificate_url"] is None  # not verified yet
    row = next(c for c in completions["results"] if c["id"] == course.pk)
    assert row["title"] == course.item.title and row["item"] == course.item_id
    assert row["completed_on"] == start.isoformat()
    assert Decimal(row["hours"]) == Decimal("9") and Decimal(row["development_days"]) == 1.5
    assert row["result"] == "Pass" and row["status"] == "verified"
    assert row["certificate_url"].endswith(f"/learning/record/completions/{course.pk}/certificate/")
    assert not row["has_evidence"] and row["evidence_url"] is None


def test_the_evidence_address_is_for_those_who_may_see_the_evidence(cast):
    """HR officers open the record but do not see evidence (as on the pages): they are told
    there is evidence, not where."""
    logged = log(cast.learner.person, evidence=SimpleUploadedFile("notes.txt", b"notes"))
    url = f"/api/learning/records/{cast.learner.person_id}/"
    for who, sees in (("manager", True), ("ld_admin", True), ("hr_officer", False)):
        row = client_for(getattr(cast, who)).get(url).json()["completions"]["results"][0]
        assert row["id"] == logged.pk and row["has_evidence"]
        assert (row["evidence_url"] is not None) is sees, who


def test_a_persons_record_is_for_those_who_may_open_it(cast):
    complete(cast.learner.person, item=LearningItemFactory(title="Moving and handling"))
    url = f"/api/learning/records/{cast.learner.person_id}/"
    response = client_for(cast.manager).get(url)
    assert response.status_code == 200
    assert not response.json()["is_me"]
    assert response.json()["completions"]["results"][0]["title"] == "Moving and handling"
    for who in ("outsider", "budget_holder", "senior_leader", "hr_equality", "sysadmin"):
        assert client_for(getattr(cast, who)).get(url).status_code == 404, who
    assert client_for(cast.manager).get("/api/learning/records/999999/").status_code == 404
    assert client_for(cast.manager).get("/api/learning/records/nobody/").status_code == 404
    assert client_for().get(url).status_code == 401


def test_an_account_with_no_staff_record_has_no_record_of_learning(db):
    client = client_for(UserFactory())
    assert client.get("/api/learning/records/me/").status_code == 404
    assert client.get("/api/learning/records/team/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    response = client.post("/api/learning/completions/", valid(), format="multipart")
    assert response.status_code == 404
    assert not Completion.objects.exists()


def test_the_record_is_paginated(cast):
    for n in range(3):
        complete(cast.learner.person, dt.date.today() - dt.timedelta(days=n))
    body = client_for(cast.learner).get("/api/learning/records/me/?page_size=2").json()
    assert body["completions"]["count"] == 3 and len(body["completions"]["results"]) == 2
    assert "page=2" in body["completions"]["next"]
    second = client_for(cast.learner).get(body["completions"]["next"]).json()
    assert len(second["completions"]["results"]) == 1


def test_the_record_makes_a_fixed_number_of_queries(cast):
    person = cast.learner.person
    who = cast.manager
    url = f"/api/learning/records/{person.pk}/"
    complete(person)
    log(person, evidence=SimpleUploadedFile("a.txt", b"a"))
    with CaptureQueriesContext(connection) as few:
        assert fresh_client(who).get(url).status_code == 200
    for _ in range(8):
        complete(person)
        log(person, evidence=SimpleUploadedFile("a.txt", b"a"))
    with CaptureQueriesContext(connection) as many:
        assert len(fresh_client(who).get(url).json()["completions"]["results"]) == 18
    assert len(many) == len(few)


# --- my team's learning --------------------------------------------------------------------


def test_my_teams_learning(cast):
    complete(cast.learner.person, days="2", hours="12")
    log(cast.learner.person)
    Booking.objects.create(
        session=SessionFactory(),
        person=cast.learner.person,
        status=S.NO_SHOW,
        created_at=timezone.now(),
    )
    body = client_for(cast.senior_manager).get("/api/learning/records/team/").json()
    assert body["count"] == 2  # the manager and the learner
    row = next(r for r in body["results"] if r["person"] == cast.learner.person_id)
    assert row["full_name"] == cast.learner.person.full_name
    assert Decimal(row["development_days"]) == 2 and Decimal(row["cpd_hours"]) == 12
    assert Decimal(row["target"]) == records.development_days_target()
    assert row["no_shows"] == 1 and row["late_cancellations"] == 0 and row["pending"] == 1
    assert row["record_url"].endswith(f"/api/learning/records/{cast.learner.person_id}/")
    assert client_for(cast.senior_manager).get(row["record_url"]).status_code == 200
    # No one reports to the learner or the outsider: an empty list, not a refusal.
    for who in ("learner", "outsider", "ld_admin"):
        body = client_for(getattr(cast, who)).get("/api/learning/records/team/").json()
        assert body["count"] == 0 and body["results"] == [], who


def test_my_teams_learning_makes_a_fixed_number_of_queries(cast):
    who = cast.manager
    complete(cast.learner.person)
    with CaptureQueriesContext(connection) as small:
        assert fresh_client(who).get("/api/learning/records/team/").json()["count"] == 1
    for _ in range(6):
        report = AssignmentFactory(line_manager=cast.manager.person).person
        complete(report)
        log(report)
    with CaptureQueriesContext(connection) as large:
        assert fresh_client(who).get("/api/learning/records/team/").json()["count"] == 7
    assert len(large) == len(small)


# --- logging learning ----------------------------------------------------------------------


def valid(**change):
    return {
        "title": "Mental health first aid",
        "completed_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "hours": "7.5",
        "development_days": "1",
        "learning_notes": "Spotting signs of distress",
    } | change


def test_logging_learning_with_evidence(cast):
    evidence = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate", "application/pdf")
    response = client_for(cast.learner).post(
        "/api/learning/completions/", valid(evidence=evidence), format="multipart"
    )
    assert response.status_code == 201, response.json()
    completion = Completion.objects.get()
    assert completion.person == cast.learner.person
    assert completion.status == C.Status.PENDING and completion.source == C.Source.SELF_LOGGED
    assert completion.hours == Decimal("7.5") and completion.development_days == 1
    assert completion.evidence.read() == b"%PDF-1.4 certificate"
    body = response.json()
    assert body["id"] == completion.pk and body["status"] == "pending"
    assert body["evidence_url"].endswith(f"/completions/{completion.pk}/evidence/")


def test_logging_learning_as_json_without_evidence(cast):
    data = valid()
    del data["development_days"]
    response = client_for(cast.learner).post("/api/learning/completions/", data, format="json")
    assert response.status_code == 201, response.json()
    assert Completion.objects.get().development_days == 0
    assert response.json()["has_evidence"] is False


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Enter what the learning was"),
        ({"completed_on": "31/02/2024"}, "completed_on", "Enter a real date"),
        ({"completed_on": "2999-01-01"}, "completed_on", "today or in the past"),
        ({"hours": "-1"}, "hours", "The hours must be 0 or more"),
        ({"hours": "lots"}, "hours", "Enter the hours as a number"),
        ({"development_days": "-0.5"}, "development_days", "development days must be 0 or more"),
        ({"learning_notes": ""}, "learning_notes", "Enter what you learnt"),
        (
            {"evidence": SimpleUploadedFile("run.exe", b"MZ")},
            "evidence",
            "must be a PDF, image or document",
        ),
    ],
)
def test_logging_bad_input_names_the_field(cast, change, field, message):
    response = client_for(cast.learner).post(
        "/api/learning/completions/", valid(**change), format="multipart"
    )
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Completion.objects.exists()


def test_evidence_too_large_is_refused(cast, monkeypatch):
    monkeypatch.setattr("peopleplan.learning.record_views.MAX_EVIDENCE_BYTES", 10)
    evidence = SimpleUploadedFile("certificate.pdf", b"x" * 11, "application/pdf")
    response = client_for(cast.learner).post(
        "/api/learning/completions/", valid(evidence=evidence), format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"evidence": ["The evidence must be smaller than 10 MB"]}
    assert not Completion.objects.exists()


# --- verifying learning --------------------------------------------------------------------


def test_the_line_manager_sees_the_queue_and_verifies(cast):
    logged = log(cast.learner.person, evidence=SimpleUploadedFile("notes.txt", b"notes"))
    client = client_for(cast.manager)
    body = client.get("/api/learning/completions/waiting/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == logged.pk and row["person"] == cast.learner.person_id
    assert row["person_name"] == cast.learner.person.full_name
    assert row["learning_notes"] == "Contextual safeguarding"
    assert row["evidence_url"].endswith(f"/completions/{logged.pk}/evidence/")

    response = client.post(
        f"/api/learning/completions/{logged.pk}/verify/", {"verified": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "verified"
    assert response.json()["certificate_url"].endswith(f"/completions/{logged.pk}/certificate/")
    logged.refresh_from_db()
    assert logged.status == C.Status.VERIFIED and logged.verified_by == cast.manager
    assert records.year_summary(cast.learner.person).development_days == 1
    assert client.get("/api/learning/completions/waiting/").json()["count"] == 0
    # Once decided, it is no longer waiting: a 404, as on the page.
    again = client.post(
        f"/api/learning/completions/{logged.pk}/verify/", {"verified": True}, format="json"
    )
    assert again.status_code == 404


def test_not_verifying_needs_a_reason(cast):
    logged = log(cast.learner.person)
    client = client_for(cast.ld_admin)
    url = f"/api/learning/completions/{logged.pk}/verify/"
    for data in ({"verified": False}, {"verified": False, "reason": "   "}):
        response = client.post(url, data, format="json")
        assert response.status_code == 400
        assert response.json() == {"reason": ["Give a reason for not verifying it"]}
    logged.refresh_from_db()
    assert logged.status == C.Status.PENDING
    response = client.post(url, {"verified": "maybe"}, format="json")
    assert response.status_code == 400 and "verified" in response.json()
    response = client.post(url, {"verified": False, "reason": "No certificate"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["rejected_reason"] == "No certificate"
    assert response.json()["certificate_url"] is None


def test_who_may_verify(cast):
    logged = log(cast.learner.person)
    url = f"/api/learning/completions/{logged.pk}/verify/"
    for who in ("learner", "outsider", "hr_officer", "sysadmin"):
        client = client_for(getattr(cast, who))
        assert client.get("/api/learning/completions/waiting/").status_code == 403, who
        assert client.post(url, {"verified": True}, format="json").status_code == 403, who
    # A manager of someone else: the learner's learning is not in their queue.
    other = AssignmentFactory(line_manager=cast.outsider.person).person
    log(other)
    outsider_queue = fresh_client(cast.outsider).get("/api/learning/completions/waiting/").json()
    assert [r["person"] for r in outsider_queue["results"]] == [other.pk]
    response = fresh_client(cast.outsider).post(url, {"verified": True}, format="json")
    assert response.status_code == 404


def test_the_queue_makes_a_fixed_number_of_queries(cast):
    who = cast.ld_admin
    log(cast.learner.person, evidence=SimpleUploadedFile("a.txt", b"a"))
    with CaptureQueriesContext(connection) as few:
        assert fresh_client(who).get("/api/learning/completions/waiting/").json()["count"] == 1
    for _ in range(6):
        log(AssignmentFactory().person, evidence=SimpleUploadedFile("a.txt", b"a"))
    with CaptureQueriesContext(connection) as many:
        assert fresh_client(who).get("/api/learning/completions/waiting/").json()["count"] == 7
    assert len(many) == len(few)


# --- registers -----------------------------------------------------------------------------


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
def register(cast):
    session = past_session(parts=2)
    session.trainers.add(cast.outsider.person)
    part = session.parts.order_by("starts_at").first()
    b = booking(session, cast.learner.person)
    return session, part, b


def marks_url(part) -> str:
    return f"/api/learning/registers/{part.pk}/marks/"


def test_the_register_lists_the_bookings_with_their_marks(cast, register):
    session, part, b = register
    other = booking(session, AssignmentFactory().person)
    booking(session, AssignmentFactory().person, status=S.WAITLISTED)  # not on the register
    AttendanceMark.objects.create(booking=b, part=part, mark=P, marked_at=timezone.now())
    response = client_for(cast.outsider).get(f"/api/learning/registers/{part.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["part"] == part.pk and body["part_number"] == 1 and body["parts"] == 2
    assert body["session"] == session.pk and body["item_title"] == session.item.title
    assert body["started"] and not body["assessed"]
    assert body["unmarked"] == 1
    rows = {r["booking"]: r for r in body["bookings"]}
    assert set(rows) == {b.pk, other.pk}
    assert rows[b.pk]["mark"] == P and rows[b.pk]["person"] == cast.learner.person_id
    assert rows[other.pk]["mark"] is None and rows[other.pk]["status"] == "booked"


def test_the_register_makes_a_fixed_number_of_queries(cast, register):
    session, part, _ = register
    who = cast.ld_admin
    url = f"/api/learning/registers/{part.pk}/"
    with CaptureQueriesContext(connection) as few:
        assert fresh_client(who).get(url).status_code == 200
    for _ in range(6):
        b = booking(session, AssignmentFactory().person)
        AttendanceMark.objects.create(booking=b, part=part, mark=A, marked_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        assert len(fresh_client(who).get(url).json()["bookings"]) == 7
    assert len(many) == len(few)


def test_marking_everyone_attended(cast, register):
    session, part, b = register
    response = client_for(cast.outsider).post(marks_url(part), {"all": A}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["marked"] == 1 and body["completions_added"] == 0  # one part of two
    assert body["register"]["unmarked"] == 0
    assert AttendanceMark.objects.get(booking=b, part=part).mark == A
    last = session.parts.order_by("starts_at").last()
    body = client_for(cast.outsider).post(marks_url(last), {"all": A}, format="json").json()
    assert body["outcomes"] == {"attended": 1} and body["completions_added"] == 1
    b.refresh_from_db()
    assert b.status == S.ATTENDED
    assert Completion.objects.get(booking=b).source == C.Source.ATTENDANCE


def test_marking_each_person_with_a_result(cast):
    session = past_session(parts=1, item=LearningItemFactory(is_assessed=True))
    part = session.parts.get()
    first = booking(session, cast.learner.person)
    second = booking(session, AssignmentFactory().person)
    response = client_for(cast.ld_admin).post(
        marks_url(part),
        {
            "marks": [
                {"booking": first.pk, "mark": A, "result": "Merit"},
                {"booking": second.pk, "mark": N},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["outcomes"] == {"attended": 1, "no_show": 1}
    rows = {r["booking"]: r for r in response.json()["register"]["bookings"]}
    assert rows[first.pk]["result"] == "Merit" and rows[second.pk]["mark"] == N
    assert Completion.objects.get(booking=first).result == "Merit"
    second.refresh_from_db()
    assert second.status == S.NO_SHOW


def test_a_wrong_row_refuses_the_whole_register_naming_the_booking(cast, register):
    session, part, b = register
    other = booking(session, AssignmentFactory().person)
    elsewhere = booking(SessionFactory(), AssignmentFactory().person)
    response = client_for(cast.outsider).post(
        marks_url(part),
        {
            "marks": [
                {"booking": b.pk, "mark": A},
                {"booking": 999999, "mark": A},
                {"booking": other.pk, "mark": "late"},
                {"booking": elsewhere.pk, "mark": N},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "marks": {
            "1": {"booking": ["Booking 999999 is not on this register"]},
            "2": {"mark": [f"Booking {other.pk}: choose attended, partly_attended or no_show"]},
            "3": {"booking": [f"Booking {elsewhere.pk} is not on this register"]},
        }
    }
    assert not AttendanceMark.objects.exists()


def test_a_booking_marked_twice_or_off_the_register_is_refused(cast, register):
    session, part, b = register
    waiting = booking(session, AssignmentFactory().person, status=S.WAITLISTED)
    client = client_for(cast.outsider)
    response = client.post(
        marks_url(part),
        {"marks": [{"booking": b.pk, "mark": A}, {"booking": b.pk, "mark": N}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"marks": {"1": {"booking": [f"Booking {b.pk} is marked twice"]}}}
    response = client.post(
        marks_url(part), {"marks": [{"booking": waiting.pk, "mark": A}]}, format="json"
    )
    assert response.json() == {
        "marks": {"0": {"booking": [f"Booking {waiting.pk} is not on this register"]}}
    }
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            {
                "marks": [
                    "Select attended, partly attended or did not attend for at least one person"
                ]
            },
        ),
        (
            {"marks": []},
            {
                "marks": [
                    "Select attended, partly attended or did not attend for at least one person"
                ]
            },
        ),
        ({"all": "no_show"}, {"all": ['Only "attended" marks everyone at once']}),
        (
            {"all": A, "marks": [{"booking": "on the register", "mark": A}]},
            {"all": ["Send marks or all, not both"]},
        ),
        ({"marks": [{"mark": A}]}, {"marks": {"0": {"booking": ["This field is required."]}}}),
    ],
)
def test_bad_registers_name_the_field(cast, register, data, errors):
    _, part, b = register
    rows = [
        row | {"booking": b.pk} if row.get("booking") == "on the register" else row
        for row in data.get("marks", [])
    ]
    if "marks" in data:
        data = data | {"marks": rows}
    response = client_for(cast.ld_admin).post(marks_url(part), data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not AttendanceMark.objects.exists()


def test_a_register_before_the_part_starts_is_refused(cast):
    session = SessionFactory()
    b = booking(session, cast.learner.person)
    part = session.parts.get()
    response = client_for(cast.ld_admin).post(
        marks_url(part), {"marks": [{"booking": b.pk, "mark": A}]}, format="json"
    )
    assert response.status_code == 400
    assert "has not started" in response.json()["detail"]
    assert not AttendanceMark.objects.exists()


def test_a_scoped_ld_admin_reads_only_registers_of_their_people(cast, register):
    _, part, _ = register
    adults_ld = cast.adults_hr
    RoleGrantFactory(user=adults_ld, role="ld_admin", unit=cast.adults)
    url = f"/api/learning/registers/{part.pk}/"
    assert client_for(adults_ld).get(url).status_code == 200
    booking(part.session, cast.outsider.person)  # someone in Children's is on it too
    assert client_for(adults_ld).get(url).status_code == 404
    assert client_for(adults_ld).post(marks_url(part), {"all": A}).status_code == 404


@pytest.mark.parametrize("who", ["learner", "manager", "hr_officer", "sysadmin"])
def test_others_do_not_see_or_mark_a_register(cast, register, who):
    _, part, _ = register
    client = client_for(getattr(cast, who))
    assert client.get(f"/api/learning/registers/{part.pk}/").status_code == 404
    assert client.post(marks_url(part), {"all": A}, format="json").status_code == 404
    assert client.get("/api/learning/registers/999999/").status_code == 404
    assert not AttendanceMark.objects.exists()


def test_the_schema_describes_the_record_and_register_endpoints(cast):
    paths = client_for(cast.learner).get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = paths.json()["paths"]
    for path in (
        "/api/learning/records/me/",
        "/api/learning/records/{id}/",
        "/api/learning/records/team/",
        "/api/learning/completions/",
        "/api/learning/completions/waiting/",
        "/api/learning/completions/{id}/verify/",
        "/api/learning/registers/{id}/",
        "/api/learning/registers/{id}/marks/",
    ):
        assert path in paths, path
