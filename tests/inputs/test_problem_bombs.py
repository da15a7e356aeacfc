"""Issue 11, class 12 (bombs made of problems): a few MB of text can be millions of "rows" with problems (a quote
left open over 3 million lines, a roster of 2 million junk lines).  Past MAX_PROBLEMS the rest is counted, not
checked: bounded memory and time, every line still in the footer, and a message that says reading stopped.

Measured before the cap (kpi check, 2 cores under load): the 6 MB quote bomb of 3 million lines took 168 s and
1.66 GB with 9 million problems; the 4 MB roster of 2 million junk lines 62 s and 621 MB.  After: 1.6 s and
1.2 s of CPU, 43 MB each (README, Performance of hostile inputs)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from kpi_cli.inputs.roster import load_roster
from kpi_cli.inputs.score_run import score_log
from kpi_cli.inputs.table_rows import MAX_PROBLEMS
from kpi_cli.rubric.loader import load_rubric

RUBRIC = ROOT / "tests/data/input/rubric.yaml"
ROSTER = ROOT / "tests/data/input/roster.csv"
HEADER = "工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注,记录人\n"


def _rubric():  # type: ignore[no-untyped-def]
    rubric, problems = load_rubric(RUBRIC)
    assert rubric is not None, problems
    return rubric


def test_a_quote_left_open_over_many_lines_is_bounded(tmp_path: Path) -> None:
    lines = 60_000  # after the cell limit is hit, each "x" line is a row with 3 problems
    path = tmp_path / "quote_bomb.csv"
    path.write_text(HEADER + '000101,2026-10-03,迟到,1,,,,,"' + "x\n" * lines + '",a\n', encoding="utf-8")
    run = score_log(path, _rubric(), roster=ROSTER, keep_records=False)
    assert run.sheet is None
    assert MAX_PROBLEMS <= len(run.diagnostics) <= MAX_PROBLEMS + 5
    assert run.diagnostics[0].code == "csv" and "longer than 32,767 characters" in run.diagnostics[0].message
    stop = [d for d in run.diagnostics if d.code == "too-many-problems"]
    assert len(stop) == 1 and "more than 10,000 problems" in stop[0].message
    c = run.counts
    assert (c.read, c.used, c.outside_period, c.errors, c.joined) == (lines + 1, 0, 0, lines + 1, 0)


def test_many_bad_rows_stop_at_the_cap_and_are_all_counted(tmp_path: Path) -> None:
    rows = 20_000
    path = tmp_path / "unknown.csv"
    path.write_text(HEADER + "000101,2026-10-03,早退,1,,,,,,\n" * rows, encoding="utf-8")
    run = score_log(path, _rubric(), roster=ROSTER, keep_records=False)
    codes = [d.code for d in run.diagnostics]
    assert codes.count("unknown-rule") == MAX_PROBLEMS and codes[-1] == "too-many-problems"
    assert run.diagnostics[-1].line == MAX_PROBLEMS + 1  # the last row checked: line 10001
    assert (run.counts.read, run.counts.errors) == (rows, rows)


def test_a_roster_of_junk_lines_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("工号,姓名,部门,岗位\n" + "x\n" * 30_000, encoding="utf-8")
    members, problems = load_roster(path)
    assert members == []
    assert len(problems) == MAX_PROBLEMS + 1 and problems[-1].code == "too-many-problems"


def test_the_cli_shows_that_reading_stopped_beyond_the_screen_cap(invoke, tmp_path: Path) -> None:
    path = tmp_path / "unknown.csv"
    path.write_text(HEADER + "000101,2026-10-03,早退,1,,,,,,\n" * 10_100, encoding="utf-8")
    result = invoke("check", str(path), "--rubric", str(RUBRIC), "--roster", str(ROSTER))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert "... and 9951 more problems (use --errors FILE to list them all)" in lines
    assert any(line.endswith("(too-many-problems)") for line in lines)
    assert "rows read 10100: used 0, outside the period 0, in error 10100" in lines
