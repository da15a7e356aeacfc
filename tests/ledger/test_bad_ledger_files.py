"""A --db that is not a usable kpi ledger gets a located message and exit 3 from every ledger command,
never a traceback, and the file is left byte for byte as it was (nothing is migrated or repaired)."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from ledger.ledger_support import DATA, close_month, open_db

RUBRIC = str(DATA / "yuedu.yaml")
COMMANDS = {
    "close": ("close", str(DATA / "2026-07.csv"), "--rubric", RUBRIC, "--roster", str(DATA / "roster.csv")),
    "periods": ("periods",),
    "history": ("history", "A001"),
    "rollup": ("rollup", "2026Q3", "--rubric", RUBRIC),
    "audit": ("audit", "2026-07", "--rubric", RUBRIC),
    "appeals": ("appeals",),
}


def _random_bytes(path: Path) -> str:
    path.write_bytes(random.Random(13).randbytes(16384))
    return "the file is not a SQLite database (another kind of file?)"


def _zip(path: Path) -> str:
    path.write_bytes(b"PK\x03\x04" + random.Random(5).randbytes(4000))
    return "the file is not a SQLite database (another kind of file?)"


def _foreign_sqlite(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO staff VALUES (1, '王芳')")
    connection.close()
    return "is not a kpi ledger: it holds other tables (staff)"


def _newer_schema(path: Path) -> str:
    ledger = open_db(str(path))
    close_month(ledger, "2026-07")
    ledger.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    return "was written by a newer kpi-cli (schema 0099_from_the_future"


def _truncated(path: Path) -> str:
    ledger = open_db(str(path))
    close_month(ledger, "2026-07")
    ledger.dispose()
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])  # a copy cut short: the header promises pages that are not there
    return "the database file is damaged; restore it from a backup"


def _a_folder(path: Path) -> str:
    path.mkdir()
    return "the database file cannot be opened (is the folder writable?)"


BAD = {"random-bytes": _random_bytes, "zip": _zip, "foreign-sqlite": _foreign_sqlite,
       "newer-schema": _newer_schema, "truncated": _truncated, "a-folder": _a_folder}


def _snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_ledger_command_refuses_a_bad_file_with_a_located_message(invoke, tmp_path: Path, bad: str,
                                                                        command: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kpi.db"
    said = BAD[bad](path)
    before = _snapshot(path)
    neighbours = sorted(p.name for p in tmp_path.iterdir())
    result = invoke(*COMMANDS[command], "--db", str(path))
    message = " ".join(result.stderr.split())
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert str(path) in message and said in message, message
    assert "Traceback" not in result.output
    assert _snapshot(path) == before  # not migrated, not repaired, not truncated further
    assert sorted(p.name for p in tmp_path.iterdir()) == neighbours  # and no journal or copy left beside it


def test_a_ledger_file_copied_while_intact_still_works(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The fixture of the 'truncated' case is a real ledger: uncut, every command reads it."""
    path = tmp_path / "kpi.db"
    ledger = open_db(str(path))
    close_month(ledger, "2026-07")
    ledger.dispose()
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    for name in ("periods", "history", "audit", "appeals"):
        result = invoke(*COMMANDS[name], "--db", str(copy))
        assert result.exit_code == 0, (name, result.output)
