"""The demo council's sickness absences, caseloads and exit interviews: the rules each row keeps
(read back from a small council of 300 built once for the module) and the figures of a
5,000-person council (planned in memory)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from peopleplan.core.imports import get_kind, run_import
from peopleplan.demo.catalogue import SWE
from peopleplan.demo.plan import plan_council
from peopleplan.demo.workforce import (
    SICKNESS_REASONS,
    workforce_figures,
    workforce_plan,
)
from peopleplan.org.models import Absence, Assignment, Caseload, Person
from peopleplan.workforce.models import ExitInterview

AS_OF = dt.date(2026, 3, 31)
LAST = AS_OF - dt.timedelta(days=1)  # the build's moment is the day before the as-of date
SOCIAL_WORK = ("Children's social work", "Adult social work")


def build(*extra: str) -> str:
    out = StringIO()
    call_command(
        "demo", "--people", "300", "--seed", "3", "--as-of", str(AS_OF), *extra, stdout=out
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, in a transaction rolled back when the module's tests are done."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        output = build()
        yield output
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def big():
    plan = plan_council(people=5000, seed=1, as_of=AS_OF)
    return plan, workforce_plan(plan)


def jobs() -> dict[int, list[dict]]:
    """Each person's primary assignments, with their job role."""
    found: dict[int, list[dict]] = defaultdict(list)
    for job in Assignment.objects.filter(is_primary=True).values(
        "person_id",
        "start_date",
        "end_date",
        "fte",
        "contract_type",
        "job_role__job_family",
        "job_role__title",
        "job_role__registration_body",
        "job_role__manages_people",
    ):
        found[job["person_id"]].append(job)
    return found


def job_on(person_jobs: list[dict], day: dt.date) -> dict | None:
    for job in person_jobs:
        if job["start_date"] <= day and (job["end_date"] is None or day <= job["end_date"]):
            return job
    return None


def weekdays(first: dt.date, last: dt.date) -> int:
    return sum(
        1 for n in range((last - first).days + 1) if (first + dt.timedelta(days=n)).weekday() < 5
    )


def fingerprint() -> list:
    return [
        *Absence.objects.order_by("person__employee_number", "first_day").values_list(
            "person__employee_number", "first_day", "last_day", "working_days_lost", "reason"
        ),
        *Caseload.objects.order_by("person__employee_number", "on").values_list(
            "person__employee_number", "on", "cases"
        ),
        *ExitInterview.objects.order_by("person__employee_number", "held_on").values_list(
            "person__employee_number", "held_on", "reasons", "comments"
        ),
    ]


# --- the rows, read back ---------------------------------------------------------------------


def test_the_build_writes_and_counts_them(council, db):
    assert "sickness absences" in council and "exit interviews" in council
    assert Absence.objects.count() > 1000
    assert Caseload.objects.exists() and ExitInterview.objects.exists()


def test_the_demo_city_is_the_comparison_population(council, db):
    from peopleplan.workforce.equality import GROUPS, comparison

    held = comparison()
    assert held is not None and "Demo city" in held.name
    for dimension, groups in GROUPS.items():
        assert set(held.shares[dimension]) == set(groups)
        assert sum(held.shares[dimension].values()) == 100
    assert held.shares["ethnicity"]["White"] > 75


def test_sickness_spells_never_overlap_and_lie_inside_employment(council, db):
    held = jobs()
    spells: dict[int, list[Absence]] = defaultdict(list)
    for absence in Absence.objects.order_by("person_id", "first_day"):
        spells[absence.person_id].append(absence)
    for person, theirs in spells.items():
        for before, after in pairwise(theirs):
            assert before.last_day is not None and before.last_day < after.first_day
        ends = [job["end_date"] for job in held[person]]
        last_job_day = None if None in ends else max(ends)
        for absence in theirs:
            job = job_on(held[person], absence.first_day)
            assert job is not None, absence
            assert job["contract_type"] != "agency" and job["fte"] > 0
            assert absence.first_day >= AS_OF.replace(year=AS_OF.year - 5)
            assert absence.first_day.weekday() < 5
            if last_job_day is not None:
                assert absence.last_day is not None and absence.last_day <= last_job_day


def test_days_lost_are_the_working_days_times_the_fte(council, db):
    held = jobs()
    for absence in Absence.objects.all():
        last = absence.last_day or LAST
        fte = job_on(held[absence.person_id], absence.first_day)["fte"]
        assert absence.working_days_lost <= (last - absence.first_day).days + 1
        expected = (weekdays(absence.first_day, last) * fte).quantize(Decimal("0.1"))
        assert absence.working_days_lost == expected, absence


def test_a_believable_amount_of_sickness(council, db):
    start = AS_OF.replace(year=AS_OF.year - 5)
    fte_years = 0.0  # employees' FTE over the five years
    for person_jobs in jobs().values():
        for job in person_jobs:
            first, last = max(job["start_date"], start), min(job["end_date"] or LAST, LAST)
            if job["contract_type"] != "agency" and last >= first:
                fte_years += float(job["fte"]) * ((last - first).days + 1) / 365.25
    absences = list(
        Absence.objects.values_list("first_day", "last_day", "working_days_lost", "reason")
    )
    per_fte = float(sum(lost for _, _, lost, _ in absences)) / fte_years
    assert 7 <= per_fte <= 12, per_fte
    lengths = [weekdays(first, last or LAST) for first, last, _, _ in absences]
    assert sum(n <= 5 for n in lengths) > 0.7 * len(absences)
    assert any(n > 60 for n in lengths)  # some of months
    assert {reason for *_, reason in absences} == set(SICKNESS_REASONS)
    ongoing = Absence.objects.filter(last_day__isnull=True)
    assert ongoing.exists()
    # Only people still in post are still off.
    assert not ongoing.filter(person__leaving_date__isnull=False).exists()


def test_caseloads_are_social_workers_on_quarter_days(council, db):
    held = jobs()
    by_rung: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    children = [0, 0.0]
    zero = 0
    for caseload in Caseload.objects.all():
        assert (caseload.on.month, caseload.on.day) in ((3, 31), (6, 30), (9, 30), (12, 31))
        job = job_on(held[caseload.person_id], caseload.on)
        assert job is not None
        assert job["job_role__job_family"] in SOCIAL_WORK
        assert job["job_role__registration_body"] == SWE
        assert not job["job_role__manages_people"]
        zero += caseload.cases == 0
        if job["job_role__job_family"] == "Children's social work":
            children[0] += caseload.cases
            children[1] += float(job["fte"])
            rung = by_rung[job["job_role__title"].split(",")[0]]
            rung[0] += caseload.cases
            rung[1] += float(job["fte"])
    assert 13 <= children[0] / children[1] <= 20, children
    asye, worker = by_rung["Social Worker (ASYE)"], by_rung["Social Worker"]
    assert asye[0] / asye[1] < worker[0] / worker[1]
    assert zero > 0  # new starters, and those on long-term sick leave


def test_exit_interviews_are_for_leavers_in_their_last_month(council, db):
    leavers = dict(
        Person.objects.filter(leaving_date__isnull=False).values_list("id", "leaving_date")
    )
    reasons = dict(Person.objects.values_list("id", "leaving_reason"))
    agency = set(
        Assignment.objects.filter(contract_type="agency").values_list("person_id", flat=True)
    )
    interviews = list(ExitInterview.objects.all())
    for interview in interviews:
        leaving = leavers[interview.person_id]
        assert 0 <= (leaving - interview.held_on).days <= 30
        assert interview.held_on.weekday() < 5 and interview.held_on <= LAST
        assert interview.person_id not in agency
        assert 1 <= len(interview.reasons) <= 3
        assert len(set(interview.reasons)) == len(interview.reasons)
        assert set(interview.reasons) <= set(ExitInterview.Reason.values)
        if reasons[interview.person_id] == "retirement":
            assert interview.reasons[0] == "retirement"
    employees = [p for p in leavers if p not in agency]
    assert 0.3 <= len(interviews) / len(employees) <= 0.55
    assert any(i.comments for i in interviews) and not all(i.comments for i in interviews)


@pytest.mark.parametrize("kind", ["absences", "caseloads", "exit_interviews", "cohorts"])
def test_the_exports_import_back_with_no_changes(council, db, kind):
    headers, rows = get_kind(kind)().export_table()
    rows = list(rows)
    out = StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    result = run_import(kind, out.getvalue().encode(), file_name=f"{kind}.csv", dry_run=True)
    assert not result.problems, result.problems[:5]
    assert {action: n for action, n in result.counts.items() if n} == {"unchanged": len(rows)}


def test_starters_came_in_by_recruitment_routes(council, db):
    from peopleplan.workforce.models import CohortMember
    from peopleplan.workforce.retention import by_route

    members = list(CohortMember.objects.select_related("cohort__route", "person"))
    assert members
    for member in members:
        first_job = member.person.assignments.order_by("start_date").first()
        assert member.started_on >= first_job.start_date
        assert member.cohort.name.endswith(
            str(member.started_on.year)
        ) or member.cohort.name.endswith(str(member.started_on.year - 1))
    routes = {route.label for route, _ in by_route(None, dt.date.today())}
    assert "Graduate academy" in routes


def test_the_same_seed_gives_the_same_rows(council, db):
    before = fingerprint()
    build("--replace")  # deletes them (before the people) and builds them again
    assert fingerprint() == before


# --- a 5,000-person council, in memory --------------------------------------------------------


def test_the_figures_of_a_council_of_5000(big):
    plan, drawn = big
    figures = workforce_figures(plan, drawn)
    assert 8.5 <= figures["days_lost_per_fte"] <= 10.5, figures
    assert figures["days_lost_per_fte_social_care"] >= figures["days_lost_per_fte"] + 0.8
    assert figures["short_spells_percent"] >= 70
    assert 35 <= figures["long_term_days_percent"] <= 70
    assert figures["ongoing"] > 50
    assert 15.5 <= figures["childrens_cases_per_fte"] <= 18, figures
    assert figures["asye_cases_per_fte"] < figures["childrens_cases_per_fte"] - 3
    assert figures["holding_none"] > 0
    assert 35 <= figures["leavers_interviewed_percent"] <= 45
    # Agency social workers hold cases too.
    assert any(plan.persons[c[0]].agency for c in drawn.caseloads)


def test_the_reasons_follow_the_leaving_reason(big):
    plan, drawn = big
    first: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person, _, reasons, _ in drawn.exits:
        first[plan.persons[person].reason][reasons[0]] += 1
    assert set(first["retirement"]) == {"retirement"}
    resigned = first["resignation"]
    assert "retirement" not in resigned
    assert {"pay", "workload", "progression", "agency", "other_council"} <= set(resigned)


def test_the_same_seed_and_date_give_the_same_plan():
    plan = plan_council(people=300, seed=3, as_of=AS_OF)
    assert workforce_plan(plan) == workforce_plan(plan_council(people=300, seed=3, as_of=AS_OF))
    assert workforce_plan(plan) != workforce_plan(plan_council(people=300, seed=4, as_of=AS_OF))


def test_pay_for_the_gender_pay_gap(council, db):
    from peopleplan.org.models import PayRecord
    from peopleplan.workforce import selectors

    snapshots = sorted(set(PayRecord.objects.values_list("snapshot_on", flat=True)))
    assert snapshots and all((s.month, s.day) == (3, 31) for s in snapshots)
    report = selectors.pay_gap(None)
    assert report.snapshot == snapshots[-1]
    assert report.result is not None
