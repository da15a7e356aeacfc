"""Closing the golden months of tests/data/ledger into a ledger (shared by the ledger tests)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kpi_cli.engine.periods import Period
from kpi_cli.inputs.score_run import score_log
from kpi_cli.ledger.closing import CloseSource, Closed, close_period
from kpi_cli.ledger.store import Ledger, open_ledger
from kpi_cli.ledger.url import ledger_url
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.model import Rubric

DATA = Path(__file__).resolve().parents[1] / "data" / "ledger"
RUBRIC = DATA / "yuedu.yaml"
ROSTERS = {"2026-08": DATA / "roster-no-a004.csv"}  # 陈静 (A004) is not on August's roster


def rubric() -> Rubric:
    loaded, problems = load_rubric(RUBRIC)
    assert loaded is not None, problems
    return loaded


def open_db(url: str) -> Ledger:
    return open_ledger(ledger_url(url))


def close_month(ledger: Ledger, month: str, *, the_rubric: Rubric | None = None, by: str = "邓丽华") -> Closed:
    the_rubric = the_rubric or rubric()
    log = DATA / f"{month}.csv"
    roster = ROSTERS.get(month, DATA / "roster.csv")
    run = score_log(log, the_rubric, roster=roster, period=Period.parse(month), keep_records=False)
    assert run.ok and run.sheet is not None, run.diagnostics
    c = run.counts
    source = CloseSource.of(RUBRIC, log, roster, read=c.read, used=c.used, outside=c.outside_period, errors=c.errors)
    return close_period(ledger, run.sheet, source, by=by, at=datetime(2026, 10, 1, 1, 5, tzinfo=timezone.utc))


def close_quarter(ledger: Ledger) -> list[Closed]:
    return [close_month(ledger, m) for m in ("2026-07", "2026-08", "2026-09")]
