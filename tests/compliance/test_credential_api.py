"""The API of credentials, status checks and exemptions: the pages' gates, forms and services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from peopleplan.compliance import services, status
from peopleplan.compliance.models import Credential, CredentialType, Exemption
from peopleplan.compliance.rules import StatusCode
from peopleplan.org.models import Audience, AudienceRule

D = dt.date
BASE = "/api/compliance/"


@pytest.fixture
def types(db):
    return {
        "dbs": CredentialType.objects.create(
            code="DBS-ENH", name="Enhanced DBS check", kind="dbs", recheck_months=36
        ),
        "fa": CredentialType.objects.create(code="FA", name="First aid", kind="certificate"),
    }


@pytest.fixture
def requirement(cast, types):
    audience = Audience.objects.create(code="everyone", name="Everyone")
    AudienceRule.objects.create(audience=audience, kind="unit", values=["CNL"])
    return services.requirement_create(
        actor=None,
        code="DBS",
        name="Enhanced DBS check",
        audience=audience,
        credential_type=types["dbs"],
        grace_days=0,
    )


def code_of(person, req):
    return status.statuses(person_ids=[person.pk], requirements=[req], as_of=dt.date.today())[
        (person.pk, req.pk)
    ].code


DBS = {
    "type": "DBS-ENH",
    "number": "001234567890",
    "issued_on": "2025-05-01",
    "dbs_level": "enhanced",
    "workforce": "child",
    "update_service": True,
}


def test_hr_record_a_credential_and_the_person_is_compliant(client, cast, types, requirement):
    learner = cast.learner.person
    client.force_login(cast.adults_hr)
    response = client.post(
        BASE + "credentials/", {"person": learner.pk, **DBS}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "verified" and body["number"] == "001234567890"
    assert body["valid_until"] == "2028-05-01" and body["state"] in ("valid", "soon")
    assert code_of(learner, requirement) == StatusCode.COMPLIANT
    listed = client.get(BASE + f"credentials/?person={learner.pk}").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"number": "123"}, "number", "12 digits"),
        ({"dbs_level": ""}, "dbs_level", "Select the level"),
        ({"issued_on": "2099-01-01"}, "issued_on", "today or in the past"),
        ({"expires_on": "2020-01-01"}, "expires_on", "on or after the issue date"),
        ({"type": "NOPE"}, "type", "no credential type"),
    ],
)
def test_bad_input_names_the_field(client, cast, types, change, field, words):
    client.force_login(cast.hr_officer)
    response = client.post(
        BASE + "credentials/",
        {"person": cast.learner.person_id, **DBS, **change},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not Credential.objects.exists()


def test_hr_cannot_record_for_people_they_do_not_keep(client, cast, types):
    client.force_login(cast.adults_hr)
    response = client.post(
        BASE + "credentials/",
        {"person": cast.outsider.person_id, **DBS},
        content_type="application/json",
    )
    assert response.status_code == 404
    client.force_login(cast.manager)
    response = client.post(
        BASE + "credentials/",
        {"person": cast.learner.person_id, **DBS},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_change_and_status_checks(client, cast, types, requirement):
    credential = services.credential_record(
        person=cast.learner.person,
        type=types["dbs"],
        actor=None,
        issued_on=D(2025, 5, 1),
        number="001234567890",
        dbs_level="enhanced",
        workforce="child",
    )
    client.force_login(cast.hr_officer)
    url = BASE + f"credentials/{credential.pk}/"
    refused = client.post(
        url + "status-checks/",
        {"checked_on": "2025-06-01", "result": "clear"},
        content_type="application/json",
    )
    assert refused.status_code == 400  # not on the Update Service
    changed = client.patch(url, {"update_service": True}, content_type="application/json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["update_service"] is True
    assert changed.json()["number"] == "001234567890"
    bad = client.post(
        url + "status-checks/", {"checked_on": "2025-06-01"}, content_type="application/json"
    )
    assert "result" in bad.json()
    made = client.post(
        url + "status-checks/",
        {"checked_on": dt.date.today().isoformat(), "result": "changed"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert [c["result"] for c in client.get(url + "status-checks/").json()] == ["changed"]
    assert code_of(cast.learner.person, requirement) != StatusCode.COMPLIANT


def test_a_person_adds_their_own_with_evidence_and_hr_verify_it(client, cast, types, requirement):
    client.force_login(cast.learner)
    without = client.post(BASE + "my-credentials/", {**DBS, "update_service": "false"})
    assert without.status_code == 400 and "evidence" in without.json()
    evidence = SimpleUploadedFile("dbs.pdf", b"%PDF", content_type="application/pdf")
    response = client.post(
        BASE + "my-credentials/", {**DBS, "update_service": "false", "evidence": evidence}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["evidence_url"].endswith(
        f"/compliance/credentials/{body['id']}/evidence/"
    )
    assert client.get(BASE + "my-credentials/").json()["results"][0]["id"] == body["id"]
    assert code_of(cast.learner.person, requirement) == StatusCode.OVERDUE

    client.force_login(cast.hr_officer)
    waiting = client.get(BASE + "credentials/waiting/").json()
    assert [c["id"] for c in waiting["results"]] == [body["id"]]
    verify = BASE + f"credentials/{body['id']}/verify/"
    no_reason = client.post(verify, {"verified": False}, content_type="application/json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    done = client.post(verify, {"verified": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "verified"
    assert code_of(cast.learner.person, requirement) == StatusCode.COMPLIANT
    again = client.post(verify, {"verified": True}, content_type="application/json")
    assert again.status_code == 404


def test_the_learner_sees_only_their_own(client, cast, types):
    for who in ("learner", "outsider"):
        services.credential_record(
            person=getattr(cast, who).person, type=types["fa"], actor=None, issued_on=D(2025, 1, 1)
        )
    client.force_login(cast.learner)
    mine = client.get(BASE + "my-credentials/").json()["results"]
    assert [c["person"] for c in mine] == [cast.learner.person_id]
    assert client.get(BASE + "credentials/").status_code == 403
    client.force_login(cast.adults_hr)
    kept = client.get(BASE + "credentials/").json()["results"]
    assert {c["person"] for c in kept} == {cast.learner.person_id}


def test_exemptions(client, cast, types, requirement):
    client.force_login(cast.hr_officer)
    today = dt.date.today()
    data = {
        "person": cast.learner.person_id,
        "requirement": requirement.pk,
        "reason": "Long-term leave",
        "starts_on": (today - dt.timedelta(days=5)).isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    blank = client.post(
        BASE + "exemptions/", data | {"reason": ""}, content_type="application/json"
    )
    assert blank.status_code == 400 and "reason" in blank.json()
    made = client.post(BASE + "exemptions/", data, content_type="application/json")
    assert made.status_code == 201, made.json()
    assert code_of(cast.learner.person, requirement) == StatusCode.EXEMPT
    url = BASE + f"exemptions/{made.json()['id']}/end/"
    late = client.post(
        url, {"on": (today + dt.timedelta(days=60)).isoformat()}, content_type="application/json"
    )
    assert late.status_code == 400 and "on" in late.json()
    ended = client.post(
        url, {"on": (today - dt.timedelta(days=1)).isoformat()}, content_type="application/json"
    )
    assert ended.status_code == 200
    assert Exemption.objects.get().ends_on == today - dt.timedelta(days=1)
    client.force_login(cast.adults_hr)
    outsider = client.post(
        BASE + "exemptions/",
        data | {"person": cast.outsider.person_id},
        content_type="application/json",
    )
    assert outsider.status_code == 404
