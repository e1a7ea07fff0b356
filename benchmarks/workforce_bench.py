"""Workforce insight at council scale, on a throwaway PostgreSQL database: the demo council (50,000
people by default) with ten years of history (its sickness absences, caseloads and leavers),
built as of the day after the last 30 September, the day it is measured on, so that the
ten years the trend counts are all in it. Prints the time of

- every headline measure for one as-of date, council-wide and for children's social work
  (`metrics.Facts.read` and `metrics.measures`; target under 2 s);
- the ten-year trend (the measures on ten 30 Septembers; target under 10 s);
- the equality figures, council-wide and for children's social work, with how many of their
  counts are suppressed;
- the dashboard, retention and equality pages' server time (Django's test client, signed in
  as a council-wide HR officer), with their queries.

    .venv/bin/python benchmarks/workforce_bench.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres [--people 50000] \\
        [--history-years 10] [--keep]

Not a test: nothing here passes or fails. The figures go to benchmarks/out/workforce_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from throwaway import child_env, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def timed(run, times: int = 3) -> tuple[float, object]:
    took = []
    result = None
    for _ in range(times):
        started = time.perf_counter()
        result = run()
        took.append(time.perf_counter() - started)
    return statistics.median(took), result


def child(people: int, history_years: int, reuse: bool) -> dict:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Min
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from peopleplan.access.models import RoleGrant, User
    from peopleplan.demo.generator import demo_build
    from peopleplan.org.models import Absence, Assignment, Caseload, JobRole
    from peopleplan.workforce import selectors
    from peopleplan.workforce.metrics import Facts, Scope, measures

    figures: dict = {"people": people}
    on = selectors.last_30_september(dt.date.today())
    call_command("migrate", verbosity=0)
    if not reuse:
        figures["history_years"] = history_years
        started = time.perf_counter()
        demo_build(
            people=people, seed=1, as_of=on + dt.timedelta(days=1), history_years=history_years
        )
        figures["demo_build_s"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    figures["assignments"] = Assignment.objects.count()
    figures["absences"] = Absence.objects.count()
    figures["caseloads"] = Caseload.objects.count()
    figures["as_of"] = on.isoformat()
    # The trend's first year starts the day after the 30 September ten years before `on`; the
    # data should start then too (the first sickness absence, the first caseload count).
    figures["trend_from"] = (dt.date(on.year - 10, 9, 30) + dt.timedelta(days=1)).isoformat()
    figures["absences_from"] = Absence.objects.aggregate(first=Min("first_day"))["first"]
    figures["caseloads_from"] = Caseload.objects.aggregate(first=Min("on"))["first"]
    family = next(
        (f for f in JobRole.objects.values_list("job_family", flat=True) if "hildren" in f), None
    )
    for label, scope in (("council", Scope()), ("childrens_social_work", Scope(job_family=family))):
        with CaptureQueriesContext(connection) as queries:
            took, found = timed(lambda scope=scope: measures(Facts.read(scope, on, on), on))
        figures[f"one_date_{label}_s"] = round(took, 2)
        figures[f"one_date_{label}_queries"] = len(queries) // 3
        figures[f"{label}_inpost_headcount"] = found["inpost_headcount"]
        figures[f"{label}_turnover_rate_fte"] = str(found["turnover_rate_fte"])
        figures[f"{label}_absence_rate_fte"] = str(found["absence_rate_fte"])
        figures[f"{label}_caseload_fte"] = str(found["caseload_fte"])
        took, dashboard = timed(
            lambda scope=scope: selectors.dashboard(
                paths=None, unit=None, job_family=scope.job_family, as_of=on, years=10
            )
        )
        figures[f"ten_year_trend_{label}_s"] = round(took, 2)
        # Each of the ten years should have its turnover and its sickness.
        for key in ("turnover_rate_fte", "absence_rate_fte"):
            line = next(line for line in dashboard.trend if line.key == key)
            figures[f"ten_year_trend_{label}_{key}"] = " ".join(
                str(value) for _, value, _ in line.points
            )
    hr, made = User.objects.get_or_create(email="bench.hr@bench.example")
    if made:
        RoleGrant.objects.create(user=hr, role="hr_officer", unit=None)
        RoleGrant.objects.create(user=hr, role="hr_equality", unit=None)
    for label, job_family in (("council", None), ("childrens_social_work", family)):
        took, report = timed(
            lambda job_family=job_family: selectors.equality_report(
                paths=None, unit=None, job_family=job_family, as_of=on
            )
        )
        figures[f"equality_{label}_s"] = round(took, 2)
        cells = [
            cell
            for breakdown in report.breakdowns
            for line in breakdown.lines
            for cell in [*line.row.cells, line.row.total]
        ]
        figures[f"equality_{label}_cells_suppressed"] = (
            f"{sum(c.suppressed for c in cells)} of {len(cells)}"
        )
    client = Client()
    client.force_login(hr)
    for name, url in (
        ("dashboard_page", f"/workforce/?on={on}"),
        ("dashboard_page_family", f"/workforce/?on={on}&job_family={family}"),
        ("retention_page", f"/workforce/retention/?on={on}"),
        ("equality_page", f"/workforce/equality/?on={on}"),
        ("equality_page_family", f"/workforce/equality/?on={on}&job_family={family}"),
    ):
        with CaptureQueriesContext(connection) as queries:
            took, response = timed(lambda url=url: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        figures[f"{name}_s"] = round(took, 2)
        figures[f"{name}_queries"] = len(queries) // 3
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server URL")
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument(
        "--history-years", type=int, default=10, help="years of history to build (1 to 20)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", default="", metavar="NAME", help="measure a kept database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        reuse = os.environ.get("BENCH_REUSE") == "1"
        print(json.dumps(child(args.people, args.history_years, reuse), default=str))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with throwaway_database(
        args.database_url, "pp_workforce_bench", keep=args.keep, reuse=args.reuse
    ) as url:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--people",
                str(args.people),
                "--history-years",
                str(args.history_years),
                "--database-url",
                url,
            ],
            env=child_env(url, BENCH_REUSE="1" if args.reuse else ""),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        sys.exit(done.stderr[-5000:])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    (OUT / "workforce_bench.json").write_text(json.dumps(figures, indent=2))
    years = figures.get("history_years")
    history = f", {years} years of history" if years else " (a kept database)"
    print(f"Workforce insight on PostgreSQL, {figures['people']:,} people{history}")
    for key, value in figures.items():
        print(f"  {key:<40} {value}")


if __name__ == "__main__":
    main()
