"""Rich renderings for people: diagnostics, rubric lists and forms, score tables, receipts.

Every text that holds data (names, notes, departments, rubric wording, file names) enters rich
as :func:`~kpi_cli.outputs.safe_text.plain` ``Text``: never markup, control characters escaped.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from rich.console import Group
from rich.measure import Measurement
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from kpi_cli.i18n import _
from kpi_cli.inputs.score_run import RowCounts, ScoreRun
from kpi_cli.engine.results import ScoreSheet
from kpi_cli.rubric.model import Band, Rubric
from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs.exporters.common import fixed
from kpi_cli.outputs.safe_text import console as safe_console, plain
from kpi_cli.i18n import N_
from kpi_cli.outputs import fidelity_view as fv
from kpi_cli.outputs.wording import (
    band_range,
    item_weights,
    not_applicable_text,
    rule_points,
    rule_roles,
    veto_effect,
)


def _cells(*values: object) -> list[Text]:
    """Table cells from data: each one a plain ``Text`` (see :mod:`kpi_cli.outputs.safe_text`)."""
    return [plain(v) for v in values]


def outcome_text(band: Band | None) -> str:
    if band is None:
        return ""
    parts = [band.label]
    if band.action:
        parts.append(band.action)
    return "；".join(parts)


def rubrics_table(rows: Iterable[tuple[str, Rubric]]) -> Table:
    table = Table(title=_("Rubrics"), show_lines=False)
    for heading in (N_("id"), N_("title"), N_("period"), N_("subject"), N_("roles"), N_("total"), N_("items"),
                    N_("file")):
        table.add_column(_(heading), overflow="fold")
    for path, r in rows:
        table.add_row(*_cells(r.id, r.title, r.period, r.subject, "、".join(r.roles), fmt(r.total), len(r.items), path))
    return table


def rubric_form(rubric: Rubric) -> Group:
    """The blank form, as a team leader would print it."""
    head = plain(f"{rubric.title}  ({rubric.id})", "bold")
    facts = plain(f"考核周期: {'月度' if rubric.period == 'month' else '季度'} · 适用岗位: {'、'.join(rubric.roles)} · "
                 f"合计: {fmt(rubric.total)}分 · 保留{rubric.rounding.decimals}位小数 (四舍五入)")
    table = Table(show_lines=False)
    table.add_column("序号", justify="right")
    table.add_column("考核项目")
    table.add_column("考核标准 (名称 / 别名)", overflow="fold")
    table.add_column("扣分", overflow="fold")
    table.add_column("分值", justify="right")
    facts.append(plain(f"{fv.tag(rubric, rubric)}\n{fv.policy(rubric)}"))
    if rubric.raters:
        raters = " + ".join(f"{r.name}×{fmt(r.weight * 100)}%{fv.tag(rubric, r)}" for r in rubric.raters)
        policy = "缺评时拒绝计分" if rubric.missing_rating == "refuse" else "缺评时按其余评分人重新分配权重"
        facts.append(plain(f"\n评分人: {raters} ({policy})"))
    for n, item in enumerate(rubric.items, start=1):
        name = item.name + (f" ({'、'.join(item.roles)})" if item.roles else "") + fv.tag(rubric, item, item.rating)
        rows: list[tuple[str, str]] = []
        if item.rating is not None:
            who = f": {item_weights(rubric, item)}" if item.weights is not None else ""
            rows.append((f"评分 (由评分人打分{who})", f"0-{fmt(item.max)}分"))
            rows.extend((f"{b.label}{fv.tag(rubric, b)}",
                         f"{fmt(b.min)}-{fmt(b.max)}分{'' if b.include_max else '(不含' + fmt(b.max) + '分)'}")
                        for b in item.rating.bands)
        for rule in item.rules:
            alias = f" ({'、'.join(rule.aliases)})" if rule.aliases else ""
            rows.append((f"{rule.name}{alias}{rule_roles(rule)}{fv.tag(rubric, rule, *getattr(rule, 'bands', ()))}",
                         rule_points(rule)))
        if item.wipe_at:
            rows.append((f"当月发生{item.wipe_at}起以上,该分值全扣", "全扣"))
        if item.not_applicable:
            rows.append((f"不适用时: {not_applicable_text(item.not_applicable).split(': ', 1)[1]}", ""))
        for k, (standard, points) in enumerate(rows):
            first = k == 0
            table.add_row(*_cells(n if first else "", name if first else "", standard, points,
                                  fmt(item.max) if first else ""), end_section=k == len(rows) - 1)
    parts: list[object] = [head]
    banner, adopted = fv.banner(rubric), fv.adoption(rubric)
    if banner or adopted:
        parts.append(plain(banner or adopted, "bold reverse" if banner else ""))
    parts.extend((facts, table))
    if rubric.adjustments is not None:
        parts.append(plain(fv.adjustment_rule(rubric)))
    for rule in rubric.total_deductions:
        alias = f" ({'、'.join(rule.aliases)})" if rule.aliases else ""
        parts.append(plain(f"扣总分 (不计入单项): {rule.name}{alias}{rule_roles(rule)} {rule_points(rule)}"
                           f"{fv.tag(rubric, rule)}"))
    for veto in rubric.vetoes:
        parts.append(plain(f"一票否决: {veto.name}{rule_roles(veto)} → {veto_effect(veto)}{fv.tag(rubric, veto)}"))
    for title, bands in (("等级", rubric.grades), ("绩效结果", rubric.outcomes)):
        if bands:
            t = Table(title=title)
            t.add_column("总分")
            t.add_column(title)
            has_pay = any(b.pay is not None for b in bands)
            has_action = any(b.action for b in bands)
            if has_pay:
                t.add_column("绩效工资")
            if has_action:
                t.add_column("处理")
            for b in bands:
                cells = [band_range(b), b.label + fv.tag(rubric, b)]
                if has_pay:
                    cells.append("" if b.pay is None else f"{fmt(b.pay * 100)}%")
                if has_action:
                    cells.append(b.action or "")
                t.add_row(*_cells(*cells))
            parts.append(t)
    notes = fv.note_lines(rubric)
    if notes:
        parts.append(plain(fv.notes_heading() + "\n" + "\n".join(notes)))
    return Group(*parts)  # type: ignore[arg-type]


def _short(name: str, others: Iterable[str] = ()) -> str:
    """A column heading: the name up to its first bracket or slash, at most 4 characters, and longer when
    another item of the rubric (``others``) would show the same (two items never both read ``小区 −5``)."""
    stem = name
    for mark in "(（/、":
        stem = stem.split(mark, 1)[0] or stem
    rivals = [o for o in others if o != name]
    for size in range(4, len(name) + 1):
        short = (stem if size <= len(stem) else name)[:size]
        if not any(_short(o)[:size] == short or o[:size] == short for o in rivals):
            return short
    return name


#: The most people the score table shows on a screen: more take minutes to lay out and nobody reads them there.
SCREEN_ROWS = 200


def score_table(sheet: ScoreSheet, width: int, layout: str = "auto", limit: int | None = None) -> Table:
    """The full table (a column per item) when it fits ``width`` uncut, else the compact one.

    ``limit``: show only the first (best) ``limit`` subjects; see :func:`more_note`.
    """
    if layout != "auto":
        return _score_table(sheet, compact=layout == "compact", limit=limit)
    full = _score_table(sheet, compact=False, limit=limit)
    measure = safe_console(width=100_000, file=io.StringIO())
    if Measurement.get(measure, measure.options, full).maximum <= width:
        return full
    compact = _score_table(sheet, compact=True, limit=limit)
    if Measurement.get(measure, measure.options, compact).maximum <= width:
        return compact
    from kpi_cli.outputs.narrow_table import narrow_table

    return narrow_table(sheet, width, limit)


def more_note(sheet: ScoreSheet, limit: int | None) -> str | None:
    """What a table cut at ``limit`` rows leaves out, and where the whole of it is; None when nothing is cut."""
    count = len(sheet.subjects)
    if limit is None or count <= limit:
        return None
    return _("showing the first {shown} of {count} people (best first); the summary below counts everyone. "
             "For the whole table write a file: --output results.xlsx (or .csv, .json)").format(shown=limit,
                                                                                                count=count)


def _score_table(sheet: ScoreSheet, compact: bool, limit: int | None = None) -> Table:
    rubric = sheet.rubric
    names = [item.name for item in rubric.items]
    show_role = len(rubric.roles) > 1
    table = Table(title=plain(f"{rubric.title} · {sheet.period.label}"), show_footer=False, pad_edge=False,
                  collapse_padding=True)
    table.add_column("名次", justify="right")
    table.add_column("工号", no_wrap=True, min_width=max((len(s.subject.id) for s in sheet.subjects), default=2))
    table.add_column("姓名", no_wrap=True, min_width=max((cell_len(s.subject.name) for s in sheet.subjects), default=4))
    table.add_column("部门", overflow="fold")
    if show_role:
        table.add_column("岗位", overflow="fold")
    if compact:
        table.add_column("失分项", no_wrap=True)
    else:
        for item in rubric.items:
            table.add_column(plain(_short(item.name, names)), justify="right")
    if rubric.adjustments is not None:
        table.add_column("奖扣", justify="right")
    if rubric.total_deductions:
        table.add_column("扣总分", justify="right")
    table.add_column("总分", justify="right")
    if rubric.grades:
        table.add_column("等级")
    if rubric.outcomes:
        table.add_column("绩效结果", overflow="fold")
    table.add_column("部门名次", justify="right")
    for s in sheet.subjects[:limit]:
        row = [str(s.rank), s.subject.id, s.subject.name, s.subject.department]
        if show_role:
            row.append(s.subject.role or "")
        if compact:
            row.append("\n".join(f"{_short(i.name, names)} −{fmt(i.lost)}" for i in s.items if i.lost) or "—")
        else:
            by_id = {i.id: i for i in s.items}
            row.extend(("不适用" if by_id[item.id].not_applicable == "rescale" else fmt(by_id[item.id].score))
                       if item.id in by_id else "" for item in rubric.items)
        if rubric.adjustments is not None:
            adj = s.adjustment_total
            row.append(("+" if adj > 0 else "") + fmt(adj) if s.adjustments or adj else "")
        if rubric.total_deductions:
            row.append("−" + fmt(s.total_deducted) if s.total_deducted else "")
        row.append(fixed(s.total, rubric.rounding.decimals) + (" 否决" if s.veto is not None else ""))  # 85.0, not 85
        if rubric.grades:
            row.append(s.grade.label if s.grade else "")
        if rubric.outcomes:
            row.append(s.outcome.label if s.outcome else "")
        row.append(str(s.department_rank))
        table.add_row(*_cells(*row))
    return table


def summary_text(sheet: ScoreSheet) -> Text:
    s = sheet.summary
    parts = [f"人数 {s.count}"]
    if s.count:
        decimals = sheet.rubric.rounding.decimals
        parts.append(f"平均 {fmt(s.mean)}  最低 {fixed(s.minimum, decimals)}  "  # type: ignore[arg-type]
                     f"最高 {fixed(s.maximum, decimals)}")  # type: ignore[arg-type]
    if s.per_grade:
        parts.append("  ".join(f"{label} {n}" for label, n in s.per_grade))
    if s.per_outcome:
        parts.append("  ".join(f"{label} {n}" for label, n in s.per_outcome))
    return plain(" · ".join(parts))


def counts_text(counts: RowCounts) -> str:
    text = _("rows read {read}: used {used}, outside the period {outside}, in error {errors}").format(
        read=counts.read, used=counts.used, outside=counts.outside_period, errors=counts.errors)
    if counts.joined:
        text += _(", joined to the line above {joined}").format(joined=counts.joined)
    return text


def run_footer(run: ScoreRun) -> list[str]:
    lines = [counts_text(run.counts)]
    lines.extend(run.notes)
    return lines


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + fmt(value)
