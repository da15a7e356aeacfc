"""The ledger and paper-trail commands under ``--lang zh``: every step of the README's flows, and the usual
mistakes a clerk makes on them, read without English (see tests/zh_support.py for what counts as English).

Runs on SQLite (the PostgreSQL cases of the same messages are in test_paper_trail/test_ledger_cli).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zh_support import english_lines

ROOT = Path(__file__).resolve().parents[2]
ENV = {"COLUMNS": "80", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "KPI_LANG": "zh"}
F = "examples/payroll/fuwu.yaml"

# (arguments, exit code): the flow of README "Appeals, sign-off and payroll" with its mistakes in between
STEPS: list[tuple[list[str], int]] = [
    (["periods"], 1),  # no ledger yet
    (["payroll", "2026-10", "--rubric", F], 1),  # not closed yet
    (["close", "examples/payroll/log-2026-10.csv", "--rubric", F, "--roster", "examples/payroll/roster.csv",
      "--by", "人事小王"], 0),
    (["close", "examples/payroll/log-2026-10.csv", "--rubric", F, "--roster", "examples/payroll/roster.csv"], 1),
    (["close", "examples/payroll/log-2026-10.csv", "--rubric", F, "--roster", "examples/payroll/roster.csv",
      "--period", "2026-13"], 2),
    (["periods"], 0),
    (["payroll", "2026-10", "--rubric", F], 0),
    (["payroll", "2026", "--rubric", F], 1),  # no roll-up declared
    (["rollup", "2026Q4", "--rubric", F], 1),
    (["rollup", "2026X", "--rubric", F], 2),  # not a roll-up period
    (["appeal", "2026-10", "K002", "--reason", "报修单已登记,扣分有误", "--by", "李娜"], 0),
    (["appeal", "2026-10", "K002", "--reason", "再次申诉"], 1),  # one open appeal per person
    (["appeal", "2026-10", "K999", "--reason", "不在名单"], 1),
    (["signoff", "2026-10", "K002", "--as", "employee"], 1),  # an appeal is open
    (["signoff", "2026-10", "K001", "--as", "boss"], 2),
    (["appeals", "--open"], 0),
    (["amend", "2026-10", "--rubric", F, "--log", "examples/payroll/log-2026-10-fixed.csv", "--reason", ""], 1),
    (["amend", "2026-10", "--rubric", F, "--log", "examples/payroll/missing.csv", "--reason", "x"], 3),
    (["amend", "2026-10", "--rubric", F, "--log", "examples/payroll/log-2026-10-fixed.csv", "--reason",
      "申诉#1成立", "--appeal", "1", "--by", "张经理"], 0),
    (["amend", "2026-10", "--rubric", F, "--log", "examples/payroll/log-2026-10-fixed.csv", "--reason", "同样"], 1),
    (["reject-appeal", "1", "--reason", "已处理"], 1),
    (["reject-appeal", "9", "--reason", "没有"], 1),
    (["signoff", "2026-10", "K002", "--as", "hr"], 1),  # out of order
    (["signoff", "2026-10", "K002", "--as", "employee", "--by", "李娜"], 0),
    (["signoff", "2026-10", "K002", "--as", "supervisor", "--by", "张主管"], 0),
    (["signoff", "2026-10", "K002", "--as", "hr", "--by", "人事小王"], 0),
    (["signoff", "2026-10", "K002", "--as", "hr"], 1),  # locked
    (["appeal", "2026-10", "K002", "--reason", "锁定后申诉"], 1),
    (["amend", "2026-10", "--rubric", F, "--log", "examples/payroll/log-2026-10.csv", "--reason", "改回"], 1),
    (["reopen", "2026-10", "--reason", "发现错误"], 0),
    (["reopen", "2026-10", "--reason", "再开"], 1),
    (["audit", "2026-10"], 0),
    (["audit", "2026-09"], 1),
    (["history", "K002"], 0),
    (["history", "NOBODY"], 1),
    (["explain", "--rollup", "2026Q4", "--rubric", F, "--employee", "K002"], 1),
    (["periods", "--db", "mysql://kpi@host/kpi"], 3),
    (["periods", "--db", "examples/payroll/roster.csv"], 3),
]


@pytest.fixture(scope="module")
def flow(tmp_path_factory) -> list[tuple[list[str], int, str]]:
    """Every step run in order on a fresh ledger in a copy of examples/payroll: (args, exit code, output)."""
    from kpi_cli.cli import app

    folder = tmp_path_factory.mktemp("zh")
    shutil.copytree(ROOT / "examples" / "payroll", folder / "examples" / "payroll")
    runner = CliRunner(env={**ENV, "KPI_DB": str(folder / "kpi.db")})
    done = []
    old = os.getcwd()
    os.chdir(folder)
    try:
        for args, _code in STEPS:
            result = runner.invoke(app, args, catch_exceptions=False)
            done.append((args, result.exit_code, result.output))
    finally:
        os.chdir(old)
    return done


@pytest.mark.parametrize("step", range(len(STEPS)), ids=[" ".join(a)[:60] for a, _ in STEPS])
def test_each_step_reads_in_chinese(flow, step: int) -> None:
    args, code, output = flow[step]
    assert code == STEPS[step][1], (args, output)
    assert output.strip(), args
    assert "Traceback" not in output
    assert not english_lines(output), (args, english_lines(output))


@pytest.mark.parametrize("command", ["periods", "history", "payroll", "appeals", "audit"])
def test_the_ledger_tables_fit_80_columns(flow, command: str) -> None:
    """At 80 columns (rich cell widths: a CJK character is two) nothing is cut to '…' and every table line fits;
    the audit and appeal lines are sentences, wrapped by the terminal, so only the cut is checked there."""
    from rich.cells import cell_len

    outputs = [output for args, code, output in flow if args[0] == command and code == 0]
    assert outputs, command
    for output in outputs:
        assert "…" not in output, output
        if command in ("periods", "history", "payroll"):
            table = [line for line in output.splitlines() if any(c in line for c in "│┃━─")]
            assert table and max(cell_len(line) for line in table) <= 80, output
