"""Find learning at council scale: 5,000 catalogue items and 20,000 sessions (two parts each,
past and future), searched through the real page with Django's test client. Prints the server
time (median and 95th percentile of repeated requests) and the number of queries for a few
typical searches, on a fresh SQLite file and, with --database-url, a throwaway PostgreSQL
database with the British collation CI tests on (`.ci/run`: ICU `en-GB-u-ka-shifted`, like a
council server's en_GB.UTF-8; its case folding and sorting cost more than the C locale's).

    .venv/bin/python benchmarks/find_learning_bench.py \
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

Target (issue 3): under 100 ms of server time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"

CHILD = """
import datetime as dt, json, random, statistics, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from peopleplan.access.models import User
from peopleplan.learning.models import LearningItem, Session, SessionPart, Topic
from peopleplan.org.models import Person

call_command("migrate", verbosity=0)
rng = random.Random(1)
kinds = [k for k, _ in LearningItem.Kind.choices]
words = ["safeguarding", "adults", "children", "leadership", "finance", "data", "coaching",
         "mental", "health", "equality", "risk", "planning", "housing", "digital", "care"]
topics = Topic.objects.bulk_create([Topic(name=w.title(), slug=w) for w in words])
items = LearningItem.objects.bulk_create([
    LearningItem(code=f"C{i:05d}", kind=rng.choice(kinds),
                 title=" ".join(rng.sample(words, 3)).capitalize() + f" {i}",
                 summary=" ".join(rng.sample(words, 6)),
                 description=" ".join(rng.sample(words, 10)))
    for i in range(5000)
], batch_size=1000)
Through = LearningItem.topics.through
Through.objects.bulk_create([Through(learningitem_id=item.pk, topic_id=rng.choice(topics).pk)
                             for item in items], batch_size=2000)
now = timezone.now()
sessions = Session.objects.bulk_create([
    Session(item=rng.choice(items), capacity=rng.choice([12, 16, 20, 30]), status="open")
    for _ in range(20000)
], batch_size=2000)
parts = []
for session in sessions:
    start = now + dt.timedelta(days=rng.randint(-180, 365), hours=rng.randint(8, 14))
    parts.append(SessionPart(session=session, starts_at=start,
                             ends_at=start + dt.timedelta(hours=3)))
    parts.append(SessionPart(session=session, starts_at=start + dt.timedelta(days=7),
                             ends_at=start + dt.timedelta(days=7, hours=3)))
SessionPart.objects.bulk_create(parts, batch_size=5000)
person = Person.objects.create(employee_number="B1", first_name="Bench", last_name="Mark")
user = User.objects.create(email="bench@bench.example", person=person)
client = Client()
client.force_login(user)
searches = {
    "first page, no filter": "",
    "words": "?q=safeguarding+adults",
    "kind and upcoming": "?kind=classroom&upcoming=on",
    "topic": f"?topic={topics[3].pk}",
    "page 20": "?page=20",
}
out = {}
for label, query in searches.items():
    client.get("/learning/" + query)  # warm
    times = []
    for _ in range(15):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/learning/" + query)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    out[label] = {"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1],
                  "queries": len(queries)}
print(json.dumps(out))
"""


def run(url: str) -> dict:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DEBUG="true",  # static files without collectstatic; templates are cached either way
        SECRET_KEY="benchmark-" + "k" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE="peopleplan.config.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL for a throwaway db")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite = OUT / "find-learning.sqlite3"
    sqlite.unlink(missing_ok=True)
    results = {"SQLite": run(f"sqlite:///{sqlite}")}
    sqlite.unlink(missing_ok=True)
    if args.database_url:
        import psycopg

        name = f"pp_find_bench_{os.getpid()}"
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(
                f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                "ICU_LOCALE 'en-GB-u-ka-shifted' LOCALE 'C.UTF-8'"
            )
        try:
            url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
            results["PostgreSQL"] = run(url)
        finally:
            with psycopg.connect(args.database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("Find learning: 5,000 items, 20,000 sessions (40,000 parts); server time per page")
    print(f"{'database':<11} {'search':<22} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for database, searches in results.items():
        for label, figures in searches.items():
            print(
                f"{database:<11} {label:<22} {figures['median']:>10.1f} {figures['p95']:>8.1f} "
                f"{figures['queries']:>8}"
            )


if __name__ == "__main__":
    main()
