"""The API of audiences: list, retrieve, create, change, delete, members and preview, with
the pages' access."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from peopleplan.org import services
from peopleplan.org.models import Audience
from tests.factories import AssignmentFactory, JobRoleFactory


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_authenticate(cast.hr_officer)
    return client


@pytest.fixture
def managers(cast):
    return services.audience_create(
        actor=None,
        code="managers",
        name="Managers",
        description="Everyone who line manages someone",
        rules=[{"kind": "line_manager"}],
    )


def test_list_and_retrieve(api, cast, managers):
    listed = api.get("/api/audiences/").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert row["code"] == "managers" and row["match"] == "all"
    assert row["rules"] == [
        {"kind": "line_manager", "values": [], "number": None, "exclude": False}
    ]
    assert row["rules_text"] == ["Line manages someone"]
    assert row["summary"] == "People in post who match: Line manages someone"
    assert row["people_today"] == 2  # the manager and the senior manager
    assert api.get(f"/api/audiences/{managers.pk}/").json()["people_today"] == 2


def test_create_and_its_refusals(api, cast):
    JobRoleFactory(code="SW1", job_family="Social work")
    response = api.post(
        "/api/audiences/",
        {
            "code": "social-workers",
            "name": "Social workers",
            "match": "any",
            "rules": [
                {"kind": "job_family", "values": ["social work"]},
                {"kind": "contract_type", "values": ["agency"], "exclude": True},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rules"][0]["values"] == ["Social work"]
    assert response.json()["rules_text"] == ["Job family is Social work", "Not agency"]
    refused = api.post(
        "/api/audiences/",
        {
            "code": "social-workers",
            "name": "Again",
            "rules": [{"kind": "job_role", "values": ["SW9"]}, {"kind": "service_at_least"}],
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "code": ["There is already an audience with the code social-workers"],
        "rules": [
            "Rule 1: no job role with code SW9",
            "Rule 2: give the months of service",
        ],
    }
    assert api.post("/api/audiences/", {}, format="json").status_code == 400
    bad_kind = api.post(
        "/api/audiences/",
        {"code": "x", "name": "X", "rules": [{"kind": "shoe_size"}]},
        format="json",
    )
    assert bad_kind.status_code == 400 and "rules" in bad_kind.json()


def test_change_with_put_and_patch(api, cast, managers):
    url = f"/api/audiences/{managers.pk}/"
    patched = api.patch(url, {"name": "Line managers"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["name"] == "Line managers"
    assert patched.json()["rules_text"] == ["Line manages someone"]  # kept
    put = api.put(
        url,
        {
            "code": "managers",
            "name": "Managers in Adults",
            "rules": [{"kind": "unit", "values": ["ADU"]}, {"kind": "line_manager"}],
        },
        format="json",
    )
    assert put.status_code == 200
    assert put.json()["rules_text"] == ["In Adults or below", "Line manages someone"]
    assert api.put(url, {"name": "No code"}, format="json").status_code == 400


def test_delete(api, managers):
    assert api.delete(f"/api/audiences/{managers.pk}/").status_code == 204
    assert not Audience.objects.exists()
    assert api.delete(f"/api/audiences/{managers.pk}/").status_code == 404


def test_members_are_the_people_the_user_may_see(api, cast, managers):
    names = {
        p["employee_number"]
        for p in api.get(f"/api/audiences/{managers.pk}/members/").json()["results"]
    }
    assert names == {
        cast.manager.person.employee_number,
        cast.senior_manager.person.employee_number,
    }
    before = api.get(f"/api/audiences/{managers.pk}/members/?on=2019-01-01").json()
    assert before["count"] == 0  # no one was in post
    assert api.get(f"/api/audiences/{managers.pk}/members/?on=nonsense").status_code == 400


def test_preview(api, cast):
    for _ in range(3):
        AssignmentFactory(unit=cast.childrens_team, contract_type="agency")
    response = api.post(
        "/api/audiences/preview/",
        {
            "rules": [
                {"kind": "unit", "values": ["CHI"]},
                {"kind": "contract_type", "values": ["agency"], "exclude": True},
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and not body["everyone"]
    assert body["by_directorate"] == [
        {"unit": {"id": cast.childrens.pk, "code": "CHI", "name": "Children's"}, "count": 1}
    ]
    assert [p["employee_number"] for p in body["sample"]] == [cast.outsider.person.employee_number]
    everyone = api.post("/api/audiences/preview/", {}, format="json").json()
    assert everyone["everyone"] and everyone["count"] == 14
    wrong = api.post(
        "/api/audiences/preview/",
        {"rules": [{"kind": "unit", "values": ["NOWHERE"]}]},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json() == {"rules": ["Rule 1: no unit with code NOWHERE"]}


@pytest.mark.parametrize("who", ["learner", "manager", "outsider", "adults_hr", "senior_leader"])
def test_no_one_else(cast, managers, who):
    client = APIClient()
    client.force_authenticate(getattr(cast, who))
    assert client.get("/api/audiences/").status_code == 403
    assert client.get(f"/api/audiences/{managers.pk}/").status_code == 403
    assert client.post("/api/audiences/preview/", {}, format="json").status_code == 403
