"""Two sign-offs of the same person at once, as real ``kpi signoff`` processes on SQLite and PostgreSQL.

Each process is stopped inside its transaction, right after it has found the period and before it takes
the period's write lock, until the other one got there too: both really contend.  The writers then run
one after the other, the second deciding from what the first committed: a step signed twice is stored
once and the second signer is told it is already signed (exit 1, no traceback); never two rows for one
step, never a state reached by skipping one, never an amendment of a person locked meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from kpi_cli.ledger.trail_schema import signoffs

from ledger.ledger_support import open_db

ROOT = Path(__file__).resolve().parents[2]
MONTH = ROOT / "examples" / "payroll"

RACER = """
import sys, time
from pathlib import Path

folder, me, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
from kpi_cli.ledger import trail

original = trail.lock_period

def rendezvous(*args, **kwargs):  # inside ledger.writing(), the period found, its lock not yet taken
    (folder / f"ready-{me}").touch()
    deadline = time.monotonic() + 60
    while len(list(folder.glob("ready-*"))) < n and time.monotonic() < deadline:
        time.sleep(0.01)
    return original(*args, **kwargs)

trail.lock_period = rendezvous
sys.argv = ["kpi", *sys.argv[4:]]
from kpi_cli.cli import run
run()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, KPI_LANG="en", PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    env.pop("KPI_DB", None)
    return env


def _kpi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpi_cli", *args], capture_output=True, text=True, env=_env(),
                          timeout=180)


def _sign(role: str, by: str, who: str = "K001") -> list[str]:
    return ["signoff", "2026-10", who, "--as", role, "--by", by]


def _race(tmp_path: Path, db_url: str, commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    script = tmp_path / "racer.py"
    script.write_text(RACER, encoding="utf-8")
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    procs = [subprocess.Popen([sys.executable, str(script), str(meeting), str(k), str(len(commands)), *command,
                               "--db", db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
             for k, command in enumerate(commands)]
    done = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    assert len(list(meeting.glob("ready-*"))) == len(commands)  # both were in their transaction at once
    return done


def _closed(db_url: str) -> None:
    closed = _kpi("close", str(MONTH / "log-2026-10.csv"), "--rubric", str(MONTH / "fuwu.yaml"), "--roster",
                  str(MONTH / "roster.csv"), "--db", db_url, "--by", "人事小王", "--quiet")
    assert closed.returncode == 0, closed.stderr


def _rows(db_url: str, who: str = "K001") -> list[tuple[str, int, str, str]]:
    ledger = open_db(db_url)
    with ledger.reading() as connection:
        rows = connection.execute(select(signoffs.c.subject_id, signoffs.c.seq, signoffs.c.action,
                                         signoffs.c.state).where(signoffs.c.subject_id == who)
                                  .order_by(signoffs.c.seq)).all()
    ledger.dispose()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_the_same_signature_twice_at_once_is_stored_once(tmp_path: Path, db_url: str) -> None:
    _closed(db_url)
    done = _race(tmp_path, db_url, [_sign("employee", "王芳"), _sign("employee", "王芳的手机")])
    assert sorted(d.returncode for d in done) == [0, 1], [(d.returncode, d.stderr) for d in done]
    loser = next(d for d in done if d.returncode == 1)
    said = " ".join(loser.stderr.split())
    assert "K001 王芳, fuwu 2026-10: cannot sign as employee: already 员工已确认: the employee has signed this " \
           "result" in said, said
    assert "Traceback" not in loser.stderr + loser.stdout
    assert _rows(db_url) == [("K001", 1, "employee", "confirmed")]


def test_employee_and_supervisor_at_once_never_skip_a_step(tmp_path: Path, db_url: str) -> None:
    """Whoever takes the lock first: the employee first (both stored, in order), or the supervisor first
    (refused: the employee signs first; then the employee's signature is stored)."""
    _closed(db_url)
    done = _race(tmp_path, db_url, [_sign("employee", "王芳"), _sign("supervisor", "张主管")])
    assert done[0].returncode == 0, done[0].stderr
    rows = _rows(db_url)
    if done[1].returncode == 0:
        assert rows == [("K001", 1, "employee", "confirmed"), ("K001", 2, "supervisor", "reviewed")]
    else:
        said = " ".join(done[1].stderr.split())
        assert done[1].returncode == 1 and "Traceback" not in done[1].stderr
        assert "cannot sign as supervisor: the state is 待确认: the employee signs first (--as employee)" in said
        assert rows == [("K001", 1, "employee", "confirmed")]


def test_hr_locking_while_an_amendment_is_stored_never_amends_a_locked_person(tmp_path: Path, db_url: str) -> None:
    """K002 is reviewed; HR locks her while an amendment that changes her total is stored.  Either the lock is
    first and the amendment is refused (locked), or the amendment is first (K002 back to 待确认, recorded) and
    HR is told the employee signs first.  Never: locked, and amended after."""
    _closed(db_url)
    for role, by in (("employee", "李娜"), ("supervisor", "张主管")):
        assert _kpi(*_sign(role, by, "K002"), "--db", db_url).returncode == 0
    fixed = tmp_path / "log-fixed.csv"
    fixed.write_text("".join(line for line in (MONTH / "log-2026-10.csv").read_text(encoding="utf-8")
                             .splitlines(keepends=True) if "违反工作流程" not in line), encoding="utf-8")
    amend = ["amend", "2026-10", "--rubric", str(MONTH / "fuwu.yaml"), "--log", str(fixed), "--reason", "报修单已登记",
             "--by", "张经理"]
    lock, amended = _race(tmp_path, db_url, [_sign("hr", "人事小王", "K002"), amend])
    rows = _rows(db_url, "K002")
    assert sorted((lock.returncode, amended.returncode)) == [0, 1], (lock.stderr, amended.stderr)
    assert "Traceback" not in lock.stderr + amended.stderr
    if lock.returncode == 0:
        assert "fuwu 2026-10 is locked (已锁定) for 1 people (K002)" in " ".join(amended.stderr.split())
        assert [r[2:] for r in rows] == [("employee", "confirmed"), ("supervisor", "reviewed"), ("hr", "locked")]
    else:
        assert "the state is 待确认: the employee signs first" in " ".join(lock.stderr.split())
        assert [r[2:] for r in rows] == [("employee", "confirmed"), ("supervisor", "reviewed"), ("reset", "pending")]
