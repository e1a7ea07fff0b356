"""Import benchmark: a 50,000-row people file, first into an empty council and then again.

Builds the source council with the demo generator, exports every HR kind to CSV (so the files
are exactly what `peopleplan export` writes and a council would send back), then, on a fresh
SQLite file and, when --database-url is given, a throwaway PostgreSQL database: imports the
reference kinds, times the first people import and a second import of the same file, and
prints wall time and peak memory (each import runs in its own process, measured with wait4).

    .venv/bin/python benchmarks/import_bench.py --people 50000
    .venv/bin/python benchmarks/import_bench.py --people 50000 \
        --database-url postgresql://postgres@127.0.0.1:5432/postgres

Targets (issue 2): first import under 60 s, second under 30 s, peak memory under 1 GiB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
KINDS = ("units", "grades", "job_roles", "posts", "people")


def peopleplan(args: list[str], database_url: str) -> tuple[float, float, str]:
    """Run one peopleplan command in its own process: (seconds, peak MiB, last line)."""
    env = dict(os.environ, DATABASE_URL=database_url, DEBUG="true", TASKS_BACKEND="immediate")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "peopleplan", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"peopleplan {' '.join(args)} failed:\n{output}")
    lines = [line for line in output.splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def postgres_database(server_url: str, name: str) -> tuple[str, callable]:
    import psycopg

    admin = server_url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def build_source(people: int, seed: int) -> Path:
    folder = OUT / f"import-{people}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    if all((folder / f"{kind}.csv").exists() for kind in KINDS):
        print(f"Using the files in {folder}")
        return folder
    source = folder / "source.sqlite3"
    source.unlink(missing_ok=True)
    url = f"sqlite:///{source}"
    peopleplan(["migrate", "-v0"], url)
    seconds, _, _ = peopleplan(["demo", "--people", str(people), "--seed", str(seed)], url)
    print(f"Built the demo council of {people:,} people in {seconds:.1f} s")
    for kind in KINDS:
        peopleplan(["export", kind, str(folder / f"{kind}.csv")], url)
    source.unlink()
    return folder


def run_on(label: str, url: str, folder: Path) -> list[tuple[str, str, float, float, str]]:
    peopleplan(["migrate", "-v0"], url)
    rows = []
    for kind in KINDS[:-1]:
        seconds, memory, summary = peopleplan(["import", kind, str(folder / f"{kind}.csv")], url)
        rows.append((label, kind, seconds, memory, summary))
    people = str(folder / "people.csv")
    for attempt in ("people (first)", "people (again)"):
        seconds, memory, summary = peopleplan(["import", "people", people], url)
        rows.append((label, attempt, seconds, memory, summary))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL server URL to make a throwaway db on")
    args = parser.parse_args()

    folder = build_source(args.people, args.seed)
    file_rows = sum(1 for _ in (folder / "people.csv").open(encoding="utf-8-sig")) - 1
    size = (folder / "people.csv").stat().st_size / 1024 / 1024
    print(f"people.csv: {file_rows:,} rows, {size:.1f} MiB")

    results = []
    sqlite_file = OUT / "import-target.sqlite3"
    sqlite_file.unlink(missing_ok=True)
    results += run_on("SQLite", f"sqlite:///{sqlite_file}", folder)
    sqlite_file.unlink(missing_ok=True)
    if args.database_url:
        url, drop = postgres_database(args.database_url, f"pp_import_bench_{os.getpid()}")
        try:
            results += run_on("PostgreSQL", url, folder)
        finally:
            drop()

    print()
    print(f"{'database':<11} {'import':<16} {'seconds':>8} {'peak MiB':>9}  summary")
    for label, kind, seconds, memory, summary in results:
        print(f"{label:<11} {kind:<16} {seconds:>8.1f} {memory:>9.0f}  {summary}")


if __name__ == "__main__":
    main()
