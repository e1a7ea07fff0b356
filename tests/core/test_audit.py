"""The audit log: append-only, readable by HR officers and system administrators."""

import datetime as dt

import pytest
from django.urls import reverse

from peopleplan.core.audit import audit_record
from peopleplan.core.models import AuditEntry
from peopleplan.org import services


@pytest.fixture
def history(cast):
    services.person_leave(
        person=cast.learner.person,
        leaving_date=dt.date.today(),
        leaving_reason="resignation",
        actor=cast.hr_officer,
    )
    services.person_leave(
        person=cast.outsider.person,
        leaving_date=dt.date.today(),
        leaving_reason="retirement",
        actor=cast.hr_officer,
    )
    audit_record(actor=cast.sysadmin, action="grant", object_type="rolegrant", summary="grant")


@pytest.mark.parametrize("who", ["hr_officer", "sysadmin"])
def test_council_wide_hr_and_system_administrators_read_everything(client, cast, history, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("core:audit"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Left on" in text and "Resignation" in text and "Retirement" in text


@pytest.mark.parametrize(
    "who",
    [
        "learner",
        "manager",
        "outsider",
        "ld_admin",
        "hr_equality",
        "senior_leader",
        "budget_holder",
        "adults_hr",
    ],
)
def test_others_cannot_read_the_whole_log(client, cast, history, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("core:audit")).status_code == 403


def test_a_scoped_hr_officer_reads_the_history_of_people_in_scope(client, cast, history):
    client.force_login(cast.adults_hr)
    response = client.get(reverse("core:audit"), {"person": cast.learner.person_id})
    assert response.status_code == 200
    assert "Resignation" in response.content.decode()
    assert "Retirement" not in response.content.decode()
    outsider = client.get(reverse("core:audit"), {"person": cast.outsider.person_id})
    nobody = client.get(reverse("core:audit"), {"person": 999999})
    assert outsider.status_code == nobody.status_code == 404


def test_a_manager_cannot_read_their_reports_history(client, cast, history):
    client.force_login(cast.manager)
    response = client.get(reverse("core:audit"), {"person": cast.learner.person_id})
    assert response.status_code == 403


def test_filters_and_bad_dates(client, cast, history):
    client.force_login(cast.hr_officer)
    response = client.get(reverse("core:audit"), {"action": "grant"})
    assert "1 entry" in response.content.decode()
    response = client.get(reverse("core:audit"), {"since": "2026-05-01", "until": "2026-04-01"})
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_entries_record_who_and_before_and_after(cast, history):
    entry = AuditEntry.objects.filter(object_type="person", action="end").first()
    assert entry.actor == cast.hr_officer
    assert entry.before["leaving_date"] is None
    assert entry.after["leaving_reason"] in ("resignation", "retirement")
