"""The record of learning: completions, the financial year's development days against the
target, self-logged learning with evidence and its verification, certificates, and the team's
learning for managers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peopleplan.core.dates import financial_year_start
from peopleplan.core.models import AuditEntry
from peopleplan.learning import records
from peopleplan.learning.models import Booking, Completion
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory

C = Completion


def complete(person, on, *, days="1", hours="6", item=None, status=C.Status.VERIFIED, **kw):
    return Completion.objects.create(
        person=person,
        item=item if item is not None else (None if "title" in kw else LearningItemFactory()),
        completed_on=on,
        hours=Decimal(hours),
        development_days=Decimal(days),
        source=kw.pop("source", C.Source.IMPORT if "title" not in kw else C.Source.SELF_LOGGED),
        status=status,
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


def test_the_year_counts_verified_learning_from_1_april(cast, settings):
    settings.PEOPLEPLAN = settings.PEOPLEPLAN | {"DEVELOPMENT_DAYS_TARGET": "4"}
    person = cast.learner.person
    start = financial_year_start(dt.date.today())
    complete(person, start, days="1.5", hours="9")
    complete(person, start + dt.timedelta(days=1), days="1", hours="6")
    complete(person, start - dt.timedelta(days=1), days="3", hours="20")  # 31 March: last year
    log(person)  # waiting for verification: not counted
    summary = records.year_summary(person)
    assert summary.development_days == Decimal("2.5")
    assert summary.hours == Decimal("15")
    assert summary.target == Decimal("4")
    assert summary.days_to_go == Decimal("1.5")
    assert summary.pending == 1
    assert not summary.met


def test_the_target_is_five_days_by_default(settings):
    settings.PEOPLEPLAN = {"COUNCIL_NAME": "x"}
    assert records.development_days_target() == Decimal("5")


def test_my_record_lists_completions_newest_first(client, cast):
    person = cast.learner.person
    old = complete(person, dt.date(2021, 5, 1), item=LearningItemFactory(title="Older course"))
    new = complete(person, dt.date.today(), item=LearningItemFactory(title="Newer course"))
    assert list(records.person_completions(person)) == [new, old]
    client.force_login(cast.learner)
    html = client.get(reverse("learning:record")).content.decode()
    assert html.index("Newer course") < html.index("Older course")
    assert "My learning record" in html


def test_the_record_page_makes_a_fixed_number_of_queries(client, cast):
    person = cast.learner.person
    client.force_login(cast.learner)
    complete(person, dt.date.today())
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("learning:record")).status_code == 200
    for _ in range(8):
        complete(person, dt.date.today())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("learning:record"))
    assert len(many) == len(one)


def test_a_managers_sees_their_reports_record_and_an_outsider_does_not(client, cast):
    complete(
        cast.learner.person, dt.date.today(), item=LearningItemFactory(title="Moving and handling")
    )
    url = reverse("learning:record_person", args=[cast.learner.person_id])
    client.force_login(cast.manager)
    assert "Moving and handling" in client.get(url).content.decode()
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


# --- logging and verifying -----------------------------------------------------------------


def test_logging_learning_with_evidence(client, cast):
    client.force_login(cast.learner)
    evidence = SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate", "application/pdf")
    response = client.post(
        reverse("learning:record_log"),
        {
            "title": "Mental health first aid",
            "completed_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
            "hours": "7.5",
            "development_days": "1",
            "learning_notes": "Spotting signs of distress",
            "evidence": evidence,
        },
    )
    assert response.status_code == 302
    completion = Completion.objects.get()
    assert completion.person == cast.learner.person
    assert completion.status == C.Status.PENDING
    assert completion.source == C.Source.SELF_LOGGED
    assert completion.item is None and completion.title == "Mental health first aid"
    assert completion.evidence.read() == b"%PDF-1.4 certificate"
    assert AuditEntry.objects.filter(object_type="learning.completion", action="create").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Enter what the learning was"),
        ({"completed_on": "31/02/2024"}, "Enter a real date"),
        ({"completed_on": "2999-01-01"}, "today or in the past"),
        ({"hours": "-1"}, "The hours must be 0 or more"),
        ({"hours": "lots"}, "Enter the hours as a number"),
        ({"development_days": "-0.5"}, "development days must be 0 or more"),
        ({"learning_notes": ""}, "Enter what you learnt"),
        ({"evidence": SimpleUploadedFile("run.exe", b"MZ")}, "must be a PDF, image or document"),
    ],
)
def test_logging_bad_input_is_refused(client, cast, change, message):
    client.force_login(cast.learner)
    data = {
        "title": "Reading",
        "completed_on": "2024-05-01",
        "hours": "2",
        "learning_notes": "Notes",
    } | change
    response = client.post(reverse("learning:record_log"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not Completion.objects.exists()


def test_the_line_manager_verifies_and_it_counts(client, cast):
    completion = log(cast.learner.person)
    client.force_login(cast.manager)
    queue = client.get(reverse("learning:record_verify")).content.decode()
    assert "Safeguarding conference" in queue
    response = client.post(
        reverse("learning:record_verify"), {"completion": completion.pk, "decision": "verify"}
    )
    assert response.status_code == 302
    completion.refresh_from_db()
    assert completion.status == C.Status.VERIFIED
    assert completion.verified_by == cast.manager
    assert completion.verified_at is not None
    assert records.year_summary(cast.learner.person).development_days == Decimal("1")


def test_not_verifying_needs_a_reason(client, cast):
    completion = log(cast.learner.person)
    client.force_login(cast.ld_admin)
    url = reverse("learning:record_verify")
    response = client.post(url, {"completion": completion.pk, "decision": "reject"})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    client.post(url, {"completion": completion.pk, "decision": "reject", "reason": "No evidence"})
    completion.refresh_from_db()
    assert completion.status == C.Status.REJECTED
    assert completion.rejected_reason == "No evidence"
    with pytest.raises(records.RecordError, match="not waiting"):
        records.completion_verify(completion=completion, approve=True, actor=cast.ld_admin)


def test_who_may_verify(client, cast):
    completion = log(cast.learner.person)
    assert records.can_verify(cast.manager, completion)
    assert records.can_verify(cast.senior_manager, completion)  # through the manager
    assert records.can_verify(cast.ld_admin, completion)
    for who in ("learner", "outsider", "hr_officer", "adults_hr", "sysadmin"):
        assert not records.can_verify(getattr(cast, who), completion), who
    with pytest.raises(records.RecordError, match="your own"):
        records.completion_verify(completion=completion, approve=True, actor=cast.learner)
    # Someone else's manager cannot decide it, even by posting its number.
    other = AssignmentFactory(line_manager=cast.outsider.person).person
    mine = log(other)
    client.force_login(cast.manager)
    url = reverse("learning:record_verify")
    assert client.post(url, {"completion": mine.pk, "decision": "verify"}).status_code == 404
    mine.refresh_from_db()
    assert mine.status == C.Status.PENDING


def test_evidence_is_for_the_person_and_those_who_verify(client, cast):
    evidence = SimpleUploadedFile("notes.txt", b"what I learnt")
    completion = log(cast.learner.person, evidence=evidence)
    url = reverse("learning:record_evidence", args=[completion.pk])
    for who, status in (
        ("learner", 200),
        ("manager", 200),
        ("ld_admin", 200),
        ("hr_officer", 404),
        ("outsider", 404),
    ):
        client.force_login(getattr(cast, who))
        response = client.get(url)
        assert response.status_code == status, who
        if status == 200:
            assert b"".join(response.streaming_content) == b"what I learnt"
        if who != "outsider":  # the record page links the evidence only for those who may open it
            record = reverse("learning:record_person", args=[cast.learner.person_id])
            assert (url in client.get(record).content.decode()) == (status == 200), who


def test_a_certificate_for_a_verified_completion(client, cast):
    item = LearningItemFactory(title="Safer recruitment")
    completion = complete(cast.learner.person, dt.date(2024, 6, 3), item=item, result="Pass")
    client.force_login(cast.learner)
    response = client.get(reverse("learning:record_certificate", args=[completion.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Certificate of completion" in html and "Safer recruitment" in html
    assert "3 June 2024" in html and "Pass" in html
    assert "@media print" in html
    pending = log(cast.learner.person)
    assert client.get(reverse("learning:record_certificate", args=[pending.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert (
        client.get(reverse("learning:record_certificate", args=[completion.pk])).status_code == 404
    )


# --- my team's learning ----------------------------------------------------------------------


def test_my_teams_learning_shows_days_and_non_attendance(client, cast):
    complete(cast.learner.person, dt.date.today(), days="2", hours="13")
    session = SessionFactory()
    Booking.objects.create(
        session=session, person=cast.learner.person, status="no_show", created_at=timezone.now()
    )
    rows = {p.pk: p for p in records.team_learning(cast.manager.person)}
    assert set(rows) == {cast.learner.person_id}
    learner = rows[cast.learner.person_id]
    assert (learner.year_days, learner.year_hours, learner.no_shows) == (
        Decimal("2"),
        Decimal("13"),
        1,
    )
    client.force_login(cast.manager)
    html = client.get(reverse("learning:record_team")).content.decode()
    assert cast.learner.person.full_name in html


def test_my_teams_learning_makes_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.senior_manager)
    url = reverse("learning:record_team")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(6):
        person = AssignmentFactory(line_manager=cast.manager.person).person
        complete(person, dt.date.today())
        log(person)
        Booking.objects.create(
            session=SessionFactory(), person=person, status="no_show", created_at=timezone.now()
        )
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert "8 people" in html
    assert len(large) == len(small)


def test_no_one_reports_to_the_learner(client, cast):
    client.force_login(cast.learner)
    assert "No one reports to you" in client.get(reverse("learning:record_team")).content.decode()
