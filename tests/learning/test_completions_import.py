"""`peopleplan import completions`: by the same rules as the HR import."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.core.imports import get_kind, run_import
from peopleplan.core.models import AuditEntry
from peopleplan.learning.models import Completion
from tests.factories import LearningItemFactory

HEADER = "employee_number,item_code,completed_on,hours,development_days,result\n"


@pytest.fixture
def catalogue(cast):
    LearningItemFactory(code="SAFE-1", duration_hours=Decimal("3"), development_days=Decimal("0.5"))
    LearningItemFactory(code="ASYE", duration_hours=Decimal("60"), development_days=Decimal("10"))
    return cast


def number(cast, who="learner"):
    return getattr(cast, who).person.employee_number


def run(text, **kwargs):
    return run_import("completions", text.encode(), file_name="completions.csv", **kwargs)


def good_file(cast):
    return (
        HEADER
        + f"{number(cast)},SAFE-1,2024-05-01,,,\n"
        + f"{number(cast)},ASYE,01/03/2025,55.5,9,Pass\n"
        + f"{number(cast, 'manager')},SAFE-1,14 June 2023,3,0.5,\n"
    )


def test_a_file_adds_completions_then_the_same_file_changes_nothing(catalogue):
    cast = catalogue
    first = run(good_file(cast))
    assert first.applied
    assert first.counts["added"] == 3
    learner = Completion.objects.filter(person=cast.learner.person).order_by("completed_on")
    safe, asye = learner
    assert (safe.hours, safe.development_days, safe.result) == (Decimal("3"), Decimal("0.5"), "")
    assert (asye.hours, asye.development_days, asye.result) == (
        Decimal("55.5"),
        Decimal("9"),
        "Pass",
    )
    assert asye.completed_on == dt.date(2025, 3, 1)
    assert {c.source for c in Completion.objects.all()} == {Completion.Source.IMPORT}
    second = run(good_file(cast))
    assert second.counts["unchanged"] == 3
    assert second.counts["added"] == second.counts["changed"] == 0
    assert Completion.objects.count() == 3


def test_a_dry_run_changes_nothing(catalogue):
    result = run(good_file(catalogue), dry_run=True)
    assert result.counts["added"] == 3 and not result.applied
    assert not Completion.objects.exists()


def test_a_correction_changes_in_place_with_the_audit_log(catalogue):
    cast = catalogue
    run(good_file(cast))
    result = run(HEADER + f"{number(cast)},ASYE,2025-03-01,60,10,Distinction\n")
    assert result.counts["changed"] == 1
    asye = Completion.objects.get(item__code="ASYE")
    assert (asye.hours, asye.result) == (Decimal("60"), "Distinction")
    entry = AuditEntry.objects.filter(object_type="learning.completion", action="update").get()
    assert entry.before["result"] == "Pass" and entry.after["result"] == "Distinction"


def test_a_file_without_the_result_column_keeps_results(catalogue):
    cast = catalogue
    run(good_file(cast))
    result = run("employee_number,item_code,completed_on\n" + f"{number(cast)},ASYE,2025-03-01\n")
    assert result.counts["unchanged"] == 1
    assert Completion.objects.get(item__code="ASYE").result == "Pass"


def test_a_blank_result_cell_keeps_the_result(catalogue):
    cast = catalogue
    run(good_file(cast))
    result = run(HEADER + f"{number(cast)},ASYE,2025-03-01,55.5,9,\n")
    assert result.counts["unchanged"] == 1
    assert Completion.objects.get(item__code="ASYE").result == "Pass"


def test_a_completion_from_a_register_is_not_imported_twice(catalogue):
    cast = catalogue
    Completion.objects.create(
        person=cast.learner.person,
        item=get_item("SAFE-1"),
        completed_on=dt.date(2024, 5, 1),
        hours=Decimal("3"),
        development_days=Decimal("0.5"),
        source=Completion.Source.ATTENDANCE,
        created_at=timezone.now(),
    )
    result = run(HEADER + f"{number(cast)},SAFE-1,2024-05-01,,,\n")
    assert result.counts["unchanged"] == 1
    assert Completion.objects.count() == 1


def get_item(code):
    from peopleplan.learning.models import LearningItem

    return LearningItem.objects.get(code=code)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("NOBODY,SAFE-1,2024-05-01,,,", "employee_number", "Employee NOBODY is not in peopleplan"),
        ("{n},NOPE,2024-05-01,,,", "item_code", "Learning item NOPE is not in the catalogue"),
        ("{n},SAFE-1,not a date,,,", "completed_on", "is not a date"),
        ("{n},SAFE-1,31/02/2024,,,", "completed_on", "is not a real date"),
        ("{n},SAFE-1,2999-01-01,,,", "completed_on", "is in the future"),
        ("{n},SAFE-1,2024-05-01,-2,,", "hours", "is negative"),
        ("{n},SAFE-1,2024-05-01,,-1,", "development_days", "is negative"),
        ("{n},SAFE-1,2024-05-01,three,,", "hours", "is not a number"),
        ("{n},,2024-05-01,,,", "item_code", "is required"),
    ],
)
def test_bad_rows_are_refused_by_row_and_column(catalogue, row, column, message):
    cast = catalogue
    text = HEADER + f"{number(cast)},ASYE,2025-03-01,,,\n" + row.format(n=number(cast)) + "\n"
    result = run(text)
    assert not result.applied
    assert [(p.row, p.column) for p in result.problems] == [(3, column)]
    assert message in result.problems[0].message
    assert not Completion.objects.exists()  # nothing half applied


def test_the_same_completion_twice_in_a_file_rejects_both(catalogue):
    cast = catalogue
    text = HEADER + f"{number(cast)},SAFE-1,2024-05-01,,,\n" * 2
    result = run(text)
    assert sorted(p.row for p in result.problems) == [2, 3]
    assert "also on row" in result.problems[0].message


def test_two_completions_of_one_person_are_fine(catalogue):
    cast = catalogue
    text = HEADER + f"{number(cast)},SAFE-1,2024-05-01,,,\n{number(cast)},SAFE-1,2025-05-01,,,\n"
    assert run(text).counts["added"] == 2


def test_skip_invalid_applies_the_good_rows(catalogue):
    cast = catalogue
    text = HEADER + f"{number(cast)},SAFE-1,2024-05-01,,,\nNOBODY,SAFE-1,2024-05-01,,,\n"
    result = run(text, skip_invalid=True)
    assert result.applied and result.counts["added"] == 1 and result.counts["rejected"] == 1
    assert "NOBODY" in result.rejected_csv()


def test_the_export_imports_back_unchanged(catalogue, tmp_path):
    cast = catalogue
    run(good_file(cast))
    path = tmp_path / "completions.csv"
    call_command("export", "completions", str(path), stdout=io.StringIO())
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER.strip()
    assert len(text.splitlines()) == 4
    result = run_import("completions", path.read_bytes(), file_name="completions.csv")
    assert result.counts["unchanged"] == 3 and result.counts["added"] == 0


def test_the_command(catalogue, tmp_path):
    cast = catalogue
    path = tmp_path / "c.csv"
    path.write_text(good_file(cast))
    out = io.StringIO()
    call_command("import", "completions", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and not Completion.objects.exists()
    call_command("import", "completions", str(path), stdout=io.StringIO())
    assert Completion.objects.count() == 3
    path.write_text(HEADER + "NOBODY,SAFE-1,2024-05-01,,,\n")
    with pytest.raises(CommandError, match="nothing was applied"):
        call_command("import", "completions", str(path), stdout=io.StringIO())


def test_aliases_are_understood(catalogue):
    cast = catalogue
    header = "Payroll Number,Course Code,Completion Date,CPD Hours,Grade\n"
    text = header + f"{number(cast)},ASYE,2025-03-01,50,Pass\n"
    result = run(text)
    assert result.counts["added"] == 1
    completion = Completion.objects.get()
    assert (completion.hours, completion.development_days, completion.result) == (
        Decimal("50"),
        Decimal("10"),
        "Pass",
    )


def test_who_may_import_completions(catalogue):
    cast = catalogue
    kind = get_kind("completions")
    assert kind.capability == "learning.import"
    for who in ("ld_admin", "sysadmin"):
        assert kind in gates.import_kinds_for_user(getattr(cast, who)), who
    for who in ("hr_officer", "learner", "manager", "adults_hr", "senior_leader"):
        assert kind not in gates.import_kinds_for_user(getattr(cast, who)), who
