"""`peopleplan import exit_interviews`: by the same rules as the absences and caseloads (dry
run, errors by row and column, the same file twice changes nothing), for leavers only."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from peopleplan.core.dates import today
from peopleplan.core.imports import get_kind, run_import
from peopleplan.core.models import AuditEntry
from peopleplan.org.services import person_leave
from peopleplan.workforce.models import ExitInterview
from tests.factories import AssignmentFactory

EXITS = "employee_number,held_on,reasons,comments\n"
KIND = "exit_interviews"


def number(cast, who="learner"):
    return getattr(cast, who).person.employee_number


def run(text, **kwargs):
    return run_import(KIND, text.encode(), file_name="exit_interviews.csv", **kwargs)


def counts(result):
    """The counts that are not nought."""
    return {action: n for action, n in result.counts.items() if n}


def problems(result):
    return {(p.row, p.column): p.message for p in result.problems}


@pytest.fixture
def leavers(cast):
    """The learner left on 31 March 2025 and the manager retired on 30 June 2024; the outsider
    is leaving next month, working their notice."""
    person_leave(
        person=cast.learner.person, leaving_date=dt.date(2025, 3, 31), leaving_reason="resignation"
    )
    person_leave(
        person=cast.manager.person, leaving_date=dt.date(2024, 6, 30), leaving_reason="retirement"
    )
    person_leave(
        person=cast.outsider.person,
        leaving_date=today() + dt.timedelta(days=30),
        leaving_reason="resignation",
    )
    return cast


def exits_file(cast):
    recent = (today() - dt.timedelta(days=5)).isoformat()
    return (
        EXITS
        + f"{number(cast)},2025-03-20,workload; Pay and benefits,Too many cases\n"
        + f"{number(cast, 'manager')},01/06/2024,RETIREMENT,\n"
        + f'{number(cast, "outsider")},{recent},"agency|progression, flexibility","Better pay, '
        'and I choose my hours"\n'
    )


def export_text():
    headers, rows = get_kind(KIND)().export_table()
    return ",".join(headers) + "\n" + "\n".join(",".join(f'"{v}"' for v in r) for r in rows) + "\n"


def test_the_import_then_the_same_file_again(leavers):
    cast = leavers
    first = run(exits_file(cast))
    assert first.applied, first.problems
    assert first.counts["added"] == 3
    learner = ExitInterview.objects.get(person=cast.learner.person)
    assert learner.held_on == dt.date(2025, 3, 20)
    assert learner.reasons == ["workload", "pay"]  # most important first
    assert learner.comments == "Too many cases"
    outsider = ExitInterview.objects.get(person=cast.outsider.person)
    assert outsider.reasons == ["agency", "progression", "flexibility"]
    assert outsider.comments == "Better pay, and I choose my hours"
    assert ExitInterview.objects.get(person=cast.manager.person).reasons == ["retirement"]
    again = run(exits_file(cast))
    assert again.applied and counts(again) == {"unchanged": 3}
    assert ExitInterview.objects.count() == 3
    assert (
        AuditEntry.objects.filter(object_type="workforce.exitinterview", action="create").count()
        == 3
    )


def test_a_dry_run_writes_nothing(leavers):
    result = run(exits_file(leavers), dry_run=True)
    assert result.counts["added"] == 3 and not result.applied
    assert not ExitInterview.objects.exists()


def test_an_export_imports_back_with_no_changes(leavers):
    run(exits_file(leavers))
    assert "workload; pay" in export_text()
    result = run(export_text())
    assert counts(result) == {"unchanged": 3}, result.problems


def test_a_correction_changes_in_place_with_the_audit_log(leavers):
    cast = leavers
    run(exits_file(cast))
    result = run(EXITS + f"{number(cast)},2025-03-20,pay;workload,Too many cases\n")
    assert counts(result) == {"changed": 1}
    assert result.changes[0].details == ["reasons: workload; pay → pay; workload"]
    assert ExitInterview.objects.get(person=cast.learner.person).reasons == ["pay", "workload"]
    entry = AuditEntry.objects.get(object_type="workforce.exitinterview", action="update")
    assert entry.before == {"reasons": ["workload", "pay"]}
    assert entry.after == {"reasons": ["pay", "workload"]}
    # A file without the comments column keeps them; one file never deletes what it leaves out.
    result = run("employee_number,held_on,reasons\n" + f"{number(cast)},2025-03-20,pay\n")
    assert counts(result) == {"changed": 1}
    learner = ExitInterview.objects.get(person=cast.learner.person)
    assert (learner.reasons, learner.comments) == (["pay"], "Too many cases")
    assert ExitInterview.objects.count() == 3


def test_the_window_runs_90_days_either_side_of_the_leaving_date(leavers):
    n = number(leavers)  # left on 31 March 2025
    result = run(EXITS + f"{n},2024-12-31,pay,\n{n},2025-06-29,pay,\n")
    assert counts(result) == {"added": 2}, result.problems


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("E-NOBODY,2025-03-20,pay,", "employee_number", "Employee E-NOBODY is not in peopleplan"),
        ("{n},2025-02-30,pay,", "held_on", "not a real date"),
        ("{n},soon,pay,", "held_on", "not a date"),
        ("{n},,pay,", "held_on", "is required"),
        ("{n},2099-01-01,pay,", "held_on", "1 January 2099 is in the future"),
        (
            "{n},2024-12-30,pay,",
            "held_on",
            "30 December 2024 is more than 90 days before employee {n}'s leaving date, "
            "31 March 2025",
        ),
        (
            "{n},2025-06-30,pay,",
            "held_on",
            "30 June 2025 is more than 90 days after employee {n}'s leaving date, 31 March 2025",
        ),
        ("{s},2025-03-20,pay,", "held_on", "Employee {s} has no leaving date"),
        ("{n},2025-03-20,pay; bonus,", "reasons", "'bonus' is not a reason: use one of pay, "),
        ("{n},2025-03-10,pay,", "held_on", "{n} on 10 March 2025 is also on row 2"),
    ],
)
def test_a_bad_row_is_refused_naming_its_row_and_column(leavers, line, column, words):
    n, s = number(leavers), number(leavers, "senior_manager")
    good = f"{n},2025-03-10,workload,\n"
    result = run(EXITS + good + line.format(n=n, s=s) + "\n")
    assert not result.applied
    found = problems(result)
    assert (3, column) in found, found
    assert words.format(n=n, s=s) in found[(3, column)]
    assert not ExitInterview.objects.exists()


def test_every_unknown_reason_is_named_with_the_codes(leavers):
    result = run(EXITS + f"{number(leavers)},2025-03-20,bonus | Workload | commute,\n")
    messages = [p.message for p in result.problems if p.column == "reasons"]
    assert len(messages) == 2
    assert messages[0].startswith("'bonus' is not a reason")
    assert messages[1].startswith("'commute' is not a reason")
    assert "pay, workload, management, progression" in messages[0]


def test_an_interview_before_the_first_job_is_refused(leavers):
    # A short stay: started on 1 March 2025 and left at the end of the month.
    starter = AssignmentFactory(start_date=dt.date(2025, 3, 1)).person
    person_leave(person=starter, leaving_date=dt.date(2025, 3, 31), leaving_reason="resignation")
    found = problems(run(EXITS + f"{starter.employee_number},2025-02-14,pay,\n"))
    assert "had not started by 14 February 2025" in found[(2, "held_on")]


def test_the_import_command_reads_a_real_file(leavers, tmp_path):
    path = tmp_path / "exit interviews.csv"
    path.write_text(exits_file(leavers), encoding="utf-8")
    call_command("import", KIND, str(path))
    assert ExitInterview.objects.count() == 3


def test_only_council_hr_download_the_export(client, leavers):
    cast = leavers
    run(exits_file(cast))
    url = reverse("core:export_download", args=[KIND])
    client.force_login(cast.hr_officer)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.startswith("employee_number,held_on,reasons,comments")
    assert "workload; pay" in text
    assert AuditEntry.objects.filter(object_type=f"export:{KIND}").count() == 1
    for who in ("adults_hr", "ld_admin", "manager", "learner", "outsider"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404, who
