"""The score table at 60, 80, 100 and 160 columns (rich cell widths: a CJK character takes two): 工号 and 姓名
are never cut, and two different items never show the same short name."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from conftest import EXAMPLES, RUBRICS
from kpi_cli.inputs.score_run import score_log
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
    assert max(len(line) for line in out.splitlines()) <= width  # (every line within the terminal)
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
