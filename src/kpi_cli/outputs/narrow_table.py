"""The compact score table on a narrow terminal (60, 80 columns): what gives way, least important first.

rich's cell widths count a CJK character as two.  Every column gets a fixed width from its content; 部门 gets what
is left, at least half of its widest (so it wraps once at most); 工号, 姓名 and 总分 are never cut.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.table import Table

from kpi_cli.engine.results import ScoreSheet
from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs.exporters.common import fixed
from kpi_cli.outputs.safe_text import plain
from kpi_cli.outputs.screen import _short, signed


# What gives way on a narrow terminal, least important first: each step is tried in turn, with the ones before
# it, until the table fits.  工号, 姓名 and 总分 are never cut; 部门 wraps once at most.
_NARROWING = ("drop_department_rank", "role_under_name", "adjustments_with_lost", "grade_with_outcome",
              "drop_rank", "drop_role", "outcome_wraps", "name_wraps")
_OUTCOMES = ("绩效结果", "等级", "等级/结果")


def _half(cells: int) -> int:
    """Half of ``cells`` (at least 4), rounded up to whole CJK characters: a text that wraps once at most."""
    half = -(-cells // 2)
    return max(4, half + half % 2)


def _wrapped_width(widest: int, cells: list[str]) -> int:
    """The width of a column of labels that may wrap once: a label in Chinese characters only can break
    anywhere, one with digits or signs (发放100%) is kept whole."""
    whole = [cell_len(line) for cell in cells for line in cell.split("\n") if not _CJK_ONLY.fullmatch(line)]
    return max([_half(widest), *whole])


_CJK_ONLY = re.compile(r"[\u3400-\u9fff]*")


def narrow_table(sheet: ScoreSheet, width: int, limit: int | None) -> Table:
    """The compact table made to fit ``width`` (rich cell widths: a CJK character is two) by the steps of
    :data:`_NARROWING`; every column gets a fixed width, 部门 what is left (at least half of its widest)."""
    for steps in range(1, len(_NARROWING) + 1):
        columns = _narrow_columns(sheet, set(_NARROWING[:steps]), limit)
        if "outcome_wraps" in _NARROWING[:steps]:  # 调岗或开除 may wrap; 发放100% stays whole
            columns = [(h, _wrapped_width(w, c) if h in _OUTCOMES else w, c) for h, w, c in columns]
        if "name_wraps" in _NARROWING[:steps]:  # a unit's long name (金域华府客户服务中心) over two lines, never cut
            columns = [(h, max(8, _half(w)) if h == "姓名" else w, c) for h, w, c in columns]
        fixed_width = sum(w for heading, w, _cells_ in columns if heading != "部门")
        widest = next(w for heading, w, _cells_ in columns if heading == "部门")
        least = _half(widest)
        left = width - fixed_width - 2 * len(columns)
        if left >= least or steps == len(_NARROWING):
            break
    rubric = sheet.rubric
    table = Table(title=plain(f"{rubric.title} · {sheet.period.label}"), pad_edge=False, collapse_padding=True)
    for heading, w, _cells_ in columns:
        if heading == "部门":
            w = max(least, min(widest, left))
        table.add_column(heading, width=w, overflow="fold", no_wrap=heading not in ("部门", "姓名", "工号", *_OUTCOMES),
                         justify="right" if heading in ("名次", "奖扣", "扣总分", "总分", "部门名次") else "left")
    for row in zip(*(cells for _h, _w, cells in columns)):
        table.add_row(*(plain(cell) for cell in row))
    return table


def _narrow_columns(sheet: ScoreSheet, steps: set[str], limit: int | None) -> list[tuple[str, int, list[str]]]:
    """(heading, width, cells) of each column of the compact table after the narrowing ``steps``."""
    rubric = sheet.rubric
    names = [item.name for item in rubric.items]
    subjects = sheet.subjects[:limit]
    show_role = len(rubric.roles) > 1
    columns: list[tuple[str, list[str]]] = []
    if "drop_rank" not in steps:
        columns.append(("名次", [str(s.rank) for s in subjects]))
    columns.append(("工号", [s.subject.id for s in subjects]))
    if "drop_role" in steps:
        show_role = False
    if show_role and "role_under_name" in steps:
        columns.append(("姓名", [f"{s.subject.name}\n{s.subject.role or ''}".rstrip() for s in subjects]))
    else:
        columns.append(("姓名", [s.subject.name for s in subjects]))
    columns.append(("部门", [s.subject.department or "" for s in subjects]))
    if show_role and "role_under_name" not in steps:
        columns.append(("岗位", [s.subject.role or "" for s in subjects]))
    lost = []
    for s in subjects:
        lines = [f"{_short(i.name, names)} −{fmt(i.lost)}" for i in s.items if i.lost]
        if "adjustments_with_lost" in steps:
            if s.adjustments or s.adjustment_total:
                adj = s.adjustment_total
                lines.append(f"奖扣 {'+' if adj > 0 else '−' if adj < 0 else ''}{fmt(abs(adj))}")
            if s.total_deducted:
                lines.append(f"扣总分 −{fmt(s.total_deducted)}")
        lost.append("\n".join(lines) or "—")
    columns.append(("失分项", lost))
    if "adjustments_with_lost" not in steps:
        if rubric.adjustments is not None:
            columns.append(("奖扣", [signed(s.adjustment_total) if s.adjustments or s.adjustment_total else ""
                                     for s in subjects]))
        if rubric.total_deductions:
            columns.append(("扣总分", ["−" + fmt(s.total_deducted) if s.total_deducted else "" for s in subjects]))
    columns.append(("总分", [fixed(s.total, rubric.rounding.decimals) + (" 否决" if s.veto is not None else "")
                           for s in subjects]))
    grades = [s.grade.label if s.grade else "" for s in subjects]
    outcomes = [s.outcome.label if s.outcome else "" for s in subjects]
    if rubric.grades and rubric.outcomes and "grade_with_outcome" in steps:
        columns.append(("等级/结果", [f"{g}\n{o}" for g, o in zip(grades, outcomes)]))
    else:
        if rubric.grades:
            columns.append(("等级", grades))
        if rubric.outcomes:
            columns.append(("绩效结果", outcomes))
    if "drop_department_rank" not in steps:
        columns.append(("部门名次", [str(s.department_rank) for s in subjects]))
    return [(heading, min(_CAPPED.get(heading, 1 << 30), max([min(cell_len(heading), 4)] + [
        cell_len(line) for cell in cells for line in cell.split("\n")])), cells) for heading, cells in columns]


# A 工号 or 姓名 longer than this folds in its column: a hostile one of 90 characters once took the table's whole
# width and pushed 总分 off the screen (red team, issue 11).  Real ones fit: 工号 of 10, names of 6 characters.
_CAPPED = {"工号": 10, "姓名": 12}
