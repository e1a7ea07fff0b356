"""The workforce dashboard and its API: the measures for the roles that may see them, their
scope, the downloads in the audit log, and a fixed number of queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from peopleplan.core.models import AuditEntry

URL = "/workforce/"


@pytest.fixture
def hr(client, cast, service):
    client.force_login(cast.hr_officer)
    return client


def test_hr_see_the_service_measures_beside_the_national_figures(hr, service):
    response = hr.get(URL, {"on": "2025-09-30", "unit": "CSC", "job_family": "Social work"})
    assert response.status_code == 200
    figures = {f.key: f for f in response.context["result"].figures}
    assert str(figures["turnover_rate_fte"].value) == "40.0"
    # "Social work" is not the national statistics' family: no national figures beside it.
    assert figures["turnover_rate_fte"].national is None
    text = response.content.decode()
    assert "Turnover rate (FTE)" in text and "40.0%" in text
    assert "How it is worked out" in text


def test_the_national_figures_stand_beside_childrens_social_work(hr, cast, service):
    from peopleplan.org.models import JobRole

    JobRole.objects.filter(code="SW").update(job_family="Children's social work")
    response = hr.get(URL, {"on": "2025-09-30", "job_family": "Children's social work"})
    figures = {f.key: f for f in response.context["result"].figures}
    assert str(figures["turnover_rate_fte"].national) == "11.8"  # England, 2025
    trend = {line.key: line for line in response.context["result"].trend}
    years = [on.year for on, _, _ in trend["agency_rate_fte"].points]
    assert years == list(range(2016, 2026))
    nationals = [nat for _, _, nat in trend["agency_rate_fte"].points]
    assert nationals[0] is None and str(nationals[1]) == "15.8"  # 2016 not published; 2017


def test_the_downloads_are_the_page_in_the_audit_log(hr, service):
    csv_text = hr.get(URL, {"on": "2025-09-30", "unit": "CSC", "format": "csv"}).content
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == "measure,key,value,national,definition"
    assert any(line.startswith("Turnover rate (FTE),turnover_rate_fte,40.0,") for line in lines)
    xlsx = hr.get(URL, {"on": "2025-09-30", "unit": "CSC", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "measure"
    assert AuditEntry.objects.filter(object_type="export:workforce").count() == 2


def test_a_unit_outside_the_scope_or_an_unknown_family_is_not_found(client, cast, service):
    client.force_login(cast.adults_hr)
    assert client.get(URL).status_code == 200
    assert client.get(URL, {"unit": "CSC"}).status_code == 404  # not under Adults
    assert client.get(URL, {"unit": "NOPE"}).status_code == 404
    assert client.get(URL, {"job_family": "Astronauts"}).status_code == 404


@pytest.mark.parametrize("who", ["learner", "manager", "ld_admin", "hr_equality", "outsider"])
def test_everyone_else_is_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.get("/api/workforce/measures/").status_code == 403


def test_the_api_gives_every_measure_with_its_definition(hr, service):
    body = hr.get("/api/workforce/measures/", {"on": "2025-09-30", "unit": "CSC"}).json()
    measures = {m["key"]: m for m in body["measures"]}
    assert measures["caseload_fte"]["value"] == 17.4
    assert measures["vacancy_rate_fte"]["definition"].startswith("Vacant FTE")
    assert body["unit"] == {"code": "CSC", "name": "Children's social care"}
    assert body["trend"][0]["key"] == "turnover_rate_fte"


def test_the_page_makes_the_same_queries_whatever_the_size(hr, service):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert hr.get(URL, {"on": "2025-09-30"}).status_code == 200
        return len(captured)

    before = queries()
    from tests.factories import AssignmentFactory

    for _ in range(5):
        AssignmentFactory(unit=service["csc"])
    assert queries() == before


def test_the_retention_page_has_routes_curves_and_leavers_by_quarter(hr, cast, service):
    import datetime as dt

    from peopleplan.workforce.models import Cohort, CohortMember, RecruitmentRoute

    cohort = Cohort.objects.create(route=RecruitmentRoute.objects.get(code="step-up"), name="SU 23")
    people = service["people"]
    for name in "ABC":
        CohortMember.objects.create(
            cohort=cohort, person=people[name], started_on=dt.date(2023, 9, 1)
        )
    response = hr.get("/workforce/retention/", {"on": "2025-09-30", "unit": "CSC"})
    assert response.status_code == 200
    routes = response.context["routes"]
    route, cohorts = routes[0]
    # A and B still here (B's cohort start is before her job: she is not in the service's
    # cohort then), C left on 31 March 2025.
    assert (route.label, [c.label for c in cohorts]) == ("Step Up to Social Work", ["SU 23"])
    assert route.left == 1
    rows = response.context["quarter_rows"]
    assert len(rows) == 8
    jan_to_mar = next(r for r in rows if r[0][1] == dt.date(2025, 3, 31))
    assert jan_to_mar[2] == 1  # C resigned
    text = response.content.decode()
    assert "Step Up to Social Work" in text and "Resignation" in text
    csv_text = hr.get("/workforce/retention/", {"on": "2025-09-30", "format": "csv"}).content
    assert b"route,Step Up to Social Work" in csv_text


def test_the_retention_api(hr, cast, service):
    import datetime as dt

    from peopleplan.workforce.models import Cohort, CohortMember, RecruitmentRoute

    route = RecruitmentRoute.objects.get(code="frontline")
    cohort = Cohort.objects.create(route=route, name="Frontline 2023")
    CohortMember.objects.create(
        cohort=cohort, person=service["people"]["A"], started_on=dt.date(2023, 9, 1)
    )
    body = hr.get("/api/workforce/retention/", {"on": "2025-09-30"}).json()
    assert body["routes"][0]["label"] == "Frontline"
    assert body["routes"][0]["cohorts"][0]["people"] == 1
    assert body["routes"][0]["at_12_months"] == 100.0
    assert len(body["leavers_by_quarter"]) == 8


@pytest.mark.parametrize(
    ("url", "api"),
    [
        ("/workforce/", "/api/workforce/measures/"),
        ("/workforce/retention/", "/api/workforce/retention/"),
        ("/workforce/equality/", "/api/workforce/equality/"),
    ],
)
def test_an_as_of_date_that_is_not_a_date_is_refused_by_name(client, cast, url, api):
    from peopleplan.access.models import RoleGrant
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(user=cast.hr_officer, role=RoleGrant.Role.HR_EQUALITY)
    client.force_login(cast.hr_officer)
    response = client.get(url, {"on": "2025-09-31"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and 'href="#on"' in text
    assert "Enter the as-of date as a real date in the form YYYY-MM-DD" in text
    assert 'value="2025-09-31"' in text and "govuk-input--error" in text
    assert response.context["on_error"]
    assert client.get(url, {"on": "soon", "format": "csv"}).status_code == 400
    refused = client.get(api, {"on": "30/09/2025"})
    assert refused.status_code == 400
    assert "YYYY-MM-DD" in refused.json()["on"][0]
    assert client.get(url, {"on": ""}).context["on_error"] == ""  # empty: the default date
