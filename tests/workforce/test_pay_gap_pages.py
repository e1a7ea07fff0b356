"""The gender pay gap page and its API: the six measures for council-wide workforce insight
only, the snapshot chosen among those held, the downloads in the audit log, who was left out,
pay kept off other pages, and a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from peopleplan.core.models import AuditEntry
from peopleplan.workforce import selectors

URL = "/workforce/pay-gap/"
API = "/api/workforce/pay-gap/"


@pytest.fixture
def hr(client, cast, pay):
    client.force_login(cast.hr_officer)
    return client


def test_the_report_counts_who_is_in_and_who_is_left_out(pay):
    report = selectors.pay_gap()
    assert report.snapshot == dt.date(2025, 3, 31)
    assert report.snapshots == [dt.date(2025, 3, 31), dt.date(2024, 3, 31)]
    result = report.result
    assert (result.men, result.women, result.left_out) == (5, 4, 2)
    assert (report.without_pay, report.not_employed) == (1, 2)  # the starter; agency, leaver
    assert result.mean_hourly.gap == Decimal("21.4")
    earlier = selectors.pay_gap(dt.date(2024, 3, 31))
    assert (earlier.result.men, earlier.result.women) == (1, 1)
    # 12 staff then (the starter had not started, the agency worker is not staff), 2 paid.
    assert earlier.without_pay == 12 - 2
    assert earlier.result.mean_hourly.gap == Decimal("5.3")


def test_hr_read_the_six_measures_on_the_latest_snapshot(hr):
    response = hr.get(URL)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.mean_hourly.gap, result.median_hourly.gap) == (Decimal("21.4"), Decimal("15.4"))
    assert (result.mean_bonus.gap, result.median_bonus.gap) == (Decimal("62.5"), Decimal("62.5"))
    assert result.bonus_men_percent == Decimal("60.0")
    assert result.bonus_women_percent == Decimal("50.0")
    assert [(b.men, b.women) for b in result.quartiles] == [(1, 1), (1, 1), (1, 1), (1, 0)]
    text = response.content.decode()
    assert "Gender pay gap on 31 March 2025" in text
    assert "21.4%" in text and "£14.00" in text and "£11.00" in text
    assert "2 people whose sex is not recorded as male or female" in text
    assert "The duty to publish applies to a public authority with 250 or more" in text


def test_another_snapshot_is_chosen_among_those_held(hr):
    response = hr.get(URL, {"snapshot": "2024-03-31"})
    assert response.context["result"].mean_hourly.gap == Decimal("5.3")
    assert "Gender pay gap on 31 March 2024" in response.content.decode()
    assert hr.get(URL, {"snapshot": "2023-03-31"}).status_code == 404  # not held
    assert hr.get(URL, {"snapshot": "last year"}).status_code == 404
    assert hr.get(API, {"snapshot": "2023-03-31"}).status_code == 404


def test_the_downloads_are_the_page_in_the_audit_log(hr, cast):
    text = hr.get(URL, {"snapshot": "2025-03-31", "format": "csv"}).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "measure,key,value"
    assert "Snapshot date,snapshot_on,2025-03-31" in lines
    assert "Mean hourly pay: gender pay gap (%),mean_hourly_gap,21.4" in lines
    assert "Upper quartile: men (%),upper_quartile_men_percent,100.0" in lines
    # The starter, and the cast, who are on the staff with no pay imported.
    without_pay = 1 + len(cast.users())
    assert f"Left out: employed on the day with no pay for it,without_pay,{without_pay}" in lines
    xlsx = hr.get(URL, {"format": "xlsx"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="gender-pay-gap-2025-03-31.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == ["measure", "key", "value"]
    entries = AuditEntry.objects.filter(object_type="export:workforce-pay-gap")
    assert entries.count() == 2
    assert entries.filter(actor__email="hr@council.example").count() == 2


def test_the_api_gives_the_six_measures(hr, cast):
    body = hr.get(API).json()
    assert body["snapshot"] == "2025-03-31"
    assert body["snapshots"] == ["2025-03-31", "2024-03-31"]
    assert body["mean_hourly_pay"] == {"men": 14.0, "women": 11.0, "gap": 21.4}
    assert body["median_bonus_pay"]["gap"] == 62.5
    assert body["received_bonus"] == {
        "men": 3,
        "women": 2,
        "men_percent": 60.0,
        "women_percent": 50.0,
    }
    assert body["quartiles"][3] == {
        "band": "Upper",
        "men": 1,
        "women": 0,
        "men_percent": 100.0,
        "women_percent": 0.0,
    }
    assert body["left_out"] == {
        "sex_not_male_or_female": 2,
        "without_pay": 1 + len(cast.users()),
        "not_employed": 2,
    }
    assert hr.get(API, {"snapshot": "2024-03-31"}).json()["mean_hourly_pay"]["gap"] == 5.3


def test_a_senior_leader_reads_it_too(client, cast, pay):
    client.force_login(cast.senior_leader)
    assert client.get(URL).status_code == 200
    assert client.get(API).status_code == 200


@pytest.mark.parametrize(
    "who",
    [
        "adults_hr",  # workforce insight over a part of the council: the gap is the employer's
        "learner",
        "manager",
        "ld_admin",
        "hr_equality",
        "budget_holder",
        "sysadmin",
        "outsider",
    ],
)
def test_everyone_else_is_refused(client, cast, pay, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert client.get(API).status_code == 403
    assert not AuditEntry.objects.filter(object_type="export:workforce-pay-gap").exists()


def test_the_dashboard_links_to_it_for_the_whole_council_only(client, cast):
    client.force_login(cast.hr_officer)
    assert URL in client.get("/workforce/").content.decode()
    client.force_login(cast.adults_hr)
    assert URL not in client.get("/workforce/").content.decode()


def test_with_no_pay_held_the_page_says_how_to_import_it(client, cast):
    client.force_login(cast.hr_officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "No pay has been imported yet" in response.content.decode()
    assert client.get(API).json() == {"snapshot": None, "snapshots": []}


def test_pay_stays_off_a_persons_page(hr, pay):
    from peopleplan.org.models import PayRecord

    record = PayRecord.objects.get(hourly_pay=Decimal("20.00"))
    page = hr.get(f"/people/{record.person_id}/").content.decode()
    assert record.person.last_name in page
    assert "20.00" not in page and "£20" not in page


def test_the_page_makes_the_same_queries_whatever_the_size(hr, pay):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert hr.get(URL).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        pay["employee"]("female" if n % 2 else "male", f"{15 + n}.00", "25")
    pay["employee"]("female", None)
    assert queries() == before


def test_every_column_of_the_download_is_in_the_data_formats_page(pay):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "data-formats.md").read_text()
    part = doc[doc.index("### The gender pay gap (`/workforce/pay-gap/`)") :]
    keys = [key for _, key, _ in selectors.pay_gap_rows(selectors.pay_gap())]
    missing = [
        key
        for key in keys
        if f"`{key}`" not in part and f"`{key.split('_quartile')[0]}_quartile`" not in part
    ]
    assert not missing
