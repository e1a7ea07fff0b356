"""The statuses API: mine, a person's and the team's, with the pages' gates and answers, the
`on` date, and the schema."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from peopleplan.core.dates import today
from peopleplan.org.models import Assignment
from tests.compliance.test_status_pages import _team_of, reqs  # noqa: F401  (a fixture)


def by_name(person):
    return (person.last_name.lower(), person.first_name.lower(), person.pk)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_my_statuses(cast, reqs):  # noqa: F811
    response = api(cast.learner).get("/api/compliance/statuses/me/")
    assert response.status_code == 200
    data = response.json()
    assert data["person"]["id"] == cast.learner.person_id
    assert (data["required"], data["up_to_date"], data["exempt"]) == (2, 1, 0)
    first, second = data["statuses"]  # worst first
    assert first["code"] == "overdue" and first["label"] == "Overdue"
    assert first["requirement"] == {"id": reqs["dbs"].pk, "code": "DBS", "name": "DBS check"}
    assert first["reason"].startswith("Overdue since")
    assert second["code"] == "compliant"
    assert second["expires_on"] and second["due_on"] is None


def test_the_on_date(cast, reqs):  # noqa: F811
    past = (today() - dt.timedelta(days=366)).isoformat()
    data = api(cast.learner).get(f"/api/compliance/statuses/me/?on={past}").json()
    assert data["on"] == past and data["up_to_date"] == 0
    response = api(cast.learner).get("/api/compliance/statuses/me/?on=2026-02-31")
    assert response.status_code == 400
    assert "on" in response.json()


def test_a_persons_statuses_through_the_gate(cast, reqs):  # noqa: F811
    url = f"/api/compliance/statuses/people/{cast.learner.person_id}/"
    assert api(cast.manager).get(url).json()["up_to_date"] == 1
    assert api(cast.outsider).get(url).status_code == 404
    assert api(cast.senior_leader).get(url).status_code == 404


def test_the_team(cast, reqs):  # noqa: F811
    data = api(cast.senior_manager).get("/api/compliance/statuses/team/").json()
    people = sorted([cast.learner.person, cast.manager.person], key=by_name)
    assert [p["id"] for p in data["people"]] == [p.pk for p in people]
    columns = {c["requirement"]["code"]: c for c in data["requirements"]}
    assert set(columns) == {"SGA", "DBS"}
    assert (columns["SGA"]["compliant"], columns["SGA"]["required"]) == (1, 2)
    assert columns["SGA"]["percent"] == 50
    learner = next(p for p in data["people"] if p["id"] == cast.learner.person_id)
    assert {s["code"] for s in learner["statuses"]} == {"compliant", "overdue"}
    assert learner["direct"] is False
    direct = api(cast.senior_manager).get("/api/compliance/statuses/team/?direct=true").json()
    assert [p["id"] for p in direct["people"]] == [cast.manager.person_id]
    attention = api(cast.senior_manager).get(
        f"/api/compliance/statuses/team/?status=attention&requirement={reqs['sga'].pk}"
    )
    assert [p["id"] for p in attention.json()["people"]] == [cast.manager.person_id]


def test_the_team_by_unit(cast, reqs):  # noqa: F811
    url = f"/api/compliance/statuses/team/?unit={cast.childrens.pk}"
    data = api(cast.ld_admin).get(url).json()
    assert data["unit"] == cast.childrens.pk
    assert [p["id"] for p in data["people"]] == [cast.outsider.person_id]
    assert api(cast.adults_hr).get(url).status_code == 404


def test_the_team_makes_a_fixed_number_of_queries(cast, reqs):  # noqa: F811
    def count() -> int:
        client = api(type(cast.manager).objects.get(pk=cast.manager.pk))  # nothing cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/compliance/statuses/team/").status_code == 200
        return len(queries)

    _team_of(cast, 2)
    small = count()
    _team_of(cast, 28)
    assert Assignment.objects.filter(line_manager=cast.manager.person).count() == 31
    assert count() == small


def test_the_schema_documents_the_statuses(cast):
    response = api(cast.learner).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/compliance/statuses/me/" in paths
    assert "/api/compliance/statuses/people/{id}/" in paths
    team = paths["/api/compliance/statuses/team/"]["get"]
    assert {"on", "unit", "direct", "status", "requirement", "sort"} <= {
        p["name"] for p in team["parameters"]
    }
