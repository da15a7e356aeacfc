"""The score table at 60, 80, 100 and 160 columns (rich cell widths: a CJK character takes two): 工号 and 姓名
are never cut, and two different items never show the same short name."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from conftest import EXAMPLES, RUBRICS
from kpi_cli.inputs.score_run import score_log
from kpi_cli.outputs.exporters.common import fixed
from kpi_cli.outputs.screen import _short, score_table
from kpi_cli.rubric.loader import load_rubric


@pytest.fixture(scope="module")
def sheet():
    rubric, problems = load_rubric(RUBRICS / "guanjia.yaml")
    assert rubric is not None, problems
    run = score_log(EXAMPLES / "guanjia-2026-10.csv", rubric, roster=EXAMPLES / "roster.csv")
    assert run.sheet is not None
    return run.sheet


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_ids_and_names_are_never_cut(sheet, width: int) -> None:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(score_table(sheet, width))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert max(cell_len(line) for line in out.splitlines()) <= width  # (every line within the terminal)
    for s in sheet.subjects:
        assert s.subject.id in out and s.subject.name in out, (width, s.subject.id, s.subject.name)
    assert "黄晓燕" in out  # a three-character name, whole


def test_short_item_names_stay_apart() -> None:
    names = ["小区环境卫生", "小区安全巡查", "考勤纪律", "服务质量（含投诉）"]
    shorts = [_short(n, names) for n in names]
    assert len(set(shorts)) == len(shorts), shorts
    assert shorts[2] == "考勤纪律" and shorts[3] == "服务质量"  # no longer than needed
    assert _short("小区环境卫生", names) == "小区环境" and _short("小区安全巡查", names) == "小区安全"
    # the same first four characters: the headings grow until they differ (not two "小区环境 −5")
    same = ["小区环境卫生", "小区环境绿化"]
    assert [_short(n, same) for n in same] == ["小区环境卫", "小区环境绿"]


# Every shipped example month, at each width: (log, rubric) as README's examples run them.
MONTHS = [("guanjia-2026-10.csv", "guanjia"), ("guanliyuan-2026-10.csv", "guanliyuan"), ("jidu-2026Q3.csv", "jidu"),
          ("kefu-2026-10.csv", "kefu"), ("zhibiao-2026-10.csv", "zhibiao"), ("zhongxin-2026-10.csv", "zhongxin")]


def _rendered(log: str, rubric_id: str, width: int):
    rubric, problems = load_rubric(RUBRICS / f"{rubric_id}.yaml")
    assert rubric is not None, problems
    run = score_log(EXAMPLES / log, rubric, roster=EXAMPLES / "roster.csv")
    assert run.sheet is not None and run.sheet.subjects, run.diagnostics
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(score_table(run.sheet, width))
    return run.sheet, console.file.getvalue()  # type: ignore[attr-defined]


def _columns(out: str) -> tuple[list[str], list[list[list[str]]]]:
    """The headings, and each person's row as its columns' lines (the table read back from the screen)."""
    headings: list[str] = []
    rows: list[list[list[str]]] = []
    for line in out.splitlines():
        if line.startswith("┃"):
            parts = [p.strip() for p in line.strip("┃").split("┃")]
            headings = [a + b for a, b in zip(headings, parts)] if headings else parts
        elif line.startswith("│"):
            cells = [p.strip() for p in line.strip("│").split("│")]
            starts = cells[headings.index("工号")] != ""
            if starts:
                rows.append([[c] if c else [] for c in cells])
            else:
                for column, c in zip(rows[-1], cells):
                    if c:
                        column.append(c)
    return headings, rows


@pytest.mark.parametrize("width", [60, 80, 100, 160])
@pytest.mark.parametrize(("log", "rubric_id"), MONTHS, ids=[m[1] for m in MONTHS])
def test_every_example_fits_and_keeps_what_matters(log: str, rubric_id: str, width: int) -> None:
    """Within the width (cell widths: 黄晓燕 is six); 工号 and 总分 whole on their line; 姓名 whole (a unit's long
    name, 金域华府客户服务中心, may go over two lines at 60 columns, never cut); 部门 wraps once at most."""
    sheet, out = _rendered(log, rubric_id, width)
    assert max(cell_len(line) for line in out.splitlines()) <= width, out
    headings, rows = _columns(out)
    assert {"工号", "姓名", "部门", "总分"} <= set(headings), headings
    assert len(rows) == len(sheet.subjects)
    for s, row in zip(sheet.subjects, rows):
        cell = dict(zip(headings, row))
        assert cell["工号"] == [s.subject.id], (width, cell["工号"])
        assert cell["总分"] == [fixed(s.total, sheet.rubric.rounding.decimals)], (width, cell["总分"])
        assert "".join(cell["姓名"]).startswith(s.subject.name), (width, cell["姓名"])  # (the 岗位 may follow)
        if len(s.subject.name) <= 4:
            assert cell["姓名"][0] == s.subject.name  # a person's name is never wrapped
        assert "".join(cell["部门"]) == (s.subject.department or ""), (width, cell["部门"])
        assert len(cell["部门"]) <= 2, (width, cell["部门"])


@pytest.mark.parametrize("width", [60, 80])
def test_a_narrow_table_keeps_the_outcome_and_shows_what_it_moved(sheet, width: int) -> None:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(score_table(sheet, width))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    headings, rows = _columns(out)
    assert "绩效结果" in headings
    outcomes = ["".join(dict(zip(headings, row))["绩效结果"]) for row in rows]
    assert outcomes == [s.outcome.label for s in sheet.subjects]  # 发放100% whole, not 发放10 / 0%
    if "奖扣" not in headings:  # moved under 失分项, with the sign the screen uses everywhere (−, not -)
        lost = ["\n".join(dict(zip(headings, row))["失分项"]) for row in rows]
        assert any("奖扣 +2" in text for text in lost) and any("奖扣 −3" in text for text in lost)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_hostile_long_name_never_squeezes_the_total(tmp_path, width: int) -> None:
    """Red team (issue 11): a 姓名 of 90 characters and a 工号 of 40 once kept their whole width and squeezed the
    总分 column to "9…"; every total stays whole and the table stays within the terminal."""
    import re

    from conftest import ROOT

    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,部门,岗位\n000101," + "王" * 90 + ",翠湖,管家\n000102,李娜,翠湖,管家\n"
                      + "0" * 40 + ",张伟,金域,客服员\n", encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,数值,评分人,评分\n" + "".join(
        f"{i},2026-10-31,收缴率,,96,,\n{i},2026-10-31,服务态度,,,自评,28\n{i},2026-10-31,服务态度,,,直接上级,29\n"
        for i in ("000101", "000102", "0" * 40)), encoding="utf-8")
    rubric, problems = load_rubric(ROOT / "tests/data/input/rubric.yaml")
    assert rubric is not None, problems
    run = score_log(log, rubric, roster=roster)
    assert run.sheet is not None, run.diagnostics
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(score_table(run.sheet, width))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert max(cell_len(line) for line in out.splitlines()) <= width
    assert not re.search(r"\d…", out)  # no figure cut
    # 30 + 40 + 0.3 x 28 + 0.7 x 29 = 98.7 for each of the three
    assert out.count("98.7") == 3 and "李娜" in out
