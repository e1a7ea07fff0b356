"""Compliance in numbers: the summary of a unit rolls up to its child units and adds up, the
people behind a number match it, expiring soon, the overview, the exports and the API, each
scoped by the gates and in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from peopleplan.access import gates
from peopleplan.compliance import services, status, summary
from peopleplan.compliance.rules import StatusCode
from peopleplan.core.dates import today
from peopleplan.core.models import AuditEntry
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Audience, AudienceRule
from tests.factories import AssignmentFactory, LearningItemFactory, PersonFactory

C = StatusCode
LONG_AGO = dt.date(2015, 1, 1)


def complete(person, item, on):
    Completion.objects.create(
        person=person, item=item, completed_on=on, source="import", created_at=timezone.now()
    )
    hooks.completions_changed([person.pk])


@pytest.fixture
def world(cast):
    """Everyone in the council needs Fire safety (valid a year, a 30-day window, 60 days'
    grace). Besides the cast (who have nothing, and joined today: due soon), people in each
    team with every status."""
    on = today()
    everyone = Audience.objects.create(code="everyone", name="Everyone")
    AudienceRule.objects.create(audience=everyone, kind="unit", values=[cast.council.code])
    course = LearningItemFactory(code="FIRE", title="Fire safety")
    req = services.requirement_create(
        actor=None,
        code="FIRE",
        name="Fire safety",
        audience=everyone,
        items=[course],
        validity_months=12,
        window_days=30,
        grace_days=60,
    )
    made = {}

    def staff(name, unit, done_days_ago=None):
        person = PersonFactory(first_name=name, last_name="Test")
        AssignmentFactory(person=person, unit=unit, start_date=LONG_AGO)
        if done_days_ago is not None:
            complete(person, course, on - dt.timedelta(days=done_days_ago))
        made[name] = person
        return person

    staff("Ada", cast.adults_team, 10)  # compliant
    staff("Bea", cast.adults_team, 350)  # due soon (runs out in about 15 days)
    staff("Cal", cast.adults_team)  # overdue
    staff("Dee", cast.adults, 400)  # expired
    staff("Eve", cast.childrens_team, 20)  # compliant
    staff("Fay", cast.childrens_team, 300)  # compliant, runs out in about 65 days
    exempt = staff("Gus", cast.childrens_team)
    services.exemption_grant(
        actor=None,
        person=exempt,
        requirement=req,
        reason="Long-term sick leave",
        starts_on=on - dt.timedelta(days=5),
        ends_on=on + dt.timedelta(days=100),
    )
    return {"req": req, "on": on, "people": made, "course": course}


def tally_of(result, unit):
    index = next(i for i, c in enumerate(result.columns) if c.unit == unit and not c.direct)
    return result.lines[0].cells[index]


def test_the_summary_rolls_up_to_the_child_units_and_adds_up(world, cast):
    result = summary.unit_summary(paths=None, unit=cast.council, as_of=world["on"])
    labels = [c.label for c in result.columns]
    assert labels == ["Adults", "Children's", "Council (directly)"]
    adults = tally_of(result, cast.adults)
    # learner, manager (joined recently? no: the cast's assignments) are counted with Ada...
    line = result.lines[0]
    for code in summary.CODES:
        assert sum(t.counts[code] for t in line.cells) == line.total.counts[code]
    assert adults.expired == 1 and adults.overdue >= 1 and adults.due_soon >= 1
    # The same numbers, one level down: Adults' children add up to Adults' column above.
    below = summary.unit_summary(paths=None, unit=cast.adults, as_of=world["on"])
    assert below.lines[0].total.counts == adults.counts
    assert [c.label for c in below.columns] == ["Adults team A", "Adults (directly)"]
    # And the numbers are those of the status engine, person by person.
    engine = status.status_counts(requirements=[world["req"]], as_of=world["on"])
    assert sum(c.people for c in engine if c.code != C.NOT_REQUIRED) == (
        line.total.counted + line.total.exempt
    )


def test_exempt_people_are_not_in_the_denominator(world, cast):
    result = summary.unit_summary(paths=None, unit=cast.childrens, as_of=world["on"])
    team = tally_of(result, cast.childrens_team)
    assert team.exempt == 1
    assert team.counted == team.compliant + team.due_soon + team.overdue + team.expired
    assert team.percent == round(100 * team.compliant / team.counted)


def test_a_scoped_hr_officer_sees_only_their_units(world, cast, client):
    paths = gates.compliance_summary_paths(cast.adults_hr)
    assert summary.default_unit(paths) == cast.adults
    client.force_login(cast.adults_hr)
    page = client.get(reverse("compliance:summary"))
    assert page.status_code == 200
    assert "Adults team A" in page.content.decode()
    assert "Children&#x27;s team C" not in page.content.decode()
    assert client.get(reverse("compliance:summary"), {"unit": cast.childrens.pk}).status_code == 404
    people = client.get(
        reverse("compliance:summary_people"),
        {"requirement": world["req"].pk, "unit": cast.childrens_team.pk},
    )
    assert people.status_code == 404
    listed = client.get(reverse("compliance:summary_people"), {"requirement": world["req"].pk})
    assert "Eve Test" not in listed.content.decode()
    assert "Ada Test" in listed.content.decode()


def test_the_people_behind_each_number_match_it(world, cast, client):
    client.force_login(cast.hr_officer)
    result = summary.unit_summary(paths=None, unit=cast.council, as_of=world["on"])
    for column, tally in zip(result.columns, result.lines[0].cells, strict=True):
        for code in summary.CODES:
            query = {"requirement": world["req"].pk, "unit": column.unit.pk, "status": code}
            if column.direct:
                query["direct"] = 1
            page = client.get(reverse("compliance:summary_people"), query)
            assert page.status_code == 200
            assert page.context["page"].paginator.count == tally.counts[code], (column, code)


def test_the_list_gives_reasons_and_dates(world, cast, client):
    client.force_login(cast.ld_admin)
    page = client.get(
        reverse("compliance:summary_people"),
        {"requirement": world["req"].pk, "status": C.EXPIRED},
    )
    text = page.content.decode()
    assert "Dee Test" in text
    assert "Expired on" in text
    assert "govuk-tag--orange" in text


def test_senior_leaders_see_numbers_not_names(world, cast, client):
    client.force_login(cast.senior_leader)
    page = client.get(reverse("compliance:summary"))
    assert page.status_code == 200
    assert reverse("compliance:summary_people") not in page.content.decode()
    assert "not the people behind them" in page.content.decode()
    people = client.get(reverse("compliance:summary_people"), {"requirement": world["req"].pk})
    assert people.status_code == 403
    assert client.get(reverse("compliance:full_export")).status_code == 403
    expiring = client.get(reverse("compliance:expiring"), {"days": 90})
    assert expiring.status_code == 200
    assert "Bea Test" not in expiring.content.decode()
    assert client.get(reverse("compliance:overview")).status_code == 200


def test_expiring_soon_counts_each_window(world, cast, client):
    counts = dict(
        summary.expiring_counts(requirements=[world["req"]], as_of=world["on"], within=None)
    )[world["req"]]
    # Bea runs out within 30 days (and so 60 and 90); Fay within 90; Ada and Eve later.
    assert counts[30] == 1
    assert counts[60] == 1
    assert counts[90] == 2
    client.force_login(cast.ld_admin)
    page = client.get(reverse("compliance:expiring"), {"days": 90})
    text = page.content.decode()
    assert "Bea Test" in text and "Fay Test" in text and "Ada Test" not in text


def test_the_overview_puts_the_worst_first(world, cast, client):
    result = summary.overview(paths=None, as_of=world["on"])
    percents = [t.percent for _, t in result.units]
    assert percents == sorted(percents)
    client.force_login(cast.senior_leader)
    page = client.get(reverse("compliance:overview"))
    assert page.status_code == 200
    assert "Fire safety" in page.content.decode()


@pytest.mark.parametrize(
    "name, params",
    [
        ("compliance:summary", {}),
        ("compliance:summary_people", {"status": "compliant"}),
        ("compliance:expiring", {"days": 90}),
        ("compliance:overview", {}),
    ],
)
def test_each_page_makes_a_fixed_number_of_queries(world, cast, client, name, params):
    client.force_login(cast.hr_officer)
    if name == "compliance:summary_people":
        params = {**params, "requirement": world["req"].pk}
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse(name), params).status_code == 200
    for n in range(15):
        staff = PersonFactory()
        AssignmentFactory(
            person=staff,
            unit=cast.childrens_team if n % 2 else cast.adults_team,
            start_date=LONG_AGO,
        )
        complete(staff, world["course"], world["on"] - dt.timedelta(days=300 + n))
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse(name), params).status_code == 200
    assert len(after) == len(before)


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_page_downloads_match_the_page_and_are_audited(world, cast, client):
    client.force_login(cast.hr_officer)
    result = summary.unit_summary(paths=None, unit=cast.council, as_of=world["on"])
    rows = _csv(client.get(reverse("compliance:summary"), {"format": "csv"}))
    assert rows[0][:3] == ["requirement_code", "requirement", "unit"]
    all_row = next(r for r in rows if r[2] == "All")
    assert int(all_row[3]) == result.lines[0].total.compliant
    assert all_row[-1] == str(result.lines[0].total.percent)
    xlsx = client.get(reverse("compliance:summary"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:3] == ["requirement_code", "requirement", "unit"]
    assert sheet.max_row == len(rows)
    people = _csv(
        client.get(
            reverse("compliance:summary_people"),
            {"requirement": world["req"].pk, "status": "overdue", "format": "csv"},
        )
    )
    assert len(people) - 1 == result.lines[0].total.overdue
    overview = _csv(client.get(reverse("compliance:overview"), {"format": "csv"}))
    assert overview[1][1] == "FIRE"
    expiring = _csv(client.get(reverse("compliance:expiring"), {"days": 90, "format": "csv"}))
    assert {r[2] for r in expiring[1:]} == {"Bea Test", "Fay Test"}
    assert AuditEntry.objects.filter(action="export").count() == 5


def test_the_full_export_lists_everyone_by_every_requirement(world, cast, client):
    client.force_login(cast.adults_hr)
    rows = _csv(client.get(reverse("compliance:full_export")))
    assert rows[0] == summary.FULL_EXPORT_HEADERS
    names = {r[1] for r in rows[1:]}
    assert "Ada" in names and "Eve" not in names
    dee = next(r for r in rows if r[1] == "Dee")
    assert dee[8] == "Expired" and dee[9] == dee[10] != ""
    cal = next(r for r in rows if r[1] == "Cal")
    assert cal[8] == "Overdue" and cal[10] == ""
    entry = AuditEntry.objects.get(object_type="export:compliance-full")
    assert entry.actor_id == cast.adults_hr.pk
    client.force_login(cast.ld_admin)
    xlsx = client.get(reverse("compliance:full_export"), {"format": "xlsx"})
    body = b"".join(xlsx.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.max_row == 1 + sum(
        c.people for c in status.status_counts(requirements=[world["req"]], as_of=world["on"])
    )


def test_the_full_export_dates_agree_with_the_status_engine(world, cast):
    req = world["req"]
    on = world["on"]
    rows = list(summary.full_export_rows(requirements=[req], as_of=on, within=None))
    by_number = {r[0]: r for r in rows}
    found = status.statuses(
        person_ids=[p.pk for p in world["people"].values()], requirements=[req], as_of=on
    )
    for person in world["people"].values():
        got = found[(person.pk, req.pk)]
        row = by_number[person.employee_number]
        assert row[8] == got.code.label
        assert row[9] == (got.due_on.isoformat() if got.due_on else "")
        assert row[10] == (got.expires_on.isoformat() if got.expires_on else "")


def test_whose_names_each_role_sees_behind_the_numbers(cast):
    assert gates.compliance_names_paths(cast.hr_officer) is None
    assert gates.compliance_names_paths(cast.ld_admin) is None
    assert gates.compliance_names_paths(cast.adults_hr) == [cast.adults.path]
    assert gates.compliance_names_paths(cast.senior_leader) == []
    assert gates.can(cast.senior_leader, "compliance.summary")
    assert not gates.can(cast.senior_leader, "compliance.summary_people")
    for user in (cast.manager, cast.budget_holder, cast.hr_equality, cast.sysadmin):
        assert not gates.can(user, "compliance.summary_people")


def test_the_api_gives_the_pages_numbers(world, cast, client):
    client.force_login(cast.adults_hr)
    body = client.get("/api/compliance/summary/").json()
    assert body["unit"]["code"] == cast.adults.code
    result = summary.unit_summary(paths=[cast.adults.path], unit=cast.adults, as_of=world["on"])
    assert body["total"] == result.total.as_dict()
    people = client.get(
        "/api/compliance/summary/people/", {"requirement": world["req"].pk, "status": "expired"}
    ).json()
    assert people["count"] == 1 and people["results"][0]["name"] == "Dee Test"
    assert people["results"][0]["reason"].startswith("Expired on")
    expiring = client.get(
        "/api/compliance/expiring/", {"requirement": world["req"].pk, "days": 30}
    ).json()
    assert expiring["requirements"][0]["within"] == {"30": 1, "60": 1, "90": 1}
    assert [p["name"] for p in expiring["people"]["results"]] == ["Bea Test"]
    overview = client.get("/api/compliance/overview/").json()
    assert overview["requirements"][0]["code"] == "FIRE"
    client.force_login(cast.senior_leader)
    assert (
        "people"
        not in client.get("/api/compliance/expiring/", {"requirement": world["req"].pk}).json()
    )


def test_every_link_on_the_summary_leads_to_as_many_people_as_it_says(world, cast, client):
    client.force_login(cast.hr_officer)
    for unit in (cast.council, cast.adults):
        page = client.get(reverse("compliance:summary"), {"unit": unit.pk})
        for row in page.context["table"]:
            for cell in [*row["cells"], row["total"]]:
                for other in cell["others"]:
                    listed = client.get(other["url"])
                    assert listed.context["page"].paginator.count == other["n"], other
                if cell["links"]:
                    listed = client.get(cell["links"]["compliant"])
                    assert listed.context["page"].paginator.count == cell["tally"].compliant


def test_a_long_list_downloads_with_every_reason(world, cast, client, monkeypatch):
    from peopleplan.compliance import summary_views

    monkeypatch.setattr(summary_views, "REASONS_CHUNK", 2)
    client.force_login(cast.ld_admin)
    rows = _csv(
        client.get(
            reverse("compliance:summary_people"),
            {"requirement": world["req"].pk, "format": "csv"},
        )
    )
    total = summary.unit_summary(paths=None, unit=cast.council, as_of=world["on"]).total
    assert len(rows) - 1 == total.counted + total.exempt
    assert all(r[7] for r in rows[1:])
