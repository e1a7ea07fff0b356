"""Compliance reminders at council scale: PEOPLE social workers in 50 teams under 5
directorates, each team with a manager and each directorate a head, an HR officer per
directorate and one council-wide; two requirements (valid a year, and three years), a third
of people never trained (overdue for years), a third due within the window, a third up to
date. Runs `compliance_reminders_send` on one day, again the same day (nothing to send), and
the next day; prints the time, the queries and what was sent. Email goes to Django's locmem
backend (nothing leaves the machine).

    .venv/bin/python benchmarks/compliance_reminders_bench.py [--people 10000] \
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
import datetime as dt, json, sys, time
import django
django.setup()
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from peopleplan.access.models import RoleGrant, User
from peopleplan.compliance import reminders, services
from peopleplan.learning.models import Completion, LearningItem
from peopleplan.org.models import Assignment, Audience, AudienceRule, Grade, JobRole, Person
from peopleplan.org.services import unit_create

PEOPLE = int(sys.argv[1])
call_command("migrate", verbosity=0)
ON = dt.date(2026, 11, 27)
START = dt.date(2020, 4, 1)
council = unit_create(code="CNL", name="Council", unit_type="council")
def unit(code, parent):
    return unit_create(code=code, name=code, parent=parent)
directorates = [unit(f"D{d}", council) for d in range(5)]
teams = [unit(f"T{d}-{t}", directorates[d]) for d in range(5) for t in range(10)]
grade = Grade.objects.create(code="G5", name="G5", rank=5)
sw = JobRole.objects.create(code="SW", title="Social worker", job_family="Social work")
boss = JobRole.objects.create(code="MGR", title="Manager", job_family="Management")
n = [0]
def person():
    n[0] += 1
    return Person(employee_number=f"E{n[0]:06d}", first_name="Sam", last_name=f"P{n[0]}",
                  email=f"p{n[0]}@bench.example")
heads = Person.objects.bulk_create([person() for _ in directorates])
managers = Person.objects.bulk_create([person() for _ in teams])
staff = Person.objects.bulk_create([person() for _ in range(PEOPLE)])
rows = [Assignment(person=h, unit=d, job_role=boss, grade=grade, start_date=START, fte=1)
        for h, d in zip(heads, directorates)]
rows += [Assignment(person=m, unit=t, job_role=boss, grade=grade, start_date=START, fte=1,
                    line_manager=heads[i // 10]) for i, (m, t) in enumerate(zip(managers, teams))]
rows += [Assignment(person=p, unit=teams[i % 50], job_role=sw, grade=grade, start_date=START, fte=1,
                    line_manager=managers[i % 50]) for i, p in enumerate(staff)]
Assignment.objects.bulk_create(rows, batch_size=5000)
for i, d in enumerate([None, *directorates]):
    user = User.objects.create(email=f"hr{i}@bench.example")
    RoleGrant.objects.create(user=user, role="hr_officer", unit=d)
audience = Audience.objects.create(code="sw", name="Social workers")
AudienceRule.objects.create(audience=audience, kind="job_role", values=["SW"])
items = [LearningItem.objects.create(code=c, title=c) for c in ("SG2", "FIRE")]
reqs = [
    services.requirement_create(actor=None, code="SG2", name="Safeguarding level 2",
                                audience=audience, items=[items[0]], validity_months=12),
    services.requirement_create(actor=None, code="FIRE", name="Fire safety",
                                audience=audience, items=[items[1]], validity_months=36),
]
now = timezone.now()
done = []
for i, p in enumerate(staff):
    if i % 3 == 0:
        continue  # never trained: overdue
    for item, months in ((items[0], 12), (items[1], 36)):
        ago = 30 * months - (60 if i % 3 == 1 else 300)  # due within the window, or not
        done.append(Completion(person=p, item=item, completed_on=ON - dt.timedelta(days=ago),
                               source="import", created_at=now))
Completion.objects.bulk_create(done, batch_size=5000)
services.achievements_refresh()
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by now on a live database
out = {}
days = (("first run", ON), ("same day again", ON), ("next day", ON + dt.timedelta(days=1)))
for label, day in days:
    mail.outbox = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        counts = reminders.compliance_reminders_send(on=day)
    seconds = time.perf_counter() - started
    out[label] = {"seconds": seconds, "queries": len(queries), "emails": len(mail.outbox),
                  **counts}
print(json.dumps(out))
"""


def run(url: str, people: int) -> dict:
    env = child_env(
        url,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS_BACKEND="immediate",
    )
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
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--database-url", help="a PostgreSQL server URL for a throwaway db")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite = OUT / "compliance-reminders.sqlite3"
    sqlite.unlink(missing_ok=True)
    results = {"SQLite": run(f"sqlite:///{sqlite}", args.people)}
    sqlite.unlink(missing_ok=True)
    if args.database_url:
        with throwaway_database(args.database_url, "pp_reminders_bench") as url:
            results["PostgreSQL"] = run(url, args.people)
    print(f"Compliance reminders: {args.people:,} people, two requirements")
    print(
        f"{'database':<11} {'run':<15} {'seconds':>8} {'queries':>8} {'emails':>7} "
        f"{'window':>7} {'month':>6} {'overdue':>8} {'escal.':>7} {'HR':>3}"
    )
    for database, runs in results.items():
        for label, f in runs.items():
            print(
                f"{database:<11} {label:<15} {f['seconds']:>8.2f} {f['queries']:>8} "
                f"{f['emails']:>7} {f['window']:>7} {f['month']:>6} {f['overdue']:>8} "
                f"{f['escalated']:>7} {f['hr_digests']:>3}"
            )


if __name__ == "__main__":
    main()
