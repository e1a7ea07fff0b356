"""Every benchmark, with the figures the issues name: `make benchmark`.

    .venv/bin/python benchmarks/run.py [--people 50000] [--postgres URL | --no-postgres]

PostgreSQL is used when its server answers at the URL (default: the local server, as the
machine's `postgres` user); each benchmark makes and drops its own throwaway database.
Figures are printed; nothing passes or fails.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_answers(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    postgres = [] if args.no_postgres or not postgres_answers(args.postgres) else [args.postgres]
    if not postgres:
        print("PostgreSQL is not used: no server answered.")
    people = ["--people", str(args.people)]
    pg_demo = (
        ["--database-url", postgres[0].rsplit("/", 1)[0] + "/pp_demo_bench"] if postgres else []
    )
    pg_import = ["--database-url", postgres[0]] if postgres else []
    for script, extra in (("demo_bench.py", pg_demo), ("import_bench.py", pg_import)):
        print(f"\n== {script}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *people, *extra], check=True)
    print("\n== find_learning_bench.py", flush=True)
    subprocess.run([sys.executable, str(HERE / "find_learning_bench.py"), *pg_import], check=True)
    print("\n== audiences_bench.py", flush=True)
    pg_audiences = (
        ["--database-url", postgres[0].rsplit("/", 1)[0] + "/pp_audiences_bench"]
        if postgres
        else []
    )
    subprocess.run(
        [sys.executable, str(HERE / "audiences_bench.py"), *people, *pg_audiences], check=True
    )
    print("\n== compliance_reminders_bench.py", flush=True)
    subprocess.run(
        [sys.executable, str(HERE / "compliance_reminders_bench.py"), *pg_import], check=True
    )
    if postgres:
        print("\n== booking_load_bench.py", flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "booking_load_bench.py"), "--database-url", postgres[0]],
            check=True,
        )


if __name__ == "__main__":
    main()
