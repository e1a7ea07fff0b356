"""The requirements admin: the list, a requirement, the form's bad input (each named on its
field), saving through the services, the preview's numbers, credential types and the Django
admin."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peopleplan.compliance import services
from peopleplan.compliance.models import CredentialType, Requirement
from peopleplan.compliance.requirement_forms import split_codes
from peopleplan.core.models import AuditEntry
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import AssignmentFactory, JobRoleFactory, LearningItemFactory, PersonFactory

NOW = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def setup(cast):
    sw = JobRoleFactory(code="SW", title="Social worker", job_family="Social work")
    audience = Audience.objects.create(code="sw", name="Social workers")
    AudienceRule.objects.create(audience=audience, kind="job_family", values=["Social work"])
    course = LearningItemFactory(code="SG2", title="Safeguarding level 2")
    online = LearningItemFactory(code="SG2E", title="Safeguarding level 2 online", kind="elearning")
    dbs = CredentialType.objects.create(
        code="DBS", name="Enhanced DBS check", kind="dbs", recheck_months=36
    )
    req = services.requirement_create(
        actor=None,
        code="SG2",
        name="Safeguarding level 2",
        audience=audience,
        items=[course],
        validity_months=36,
    )
    return {
        "sw": sw,
        "audience": audience,
        "course": course,
        "online": online,
        "dbs": dbs,
        "req": req,
    }


def social_worker(cast, setup, *, unit=None, start=None, completed=None):
    person = PersonFactory(last_name="Aardvark")
    AssignmentFactory(
        person=person,
        unit=unit or cast.adults_team,
        job_role=setup["sw"],
        start_date=start or dt.date(2020, 4, 1),
    )
    if completed:
        Completion.objects.create(
            person=person,
            item=setup["course"],
            completed_on=completed,
            source="import",
            created_at=NOW,
        )
        hooks.completions_changed([person.pk])
    return person


def form_data(setup, **changes):
    data = {
        "code": "IG",
        "name": "Information governance",
        "description": "",
        "audience": setup["audience"].pk,
        "items": "SG2E",
        "credential_type": "",
        "validity_months": "12",
        "window_days": "30",
        "renew_from": "expiry",
        "grace_days": "28",
        "applies_from": "",
        "escalate_after_days": "28",
        "is_active": "on",
        "save": "1",
    }
    data.update(changes)
    return data


@pytest.fixture
def hr(client, cast):
    client.force_login(cast.hr_officer)
    return client


def test_split_codes():
    assert split_codes(" SG2, SG2E\nFA;SG2 ") == ["SG2", "SG2E", "FA"]


def test_the_list_shows_how_met_how_long_and_how_many(hr, cast, setup):
    social_worker(cast, setup)
    social_worker(cast, setup, unit=cast.childrens_team)
    text = hr.get(reverse("compliance:requirement_list")).content.decode()
    assert "Safeguarding level 2" in text
    assert "Completing Safeguarding level 2 (SG2)" in text
    assert "Three years" in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric pp-numeric">2</td>' in text


def test_the_list_makes_a_fixed_number_of_queries(hr, cast, setup):
    url = reverse("compliance:requirement_list")
    with CaptureQueriesContext(connection) as before:
        hr.get(url)
    for n in range(3):
        services.requirement_create(
            actor=None,
            code=f"R{n}",
            name=f"R{n}",
            audience=setup["audience"],
            items=[setup["course"]],
            credential_type=setup["dbs"],
        )
        social_worker(cast, setup)
    with CaptureQueriesContext(connection) as after:
        hr.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_requirement_in_plain_english_with_who_is_in(hr, cast, setup):
    person = social_worker(cast, setup)
    text = hr.get(reverse("compliance:requirement_detail", args=[setup["req"].pk])).content.decode()
    assert "Three years" in text
    assert "Due soon from 90 days before it runs out" in text
    assert "Job family is Social work" in text
    assert "1 person" in text
    assert person.last_name in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"items": "", "credential_type": ""}, "items", "Choose the learning that meets it"),
        ({"window_days": "400"}, "window_days", "The renewal window must be shorter"),
        ({"code": "SG2"}, "code", "There is already a requirement with code SG2"),
        ({"items": "SG2E NOPE"}, "items", "There is no learning item with the code NOPE"),
        ({"items": "X1, X2"}, "items", "There are no learning items with the codes X1, X2"),
        ({"audience": ""}, "audience", "Choose who needs it"),
        ({"validity_months": "0"}, "validity_months", "must be from 1 to 600 months"),
        ({"grace_days": "ten"}, "grace_days", "Enter the grace period as a whole number"),
        ({"applies_from": "31/02/2027"}, "applies_from", "Enter the date it applies from"),
        ({"renew_from": "never"}, "renew_from", "Choose what a renewal runs from"),
    ],
)
def test_bad_input_is_named_on_its_field(hr, setup, changes, field, message):
    response = hr.post(reverse("compliance:requirement_new"), form_data(setup, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert "There is a problem" in response.content.decode()
    assert not Requirement.objects.filter(code="IG").exists()


def test_create_and_change_through_the_services(hr, setup):
    response = hr.post(
        reverse("compliance:requirement_new"),
        form_data(
            setup, items="SG2E, SG2", credential_type=setup["dbs"].pk, applies_from="1/4/2027"
        ),
    )
    req = Requirement.objects.get(code="IG")
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:requirement_detail", args=[req.pk])
    assert {i.code for i in req.items.all()} == {"SG2", "SG2E"}
    assert req.credential_type == setup["dbs"]
    assert req.applies_from == dt.date(2027, 4, 1)
    assert (
        AuditEntry.objects.filter(object_type="compliance.requirement", action="create").count()
        == 2
    )

    url = reverse("compliance:requirement_edit", args=[req.pk])
    assert hr.get(url).context["form"].initial["items"] in ("SG2E, SG2", "SG2, SG2E")
    changed = form_data(setup, code="CHANGED", name="IG renamed", validity_months="", is_active="")
    response = hr.post(url, changed)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.code == "IG"  # the code does not change
    assert req.name == "IG renamed"
    assert req.validity_months is None and not req.is_active
    assert AuditEntry.objects.filter(object_type="compliance.requirement", action="update").exists()


def test_the_preview_shows_who_and_how_they_would_stand(hr, cast, setup):
    today = timezone.localdate()
    social_worker(cast, setup, completed=today - dt.timedelta(days=100))  # compliant
    social_worker(cast, setup, completed=today - dt.timedelta(days=3 * 365 - 20))  # due soon
    social_worker(cast, setup, completed=today - dt.timedelta(days=5 * 365))  # expired
    social_worker(cast, setup, unit=cast.childrens_team)  # never: overdue
    social_worker(cast, setup, unit=cast.childrens_team, start=today - dt.timedelta(days=10))
    data = form_data(setup, items="SG2", validity_months="36", window_days="90", grace_days="90")
    data.pop("save")
    data["preview"] = "1"
    response = hr.post(reverse("compliance:requirement_new"), data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.count == 5
    assert dict(preview.statuses) == {
        "expired": 1,
        "overdue": 1,
        "due_soon": 2,  # one inside the window, one new starter in their grace period
        "exempt": 0,
        "compliant": 1,
    }
    assert {u.name: n for u, n in preview.audience.by_directorate} == {"Adults": 3, "Children's": 2}
    assert len(preview.audience.sample) == 5
    assert "Preview: not saved yet" in response.content.decode()
    assert not Requirement.objects.filter(code="IG").exists()

    # With one year instead, the one done 100 days ago is still compliant, the rest expired.
    data["validity_months"] = "12"
    data["window_days"] = "30"
    response = hr.post(reverse("compliance:requirement_new"), data)
    assert dict(response.context["preview"].statuses)["expired"] == 2


def test_the_preview_makes_a_fixed_number_of_queries(hr, cast, setup):
    data = form_data(setup, items="SG2", credential_type=setup["dbs"].pk, preview="1")
    data.pop("save")
    url = reverse("compliance:requirement_new")
    social_worker(cast, setup, completed=dt.date(2025, 1, 1))
    with CaptureQueriesContext(connection) as before:
        hr.post(url, data)
    for n in range(5):
        social_worker(cast, setup, completed=dt.date(2024, 1, n + 1))
    with CaptureQueriesContext(connection) as after:
        hr.post(url, data)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_credential_types(hr, setup):
    url = reverse("compliance:credential_type_new")
    data = {
        "code": "SWE",
        "name": "Social Work England registration",
        "kind": "registration",
        "body": "Social Work England",
        "recheck_months": "",
        "expiry_required": "on",
    }
    assert hr.post(url, data).status_code == 302
    kind = CredentialType.objects.get(code="SWE")
    assert kind.expiry_required
    response = hr.post(url, {**data, "name": "Again"})
    assert "There is already a credential type with code SWE" in response.content.decode()
    response = hr.post(url, {**data, "code": "X", "kind": "passport"})
    assert response.context["form"].errors["kind"]
    edit = reverse("compliance:credential_type_edit", args=[setup["dbs"].pk])
    assert (
        hr.post(
            edit, {"code": "DBS", "name": "Enhanced DBS", "kind": "dbs", "recheck_months": "24"}
        ).status_code
        == 302
    )
    setup["dbs"].refresh_from_db()
    assert setup["dbs"].recheck_months == 24
    text = hr.get(reverse("compliance:credential_type_list")).content.decode()
    assert "Social Work England registration" in text and "Enhanced DBS" in text


def test_the_django_admin_changes_requirements_through_the_services(client, cast, setup):
    client.force_login(cast.sysadmin)
    for name in (
        "requirement",
        "credentialtype",
        "credential",
        "statuscheck",
        "exemption",
        "achievement",
    ):
        assert client.get(reverse(f"admin:compliance_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:compliance_achievement_add")).status_code == 403
    url = reverse("admin:compliance_requirement_add")
    data = {
        "code": "FA",
        "name": "First aid",
        "description": "",
        "audience": setup["audience"].pk,
        "items": [],
        "credential_type": "",
        "validity_months": "36",
        "window_days": "90",
        "renew_from": "expiry",
        "grace_days": "90",
        "applies_from": "",
        "escalate_after_days": "28",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # refused: nothing meets it
    assert "Choose the learning that meets it" in response.content.decode()
    response = client.post(url, {**data, "items": [setup["course"].pk]})
    assert response.status_code == 302
    req = Requirement.objects.get(code="FA")
    assert list(req.items.all()) == [setup["course"]]
    assert AuditEntry.objects.filter(
        object_type="compliance.requirement", object_id=str(req.pk)
    ).exists()


def test_the_navigation_offers_requirements_to_their_admins(client, cast):
    for who, shown in (("hr_officer", True), ("sysadmin", True), ("adults_hr", False)):
        client.force_login(getattr(cast, who))
        labels = [i["label"] for i in client.get(reverse("home")).context["nav_items"]]
        assert ("Requirements" in labels) is shown, who
