"""README.zh-CN.md stays true: every command and option it shows exists, and its monthly walk-through
(每月的工作) runs, step by step, in Chinese, on a ledger of its own."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import ROOT
from zh_support import english_lines

README = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


def _commands_and_options() -> dict[str, set[str]]:
    import typer.main

    from kpi_cli.cli import app

    group = typer.main.get_command(app)
    return {name: {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
            for name, command in group.commands.items()}


def _shown() -> list[list[str]]:
    """Every ``kpi ...`` the README shows: in code blocks (one a line) and in `backticks`."""
    lines = [line for block in re.findall(r"```(?:sh|powershell)\n(.*?)```", README, re.S)
             for line in block.splitlines() if line.startswith("kpi ")]
    lines += re.findall(r"`(kpi [^`]+)`", README)
    return [shlex.split(line.replace("\\", "/"))[1:] for line in lines]


def test_every_command_and_option_shown_exists():
    known = _commands_and_options()
    shown = _shown()
    assert len(shown) > 20
    wrong = []
    for args in shown:
        command = next((a for a in args if not a.startswith("-")), None)
        if command not in known:
            wrong.append(f"kpi {command}: no such command")
            continue
        wrong += [f"kpi {command} {a}: no such option" for a in args if a.startswith("--")
                  and a.split("=")[0] not in known[command] | {"--help", "--lang", "--rubrics-dir"}]
    assert not wrong, wrong
    monthly = {"score", "check", "explain", "forms", "close", "payroll", "appeal", "amend", "signoff", "appeals"}
    assert monthly <= {next(a for a in args if not a.startswith("-")) for args in shown}


def test_the_quick_start_says_what_a_clerk_needs():
    for text in ("py -3.11 -m venv .venv", ".venv\\Scripts\\Activate.ps1", "python3-venv", "每打开一个新的终端窗口",
                 ". .venv/bin/activate"):
        assert text in README, text


def test_the_monthly_walk_through_runs_in_chinese(tmp_path: Path) -> None:
    from kpi_cli.cli import app

    start = README.index("## 每月的工作")
    block = re.compile(r"```sh\n(.*?)```", re.S).search(README, start)
    assert block is not None
    steps = [shlex.split(line) for line in block.group(1).splitlines() if line.startswith("kpi ")]
    assert len(steps) >= 14
    shutil.copytree(ROOT / "examples" / "payroll", tmp_path / "examples" / "payroll")
    runner = CliRunner(env={"COLUMNS": "80", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "KPI_LANG": None,
                            "LANG": "zh_CN.UTF-8", "KPI_DB": str(tmp_path / "kpi.db")})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        for args in steps:
            result = runner.invoke(app, args[1:], catch_exceptions=False)
            assert result.exit_code == 0, (args, result.output)
            assert not english_lines(result.output), (args, english_lines(result.output))
    finally:
        os.chdir(old)
    assert (tmp_path / "考核表-2026-10.html").exists() and (tmp_path / "绩效工资-2026-10.xlsx").exists()
