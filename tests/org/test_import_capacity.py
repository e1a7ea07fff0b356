"""`peopleplan import absences` and `peopleplan import caseloads`: by the same rules as the HR
import (dry run, errors by row and column, the same file twice changes nothing)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from peopleplan.core.imports import get_kind, run_import
from peopleplan.core.models import AuditEntry
from peopleplan.org.models import Absence, Caseload

ABSENCES = "employee_number,first_day,last_day,working_days_lost,reason\n"
CASELOADS = "employee_number,on,cases\n"


def number(cast, who="learner"):
    return getattr(cast, who).person.employee_number


def run(kind, text, **kwargs):
    return run_import(kind, text.encode(), file_name=f"{kind}.csv", **kwargs)


def counts(result):
    """The counts that are not nought."""
    return {action: n for action, n in result.counts.items() if n}


def problems(result):
    return {(p.row, p.column): p.message for p in result.problems}


def absences_file(cast):
    return (
        ABSENCES
        + f"{number(cast)},2025-01-13,2025-01-17,5,Musculoskeletal\n"
        + f"{number(cast)},20/10/2025,,3.5,Stress\n"  # still absent: ongoing
        + f"{number(cast, 'manager')},2024-03-04,2024-05-31,62,Surgery\n"
    )


def caseloads_file(cast):
    return (
        CASELOADS
        + f"{number(cast, 'outsider')},2025-09-30,17\n"
        + f"{number(cast, 'outsider')},2024-09-30,21\n"
        + f"{number(cast)},2025-09-30,0\n"
    )


def export_text(kind):
    headers, rows = get_kind(kind)().export_table()
    return ",".join(headers) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"


def test_absences_import_then_the_same_file_again(cast):
    first = run("absences", absences_file(cast))
    assert first.applied, first.problems
    assert first.counts["added"] == 3
    spell = Absence.objects.get(person=cast.learner.person, first_day=dt.date(2025, 1, 13))
    assert (spell.last_day, spell.working_days_lost, spell.reason) == (
        dt.date(2025, 1, 17),
        Decimal("5.0"),
        "Musculoskeletal",
    )
    ongoing = Absence.objects.get(first_day=dt.date(2025, 10, 20))
    assert ongoing.last_day is None and ongoing.working_days_lost == Decimal("3.5")
    again = run("absences", absences_file(cast))
    assert again.applied and counts(again) == {"unchanged": 3}
    assert Absence.objects.count() == 3
    assert AuditEntry.objects.filter(object_type="org.absence", action="create").count() == 3


def test_caseloads_import_then_the_same_file_again(cast):
    first = run("caseloads", caseloads_file(cast))
    assert first.applied and first.counts["added"] == 3, first.problems
    assert Caseload.objects.get(person=cast.outsider.person, on=dt.date(2025, 9, 30)).cases == 17
    again = run("caseloads", caseloads_file(cast))
    assert counts(again) == {"unchanged": 3}


def test_a_dry_run_writes_nothing(cast):
    result = run("absences", absences_file(cast), dry_run=True)
    assert result.counts["added"] == 3 and not result.applied
    assert not Absence.objects.exists()


@pytest.mark.parametrize("kind", ["absences", "caseloads"])
def test_an_export_imports_back_with_no_changes(cast, kind):
    run(kind, absences_file(cast) if kind == "absences" else caseloads_file(cast))
    result = run(kind, export_text(kind))
    assert counts(result) == {"unchanged": 3}, result.problems


def test_a_correction_changes_in_place_with_the_audit_log(cast):
    run("absences", absences_file(cast))
    result = run("absences", ABSENCES + f"{number(cast)},2025-10-20,2025-10-24,5,Stress\n")
    assert counts(result) == {"changed": 1}
    spell = Absence.objects.get(first_day=dt.date(2025, 10, 20))
    assert spell.last_day == dt.date(2025, 10, 24) and spell.working_days_lost == 5
    entry = AuditEntry.objects.get(object_type="org.absence", action="update")
    assert entry.before["last_day"] is None and entry.after["last_day"] == "2025-10-24"
    assert Absence.objects.count() == 3  # a file never deletes what it leaves out
    run("caseloads", caseloads_file(cast))
    result = run("caseloads", CASELOADS + f"{number(cast, 'outsider')},2025-09-30,19\n")
    assert counts(result) == {"changed": 1}
    assert Caseload.objects.get(person=cast.outsider.person, on=dt.date(2025, 9, 30)).cases == 19


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("E-NOBODY,2025-01-13,2025-01-17,5,", "employee_number", "not in peopleplan"),
        ("{n},2025-02-30,,1,", "first_day", "not a real date"),
        ("{n},soon,,1,", "first_day", "not a date"),
        ("{n},2099-01-01,,1,", "first_day", "in the future"),
        ("{n},2025-01-13,2099-01-17,5,", "last_day", "in the future"),
        ("{n},2025-01-13,2025-01-10,1,", "last_day", "before the first day"),
        ("{n},2025-01-13,2025-01-17,-1,", "working_days_lost", "outside 0 to 9999"),
        ("{n},2025-01-13,2025-01-17,1.25,", "working_days_lost", "decimal places"),
        ("{n},2025-01-13,2025-01-17,six,", "working_days_lost", "not a number"),
        ("{n},2025-01-13,2025-01-17,6,", "working_days_lost", "more than the 5 days"),
        ("{n},2025-01-13,2025-01-17,,", "working_days_lost", "is required"),
        ("{n},2010-01-13,2010-01-17,5,", "first_day", "had no job on 13 January 2010"),
        ("{n},2024-05-06,2024-05-31,19,", "first_day", "overlaps the one from 1 May 2024 (row 2)"),
    ],
)
def test_a_bad_absence_is_refused_naming_its_row_and_column(cast, line, column, words):
    good = f"{number(cast)},2024-05-01,2024-05-10,8,\n"
    result = run("absences", ABSENCES + good + line.format(n=number(cast)) + "\n")
    assert not result.applied
    found = problems(result)
    assert (3, column) in found, found
    assert words in found[(3, column)]
    assert not Absence.objects.exists()


def test_an_absence_twice_in_a_file_is_refused_on_both_rows(cast):
    line = f"{number(cast)},2025-01-13,2025-01-17,5,\n"
    found = problems(run("absences", ABSENCES + line + line))
    assert "is also on row 3" in found[(2, "first_day")]
    assert "is also on row 2" in found[(3, "first_day")]


def test_an_absence_overlapping_a_held_one_is_refused(cast):
    run("absences", absences_file(cast))
    # Starts inside the held spell of 13-17 January 2025.
    found = problems(run("absences", ABSENCES + f"{number(cast)},2025-01-15,2025-01-20,4,\n"))
    assert "overlaps the one from 13 January 2025 (held in peopleplan)" in found[(2, "first_day")]
    # Runs on into the held one that starts on 13 January.
    found = problems(run("absences", ABSENCES + f"{number(cast)},2025-01-06,2025-01-14,7,\n"))
    assert "overlaps the one held from 13 January 2025" in found[(2, "last_day")]
    # Correcting the held spell itself is not an overlap.
    result = run("absences", ABSENCES + f"{number(cast)},2025-01-13,2025-01-16,4,\n")
    assert counts(result) == {"changed": 1}, result.problems


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("{n},2025-09-30,-1", "cases", "outside 0 to 999"),
        ("{n},2025-09-30,1000", "cases", "outside 0 to 999"),
        ("{n},2025-09-30,twelve", "cases", "not a whole number"),
        ("{n},2025-09-30,", "cases", "is required"),
        ("{n},2099-09-30,3", "on", "in the future"),
        ("{n},1999-09-30,3", "on", "had no job"),
        ("{n},2024-09-30,4", "on", "is also on row 2"),
    ],
)
def test_a_bad_caseload_is_refused_naming_its_row_and_column(cast, line, column, words):
    good = f"{number(cast)},2024-09-30,3\n"
    result = run("caseloads", CASELOADS + good + line.format(n=number(cast)) + "\n")
    assert not result.applied
    found = problems(result)
    assert (3, column) in found, found
    assert words in found[(3, column)]
    assert not Caseload.objects.exists()


def test_the_import_command_reads_a_real_file(cast, tmp_path):
    path = tmp_path / "absences.csv"
    path.write_text(absences_file(cast), encoding="utf-8")
    call_command("import", "absences", str(path))
    assert Absence.objects.count() == 3
    path = tmp_path / "caseloads.csv"
    path.write_text(caseloads_file(cast), encoding="utf-8")
    call_command("import", "caseloads", str(path))
    assert Caseload.objects.count() == 3


@pytest.mark.parametrize("kind", ["absences", "caseloads"])
def test_only_council_hr_download_the_export(client, cast, kind):
    run(kind, absences_file(cast) if kind == "absences" else caseloads_file(cast))
    url = reverse("core:export_download", args=[kind])
    client.force_login(cast.hr_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith(get_kind(kind).columns[0].name)
    assert AuditEntry.objects.filter(object_type=f"export:{kind}").count() == 1
    for who in ("adults_hr", "ld_admin", "manager", "learner", "outsider"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404, who


def test_a_file_without_a_column_keeps_what_is_held(cast):
    run("absences", absences_file(cast))
    result = run(
        "absences",
        "employee_number,first_day,working_days_lost\n" + f"{number(cast)},2025-01-13,5\n",
    )
    assert counts(result) == {"unchanged": 1}, result.problems
    spell = Absence.objects.get(first_day=dt.date(2025, 1, 13))
    assert (spell.last_day, spell.reason) == (dt.date(2025, 1, 17), "Musculoskeletal")
