"""The upload page: upload, preview with problems by row and column, apply, and who may."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peopleplan.access.services import role_grant
from peopleplan.core.models import AuditEntry, ImportRun
from peopleplan.org.models import EqualityRecord, Person
from tests.org.test_import_people import PEOPLE, people_csv, reference  # noqa: F401

pytestmark = pytest.mark.usefixtures("reference")


def upload(client, text: str, kind: str = "people", name: str = "people.csv"):
    return client.post(
        reverse("core:import_list"),
        {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")},
        follow=True,
    )


def test_hr_officer_previews_then_applies(client, cast):
    client.force_login(cast.hr_officer)
    before = Person.objects.count()
    page = upload(client, people_csv(PEOPLE))
    assert page.status_code == 200
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKED
    text = page.content.decode()
    assert "What would change" in text and "Apply these changes" in text
    assert "E2" in text and "Tom Hughes" in text
    assert Person.objects.count() == before  # a preview changes nothing

    page = client.post(reverse("core:import_apply", args=[run.pk]), follow=True)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    assert "Import applied" in page.content.decode()
    assert Person.objects.count() == before + 4
    entry = AuditEntry.objects.get(action="import", object_type="import:people")
    assert entry.actor == cast.hr_officer and entry.object_label == "people.csv"


def test_problems_are_shown_by_row_and_column_and_nothing_changes(client, cast):
    client.force_login(cast.hr_officer)
    rows = [PEOPLE[0], PEOPLE[1].replace("permanent,0.80", "permanent,3"), *PEOPLE[2:]]
    before = Person.objects.count()
    text = upload(client, people_csv(rows)).content.decode()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.problems == [{"row": 3, "column": "fte", "message": "3 is outside 0 to 1.5"}]
    assert "3 is outside 0 to 1.5" in text
    assert "Apply these changes" not in text
    assert Person.objects.count() == before

    rejected = client.get(reverse("core:import_rejected", args=[run.pk]))
    lines = list(csv.reader(io.StringIO(rejected.content.decode())))
    assert lines[1][0] == "3" and "fte: 3 is outside" in lines[1][-1]

    client.post(reverse("core:import_apply", args=[run.pk]), {"skip_invalid": "yes"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    assert Person.objects.count() == before + 3


def test_a_file_that_cannot_be_read(client, cast):
    client.force_login(cast.hr_officer)
    text = upload(client, "name,colour\nx,blue\n").content.decode()
    assert ImportRun.objects.get().status == ImportRun.Status.BROKEN
    assert "The file has no column for employee_number" in text


def test_the_form_refuses_a_missing_file_or_kind(client, cast):
    client.force_login(cast.hr_officer)
    response = client.post(reverse("core:import_list"), {})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Select what the file holds" in text and "Select a CSV or XLSX file" in text
    response = client.post(
        reverse("core:import_list"),
        {"kind": "people", "file": SimpleUploadedFile("x.pdf", b"%PDF", "application/pdf")},
    )
    assert "must be a CSV or XLSX file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_discard(client, cast):
    client.force_login(cast.hr_officer)
    upload(client, people_csv(PEOPLE))
    run = ImportRun.objects.get()
    client.post(reverse("core:import_discard", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DISCARDED
    response = client.post(reverse("core:import_apply", args=[run.pk]), follow=True)
    assert "Only a checked import can be applied" in response.content.decode()


def test_progress_panel_asks_for_a_reload_when_done(client, cast):
    client.force_login(cast.hr_officer)
    upload(client, people_csv(PEOPLE))
    run = ImportRun.objects.get()
    response = client.get(reverse("core:import_progress", args=[run.pk]))
    assert response["HX-Refresh"] == "true"


def test_template_and_export_downloads(client, cast):
    client.force_login(cast.hr_officer)
    template = client.get(reverse("core:import_template", args=["people"]))
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("employee_number,first_name,last_name")
    upload(client, people_csv(PEOPLE))
    client.post(reverse("core:import_apply", args=[ImportRun.objects.get().pk]))
    export = client.get(reverse("core:export_download", args=["people"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert "ethnicity" not in rows[0] and "date_of_birth" not in rows[0]  # not without the grant
    assert AuditEntry.objects.filter(action="export", actor=cast.hr_officer).exists()

    # That export imports back changing nothing, equality data included.
    held = sorted(EqualityRecord.objects.values_list("person_id", "ethnicity", "date_of_birth"))
    upload(client, export.content.decode("utf-8-sig"), name="back.csv")
    run = ImportRun.objects.latest("pk")
    assert run.summary["counts"]["changed"] == 0, run.changes
    assert (
        sorted(EqualityRecord.objects.values_list("person_id", "ethnicity", "date_of_birth"))
        == held
    )
    xlsx = client.get(reverse("core:export_download", args=["people"]) + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(
    "who",
    ["learner", "manager", "outsider", "adults_hr", "senior_leader", "hr_equality"],
)
def test_only_council_wide_hr_and_system_administrators_import(client, cast, who):
    client.force_login(cast.hr_officer)
    upload(client, people_csv(PEOPLE))
    run = ImportRun.objects.get()
    client.force_login(getattr(cast, who))
    assert client.get(reverse("core:import_list")).status_code == 403
    assert upload(client, people_csv(PEOPLE)).status_code == 403
    for name in ("core:import_detail", "core:import_progress", "core:import_rejected"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert client.post(reverse("core:import_apply", args=[run.pk])).status_code == 404
    assert client.get(reverse("core:export_download", args=["people"])).status_code == 404
    assert ImportRun.objects.count() == 1


def test_an_ld_administrator_imports_completions_but_not_hr_files(client, cast):
    client.force_login(cast.hr_officer)
    upload(client, people_csv(PEOPLE))
    run = ImportRun.objects.get()
    client.force_login(cast.ld_admin)
    page = client.get(reverse("core:import_list"))
    assert page.status_code == 200
    assert "Learning completions" in page.content.decode()
    assert upload(client, people_csv(PEOPLE)).status_code == 400  # not a kind offered to them
    assert client.get(reverse("core:import_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("core:export_download", args=["people"])).status_code == 404
    assert client.get(reverse("core:export_download", args=["completions"])).status_code == 200
    assert ImportRun.objects.count() == 1


def test_system_administrator_may_import(client, cast):
    client.force_login(cast.sysadmin)
    assert client.get(reverse("core:import_list")).status_code == 200


def test_equality_columns_are_not_read_without_the_equality_role(client, cast):
    client.force_login(cast.hr_officer)
    rows = [PEOPLE[0], PEOPLE[1].replace("White: British", "Secret").replace(",0.80,", ",9,")]
    text = upload(client, people_csv(rows)).content.decode()
    run = ImportRun.objects.get()
    assert "equality monitoring columns were not read" in text
    assert "Secret" not in run.rejected_csv
    client.post(reverse("core:import_apply", args=[run.pk]), {"skip_invalid": "yes"})
    assert Person.objects.filter(employee_number="E1").exists()
    assert not EqualityRecord.objects.filter(person__employee_number="E1").exists()


def test_an_equality_viewer_with_import_rights_imports_equality_data(client, cast):
    role_grant(user=cast.hr_officer, role="hr_equality")
    client.force_login(cast.hr_officer)
    upload(client, people_csv(PEOPLE))
    client.post(reverse("core:import_apply", args=[ImportRun.objects.get().pk]))
    assert EqualityRecord.objects.get(person__employee_number="E2").ethnicity == "White: British"
