"""A throwaway PostgreSQL database for a benchmark, and the environment its child process runs
Django in. Shared by the benchmarks that build a council and measure it (each imports it as
`from throwaway import ...`: the scripts run from this folder)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def throwaway_database(server_url: str, prefix: str, *, keep: bool = False, reuse: str = ""):
    """Make a database with the British collation CI tests on (ICU `en-GB-u-ka-shifted`, as a
    council would run it) and yield its URL; drop it afterwards unless `keep`. With `reuse`,
    yield that database (made by an earlier `keep`) and keep it."""
    import psycopg

    name = reuse or f"{prefix}_{os.getpid()}"
    if not reuse:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(
                f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                "ICU_LOCALE 'en-GB-u-ka-shifted' LOCALE 'C.UTF-8'"
            )
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        if keep or reuse:
            print(f"The database {name} is kept: --reuse {name} measures on it again.")
        else:
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a child process running Django on the database."""
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="true",  # static files without collectstatic; templates are cached either way
        SECRET_KEY="benchmark-" + "k" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        DJANGO_SETTINGS_MODULE="peopleplan.config.settings",
        **extra,
    )
