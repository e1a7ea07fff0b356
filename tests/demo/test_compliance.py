"""The demo council's compliance: requirements, credentials and five years of completions that
give a believable picture, built through the `demo` command on a small council of 300 people."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Min

from peopleplan.access.models import User
from peopleplan.compliance.models import (
    Achievement,
    Credential,
    CredentialType,
    Exemption,
    Requirement,
    StatusCheck,
)
from peopleplan.compliance.rules import StatusCode
from peopleplan.compliance.status import requirements_in_force, status_counts, statuses
from peopleplan.demo.compliance import REQUIREMENTS
from peopleplan.learning.models import Completion
from peopleplan.org.models import Assignment

AS_OF = dt.date.today()


def build(*extra: str) -> str:
    out = StringIO()
    call_command("demo", "--people", "300", *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def council(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build("--seed", "3")


def person_of(key: str) -> int:
    return User.objects.get(email=f"{key}@demo.peopleplan.example").person_id


def shares() -> Counter:
    counts: Counter = Counter()
    for row in status_counts(requirements=requirements_in_force(), as_of=AS_OF):
        counts[row.code] += row.people
    return counts


def test_a_believable_picture(council):
    assert Requirement.objects.count() == len(REQUIREMENTS)
    assert CredentialType.objects.count() == 3
    assert Achievement.objects.exists() and Exemption.objects.exists()
    assert StatusCheck.objects.exists()
    counts = shares()
    total = sum(counts.values())
    assert counts[StatusCode.COMPLIANT] > 0.6 * total
    for code in (StatusCode.DUE_SOON, StatusCode.OVERDUE, StatusCode.EXPIRED):
        assert 0 < counts[code] < 0.2 * total
    # Five years of completions: someone has renewed information governance several times.
    renewals = Counter(
        Achievement.objects.filter(requirement__code="info-governance").values_list(
            "person_id", flat=True
        )
    )
    assert max(renewals.values()) >= 4
    oldest = Completion.objects.filter(item__requirements__isnull=False).aggregate(
        first=Min("completed_on")
    )["first"]
    assert oldest >= AS_OF - dt.timedelta(days=5 * 366)
    assert Credential.objects.filter(status="verified", type__code="dbs-enhanced").exists()
    assert Credential.objects.filter(update_service=True).exists()


def test_the_demo_logins_have_something_to_see(council):
    reqs = requirements_in_force()
    learner = person_of("learner")
    mine = Counter(
        s.code for s in statuses(person_ids=[learner], requirements=reqs, as_of=AS_OF).values()
    )
    assert mine[StatusCode.DUE_SOON] == 1 and mine[StatusCode.OVERDUE] == 1
    assert mine[StatusCode.EXPIRED] == 0 and mine[StatusCode.COMPLIANT] > 5

    manager = person_of("manager")
    team = set(
        Assignment.objects.filter(line_manager_id=manager, end_date__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    seen = {s.code for s in statuses(person_ids=team, requirements=reqs, as_of=AS_OF).values()}
    assert {StatusCode.COMPLIANT, StatusCode.DUE_SOON, StatusCode.OVERDUE} <= seen

    pending = Credential.objects.get(status="pending")
    assert pending.person_id == learner and pending.evidence
    assert pending.created_by.email == "learner@demo.peopleplan.example"


def test_the_same_seed_gives_the_same_picture(council):
    first = shares()
    build("--seed", "3", "--replace")
    assert shares() == first
    build("--seed", "3", "--replace")
    assert shares() == first
    assert Requirement.objects.count() == len(REQUIREMENTS)
    assert Credential.objects.filter(status="pending").count() == 1
