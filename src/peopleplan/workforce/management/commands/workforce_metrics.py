"""peopleplan workforce_metrics: every capacity measure for an as-of date, for scripts and
checks, keyed as the national statistics' data file names the measures it has. With an as-of
date of 30 September the flows cover the year to that date, as the statistics count them."""

import datetime as dt
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from peopleplan.core.dates import today
from peopleplan.org.models import JobRole, Unit
from peopleplan.workforce.metrics import DEFINITIONS, Facts, Scope, measures


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Command(BaseCommand):
    help = "Print every workforce capacity measure for an as-of date, unit and job family."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (today)"
        )
        parser.add_argument("--unit", help="a unit's code: it and everything under it")
        parser.add_argument("--job-family", help="one job family, as the job roles name it")
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args, **options):
        on = options["as_of"] or today()
        paths = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"There is no unit with the code {options['unit']}.")
            paths = (unit.path,)
        family = options["job_family"]
        if family and not JobRole.objects.filter(job_family=family).exists():
            known = sorted(set(JobRole.objects.values_list("job_family", flat=True)) - {""})
            raise CommandError(
                f"No job role is in the job family {family!r}. The families: " + ", ".join(known)
            )
        scope = Scope(unit_paths=paths, job_family=family)
        found = measures(Facts.read(scope, on, on), on)
        found = {"unit": options["unit"] or None, "job_family": family, **found}
        if options["format"] == "json":
            self.stdout.write(json.dumps({k: _plain(v) for k, v in found.items()}, indent=2))
            return
        for key, value in found.items():
            shown = "" if value is None else _plain(value)
            self.stdout.write(f"{key:32} {shown!s:>12}  {DEFINITIONS.get(key, '')}")
