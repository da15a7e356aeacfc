"""Ledger tests run against SQLite and a real PostgreSQL server.

PostgreSQL: ``KPI_TEST_PG_URL`` (``.ci/run`` starts a throwaway cluster and sets it; so does
``eval "$(.ci/postgres.sh start)"`` for a developer).  Without it, this conftest starts a throwaway
cluster itself when PostgreSQL's initdb is installed, and stops it at the end.  Only where no server
can be started are the PostgreSQL cases skipped, with the reason printed (pytest -ra).
Each test gets a database of its own (a new SQLite file; a new PostgreSQL database, dropped after).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "postgres.sh"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str | None]:
    """The URL of a PostgreSQL server's maintenance database, or None (skip reason in pg_skip_reason)."""
    given = os.environ.get("KPI_TEST_PG_URL")
    if given:
        yield given
        return
    try:
        started = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _reason.append(f"PostgreSQL could not be started: {exc}")
        yield None
        return
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no output"])[-1]
        _reason.append(f"PostgreSQL could not be started (.ci/postgres.sh start: {last})")
        yield None
        return
    env = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.split("\n") if "=" in line)
    try:
        yield env["KPI_TEST_PG_URL"]
    finally:
        subprocess.run([str(SCRIPT), "stop", env["KPI_TEST_PG_DIR"]], capture_output=True, timeout=60)


_reason: list[str] = []


def _admin(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    from kpi_cli.ledger.url import ledger_url

    return create_engine(ledger_url(url), isolation_level="AUTOCOMMIT")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL (as a user writes it) of a new, empty database: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "kpi.db")
        return
    server = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip(_reason[0] if _reason else "PostgreSQL is not available")
    from sqlalchemy import text

    name = f"kpi_{uuid.uuid4().hex[:12]}"
    admin = _admin(server)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        import gc

        gc.collect()  # engines left by a failed test release their connections
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
