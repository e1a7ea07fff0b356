"""The demand forecast and the requirement preview at council scale: a council of --people
people (10 directorates of 10 teams, five job families), 25 requirements over 6 audiences
(everyone, and one per job family), five years of completions (most people hold each, some
lapse), 2% known starters and a year of sessions. Prints the server time (median of repeated
requests through the real pages, with Django's test client) and the number of queries of the
forecast page, its XLSX export, the requirements list and a Preview of the largest audience,
on a fresh SQLite file and, with --database-url, a throwaway PostgreSQL database.

    .venv/bin/python benchmarks/forecast_bench.py [--people 20000] \
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from throwaway import child_env, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

CHILD = """
import datetime as dt, json, random, statistics, sys, time
from decimal import Decimal
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from peopleplan.access.models import RoleGrant, User
from peopleplan.compliance import services
from peopleplan.learning.models import Completion, LearningItem, Session, SessionPart
from peopleplan.org import services as org_services
from peopleplan.org.models import Assignment, Audience, AudienceRule, Grade, JobRole, Person

PEOPLE = int(sys.argv[1])
call_command("migrate", verbosity=0)
rng = random.Random(1)
today = timezone.localdate()
council = org_services.unit_create(code="C", name="Council", unit_type="council")
teams = []
for d in range(10):
    directorate = org_services.unit_create(code=f"D{d}", name=f"Directorate {d}",
                                           unit_type="directorate", parent=council)
    for t in range(10):
        teams.append(org_services.unit_create(code=f"D{d}T{t}", name=f"Team {d}.{t}",
                                              parent=directorate))
grade = Grade.objects.create(code="G1", name="Grade 1", rank=1)
families = ["Social work", "Care", "Business support", "Housing", "Finance"]
roles = [JobRole.objects.create(code=f"R{i}", title=f, job_family=f)
         for i, f in enumerate(families)]
people = Person.objects.bulk_create([
    Person(employee_number=f"E{i:06d}", first_name="P", last_name=f"L{i:06d}")
    for i in range(PEOPLE)], batch_size=5000)
jobs = []
for person in people:
    start = today - dt.timedelta(days=rng.randint(30, 365 * 15))
    jobs.append(Assignment(person=person, unit=rng.choice(teams), job_role=rng.choice(roles),
                           grade=grade, start_date=start, contract_type="permanent",
                           fte=Decimal("1"), is_primary=True))
starters = Person.objects.bulk_create([
    Person(employee_number=f"S{i:06d}", first_name="S", last_name=f"S{i:06d}")
    for i in range(PEOPLE // 50)], batch_size=5000)
for person in starters:
    jobs.append(Assignment(person=person, unit=rng.choice(teams), job_role=rng.choice(roles),
                           grade=grade, start_date=today + dt.timedelta(days=rng.randint(1, 330)),
                           contract_type="permanent", fte=Decimal("1"), is_primary=True))
Assignment.objects.bulk_create(jobs, batch_size=5000)
audiences = [Audience.objects.create(code="all", name="Everyone")]
for i, family in enumerate(families):
    audience = Audience.objects.create(code=f"a{i}", name=family)
    AudienceRule.objects.create(audience=audience, kind="job_family", values=[family])
    audiences.append(audience)
reqs = []
for r in range(25):
    kind = "elearning" if r % 3 == 0 else "classroom"
    item = LearningItem.objects.create(code=f"I{r}", title=f"Course {r}", kind=kind)
    for s in range(12 if kind == "classroom" else 0):
        session = Session.objects.create(item=item, capacity=rng.choice([12, 16, 20]),
                                         status="completed")
        start = timezone.now() - dt.timedelta(days=rng.randint(1, 360))
        SessionPart.objects.create(session=session, starts_at=start,
                                   ends_at=start + dt.timedelta(hours=3))
    reqs.append(services.requirement_create(
        actor=None, code=f"Q{r}", name=f"Requirement {r}",
        audience=audiences[0] if r < 10 else audiences[1 + r % 5], items=[item],
        validity_months=rng.choice([12, 24, 36, None])))
done = []
for req in reqs:
    item = req.items.get()
    years = (req.validity_months or 36) // 12
    for person in people:
        if rng.random() < 0.9:
            on = today - dt.timedelta(days=rng.randint(0, 365 * 5))
            while on > today - dt.timedelta(days=365 * 5):
                done.append(Completion(person=person, item=item, completed_on=on,
                                       source="import", created_at=timezone.now()))
                on -= dt.timedelta(days=365 * years + rng.randint(-60, 60))
Completion.objects.bulk_create(done, batch_size=10000)
services.achievements_refresh()
admin = User.objects.create(email="bench@bench.example")
RoleGrant.objects.create(user=admin, role="hr_officer", unit=None)
client = Client()
client.force_login(admin)
preview = {"code": "NEW", "name": "New", "audience": audiences[0].pk, "items": "I1",
           "credential_type": "", "validity_months": "36", "window_days": "90",
           "renew_from": "expiry", "grace_days": "90", "applies_from": "",
           "escalate_after_days": "28", "is_active": "on", "preview": "1"}
pages = {
    "forecast page": ("get", "/compliance/forecast/", None),
    "forecast XLSX": ("get", "/compliance/forecast/export/?format=xlsx", None),
    "requirements list": ("get", "/compliance/requirements/", None),
    "preview (everyone)": ("post", "/compliance/requirements/new/", preview),
}
out = {"completions": len(done)}
for label, (method, url, data) in pages.items():
    times = []
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data) if data else client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (label, response.status_code)
    out[label] = {"median": statistics.median(times), "queries": len(queries)}
print(json.dumps(out))
"""


def run(url: str, people: int) -> dict:
    env = child_env(url)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(people)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL for a throwaway db")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    if not args.no_sqlite:
        sqlite = OUT / "forecast.sqlite3"
        sqlite.unlink(missing_ok=True)
        results["SQLite"] = run(f"sqlite:///{sqlite}", args.people)
        sqlite.unlink(missing_ok=True)
    if args.database_url:
        with throwaway_database(args.database_url, "pp_forecast_bench") as url:
            results["PostgreSQL"] = run(url, args.people)
    print(f"Demand forecast and preview: {args.people:,} people, 25 requirements; server time")
    print(f"{'database':<11} {'page':<20} {'median ms':>10} {'queries':>8}")
    for database, pages in results.items():
        print(f"{database:<11} {'(completions)':<20} {pages.pop('completions'):>10,}")
        for label, figures in pages.items():
            print(f"{database:<11} {label:<20} {figures['median']:>10.1f} {figures['queries']:>8}")


if __name__ == "__main__":
    main()
