"""A manager's compliance matrix at council scale: a council of N people (5,000 by default) in
100 teams, 25 requirements (audiences by directorate, by job family and everyone), five years
of completions, and a manager with a team of 30 (10 direct reports, 20 through them). Prints
the server time (median and 95th percentile of repeated requests, through Django's test
client) and the number of queries of the matrix page, its API, its XLSX export and a person's
page, on a fresh SQLite file and, with --database-url, a throwaway PostgreSQL database.

    .venv/bin/python benchmarks/compliance_matrix_bench.py \
        [--people 5000] [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

Target (issue 4, section 9): the manager's matrix for a team of 30 under 100 ms of server
time, with a fixed number of queries whatever the team size. Not a test: nothing passes or
fails here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from throwaway import child_env, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

CHILD = """
import datetime as dt, json, random, statistics, time
from decimal import Decimal
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from peopleplan.access.models import User
from peopleplan.compliance import services
from peopleplan.learning.models import Completion, LearningItem
from peopleplan.org.models import Assignment, Audience, AudienceRule, JobRole, Person
from peopleplan.org.services import unit_create

PEOPLE = int(__PEOPLE__)
call_command("migrate", verbosity=0)
rng = random.Random(1)
today = timezone.localdate()
started = time.perf_counter()
council = unit_create(code="CNL", name="Council", unit_type="council")
directorates = [unit_create(code=f"D{d}", name=f"Directorate {d}", unit_type="directorate",
                            parent=council) for d in range(10)]
teams = [unit_create(code=f"D{d}-T{t}", name=f"Team {d}.{t}", parent=directorates[d])
         for d in range(10) for t in range(10)]
families = ["Social work", "Care", "Business support", "Finance", "Housing"]
roles = JobRole.objects.bulk_create([
    JobRole(code=f"R{i}", title=f"Role {i}", job_family=families[i % len(families)])
    for i in range(10)])
people = Person.objects.bulk_create([
    Person(employee_number=f"E{n:06d}", first_name=f"First{n}", last_name=f"Last{n}")
    for n in range(PEOPLE)], batch_size=5000)
# The bench manager is person 0; 1-10 report to them, 11-30 to 1 and 2; everyone else to
# their team's first person.
team_of = {}
rows = []
for n, person in enumerate(people):
    team = teams[0] if n <= 30 else teams[n % len(teams)]
    if n == 0:
        boss = None
    elif n <= 10:
        boss = people[0]
    elif n <= 30:
        boss = people[1 + n % 2]
    else:
        boss = team_of.setdefault(team.pk, person) if team.pk not in team_of else team_of[team.pk]
        if boss is person:
            boss = None
    rows.append(Assignment(person=person, start_date=dt.date(2015, 1, 1),
                           contract_type="permanent", fte=Decimal("1"), unit=team,
                           job_role=rng.choice(roles), line_manager=boss, is_primary=True))
Assignment.objects.bulk_create(rows, batch_size=5000)
audiences = []
for i, (kind, values) in enumerate(
    [("unit", ["CNL"])] + [("unit", [d.code]) for d in directorates]
    + [("job_family", [f]) for f in families]
):
    audience = Audience.objects.create(code=f"aud-{i}", name=f"Audience {i}")
    AudienceRule.objects.create(audience=audience, kind=kind, values=values)
    audiences.append(audience)
items = LearningItem.objects.bulk_create([
    LearningItem(code=f"MAND{i}", title=f"Mandatory {i}", kind="classroom") for i in range(25)])
reqs = []
for i in range(25):
    # Everyone has 5; the directorate and family requirements share out the other 20.
    audience = audiences[0] if i < 5 else audiences[1 + (i - 5) % (len(audiences) - 1)]
    reqs.append(services.requirement_create(
        actor=None, code=f"REQ{i}", name=f"Requirement {i:02d}", audience=audience,
        items=[items[i]], validity_months=rng.choice([12, 24, 36, None]), grace_days=90))
now = timezone.now()
completions = []
for person in people:
    for item in items:
        for _ in range(rng.choice([0, 1, 1, 2])):
            completions.append(Completion(
                person=person, item=item, source="import", created_at=now,
                completed_on=today - dt.timedelta(days=rng.randint(0, 5 * 365))))
Completion.objects.bulk_create(completions, batch_size=10000, ignore_conflicts=True)
services.achievements_refresh()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # what autovacuum does after a load: the planner needs the sizes
built = time.perf_counter() - started

user = User.objects.create(email="manager@bench.example", person=people[0])
client = Client()
client.force_login(user)
pages = {
    "matrix page (30 people)": "/compliance/team/",
    "matrix, worst first": "/compliance/team/?sort=req-" + str(reqs[0].pk),
    "matrix API": "/api/compliance/statuses/team/",
    "matrix XLSX export": "/compliance/team/export/?format=xlsx",
    "my compliance": "/compliance/",
}
out = {"build_seconds": round(built, 1), "completions": Completion.objects.count(), "pages": {}}
for label, url in pages.items():
    client.get(url)  # warm
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    out["pages"][label] = {"median": statistics.median(times),
                           "p95": times[int(len(times) * 0.95) - 1], "queries": len(queries)}
print(json.dumps(out))
"""


def run(url: str, people: int) -> dict:
    env = child_env(url)
    code = CHILD.replace("__PEOPLE__", str(people))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL for a throwaway db")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    if not args.no_sqlite:
        sqlite = OUT / "compliance-matrix.sqlite3"
        sqlite.unlink(missing_ok=True)
        results["SQLite"] = run(f"sqlite:///{sqlite}", args.people)
        sqlite.unlink(missing_ok=True)
    if args.database_url:
        with throwaway_database(args.database_url, "pp_matrix_bench") as url:
            results["PostgreSQL"] = run(url, args.people)
    print(
        f"Compliance matrix: {args.people:,} people, 25 requirements, five years of "
        "completions; a manager's team of 30; server time per request"
    )
    print(f"{'database':<11} {'page':<26} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for database, figures in results.items():
        print(
            f"{database:<11} (built in {figures['build_seconds']} s, "
            f"{figures['completions']:,} completions)"
        )
        for label, page in figures["pages"].items():
            print(
                f"{database:<11} {label:<26} {page['median']:>10.1f} {page['p95']:>8.1f} "
                f"{page['queries']:>8}"
            )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"({time.perf_counter() - started:.0f} s in all)")
