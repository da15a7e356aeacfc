"""Issue 11, class 1: a stray quote must not swallow rows, and the footer counts every physical data line.

The 17-line log of the issue (tests/data/bad/stray_quote_swallows_rows.csv): a quote opened in the 备注 of line
5 is closed by the one ending the 备注 of line 12, so lines 5-12 read as one row.  Hidden inside are the three
旷工 of 000102: scored, 000102 loses 3 × 10 = 30 points and has 70; swallowed, 000102 would have 100.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from kpi_cli.inputs.score_run import score_log
from kpi_cli.inputs.tables import open_table
from kpi_cli.rubric.loader import load_rubric

STRAY = "tests/data/bad/stray_quote_swallows_rows.csv"
RUBRIC_TEXT = """\
id: kaoqin
title: 考勤考核表
period: month
roles: [管家]
total: 100
items:
  - id: jilv
    name: 劳动纪律
    max: 100
    rules:
      - {id: chidao, name: 迟到, points: 1}
      - {id: kuanggong, name: 旷工, points: 10}
"""


@pytest.fixture
def rubric_file(tmp_path: Path) -> Path:
    path = tmp_path / "kaoqin.yaml"
    path.write_text(RUBRIC_TEXT, encoding="utf-8")
    return path


def counts_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("rows read"))


def test_the_issue_file_is_refused_naming_both_lines(invoke, rubric_file: Path) -> None:
    result = invoke("score", STRAY, "--rubric", str(rubric_file), "--period", "2026-10")
    assert result.exit_code == 1
    assert f"{STRAY}:5:9: a cell opens on line 5 and ends on line 12" in result.stderr
    # 16 data lines: 8 used (lines 2-4, 13-17), 8 in error (lines 5-12: the refused row and all it took in)
    assert counts_line(result.stderr) == "rows read 16: used 8, outside the period 0, in error 8"
    assert result.stdout == ""


def test_opting_in_reads_the_cell_and_says_how_many_lines_it_joined(invoke, rubric_file: Path) -> None:
    result = invoke("score", STRAY, "--rubric", str(rubric_file), "--period", "2026-10", "--multiline-cells")
    assert result.exit_code == 0, result.stderr
    assert counts_line(result.stderr) == "rows read 16: used 9, outside the period 0, in error 0, joined to the " \
                                         "line above 7"


def test_fixed_the_person_scores_70_not_100(invoke, rubric_file: Path, tmp_path: Path) -> None:
    fixed = tmp_path / "fixed.csv"
    fixed.write_text((ROOT / STRAY).read_text(encoding="utf-8").replace('"见考勤表', "见考勤表")
                     .replace('已处理"', "已处理"), encoding="utf-8")
    rubric, _ = load_rubric(rubric_file)
    assert rubric is not None
    run = score_log(fixed, rubric, keep_records=False)
    assert run.ok, [d.format() for d in run.diagnostics]
    assert (run.counts.read, run.counts.used) == (16, 16)
    totals = {s.subject.id: s.total for s in run.sheet.subjects}  # type: ignore[union-attr]
    # 000102: 3 旷工 × 10 = 30 lost: 100 - 30 = 70; 000101: 迟到 on 10-01 03 05 07 09 11 13 15 = 8 × 1: 92;
    # 000103: 迟到 on 10-02 04 12 14 16 = 5 × 1: 95
    assert totals == {"000101": Decimal(92), "000102": Decimal(70), "000103": Decimal(95)}


@pytest.mark.parametrize(("text", "lines", "refused", "joined"), [
    # one row whose cell spans 3 lines, then one plain row
    ('h1,h2\na,"x\ny\nz"\nb,c\n', 4, 3, 0),
    # a blank line inside the cell is a line of the cell; blank lines outside are not data lines
    ('h1,h2\n\na,"x\n\nz"\n\nb,c\n', 4, 3, 0),
    # CR LF and lone CR line ends
    ('h1,h2\r\na,"x\r\ny"\rb,c\r', 3, 2, 0),
    # the quote never closes: every line to the end is in error
    ('h1,h2\nb,c\na,"x\nb,c\nb,c\n', 4, 3, 0),
])
def test_every_line_is_counted_refused_or_joined(tmp_path: Path, text: str, lines: int, refused: int,
                                                 joined: int) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    for multiline in (False, True):
        table, problems = open_table(path, multiline_cells=multiline)
        assert table is not None, problems
        rows = list(table.rows)
        assert table.lines == lines
        never_closed = any(d.code == "csv" for d in table.problems)
        if multiline and not never_closed:
            assert (table.rejected, table.joined) == (0, refused - 1)
            assert len(rows) + table.joined == lines
        else:
            assert (table.rejected, table.joined) == (refused, joined)
            assert len(rows) + table.rejected == lines


def test_a_roster_cell_that_spans_lines_is_refused_too(tmp_path: Path) -> None:
    from kpi_cli.inputs.roster import load_roster

    path = tmp_path / "r.csv"
    path.write_text('工号,姓名,部门,岗位\n000101,"王芳,翠湖花园,管家\n000102,李娜",翠湖花园,管家\n', encoding="utf-8")
    subjects, problems = load_roster(path)
    assert subjects == [] and [(d.line, d.code) for d in problems] == [(2, "multiline-cell")]
    subjects, problems = load_roster(path, multiline_cells=True)
    assert problems == [] and [s.name for s in subjects] == ["王芳,翠湖花园,管家 000102,李娜"]


@pytest.mark.parametrize("end", ["", "\n", "\r\n"])
def test_a_line_too_long_stops_reading_in_bounded_memory(tmp_path: Path, end: str) -> None:
    path = tmp_path / "commas.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(f"工号,日期,考核项目{end or chr(10)}000101,2026-10-03,迟到{end or chr(10)}")
        fh.write("," * 3_000_000 + (end or "\r"))  # 3 million empty cells on one line
        fh.write(f"000101,2026-10-04,迟到{end or chr(13)}000101,2026-10-05,迟到{end}")
    table, _ = open_table(path)
    assert table is not None
    rows = list(table.rows)
    assert [line for line, _ in rows] == [2]
    assert [(d.line, d.code) for d in table.problems] == [(3, "line-too-long")]
    assert (table.lines, table.rejected) == (4, 3)  # the long line and the two after it are counted, not read
