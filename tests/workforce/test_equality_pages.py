"""The equality page, its downloads and API: for HR equality viewers only, in their units;
suppression holds in every one of them; the comparison population is entered by a
council-wide HR equality viewer, refused by field when wrong, and written in the audit log."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from peopleplan.access.models import RoleGrant
from peopleplan.core.models import AuditEntry
from peopleplan.core.suppression import FEWER, HIDDEN
from peopleplan.workforce.models import ComparisonPopulation, ComparisonShare
from tests.factories import AssignmentFactory, PersonFactory, RoleGrantFactory

URL = "/workforce/equality/"
API = "/api/workforce/equality/"
FORM = "/workforce/equality/comparison/"
ON = "2025-09-30"


@pytest.fixture
def viewer(client, equality_staff):
    client.force_login(equality_staff.hr_equality)
    return client


def _sex_workforce(response):
    report = response.context["report"]
    sex = next(b for b in report.breakdowns if b.dimension == "sex")
    return [c.shown for c, _ in sex.lines[0].entries()], sex.lines[0].row.total.shown


def test_an_equality_viewer_reads_the_figures_with_small_numbers_hidden(viewer, equality_staff):
    response = viewer.get(URL, {"on": ON})
    assert response.status_code == 200
    not_known = len(equality_staff.users())  # the cast, all equality_staff with no answers
    assert _sex_workforce(response) == (["14", "8", str(not_known)], str(22 + not_known))
    text = response.content.decode()
    assert "Workforce equality: the council" in text
    assert "No comparison population is held yet" in text
    assert "Enter the comparison population" in text
    starters = response.context["report"].breakdowns[0].lines[1]
    assert [c.shown for c, _ in starters.entries()] == [FEWER, "0", "0"]
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{FEWER}</td>' in text


def _shown_counts_are_safe(values):
    """Every count shown is nought or at least 5."""
    shown = [v for v in values if v is not None]
    assert shown and all(v == 0 or v >= 5 for v in shown)


def test_suppression_holds_in_the_page_the_downloads_and_the_api(viewer):
    report = viewer.get(URL, {"on": ON}).context["report"]
    cells = [
        cell
        for b in report.breakdowns
        for line in b.lines
        for cell in [*line.row.cells, line.row.total]
    ]
    assert any(c.suppressed for c in cells)
    _shown_counts_are_safe([c.value for c in cells])
    assert all(c.count is not None for c in cells)

    csv = viewer.get(URL, {"on": ON, "format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert csv[0] == "dimension,who,group,people,suppressed,share,comparison"
    rows = [line.split(",") for line in csv[1:]]
    _shown_counts_are_safe([int(r[3]) for r in rows if r[3]])
    assert {r[4] for r in rows if not r[3]} <= {FEWER, HIDDEN}
    assert any(r[4] == FEWER for r in rows)

    xlsx = viewer.get(URL, {"on": ON, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    _shown_counts_are_safe([row[3] for row in sheet.iter_rows(min_row=2, values_only=True)])

    body = viewer.get(API, {"on": ON}).json()
    values = []
    for dimension in body["dimensions"]:
        for row in dimension["rows"]:
            for cell in [*row["groups"].values(), row["total"]]:
                values.append(cell["people"])
                assert (cell["people"] is None) == (cell["suppressed"] is not None)
                if cell["people"] is None:
                    assert cell["share"] is None
    _shown_counts_are_safe(values)
    assert AuditEntry.objects.filter(object_type="export:workforce-equality").count() == 2


def test_the_page_reads_a_fixed_number_of_queries(viewer, equality_staff):
    with CaptureQueriesContext(connection) as first:
        viewer.get(URL, {"on": ON})
    for _ in range(10):
        AssignmentFactory(person=PersonFactory(), unit=equality_staff.adults_team)
    with CaptureQueriesContext(connection) as second:
        viewer.get(URL, {"on": ON})
    assert len(second) == len(first)


def test_a_scoped_viewer_sees_their_units_only(client, equality_staff):
    adults_viewer = equality_staff.adults_hr
    RoleGrantFactory(
        user=adults_viewer, role=RoleGrant.Role.HR_EQUALITY, unit=equality_staff.adults
    )
    client.force_login(adults_viewer)
    response = client.get(URL, {"on": ON})
    assert response.status_code == 200
    # Adults: the 22, the senior manager, the manager and the learner (the role users and the
    # outsider work elsewhere). The cast's 3 are under 5, and so (down the grade bands' totals
    # and back across) the men go with them.
    assert _sex_workforce(response) == (["14", HIDDEN, FEWER], "25")
    assert "Workforce equality: your units" in response.content.decode()
    assert client.get(URL, {"unit": equality_staff.childrens.code}).status_code == 404
    assert client.get(API, {"unit": equality_staff.childrens.code}).status_code == 404
    assert client.get(URL, {"unit": equality_staff.adults_team.code}).status_code == 200
    assert client.get(FORM).status_code == 403  # the comparison is a council-wide grant's


@pytest.mark.parametrize(
    "who", ["learner", "manager", "outsider", "hr_officer", "senior_leader", "ld_admin", "sysadmin"]
)
def test_everyone_else_is_refused(client, equality_staff, who):
    client.force_login(getattr(equality_staff, who))
    assert client.get(URL).status_code == 403
    assert client.get(API).status_code == 403
    assert client.get(FORM).status_code == 403
    assert client.post(FORM, {"name": "x"}).status_code == 403
    assert "/workforce/equality/" not in client.get("/").content.decode()


def test_the_navigation_leads_an_equality_viewer_there(viewer):
    assert 'href="/workforce/equality/"' in viewer.get("/").content.decode()


def _form(**changes):
    data = {"name": "City residents aged 16 to 64, Census 2021", "source": "ONS TS021"}
    data |= {"sex_0": "50.4", "sex_1": "49.6"}
    data |= {f"ethnicity_{i}": v for i, v in enumerate(["11.2", "3.1", "2.9", "80.6", "2.2"])}
    return data | changes


def test_the_comparison_population_is_entered_and_set_beside_the_workforce(viewer, equality_staff):
    response = viewer.post(FORM, _form())
    assert response.status_code == 302 and response["Location"] == URL
    population = ComparisonPopulation.objects.get()
    assert population.name == "City residents aged 16 to 64, Census 2021"
    assert ComparisonShare.objects.filter(dimension="sex").count() == 2
    assert not ComparisonShare.objects.filter(dimension="age").exists()  # left out
    entry = AuditEntry.objects.get(object_type="workforce:comparison")
    assert entry.after["sex: Female"] == "50.4" and entry.before is None

    response = viewer.get(URL, {"on": ON})
    text = response.content.decode()
    assert "City residents aged 16 to 64, Census 2021" in text and "50.4%" in text
    sex = next(b for b in response.context["report"].breakdowns if b.dimension == "sex")
    assert sex.lines[0].share(0) == 63.6  # 14 of the 22 whose answer is known
    assert viewer.get(FORM).context["form"].initial["sex_0"] == Decimal("50.4")

    viewer.post(FORM, _form(name="Again", sex_0="50.0", sex_1="50.0"))
    assert ComparisonPopulation.objects.get().name == "Again"
    assert ComparisonShare.objects.get(dimension="sex", group="Female").percent == Decimal("50.0")
    changed = AuditEntry.objects.filter(object_type="workforce:comparison").latest("pk")
    assert changed.before["sex: Female"] == "50.4" and changed.after["sex: Female"] == "50.0"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter what the population is"),
        ({"sex_0": "60.0"}, "sex_0", "The sex shares add up to 109.6%"),
        ({"sex_1": ""}, "sex_1", "Enter a share for every sex group"),
        ({"ethnicity_3": "lots"}, "ethnicity_3", "Enter the share of White as a number"),
        ({"sex_0": "150"}, "sex_0", "The share of Female cannot be more than 100"),
        ({"sex_0": "50.45"}, "sex_0", "Give the share of Female to one decimal place"),
    ],
)
def test_a_wrong_comparison_is_refused_by_field_and_nothing_is_saved(
    viewer, changes, field, message
):
    response = viewer.post(FORM, _form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    text = response.content.decode()
    assert "There is a problem" in text and f'href="#id_{field}"' in text
    assert not ComparisonPopulation.objects.exists()
