"""The API of requirements, credential types and the forecast: the same checks as the pages,
each refusal naming its field."""

import datetime as dt

import pytest

from peopleplan.compliance import services
from peopleplan.compliance.models import CredentialType, Requirement
from peopleplan.core.models import AuditEntry
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import AssignmentFactory, JobRoleFactory, LearningItemFactory, PersonFactory

URL = "/api/compliance/requirements/"


@pytest.fixture
def setup(cast):
    sw = JobRoleFactory(code="SW", job_family="Social work")
    audience = Audience.objects.create(code="sw", name="Social workers")
    AudienceRule.objects.create(audience=audience, kind="job_family", values=["Social work"])
    AssignmentFactory(person=PersonFactory(), unit=cast.adults_team, job_role=sw)
    course = LearningItemFactory(code="SG2", title="Safeguarding level 2")
    LearningItemFactory(code="SG2E", title="Safeguarding online", kind="elearning")
    dbs = CredentialType.objects.create(code="DBS", name="Enhanced DBS check", kind="dbs")
    req = services.requirement_create(
        actor=None, code="SG2", name="Safeguarding", audience=audience, items=[course]
    )
    return {"audience": audience, "dbs": dbs, "req": req}


@pytest.fixture
def api(client, cast):
    client.force_login(cast.ld_admin)
    return client


def body(**changes):
    data = {
        "code": "IG",
        "name": "Information governance",
        "audience": "sw",
        "items": ["SG2E"],
        "validity_months": 12,
        "window_days": 30,
    }
    data.update(changes)
    return data


def test_list_and_retrieve(api, setup):
    (row,) = api.get(URL).json()
    assert row["code"] == "SG2" and row["items"] == ["SG2"] and row["audience"] == "sw"
    assert row["people_today"] == 1
    assert row["how_met"] == "Completing Safeguarding level 2 (SG2)"
    one = api.get(f"{URL}{setup['req'].pk}/").json()
    assert one["name"] == "Safeguarding" and one["people_today"] == 1
    assert api.get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"items": [], "credential_type": None}, "items", "Choose the learning that meets it"),
        ({"window_days": 400}, "window_days", "The renewal window must be shorter"),
        ({"code": "SG2"}, "code", "There is already a requirement with code SG2"),
        ({"items": ["SG2E", "NOPE"]}, "items", "There is no learning item with the code NOPE"),
        ({"audience": "nobody"}, "audience", "There is no audience with the code nobody"),
        ({"credential_type": "X"}, "credential_type", "There is no credential type with"),
    ],
)
def test_bad_input_names_the_field(api, setup, changes, field, message):
    response = api.post(URL, body(**changes), content_type="application/json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Requirement.objects.filter(code="IG").exists()


def test_create_and_change(api, setup):
    response = api.post(URL, body(credential_type="DBS"), content_type="application/json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["items"] == ["SG2E"] and made["credential_type"] == "DBS"
    url = f"{URL}{made['id']}/"
    response = api.patch(
        url,
        {"validity_months": None, "applies_from": "2027-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["lasts"] == "Once only"
    assert Requirement.objects.get(code="IG").applies_from == dt.date(2027, 4, 1)
    response = api.patch(url, {"code": "OTHER"}, content_type="application/json")
    assert response.status_code == 400 and "code" in response.json()
    response = api.put(url, body(name="IG again", items=["SG2"]), content_type="application/json")
    assert response.status_code == 200 and response.json()["items"] == ["SG2"]
    assert (
        AuditEntry.objects.filter(object_type="compliance.requirement", action="update").count()
        == 2
    )


def test_credential_types(api, setup):
    url = "/api/compliance/credential-types/"
    data = {
        "code": "SWE",
        "name": "Social Work England",
        "kind": "registration",
        "expiry_required": True,
    }
    response = api.post(url, data, content_type="application/json")
    assert response.status_code == 201
    response = api.post(url, data, content_type="application/json")
    assert response.status_code == 400
    assert "There is already a credential type" in str(response.json()["code"])
    response = api.patch(
        f"{url}{setup['dbs'].pk}/", {"recheck_months": 0}, content_type="application/json"
    )
    assert response.status_code == 400 and "recheck_months" in response.json()
    response = api.patch(
        f"{url}{setup['dbs'].pk}/", {"recheck_months": 24}, content_type="application/json"
    )
    assert response.json()["recheck_months"] == 24
    assert {r["code"] for r in api.get(url).json()} == {"DBS", "SWE"}


def test_the_forecast(api, setup):
    found = api.get("/api/compliance/forecast/").json()
    assert len(found["months"]) == 12
    (rf,) = found["requirements"]
    assert rf["requirement_code"] == "SG2"
    assert rf["overdue_now"] == 1 and rf["months"][0] == 1
    assert rf["directorates"][0]["unit_name"] == "Adults"
    assert rf["session_size"] == 12 and rf["sessions"][0] == 1


def test_others_are_refused(client, cast, setup):
    client.force_login(cast.adults_hr)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{setup['req'].pk}/").status_code == 403
    assert client.post(URL, body(), content_type="application/json").status_code == 403
    found = client.get("/api/compliance/forecast/").json()
    assert found["requirements"][0]["directorates"][0]["unit_name"] == "Adults"
    client.force_login(cast.manager)
    assert client.get("/api/compliance/forecast/").status_code == 403
