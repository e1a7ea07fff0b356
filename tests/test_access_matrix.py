"""Every page and API endpoint, for every role, an outsider and someone signed out.

Each case names a URL and says which users are let in; everyone else gets the refusal the case
names: 403 for a page their roles do not open at all, 404 for a thing they may not see (the same
answer as for a thing that does not exist), a redirect to sign in when signed out (401 from the
API). `test_every_url_is_in_the_matrix` fails when a new URL has no case here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from peopleplan.compliance import services as compliance_services
from peopleplan.compliance.models import CredentialType
from peopleplan.core import services as core_services
from peopleplan.core.models import ImportRun
from peopleplan.learning import services as learning_services
from peopleplan.learning.models import Booking, Completion, EvaluationRequest, Programme
from peopleplan.org import services as org_services
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import LearningItemFactory, PostFactory, RoleGrantFactory, SessionFactory

ROLES = (
    "learner",
    "manager",
    "senior_manager",
    "outsider",
    "ld_admin",
    "hr_officer",
    "hr_equality",
    "adults_hr",
    "senior_leader",
    "budget_holder",
    "sysadmin",
)
WITH_ANY_ROLE = (
    "ld_admin",
    "hr_officer",
    "hr_equality",
    "adults_hr",
    "senior_leader",
    "budget_holder",
    "sysadmin",
)
COUNCIL_WIDE = ("ld_admin", "hr_officer", "hr_equality", "senior_leader", "sysadmin")
SEES_ADULTS = (*COUNCIL_WIDE, "adults_hr", "budget_holder")
IMPORTERS = ("hr_officer", "sysadmin")
EVERYONE = ROLES
# Who may book for the learner (and see and cancel the learner's bookings): themselves, their
# managers up the line, and an L&D administrator.
BOOK_FOR_LEARNER = ("learner", "manager", "senior_manager", "ld_admin")
BOOK_FOR_OTHERS = ("manager", "senior_manager", "ld_admin")
NO_ONE: tuple[str, ...] = ()
# Who opens the learner's record of learning besides them: their managers up the line, L&D and
# HR officers covering them (not budget holders, senior leaders, equality viewers or sysadmins).
RECORD_READERS = ("manager", "senior_manager", "ld_admin", "hr_officer", "adults_hr")
# Who verifies the learner's self-logged learning: their managers up the line and L&D.
VERIFIERS = ("manager", "senior_manager", "ld_admin")
# Who marks the register of a session the outsider trains on, with the learner booked.
MARKS_REGISTER = ("outsider", "ld_admin")
# Who sees the sessions list: L&D, and the outsider, who trains a session.
SEES_SESSIONS = ("ld_admin", "outsider")
# Everyone but L&D and the outsider: they cannot see the session the outsider trains.
NOT_TRAINING = tuple(r for r in ROLES if r not in SEES_SESSIONS)
# Who reads evaluation results: council-wide L&D and senior leaders, and the outsider, who
# trains a session.
EVALUATION_RESULTS = ("outsider", "ld_admin", "senior_leader")
# Who reads compliance in numbers (L&D, HR, senior leaders), and the people behind them (L&D
# and HR only: senior leaders see numbers, not names).
SUMMARY_READERS = ("ld_admin", "hr_officer", "adults_hr", "senior_leader")
SUMMARY_NAMES = ("ld_admin", "hr_officer", "adults_hr")
# Who uploads files: HR files, and (L&D) learning completions.
UPLOADERS = (*IMPORTERS, "ld_admin")
# Who sees the learner's compliance besides them: their managers up the line, and L&D and HR
# officers covering them; and whose unit matrices L&D and HR open (the Adults HR officer only
# in Adults).
COMPLIANCE_OF_LEARNER = (
    "learner",
    "manager",
    "senior_manager",
    "ld_admin",
    "hr_officer",
    "adults_hr",
)
UNIT_MATRIX_ADULTS = ("ld_admin", "hr_officer", "adults_hr")
UNIT_MATRIX_CHILDRENS = ("ld_admin", "hr_officer")
# Who opens audiences (rules that pick people): council-wide HR, L&D and system administrators.
AUDIENCES = ("ld_admin", "hr_officer", "sysadmin")


@dataclass
class Case:
    name: str  # the URL name this case covers
    url: Callable  # (cast, objects) -> str
    allowed: tuple[str, ...]
    refused: int  # the status for a signed-in user who is not allowed
    method: str = "get"
    ok: int = 200
    api: bool = False
    data: dict = field(default_factory=dict)
    hidden: tuple[str, ...] = ()  # refused with 404 instead: the thing is not theirs to see


def _requirement(cast) -> int:
    """A requirement everyone in the council needs (made once per test)."""
    from peopleplan.compliance.models import Requirement
    from peopleplan.org.models import Audience, AudienceRule

    found = Requirement.objects.filter(code="MATRIX").first()
    if found is None:
        audience = Audience.objects.create(code="matrix-everyone", name="Everyone")
        AudienceRule.objects.create(audience=audience, kind="unit", values=[cast.council.code])
        found = Requirement.objects.create(code="MATRIX", name="Fire safety", audience=audience)
    return found.pk


def person(who: str):
    return lambda cast, o: getattr(cast, who).person_id


def _record_objects(cast) -> dict:
    """A verified completion and a self-logged one with evidence on the learner's record, and a
    part of a session (started yesterday) that the outsider trains, with the learner booked."""
    now = timezone.now()
    completion = Completion.objects.create(
        person=cast.learner.person,
        item=LearningItemFactory(),
        completed_on=now.date(),
        source=Completion.Source.IMPORT,
        created_at=now,
    )
    logged = Completion.objects.create(
        person=cast.learner.person,
        title="A conference",
        completed_on=now.date(),
        source=Completion.Source.SELF_LOGGED,
        status=Completion.Status.PENDING,
        evidence=SimpleUploadedFile("evidence.txt", b"notes"),
        created_at=now,
    )
    session = SessionFactory(starts_at=now - dt.timedelta(days=1))
    session.trainers.add(cast.outsider.person)
    Booking.objects.create(
        session=session, person=cast.learner.person, status="booked", created_at=now
    )
    return {
        "completion": completion.pk,
        "logged": logged.pk,
        "part": session.parts.get().pk,
        "trained": session.pk,
    }


CASES = [
    # pages
    Case("home", lambda c, o: reverse("home"), EVERYONE, 403),
    Case("org:people", lambda c, o: reverse("org:people"), WITH_ANY_ROLE, 403),
    Case(
        "org:person",
        lambda c, o: reverse("org:person", args=[c.learner.person_id]),
        ("learner", "manager", "senior_manager", *SEES_ADULTS),
        404,
    ),
    Case(
        "org:person",
        lambda c, o: reverse("org:person", args=[c.outsider.person_id]),
        ("outsider", *COUNCIL_WIDE),
        404,
    ),
    Case("org:person", lambda c, o: reverse("org:person", args=[999999]), NO_ONE, 404),
    Case("org:person", lambda c, o: reverse("org:person", args=["not-a-number"]), NO_ONE, 404),
    Case("org:my_team", lambda c, o: reverse("org:my_team"), EVERYONE, 403),
    Case("org:units", lambda c, o: reverse("org:units"), WITH_ANY_ROLE, 403),
    Case("org:unit", lambda c, o: reverse("org:unit", args=[c.adults.pk]), SEES_ADULTS, 404),
    Case("org:unit", lambda c, o: reverse("org:unit", args=[c.childrens.pk]), COUNCIL_WIDE, 404),
    Case("org:unit", lambda c, o: reverse("org:unit", args=[999999]), NO_ONE, 404),
    Case("core:audit", lambda c, o: reverse("core:audit"), IMPORTERS, 403),
    Case(
        "core:audit",
        lambda c, o: reverse("core:audit") + f"?person={c.learner.person_id}",
        (*IMPORTERS, "adults_hr"),
        403,
        hidden=("outsider",),
    ),
    Case("core:import_list", lambda c, o: reverse("core:import_list"), UPLOADERS, 403),
    Case(
        "core:import_list",
        lambda c, o: reverse("core:import_list"),
        UPLOADERS,
        403,
        method="post",
        ok=400,
    ),
    Case(
        "core:import_detail",
        lambda c, o: reverse("core:import_detail", args=[o["run"]]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:import_detail", lambda c, o: reverse("core:import_detail", args=[999999]), NO_ONE, 404
    ),
    Case(
        "core:import_progress",
        lambda c, o: reverse("core:import_progress", args=[o["run"]]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:import_rejected",
        lambda c, o: reverse("core:import_rejected", args=[o["run"]]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:import_apply",
        lambda c, o: reverse("core:import_apply", args=[o["run"]]),
        IMPORTERS,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "core:import_discard",
        lambda c, o: reverse("core:import_discard", args=[o["run"]]),
        IMPORTERS,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "core:import_template",
        lambda c, o: reverse("core:import_template", args=["people"]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:export_download",
        lambda c, o: reverse("core:export_download", args=["people"]),
        IMPORTERS,
        404,
    ),
    Case("admin:index", lambda c, o: reverse("admin:index"), ("sysadmin",), 302),
    Case(
        "admin:org_person_changelist",
        lambda c, o: reverse("admin:org_person_changelist"),
        ("sysadmin",),
        302,
    ),
    # audiences: 403 for anyone whose roles do not open them; 404 for one that does not exist
    Case("org:audience_list", lambda c, o: reverse("org:audience_list"), AUDIENCES, 403),
    Case("org:audience_new", lambda c, o: reverse("org:audience_new"), AUDIENCES, 403),
    Case(
        "org:audience_new",
        lambda c, o: reverse("org:audience_new"),
        AUDIENCES,
        403,
        method="post",
        ok=400,  # nothing given: the name and code are asked for
    ),
    Case(
        "org:audience_new",
        lambda c, o: reverse("org:audience_new"),
        AUDIENCES,
        403,
        method="post",
        data={"action": "preview", "rules": "1", "rule-1-kind": "unit", "rule-1-values": "ADU"},
    ),
    Case(
        "org:audience_detail",
        lambda c, o: reverse("org:audience_detail", args=[o["audience"]]),
        AUDIENCES,
        403,
    ),
    Case(
        "org:audience_detail",
        lambda c, o: reverse("org:audience_detail", args=[999999]),
        NO_ONE,
        403,
        hidden=AUDIENCES,
    ),
    Case(
        "org:audience_edit",
        lambda c, o: reverse("org:audience_edit", args=[o["audience"]]),
        AUDIENCES,
        403,
    ),
    Case(
        "org:audience_edit",
        lambda c, o: reverse("org:audience_edit", args=[o["audience"]]),
        AUDIENCES,
        403,
        method="post",
        ok=400,
    ),
    Case(
        "org:audience_delete",
        lambda c, o: reverse("org:audience_delete", args=[o["audience"]]),
        AUDIENCES,
        403,
    ),
    Case(
        "org:audience_delete",
        lambda c, o: reverse("org:audience_delete", args=[o["fresh_audience"]]),
        AUDIENCES,
        403,
        method="post",
        ok=302,
    ),
    Case("api:audience-list", lambda c, o: "/api/audiences/", AUDIENCES, 403, api=True),
    Case(
        "api:audience-list",
        lambda c, o: "/api/audiences/",
        AUDIENCES,
        403,
        api=True,
        method="post",
        ok=400,  # nothing sent: the code and name are named
    ),
    Case(
        "api:audience-detail",
        lambda c, o: f"/api/audiences/{o['audience']}/",
        AUDIENCES,
        403,
        api=True,
    ),
    Case(
        "api:audience-detail",
        lambda c, o: "/api/audiences/999999/",
        NO_ONE,
        403,
        api=True,
        hidden=AUDIENCES,
    ),
    Case(
        "api:audience-detail",
        lambda c, o: f"/api/audiences/{o['fresh_audience']}/",
        AUDIENCES,
        403,
        api=True,
        method="delete",
        ok=204,
    ),
    Case(
        "api:audience-members",
        lambda c, o: f"/api/audiences/{o['audience']}/members/",
        AUDIENCES,
        403,
        api=True,
    ),
    Case(
        "api:audience-preview",
        lambda c, o: "/api/audiences/preview/",
        AUDIENCES,
        403,
        api=True,
        method="post",
    ),
    # learning
    Case("learning:find", lambda c, o: reverse("learning:find"), EVERYONE, 403),
    Case("learning:item", lambda c, o: reverse("learning:item", args=[o["item"]]), EVERYONE, 404),
    Case("learning:item", lambda c, o: reverse("learning:item", args=[o["retired"]]), NO_ONE, 404),
    Case("learning:item", lambda c, o: reverse("learning:item", args=[999999]), NO_ONE, 404),
    # Who the booking is for: asked only of those who may book for others; everyone else goes
    # straight on to check their answers.
    Case(
        "learning:book_who",
        lambda c, o: reverse("learning:book_who", args=[o["session"]]),
        BOOK_FOR_OTHERS,
        302,
    ),
    Case(
        "learning:book_who", lambda c, o: reverse("learning:book_who", args=[999999]), NO_ONE, 404
    ),
    Case(
        "learning:book_check",
        lambda c, o: reverse("learning:book_check", args=[o["session"]]),
        EVERYONE,
        404,
    ),
    Case(
        "learning:book_check",
        lambda c, o: (
            reverse("learning:book_check", args=[o["session"]]) + f"?person={c.learner.person_id}"
        ),
        BOOK_FOR_LEARNER,
        404,
    ),
    Case(
        "learning:book_check",
        lambda c, o: (
            reverse("learning:book_check", args=[o["session"]]) + f"?person={c.outsider.person_id}"
        ),
        ("outsider", "ld_admin"),
        404,
    ),
    Case(
        "learning:book_many",
        lambda c, o: reverse("learning:book_many", args=[o["session"]]),
        BOOK_FOR_OTHERS,
        403,
    ),
    Case(
        "learning:book_many",
        lambda c, o: reverse("learning:book_many", args=[o["session"]]),
        BOOK_FOR_OTHERS,
        403,
        method="post",
        data={"people": "the-learner", "confirm": "yes"},
    ),
    Case("learning:programmes", lambda c, o: reverse("learning:programmes"), EVERYONE, 403),
    Case(
        "learning:programme",
        lambda c, o: reverse("learning:programme", args=[o["programme"]]),
        EVERYONE,
        404,
    ),
    Case(
        "learning:programme", lambda c, o: reverse("learning:programme", args=[9999]), NO_ONE, 404
    ),
    Case("learning:bookings", lambda c, o: reverse("learning:bookings"), EVERYONE, 403),
    Case(
        "learning:booking_done",
        lambda c, o: reverse("learning:booking_done", args=[o["booking"]]),
        BOOK_FOR_LEARNER,
        404,
    ),
    Case(
        "learning:booking_done",
        lambda c, o: reverse("learning:booking_done", args=[999999]),
        NO_ONE,
        404,
    ),
    Case(
        "learning:booking_cancel",
        lambda c, o: reverse("learning:booking_cancel", args=[o["booking"]]),
        BOOK_FOR_LEARNER,
        404,
    ),
    Case(
        "learning:booking_cancel",
        lambda c, o: reverse("learning:booking_cancel", args=[o["booking"]]),
        BOOK_FOR_LEARNER,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "learning:offer_accept",
        lambda c, o: reverse("learning:offer_accept", args=[o["offer"]]),
        BOOK_FOR_LEARNER,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "learning:offer_decline",
        lambda c, o: reverse("learning:offer_decline", args=[o["offer"]]),
        BOOK_FOR_LEARNER,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "learning:calendar_feed_reset",
        lambda c, o: reverse("learning:calendar_feed_reset"),
        EVERYONE,
        403,
        method="post",
        ok=302,
    ),
    # the record of learning and registers
    Case("learning:record", lambda c, o: reverse("learning:record"), EVERYONE, 403),
    Case("learning:record_team", lambda c, o: reverse("learning:record_team"), EVERYONE, 403),
    Case("learning:record_log", lambda c, o: reverse("learning:record_log"), EVERYONE, 403),
    Case(
        "learning:record_log",
        lambda c, o: reverse("learning:record_log"),
        EVERYONE,
        403,
        method="post",
        data={"title": "", "completed_on": "", "hours": ""},  # refused input: the form again
    ),
    Case("learning:record_verify", lambda c, o: reverse("learning:record_verify"), VERIFIERS, 403),
    Case(
        "learning:record_verify",
        lambda c, o: reverse("learning:record_verify"),
        VERIFIERS,
        403,
        method="post",
        ok=400,
        data={"completion": "", "decision": ""},
    ),
    Case(
        "learning:record_person",
        lambda c, o: reverse("learning:record_person", args=[c.learner.person_id]),
        ("learner", *RECORD_READERS),
        404,
    ),
    Case(
        "learning:record_person",
        lambda c, o: reverse("learning:record_person", args=[c.outsider.person_id]),
        ("outsider", "ld_admin", "hr_officer"),
        404,
    ),
    Case(
        "learning:record_person",
        lambda c, o: reverse("learning:record_person", args=[999999]),
        NO_ONE,
        404,
    ),
    Case(
        "learning:record_certificate",
        lambda c, o: reverse("learning:record_certificate", args=[o["completion"]]),
        ("learner", *RECORD_READERS),
        404,
    ),
    Case(
        "learning:record_certificate",
        lambda c, o: reverse("learning:record_certificate", args=[o["logged"]]),
        NO_ONE,  # waiting for verification: no certificate yet
        404,
    ),
    Case(
        "learning:record_evidence",
        lambda c, o: reverse("learning:record_evidence", args=[o["logged"]]),
        ("learner", *VERIFIERS),
        404,
    ),
    Case(
        "learning:record_evidence",
        lambda c, o: reverse("learning:record_evidence", args=[o["completion"]]),
        NO_ONE,  # no evidence
        404,
    ),
    Case(
        "learning:register",
        lambda c, o: reverse("learning:register", args=[o["part"]]),
        MARKS_REGISTER,
        404,
    ),
    Case(
        "learning:register",
        lambda c, o: reverse("learning:register", args=[o["part"]]),
        MARKS_REGISTER,
        404,
        method="post",
        ok=302,
        data={"all": "attended"},
    ),
    Case(
        "learning:register", lambda c, o: reverse("learning:register", args=[999999]), NO_ONE, 404
    ),
    Case(
        "core:import_template",
        lambda c, o: reverse("core:import_template", args=["completions"]),
        ("ld_admin", "sysadmin"),
        404,
    ),
    Case(
        "core:export_download",
        lambda c, o: reverse("core:export_download", args=["completions"]),
        ("ld_admin", "sysadmin"),
        404,
    ),
    # evaluation: a form is answered only by the person asked; results are for council-wide
    # L&D and senior leaders, and for trainers (the outsider trains a session) about their own
    Case("learning:evaluations", lambda c, o: reverse("learning:evaluations"), EVERYONE, 403),
    Case(
        "learning:evaluation_respond",
        lambda c, o: reverse("learning:evaluation_respond", args=[o["feedback"]]),
        ("learner",),
        404,
    ),
    Case(
        "learning:evaluation_respond",
        lambda c, o: reverse("learning:evaluation_respond", args=[o["feedback"]]),
        ("learner",),
        404,
        method="post",
        ok=400,
        data={"overall": "9"},  # refused input: the form again, naming the questions
    ),
    Case(
        "learning:evaluation_respond",
        lambda c, o: reverse("learning:evaluation_respond", args=[o["feedback"]]),
        ("learner",),
        404,
        method="post",
        ok=302,
        data={"outcomes": "5", "trainer": "5", "use": "5", "arrangements": "5", "overall": "5"},
    ),
    Case(
        "learning:evaluation_respond",
        lambda c, o: reverse("learning:evaluation_respond", args=[o["impact_manager"]]),
        ("manager",),
        404,
    ),
    Case(
        "learning:evaluation_respond",
        lambda c, o: reverse("learning:evaluation_respond", args=[999999]),
        NO_ONE,
        404,
    ),
    Case(
        "learning:evaluation_results",
        lambda c, o: reverse("learning:evaluation_results"),
        EVALUATION_RESULTS,
        403,
    ),
    Case(
        "learning:evaluation_results",
        lambda c, o: reverse("learning:evaluation_results") + "?group=trainer&date_from=nonsense",
        EVALUATION_RESULTS,
        403,
    ),
    # the API
    Case("api:api-root", lambda c, o: "/api/", EVERYONE, 403, api=True),
    Case("api:schema", lambda c, o: "/api/schema/", EVERYONE, 403, api=True),
    Case("api:docs", lambda c, o: "/api/docs/", EVERYONE, 403, api=True),
    Case("api:unit-list", lambda c, o: "/api/units/", EVERYONE, 403, api=True),
    Case("api:unit-detail", lambda c, o: f"/api/units/{c.adults.pk}/", SEES_ADULTS, 404, api=True),
    Case("api:grade-list", lambda c, o: "/api/grades/", EVERYONE, 403, api=True),
    Case("api:grade-detail", lambda c, o: f"/api/grades/{o['grade']}/", EVERYONE, 404, api=True),
    Case("api:job-role-list", lambda c, o: "/api/job-roles/", EVERYONE, 403, api=True),
    Case(
        "api:job-role-detail",
        lambda c, o: f"/api/job-roles/{o['job_role']}/",
        EVERYONE,
        404,
        api=True,
    ),
    Case("api:post-list", lambda c, o: "/api/posts/", EVERYONE, 403, api=True),
    Case("api:post-detail", lambda c, o: f"/api/posts/{o['post']}/", SEES_ADULTS, 404, api=True),
    Case("api:person-list", lambda c, o: "/api/people/", EVERYONE, 403, api=True),
    Case(
        "api:person-detail",
        lambda c, o: f"/api/people/{c.learner.person_id}/",
        ("learner", "manager", "senior_manager", *SEES_ADULTS),
        404,
        api=True,
    ),
    Case(
        "api:person-detail",
        lambda c, o: f"/api/people/{c.outsider.person_id}/",
        ("outsider", *COUNCIL_WIDE),
        404,
        api=True,
    ),
    Case("api:person-detail", lambda c, o: "/api/people/999999/", NO_ONE, 404, api=True),
    Case(
        "api:person-assignments",
        lambda c, o: f"/api/people/{c.learner.person_id}/assignments/",
        ("learner", "manager", "senior_manager", *SEES_ADULTS),
        404,
        api=True,
    ),
    Case(
        "api:person-equality",
        lambda c, o: f"/api/people/{c.learner.person_id}/equality/",
        ("hr_equality",),
        404,
        api=True,
    ),
    Case("learning:approvals", lambda c, o: reverse("learning:approvals"), EVERYONE, 403),
    Case(
        "learning:approval_decide",
        lambda c, o: reverse("learning:approval_decide", args=[o["approval"]]),
        ("manager",),
        404,
        method="post",
        ok=302,
        data={"decision": "approve"},
    ),
    # the learning API
    Case("api:learning-item-list", lambda c, o: "/api/learning/items/", EVERYONE, 403, api=True),
    Case(
        "api:learning-item-detail",
        lambda c, o: f"/api/learning/items/{o['item']}/",
        EVERYONE,
        404,
        api=True,
    ),
    Case(
        "api:learning-session-list", lambda c, o: "/api/learning/sessions/", EVERYONE, 403, api=True
    ),
    Case(
        "api:learning-session-detail",
        lambda c, o: f"/api/learning/sessions/{o['session']}/",
        EVERYONE,
        404,
        api=True,
    ),
    Case(
        "api:learning-booking-list", lambda c, o: "/api/learning/bookings/", EVERYONE, 403, api=True
    ),
    Case(
        "api:learning-booking-list",
        lambda c, o: f"/api/learning/bookings/?s={o['session']}",
        EVERYONE,
        403,
        api=True,
        method="post",
        ok=201,
        data={"session": "from-url"},
    ),
    Case(
        "api:learning-programme-list",
        lambda c, o: "/api/learning/programmes/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:learning-programme-detail",
        lambda c, o: f"/api/learning/programmes/{o['programme']}/",
        EVERYONE,
        404,
        api=True,
    ),
    Case(
        "api:learning-booking-many",
        lambda c, o: f"/api/learning/bookings/many/?s={o['session']}",
        BOOK_FOR_OTHERS,
        403,
        api=True,
        method="post",
        ok=201,
        data={"session": "from-url", "people": "the-learner"},
    ),
    Case(
        "api:learning-booking-detail",
        lambda c, o: f"/api/learning/bookings/{o['booking']}/",
        BOOK_FOR_LEARNER,
        404,
        api=True,
    ),
    Case(
        "api:learning-booking-cancel",
        lambda c, o: f"/api/learning/bookings/{o['booking']}/cancel/",
        BOOK_FOR_LEARNER,
        404,
        api=True,
        method="post",
    ),
    Case(
        "api:learning-booking-accept",
        lambda c, o: f"/api/learning/bookings/{o['booking']}/accept/",
        BOOK_FOR_LEARNER,
        404,
        api=True,
        method="post",
        ok=400,
    ),
    Case(
        "api:learning-booking-decline",
        lambda c, o: f"/api/learning/bookings/{o['booking']}/decline/",
        BOOK_FOR_LEARNER,
        404,
        api=True,
        method="post",
        ok=400,
    ),
    Case(
        "api:learning-approval-list",
        lambda c, o: "/api/learning/approvals/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:learning-approval-decide",
        lambda c, o: f"/api/learning/approvals/{o['approval']}/decide/",
        ("manager",),
        404,
        api=True,
        method="post",
        data={"approve": "true"},
    ),
    # the evaluation API
    Case(
        "api:learning-evaluation-list",
        lambda c, o: "/api/learning/evaluations/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:learning-evaluation-detail",
        lambda c, o: f"/api/learning/evaluations/{o['feedback']}/",
        ("learner",),
        404,
        api=True,
    ),
    Case(
        "api:learning-evaluation-detail",
        lambda c, o: f"/api/learning/evaluations/{o['impact_manager']}/",
        ("manager",),
        404,
        api=True,
    ),
    Case(
        "api:learning-evaluation-respond",
        lambda c, o: f"/api/learning/evaluations/{o['feedback']}/respond/",
        ("learner",),
        404,
        api=True,
        method="post",
        data={"outcomes": "5", "trainer": "5", "use": "5", "arrangements": "5", "overall": "5"},
    ),
    Case(
        "api:learning-evaluation-respond",
        lambda c, o: f"/api/learning/evaluations/{o['feedback']}/respond/",
        ("learner",),
        404,
        api=True,
        method="post",
        ok=400,
        data={"overall": "9"},
    ),
    Case(
        "api:learning-evaluation-result-list",
        lambda c, o: "/api/learning/evaluation-results/",
        EVALUATION_RESULTS,
        403,
        api=True,
    ),
    # L&D's sessions (session_views)
    Case(
        "learning:session_list", lambda c, o: reverse("learning:session_list"), SEES_SESSIONS, 403
    ),
    Case("learning:session_new", lambda c, o: reverse("learning:session_new"), ("ld_admin",), 403),
    Case(
        "learning:session_detail",
        lambda c, o: reverse("learning:session_detail", args=[o["session"]]),
        ("ld_admin",),
        404,
    ),
    Case(
        "learning:session_detail",
        lambda c, o: reverse("learning:session_detail", args=[o["trained"]]),
        SEES_SESSIONS,
        404,
    ),
    Case(
        "learning:session_detail",
        lambda c, o: reverse("learning:session_detail", args=[999999]),
        NO_ONE,
        404,
    ),
    Case(
        "learning:session_edit",
        lambda c, o: reverse("learning:session_edit", args=[o["session"]]),
        ("ld_admin",),
        404,
    ),
    Case(
        "learning:session_edit",
        lambda c, o: reverse("learning:session_edit", args=[o["trained"]]),
        ("ld_admin",),
        403,  # the trainer sees the session but does not change it
        hidden=NOT_TRAINING,
    ),
    Case(
        "learning:session_open",
        lambda c, o: reverse("learning:session_open", args=[o["planned"]]),
        ("ld_admin",),
        404,
        method="post",
        ok=302,
    ),
    Case(
        "learning:session_cancel",
        lambda c, o: reverse("learning:session_cancel", args=[o["session"]]),
        ("ld_admin",),
        404,
    ),
    Case(
        "learning:session_cancel",
        lambda c, o: reverse("learning:session_cancel", args=[o["cancellable"]]),
        ("ld_admin",),
        404,
        method="post",
        ok=302,
        data={"reason": "The trainer is ill"},
    ),
    Case(
        "learning:session_offer",
        lambda c, o: reverse("learning:session_offer", args=[o["trained"]]),
        ("ld_admin",),
        403,
        method="post",
        ok=400,  # no one is waiting: said on the page
        hidden=NOT_TRAINING,
    ),
    Case(
        "learning:session_reserve",
        lambda c, o: reverse("learning:session_reserve", args=[o["session"]]),
        ("ld_admin",),
        404,
    ),
    Case(
        "learning:session_reserve",
        lambda c, o: reverse("learning:session_reserve", args=[o["trained"]]),
        ("ld_admin",),
        403,  # the trainer sees the session but does not change it
        hidden=NOT_TRAINING,
        method="post",
        ok=302,
        data={"holder": "unit", "unit_code": "ADU", "places": 1},
    ),
    Case(
        "learning:reservation_remove",
        lambda c, o: reverse("learning:reservation_remove", args=o["reservation"]),
        ("ld_admin",),
        404,
        method="post",
        ok=302,
    ),
    Case(
        "learning:booking_move_choose",
        lambda c, o: reverse("learning:booking_move_choose", args=[o["booking"]]),
        ("ld_admin",),
        403,
    ),
    Case(
        "learning:booking_move_check",
        lambda c, o: (
            reverse("learning:booking_move_check", args=[o["booking"]]) + f"?to={o['session']}"
        ),
        ("ld_admin",),
        403,
    ),
    Case(
        "learning:booking_move_check",
        lambda c, o: (
            reverse("learning:booking_move_check", args=[o["booking"]]) + f"?to={o['session']}"
        ),
        ("ld_admin",),
        403,
        method="post",
        ok=302,
    ),
    Case(
        "learning:booking_moved",
        lambda c, o: reverse("learning:booking_moved", args=[o["moved"]]),
        ("ld_admin",),
        403,
    ),
    Case(
        "api:learning-manage-session-list",
        lambda c, o: "/api/learning/manage/sessions/",
        SEES_SESSIONS,
        403,
        api=True,
    ),
    Case(
        "api:learning-manage-session-list",
        lambda c, o: "/api/learning/manage/sessions/",
        ("ld_admin",),
        403,
        api=True,
        method="post",
        ok=400,  # nothing sent: each field missing is named
    ),
    Case(
        "api:learning-manage-session-detail",
        lambda c, o: f"/api/learning/manage/sessions/{o['trained']}/",
        SEES_SESSIONS,
        404,
        api=True,
    ),
    Case(
        "api:learning-manage-session-bookings",
        lambda c, o: f"/api/learning/manage/sessions/{o['trained']}/bookings/",
        SEES_SESSIONS,
        404,
        api=True,
    ),
    Case(
        "api:learning-manage-session-open",
        lambda c, o: f"/api/learning/manage/sessions/{o['planned']}/open/",
        ("ld_admin",),
        404,
        api=True,
        method="post",
    ),
    Case(
        "api:learning-manage-session-cancel",
        lambda c, o: f"/api/learning/manage/sessions/{o['cancellable']}/cancel/",
        ("ld_admin",),
        404,
        api=True,
        method="post",
        data={"reason": "The venue is closed"},
    ),
    Case(
        "api:learning-manage-session-offer",
        lambda c, o: f"/api/learning/manage/sessions/{o['trained']}/offer/",
        ("ld_admin",),
        403,
        api=True,
        method="post",
        ok=400,
        hidden=NOT_TRAINING,
    ),
    Case(
        "api:learning-manage-session-move",
        lambda c, o: f"/api/learning/manage/sessions/{o['session']}/move/",
        ("ld_admin",),
        404,
        api=True,
        method="post",
        ok=400,  # nothing sent: the booking and the session to move to are named
    ),
    # the record of learning and registers API: the pages' access
    Case(
        "api:learning-record-me", lambda c, o: "/api/learning/records/me/", EVERYONE, 403, api=True
    ),
    Case(
        "api:learning-record-detail",
        lambda c, o: f"/api/learning/records/{c.learner.person_id}/",
        ("learner", *RECORD_READERS),
        404,
        api=True,
    ),
    Case(
        "api:learning-record-detail",
        lambda c, o: f"/api/learning/records/{c.outsider.person_id}/",
        ("outsider", "ld_admin", "hr_officer"),
        404,
        api=True,
    ),
    Case(
        "api:learning-record-detail",
        lambda c, o: "/api/learning/records/999999/",
        NO_ONE,
        404,
        api=True,
    ),
    Case(
        "api:learning-record-team",
        lambda c, o: "/api/learning/records/team/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:learning-completion-list",
        lambda c, o: "/api/learning/completions/",
        EVERYONE,
        403,
        api=True,
        method="post",
        ok=201,
        data={
            "title": "Reading",
            "completed_on": "2024-05-01",
            "hours": "2",
            "learning_notes": "Notes",
        },
    ),
    Case(
        "api:learning-completion-list",
        lambda c, o: "/api/learning/completions/",
        EVERYONE,
        403,
        api=True,
        method="post",
        ok=400,
        data={"title": "", "completed_on": "", "hours": ""},
    ),
    Case(
        "api:learning-completion-waiting",
        lambda c, o: "/api/learning/completions/waiting/",
        VERIFIERS,
        403,
        api=True,
    ),
    Case(
        "api:learning-completion-verify",
        lambda c, o: f"/api/learning/completions/{o['pending']}/verify/",
        VERIFIERS,
        403,
        api=True,
        method="post",
        data={"verified": "true"},
    ),
    Case(
        "api:learning-completion-verify",
        lambda c, o: f"/api/learning/completions/{o['logged']}/verify/",
        VERIFIERS,
        403,
        api=True,
        method="post",
        ok=400,
        data={"verified": "false", "reason": ""},
    ),
    Case(
        "api:learning-completion-verify",
        lambda c, o: f"/api/learning/completions/{o['outsider_pending']}/verify/",
        ("ld_admin",),  # the learner's managers do not verify the outsider's learning
        403,
        api=True,
        method="post",
        data={"verified": "true"},
        hidden=("manager", "senior_manager"),
    ),
    Case(
        "api:learning-completion-verify",
        lambda c, o: "/api/learning/completions/999999/verify/",
        NO_ONE,
        403,
        api=True,
        method="post",
        data={"verified": "true"},
        hidden=VERIFIERS,
    ),
    Case(
        "api:learning-register-detail",
        lambda c, o: f"/api/learning/registers/{o['part']}/",
        MARKS_REGISTER,
        404,
        api=True,
    ),
    Case(
        "api:learning-register-detail",
        lambda c, o: "/api/learning/registers/999999/",
        NO_ONE,
        404,
        api=True,
    ),
    Case(
        "api:learning-register-marks",
        lambda c, o: f"/api/learning/registers/{o['part']}/marks/",
        MARKS_REGISTER,
        404,
        api=True,
        method="post",
        data={"all": "attended"},
    ),
    Case(
        "api:learning-register-marks",
        lambda c, o: f"/api/learning/registers/{o['part']}/marks/",
        MARKS_REGISTER,
        404,
        api=True,
        method="post",
        ok=400,
        data={"all": "no_show"},
    ),
    # compliance: my compliance, a person's, the team matrix (status_views, status_api)
    Case("compliance:mine", lambda c, o: reverse("compliance:mine"), EVERYONE, 403),
    Case(
        "compliance:person",
        lambda c, o: reverse("compliance:person", args=[c.learner.person_id]),
        COMPLIANCE_OF_LEARNER,
        404,
    ),
    Case(
        "compliance:person",
        lambda c, o: reverse("compliance:person", args=[c.outsider.person_id]),
        ("outsider", "ld_admin", "hr_officer"),
        404,
    ),
    Case("compliance:person", lambda c, o: "/compliance/people/999999/", NO_ONE, 404),
    Case("compliance:team", lambda c, o: reverse("compliance:team"), EVERYONE, 403),
    Case(
        "compliance:team",
        lambda c, o: f"{reverse('compliance:team')}?unit={c.adults.pk}",
        UNIT_MATRIX_ADULTS,
        404,
    ),
    Case(
        "compliance:team",
        lambda c, o: f"{reverse('compliance:team')}?unit={c.childrens.pk}",
        UNIT_MATRIX_CHILDRENS,
        404,
    ),
    Case("compliance:team_export", lambda c, o: reverse("compliance:team_export"), EVERYONE, 403),
    Case(
        "compliance:team_export",
        lambda c, o: f"{reverse('compliance:team_export')}?unit={c.adults.pk}&format=xlsx",
        UNIT_MATRIX_ADULTS,
        404,
    ),
    Case(
        "api:compliance-status-me",
        lambda c, o: "/api/compliance/statuses/me/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:compliance-status-person-detail",
        lambda c, o: f"/api/compliance/statuses/people/{c.learner.person_id}/",
        COMPLIANCE_OF_LEARNER,
        404,
        api=True,
    ),
    Case(
        "api:compliance-status-person-detail",
        lambda c, o: f"/api/compliance/statuses/people/{c.outsider.person_id}/",
        ("outsider", "ld_admin", "hr_officer"),
        404,
        api=True,
    ),
    Case(
        "api:compliance-status-person-detail",
        lambda c, o: "/api/compliance/statuses/people/999999/",
        NO_ONE,
        404,
        api=True,
    ),
    Case(
        "api:compliance-status-team",
        lambda c, o: "/api/compliance/statuses/team/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:compliance-status-team",
        lambda c, o: f"/api/compliance/statuses/team/?unit={c.adults.pk}",
        UNIT_MATRIX_ADULTS,
        404,
        api=True,
    ),
    # compliance in numbers (summary_views, summary_api): L&D, HR and senior leaders read the
    # numbers in their scope; only L&D and HR see the people behind them (senior leaders: 403)
    Case("compliance:summary", lambda c, o: reverse("compliance:summary"), SUMMARY_READERS, 403),
    Case(
        "compliance:summary",
        lambda c, o: reverse("compliance:summary") + f"?unit={c.childrens.pk}",
        SUMMARY_READERS,
        403,
        hidden=("adults_hr",),
    ),
    Case(
        "compliance:summary",
        lambda c, o: reverse("compliance:summary") + "?format=xlsx",
        SUMMARY_READERS,
        403,
    ),
    Case(
        "compliance:summary_people",
        lambda c, o: reverse("compliance:summary_people") + f"?requirement={_requirement(c)}",
        SUMMARY_NAMES,
        403,
    ),
    Case(
        "compliance:summary_people",
        lambda c, o: (
            reverse("compliance:summary_people")
            + f"?requirement={_requirement(c)}&unit={c.childrens.pk}&status=overdue"
        ),
        SUMMARY_NAMES,
        403,
        hidden=("adults_hr",),
    ),
    Case(
        "compliance:summary_people",
        lambda c, o: reverse("compliance:summary_people") + "?requirement=999999",
        NO_ONE,
        403,
        hidden=SUMMARY_NAMES,
    ),
    Case(
        "compliance:expiring",
        lambda c, o: reverse("compliance:expiring") + f"?days=90&requirement={_requirement(c)}",
        SUMMARY_READERS,
        403,
    ),
    Case("compliance:overview", lambda c, o: reverse("compliance:overview"), SUMMARY_READERS, 403),
    Case(
        "compliance:full_export", lambda c, o: reverse("compliance:full_export"), SUMMARY_NAMES, 403
    ),
    Case(
        "api:compliance-summary-list",
        lambda c, o: "/api/compliance/summary/",
        SUMMARY_READERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-summary-list",
        lambda c, o: f"/api/compliance/summary/?unit={c.childrens.pk}",
        SUMMARY_READERS,
        403,
        api=True,
        hidden=("adults_hr",),
    ),
    Case(
        "api:compliance-summary-people-list",
        lambda c, o: f"/api/compliance/summary/people/?requirement={_requirement(c)}",
        SUMMARY_NAMES,
        403,
        api=True,
    ),
    Case(
        "api:compliance-expiring-list",
        lambda c, o: f"/api/compliance/expiring/?requirement={_requirement(c)}",
        SUMMARY_READERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-overview-list",
        lambda c, o: "/api/compliance/overview/",
        SUMMARY_READERS,
        403,
        api=True,
    ),
]

# --- compliance: requirements, credential types, the demand forecast
# Council-wide HR officers, L&D administrators and system administrators keep requirements;
# the forecast is theirs and the compliance-summary users' (adults_hr: their units).
REQUIREMENT_ADMINS = ("ld_admin", "hr_officer", "sysadmin")
FORECAST_READERS = ("ld_admin", "hr_officer", "adults_hr", "senior_leader", "sysadmin")


def _requirement_id() -> int:
    from peopleplan.compliance.models import Requirement
    from peopleplan.org.models import Audience

    audience, _ = Audience.objects.get_or_create(code="matrix", defaults={"name": "Matrix"})
    req, _ = Requirement.objects.get_or_create(
        code="MATRIX", defaults={"name": "Matrix", "audience": audience}
    )
    return req.pk


def _credential_type_id() -> int:
    from peopleplan.compliance.models import CredentialType

    kind, _ = CredentialType.objects.get_or_create(
        code="MATRIX", defaults={"name": "Matrix", "kind": "certificate"}
    )
    return kind.pk


def _req_url(name: str, pk=None) -> Callable:
    return lambda c, o: reverse(f"compliance:{name}", args=[pk or _requirement_id()])


CASES += [
    Case(
        "compliance:requirement_list",
        lambda c, o: reverse("compliance:requirement_list"),
        REQUIREMENT_ADMINS,
        403,
    ),
    Case(
        "compliance:requirement_new",
        lambda c, o: reverse("compliance:requirement_new"),
        REQUIREMENT_ADMINS,
        403,
    ),
    Case(
        "compliance:requirement_new",
        lambda c, o: reverse("compliance:requirement_new"),
        REQUIREMENT_ADMINS,
        403,
        method="post",
        data={"code": ""},  # refused, with the problems: the page again
    ),
    Case("compliance:requirement_detail", _req_url("requirement_detail"), REQUIREMENT_ADMINS, 403),
    Case(
        "compliance:requirement_detail",
        _req_url("requirement_detail", 999999),
        NO_ONE,
        403,
        hidden=REQUIREMENT_ADMINS,
    ),
    Case("compliance:requirement_edit", _req_url("requirement_edit"), REQUIREMENT_ADMINS, 403),
    Case(
        "compliance:requirement_edit",
        _req_url("requirement_edit"),
        REQUIREMENT_ADMINS,
        403,
        method="post",
        data={"name": ""},
    ),
    Case(
        "compliance:credential_type_list",
        lambda c, o: reverse("compliance:credential_type_list"),
        REQUIREMENT_ADMINS,
        403,
    ),
    Case(
        "compliance:credential_type_new",
        lambda c, o: reverse("compliance:credential_type_new"),
        REQUIREMENT_ADMINS,
        403,
    ),
    Case(
        "compliance:credential_type_new",
        lambda c, o: reverse("compliance:credential_type_new"),
        REQUIREMENT_ADMINS,
        403,
        method="post",
        data={"code": ""},
    ),
    Case(
        "compliance:credential_type_edit",
        lambda c, o: reverse("compliance:credential_type_edit", args=[_credential_type_id()]),
        REQUIREMENT_ADMINS,
        403,
    ),
    Case(
        "compliance:credential_type_edit",
        lambda c, o: reverse("compliance:credential_type_edit", args=[999999]),
        NO_ONE,
        403,
        hidden=REQUIREMENT_ADMINS,
    ),
    Case("compliance:forecast", lambda c, o: reverse("compliance:forecast"), FORECAST_READERS, 403),
    Case(
        "compliance:forecast_export",
        lambda c, o: reverse("compliance:forecast_export") + "?format=xlsx",
        FORECAST_READERS,
        403,
    ),
    Case(
        "api:compliance-requirement-list",
        lambda c, o: "/api/compliance/requirements/",
        REQUIREMENT_ADMINS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-requirement-list",
        lambda c, o: "/api/compliance/requirements/",
        REQUIREMENT_ADMINS,
        403,
        api=True,
        method="post",
        ok=400,
        data={"code": ""},
    ),
    Case(
        "api:compliance-requirement-detail",
        lambda c, o: f"/api/compliance/requirements/{_requirement_id()}/",
        REQUIREMENT_ADMINS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-requirement-detail",
        lambda c, o: "/api/compliance/requirements/999999/",
        NO_ONE,
        403,
        api=True,
        hidden=REQUIREMENT_ADMINS,
    ),
    Case(
        "api:compliance-credential-type-list",
        lambda c, o: "/api/compliance/credential-types/",
        REQUIREMENT_ADMINS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-credential-type-list",
        lambda c, o: "/api/compliance/credential-types/",
        REQUIREMENT_ADMINS,
        403,
        api=True,
        method="post",
        ok=400,
        data={"code": ""},
    ),
    Case(
        "api:compliance-credential-type-detail",
        lambda c, o: f"/api/compliance/credential-types/{_credential_type_id()}/",
        REQUIREMENT_ADMINS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-credential-type-detail",
        lambda c, o: "/api/compliance/credential-types/999999/",
        NO_ONE,
        403,
        api=True,
        hidden=REQUIREMENT_ADMINS,
    ),
    Case(
        "api:compliance-forecast-list",
        lambda c, o: "/api/compliance/forecast/",
        FORECAST_READERS,
        403,
        api=True,
    ),
]

# --- compliance: credentials, status checks, exemptions
# HR officers keep the credentials of the people their grant covers (never their own): they
# read the numbers and evidence. The person sees and adds their own; managers see none of it.
KEEPERS = ("hr_officer", "adults_hr")


def _credential_objects(cast) -> dict:
    """Credential types; the learner's own credential waiting for HR, with evidence; the
    learner's DBS check on the Update Service; the outsider's own credential; an exemption of
    the learner."""
    ctype = CredentialType.objects.create(code="FA", name="First aid", kind="certificate")
    dbs_type = CredentialType.objects.create(code="DBS", name="DBS check", kind="dbs")

    def own(who) -> int:
        return compliance_services.credential_record(
            person=getattr(cast, who).person,
            type=ctype,
            actor=None,
            verified=False,
            evidence=SimpleUploadedFile("certificate.pdf", b"%PDF"),
            issued_on=dt.date(2025, 1, 1),
        ).pk

    dbs = compliance_services.credential_record(
        person=cast.learner.person,
        type=dbs_type,
        actor=None,
        issued_on=dt.date(2025, 1, 1),
        number="001234567890",
        dbs_level="enhanced",
        workforce="child",
        update_service=True,
    )
    audience = Audience.objects.create(code="all", name="Everyone")
    AudienceRule.objects.create(audience=audience, kind="unit", values=[cast.council.code])
    requirement = compliance_services.requirement_create(
        actor=None, code="FA", name="First aid", audience=audience, credential_type=ctype
    )
    exemption = compliance_services.exemption_grant(
        person=cast.learner.person,
        requirement=requirement,
        reason="Leave",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2099, 1, 1),
        actor=None,
    )
    made = itertools.count(1)

    def fresh_exemption() -> int:
        """An exemption of the learner from a requirement of its own, to end early."""
        n = next(made)
        return compliance_services.exemption_grant(
            person=cast.learner.person,
            requirement=compliance_services.requirement_create(
                actor=None, code=f"R{n}", name=f"R{n}", audience=audience, credential_type=ctype
            ),
            reason="Leave",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2099, 1, 1),
            actor=None,
        ).pk

    return {
        "ctype": ctype.pk,
        "fresh_own": lambda: own("learner"),
        "fresh_exemption": fresh_exemption,
        "requirement": requirement.pk,
        "own_credential": own("learner"),
        "outsider_credential": own("outsider"),
        "dbs": dbs.pk,
        "exemption": exemption.pk,
    }


def _pc(name: str, who: str = "learner", *extra: str):
    """A URL under a person's credentials or exemptions; `extra` names objects for its args."""
    return lambda c, o: reverse(
        f"compliance:{name}", args=[getattr(c, who).person_id, *(o[e] for e in extra)]
    )


CASES += [
    Case("compliance:person_credentials", _pc("person_credentials"), KEEPERS, 403),
    Case(
        "compliance:person_credentials",
        _pc("person_credentials", "outsider"),
        ("hr_officer",),
        403,
        hidden=("adults_hr",),
    ),
    Case(
        "compliance:person_credentials",
        _pc("person_credentials", "hr_officer"),
        NO_ONE,
        403,
        hidden=KEEPERS,  # never their own; Adults HR do not cover the council's staff
    ),
    Case("compliance:person_credential_add", _pc("person_credential_add"), KEEPERS, 403),
    Case(
        "compliance:person_credential_add",
        lambda c, o: _pc("person_credential_add")(c, o) + f"?type={o['ctype']}",
        KEEPERS,
        403,
        method="post",
        ok=302,
        data={"issued_on": "2025-02-01"},
    ),
    Case(
        "compliance:person_credential_add",
        _pc("person_credential_add", "outsider"),
        ("hr_officer",),
        403,
        hidden=("adults_hr",),
    ),
    Case(
        "compliance:person_credential_change",
        _pc("person_credential_change", "learner", "dbs"),
        KEEPERS,
        403,
    ),
    Case(
        "compliance:person_credential_change",
        _pc("person_credential_change", "outsider", "outsider_credential"),
        ("hr_officer",),
        403,
        hidden=("adults_hr",),
    ),
    Case(
        "compliance:person_credential_change",
        _pc("person_credential_change", "outsider", "dbs"),  # not the outsider's
        NO_ONE,
        403,
        hidden=KEEPERS,
    ),
    Case(
        "compliance:person_credential_check",
        _pc("person_credential_check", "learner", "dbs"),
        KEEPERS,
        403,
    ),
    Case(
        "compliance:person_credential_check",
        _pc("person_credential_check", "learner", "dbs"),
        KEEPERS,
        403,
        method="post",
        ok=302,
        data={"checked_on": "2025-06-01", "result": "clear"},
    ),
    Case("compliance:person_exemptions", _pc("person_exemptions"), KEEPERS, 403),
    Case(
        "compliance:person_exemptions",
        _pc("person_exemptions", "outsider"),
        ("hr_officer",),
        403,
        hidden=("adults_hr",),
    ),
    Case("compliance:exemption_grant", _pc("exemption_grant"), KEEPERS, 403),
    Case("compliance:exemption_end", _pc("exemption_end", "learner", "exemption"), KEEPERS, 403),
    Case(
        "compliance:exemption_end",
        _pc("exemption_end", "outsider", "exemption"),  # not the outsider's
        NO_ONE,
        403,
        hidden=("hr_officer", "adults_hr"),
    ),
    Case(
        "compliance:credentials_mine",
        lambda c, o: reverse("compliance:credentials_mine"),
        EVERYONE,
        403,
    ),
    Case(
        "compliance:credentials_mine_add",
        lambda c, o: reverse("compliance:credentials_mine_add"),
        EVERYONE,
        403,
    ),
    Case(
        "compliance:credentials_verify",
        lambda c, o: reverse("compliance:credentials_verify"),
        KEEPERS,
        403,
    ),
    Case(
        "compliance:credential_evidence",
        lambda c, o: reverse("compliance:credential_evidence", args=[o["own_credential"]]),
        ("learner", *KEEPERS),
        404,
    ),
    Case(
        "compliance:credential_evidence",
        lambda c, o: reverse("compliance:credential_evidence", args=[o["outsider_credential"]]),
        ("outsider", "hr_officer"),
        404,
    ),
    Case(
        "compliance:credential_evidence",
        lambda c, o: reverse("compliance:credential_evidence", args=[o["dbs"]]),
        NO_ONE,  # no evidence
        404,
    ),
    Case(
        "core:export_download",
        lambda c, o: reverse("core:export_download", args=["credentials"]),
        IMPORTERS,  # compliance.import: council-wide HR officers and system administrators
        404,
    ),
    # the API
    Case(
        "api:compliance-credential-list",
        lambda c, o: "/api/compliance/credentials/",
        KEEPERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-credential-detail",
        lambda c, o: f"/api/compliance/credentials/{o['dbs']}/",
        KEEPERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-credential-detail",
        lambda c, o: f"/api/compliance/credentials/{o['outsider_credential']}/",
        ("hr_officer",),
        403,
        api=True,
        hidden=("adults_hr",),
    ),
    Case(
        "api:compliance-credential-waiting",
        lambda c, o: "/api/compliance/credentials/waiting/",
        KEEPERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-credential-verify",
        lambda c, o: f"/api/compliance/credentials/{o['fresh_own']}/verify/",
        KEEPERS,
        403,
        method="post",
        api=True,
        data={"verified": "true"},
    ),
    Case(
        "api:compliance-credential-status-checks",
        lambda c, o: f"/api/compliance/credentials/{o['dbs']}/status-checks/",
        KEEPERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-my-credential-list",
        lambda c, o: "/api/compliance/my-credentials/",
        EVERYONE,
        403,
        api=True,
    ),
    Case(
        "api:compliance-exemption-list",
        lambda c, o: "/api/compliance/exemptions/",
        KEEPERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-exemption-detail",
        lambda c, o: f"/api/compliance/exemptions/{o['exemption']}/",
        KEEPERS,
        403,
        api=True,
    ),
    Case(
        "api:compliance-exemption-end",
        lambda c, o: f"/api/compliance/exemptions/{o['fresh_exemption']}/end/",
        KEEPERS,
        403,
        method="post",
        api=True,
        data={"on": "2030-01-01"},
    ),
]

# --- workforce insight: HR officers and senior leaders, in their units (numbers, not names).
WORKFORCE = ("hr_officer", "adults_hr", "senior_leader")

CASES += [
    Case("workforce:dashboard", lambda c, o: reverse("workforce:dashboard"), WORKFORCE, 403),
    Case(
        "workforce:dashboard",
        lambda c, o: reverse("workforce:dashboard") + f"?unit={c.childrens.code}&format=csv",
        WORKFORCE,
        403,
        hidden=("adults_hr",),
    ),
    Case("workforce:retention", lambda c, o: reverse("workforce:retention"), WORKFORCE, 403),
    Case(
        "workforce:retention",
        lambda c, o: reverse("workforce:retention") + f"?unit={c.childrens.code}",
        WORKFORCE,
        403,
        hidden=("adults_hr",),
    ),
    Case(
        "api:workforce_measures",
        lambda c, o: "/api/workforce/measures/?on=2025-09-30",
        WORKFORCE,
        403,
        api=True,
    ),
    Case(
        "api:workforce_retention",
        lambda c, o: "/api/workforce/retention/?on=2025-09-30",
        WORKFORCE,
        403,
        api=True,
    ),
    Case(
        "api:workforce_measures",
        lambda c, o: f"/api/workforce/measures/?unit={c.childrens.code}",
        WORKFORCE,
        403,
        api=True,
        hidden=("adults_hr",),
    ),
]

# --- the gender pay gap: the employer's, so council-wide workforce insight grants only.
PAY_GAP = ("hr_officer", "senior_leader")

CASES += [
    Case("workforce:pay_gap", lambda c, o: reverse("workforce:pay_gap"), PAY_GAP, 403),
    Case(
        "workforce:pay_gap",
        lambda c, o: reverse("workforce:pay_gap") + "?format=csv",
        PAY_GAP,
        403,
    ),
    Case("api:workforce_pay_gap", lambda c, o: "/api/workforce/pay-gap/", PAY_GAP, 403, api=True),
]

# --- equality figures: HR equality viewers, in their units; the comparison population is set
# by a council-wide one.
EQUALITY = ("hr_equality",)

CASES += [
    Case("workforce:equality", lambda c, o: reverse("workforce:equality"), EQUALITY, 403),
    Case(
        "workforce:equality",
        lambda c, o: reverse("workforce:equality") + "?format=xlsx",
        EQUALITY,
        403,
    ),
    Case(
        "api:workforce_equality", lambda c, o: "/api/workforce/equality/", EQUALITY, 403, api=True
    ),
    Case(
        "workforce:equality_comparison",
        lambda c, o: reverse("workforce:equality_comparison"),
        EQUALITY,
        403,
    ),
    Case(
        "workforce:equality_comparison",
        lambda c, o: reverse("workforce:equality_comparison"),
        EQUALITY,
        403,
        method="post",
        ok=302,
        data={"name": "Census 2021", "sex_0": "50.0", "sex_1": "50.0"},
    ),
]

# Pages anyone may open, signed in or not.
PUBLIC = {
    "access:login",
    "access:logout",
    "access:password_reset",
    "access:password_reset_done",
    "access:password_reset_confirm",
    "access:password_reset_complete",
}


# Read with a secret address instead of a login: tested in test_the_calendar_feed_needs_its_secret.
BY_SECRET = {"learning:calendar_feed"}


def _names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    covered = {case.name for case in CASES} | PUBLIC | BY_SECRET
    everything = {n for n in _names(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert everything - covered == set()


@pytest.fixture
def objects(cast):
    post = PostFactory(unit=cast.adults_team)

    def run() -> int:
        header = "employee_number,first_name,last_name,unit_code,job_role_code,contract_type,fte,"
        text = f"{header}assignment_start\nE1,Ann,Bell,NOWHERE,OT,permanent,1,2024-04-01\n"
        upload = SimpleUploadedFile("people.csv", text.encode())
        created = core_services.import_run_create(kind="people", upload=upload, actor=None)
        core_services.import_run_process(run_id=created.pk, apply=False)
        return created.pk

    item = LearningItemFactory()
    session = SessionFactory(item=item)

    def booking() -> int:
        return learning_services.booking_create(
            session=SessionFactory(item=item), person=cast.learner.person, actor=None
        ).pk

    def approval() -> int:
        return learning_services.booking_create(
            session=SessionFactory(item=item, approval="manager"),
            person=cast.learner.person,
            actor=None,
        ).pk

    def offer() -> int:
        full = SessionFactory(item=item, capacity=1)
        first = learning_services.booking_create(
            session=full, person=cast.outsider.person, actor=None
        )
        offered = learning_services.booking_create(
            session=full, person=cast.learner.person, actor=None
        )
        learning_services.booking_cancel(booking=first, actor=None, by="learner")
        return offered.pk

    def evaluation(kind: str, role: str) -> int:
        """A request on the learner's attended booking of a session that ended last week, to
        the learner (feedback) or to their manager (impact check); a new one each time."""
        ended = SessionFactory(item=item, starts_at=timezone.now() - dt.timedelta(days=7))
        booking = Booking.objects.create(
            session=ended,
            person=cast.learner.person,
            status="attended",
            created_at=ended.created_at,
        )
        respondent = cast.learner.person if role == "learner" else cast.manager.person
        return EvaluationRequest.objects.create(
            booking=booking,
            kind=kind,
            respondent=respondent,
            respondent_role=role,
            sent_at=timezone.now(),
        ).pk

    def pending(who) -> int:
        """Self-logged learning of the learner (or outsider) waiting for verification: a new
        one each time, as verifying takes it out of the queue."""
        return Completion.objects.create(
            person=getattr(cast, who).person,
            title="A book",
            completed_on=timezone.now().date(),
            source=Completion.Source.SELF_LOGGED,
            status=Completion.Status.PENDING,
            created_at=timezone.now(),
        ).pk

    numbers = itertools.count(1)

    def audience() -> int:
        return org_services.audience_create(
            code=f"audience-{next(numbers)}",
            name="Managers",
            rules=[{"kind": "line_manager"}],
        ).pk

    managers = audience()

    return {
        **_record_objects(cast),
        **_credential_objects(cast),
        "audience": managers,
        "fresh_audience": audience,
        "pending": lambda: pending("learner"),
        "outsider_pending": lambda: pending("outsider"),
        "feedback": lambda: evaluation("feedback", "learner"),
        "impact_manager": lambda: evaluation("impact", "manager"),
        "item": item.pk,
        "programme": Programme.objects.create(code="P1", title="A programme").pk,
        "retired": LearningItemFactory(is_active=False).pk,
        "session": session.pk,
        "booking": booking,
        "offer": offer,
        "approval": approval,
        "planned": lambda: SessionFactory(item=item, status="planned").pk,
        "moved": lambda: (
            learning_services.booking_transfer(
                booking=learning_services.booking_create(
                    session=SessionFactory(item=item), person=cast.outsider.person, actor=None
                ),
                to_session=SessionFactory(item=item),
                actor=None,
            ).pk
        ),
        "cancellable": lambda: SessionFactory(item=item).pk,
        "reservation": lambda: (lambda r: (r.session_id, r.pk))(
            learning_services.reservation_add(
                session=SessionFactory(item=item), places=1, unit=cast.adults
            )
        ),
        "run": run,
        "grade": post.grade_id,
        "job_role": post.job_role_id,
        "post": post.pk,
    }


def _resolve(case: Case, cast, objects) -> str:
    values = {k: (v() if callable(v) else v) for k, v in objects.items()}
    return case.url(cast, values)


def _data(case: Case, url: str, cast) -> dict:
    """The request's data; a session given as `from-url` is the `?s=` of the URL, and people
    given as `the-learner` are the learner."""
    data = dict(case.data)
    if data.get("session") == "from-url":
        data["session"] = url.rsplit("?s=", 1)[1]
    if data.get("people") == "the-learner":
        data["people"] = [cast.learner.person_id]
    return data


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.name}")
def test_access(client, cast, objects, case):
    for who in ROLES:
        client.force_login(getattr(cast, who))
        url = _resolve(case, cast, objects)
        data = _data(case, url, cast)
        response = getattr(client, case.method)(url, data)
        expected = case.ok if who in case.allowed else case.refused
        if who in case.hidden:
            expected = 404
        assert response.status_code == expected, f"{who} {case.method} {url}"
    client.logout()
    url = _resolve(case, cast, objects)
    response = getattr(client, case.method)(url, _data(case, url, cast))
    if case.api:
        assert response.status_code == 401, case.name
    else:
        assert response.status_code == 302, case.name
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(PUBLIC - {"access:password_reset_confirm"}))
def test_public_pages_open_without_signing_in(client, name):
    response = client.get(reverse(name)) if name != "access:logout" else client.post(reverse(name))
    assert response.status_code in (200, 302)


def test_import_runs_in_the_matrix_are_real(cast, objects):
    assert ImportRun.objects.get(pk=objects["run"]()).status == ImportRun.Status.FAILED


def test_a_system_administrator_of_one_unit_does_not_get_the_admin(client, cast):
    RoleGrantFactory(user=cast.learner, role="system_admin", unit=cast.adults)
    client.force_login(cast.learner)
    assert client.get(reverse("admin:index")).status_code == 302
    person = reverse("admin:org_person_change", args=[cast.outsider.person_id])
    assert client.get(person).status_code == 302


def test_the_calendar_feed_needs_its_secret(client, cast, objects):
    """The address is the credential: with it anyone reads the learner's feed (a calendar
    does not sign in); without it, or once the learner's account is closed, no one does."""
    objects["booking"]()
    feed = learning_services.calendar_feed_reset(user=cast.learner)
    url = reverse("learning:calendar_feed", args=[feed.token])
    for who in ROLES:
        client.force_login(getattr(cast, who))
        response = client.get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"].startswith("text/calendar")
        wrong = reverse("learning:calendar_feed", args=[feed.token[:-1] + "x"])
        assert client.get(wrong).status_code == 404, who
    client.logout()
    assert client.get(url).status_code == 200
    cast.learner.is_active = False
    cast.learner.save()
    assert client.get(url).status_code == 404
