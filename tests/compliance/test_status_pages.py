"""My compliance, a person's compliance and the team matrix: what each role sees, the "as of"
date, movers and leavers, the filters and sorting, the exports, and a fixed number of queries
whatever the team's size."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from peopleplan.compliance import services
from peopleplan.compliance.models import CredentialType
from peopleplan.core.dates import today
from peopleplan.core.models import AuditEntry
from peopleplan.learning import hooks
from peopleplan.learning.models import Completion
from peopleplan.org.models import Assignment, Audience, AudienceRule
from tests.factories import AssignmentFactory, LearningItemFactory, PersonFactory

D = dt.date


def _audience(code: str, unit_code: str) -> Audience:
    audience = Audience.objects.create(code=code, name=code)
    AudienceRule.objects.create(audience=audience, kind="unit", values=[unit_code])
    return audience


def complete(person, item, on: dt.date) -> None:
    Completion.objects.create(
        person=person, item=item, completed_on=on, source="import", created_at=timezone.now()
    )
    hooks.completions_changed([person.pk])


@pytest.fixture
def reqs(cast):
    """Adults staff need safeguarding adults (three years) and an enhanced DBS check;
    Children's staff need safeguarding children. The learner did safeguarding adults a year
    ago; no one has a DBS check."""
    adults = _audience("adults-staff", "ADU")
    childrens = _audience("childrens-staff", "CHI")
    course = LearningItemFactory(code="SGA", title="Safeguarding adults")
    online = LearningItemFactory(code="SGA-E", title="Safeguarding adults online")
    kids = LearningItemFactory(code="SGC", title="Safeguarding children")
    dbs = CredentialType.objects.create(
        code="DBS-E", name="Enhanced DBS check", kind="dbs", recheck_months=36
    )
    sga = services.requirement_create(
        actor=None,
        code="SGA",
        name="Safeguarding adults",
        audience=adults,
        items=[course, online],
        validity_months=36,
        grace_days=0,
    )
    check = services.requirement_create(
        actor=None,
        code="DBS",
        name="DBS check",
        audience=adults,
        credential_type=dbs,
        validity_months=None,
        grace_days=0,
    )
    sgc = services.requirement_create(
        actor=None,
        code="SGC",
        name="Safeguarding children",
        audience=childrens,
        items=[kids],
        validity_months=36,
        grace_days=0,
    )
    complete(cast.learner.person, course, today() - dt.timedelta(days=365))
    return {"sga": sga, "dbs": check, "sgc": sgc, "course": course, "kids": kids}


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- my compliance and a person's ------------------------------------------------------------


def test_my_compliance_worst_first_with_reasons_and_ways_to_meet_it(client, cast, reqs):
    html = page(client, cast.learner, reverse("compliance:mine"))
    assert "You are up to date with 1 of 2" in html
    # Overdue (the DBS check) before compliant (safeguarding adults); children's not shown.
    assert html.index("DBS check") < html.index("Safeguarding adults")
    assert "Safeguarding children" not in html
    assert "govuk-tag--red" in html and "Overdue" in html
    assert "govuk-tag--green" in html and "Compliant" in html
    assert "Ask HR to record the Enhanced DBS check" in html
    assert reverse("learning:item", args=[reqs["course"].pk]) in html
    assert "Up to date until" in html  # the engine's reason


def test_the_as_of_date_shows_the_past_and_the_future(client, cast, reqs):
    url = reverse("compliance:mine")
    year_ago = today() - dt.timedelta(days=366)
    html = page(
        client,
        cast.learner,
        f"{url}?on-day={year_ago.day}&on-month={year_ago.month}&on-year={year_ago.year}",
    )
    assert "up to date with 0 of 2" in html
    future = today() + dt.timedelta(days=365 * 2 - 30)  # inside the renewal window
    html = page(client, cast.learner, f"{url}?on={future.isoformat()}")
    assert "Due soon" in html
    assert "up to date with 0 of 2" in html


def test_a_wrong_date_is_said_and_today_shown(client, cast, reqs):
    url = reverse("compliance:mine") + "?on-day=31&on-month=2&on-year=2026"
    html = page(client, cast.learner, url)
    assert "There is a problem" in html
    assert "Enter a real date" in html
    assert "up to date with 1 of 2" in html


def test_an_account_without_a_person(client, cast, reqs, django_user_model):
    user = django_user_model.objects.create_user(email="nobody@council.example", password="x")
    html = page(client, user, reverse("compliance:mine"))
    assert "not linked to a member of staff" in html


def test_my_compliance_is_in_the_navigation(client, cast, reqs):
    html = page(client, cast.learner, reverse("home"))
    assert reverse("compliance:mine") in html
    assert reverse("compliance:team") not in html
    assert reverse("compliance:team") in page(client, cast.manager, reverse("home"))
    assert reverse("compliance:team") in page(client, cast.adults_hr, reverse("home"))


def test_a_persons_compliance(client, cast, reqs):
    url = reverse("compliance:person", args=[cast.learner.person_id])
    for who in ("manager", "senior_manager", "ld_admin", "hr_officer", "adults_hr"):
        html = page(client, getattr(cast, who), url)
        assert f"{escape(cast.learner.person.full_name)} is up to date with 1 of 2" in html
    for who in ("outsider", "senior_leader", "budget_holder", "hr_equality", "sysadmin"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404, who


# --- the team matrix -------------------------------------------------------------------------


def rows_of(html: str) -> int:
    return html.count("data-person=")


def test_a_manager_sees_their_reports_only(client, cast, reqs):
    html = page(client, cast.senior_manager, reverse("compliance:team"))
    assert f'data-person="{cast.learner.person_id}"' in html
    assert f'data-person="{cast.manager.person_id}"' in html
    assert f'data-person="{cast.outsider.person_id}"' not in html
    assert rows_of(html) == 2
    # The requirements that apply to any of them, and the summary row.
    assert "Safeguarding adults" in html and "Safeguarding children" not in html
    assert "1 of 2 (50%)" in html  # safeguarding adults: the learner, not the manager
    assert "0 of 2 (0%)" in html
    # Each cell: the tag's colour and words, and its date.
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong> <span' in html
    assert 'Compliant</strong> <span class="pp-status-date">until ' in html
    direct = page(client, cast.senior_manager, reverse("compliance:team") + "?direct=1")
    assert rows_of(direct) == 1
    assert f'data-person="{cast.manager.person_id}"' in direct


def test_an_outsider_sees_no_one(client, cast, reqs):
    html = page(client, cast.outsider, reverse("compliance:team"))
    assert rows_of(html) == 0
    assert "No one reports to you" in html


def test_l_and_d_and_hr_choose_a_unit_in_their_scope(client, cast, reqs):
    url = reverse("compliance:team")
    html = page(client, cast.ld_admin, url)
    assert "Choose a unit" in html and rows_of(html) == 0
    html = page(client, cast.ld_admin, f"{url}?unit={cast.childrens.pk}")
    assert rows_of(html) == 1 and f'data-person="{cast.outsider.person_id}"' in html
    assert "Safeguarding children" in html
    html = page(client, cast.adults_hr, f"{url}?unit={cast.adults.pk}")
    assert rows_of(html) == 3  # learner, manager, senior manager
    client.force_login(cast.adults_hr)
    assert client.get(f"{url}?unit={cast.childrens.pk}").status_code == 404
    assert client.get(f"{url}?unit=nonsense").status_code == 404


def test_filter_by_status_and_requirement_and_sort_worst_first(client, cast, reqs):
    url = reverse("compliance:team")
    u = cast.senior_manager
    html = page(client, u, f"{url}?status=overdue&requirement={reqs['sga'].pk}")
    assert rows_of(html) == 1 and f'data-person="{cast.manager.person_id}"' in html
    assert "DBS check" not in html.split("<table", 1)[1]
    html = page(client, u, f"{url}?status=attention")
    assert rows_of(html) == 2
    html = page(client, u, f"{url}?status=compliant")
    assert rows_of(html) == 1
    # Worst first: the manager (overdue) before the learner (compliant).
    html = page(client, u, f"{url}?sort=req-{reqs['sga'].pk}")
    assert html.index(f'data-person="{cast.manager.person_id}"') < html.index(
        f'data-person="{cast.learner.person_id}"'
    )
    assert 'aria-sort="other"' in html


def test_not_required_cells_are_empty_but_said(client, cast, reqs):
    html = page(client, cast.ld_admin, reverse("compliance:team") + f"?unit={cast.council.pk}")
    # The outsider needs only safeguarding children; the Adults staff do not.
    assert '<span class="govuk-visually-hidden">Not required</span>' in html


def test_a_mover_and_a_leaver_as_of_dates_before_and_after(client, cast, reqs):
    """The mover leaves Adults team A for Children's team C in ten days; the leaver left
    ten days ago."""
    on = today()
    mover = PersonFactory(first_name="Morgan", last_name="Mover")
    AssignmentFactory(
        person=mover,
        unit=cast.adults_team,
        line_manager=cast.manager.person,
        start_date=D(2020, 1, 1),
        end_date=on + dt.timedelta(days=9),
    )
    AssignmentFactory(person=mover, unit=cast.childrens_team, start_date=on + dt.timedelta(days=10))
    leaver = PersonFactory(
        first_name="Lee", last_name="Leaver", leaving_date=on - dt.timedelta(days=10)
    )
    AssignmentFactory(
        person=leaver,
        unit=cast.adults_team,
        line_manager=cast.manager.person,
        start_date=D(2020, 1, 1),
        end_date=on - dt.timedelta(days=10),
    )
    url = reverse("compliance:team")
    before = (on - dt.timedelta(days=20)).isoformat()
    after = (on + dt.timedelta(days=20)).isoformat()
    html = page(client, cast.manager, f"{url}?on={before}")
    assert "Morgan Mover" in html and "Lee Leaver" in html
    html = page(client, cast.manager, url)
    assert "Morgan Mover" in html and "Lee Leaver" not in html
    html = page(client, cast.manager, f"{url}?on={after}")
    assert "Morgan Mover" not in html and "Lee Leaver" not in html
    # By unit: the mover is in Children's after the move, with its requirement.
    html = page(client, cast.ld_admin, f"{url}?unit={cast.childrens.pk}&on={after}")
    assert "Morgan Mover" in html and "Safeguarding children" in html
    html = page(client, cast.ld_admin, f"{url}?unit={cast.childrens.pk}&on={before}")
    assert "Morgan Mover" not in html


def _team_of(cast, size: int) -> None:
    for n in range(size):
        person = PersonFactory(first_name=f"Member{n:02d}", last_name="Team")
        AssignmentFactory(
            person=person,
            unit=cast.adults_team,
            line_manager=cast.manager.person,
            start_date=D(2020, 1, 1),
        )


def _queries(client, user, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_matrix_makes_a_fixed_number_of_queries(client, cast, reqs):
    url = reverse("compliance:team")
    _team_of(cast, 2)
    small = _queries(client, cast.manager, url)
    _team_of(cast, 27)
    assert Assignment.objects.filter(line_manager=cast.manager.person).count() == 30
    assert _queries(client, cast.manager, url) == small
    assert _queries(client, cast.manager, reverse("compliance:team_export")) == _queries(
        client, cast.manager, reverse("compliance:team_export") + "?format=xlsx"
    )


def test_the_exports_open_and_match_the_page(client, cast, reqs):
    url = reverse("compliance:team_export") + "?status=attention"
    client.force_login(cast.senior_manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Job", "Unit", "Reports to"]
    assert "Safeguarding adults" in rows[0] and "DBS check" in rows[0]
    people = sorted(
        [cast.learner.person, cast.manager.person],
        key=lambda p: (p.last_name.lower(), p.first_name.lower(), p.pk),
    )
    assert [r[0] for r in rows[1:-1]] == [p.full_name for p in people]
    assert rows[-1][0] == "Compliant"
    sga = rows[0].index("Safeguarding adults")
    by_name = {r[0]: r for r in rows[1:-1]}
    assert by_name[cast.learner.person.full_name][sga] == "Compliant"
    assert by_name[cast.manager.person.full_name][sga] == "Overdue"
    assert rows[-1][sga] == "1 of 2 (50%)"

    response = client.get(url + "&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert values == rows

    entries = AuditEntry.objects.filter(object_type="export:compliance_matrix")
    assert entries.count() == 2
    assert "2 people" in entries.first().summary


def test_a_long_matrix_comes_a_page_at_a_time(client, cast, reqs, monkeypatch):
    from peopleplan.compliance import status_views

    monkeypatch.setattr(status_views, "PAGE_SIZE", 2)
    url = reverse("compliance:team") + f"?unit={cast.adults.pk}"
    first = page(client, cast.hr_officer, url)
    assert rows_of(first) == 2 and "Pages of the matrix" in first
    assert "Compliant (every page)" in first and "1 of 3 (33%)" in first
    second = page(client, cast.hr_officer, url + "&page=2")
    assert rows_of(second) == 1
    assert "(page 2 of 2)" in second


def test_audiences_about_the_person_on_the_matrix(client, cast, reqs):
    """Line managers, and length of service: rules that look past the assignment itself."""
    managers = Audience.objects.create(code="managers", name="Managers")
    AudienceRule.objects.create(audience=managers, kind="line_manager")
    services.requirement_create(
        actor=None, code="MGR", name="Managing people", audience=managers, items=[reqs["kids"]]
    )
    serving = Audience.objects.create(code="long-serving", name="Long serving")
    AudienceRule.objects.create(audience=serving, kind="service_at_least", number=1200)
    services.requirement_create(
        actor=None, code="OLD", name="Long service check", audience=serving, items=[reqs["kids"]]
    )
    data = page(client, cast.senior_manager, reverse("compliance:team"))
    assert "Managing people" in data and "Long service check" not in data
    html = page(client, cast.manager, reverse("compliance:mine"))
    assert "Managing people" in html
    html = page(client, cast.learner, reverse("compliance:mine"))
    assert "Managing people" not in html


def test_hr_reach_a_persons_credentials_and_exemptions_from_their_compliance(client, cast):
    url = f"/compliance/people/{cast.learner.person_id}/"
    client.force_login(cast.hr_officer)
    page = client.get(url).content.decode()
    assert f"/compliance/people/{cast.learner.person_id}/credentials/" in page
    assert f"/compliance/people/{cast.learner.person_id}/exemptions/" in page
    client.force_login(cast.manager)  # a manager sees the statuses, not the certificates
    assert "/credentials/" not in client.get(url).content.decode()
