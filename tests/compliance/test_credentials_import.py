"""`peopleplan import credentials`: by the same rules as the HR import."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from peopleplan.compliance import services, status
from peopleplan.compliance.models import Credential, CredentialType, StatusCheck
from peopleplan.compliance.rules import StatusCode
from peopleplan.core.imports import get_kind, run_import
from peopleplan.core.models import AuditEntry
from peopleplan.org.models import Audience, AudienceRule

HEADER = (
    "employee_number,credential_type,number,issued_on,expires_on,dbs_level,workforce,"
    "update_service,update_service_renews_on,last_status_check_on,last_status_check_result,notes\n"
)


@pytest.fixture
def types(cast):
    return {
        "dbs": CredentialType.objects.create(
            code="DBS-ENH", name="Enhanced DBS check", kind="dbs", recheck_months=36
        ),
        "swe": CredentialType.objects.create(
            code="SWE",
            name="Social Work England registration",
            kind="registration",
            expiry_required=True,
        ),
        "fa": CredentialType.objects.create(code="FA", name="First aid", kind="certificate"),
    }


def number(cast, who="learner"):
    return getattr(cast, who).person.employee_number


def run(text, **kwargs):
    return run_import("credentials", text.encode(), file_name="credentials.csv", **kwargs)


def good_file(cast):
    return (
        HEADER + f"{number(cast)},DBS-ENH,001234567890,2024-05-01,,enhanced_barred,child,yes,"
        "2026-05-01,2025-06-01,clear,\n"
        + f"{number(cast)},SWE,SW12345,01/04/2025,31/03/2027,,,no,,,,Renewed\n"
        + f"{number(cast, 'manager')},FA,,2023-06-14,2026-06-13,,,,,,,\n"
    )


def problems(result):
    return {(p.row, p.column): p.message for p in result.problems}


def test_import_then_the_same_file_again(cast, types):
    first = run(good_file(cast))
    assert first.applied, first.problems
    assert first.counts["added"] == 3
    dbs = Credential.objects.get(type__code="DBS-ENH")
    assert dbs.status == Credential.Status.VERIFIED
    assert (dbs.number, dbs.dbs_level, dbs.workforce, dbs.update_service) == (
        "001234567890",
        "enhanced_barred",
        "child",
        True,
    )
    assert dbs.update_service_renews_on == dt.date(2026, 5, 1)
    assert list(dbs.checks.values_list("checked_on", "result")) == [(dt.date(2025, 6, 1), "clear")]
    swe = Credential.objects.get(type__code="SWE")
    assert (swe.issued_on, swe.expires_on, swe.notes) == (
        dt.date(2025, 4, 1),
        dt.date(2027, 3, 31),
        "Renewed",
    )
    second = run(good_file(cast))
    assert second.counts["unchanged"] == 3
    assert second.counts["added"] == second.counts["changed"] == 0
    assert Credential.objects.count() == 3
    assert StatusCheck.objects.count() == 1


def test_a_dry_run_changes_nothing(cast, types):
    result = run(good_file(cast), dry_run=True)
    assert result.counts["added"] == 3 and not result.applied
    assert not Credential.objects.exists()


def test_an_export_imports_back_with_no_changes(cast, types):
    run(good_file(cast))
    out = io.StringIO()
    kind = get_kind("credentials")()
    headers, rows = kind.export_table()
    text = ",".join(headers) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    out.write(text)
    result = run(out.getvalue())
    assert result.counts["unchanged"] == 3, result.problems


def test_a_correction_changes_in_place_with_the_audit_log(cast, types):
    run(good_file(cast))
    result = run(HEADER + f"{number(cast)},SWE,SW12345,2025-04-01,2027-09-30,,,no,,,,Renewed\n")
    assert result.counts["changed"] == 1
    swe = Credential.objects.get(type__code="SWE")
    assert swe.expires_on == dt.date(2027, 9, 30)
    entry = AuditEntry.objects.filter(object_type="compliance.credential", action="update").get()
    assert entry.before["expires_on"] == "2027-03-31"
    assert entry.after["expires_on"] == "2027-09-30"


def test_a_new_status_check_is_added_to_a_held_credential(cast, types):
    run(good_file(cast))
    result = run(
        HEADER + f"{number(cast)},DBS-ENH,001234567890,2024-05-01,,enhanced_barred,child,yes,"
        "2026-05-01,2026-01-10,changed,\n"
    )
    assert result.counts["changed"] == 1
    assert StatusCheck.objects.filter(result="changed", checked_on=dt.date(2026, 1, 10)).exists()


def test_a_credential_the_person_added_is_verified_by_the_file(cast, types):
    pending = services.credential_record(
        person=cast.learner.person,
        type=types["fa"],
        actor=cast.learner,
        verified=False,
        evidence=SimpleUploadedFile("fa.pdf", b"%PDF"),
        issued_on=dt.date(2024, 1, 10),
    )
    result = run(HEADER + f"{number(cast)},FA,,2024-01-10,,,,,,,,\n")
    assert result.counts["changed"] == 1
    pending.refresh_from_db()
    assert pending.status == Credential.Status.VERIFIED
    assert Credential.objects.count() == 1


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("E-NOBODY,FA,,2024-01-01,,,,,,,,", "employee_number", "not in peopleplan"),
        ("{n},NOPE,,2024-01-01,,,,,,,,", "credential_type", "not in peopleplan"),
        ("{n},FA,,2024-02-30,,,,,,,,", "issued_on", "not a real date"),
        ("{n},FA,,yesterday,,,,,,,,", "issued_on", "not a date"),
        ("{n},FA,,2099-01-01,,,,,,,,", "issued_on", "in the future"),
        ("{n},FA,,2024-01-01,2023-12-31,,,,,,,", "expires_on", "before the issue date"),
        ("{n},SWE,SW1,2024-01-01,,,,,,,,", "expires_on", "needs its expiry date"),
        ("{n},DBS-ENH,,2024-01-01,,enhanced,child,,,,,", "number", "needs its certificate number"),
        ("{n},SWE,,2024-01-01,2027-01-01,,,,,,,", "number", "needs its registration number"),
        ("{n},DBS-ENH,12345,2024-01-01,,enhanced,child,,,,,", "number", "12 digits"),
        ("{n},DBS-ENH,12345678901X,2024-01-01,,enhanced,child,,,,,", "number", "12 digits"),
        ("{n},DBS-ENH,001234567890,2024-01-01,,,child,,,,,", "dbs_level", "needs its level"),
        ("{n},DBS-ENH,001234567890,2024-01-01,,top,child,,,,,", "dbs_level", "top"),
        ("{n},DBS-ENH,001234567890,2024-01-01,,enhanced,,,,,,", "workforce", "needs its workforce"),
        ("{n},FA,,2024-01-01,,enhanced,,,,,,", "dbs_level", "Only a DBS check"),
        ("{n},FA,,2024-01-01,,,,maybe,,,,", "update_service", "not yes or no"),
        ("{n},FA,,2024-01-01,,,,no,2025-01-01,,,", "update_service_renews_on", "Update Service"),
        (
            "{n},DBS-ENH,001234567890,2024-01-01,,enhanced,child,yes,,2025-01-01,,",
            "last_status_check_result",
            "clear or changed",
        ),
        (
            "{n},DBS-ENH,001234567890,2024-01-01,,enhanced,child,yes,,,clear,",
            "last_status_check_on",
            "date of the status check",
        ),
        (
            "{n},DBS-ENH,001234567890,2024-01-01,,enhanced,child,no,,2025-01-01,clear,",
            "last_status_check_on",
            "subscribed to the Update Service",
        ),
        (
            "{n},DBS-ENH,001234567890,2024-01-01,,enhanced,child,yes,,2023-01-01,clear,",
            "last_status_check_on",
            "between the issue date and today",
        ),
        (
            "{n},DBS-ENH,001234567890,2024-01-01,,enhanced,child,yes,,2025-01-01,maybe,",
            "last_status_check_result",
            "maybe",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_its_row_and_column(cast, types, line, column, words):
    good = f"{number(cast, 'manager')},FA,,2023-06-14,,,,,,,,\n"
    result = run(HEADER + good + line.format(n=number(cast)) + "\n")
    assert not result.applied
    found = problems(result)
    assert (3, column) in found, found
    assert words in found[(3, column)]
    assert not Credential.objects.exists()


def test_a_missing_required_value_is_refused(cast, types):
    result = run(HEADER + f"{number(cast)},,,2024-01-01,,,,,,,,\n")
    assert problems(result) == {(2, "credential_type"): "is required"}


def test_the_same_credential_twice_in_a_file_is_refused(cast, types):
    line = f"{number(cast)},FA,,2024-01-01,,,,,,,,\n"
    result = run(HEADER + line + line)
    assert {(2, "issued_on"), (3, "issued_on")} <= set(problems(result))


def test_skip_invalid_applies_the_good_rows(cast, types):
    good = f"{number(cast)},FA,,2024-01-01,,,,,,,,\n"
    bad = f"{number(cast)},DBS-ENH,99,2024-01-01,,enhanced,child,,,,,\n"
    result = run(HEADER + good + bad, skip_invalid=True)
    assert result.applied and result.counts == {
        "added": 1,
        "changed": 0,
        "ended": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert [r.number for r in result.rejected] == [3]


def test_an_imported_credential_makes_the_person_compliant(cast, types):
    audience = Audience.objects.create(code="everyone", name="Everyone")
    AudienceRule.objects.create(audience=audience, kind="unit", values=["CNL"])
    req = services.requirement_create(
        actor=None,
        code="DBS",
        name="Enhanced DBS check",
        audience=audience,
        credential_type=types["dbs"],
        validity_months=None,
        grace_days=0,
    )
    person = cast.learner.person
    on = dt.date(2025, 1, 1)

    def code():
        return status.statuses(person_ids=[person.pk], requirements=[req], as_of=on)[
            (person.pk, req.pk)
        ].code

    assert code() != StatusCode.COMPLIANT
    run(HEADER + f"{number(cast)},DBS-ENH,001234567890,2024-05-01,,enhanced,child,no,,,,\n")
    assert code() == StatusCode.COMPLIANT


def test_the_command_imports_with_a_dry_run(cast, types, tmp_path):
    path = tmp_path / "credentials.csv"
    path.write_text(good_file(cast))
    out = io.StringIO()
    call_command("import", "credentials", str(path), "--dry-run", stdout=out)
    assert not Credential.objects.exists()
    call_command("import", "credentials", str(path), stdout=out)
    assert Credential.objects.count() == 3


def test_hr_download_the_export_as_csv_and_xlsx_in_the_audit_log(client, cast, types):
    run(good_file(cast))
    client.force_login(cast.hr_officer)
    url = reverse("core:export_download", args=["credentials"])
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.startswith("employee_number,credential_type,number,issued_on")
    assert "001234567890" in text
    assert client.get(url + "?format=xlsx").status_code == 200
    assert AuditEntry.objects.filter(object_type="export:credentials").count() == 2
    client.force_login(cast.adults_hr)  # the import and export are council-wide
    assert client.get(url).status_code == 404
