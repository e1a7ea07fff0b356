"""Compliance reminders: each stage told once per due date to the right people, one message per
recipient, the weekly HR digest scoped to the officer's grant, and a fixed number of queries
per chunk of people."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peopleplan.access.models import RoleGrant
from peopleplan.compliance import reminders, services, status
from peopleplan.compliance.rules import StatusCode
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import (
    AssignmentFactory,
    JobRoleFactory,
    LearningItemFactory,
    PersonFactory,
    RoleGrantFactory,
    UserFactory,
)

D = dt.date
NOW = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
DONE = D(2025, 6, 10)  # the learner's last completion: valid for a year


@pytest.fixture
def setup(cast):
    """A requirement for social workers (the learner, in Adults, and the outsider, in
    Children's): valid a year, window 90 days, escalated 28 days after the due date."""
    sw = JobRoleFactory(code="SW", title="Social worker", job_family="Social work")
    for user in (cast.learner, cast.outsider):
        user.person.assignments.update(job_role=sw)
    audience = Audience.objects.create(code="social-workers", name="Social workers")
    AudienceRule.objects.create(audience=audience, kind="job_role", values=["SW"])
    course = LearningItemFactory(code="SG2", title="Safeguarding adults level 2")
    req = services.requirement_create(
        actor=None,
        code="SG2",
        name="Safeguarding adults level 2",
        audience=audience,
        items=[course],
        validity_months=12,
        window_days=90,
        grace_days=90,
        escalate_after_days=28,
    )
    return {"sw": sw, "audience": audience, "course": course, "req": req}


def complete(person, item, on):
    Completion.objects.create(
        person=person, item=item, completed_on=on, source="import", created_at=NOW
    )
    hooks.completions_changed([person.pk])


def social_worker(cast, setup, unit=None, manager=None, **kw):
    person = PersonFactory(**kw)
    AssignmentFactory(
        person=person,
        unit=unit or cast.adults_team,
        job_role=setup["sw"],
        line_manager=manager if manager is not None else cast.manager.person,
    )
    return person


def run(on, capture):
    mail.outbox.clear()
    with capture(execute=True):
        counts = reminders.compliance_reminders_send(on=on)
    return counts, {m.to[0]: m for m in mail.outbox}


def due_on(person, req, on):
    got = status.statuses(person_ids=[person.pk], requirements=[req], as_of=on)
    return got[(person.pk, req.pk)]


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_each_stage_is_told_once_to_the_right_people(cast, setup, capture):
    learner = cast.learner.person
    complete(learner, setup["course"], DONE)
    cast.outsider.person.assignments.update(job_role=JobRoleFactory())  # only the learner
    req = setup["req"]
    until = due_on(learner, req, D(2026, 4, 1)).due_on
    assert until is not None

    # The window opens: the learner, once.
    opened = until - dt.timedelta(days=80)
    assert due_on(learner, req, opened).code == StatusCode.DUE_SOON
    counts, sent = run(opened, capture)
    assert list(sent) == [learner.email]
    assert counts["window"] == 1 and counts["messages"] == 1
    assert "Due by" in sent[learner.email].body
    assert "Safeguarding adults level 2" in sent[learner.email].body
    # Twice the same day, and the next day: nothing new.
    assert run(opened, capture)[1] == {}
    assert run(opened + dt.timedelta(days=1), capture)[1] == {}

    # A month before: the learner again, once.
    month = until - dt.timedelta(days=20)
    counts, sent = run(month, capture)
    assert list(sent) == [learner.email] and counts["month"] == 1
    assert run(month + dt.timedelta(days=1), capture)[1] == {}

    # Overdue (expired): the learner and the manager.
    late = until + dt.timedelta(days=1)
    counts, sent = run(late, capture)
    hr = {cast.hr_officer.email, cast.adults_hr.email}
    assert set(sent) == {learner.email, cast.manager.person.email} | hr
    assert counts["overdue"] == 2 and counts["hr_digests"] == 2
    assert sent[learner.email].subject == "Mandatory training overdue"
    to_manager = sent[cast.manager.person.email].body
    assert f"{learner.full_name}: Safeguarding adults level 2, expired on" in to_manager
    assert run(late + dt.timedelta(days=1), capture)[1] == {}  # HR: once a week

    # Still overdue 28 days after: the manager's manager, once (and HR's digest).
    escalated = until + dt.timedelta(days=28)
    counts, sent = run(escalated, capture)
    assert set(sent) == {cast.senior_manager.person.email} | hr
    assert counts["escalated"] == 1
    assert "escalated to you" in sent[cast.senior_manager.person.email].body
    assert run(escalated, capture)[1] == {}

    # Renewed: a new due date, nothing to say until its window opens.
    complete(learner, setup["course"], escalated)
    assert run(escalated + dt.timedelta(days=1), capture)[1] == {}


def test_someone_first_seen_long_overdue_is_told_every_stage_once(cast, setup, capture):
    on = D(2026, 11, 27)  # never completed, in post since 2020: overdue for years
    counts, sent = run(on, capture)
    learner, outsider = cast.learner.person, cast.outsider.person
    assert counts["window"] == counts["month"] == 0
    # Both are overdue; the learner's manager and manager's manager are told; the outsider has
    # no manager. Council-wide HR and Adults HR have their digests.
    assert sorted(sent) == sorted(
        [
            learner.email,
            outsider.email,
            cast.manager.person.email,
            cast.senior_manager.person.email,
            cast.hr_officer.email,
            cast.adults_hr.email,
        ]
    )
    assert counts["overdue"] == 3 and counts["escalated"] == 1
    assert run(on, capture)[1] == {}


def test_one_message_per_recipient_listing_everything(cast, setup, capture):
    second = services.requirement_create(
        actor=None,
        code="FIRE",
        name="Fire safety",
        audience=setup["audience"],
        items=[LearningItemFactory(code="FIRE", title="Fire safety")],
        validity_months=36,
    )
    alex = social_worker(cast, setup, first_name="Alex", last_name="Smith")
    on = D(2026, 11, 27)
    counts, sent = run(on, capture)
    learner_mail = sent[cast.learner.person.email]
    assert "Fire safety" in learner_mail.body
    assert "Safeguarding adults level 2" in learner_mail.body
    to_manager = [m for m in mail.outbox if m.to == [cast.manager.person.email]]
    assert len(to_manager) == 1
    body = to_manager[0].body
    for person in (cast.learner.person, alex):
        for req in (setup["req"], second):
            assert f"{person.full_name}: {req.name}, overdue since" in body
    assert counts["messages"] == len(mail.outbox) - counts["hr_digests"]


def test_the_learner_is_told_how_to_book(cast, setup, capture, settings):
    settings.PEOPLEPLAN = {**settings.PEOPLEPLAN, "SITE_URL": "https://pp.council.example/"}
    _, sent = run(D(2026, 11, 27), capture)
    body = sent[cast.learner.person.email].body
    assert "Overdue since" in body  # the status's reason
    assert f"https://pp.council.example/learning/items/{setup['course'].pk}/" in body


def test_exempt_leavers_and_people_without_email_are_not_told(cast, setup, capture):
    on = D(2026, 11, 27)
    services.exemption_grant(
        actor=None,
        person=cast.outsider.person,
        requirement=setup["req"],
        reason="On long-term leave",
        starts_on=D(2026, 1, 1),
        ends_on=D(2027, 1, 1),
    )
    leaver = social_worker(cast, setup, leaving_date=D(2026, 10, 31))
    quiet = social_worker(cast, setup, email="")
    counts, sent = run(on, capture)
    assert cast.outsider.person.email not in sent
    assert leaver.email not in sent
    assert counts["no_email"] == 1
    to_manager = sent[cast.manager.person.email].body
    assert quiet.full_name in to_manager  # the manager still hears of them
    assert leaver.full_name not in to_manager
    assert cast.outsider.person.full_name not in sent[cast.hr_officer.email].body


def test_the_hr_digest_is_weekly_and_scoped(cast, setup, capture):
    monday = D(2026, 11, 23)
    _, sent = run(monday, capture)
    learner, outsider = cast.learner.person, cast.outsider.person
    everyone = sent[cast.hr_officer.email]
    assert everyone.subject == "Overdue mandatory training and checks: week 48 of 2026"
    assert learner.full_name in everyone.body and outsider.full_name in everyone.body
    adults = sent[cast.adults_hr.email].body
    assert learner.full_name in adults and outsider.full_name not in adults
    # The rest of the week: no digest; the next week: another.
    for day in range(1, 7):
        _, sent = run(monday + dt.timedelta(days=day), capture)
        assert cast.hr_officer.email not in sent
    counts, sent = run(monday + dt.timedelta(days=7), capture)
    assert counts["hr_digests"] == 2
    assert cast.hr_officer.email in sent and cast.adults_hr.email in sent
    # HR in Children's only, with no-one overdue there once the outsider is exempt: nothing.
    childrens_hr = UserFactory(email="childrens-hr@council.example")
    RoleGrantFactory(user=childrens_hr, role=RoleGrant.Role.HR_OFFICER, unit=cast.childrens)
    services.exemption_grant(
        actor=None,
        person=outsider,
        requirement=setup["req"],
        reason="Seconded",
        starts_on=D(2026, 1, 1),
        ends_on=D(2027, 1, 1),
    )
    _, sent = run(monday + dt.timedelta(days=14), capture)
    assert childrens_hr.email not in sent


def test_a_fixed_number_of_queries_per_chunk(cast, setup, capture, monkeypatch):
    monkeypatch.setattr(reminders, "CHUNK", 4)
    on = D(2026, 11, 27)

    def queries_for(people):
        for _ in range(people):
            social_worker(cast, setup)
        from peopleplan.core.models import SentMessage

        SentMessage.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            run(on, capture)
        return len(ctx.captured_queries)

    # The learner and the outsider, and 2 more: one chunk of 4; then 5 people, two chunks; then
    # 8 people, still two chunks: the same queries whatever the people in them.
    one_chunk = queries_for(2)
    two_chunks = queries_for(1)
    assert queries_for(3) == two_chunks
    assert 0 < two_chunks - one_chunk <= 10


def test_the_command_runs_twice_and_sends_once(cast, setup, capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("send_compliance_reminders", "--on", "2026-11-27", stdout=out)
    first = len(mail.outbox)
    assert first > 0
    assert "reminders sent" in out.getvalue()
    with capture(execute=True):
        call_command("send_compliance_reminders", "--on", "2026-11-27", stdout=io.StringIO())
    assert len(mail.outbox) == first


def test_a_check_says_to_give_it_to_hr_and_a_manager_who_has_left_is_not_told(cast, setup, capture):
    from peopleplan.compliance.models import CredentialType

    dbs = CredentialType.objects.create(code="DBS-E", name="Enhanced DBS check", kind="dbs")
    services.requirement_create(
        actor=None, code="DBS", name="DBS check", audience=setup["audience"], credential_type=dbs
    )
    cast.manager.person.leaving_date = D(2026, 10, 31)
    cast.manager.person.save()
    _, sent = run(D(2026, 11, 27), capture)
    body = sent[cast.learner.person.email].body
    assert "- DBS check: Overdue" in body
    assert "  Give HR your Enhanced DBS check to record." in body
    assert cast.manager.person.email not in sent
    assert cast.ld_admin.email not in sent  # not required: not in the audience
