"""The monthly cron job, as the README shows it, run like cron runs it: no terminal, an empty environment.

The installed console script (next to the Python running the tests) is run through a subprocess under
``env -i PATH=<venv bin>:/usr/bin:/bin`` with stdin closed, and the workbook it writes is read back.
"""

from __future__ import annotations

import calendar
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES, ROOT, RUBRICS

README = (ROOT / "README.md").read_text(encoding="utf-8")
CRON = README[README.index("## Running monthly from cron"):]
BIN = Path(sys.executable).parent
KPI = BIN / "kpi"
EXAMPLE_LOG = EXAMPLES / "guanjia-2026-10.csv"
# tests/cli/test_cli_score.py: the guanjia example month, best first
GUANJIA = [("000101", "王芳", 99.8), ("000108", "黄晓燕", 95.2), ("000102", "李娜", 94.5), ("000105", "陈静", 92.5),
           ("000106", "杨磊", 85.7), ("000104", "刘洋", 85), ("000107", "赵敏", 76), ("000103", "张伟", 54.6)]

pytestmark = pytest.mark.skipif(not KPI.is_file() or not Path("/usr/bin/env").is_file(),
                                reason="needs the installed kpi console script and env(1)")


def bare(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run like cron: env -i (no HOME, no LANG, no TERM), no terminal on any stream."""
    return subprocess.run(["/usr/bin/env", "-i", f"PATH={BIN}:/usr/bin:/bin", *command], cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def block(lang: str) -> str:
    match = re.search(rf"```{lang}\n(.*?)```", CRON, re.S)
    assert match, f"no ```{lang} block in the cron section of the README"
    return match.group(1)


def results(path: Path) -> list[tuple[str, str, float]]:
    ws = openpyxl.load_workbook(path)["结果"]
    header = [c.value for c in ws[1]]
    at = {name: header.index(name) for name in ("工号", "姓名", "总分")}
    return [(row[at["工号"]], row[at["姓名"]], row[at["总分"]]) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_cron_job_on_the_examples(tmp_path: Path) -> None:
    (tmp_path / "kpi.toml").write_text(f'''
rubrics_dir = "{RUBRICS}"
rubric = "guanjia"
roster = "{EXAMPLES / 'roster.csv'}"
log = "{EXAMPLES}/guanjia-{{period}}.csv"
period = "last-month"
output_dir = "reports"
filename = "{{rubric}}-{{period}}.xlsx"
''', encoding="utf-8")
    done = bare([str(KPI), "score", "--quiet", "--today", "2026-11-01"], tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    report = tmp_path / "reports" / "guanjia-2026-10.xlsx"
    assert results(report) == GUANJIA
    about = dict(openpyxl.load_workbook(report)["生成信息"].iter_rows(min_row=2, values_only=True))
    assert about["考核周期 (period)"] == "2026-10"
    assert about["记录表 (log)"] == str(EXAMPLE_LOG)


def test_cron_job_failure_is_reported_on_stderr_and_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "kpi.toml").write_text(f'rubrics_dir = "{RUBRICS}"\nrubric = "guanjia"\nlog = "logs/{{period}}.csv"\n'
                                       'period = "last-month"\noutput_dir = "reports"\n', encoding="utf-8")
    done = bare([str(KPI), "score", "--quiet", "--today", "2026-11-01"], tmp_path)
    assert done.returncode == 3 and done.stdout == ""
    # cron sets no locale (env -i): the message is in Chinese, its code the same in every language
    assert f"{tmp_path}/logs/2026-10.csv: 无法读取文件" in done.stderr and "(io-error)" in done.stderr
    assert "\x1b" not in done.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_readme_kpi_toml_is_valid_and_says_what_the_text_says() -> None:
    config = tomllib.loads(block("toml"))
    assert config == {"rubrics_dir": "rubrics", "rubric": "guanjia", "roster": "roster.csv",
                      "log": "logs/{period}.csv", "period": "last-month", "output_dir": "reports",
                      "filename": "{rubric}-{period}.xlsx"}
    assert "reports/guanjia-2026-10.xlsx" in CRON


def _last_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def test_readme_cron_example_runs_as_written(tmp_path: Path) -> None:
    """The crontab line and kpi.toml from the README, with /srv/kpi being a temporary folder."""
    srv = tmp_path / "srv-kpi"
    (srv / "rubrics").mkdir(parents=True)
    (srv / "logs").mkdir()
    (srv / ".venv" / "bin").mkdir(parents=True)
    (srv / ".venv" / "bin" / "kpi").symlink_to(KPI)
    (srv / "kpi.toml").write_text(block("toml"), encoding="utf-8")
    shutil.copy(RUBRICS / "guanjia.yaml", srv / "rubrics" / "guanjia.yaml")
    shutil.copy(EXAMPLES / "roster.csv", srv / "roster.csv")
    # the example month, moved to the month before today (cron computes last-month from the real date)
    year, month = _last_month(date.today())
    last_day = calendar.monthrange(year, month)[1]
    text = re.sub(r"\b2026-10-(\d\d)\b", lambda m: f"{year}-{month:02d}-{min(int(m.group(1)), last_day):02d}",
                  EXAMPLE_LOG.read_text(encoding="utf-8-sig"))
    (srv / "logs" / f"{year}-{month:02d}.csv").write_text(text, encoding="utf-8")

    line = block("crontab").strip()
    fields = line.split(None, 5)
    assert fields[:5] == ["5", "1", "1", "*", "*"]  # 01:05 on the 1st of every month
    command = fields[5].replace("/srv/kpi", str(srv))
    done = bare(["/bin/sh", "-c", command], tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (srv / "kpi-cron.log").read_text() == ""  # --quiet: nothing to mail on success
    report = srv / "reports" / f"guanjia-{year}-{month:02d}.xlsx"
    assert results(report) == GUANJIA
