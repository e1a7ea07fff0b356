"""The demand forecast on hand-made data whose answer is worked out here: expiries, a known
starter, a recent starter in their grace period, people overdue and expired now; the session
size; the page, its exports (audit logged) and its fixed number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from peopleplan.compliance import forecast, services
from peopleplan.core.models import AuditEntry
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import (
    AssignmentFactory,
    JobRoleFactory,
    LearningItemFactory,
    PersonFactory,
    SessionFactory,
    UnitFactory,
)

D = dt.date
ON = D(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def council(db):
    top = UnitFactory(code="NCC", name="The council", unit_type="council")
    a = UnitFactory(code="A", name="Adults", unit_type="directorate", parent=top)
    b = UnitFactory(code="B", name="Children", unit_type="directorate", parent=top)
    team_a = UnitFactory(code="A1", name="Adults team", parent=a)
    team_b = UnitFactory(code="B1", name="Children team", parent=b)
    sw = JobRoleFactory(code="SW", title="Social worker", job_family="Social work")
    clerk = JobRoleFactory(code="CLK", title="Clerk", job_family="Business support")
    audience = Audience.objects.create(code="sw", name="Social workers")
    AudienceRule.objects.create(audience=audience, kind="job_family", values=["Social work"])
    course = LearningItemFactory(code="SG2", title="Safeguarding level 2")
    req = services.requirement_create(
        actor=None,
        code="SG2",
        name="Safeguarding level 2",
        audience=audience,
        items=[course],
        validity_months=36,
        window_days=90,
        grace_days=90,
    )
    return {
        "a": a,
        "b": b,
        "team_a": team_a,
        "team_b": team_b,
        "sw": sw,
        "clerk": clerk,
        "audience": audience,
        "course": course,
        "req": req,
    }


LONG_AGO = D(2020, 4, 1)


def worker(c, team, *, start=LONG_AGO, role=None, completed=None):
    person = PersonFactory()
    AssignmentFactory(person=person, unit=c[team], job_role=role or c["sw"], start_date=start)
    if completed:
        Completion.objects.create(
            person=person, item=c["course"], completed_on=completed, source="import", created_at=NOW
        )
        hooks.completions_changed([person.pk])
    return person


@pytest.fixture
def people(council):
    c = council
    worker(c, "team_a", completed=D(2023, 12, 10))  # runs out 10 Dec 2026: month 2
    worker(c, "team_a", completed=D(2024, 3, 5))  # runs out 5 Mar 2027: month 5
    worker(c, "team_b", completed=D(2020, 1, 1))  # expired in 2023: month 1
    worker(c, "team_b")  # never done it, in post since 2020: overdue, month 1
    worker(c, "team_b", completed=D(2025, 6, 1))  # runs out in 2028: not counted
    worker(c, "team_b", start=D(2026, 10, 1))  # a recent starter: grace ends 30 Dec, month 2
    worker(c, "team_a", start=D(2027, 1, 15))  # a known starter: grace ends 15 Apr, month 6
    worker(c, "team_a", role=c["clerk"], completed=D(2023, 12, 1))  # not in the audience
    # Sessions of the course in the year before: capacities 10, 16 and 30 (median 16); a
    # cancelled one and one from before the year do not count.
    for capacity, day in ((10, D(2026, 2, 1)), (16, D(2026, 6, 1)), (30, D(2026, 9, 1))):
        SessionFactory(item=c["course"], capacity=capacity, starts_at=at(day))
    SessionFactory(item=c["course"], capacity=100, status="cancelled", starts_at=at(D(2026, 5, 1)))
    SessionFactory(item=c["course"], capacity=2, starts_at=at(D(2025, 10, 1)))
    return c


def test_the_forecast_worked_out_by_hand(people):
    found = forecast.forecast(on=ON)
    assert found.months[0] == D(2026, 11, 1) and found.months[-1] == D(2027, 10, 1)
    (rf,) = found.requirements
    rows = {row.unit.name: row.months for row in rf.rows}
    #              Nov Dec Jan Feb Mar Apr May ...
    assert rows == {
        "Adults": [0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0],
        "Children": [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    }
    assert rf.months == [2, 2, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]
    assert rf.total == 6
    assert rf.overdue_now == 2
    assert rf.starters == 1
    assert rf.session_size == 16 and rf.size_from_sessions == 3
    assert rf.sessions == [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]


def test_a_part_of_the_council(people):
    from peopleplan.org.models import subtree_q

    found = forecast.forecast(on=ON, within=subtree_q("unit__path", [people["a"].path]))
    (rf,) = found.requirements
    assert [r.unit.name for r in rf.rows] == ["Adults"]
    assert rf.months == [0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]


def test_exempt_people_and_those_holding_it_for_ever_are_not_counted(people):
    c = people
    person = worker(c, "team_a")
    services.exemption_grant(
        person=person,
        requirement=c["req"],
        reason="Long-term sick",
        starts_on=D(2026, 1, 1),
        ends_on=D(2027, 6, 1),
        actor=None,
    )
    (rf,) = forecast.forecast(on=ON).requirements
    assert rf.total == 6


def test_e_learning_and_credentials_need_no_sessions(council):
    online = LearningItemFactory(code="IG", title="Information governance", kind="elearning")
    services.requirement_create(
        actor=None,
        code="IG",
        name="Information governance",
        audience=council["audience"],
        items=[online],
        validity_months=12,
    )
    other = LearningItemFactory(code="FA", title="First aid")
    services.requirement_create(
        actor=None,
        code="FA",
        name="First aid",
        audience=council["audience"],
        items=[other],
        validity_months=36,
    )
    by_code = {rf.requirement.code: rf for rf in forecast.forecast(on=ON).requirements}
    assert by_code["IG"].sessions is None
    assert "e-learning" in by_code["IG"].note
    assert by_code["FA"].session_size == forecast.DEFAULT_SESSION_SIZE
    assert "no sessions of this learning in the last year" in by_code["FA"].note


def _queries(on):
    with CaptureQueriesContext(connection) as ctx:
        forecast.forecast(on=on)
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries_per_requirement(people):
    c = people
    one = _queries(ON)
    for n in range(10):
        worker(c, "team_a" if n % 2 else "team_b", completed=D(2024, 1, n + 1))
        worker(c, "team_b", start=D(2027, 2, n + 1))
    assert _queries(ON) == one
    services.requirement_create(
        actor=None,
        code="X",
        name="Another",
        audience=c["audience"],
        items=[c["course"]],
        validity_months=12,
    )
    assert _queries(ON) == one + 2


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.hr_officer)
    return client


def test_the_page_shows_the_numbers(signed_in, people):
    response = signed_in.get(reverse("compliance:forecast"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Safeguarding level 2" in text
    assert "already overdue or expired" in text
    assert "a session" in text


def test_the_exports_are_the_table_and_are_audit_logged(signed_in, people):
    response = signed_in.get(reverse("compliance:forecast_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    today = timezone.localdate()
    assert rows[0][:3] == ["requirement_code", "requirement", "directorate"]
    assert rows[0][3] == f"{today:%Y-%m}" and rows[0][-1] == "total"
    assert [r[2] for r in rows[1:]][-2:][0] == "All directorates"
    assert rows[-1][2].startswith("Sessions at ")
    entry = AuditEntry.objects.get(object_type="export:compliance_forecast")
    assert entry.object_label.endswith(".csv")

    response = signed_in.get(reverse("compliance:forecast_export") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][2] == "directorate"
    assert [list(map(str, v)) for v in values[1:]] == rows[1:]
    assert AuditEntry.objects.filter(object_type="export:compliance_forecast").count() == 2


def test_the_page_makes_a_fixed_number_of_queries(signed_in, people):
    url = reverse("compliance:forecast")
    with CaptureQueriesContext(connection) as before:
        signed_in.get(url)
    for _ in range(5):
        worker(people, "team_b", completed=D(2024, 2, 1))
    with CaptureQueriesContext(connection) as after:
        signed_in.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
