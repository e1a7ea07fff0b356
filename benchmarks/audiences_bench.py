"""Audiences at council scale: the demo council's audiences (Everyone, Managers, Works with
children, Social workers, Children's services) on the demo council of 50,000 people.

    .venv/bin/python benchmarks/audiences_bench.py --people 50000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/pp_audiences_bench

Builds the council in a throwaway PostgreSQL database of that name (created, then dropped;
`--keep` keeps it, and a kept council is used again), or without --database-url in a SQLite
file under benchmarks/out/. Then, for each audience, times (median of repeated runs, in ms):

- count: `members(audience, today).count()`, the audience's size;
- first page: the first 50 members by name, as the audience's page lists them;
- preview: `preview(rules, match, today, visible)` for the rules unsaved, with the count, the
  count by directorate and the first 20 by name (what the form's Preview button does);
- team of 30: `member_exists` and `joined_on` annotated on 30 people, as a requirement's
  team matrix will ask;

and `member_counts` of all five at once (the list page). Each figure includes resolving the
rules' codes (a fresh audience object each run). Not a test: nothing here passes or fails.
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
from urllib.parse import urlsplit, urlunsplit

OUT = Path(__file__).resolve().parent / "out"
REFUSED_DATABASES = {"postgres", "template0", "template1", "test"}
RUNS = 7


def _median_ms(run, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def measure_here(url: str, people: int, seed: int) -> dict:
    """In a child process: set Django up on `url`, build the council if it is not there, and
    time the audiences."""
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = "benchmark-secret-key-not-for-production"
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "peopleplan.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from peopleplan.core.dates import today
    from peopleplan.demo.generator import demo_build
    from peopleplan.org import audiences
    from peopleplan.org.models import Assignment, Audience, Person

    call_command("migrate", verbosity=0)
    built = None
    if not Person.objects.exists():
        started = time.perf_counter()
        demo_build(people=people, seed=seed)
        built = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    on = today()
    everyone = Person.objects.all()
    # A team of 30: people in post in one team (the unit with the most people, up to 30).
    team_unit = (
        Assignment.objects.current_on(on)
        .values("unit_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "unit_id")
        .values_list("unit_id", flat=True)
        .first()
    )
    team = list(
        Assignment.objects.current_on(on)
        .filter(unit_id=team_unit)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()[:30]
    )
    codes = list(Audience.objects.order_by("pk").values_list("code", flat=True))

    def fresh(code: str) -> Audience:
        return Audience.objects.get(code=code)

    figures = {}
    for code in codes:
        audience = fresh(code)
        rules = audiences.rules_of(audience)
        count = audiences.members(audience, on).count()
        with CaptureQueriesContext(connection) as queries:
            audiences.preview(rules, audience.match, on, everyone)
        figures[code] = {
            "people": count,
            "count_ms": _median_ms(lambda c=code: audiences.members(fresh(c), on).count()),
            "first_page_ms": _median_ms(
                lambda c=code: list(
                    audiences.members(fresh(c), on).order_by(
                        "last_name", "first_name", "employee_number"
                    )[:50]
                )
            ),
            "preview_ms": _median_ms(
                lambda r=rules, m=audience.match: audiences.preview(r, m, on, everyone)
            ),
            "preview_queries": len(queries.captured_queries),
            "team_of_30_ms": _median_ms(
                lambda c=code: list(
                    Person.objects.filter(pk__in=team).annotate(
                        member=audiences.member_exists(fresh(c), on),
                        joined=audiences.joined_on(fresh(c), on),
                    )
                )
            ),
        }
    all_counts_ms = _median_ms(lambda: audiences.member_counts(list(Audience.objects.all()), on))
    in_post = Person.objects.filter(
        pk__in=Assignment.objects.current_on(on).values("person_id")
    ).count()
    return {
        "vendor": connection.vendor,
        "people_in_post": in_post,
        "people_rows": Person.objects.count(),
        "assignments": Assignment.objects.count(),
        "built_seconds": built,
        "team_size": len(team),
        "audiences": figures,
        "member_counts_all_ms": all_counts_ms,
    }


def run_child(url: str, people: int, seed: int) -> dict:
    command = [sys.executable, __file__, "--child", url, "--people", str(people)]
    command += ["--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"The benchmark on {url} failed.")
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def on_postgres(url: str, people: int, seed: int, keep: bool) -> dict:
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "template1"):
        name = "pp_audiences_bench"
    if name in REFUSED_DATABASES:
        raise SystemExit(f"Refusing to use the database {name!r}: name a throwaway one.")
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with postgres_admin(url) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not (keep and exists):
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        return run_child(url, people, seed)
    finally:
        if not keep:
            with postgres_admin(url) as connection:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                )


def on_sqlite(people: int, seed: int, keep: bool) -> dict:
    OUT.mkdir(exist_ok=True)
    path = OUT / "audiences_bench.sqlite3"
    if not keep:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
    return run_child(f"sqlite:///{path}", people, seed)


def report(result: dict) -> None:
    print(
        f"Audiences on {result['vendor']}: {result['people_in_post']:,} people in post "
        f"({result['people_rows']:,} people rows, {result['assignments']:,} assignments)"
        + (f", council built in {result['built_seconds']} s" if result["built_seconds"] else "")
    )
    print(f"  median of {RUNS} runs, in ms; team of {result['team_size']}")
    header = ("audience", "people", "count", "first 50", "preview", "queries", "team")
    print("  " + f"{header[0]:<22}" + "".join(f"{h:>10}" for h in header[1:]))
    for code, f in result["audiences"].items():
        values = (
            f"{f['people']:,}",
            f["count_ms"],
            f["first_page_ms"],
            f["preview_ms"],
            f["preview_queries"],
            f["team_of_30_ms"],
        )
        print("  " + f"{code:<22}" + "".join(f"{v:>10}" for v in values))
    print(f"  member_counts of all of them at once: {result['member_counts_all_ms']} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="postgresql://... of a throwaway database")
    parser.add_argument("--keep", action="store_true", help="keep the council for another run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_here(args.child, args.people, args.seed), default=str))
        return
    if args.database_url:
        result = on_postgres(args.database_url, args.people, args.seed, args.keep)
    else:
        result = on_sqlite(args.people, args.seed, args.keep)
    report(result)
    OUT.mkdir(exist_ok=True)
    (OUT / f"audiences_bench_{result['vendor']}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
