"""`peopleplan demo`: build the demo council (see `peopleplan.demo.plan` for how)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peopleplan.demo.catalogue import COUNCIL_NAME
from peopleplan.demo.generator import MOST_HISTORY_YEARS, DemoError, demo_build
from peopleplan.demo.plan import HISTORY_YEARS
from peopleplan.demo.workforce import workforce_figures
from peopleplan.org.models import Person


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value!r} is not a date like 2026-03-31.") from None


class Command(BaseCommand):
    help = (
        "Build the demo council: about --people people in post today, with --history-years "
        "(five) years of history up to --as-of. The same seed always gives the same council."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=5000, help="People in post today.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-of", type=_date, default=None, help="The demo's today (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--history-years",
            type=int,
            default=HISTORY_YEARS,
            metavar="N",
            help=f"Years of starters, leavers, sickness and caseloads before --as-of "
            f"(1 to {MOST_HISTORY_YEARS}; default {HISTORY_YEARS}).",
        )
        what = parser.add_mutually_exclusive_group()
        what.add_argument(
            "--if-empty", action="store_true", help="Do nothing when there are people already."
        )
        what.add_argument(
            "--replace",
            action="store_true",
            help="Delete the learning and organisation data (units, posts, people) first.",
        )

    def handle(self, *args, **options) -> None:
        years = options["history_years"]
        if not 1 <= years <= MOST_HISTORY_YEARS:
            raise CommandError(
                f"--history-years must be from 1 to {MOST_HISTORY_YEARS}, not {years}."
            )
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write(
                "There are people in the database already: the demo council was not built."
            )
            return
        try:
            build = demo_build(
                people=options["people"],
                seed=options["seed"],
                as_of=options["as_of"],
                replace=options["replace"],
                history_years=years,
            )
        except DemoError as error:
            raise CommandError(str(error)) from None
        shape = build.plan.shape()
        history = "a year" if years == 1 else f"{years} years"
        seconds = sum(build.seconds.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {COUNCIL_NAME} (seed {options['seed']}, as of "
                f"{build.plan.as_of:%d %B %Y}, {history} of history) in {seconds:.1f} s."
            )
        )
        self.stdout.write(
            f"  {shape['units']:,} units, {shape['job_roles']:,} job roles, "
            f"{shape['posts']:,} posts ({shape['vacant_today']:,} vacant today, "
            f"{shape['vacant_percent']}%; {shape['vacant_covered_by_agency']:,} of them covered "
            "by agency workers)"
        )
        self.stdout.write(
            f"  {shape['in_post_today']:,} people in post today ({shape['agency_today']:,} "
            f"agency, {shape['casual_today']:,} casual), {shape['people_rows']:,} people in "
            f"all with {history} of leavers, {shape['assignments']:,} assignments"
        )
        for year in reversed(shape["leavers_by_year"]):
            self.stdout.write(
                f"  year to {year['year_to']}: {year['leavers']:,} leavers, "
                f"turnover {year['turnover_percent']}%"
            )
        rows = build.rows
        self.stdout.write(
            f"  Learning: {rows['learning items']:,} items, {rows['sessions']:,} sessions, "
            f"{rows['bookings']:,} bookings, {rows['attendance marks']:,} register marks, "
            f"{rows['completions']:,} completions"
        )
        figures = workforce_figures(build.plan, build.workforce)
        self.stdout.write(
            f"  Workforce: {rows['sickness absences']:,} sickness absences "
            f"({figures['days_lost_per_fte']} working days lost per FTE a year, "
            f"{figures['days_lost_per_fte_social_care']} in social care), "
            f"{rows['caseloads']:,} caseloads (children's social workers "
            f"{figures['childrens_cases_per_fte']} cases per FTE on "
            f"{figures['count_day']:%d %B %Y}), {rows['exit interviews']:,} exit interviews "
            f"({figures['leavers_interviewed_percent']}% of leavers)"
        )
        self.stdout.write("  `peopleplan demo_logins` lists a login for every role.")
