"""How long the demo council takes to build, and how much memory it needs.

    .venv/bin/python benchmarks/demo_bench.py --people 50000
    .venv/bin/python benchmarks/demo_bench.py --people 50000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/pp_demo_bench

Builds the council on a fresh SQLite file under benchmarks/out/ and, with --database-url, on
PostgreSQL in a throwaway database of that name (created, then dropped; given the server's
`/postgres` URL, the throwaway is `pp_demo_bench`). Each build runs in
its own process (Django is set up once per process), migrating the empty database first, and
prints the wall time, the rows created per table and the peak memory (maxrss). The figures
are written to benchmarks/out/demo_bench.json as well. Not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

OUT = Path(__file__).resolve().parent / "out"
REFUSED_DATABASES = {"postgres", "template0", "template1", "test"}


def build_here(url: str, people: int, seed: int) -> dict:
    """In a child process: set Django up on `url`, migrate, build, measure."""
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = "benchmark-secret-key-not-for-production"
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "peopleplan.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from peopleplan.demo.generator import demo_build

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    build = demo_build(people=people, seed=seed)
    seconds = time.perf_counter() - started
    shape = build.plan.shape()
    return {
        "compliance": compliance_shares(build.plan.as_of),
        "people": people,
        "seed": seed,
        "migrate_seconds": round(migrate_seconds, 1),
        "build_seconds": round(seconds, 1),
        "plan_seconds": round(build.seconds["plan"], 1),
        "write_seconds": round(build.seconds["write"], 1),
        "peak_memory_mb_before_build": round(before / 1024),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rows": build.rows,
        "shape": shape,
    }


def compliance_shares(as_of) -> dict:
    """The council-wide share of each status over every requirement (person and requirement
    pairs), counted by `status.status_counts`."""
    from peopleplan.compliance.status import requirements_in_force, status_counts

    counts: dict[str, int] = {}
    for row in status_counts(requirements=requirements_in_force(), as_of=as_of):
        counts[row.code] = counts.get(row.code, 0) + row.people
    total = sum(counts.values()) or 1
    return {code: [people, round(100 * people / total, 1)] for code, people in counts.items()}


def run_child(url: str, people: int, seed: int) -> dict:
    command = [sys.executable, __file__, "--child", url, "--people", str(people)]
    command += ["--seed", str(seed)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"The build on {url} failed.")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 1)
    return result


def postgres_admin(url: str):
    """A connection to the server's maintenance database, to create and drop the throwaway."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def on_postgres(url: str, people: int, seed: int) -> dict:
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "template1"):  # the server's URL: use the default throwaway
        name = "pp_demo_bench"
    if name in REFUSED_DATABASES:
        raise SystemExit(f"Refusing to use the database {name!r}: name a throwaway one.")
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with postgres_admin(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        return run_child(url, people, seed)
    finally:
        with postgres_admin(url) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def on_sqlite(people: int, seed: int) -> dict:
    OUT.mkdir(exist_ok=True)
    path = OUT / "demo_bench.sqlite3"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return run_child(f"sqlite:///{path}", people, seed)


def report(results: dict[str, dict]) -> None:
    names = list(results)
    first = results[names[0]]
    print(f"Demo council: {first['people']:,} people, seed {first['seed']}")

    def line(label: str, values: list) -> None:
        print(f"  {label:<34}" + "".join(f"{v:>14}" for v in values))

    line("", names)
    for key, label in (
        ("migrate_seconds", "migrate (s)"),
        ("plan_seconds", "plan in memory (s)"),
        ("write_seconds", "write to the database (s)"),
        ("build_seconds", "build, wall time (s)"),
        ("peak_memory_mb", "peak memory, maxrss (MB)"),
    ):
        line(label, [results[n][key] for n in names])
    line("rows created", ["" for _ in names])
    for table in first["rows"]:
        line(f"  {table}", [f"{results[n]['rows'][table]:,}" for n in names])
    print("Compliance statuses, council-wide (people x requirements, share):")
    for code in ("compliant", "due_soon", "overdue", "expired", "exempt"):
        line(f"  {code}", [
            "{:,} {}%".format(*results[n]["compliance"].get(code, [0, 0.0])) for n in names
        ])  # fmt: skip
    shape = first["shape"]
    print("The council:")
    for key in (
        "units",
        "job_roles",
        "posts",
        "vacant_today",
        "vacant_percent",
        "vacant_covered_by_agency",
        "critical_posts",
        "in_post_today",
        "agency_today",
        "casual_today",
        "part_time_today",
        "within_5_years_of_pension_age",
        "people_rows",
        "assignments",
        "secondary_assignments",
    ):
        print(f"  {key.replace('_', ' '):<34}{shape[key]:>14,}")
    print(f"  {'contracts today':<34}{shape['contracts_today']}")
    for year in shape["leavers_by_year"]:
        print(
            f"  year to {year['year_to']}: {year['leavers']:,} leavers, "
            f"turnover {year['turnover_percent']}%"
        )
    print(f"  leaving reasons: {shape['leaving_reasons']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="postgresql://... of a throwaway database")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(build_here(args.child, args.people, args.seed), default=str))
        return
    results: dict[str, dict] = {}
    if not args.no_sqlite:
        results["sqlite"] = on_sqlite(args.people, args.seed)
    if args.database_url:
        results["postgresql"] = on_postgres(args.database_url, args.people, args.seed)
    if not results:
        raise SystemExit("Nothing to run: drop --no-sqlite or give --database-url.")
    report(results)
    OUT.mkdir(exist_ok=True)
    (OUT / "demo_bench.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
