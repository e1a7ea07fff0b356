"""Evaluation: when feedback and impact checks fall due and to whom, the daily command sending
each once, answering once (with errors that name the question), the results' sums on a small
known set of answers, who reads them, and the results page's fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peopleplan.core.models import AuditEntry
from peopleplan.learning import evaluation
from peopleplan.learning.evaluation_results import Filters, evaluation_results
from peopleplan.learning.models import (
    Booking,
    EvaluationAnswer,
    EvaluationRequest,
    Provider,
    Session,
)
from tests.factories import AssignmentFactory, LearningItemFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db

FEEDBACK_OK = {"outcomes": "5", "trainer": "4", "use": "4", "arrangements": "3", "overall": "4"}


def attended(person, *, ended_days_ago: float = 1, status="attended", session=None, **kw):
    """A booking of the person with this status on a one-day session that ended so long ago."""
    if session is None:
        start = timezone.now() - dt.timedelta(days=ended_days_ago) - dt.timedelta(hours=7)
        session = SessionFactory(starts_at=start, **kw)
    return Booking.objects.create(
        session=session, person=person, status=status, created_at=timezone.now()
    )


def send(now=None, capture=None):
    if capture is None:
        return evaluation.evaluation_requests_send(now=now)
    with capture(execute=True):
        return evaluation.evaluation_requests_send(now=now)


# --- when requests fall due ------------------------------------------------------------------


def test_feedback_is_asked_once_the_session_has_ended(
    cast, django_capture_on_commit_callbacks, settings
):
    settings.PEOPLEPLAN = {**settings.PEOPLEPLAN, "SITE_URL": "https://pp.council.example/"}
    later = timezone.now() + dt.timedelta(days=3)
    booking = attended(cast.learner.person, session=SessionFactory(starts_at=later))
    assert send(capture=django_capture_on_commit_callbacks)["feedback"] == 0

    ended = attended(cast.learner.person, ended_days_ago=1)
    made = send(capture=django_capture_on_commit_callbacks)
    assert made == {"feedback": 1, "impact_learner": 0, "impact_manager": 0}
    asked = EvaluationRequest.objects.get()
    assert (asked.booking, asked.kind, asked.respondent) == (
        ended,
        "feedback",
        cast.learner.person,
    )
    assert asked.respondent_role == "learner" and asked.responded_at is None
    (message,) = mail.outbox
    assert message.to == [cast.learner.email]
    assert ended.session.item.title in message.subject
    link = "https://pp.council.example" + reverse("learning:evaluation_respond", args=[asked.pk])
    assert link in message.body and f"Dear {cast.learner.person.first_name}" in message.body
    assert not EvaluationRequest.objects.filter(booking=booking).exists()


def test_a_session_still_going_on_is_not_asked_about(cast):
    start = timezone.now() - dt.timedelta(hours=2)  # a seven-hour day, half done
    attended(cast.learner.person, session=SessionFactory(starts_at=start))
    assert send()["feedback"] == 0


@pytest.mark.parametrize("status", ["no_show", "cancelled", "booked", "declined"])
def test_no_feedback_without_attendance(cast, status):
    attended(cast.learner.person, status=status)
    assert send() == {"feedback": 0, "impact_learner": 0, "impact_manager": 0}


def test_partly_attended_is_asked(cast):
    attended(cast.learner.person, status="partly_attended")
    assert send()["feedback"] == 1


def test_no_feedback_on_a_cancelled_session_or_one_long_past(cast):
    booking = attended(cast.learner.person)
    Session.objects.filter(pk=booking.session_id).update(status=Session.Status.CANCELLED)
    attended(cast.learner.person, ended_days_ago=60)  # beyond the 28 days' window
    assert send()["feedback"] == 0


def test_a_leaver_is_not_asked(cast):
    person = cast.learner.person
    person.leaving_date = timezone.localdate() - dt.timedelta(days=1)
    person.save()
    attended(person)
    assert send()["feedback"] == 0


def test_impact_check_after_the_weeks_to_the_learner_and_the_line_manager(
    cast, django_capture_on_commit_callbacks
):
    booking = attended(cast.learner.person, ended_days_ago=1)
    send()
    assert not EvaluationRequest.objects.filter(kind="impact").exists()
    weeks = dt.timedelta(weeks=12)
    assert send(now=timezone.now() + weeks - dt.timedelta(days=2))["impact_learner"] == 0

    mail.outbox.clear()
    made = send(now=timezone.now() + weeks, capture=django_capture_on_commit_callbacks)
    assert made == {"feedback": 0, "impact_learner": 1, "impact_manager": 1}
    checks = EvaluationRequest.objects.filter(kind="impact", booking=booking)
    assert {(c.respondent, c.respondent_role) for c in checks} == {
        (cast.learner.person, "learner"),
        (cast.manager.person, "manager"),
    }
    to_manager = next(m for m in mail.outbox if m.to == [cast.manager.email])
    assert cast.learner.person.full_name in to_manager.subject
    assert "changed their practice" in to_manager.body
    to_learner = next(m for m in mail.outbox if m.to == [cast.learner.email])
    assert "changed your practice" in to_learner.body


def test_no_line_manager_means_only_the_learner(cast):
    attended(cast.outsider.person, ended_days_ago=7 * 12 + 1)
    made = send()
    assert made["impact_learner"] == 1 and made["impact_manager"] == 0
    assert EvaluationRequest.objects.get(kind="impact").respondent == cast.outsider.person


def test_the_manager_of_the_primary_current_job_is_asked(cast):
    person = PersonFactory()
    old_boss, boss, other_boss = PersonFactory(), PersonFactory(), PersonFactory()
    today = timezone.localdate()
    AssignmentFactory(person=person, line_manager=old_boss, end_date=today - dt.timedelta(days=30))
    AssignmentFactory(person=person, line_manager=boss, is_primary=True)
    AssignmentFactory(person=person, line_manager=other_boss, is_primary=False)
    attended(person, ended_days_ago=7 * 12 + 1)
    send()
    managers = EvaluationRequest.objects.filter(kind="impact", respondent_role="manager")
    assert [r.respondent for r in managers] == [boss]


def test_the_weeks_are_a_setting(cast, settings):
    settings.PEOPLEPLAN = {**settings.PEOPLEPLAN, "IMPACT_CHECK_WEEKS": 4}
    attended(cast.learner.person, ended_days_ago=29)
    assert send()["impact_learner"] == 1


def test_the_command_sends_nothing_twice(cast, django_capture_on_commit_callbacks):
    attended(cast.learner.person, ended_days_ago=2)
    attended(cast.learner.person, ended_days_ago=7 * 12 + 2)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluation_requests", stdout=out)
    # The older session is past the feedback window: only its impact checks are due.
    assert "1 feedback requests, 1 impact checks to learners and 1 to line managers" in (
        out.getvalue()
    )
    sent = len(mail.outbox)
    assert sent == 3
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluation_requests", stdout=out)
    assert "0 feedback requests, 0 impact checks to learners and 0 to line managers" in (
        out.getvalue()
    )
    assert len(mail.outbox) == sent
    assert EvaluationRequest.objects.count() == 3


# --- answering -------------------------------------------------------------------------------


def feedback_request(person) -> EvaluationRequest:
    attended(person)
    send()
    return EvaluationRequest.objects.get(respondent=person, kind="feedback")


def test_a_learner_answers_the_feedback_form_once(client, cast):
    asked = feedback_request(cast.learner.person)
    client.force_login(cast.learner)
    url = reverse("learning:evaluation_respond", args=[asked.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The session met its stated outcomes" in html and 'type="radio"' in html
    response = client.post(url, {**FEEDBACK_OK, "most_useful": "The case studies", "better": ""})
    assert response.status_code == 302 and response["Location"] == reverse("learning:evaluations")
    asked.refresh_from_db()
    assert asked.responded_at is not None and asked.responded_by == cast.learner
    answers = {a.question: a for a in asked.answers.all()}
    assert {k: answers[k].rating for k in FEEDBACK_OK} == {
        k: int(v) for k, v in FEEDBACK_OK.items()
    }
    assert answers["most_useful"].text == "The case studies" and "better" not in answers
    entry = AuditEntry.objects.get(object_type="learning.EvaluationRequest")
    assert entry.actor == cast.learner and entry.object_id == str(asked.pk)
    assert "case studies" not in entry.summary  # the answers stay out of the audit log

    again = client.post(url, {**FEEDBACK_OK, "overall": "1"})
    assert again.status_code == 302
    assert asked.answers.get(question="overall").rating == 4
    assert "answered this already" in client.get(url).content.decode()
    with pytest.raises(evaluation.EvaluationError):
        evaluation.evaluation_respond(request=asked, answers=FEEDBACK_OK, actor=None)


def test_errors_name_the_question_and_keep_nothing(client, cast):
    asked = feedback_request(cast.learner.person)
    client.force_login(cast.learner)
    url = reverse("learning:evaluation_respond", args=[asked.pk])
    data = {**FEEDBACK_OK, "trainer": "", "overall": "9", "better": "x" * 5001}
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select an answer to “The trainer was knowledgeable and engaging”" in html
    assert "Select one of the answers to “Overall, how would you rate the session?”" in html
    assert "must be 5000 characters or fewer" in html
    assert 'href="#id_trainer"' in html and 'id="id_trainer"' in html
    # What was chosen is still chosen.
    assert 'value="5" checked' in html
    asked.refresh_from_db()
    assert asked.responded_at is None and not asked.answers.exists()


def test_the_service_refuses_a_rating_out_of_range(cast):
    asked = feedback_request(cast.learner.person)
    with pytest.raises(evaluation.EvaluationError, match="from 1 to 5"):
        evaluation.evaluation_respond(request=asked, answers={**FEEDBACK_OK, "use": 0}, actor=None)
    assert not EvaluationAnswer.objects.exists()


def test_no_one_answers_someone_elses_form(client, cast):
    asked = feedback_request(cast.learner.person)
    url = reverse("learning:evaluation_respond", args=[asked.pk])
    for who in (cast.manager, cast.ld_admin, cast.outsider):
        client.force_login(who)
        assert client.get(url).status_code == 404
        assert client.post(url, FEEDBACK_OK).status_code == 404
    asked.refresh_from_db()
    assert asked.responded_at is None


def test_the_manager_answers_the_impact_check_for_their_report(client, cast):
    attended(cast.learner.person, ended_days_ago=7 * 12 + 1)
    send()
    asked = EvaluationRequest.objects.get(respondent=cast.manager.person)
    client.force_login(cast.manager)
    listing = client.get(reverse("learning:evaluations")).content.decode()
    assert f"Impact check: {cast.learner.person.full_name}" in listing
    url = reverse("learning:evaluation_respond", args=[asked.pk])
    assert "Has it changed their practice?" in client.get(url).content.decode()
    missing = client.post(url, {"example": "Better notes"})
    assert "Select an answer to “Has it changed their practice?”" in missing.content.decode()
    assert client.post(url, {"practice": "somewhat", "example": "Better notes"}).status_code == 302
    answers = {a.question: a for a in asked.answers.all()}
    assert answers["practice"].choice == "somewhat" and answers["example"].text == "Better notes"


def test_your_feedback_lists_waiting_and_answered_forms(client, cast):
    first = feedback_request(cast.learner.person)
    attended(cast.learner.person, ended_days_ago=3)
    send()
    evaluation.evaluation_respond(request=first, answers=FEEDBACK_OK, actor=cast.learner)
    client.force_login(cast.learner)
    html = client.get(reverse("learning:evaluations")).content.decode()
    waiting = EvaluationRequest.objects.get(responded_at__isnull=True)
    assert reverse("learning:evaluation_respond", args=[waiting.pk]) in html
    assert reverse("learning:evaluation_respond", args=[first.pk]) not in html
    assert "Answered" in html
    # My bookings and My learning record say when forms are waiting.
    for page in ("learning:bookings", "learning:record"):
        html = client.get(reverse(page)).content.decode()
        assert reverse("learning:evaluations") in html, page


# --- results ---------------------------------------------------------------------------------


@pytest.fixture
def known(cast):
    """A small known set: item A (provider P, trainer T) has one session with four learners;
    three answered the feedback (overall 5, 4, 3; outcomes 5, 5, 2), and the impact check went
    to two learners and one manager, of whom one learner (yes, a lot) and the manager
    (somewhat) answered. Item B (no provider, no trainer) has one learner who did not answer."""
    provider = Provider.objects.create(name="Provider P")
    trainer = PersonFactory(first_name="Tess", last_name="Trainer")
    item_a = LearningItemFactory(title="Item A", provider=provider)
    item_b = LearningItemFactory(title="Item B")
    start = timezone.now() - dt.timedelta(days=30)
    session_a = SessionFactory(item=item_a, starts_at=start)
    session_a.trainers.add(trainer)
    session_b = SessionFactory(item=item_b, starts_at=start)
    learners = [AssignmentFactory().person for _ in range(4)]
    now = timezone.now()

    def ask(booking, kind, respondent, role="learner"):
        return EvaluationRequest.objects.create(
            booking=booking, kind=kind, respondent=respondent, respondent_role=role, sent_at=now
        )

    bookings = [attended(p, session=session_a) for p in learners]
    for booking, (overall, outcomes) in zip(bookings, [(5, 5), (4, 5), (3, 2)], strict=False):
        asked = ask(booking, "feedback", booking.person)
        evaluation.evaluation_respond(
            request=asked,
            answers={**FEEDBACK_OK, "overall": overall, "outcomes": outcomes, "better": "More"},
            actor=None,
        )
    ask(bookings[3], "feedback", bookings[3].person)
    manager = PersonFactory()
    yes = ask(bookings[0], "impact", bookings[0].person)
    ask(bookings[1], "impact", bookings[1].person)
    theirs = ask(bookings[0], "impact", manager, role="manager")
    evaluation.evaluation_respond(request=yes, answers={"practice": "yes_a_lot"}, actor=None)
    evaluation.evaluation_respond(
        request=theirs, answers={"practice": "somewhat", "example": "Uses the tool"}, actor=None
    )
    ask(attended(PersonFactory(), session=session_b), "feedback", PersonFactory())
    return {
        "provider": provider,
        "trainer": trainer,
        "item_a": item_a,
        "item_b": item_b,
        "session_a": session_a,
    }


def test_results_by_item_add_up(known):
    results = evaluation_results(scope=Q(), filters=Filters())
    a, b = results.groups.object_list
    assert (a.label, b.label) == ("Item A", "Item B")
    assert (a.feedback_sent, a.feedback_answered, a.feedback_rate) == (4, 3, Decimal("75.0"))
    assert (a.impact_sent, a.impact_answered, a.impact_rate) == (3, 2, Decimal("66.7"))
    assert a.averages["overall"] == Decimal("4.00")
    assert a.averages["outcomes"] == Decimal("4.00")
    assert a.averages["trainer"] == Decimal("4.00")
    assert a.impact == {"yes_a_lot": 1, "somewhat": 1}
    assert a.impact_list == [1, 1, 0, 0]
    assert (b.feedback_sent, b.feedback_answered, b.feedback_rate) == (1, 0, Decimal("0.0"))
    assert b.impact_rate is None and b.averages == {}
    total = results.total
    assert (total.feedback_sent, total.feedback_answered, total.feedback_rate) == (
        5,
        3,
        Decimal("60.0"),
    )
    assert total.averages["overall"] == Decimal("4.00")
    texts = sorted(c.text for c in results.comments)
    assert texts == ["More", "More", "More", "Uses the tool"]


def test_results_by_session_trainer_and_provider(known):
    scope = Q()
    by_trainer = evaluation_results(scope=scope, filters=Filters(), group="trainer")
    labels = [(f.label, f.feedback_sent) for f in by_trainer.groups]
    assert labels == [("Tess Trainer", 4), ("No trainer named", 1)]
    tess = by_trainer.groups[0]
    assert tess.averages["overall"] == Decimal("4.00") and tess.impact_list == [1, 1, 0, 0]
    # A second trainer on the session: each counts the session once, the total still once.
    known["session_a"].trainers.add(PersonFactory(first_name="Abe", last_name="Second"))
    both = evaluation_results(scope=scope, filters=Filters(), group="trainer")
    assert [(f.label, f.feedback_sent, f.impact_list) for f in both.groups] == [
        ("Abe Second", 4, [1, 1, 0, 0]),
        ("Tess Trainer", 4, [1, 1, 0, 0]),
        ("No trainer named", 1, [0, 0, 0, 0]),
    ]
    assert both.groups[0].averages["overall"] == Decimal("4.00")
    assert both.total.feedback_sent == 5 and both.total.impact_list == [1, 1, 0, 0]
    by_provider = evaluation_results(scope=scope, filters=Filters(), group="provider")
    assert [(f.label, f.feedback_answered) for f in by_provider.groups] == [
        ("Provider P", 3),
        ("No provider named", 0),
    ]
    assert by_provider.groups[0].averages["overall"] == Decimal("4.00")
    by_session = evaluation_results(scope=scope, filters=Filters(), group="session")
    first = by_session.groups[0]
    assert first.key == known["session_a"].pk and first.first is not None


def test_filters_narrow_the_results(known):
    scope = Q()
    only_b = evaluation_results(scope=scope, filters=Filters(item=known["item_b"].pk))
    assert [f.label for f in only_b.groups] == ["Item B"]
    assert only_b.total.feedback_sent == 1
    by_provider = evaluation_results(scope=scope, filters=Filters(provider=known["provider"].pk))
    assert [f.label for f in by_provider.groups] == ["Item A"]
    by_trainer = evaluation_results(scope=scope, filters=Filters(trainer=known["trainer"].pk))
    assert by_trainer.total.feedback_sent == 4
    today = timezone.localdate()
    none = evaluation_results(scope=scope, filters=Filters(date_from=today))
    assert list(none.groups) == [] and none.total.feedback_sent == 0
    month = today - dt.timedelta(days=31)
    some = evaluation_results(scope=scope, filters=Filters(date_from=month, date_to=today))
    assert some.total.feedback_sent == 5


def test_the_results_page_shows_the_tables(client, cast, known):
    client.force_login(cast.ld_admin)
    html = client.get(reverse("learning:evaluation_results")).content.decode()
    for words in ("Response rates by learning item", "75.0%", "66.7%", "4.00", "Uses the tool"):
        assert words in html, words
    for person in EvaluationRequest.objects.values_list("respondent__last_name", flat=True):
        assert f"{person}</" not in html or person == "Trainer"
    html = client.get(reverse("learning:evaluation_results"), {"group": "trainer"}).content.decode()
    assert "Tess Trainer" in html and "No trainer named" in html


def test_bad_filters_are_named(client, cast, known):
    client.force_login(cast.ld_admin)
    response = client.get(
        reverse("learning:evaluation_results"),
        {"date_from": "31/02/2026", "date_to": "2026-01-01", "item": "999999", "group": "x"},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the start of the dates as a real date" in html
    assert "Choose a learning item from the list" in html
    assert "Choose item, session, trainer or provider" in html


def test_a_trainer_reads_only_their_own_sessions(client, cast, known):
    trainer_user = cast.outsider
    known["session_a"].trainers.add(trainer_user.person)
    client.force_login(trainer_user)
    listing = client.get(reverse("learning:evaluations")).content.decode()
    assert "for the sessions you train" in listing
    response = client.get(reverse("learning:evaluation_results"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Item A" in html and "Item B" not in html
    client.force_login(cast.learner)
    assert client.get(reverse("learning:evaluation_results")).status_code == 403


def test_results_scoped_senior_leaders_and_scoped_ld_admins(cast):
    from peopleplan.access.models import RoleGrant
    from tests.factories import RoleGrantFactory

    assert evaluation.results_scope(cast.senior_leader) is not None
    assert evaluation.results_scope(cast.hr_officer) is None
    RoleGrantFactory(user=cast.learner, role=RoleGrant.Role.LD_ADMIN, unit=cast.adults)
    # A grant over part of the council reads no council-wide results.
    assert evaluation.results_scope(cast.learner) is None


def _page_queries(client, user, **params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("learning:evaluation_results"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("group", ["item", "session", "trainer", "provider"])
def test_the_results_page_makes_a_fixed_number_of_queries(client, cast, known, group):
    small = _page_queries(client, cast.ld_admin, group=group)
    provider = Provider.objects.create(name="Provider Q")
    start = timezone.now() - dt.timedelta(days=10)
    for n in range(6):
        session = SessionFactory(item=LearningItemFactory(provider=provider), starts_at=start)
        session.trainers.add(PersonFactory())
        for _ in range(3):
            booking = attended(PersonFactory(), session=session)
            asked = EvaluationRequest.objects.create(
                booking=booking,
                kind="feedback",
                respondent=booking.person,
                respondent_role="learner",
                sent_at=timezone.now(),
            )
            evaluation.evaluation_respond(
                request=asked, answers={**FEEDBACK_OK, "better": f"Note {n}"}, actor=None
            )
    assert _page_queries(client, cast.ld_admin, group=group) == small


# --- the API ---------------------------------------------------------------------------------


def test_the_api_lists_and_answers_my_forms(client, cast):
    asked = feedback_request(cast.learner.person)
    client.force_login(cast.learner)
    listing = client.get("/api/learning/evaluations/?waiting=true").json()
    (row,) = listing["results"] if isinstance(listing, dict) else listing
    assert row["id"] == asked.pk and row["kind"] == "feedback"
    assert [q["key"] for q in row["questions"]][:2] == ["outcomes", "trainer"]
    url = f"/api/learning/evaluations/{asked.pk}/respond/"
    bad = client.post(url, {**FEEDBACK_OK, "overall": 7}, content_type="application/json")
    assert bad.status_code == 400
    assert "overall" in bad.json()
    ok = client.post(
        url, {**FEEDBACK_OK, "most_useful": "All of it"}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["answers"]["overall"] == 4 and ok.json()["answers"]["most_useful"] == (
        "All of it"
    )
    again = client.post(url, FEEDBACK_OK, content_type="application/json")
    assert again.status_code == 400 and "answered already" in again.json()["detail"]
    client.force_login(cast.manager)
    assert client.get(f"/api/learning/evaluations/{asked.pk}/").status_code == 404


def test_the_api_gives_the_results(client, cast, known):
    client.force_login(cast.senior_leader)
    data = client.get("/api/learning/evaluation-results/", {"group": "provider"}).json()
    assert data["group"] == "provider"
    first = data["groups"][0]
    assert first["label"] == "Provider P" and first["feedback_rate"] == 75.0
    assert first["averages"]["overall"] == 4.0
    assert data["total"]["feedback_sent"] == 5
    assert {c["text"] for c in data["comments"]} == {"More", "Uses the tool"}
    assert all("respondent" not in c for c in data["comments"])
    bad = client.get("/api/learning/evaluation-results/", {"date_to": "soon"})
    assert bad.status_code == 400 and "date_to" in bad.json()
    client.force_login(cast.learner)
    assert client.get("/api/learning/evaluation-results/").status_code == 403
