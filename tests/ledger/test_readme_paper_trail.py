"""README "Appeals, sign-off and payroll": its commands run, in order, on a ledger of their own (SQLite and
PostgreSQL), and give the figures the README computes by hand."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV = {"COLUMNS": "160", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "KPI_LANG": "en"}


def commands() -> list[list[str]]:
    start = README.index("## Appeals, sign-off and payroll")
    block = re.compile(r"```sh\n(.*?)```", re.S).search(README, start)
    assert block is not None
    return [shlex.split(line) for line in block.group(1).strip().splitlines()]


def test_the_worked_example(db_url: str, tmp_path: Path) -> None:
    from kpi_cli.cli import app

    shutil.copytree(ROOT / "examples" / "payroll", tmp_path / "examples" / "payroll")
    runner = CliRunner(env={**ENV, "KPI_DB": db_url})
    outputs: list[str] = []
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        for args in commands():
            assert args[0] == "kpi"
            result = runner.invoke(app, args[1:], catch_exceptions=False)
            assert result.exit_code == 0, (args, result.output)
            outputs.append(result.stdout)
    finally:
        os.chdir(old)
    diff, _close, pay1, appeal, amend, _e, _s, hr, audit, _pay2 = outputs
    assert "98 → 97" in diff and "3000.00 →" in diff and "1500.00" in diff  # 王芳: 全额 → 50%
    assert "4 of 5 people change" in diff
    for figure in ("3000.00", "3333.34", "1250.28", "0.00", "7583.62"):
        assert figure in pay1
    assert "appeal #1 opened" in appeal
    assert "K002 李娜: total 94.5 → 96 · grade 良好 → 优秀 · outcome 发放50% → 全额发放 · pay 3333.34 → 6666.67" in amend
    assert "已锁定" in hr
    removed = "removed examples/payroll/log-2026-10.csv:4: 2026-10-17 服务质量/违反工作流程 ×1 1.5分 报修单未登记"
    assert removed in audit and f"`{removed}`" in README
    sheet = openpyxl.load_workbook(tmp_path / "pay-2026-10.xlsx")["部门合计"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["翠湖花园", 2, 9666.67, 9666.67], ["金域华府", 3, 2500.55, 1250.28], ["合计", 5, 12167.22, 10916.95]]
    for figure in ("3333.34", "1250.28", "7583.62", "10916.95", "6666.67"):
        assert figure in README
