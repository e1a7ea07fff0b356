"""Booking under load: 500 booking requests from 50 concurrent clients over HTTP on 127.0.0.1
to the running server (gunicorn, PostgreSQL), each with its own API token. Prints throughput and
p50/p95/p99 latency, and checks that nothing failed and nothing was overbooked.

    .venv/bin/python benchmarks/booking_load_bench.py \
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres] [--requests 500]
        [--clients 50] [--capacity 100] [--workers 4] [--threads 1] [--no-worker]

Makes a throwaway database (dropped at the end), a small demo council, one session and a user
with a token for each requester. Target (issue 3): no errors, no overbooking, p95 under 250 ms.

Each client sends its next request when the last is answered, so the mean latency is the number
of clients over the throughput: p95 under 250 ms with 50 clients needs about 200 bookings a
second, which on 2 cores is under 10 ms of CPU a booking for the web server, PostgreSQL, the
worker and the clients together. "CPU a request" shows where it goes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str) -> dict[str, str]:
    return dict(
        os.environ,
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY="benchmark-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        TASKS_BACKEND="database",
        LOG_LEVEL="WARNING",
    )


def prepare(url: str, requests: int, capacity: int) -> tuple[int, list[str]]:
    """In a child process: migrate, build a small council, make the session and the tokens."""
    code = f"""
import datetime as dt, json
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from peopleplan.access.models import User
from peopleplan.learning.models import LearningItem, Session, SessionPart
from peopleplan.org.models import Person
call_command("migrate", verbosity=0)
call_command("demo", people={max(requests * 2, 1000)}, seed=1, verbosity=0)
item = LearningItem.objects.create(code="LOAD", title="Safeguarding adults level 2",
                                   kind="classroom")
session = Session.objects.create(item=item, capacity={capacity}, status="open")
start = timezone.now() + dt.timedelta(days=14)
SessionPart.objects.create(session=session, starts_at=start,
                           ends_at=start + dt.timedelta(hours=3))
people = Person.objects.filter(leaving_date__isnull=True, user__isnull=True)[:{requests}]
tokens = []
for person in people:
    user = User.objects.create(email=f"load{{person.pk}}@bench.example", person=person)
    tokens.append(Token.objects.create(user=user).key)
print(json.dumps({{"session": session.pk, "tokens": tokens}}))
"""
    env = server_env(url) | {"DJANGO_SETTINGS_MODULE": "peopleplan.config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(out.stderr)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["session"], data["tokens"]


def book(port: int, session: int, token: str) -> tuple[float, int, str]:
    body = json.dumps({"session": session})
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/api/learning/bookings/",
        body=body,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    response = conn.getresponse()
    payload = response.read().decode()
    conn.close()
    status = json.loads(payload).get("status", payload[:80]) if response.status == 201 else payload
    return time.perf_counter() - started, response.status, status


def machine_cpu() -> tuple[int, int]:
    """Jiffies (busy, all) of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


def machine_busy(before: tuple[int, int], after: tuple[int, int]) -> float:
    return (after[0] - before[0]) / max(after[1] - before[1], 1)


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user and system) these processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def database_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        return [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
        ]


def warm(port: int, token: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/learning/bookings/", headers={"Authorization": f"Token {token}"})
    conn.getresponse().read()
    conn.close()


def messages_drained(url: str, timeout: float = 300) -> dict[str, int]:
    """Wait for the background worker to send every message the bookings queued."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        deadline = time.perf_counter() + timeout
        while True:
            counts = dict(
                conn.execute(
                    "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                    "GROUP BY status"
                ).fetchall()
            )
            if not counts.get("READY") and not counts.get("RUNNING"):
                break
            if time.perf_counter() > deadline:
                break
            time.sleep(0.2)
    return {"done": counts.get("SUCCESSFUL", 0), "failed": counts.get("FAILED", 0)}


def check(url: str, session: int) -> dict:
    code = f"""
import json, django
django.setup()
from peopleplan.learning.models import Booking
from peopleplan.learning.services import waitlist, waitlist_position
rows = Booking.objects.filter(session_id={session})
positions = sorted(waitlist_position(b) for b in waitlist(rows.first().session))
print(json.dumps({{"booked": rows.filter(status="booked").count(),
                  "waitlisted": rows.filter(status="waitlisted").count(),
                  "positions_ok": positions == list(range(1, len(positions) + 1))}}))
"""
    env = server_env(url) | {"DJANGO_SETTINGS_MODULE": "peopleplan.config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    # Sync workers, as docs/operations.md runs them: threads in one process queue for the GIL
    # while one of them holds the session's lock (4 x 4 measured 52 requests/s, p95 2.2 s;
    # 4 x 1 81 requests/s, p95 0.8 s).
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="leave the messages queued (as with a worker on another machine)",
    )
    args = parser.parse_args()

    import psycopg

    name = f"pp_load_bench_{os.getpid()}"
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(args.database_url)._replace(path=f"/{name}"))
    server = worker = None
    try:
        print(
            f"Preparing: a demo council, one session of {args.capacity} places, "
            f"{args.requests} users with tokens ...",
            flush=True,
        )
        session, tokens = prepare(url, args.requests, args.capacity)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "peopleplan.config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            env=server_env(url),
            cwd=ROOT,
        )
        # The background worker that writes and sends the booking messages, on the same
        # machine as in `make run`: its work is part of the load.
        worker = (
            None
            if args.no_worker
            else subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "peopleplan",
                    "db_worker",
                    "--queue-name=*",
                    "--interval=0.5",
                ],
                env=server_env(url),
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # a line per task; failures are counted below
            )
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # A running server is warm: every worker thread has loaded the code and opened its
        # database connection before the clock starts.
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda _: warm(port, tokens[0]), range(args.workers * args.threads * 4)))
        # Where the CPU goes: the web server, PostgreSQL, the worker (the clients: process_time).
        groups = {
            "web server": [server.pid, *children(server.pid)],
            "PostgreSQL": database_backends(url),
            "worker": [worker.pid] if worker else [],
        }
        group_before = {k: process_cpu(pids) for k, pids in groups.items()}
        cpu_before, client_before = machine_cpu(), time.process_time()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(lambda t: book(port, session, t), tokens))
        elapsed = time.perf_counter() - started
        busy = machine_busy(cpu_before, machine_cpu())
        client_cpu = time.process_time() - client_before
        group_cpu = {k: process_cpu(pids) - group_before[k] for k, pids in groups.items()}
        drained = messages_drained(url) if worker else {"done": 0, "failed": 0}
        sent_after = time.perf_counter() - started
        latencies = sorted(r[0] * 1000 for r in results)
        errors = [r for r in results if r[1] != 201]
        quantiles = statistics.quantiles(latencies, n=100)
        outcome = check(url, session)
        print(
            f"requests {len(results)}, clients {args.clients}, gunicorn workers "
            f"{args.workers} x {args.threads} threads"
        )
        print(f"throughput {len(results) / elapsed:.0f} requests/s ({elapsed:.1f} s in all)")
        print(
            f"latency ms: p50 {quantiles[49]:.0f}, p95 {quantiles[94]:.0f}, "
            f"p99 {quantiles[98]:.0f}, max {latencies[-1]:.0f}"
        )
        print(
            f"messages: {drained['done']} sent by the worker, {drained['failed']} failed, "
            f"the last {sent_after - elapsed:.1f} s after the last response"
        )
        print(
            f"machine busy {busy:.0%} of {os.cpu_count()} cores while booking; the clients "
            f"themselves used {client_cpu:.1f} s of CPU ({client_cpu / len(results) * 1000:.1f} "
            "ms a request)"
        )
        print(
            "CPU a request while booking: "
            + ", ".join(f"{k} {v / len(results) * 1000:.1f} ms" for k, v in group_cpu.items())
            + f", clients {client_cpu / len(results) * 1000:.1f} ms"
        )
        print(f"errors {len(errors)}{': ' + str(errors[:3]) if errors else ''}")
        print(
            f"booked {outcome['booked']} of {args.capacity} places, waitlisted "
            f"{outcome['waitlisted']}, waiting list numbered 1..n: {outcome['positions_ok']}"
        )
    finally:
        for process in (server, worker):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
