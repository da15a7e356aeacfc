"""Issue 13's safety promises, with real processes on SQLite and PostgreSQL.

- a close killed (SIGKILL) after every row is written but before the commit leaves no partial period;
- two ``kpi close`` processes of DIFFERENT periods at once both succeed;
- two ``kpi close`` processes of the SAME period at once: exactly one wins, the other exits 1 with
  "already closed" and no traceback.

The processes are the real command line (``kpi_cli.cli.run``); the only thing the test adds is a
rendezvous INSIDE the closing transaction (after the "is it closed?" check, before the inserts), so the
two closes really overlap instead of one finishing before the other starts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kpi_cli.ledger import schema
from kpi_cli.ledger.queries import list_periods

from ledger.ledger_support import DATA, ROSTERS, close_month, open_db

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"

# A child process: kpi's own command line, with a rendezvous of N processes inside close_period's transaction.
RACER = """
import os, sys, time
from pathlib import Path

folder, me, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
from kpi_cli.ledger import closing

original = closing.sheet_flags

def rendezvous(*args, **kwargs):  # called inside ledger.writing(), right after the already-closed check
    (folder / f"ready-{me}").touch()
    deadline = time.monotonic() + 60
    while len(list(folder.glob("ready-*"))) < n and time.monotonic() < deadline:
        time.sleep(0.01)
    return original(*args, **kwargs)

closing.sheet_flags = rendezvous
sys.argv = ["kpi", *sys.argv[4:]]
from kpi_cli.cli import run
run()
"""

# A child process: closes a month and stops for good after every row is written, before the commit.
KILLED = """
import sys, time
from pathlib import Path

sys.path.insert(0, sys.argv[3])
marker, url = Path(sys.argv[1]), sys.argv[2]
from kpi_cli.ledger import closing

original = closing.write_version

def then_hang(*args, **kwargs):
    version_id = original(*args, **kwargs)
    marker.write_text(str(version_id))
    time.sleep(300)  # killed here: periods, versions, results, items all inserted, nothing committed
    return version_id

closing.write_version = then_hang
from ledger.ledger_support import close_month, open_db
close_month(open_db(url), "2026-07")
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, KPI_LANG="en", PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    env.pop("KPI_DB", None)
    return env


def _close_args(db_url: str, month: str, by: str) -> list[str]:
    return ["close", str(DATA / f"{month}.csv"), "--rubric", str(DATA / "yuedu.yaml"), "--roster",
            str(ROSTERS.get(month, DATA / "roster.csv")), "--db", db_url, "--by", by]


def _race(tmp_path: Path, db_url: str, months: list[str]) -> list[subprocess.CompletedProcess[str]]:
    open_db(db_url).dispose()  # the schema exists first: the race is about the period, not the migration
    script = tmp_path / "racer.py"
    script.write_text(RACER, encoding="utf-8")
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    clerks = [subprocess.Popen([sys.executable, str(script), str(meeting), str(k), str(len(months)),
                                *_close_args(db_url, month, f"clerk{k}")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path)
              for k, month in enumerate(months)]
    done = []
    for k, clerk in enumerate(clerks):
        stdout, stderr = clerk.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(clerk.args, clerk.returncode, stdout, stderr))
    assert len(list(meeting.glob("ready-*"))) == len(months)  # every clerk reached the transaction
    return done


def _counts(db_url: str) -> tuple[int, int, int, int]:
    ledger = open_db(db_url)
    with ledger.reading() as connection:
        counts = tuple(connection.execute(select(func.count()).select_from(table)).scalar_one()
                       for table in (schema.periods, schema.versions, schema.results, schema.items))
    ledger.dispose()
    return counts  # type: ignore[return-value]


def test_two_clerks_closing_different_periods_at_once_both_succeed(tmp_path: Path, db_url: str) -> None:
    done = _race(tmp_path, db_url, ["2026-07", "2026-09"])
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    assert "closed yuedu 2026-07: 4 people, by clerk0" in done[0].stdout
    assert "closed yuedu 2026-09: 4 people, by clerk1" in done[1].stdout
    ledger = open_db(db_url)
    assert [(str(c.period), c.closed_by, c.version) for c in list_periods(ledger)] == [
        ("2026-07", "clerk0", 1), ("2026-09", "clerk1", 1)]
    ledger.dispose()


def test_two_clerks_closing_the_same_period_at_once_exactly_one_wins(tmp_path: Path, db_url: str) -> None:
    done = _race(tmp_path, db_url, ["2026-07", "2026-07"])
    codes = sorted(d.returncode for d in done)
    assert codes == [0, 1], [(d.returncode, d.stderr) for d in done]
    winner = next(d for d in done if d.returncode == 0)
    loser = next(d for d in done if d.returncode == 1)
    by = winner.args[-1]
    assert f"closed yuedu 2026-07: 4 people, by {by}" in winner.stdout
    assert f"yuedu 2026-07 is already closed (by {by}, " in " ".join(loser.stderr.split())
    assert "kpi amend 2026-07 --rubric yuedu" in " ".join(loser.stderr.split())
    assert "Traceback" not in loser.stderr + loser.stdout
    assert _counts(db_url) == (1, 1, 4, 4 * 2)  # one period, one version, 4 people × 2 items of yuedu
    ledger = open_db(db_url)
    assert [(str(c.period), c.closed_by) for c in list_periods(ledger)] == [("2026-07", by)]
    ledger.dispose()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_close_killed_before_its_commit_leaves_no_partial_period(tmp_path: Path, db_url: str) -> None:
    open_db(db_url).dispose()
    script, marker = tmp_path / "killed.py", tmp_path / "written"
    script.write_text(KILLED, encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script), str(marker), db_url, str(TESTS)], env=_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), child.communicate(timeout=10)
    os.kill(child.pid, signal.SIGKILL)  # the power cut: no exception handler, no rollback by the process
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _counts(db_url) == (0, 0, 0, 0)
    ledger = open_db(db_url)
    assert list_periods(ledger) == []
    closed = close_month(ledger, "2026-07")  # and the period can be closed normally afterwards
    assert (str(closed.period), closed.version, closed.subjects) == ("2026-07", 1, 4)
    ledger.dispose()
