"""The HR import: units, grades, job roles, posts and people, through the real command and real
files. Each kind of bad input shows its message and leaves the database unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from peopleplan.core.dates import today
from peopleplan.core.models import AuditEntry
from peopleplan.org.models import (
    Assignment,
    EqualityRecord,
    JobRole,
    PayRecord,
    Person,
    Post,
    Unit,
    UnitMove,
)

UNITS = """unit_code,name,unit_type,parent_code,cost_centre
NBC,Northbridge Council,council,,1000
NBA,Adults,directorate,NBC,2000
ADU-OT,Occupational therapy,team,NBA,2100
NBCH,Children's,directorate,NBC,3000
CHI-SW,Safeguarding team,team,NBCH,3100
"""
GRADES = """grade_code,name,rank
KR9,KR9,9
KR11,KR11,11
KR13,KR13,13
"""
ROLES = """job_role_code,title,job_family,registration_body,dbs_level,\
works_with_children,works_with_adults,manages_people
OT,Occupational therapist,Adult social care,HCPC,enhanced,no,yes,no
SW,Social worker,Children's social work,Social Work England,enhanced_barred,yes,no,no
TM,Team manager,Children's social work,Social Work England,enhanced_barred,yes,no,yes
"""
POSTS = """post_number,unit_code,job_role_code,grade_code,fte,start_date,end_date,is_critical
P1,CHI-SW,TM,KR13,1,2019-04-01,,yes
P2,CHI-SW,SW,KR11,1,2019-04-01,,no
P3,CHI-SW,SW,KR11,1,2019-04-01,,no
P4,ADU-OT,OT,KR11,0.5,2019-04-01,,no
"""
HEADER = (
    "employee_number,first_name,last_name,email,date_of_birth,unit_code,post_number,"
    "job_role_code,grade_code,contract_type,fte,assignment_start,service_start,assignment_end,"
    "leaving_reason,line_manager_employee_number,sex,ethnicity,disability,religion,"
    "sexual_orientation"
)
PAY_HEADER = ",pay_snapshot_on,hourly_pay,bonus_pay,full_pay"
PEOPLE = [
    "E1,Grace,Okafor,grace.okafor@nb.example,1975-03-02,CHI-SW,P1,TM,KR13,permanent,1.00,"
    "2019-04-01,2010-09-01,,,,female,Black or Black British: African,No,Christian,Heterosexual",
    "E2,Tom,Hughes,tom.hughes@nb.example,1990-07-15,CHI-SW,P2,SW,KR11,permanent,0.80,"
    "2021-01-04,2021-01-04,,,E1,male,White: British,No,No religion,Heterosexual",
    "E3,Priya,Shah,priya.shah@nb.example,1988-11-30,CHI-SW,P3,SW,KR11,agency,1.00,"
    "2024-06-03,2024-06-03,,,E1,female,Asian or Asian British: Indian,No,Hindu,Prefer not to say",
    "E4,Ola,Nowak,ola.nowak@nb.example,1966-01-20,ADU-OT,P4,OT,KR11,permanent,0.50,"
    "2018-02-05,2018-02-05,,,,female,White: Other,Yes,Christian,Heterosexual",
]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def people_csv(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def run(kind: str, path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import", kind, str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot() -> tuple:
    return (
        sorted(Person.objects.values_list("employee_number", "first_name", "leaving_date")),
        sorted(
            Assignment.objects.values_list(
                "person__employee_number", "start_date", "end_date", "job_role__code", "fte"
            )
        ),
        EqualityRecord.objects.count(),
    )


@pytest.fixture
def reference(db, tmp_path):
    run("units", write(tmp_path, "units.csv", UNITS))
    run("grades", write(tmp_path, "grades.csv", GRADES))
    run("job_roles", write(tmp_path, "roles.csv", ROLES))
    run("posts", write(tmp_path, "posts.csv", POSTS))


@pytest.fixture
def loaded(reference, tmp_path):
    run("people", write(tmp_path, "people.csv", people_csv(PEOPLE)))


def test_reference_data_imports_into_a_tree(reference):
    team = Unit.objects.get(code="CHI-SW")
    council = Unit.objects.get(code="NBC")
    assert team.is_under(council)
    assert {u.code for u in Unit.objects.subtree(Unit.objects.get(code="NBCH"))} == {
        "NBCH",
        "CHI-SW",
    }


def test_people_import_adds_people_with_assignments_and_managers(loaded):
    tom = Person.objects.get(employee_number="E2")
    job = tom.assignments.get()
    assert job.line_manager.employee_number == "E1"
    assert job.fte == Decimal("0.80")
    assert job.post.post_number == "P2"
    assert Assignment.objects.get(person__employee_number="E3").contract_type == "agency"
    assert tom.equality.ethnicity == "White: British"
    assert AuditEntry.objects.filter(action="import", object_type="import:people").count() == 1


def test_the_same_file_twice_changes_nothing(loaded, tmp_path):
    before = snapshot()
    audits = AuditEntry.objects.count()
    output = run("people", write(tmp_path, "again.csv", people_csv(PEOPLE)))
    assert "0 added, 0 changed, 0 ended, 4 unchanged, 0 rejected" in output
    assert snapshot() == before
    assert AuditEntry.objects.count() == audits + 1  # only the import itself


def test_a_changed_job_becomes_a_new_assignment_from_its_date(loaded, tmp_path):
    promoted = PEOPLE[1].replace(
        "SW,KR11,permanent,0.80,2021-01-04", "TM,KR13,permanent,0.80,2025-04-01"
    )
    output = run("people", write(tmp_path, "p.csv", people_csv([PEOPLE[0], promoted, *PEOPLE[2:]])))
    assert "1 changed" in output
    jobs = list(Assignment.objects.filter(person__employee_number="E2").order_by("start_date"))
    assert [(a.start_date, a.end_date, a.job_role.code) for a in jobs] == [
        (dt.date(2021, 1, 4), dt.date(2025, 3, 31), "SW"),
        (dt.date(2025, 4, 1), None, "TM"),
    ]


def test_a_leaver_ends_on_their_date_with_a_reason(loaded, tmp_path):
    leaving = PEOPLE[1].replace(
        "2021-01-04,2021-01-04,,", "2021-01-04,2021-01-04,2025-06-30,resigned"
    )
    output = run("people", write(tmp_path, "p.csv", people_csv([PEOPLE[0], leaving, *PEOPLE[2:]])))
    assert "1 ended" in output
    tom = Person.objects.get(employee_number="E2")
    assert tom.leaving_date == dt.date(2025, 6, 30)
    assert tom.leaving_reason == "resignation"
    assert tom.assignments.get().end_date == dt.date(2025, 6, 30)


def test_a_person_missing_from_a_full_extract_is_reported_not_deleted(loaded, tmp_path):
    output = run("people", write(tmp_path, "p.csv", people_csv(PEOPLE[:3])))
    assert "1 people in post in peopleplan are not in this file" in output
    assert "E4" in output
    assert Person.objects.filter(employee_number="E4", leaving_date__isnull=True).exists()


def test_export_writes_the_same_format_back_exactly(loaded, tmp_path):
    out = tmp_path / "export.csv"
    call_command("export", "people", str(out), stdout=io.StringIO())
    text = out.read_bytes().decode("utf-8-sig")
    # No pay is held: the pay columns are there, empty.
    expected = "\n".join([HEADER + PAY_HEADER, *(row + ",,,," for row in PEOPLE)]) + "\n"
    assert text.replace("\r\n", "\n") == expected
    before = snapshot()
    assert "4 unchanged" in run("people", out)
    assert snapshot() == before
    assert AuditEntry.objects.filter(action="export").exists()


def test_xlsx_round_trip(loaded, tmp_path):
    out = tmp_path / "export.xlsx"
    call_command("export", "people", str(out), stdout=io.StringIO())
    assert "4 unchanged" in run("people", out)


def test_windows_1252_and_bom_and_header_aliases(reference, tmp_path):
    header = "Employee No,Forename,Surname,Unit,Job Role,Contract,FTE,Start Date,Line Manager"
    body = "E9,Zoë,Brontë,ADU-OT,OT,Perm,1,01/04/2024,\n"
    run("people", write(tmp_path, "cp.csv", f"{header}\n{body}", encoding="cp1252"))
    assert Person.objects.get(employee_number="E9").first_name == "Zoë"
    run(
        "people",
        write(
            tmp_path,
            "bom.csv",
            "\ufeff" + f"{header}\nE10,Ana,Díaz,ADU-OT,OT,perm,1,2024-04-01,E9\n",
        ),
    )
    assert (
        Assignment.objects.get(person__employee_number="E10").line_manager.employee_number == "E9"
    )


def bad(tmp_path, rows: list[str]) -> str:
    """Import a file that must be refused; return what the command printed."""
    before = snapshot()
    out = io.StringIO()
    path = write(tmp_path, "bad.csv", people_csv(rows))
    with pytest.raises(CommandError) as excinfo:
        call_command("import", "people", str(path), stdout=out, stderr=io.StringIO())
    assert "nothing was applied" in str(excinfo.value)
    assert snapshot() == before
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.replace("E2,Tom,Hughes", "E2,Tom,"), "Row 3, column last_name: is required"),
        (
            lambda r: r.replace(",CHI-SW,P2,", ",NOPE,,"),
            "Row 3, column unit_code: Unit NOPE is not in peopleplan",
        ),
        (
            lambda r: r.replace(",SW,KR11,", ",SW,KR99,"),
            "Row 3, column grade_code: Grade KR99 is not in peopleplan",
        ),
        (
            lambda r: r.replace(",P2,SW,", ",,ZZ,").replace("CHI-SW,,ZZ", "CHI-SW,,ZZ"),
            "Row 3, column job_role_code: Job role ZZ is not in peopleplan",
        ),
        (
            lambda r: r.replace("2021-01-04,2021-01-04", "31/02/2021,2021-01-04"),
            "Row 3, column assignment_start: '31/02/2021' is not a real date",
        ),
        (
            lambda r: r.replace("2021-01-04,2021-01-04", "next week,2021-01-04"),
            "Row 3, column assignment_start: 'next week' is not a date",
        ),
        (
            lambda r: r.replace("2021-01-04,2021-01-04,,", "2021-01-04,2021-01-04,2020-01-01,"),
            "Row 3, column assignment_end: 2020-01-01 is before assignment_start",
        ),
        (
            lambda r: r.replace(",E1,male", ",E77,male"),
            "Row 3, column line_manager_employee_number: line manager E77 is not found",
        ),
        (
            lambda r: r.replace("permanent,0.80", "permanent,1.60"),
            "Row 3, column fte: 1.60 is outside 0 to 1.5",
        ),
        (
            lambda r: r.replace("permanent,0.80", "permanent,-0.1"),
            "Row 3, column fte: -0.1 is outside 0 to 1.5",
        ),
        (
            lambda r: r.replace("permanent,0.80", "zero-hours-ish,0.80"),
            "Row 3, column contract_type: 'zero-hours-ish' is not one of",
        ),
        (
            lambda r: r.replace(",E1,male", ",E2,male"),
            "Row 3, column line_manager_employee_number: a person cannot be their own line manager",
        ),
        (
            lambda r: r.replace("tom.hughes@nb.example", "tom at nb"),
            "Row 3, column email: 'tom at nb' is not an email address",
        ),
    ],
)
def test_bad_rows_are_refused_with_row_and_column(loaded, tmp_path, change, message):
    rows = [PEOPLE[0], change(PEOPLE[1]), *PEOPLE[2:]]
    assert message in bad(tmp_path, rows)


def test_an_employee_twice_in_the_file(loaded, tmp_path):
    output = bad(tmp_path, [*PEOPLE, PEOPLE[1]])
    assert "Row 6, column employee_number: Employee E2 is also on row 3" in output


def test_a_loop_in_the_reporting_lines(loaded, tmp_path):
    boss = PEOPLE[0].replace("2010-09-01,,,,", "2010-09-01,,,E2,")
    output = bad(tmp_path, [boss, *PEOPLE[1:]])
    assert "the reporting lines would form a loop: E1 → E2 → E1" in output


def test_an_older_extract_is_refused(loaded, tmp_path):
    moved = PEOPLE[1].replace(
        ",P2,SW,KR11,permanent,0.80,2021-01-04", ",P3,SW,KR11,permanent,0.80,2023-01-02"
    )
    run("people", write(tmp_path, "new.csv", people_csv([PEOPLE[0], moved, *PEOPLE[2:]])))
    output = bad(tmp_path, PEOPLE)  # last year's file again
    assert "Row 3, column assignment_start: this row repeats the job held from 2021-01-04" in output
    assert "is this an older extract?" in output
    held = Assignment.objects.filter(person__employee_number="E2", end_date__isnull=True)
    assert [a.post.post_number for a in held] == ["P3"]


def test_a_change_within_a_job_takes_effect_from_the_files_date(loaded, tmp_path):
    changed = PEOPLE[1].replace(",E1,male", ",E4,male")  # a new line manager, same start
    path = write(tmp_path, "p.csv", people_csv([PEOPLE[0], changed, *PEOPLE[2:]]))
    output = run("people", path, "--as-of", "2026-06-01")
    assert "changed from 2026-06-01" in output
    jobs = Assignment.objects.filter(person__employee_number="E2").order_by("start_date")
    assert [(a.start_date, a.end_date, a.line_manager.employee_number) for a in jobs] == [
        (dt.date(2021, 1, 4), dt.date(2026, 5, 31), "E1"),
        (dt.date(2026, 6, 1), None, "E4"),
    ]
    entry = AuditEntry.objects.filter(object_type="person", object_label="E2").latest("pk")
    assert entry.before["job"]["line_manager"] == "E1"
    assert entry.after["job"]["line_manager"] == "E4"
    assert "0 changed" in run("people", path, "--as-of", "2026-07-01")  # the same file again


def test_a_column_left_out_keeps_what_is_held(loaded, tmp_path):
    header = "employee_number,first_name,last_name,unit_code,job_role_code,contract_type,fte,"
    header += "assignment_start"
    rows = [",".join(r.split(",")[i] for i in (0, 1, 2, 5, 7, 9, 10, 11)) for r in PEOPLE]
    path = write(tmp_path, "short.csv", "\n".join([header, *rows]) + "\n")
    output = run("people", path)
    assert "0 changed" in output and "4 unchanged" in output
    job = Assignment.objects.get(person__employee_number="E2")
    assert (job.line_manager.employee_number, job.post.post_number) == ("E1", "P2")
    assert EqualityRecord.objects.get(person__employee_number="E2").ethnicity == "White: British"


def test_an_empty_cell_clears(loaded, tmp_path):
    no_manager = PEOPLE[1].replace(",E1,male", ",,male")
    run("people", write(tmp_path, "p.csv", people_csv([PEOPLE[0], no_manager, *PEOPLE[2:]])))
    current = Assignment.objects.get(person__employee_number="E2", end_date__isnull=True)
    assert current.line_manager is None


def test_a_leaver_leaves_every_job(loaded, tmp_path):
    tom = Person.objects.get(employee_number="E2")
    first = tom.assignments.get()
    second = Assignment.objects.create(
        person=tom,
        start_date=dt.date(2022, 1, 1),
        unit=first.unit,
        job_role=first.job_role,
        contract_type="casual",
        fte=Decimal("0.10"),
        is_primary=False,
    )
    leaving = PEOPLE[1].replace(
        "2021-01-04,2021-01-04,,", "2021-01-04,2021-01-04,2025-06-30,resigned"
    )
    run("people", write(tmp_path, "p.csv", people_csv([PEOPLE[0], leaving, *PEOPLE[2:]])))
    second.refresh_from_db()
    assert second.end_date == dt.date(2025, 6, 30)


def test_a_leaver_who_rejoins_on_a_fixed_term_contract_is_in_post_again(loaded, tmp_path):
    leaving = PEOPLE[1].replace(
        "2021-01-04,2021-01-04,,", "2021-01-04,2021-01-04,2022-06-30,resigned"
    )
    run("people", write(tmp_path, "p.csv", people_csv([PEOPLE[0], leaving, *PEOPLE[2:]])))
    back = PEOPLE[1].replace(
        "permanent,0.80,2021-01-04,2021-01-04,,",
        "fixed_term,0.80,2024-09-02,2021-01-04,2026-08-31,",
    )
    output = run("people", write(tmp_path, "q.csv", people_csv([PEOPLE[0], back, *PEOPLE[2:]])))
    assert "1 changed" in output
    tom = Person.objects.get(employee_number="E2")
    assert tom.leaving_date is None and tom.leaving_reason == ""
    jobs = tom.assignments.order_by("start_date")
    assert [(a.start_date, a.end_date) for a in jobs] == [
        (dt.date(2021, 1, 4), dt.date(2022, 6, 30)),
        (dt.date(2024, 9, 2), dt.date(2026, 8, 31)),
    ]


def test_units_that_swap_places_apply(reference, tmp_path):
    swapped = UNITS.replace("NBA,Adults,directorate,NBC", "NBA,Adults,directorate,ADU-OT").replace(
        "ADU-OT,Occupational therapy,team,NBA", "ADU-OT,Occupational therapy,team,NBC"
    )
    assert "2 changed" in run("units", write(tmp_path, "u.csv", swapped))
    assert Unit.objects.get(code="NBA").parent.code == "ADU-OT"
    assert Unit.objects.get(code="ADU-OT").parent.code == "NBC"
    assert Unit.objects.get(code="NBA").is_under(Unit.objects.get(code="NBC"))


def test_a_units_file_without_optional_columns_keeps_the_tree(reference, tmp_path):
    short = "unit_code,name\n" + "".join(
        ",".join(line.split(",")[:2]) + "\n" for line in UNITS.splitlines()[1:]
    )
    assert "0 changed" in run("units", write(tmp_path, "u.csv", short))
    assert Unit.objects.get(code="CHI-SW").parent.code == "NBCH"
    assert not UnitMove.objects.exists()


def test_skip_invalid_rejects_both_rows_of_a_duplicate(reference, tmp_path):
    output = run(
        "people", write(tmp_path, "p.csv", people_csv([*PEOPLE, PEOPLE[1]])), "--skip-invalid"
    )
    assert "3 added" in output and "2 rejected" in output
    assert not Person.objects.filter(employee_number="E2").exists()


def test_missing_columns_are_named(reference, tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match="no column for fte, assignment_start"):
        run(
            "people",
            write(
                tmp_path,
                "p.csv",
                "employee_number,first_name,last_name,unit_code,job_role_code,contract_type\n",
            ),
        )
    assert snapshot() == before


def test_skip_invalid_applies_good_rows_and_writes_rejected_with_reasons(reference, tmp_path):
    rows = [PEOPLE[0], PEOPLE[1].replace("permanent,0.80", "permanent,9"), PEOPLE[2], PEOPLE[3]]
    path = write(tmp_path, "p.csv", people_csv(rows))
    output = run("people", path, "--skip-invalid")
    assert "3 added" in output and "1 rejected" in output
    assert not Person.objects.filter(employee_number="E2").exists()
    rejected = list(csv.reader((tmp_path / "p.rejected.csv").read_text().splitlines()))
    assert rejected[0][0] == "row" and rejected[0][-1] == "errors"
    assert rejected[1][0] == "3" and "fte: 9 is outside 0 to 1.5" in rejected[1][-1]


def test_skip_invalid_rejects_those_whose_manager_was_rejected(reference, tmp_path):
    rows = [PEOPLE[0].replace("permanent,1.00", "permanent,7"), *PEOPLE[1:]]
    output = run("people", write(tmp_path, "p.csv", people_csv(rows)), "--skip-invalid")
    assert "3 rejected" in output
    assert "their row 2 in this file is rejected" in (tmp_path / "p.rejected.csv").read_text()


def test_dry_run_changes_nothing(reference, tmp_path):
    before = snapshot()
    output = run("people", write(tmp_path, "p.csv", people_csv(PEOPLE)), "--dry-run")
    assert "Dry run, nothing changed. 4 rows: 4 added" in output
    assert snapshot() == before


def test_a_unit_that_changes_parent_is_moved_and_keeps_its_history(reference, tmp_path):
    moved = UNITS.replace(
        "ADU-OT,Occupational therapy,team,NBA", "ADU-OT,Occupational therapy,team,NBCH"
    )
    output = run("units", write(tmp_path, "u.csv", moved))
    assert "1 changed" in output
    unit = Unit.objects.get(code="ADU-OT")
    assert unit.is_under(Unit.objects.get(code="NBCH"))
    move = UnitMove.objects.get(unit=unit)
    assert (move.from_parent.code, move.to_parent.code) == ("NBA", "NBCH")


def test_a_unit_loop_is_refused(reference, tmp_path):
    looped = UNITS.replace(
        "NBC,Northbridge Council,council,,", "NBC,Northbridge Council,council,ADU-OT,"
    )
    with pytest.raises(CommandError):
        run("units", write(tmp_path, "u.csv", looped))
    assert Unit.objects.get(code="NBC").parent is None


def test_reference_files_without_optional_columns_keep_what_is_held(reference, tmp_path):
    roles = "job_role_code,title\nOT,Occupational therapist\nSW,Social worker\nTM,Team manager\n"
    assert "0 changed" in run("job_roles", write(tmp_path, "r.csv", roles))
    assert JobRole.objects.get(code="SW").works_with_children
    posts = "post_number,unit_code,job_role_code,fte,start_date\n" + "".join(
        ",".join(line.split(",")[i] for i in (0, 1, 2, 4, 5)) + "\n"
        for line in POSTS.splitlines()[1:]
    )
    assert "0 changed" in run("posts", write(tmp_path, "p.csv", posts))
    assert Post.objects.get(post_number="P1").is_critical
    assert Post.objects.get(post_number="P1").grade.code == "KR13"


# --- pay at a gender pay gap snapshot ------------------------------------------------------------


def with_pay(pay: list[str]) -> str:
    """The people file with the pay columns, each row's pay given (or "" for none)."""
    rows = [f"{row},{given or ',,,'}" for row, given in zip(PEOPLE, pay, strict=True)]
    return "\n".join([HEADER + PAY_HEADER, *rows])


PAY = [
    "2025-03-31,30.1234,0.00,yes",
    "31/03/2025,18.50,250.00,yes",
    "",  # an agency worker: no pay from the council's payroll
    "2025-03-31,19.25,,no",  # blank bonus: none
]


def pay_held() -> list[tuple]:
    return sorted(
        PayRecord.objects.values_list(
            "person__employee_number", "snapshot_on", "hourly_pay", "bonus_pay", "full_pay"
        )
    )


def test_pay_comes_in_with_the_people_file(loaded, tmp_path):
    output = run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    assert "3 changed" in output and "1 unchanged" in output
    march = dt.date(2025, 3, 31)
    assert pay_held() == [
        ("E1", march, Decimal("30.1234"), Decimal("0.00"), True),
        ("E2", march, Decimal("18.5000"), Decimal("250.00"), True),
        ("E4", march, Decimal("19.2500"), Decimal("0.00"), False),
    ]
    entry = AuditEntry.objects.filter(object_type="person", object_label="E2").latest("pk")
    assert entry.summary == "pay on 31 March 2025 added"  # the amounts stay out of summaries
    assert entry.before == {"pay": None}
    assert entry.after["pay"]["hourly_pay"] == "18.5000"


def test_the_same_pay_twice_changes_nothing_and_a_change_is_audited(loaded, tmp_path):
    run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    audits = AuditEntry.objects.count()
    assert "0 changed" in run("people", write(tmp_path, "again.csv", with_pay(PAY)))
    assert AuditEntry.objects.count() == audits + 1  # only the import itself
    raised = [PAY[0], PAY[1].replace("18.50", "18.75"), *PAY[2:]]
    output = run("people", write(tmp_path, "raised.csv", with_pay(raised)))
    assert "1 changed" in output
    assert PayRecord.objects.get(person__employee_number="E2").hourly_pay == Decimal("18.75")
    entry = AuditEntry.objects.filter(object_type="person", object_label="E2").latest("pk")
    assert entry.summary == "pay on 31 March 2025 changed"
    assert (entry.before["pay"]["hourly_pay"], entry.after["pay"]["hourly_pay"]) == (
        "18.5000",
        "18.7500",
    )


def test_a_later_snapshot_is_kept_beside_the_earlier_one(loaded, tmp_path):
    run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    later = [p.replace("2025-03-31", "2026-03-31").replace("31/03/2025", "2026-03-31") for p in PAY]
    run("people", write(tmp_path, "later.csv", with_pay(later)))
    assert PayRecord.objects.filter(person__employee_number="E1").count() == 2


def test_a_file_without_the_pay_columns_or_a_row_without_pay_leaves_pay_alone(loaded, tmp_path):
    run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    before = pay_held()
    assert "4 unchanged" in run("people", write(tmp_path, "plain.csv", people_csv(PEOPLE)))
    assert "4 unchanged" in run("people", write(tmp_path, "blank.csv", with_pay([""] * 4)))
    assert pay_held() == before


def test_a_pay_column_left_out_keeps_what_is_held_for_that_snapshot(loaded, tmp_path):
    run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    header = "employee_number,first_name,last_name,unit_code,job_role_code,contract_type,fte,"
    header += "assignment_start,snapshot date,bonus"  # aliases
    rows = [
        ",".join([*(r.split(",")[i] for i in (0, 1, 2, 5, 7, 9, 10, 11)), "2025-03-31", bonus])
        for r, bonus in zip(PEOPLE, ("0.00", "300.00", "", "0.00"), strict=True)
    ]
    rows.pop(2)  # the agency worker has no pay held
    path = write(tmp_path, "bonus.csv", "\n".join([header, *rows]) + "\n")
    assert "1 changed" in run("people", path)
    tom = PayRecord.objects.get(person__employee_number="E2")
    assert (tom.hourly_pay, tom.bonus_pay, tom.full_pay) == (
        Decimal("18.5000"),
        Decimal("300.00"),
        True,
    )


def test_the_export_writes_each_persons_latest_pay_and_imports_back_unchanged(loaded, tmp_path):
    run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    out = tmp_path / "export.csv"
    call_command("export", "people", str(out), stdout=io.StringIO())
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].endswith(PAY_HEADER)
    assert lines[2].endswith(",2025-03-31,18.5000,250.00,yes")
    assert lines[3].endswith(",,,,")
    before = pay_held()
    assert "4 unchanged" in run("people", out)
    assert pay_held() == before


@pytest.mark.parametrize(
    ("pay", "message"),
    [
        ("2025-04-05,18.50,0,yes", "pay_snapshot_on: 5 April 2025 is not a 31 March"),
        ("next March,18.50,0,yes", "pay_snapshot_on: 'next March' is not a date"),
        (",18.50,0,yes", "pay_snapshot_on: is required when the row gives pay (hourly_pay, "),
        (",,100,", "pay_snapshot_on: is required when the row gives pay (bonus_pay)"),
        ("2025-03-31,,0,yes", "hourly_pay: is required with pay_snapshot_on (31 March 2025)"),
        ("2025-03-31,18.50,0,", "full_pay: is required with pay_snapshot_on"),
        ("2025-03-31,-1,0,yes", "hourly_pay: -1 is outside 0 to 9999.9999"),
        ("2025-03-31,18.12345,0,yes", "hourly_pay: 18.12345 has more than 4 decimal places"),
        ("2025-03-31,£18.50,0,yes", "hourly_pay: '£18.50' is not a number"),
        ("2025-03-31,18.50,-5,yes", "bonus_pay: -5 is outside 0 to 99999999.99"),
        ("2025-03-31,18.50,10.005,yes", "bonus_pay: 10.005 has more than 2 decimal places"),
        ("2025-03-31,18.50,0,sometimes", "full_pay: 'sometimes' is not yes or no"),
    ],
)
def test_bad_pay_is_refused_by_row_and_column(loaded, tmp_path, pay, message):
    before = (snapshot(), pay_held())
    path = write(tmp_path, "bad.csv", with_pay([PAY[0], pay, *PAY[2:]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "people", str(path), stdout=out, stderr=io.StringIO())
    assert f"Row 3, column {message}" in out.getvalue()
    assert (snapshot(), pay_held()) == before


def test_a_snapshot_in_the_future_is_refused(loaded, tmp_path):
    coming = f"{today().year + 1}-03-31"
    path = write(tmp_path, "bad.csv", with_pay([f"{coming},18.50,0,yes", *PAY[1:]]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "people", str(path), stdout=out, stderr=io.StringIO())
    assert "Row 2, column pay_snapshot_on: 31 March" in out.getvalue()
    assert "is in the future" in out.getvalue()
    assert not PayRecord.objects.exists()


def test_pay_comes_in_with_new_people_in_one_audit_entry_each(reference, tmp_path):
    run("people", write(tmp_path, "pay.csv", with_pay(PAY)))
    assert len(pay_held()) == 3
    entry = AuditEntry.objects.get(object_type="person", object_label="E4")
    assert entry.action == "create"
    assert entry.after["last_name"] == "Nowak" and entry.after["pay"]["full_pay"] is False
