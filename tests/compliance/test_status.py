"""The status engine through the database: achievements from completions and credentials,
audiences that follow people as they join, move and leave, exemptions; and the SQL counts
agree with the pure rules person by person."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peopleplan.compliance import services, status
from peopleplan.compliance.models import Achievement, CredentialType, StatusCheck
from peopleplan.compliance.rules import StatusCode
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import (
    AssignmentFactory,
    JobRoleFactory,
    LearningItemFactory,
    PersonFactory,
    UnitFactory,
)

D = dt.date
C = StatusCode
LONG_SERVING = D(2020, 4, 1)
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)


@pytest.fixture
def setup(db):
    unit = UnitFactory(code="CHS", name="Children and families")
    sw = JobRoleFactory(code="SW", title="Social worker", job_family="Social work")
    clerk = JobRoleFactory(code="CLK", title="Clerk", job_family="Business support")
    audience = Audience.objects.create(code="social-workers", name="Social workers")
    AudienceRule.objects.create(audience=audience, kind="job_family", values=["Social work"])
    course = LearningItemFactory(code="SG2", title="Safeguarding children level 2")
    equivalent = LearningItemFactory(code="SG2E", title="Safeguarding children level 2 (online)")
    req = services.requirement_create(
        actor=None,
        code="SG2",
        name="Safeguarding children level 2",
        audience=audience,
        items=[course, equivalent],
        validity_months=36,
        window_days=90,
        grace_days=90,
    )
    return {
        "unit": unit,
        "sw": sw,
        "clerk": clerk,
        "audience": audience,
        "req": req,
        "course": course,
        "equivalent": equivalent,
    }


def social_worker(setup, start=LONG_SERVING, **kw):
    person = PersonFactory()
    AssignmentFactory(
        person=person, unit=setup["unit"], job_role=setup["sw"], start_date=start, **kw
    )
    return person


def complete(person, item, on):
    Completion.objects.create(
        person=person, item=item, completed_on=on, source="import", created_at=NOW
    )
    hooks.completions_changed([person.pk])


def one(person, req, on):
    return status.statuses(person_ids=[person.pk], requirements=[req], as_of=on)[
        (person.pk, req.pk)
    ]


def test_a_completion_counts_until_it_lapses(setup):
    person = social_worker(setup)
    complete(person, setup["course"], D(2023, 5, 12))
    req = setup["req"]
    assert one(person, req, D(2025, 1, 1)).code == C.COMPLIANT
    due = one(person, req, D(2026, 3, 1))
    assert due.code == C.DUE_SOON
    assert due.reason == (
        "Due by 12 May 2026: you completed Safeguarding children level 2 on "
        "12 May 2023 and it lasts three years."
    )
    assert one(person, req, D(2026, 5, 13)).code == C.EXPIRED


def test_an_equivalent_item_counts_and_renewal_in_the_window_runs_from_the_old_expiry(setup):
    person = social_worker(setup)
    complete(person, setup["course"], D(2020, 6, 1))
    complete(person, setup["equivalent"], D(2023, 4, 1))
    got = one(person, setup["req"], D(2026, 1, 1))
    assert got.code == C.COMPLIANT
    assert got.expires_on == D(2026, 6, 1)


def test_a_new_starter_then_overdue(setup):
    person = social_worker(setup, start=D(2026, 9, 1))
    req = setup["req"]
    assert one(person, req, D(2026, 8, 31)).code == C.NOT_REQUIRED
    assert one(person, req, D(2026, 11, 30)).code == C.DUE_SOON
    assert one(person, req, D(2026, 12, 1)).code == C.OVERDUE


def test_a_mover_into_the_role_gets_the_grace_period_and_a_mover_out_drops_out(setup):
    person = PersonFactory()
    AssignmentFactory(
        person=person,
        unit=setup["unit"],
        job_role=setup["clerk"],
        start_date=D(2018, 1, 1),
        end_date=D(2025, 12, 31),
    )
    AssignmentFactory(
        person=person,
        unit=setup["unit"],
        job_role=setup["sw"],
        start_date=D(2026, 1, 1),
        end_date=D(2026, 10, 31),
    )
    req = setup["req"]
    assert one(person, req, D(2025, 12, 31)).code == C.NOT_REQUIRED
    assert one(person, req, D(2026, 3, 1)).code == C.DUE_SOON  # 90 days from 1 January
    assert one(person, req, D(2026, 4, 2)).code == C.OVERDUE
    assert one(person, req, D(2026, 11, 1)).code == C.NOT_REQUIRED  # moved on, or left


def test_a_leaver_drops_out(setup):
    person = social_worker(setup, end_date=D(2026, 6, 30))
    assert one(person, setup["req"], D(2026, 6, 30)).code == C.OVERDUE
    assert one(person, setup["req"], D(2026, 7, 1)).code == C.NOT_REQUIRED


def test_an_exemption(setup):
    person = social_worker(setup)
    services.exemption_grant(
        person=person,
        requirement=setup["req"],
        reason="Long-term leave",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
        actor=None,
    )
    got = one(person, setup["req"], D(2026, 3, 1))
    assert (got.code, got.reason) == (C.EXEMPT, "Exempt until 30 June 2026: Long-term leave")
    assert one(person, setup["req"], D(2026, 7, 1)).code == C.OVERDUE


def test_changing_how_long_it_lasts_rebuilds_everyones_achievements(setup):
    person = social_worker(setup)
    complete(person, setup["course"], D(2023, 5, 12))
    services.requirement_update(requirement=setup["req"], actor=None, validity_months=12)
    assert one(person, setup["req"], D(2024, 6, 1)).code == C.EXPIRED


def test_a_dbs_check_with_update_service_checks(setup):
    dbs = CredentialType.objects.create(
        code="DBS-E", name="Enhanced DBS check", kind="dbs", recheck_months=36
    )
    req = services.requirement_create(
        actor=None,
        code="DBS",
        name="Enhanced DBS check",
        audience=setup["audience"],
        credential_type=dbs,
        validity_months=None,
        grace_days=0,
    )
    person = social_worker(setup)
    credential = services.credential_record(
        person=person,
        type=dbs,
        actor=None,
        number="001234567890",
        issued_on=D(2022, 3, 1),
        dbs_level="enhanced_barred",
        workforce="child",
        update_service=True,
    )
    assert one(person, req, D(2025, 3, 2)).code == C.EXPIRED
    services.status_check_record(
        credential=credential, checked_on=D(2025, 2, 1), result=StatusCheck.Result.CLEAR, actor=None
    )
    assert one(person, req, D(2025, 3, 2)).code == C.COMPLIANT
    services.status_check_record(
        credential=credential,
        checked_on=D(2025, 9, 1),
        result=StatusCheck.Result.CHANGED,
        actor=None,
    )
    assert one(person, req, D(2025, 9, 2)).code == C.EXPIRED


def test_a_credential_a_person_adds_counts_once_verified(setup, cast):
    reg = CredentialType.objects.create(
        code="SWE",
        name="Social Work England registration",
        kind="registration",
        expiry_required=True,
    )
    req = services.requirement_create(
        actor=None,
        code="SWE",
        name="Registration",
        audience=setup["audience"],
        credential_type=reg,
        grace_days=0,
    )
    person = social_worker(setup)
    credential = services.credential_record(
        person=person,
        type=reg,
        actor=None,
        verified=False,
        number="SW12345",
        issued_on=D(2025, 12, 1),
        expires_on=D(2026, 11, 30),
        evidence=SimpleUploadedFile("reg.pdf", b"%PDF-1.4"),
    )
    assert one(person, req, D(2026, 1, 1)).code == C.OVERDUE
    services.credential_verify(credential=credential, approve=True, actor=cast.hr_officer)
    assert one(person, req, D(2026, 1, 1)).code == C.COMPLIANT


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"issued_on": D(2022, 3, 1), "dbs_level": "", "workforce": "child"}, "dbs_level"),
        ({"issued_on": D(2022, 3, 1), "dbs_level": "enhanced", "workforce": ""}, "workforce"),
        (
            {
                "issued_on": D(2022, 3, 1),
                "dbs_level": "enhanced",
                "workforce": "child",
                "number": "12AB",
            },
            "number",
        ),
        ({"issued_on": D(2099, 1, 1), "dbs_level": "enhanced", "workforce": "child"}, "issued_on"),
    ],
)
def test_a_bad_credential_is_refused_naming_the_field(setup, fields, field):
    dbs = CredentialType.objects.create(
        code="DBS-E", name="Enhanced DBS check", kind="dbs", recheck_months=36
    )
    with pytest.raises(services.ComplianceError) as refused:
        services.credential_record(person=social_worker(setup), type=dbs, actor=None, **fields)
    assert refused.value.field == field


def test_statuses_for_a_team_take_a_fixed_number_of_queries(setup):
    counts = []
    for size in (3, 12):
        people = [social_worker(setup) for _ in range(size)]
        for p in people:
            complete(p, setup["course"], D(2024, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            reqs = status.requirements_in_force()
            status.statuses(
                person_ids=[p.pk for p in people], requirements=reqs, as_of=D(2026, 1, 1)
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_counts_in_the_database_agree_with_the_rules_person_by_person(setup):
    """Random histories, several dates: `status_counts` (SQL) equals `statuses` (Python)."""
    rng = random.Random(7)
    req = setup["req"]
    services.requirement_update(requirement=req, actor=None, applies_from=D(2024, 2, 1))
    people = []
    for _ in range(40):
        start = D(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
        end = start + dt.timedelta(days=rng.randrange(200, 3000)) if rng.random() < 0.3 else None
        person = social_worker(setup, start=start, end_date=end)
        for _ in range(rng.randrange(4)):
            on = D(2017, 1, 1) + dt.timedelta(days=rng.randrange(3600))
            Completion.objects.create(
                person=person,
                item=rng.choice([setup["course"], setup["equivalent"]]),
                completed_on=on,
                source="import",
                created_at=NOW,
            )
        if rng.random() < 0.1:
            s = D(2022, 1, 1) + dt.timedelta(days=rng.randrange(1500))
            services.exemption_grant(
                person=person,
                requirement=req,
                reason="x",
                starts_on=s,
                ends_on=s + dt.timedelta(days=rng.randrange(400)),
                actor=None,
            )
        people.append(person)
    # A second requirement on the same audience, with its own rules: counted in the same query.
    second = services.requirement_create(
        actor=None,
        code="SECOND",
        name="A second requirement",
        audience=req.audience,
        items=[setup["course"]],
        validity_months=12,
        window_days=30,
        grace_days=10,
    )
    services.achievements_refresh()
    assert Achievement.objects.exists()
    for as_of in (D(2019, 6, 1), D(2023, 12, 31), D(2024, 3, 1), D(2026, 11, 27), D(2027, 2, 1)):
        by_person = status.statuses(
            person_ids=[p.pk for p in people], requirements=[req, second], as_of=as_of
        )
        expected = Counter(
            (req_id, s.code.value)
            for (_, req_id), s in by_person.items()
            if s.code != C.NOT_REQUIRED
        )
        got = Counter()
        for row in status.status_counts(requirements=[req, second], as_of=as_of):
            got[(row.requirement_id, row.code)] += row.people
        assert got == expected, as_of
