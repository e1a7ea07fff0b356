"""`peopleplan import cohorts`: who came in by which recruitment route, by the same rules as the
HR import."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from peopleplan.core.imports import get_kind, run_import
from peopleplan.core.models import AuditEntry
from peopleplan.workforce.models import Cohort, CohortMember

HEADER = "employee_number,route,cohort,started_on\n"


def number(cast, who="learner"):
    return getattr(cast, who).person.employee_number


def run(text, **kwargs):
    return run_import("cohorts", text.encode(), file_name="cohorts.csv", **kwargs)


def counts(result):
    return {action: n for action, n in result.counts.items() if n}


def problems(result):
    return {(p.row, p.column): p.message for p in result.problems}


def good_file(cast):
    return (
        HEADER
        + f"{number(cast)},step-up,Step Up 2023,2023-09-04\n"
        + f"{number(cast, 'manager')},Frontline,Frontline 2022,2022-09-05\n"
    )


def test_import_then_the_same_file_again(cast):
    first = run(good_file(cast))
    assert first.applied and counts(first) == {"added": 2}, first.problems
    assert Cohort.objects.count() == 2  # each named for the first time, so made
    member = CohortMember.objects.get(person=cast.learner.person)
    assert (member.cohort.route.code, member.cohort.name) == ("step-up", "Step Up 2023")
    assert counts(run(good_file(cast))) == {"unchanged": 2}
    assert AuditEntry.objects.filter(object_type="workforce.cohortmember").count() == 2


def test_a_new_start_day_corrects_the_one_held(cast):
    run(good_file(cast))
    result = run(HEADER + f"{number(cast)},step-up,Step Up 2023,2023-09-11\n")
    assert counts(result) == {"changed": 1}
    assert CohortMember.objects.get(person=cast.learner.person).started_on == dt.date(2023, 9, 11)
    entry = AuditEntry.objects.get(object_type="workforce.cohortmember", action="update")
    assert entry.before == {"started_on": "2023-09-04"}


def test_an_export_imports_back_with_no_changes(cast):
    run(good_file(cast))
    headers, rows = get_kind("cohorts")().export_table()
    text = ",".join(headers) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    assert counts(run(text)) == {"unchanged": 2}


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("E-NOBODY,step-up,Step Up 2023,2023-09-04", "employee_number", "not in peopleplan"),
        ("{n},astronaut,Class of 2023,2023-09-04", "route", "the routes are agency-to-permanent"),
        ("{n},step-up,Step Up 2099,2099-09-04", "started_on", "in the future"),
        ("{n},step-up,Step Up 2010,2010-09-06", "started_on", "had no job on 6 September 2010"),
        ("{n},step-up,Step Up 2023,4 Sept", "started_on", "not a date"),
        ("{n},step-up,,2023-09-04", "cohort", "is required"),
        ("{n},step-up,Step Up 2023,2023-09-05", "cohort", "is also on row 2"),
    ],
)
def test_a_bad_row_is_refused_naming_its_row_and_column(cast, line, column, words):
    good = f"{number(cast)},step-up,Step Up 2023,2023-09-04\n"
    result = run(HEADER + good + line.format(n=number(cast)) + "\n")
    assert not result.applied
    found = problems(result)
    assert (3, column) in found, found
    assert words in found[(3, column)]
    assert not CohortMember.objects.exists()


def test_the_import_command_reads_a_real_file(cast, tmp_path):
    path = tmp_path / "cohorts.csv"
    path.write_text(good_file(cast), encoding="utf-8")
    call_command("import", "cohorts", str(path))
    assert CohortMember.objects.count() == 2


def test_only_council_hr_download_the_export(client, cast):
    run(good_file(cast))
    url = reverse("core:export_download", args=["cohorts"])
    client.force_login(cast.hr_officer)
    assert client.get(url).status_code == 200
    for who in ("adults_hr", "ld_admin", "senior_leader", "learner", "outsider"):
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 404, who
