"""Compliance at council scale, on a throwaway PostgreSQL database: the demo council (50,000
people by default), 25 requirements on a few audiences, five years of completions of their
items and DBS checks and registrations for those who need them. Prints the time of

- `achievements_refresh()` for everyone;
- the council-wide summary by directorate and requirement (`summary.unit_summary`; target
  under 2 s), and the summary page itself through Django's test client;
- the full export of everyone by every requirement, written as CSV (target under 20 s);
- a manager's matrix for a team of 30 (`status.statuses`: 30 people by every requirement;
  target under 100 ms, a fixed number of queries);
- and EXPLAIN ANALYZE of `requirement_rows` for the largest requirement (what the full export
  and the people behind a number read).

    .venv/bin/python benchmarks/compliance_bench.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres [--people 50000]

Not a test: nothing here passes or fails. The figures go to benchmarks/out/compliance_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from throwaway import child_env, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def child(people: int) -> dict:
    """In a child process, on the throwaway database of DATABASE_URL."""
    import datetime as dt
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from peopleplan.compliance import services
    from peopleplan.compliance.models import (
        Achievement,
        Credential,
        CredentialType,
        Requirement,
    )
    from peopleplan.core.dates import add_months, today
    from peopleplan.demo.generator import demo_build
    from peopleplan.learning.models import Completion, LearningItem
    from peopleplan.org.audiences import members
    from peopleplan.org.models import Audience, AudienceRule, JobRole, Unit

    figures: dict = {"people": people}
    rng = random.Random(1)
    on = today()
    if os.environ.get("BENCH_REUSE"):
        figures["reused_database"] = True
        return measure(figures, on)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    figures["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    demo_build(people=people, seed=1)
    figures["demo_build_s"] = round(time.perf_counter() - started, 1)

    # The council has 25 requirements: the demo's own are put out of force.
    Achievement.objects.all().delete()
    Requirement.objects.update(is_active=False)

    # Audiences: everyone; those working with children; with adults; managers; by job family;
    # the enhanced DBS posts and the registered professions (for the credentials).
    started = time.perf_counter()
    tops = list(Unit.objects.filter(parent__isnull=True).values_list("code", flat=True))
    families = sorted(
        {f for f in JobRole.objects.values_list("job_family", flat=True) if f}, key=str
    )

    def audience(code, kind, values):
        made = Audience.objects.create(
            code=f"bench-{code}", name=code.replace("-", " ").capitalize()
        )
        AudienceRule.objects.create(audience=made, kind=kind, values=values)
        return made

    everyone = audience("everyone", "unit", tops)
    children = audience("children", "role_flag", ["works_with_children"])
    adults = audience("adults", "role_flag", ["works_with_adults"])
    managers = audience("managers", "role_flag", ["manages_people"])
    dbs = audience("dbs", "role_flag", ["dbs_enhanced"])
    registered = audience("registered", "role_flag", ["registered"])
    by_family = [audience(f"family-{i}", "job_family", [f]) for i, f in enumerate(families[:6])]
    plan = [  # (audience, validity in months or None, how many requirements)
        (everyone, 12, 2),
        (everyone, 36, 2),
        (everyone, None, 1),
        (children, 36, 2),
        (adults, 36, 2),
        (managers, 36, 2),
        *((a, 24, 2) for a in by_family),
    ]
    items = LearningItem.objects.bulk_create(
        LearningItem(code=f"MAND{i:02d}", title=f"Mandatory course {i}", kind="elearning")
        for i in range(40)
    )
    reqs = []
    for aud, validity, count in plan:
        for _ in range(count):
            n = len(reqs)
            reqs.append(
                services.requirement_create(
                    actor=None,
                    code=f"REQ{n:02d}",
                    name=f"Requirement {n} ({aud.name}, "
                    + (f"{validity} months)" if validity else "once)"),
                    audience=aud,
                    items=[items[n]],
                    validity_months=validity,
                    window_days=60,
                    grace_days=90,
                )
            )
    dbs_type = CredentialType.objects.create(
        code="DBS", name="Enhanced DBS check", kind="dbs", recheck_months=36
    )
    reg_type = CredentialType.objects.create(
        code="REG", name="Professional registration", kind="registration", expiry_required=True
    )
    reqs.append(
        services.requirement_create(
            actor=None,
            code="REQ23",
            name="Enhanced DBS check",
            audience=dbs,
            credential_type=dbs_type,
            window_days=60,
            grace_days=30,
        )
    )
    reqs.append(
        services.requirement_create(
            actor=None,
            code="REQ24",
            name="Professional registration",
            audience=registered,
            credential_type=reg_type,
            window_days=60,
            grace_days=0,
        )
    )
    figures["requirements"] = len(reqs)

    # Five years of completions: most people renew on time, some late, some never.
    now = timezone.now()
    five_years_ago = on - dt.timedelta(days=5 * 365)
    rows: list = []
    added = 0

    def flush(at_least: int) -> int:
        if len(rows) < at_least:
            return 0
        Completion.objects.bulk_create(rows, batch_size=10000, ignore_conflicts=True)
        written = len(rows)
        rows.clear()
        return written

    for req in reqs[:23]:
        item_id = req.items.get().pk
        validity = req.validity_months or 60
        for person_id in members(req.audience, on).values_list("pk", flat=True):
            if rng.random() < 0.06:
                continue  # never done it
            when = five_years_ago + dt.timedelta(days=rng.randint(0, 300))
            while when <= on:
                rows.append(
                    Completion(
                        person_id=person_id,
                        item_id=item_id,
                        completed_on=when,
                        source="import",
                        created_at=now,
                    )
                )
                if req.validity_months is None:
                    break
                when = add_months(when, validity) - dt.timedelta(days=rng.randint(-40, 50))
            added += flush(50000)
    added += flush(0)
    figures["completions_added"] = added
    creds = []
    for req, ctype in ((reqs[23], dbs_type), (reqs[24], reg_type)):
        for person_id in members(req.audience, on).values_list("pk", flat=True):
            if rng.random() < 0.05:
                continue
            issued = on - dt.timedelta(days=rng.randint(0, 4 * 365))
            expires = (
                None if ctype is dbs_type else issued + dt.timedelta(days=rng.randint(300, 800))
            )
            creds.append(
                Credential(
                    person_id=person_id,
                    type=ctype,
                    issued_on=issued,
                    expires_on=expires,
                    dbs_level="enhanced_barred" if ctype is dbs_type else "",
                    status="verified",
                )
            )
    Credential.objects.bulk_create(creds, batch_size=10000)
    figures["credentials_added"] = len(creds)
    figures["setup_s"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    services.achievements_refresh()
    figures["achievements_refresh_s"] = round(time.perf_counter() - started, 1)
    figures["achievements"] = Achievement.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon after a rebuild
    return measure(figures, on)


def measure(figures: dict, on) -> dict:
    """The timings, on a database set up by `child` (this run's, or a kept one)."""
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from peopleplan.access.models import RoleGrant, User
    from peopleplan.compliance import status, summary
    from peopleplan.org.models import Assignment, Unit

    # The council-wide summary by directorate and requirement.
    # By directorate: the summary of the top unit with the most units under it (the council).
    top = max(
        Unit.objects.filter(parent__isnull=True),
        key=lambda u: Unit.objects.filter(path__startswith=u.path).count(),
    )
    times = []
    for _ in range(3):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = summary.unit_summary(paths=None, unit=top, as_of=on)
        times.append(time.perf_counter() - started)
    figures["summary_s"] = round(statistics.median(times), 2)
    figures["summary_queries"] = len(queries)
    figures["summary_columns"] = len(result.columns)
    figures["summary_people_counted"] = result.total.counted + result.total.exempt
    figures["summary_percent_compliant"] = result.total.percent

    leader, made = User.objects.get_or_create(email="bench.leader@bench.example")
    if made:
        RoleGrant.objects.create(user=leader, role="senior_leader", unit=None)
    hr, made = User.objects.get_or_create(email="bench.hr@bench.example")
    if made:
        RoleGrant.objects.create(user=hr, role="hr_officer", unit=None)
    client = Client()
    client.force_login(leader)
    for name, url in (
        ("summary_page", "/compliance/summary/"),
        ("overview_page", "/compliance/overview/"),
        ("expiring_page", "/compliance/expiring/?days=90"),
    ):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        figures[f"{name}_s"] = round(time.perf_counter() - started, 2)
        figures[f"{name}_queries"] = len(queries)

    # The full export, through the page (streamed CSV), read to the end.
    client.force_login(hr)
    started = time.perf_counter()
    response = client.get("/compliance/export/")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    figures["full_export_s"] = round(time.perf_counter() - started, 1)
    figures["full_export_rows"] = lines - 1
    figures["full_export_mb"] = round(size / 1e6, 1)

    # A manager's matrix: a team of 30 by every requirement.
    team = list(
        Assignment.objects.filter(end_date__isnull=True).values_list("person_id", flat=True)[:30]
    )
    reqs_in_force = status.requirements_in_force()
    times = []
    for _ in range(7):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            status.statuses(person_ids=team, requirements=reqs_in_force, as_of=on)
        times.append(time.perf_counter() - started)
    figures["team_matrix_ms"] = round(statistics.median(times) * 1000, 1)
    figures["team_matrix_queries"] = len(queries)

    # EXPLAIN ANALYZE of the largest requirement's rows, as the full export reads them.
    biggest = max(result.lines, key=lambda line: line.total.counted).requirement
    counted = status.requirement_rows(biggest, on).values_list("person_id", "unit_id", "code")
    figures["explain_requirement"] = biggest.code
    figures["explain"] = counted.explain(analyze=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server URL")
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (its name is printed)"
    )
    parser.add_argument(
        "--reuse", metavar="NAME", help="measure again on a database kept by --keep"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.people), default=str))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with throwaway_database(
        args.database_url, "pp_compliance_bench", keep=args.keep, reuse=args.reuse or ""
    ) as url:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--database-url",
                url,
                "--people",
                str(args.people),
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
    (OUT / "compliance_bench.json").write_text(json.dumps(figures, indent=2))
    explain = figures.pop("explain")
    print(f"Compliance on PostgreSQL, {figures['people']:,} people")
    for key, value in figures.items():
        print(f"  {key:<30} {value}")
    print(f"EXPLAIN ANALYZE, the rows of {figures['explain_requirement']}:")
    print(explain)


if __name__ == "__main__":
    main()
