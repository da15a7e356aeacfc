"""Rich renderings for people: diagnostics, rubric lists and forms, score tables, receipts.

Every text that holds data (names, notes, departments, rubric wording, file names) enters rich
as :func:`~kpi_cli.outputs.safe_text.plain` ``Text``: never markup, control characters escaped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal

from rich.console import Group
from rich.measure import Measurement
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from kpi_cli.i18n import _
from kpi_cli.inputs.score_run import RowCounts, ScoreRun
from kpi_cli.engine.results import ItemScore, ScoreSheet, SubjectScore
from kpi_cli.rubric.model import Band, Rubric
from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs.exporters.common import fixed
from kpi_cli.outputs.safe_text import console as safe_console, plain
from kpi_cli.i18n import N_, _
from kpi_cli.outputs import fidelity_view as fv
from kpi_cli.outputs.wording import (
    band_range,
    item_weights,
    not_applicable_text,
    rule_count_lines,
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


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + fmt(value)


def _item_lines(item: ItemScore, wipe_at: int | None, rubric: Rubric, role: str | None = None) -> list[str]:
    lines: list[str] = []
    rubric_item = next((i for i in rubric.items if i.id == item.id), None)
    if rubric_item is not None:
        other = [f"{r.name}{rule_roles(r)}" for r in rubric_item.rules if not r.applies_to(role)]
        if other:
            lines.append(f"不适用于本岗位: {'、'.join(other)}")
        if rubric_item.weights is not None:
            lines.append(f"本项评分人: {item_weights(rubric, rubric_item)}")
    rules = rubric_item.rules if rubric_item is not None else ()
    for r in item.records:
        mark = fv.tag(rubric, rules[r.rule]) if 0 <= r.rule < len(rules) else ""
        if r.kind == "deduction":
            times = f" ×{r.count}" if r.count != 1 else ""
            cost = "" if r.points is None else f" −{fmt(r.deduction)}"  # escalating: the count decides, below
            lines.append(f"{r.date} {r.label.split(' / ')[-1]}{times}{cost}{mark}"
                         f"{' ' + r.note if r.note else ''}  ({r.location})")
        elif r.kind == "metric":
            lines.append(f"{r.date} {r.label.split(' / ')[-1]} = {fmt(r.value)}  ({r.location})")  # type: ignore[arg-type]
        elif r.kind == "rating":
            lines.append(f"{r.date} {rubric.raters[r.rater].name} 评 {fmt(r.score)}"  # type: ignore[arg-type]
                         f"{' ' + r.note if r.note else ''}  ({r.location})")
    for m in item.metrics:
        rule = next((x for x in rules if x.name == m.rule), None)
        lines.append(f"{m.rule}: {m.effect}{fv.tag(rubric, rule, *getattr(rule, 'bands', ()))}")
    if item.ratings:
        used = [f"{fmt(x.score)}×{fmt(x.used_weight)}" for x in item.ratings if x.score is not None]
        bands = ", ".join(f"{x.rater} {x.band}" for x in item.ratings if x.band)
        raters = [r for r in rubric.raters if any(x.rater == r.name for x in item.ratings)]
        own = rubric_item.weights if rubric_item is not None else None  # the item's own weights, not the raters'
        weights = fv.tag(rubric, *(raters if own is None else (own.get(r.id) for r in raters)))
        lines.append(f"加权{weights}: {' + '.join(used)} = {fmt(item.raw)}" + (f" ({bands})" if bands else ""))
        missing = [x.rater for x in item.ratings if x.score is None]
        if missing:
            lines.append(f"缺少 {', '.join(missing)} 的评分: 权重按其余评分人重新分配")
    if item.deducted and not item.ratings:
        lines.append(f"扣分合计 {fmt(item.deducted)} ({item.occurrences} 起)")
    counted = rule_count_lines(item.rule_counts)
    if counted:
        at = len(lines) - 1 if item.deducted and not item.ratings else len(lines)
        lines[at:at] = counted  # before the sum: escalations make it up; a rule's wipe ends the item
    if item.wiped and wipe_at is not None and item.occurrences >= wipe_at:
        lines.append(f"{item.occurrences} 起 ≥ {wipe_at} 起: 当月发生{wipe_at}起以上, 该分值全扣 → 0")
    elif item.floored:
        lines.append(f"{fmt(item.max)} − {fmt(item.max - item.raw)} < 0: 扣完为止 → 0")
    elif item.capped:
        lines.append(f"{fmt(item.raw)} > {fmt(item.max)}: 不超过分值 → {fmt(item.max)}")
    elif item.score < 0:
        lines.append(f"{fmt(item.max)} − {fmt(item.lost)} = {fmt(item.score)}: 扣分从合计中扣除 (不按项扣完为止)")
    return lines


def receipt(sheet: ScoreSheet, s: SubjectScore) -> Group:
    rubric = sheet.rubric
    subject = s.subject
    head = plain(f"{rubric.title} · {sheet.period.label}", "bold")
    who = plain(f"被考核人: {subject.name or '-'} ({subject.id}) · 部门: {subject.department or '-'} · "
               f"岗位: {subject.role or '-'}")
    table = Table(show_lines=True)
    table.add_column("考核项目")
    table.add_column("分值", justify="right")
    table.add_column("记录与计算", overflow="fold")
    table.add_column("得分", justify="right")
    for item in s.items:
        wipe_at = next((i.wipe_at for i in rubric.items if i.id == item.id), None)
        if item.not_applicable:
            lines = [not_applicable_text(item.not_applicable)]
            lines.extend(f"{r.date} {r.label} {r.note}  ({r.location})".replace("  (", " (") if r.note else
                         f"{r.date} {r.label}  ({r.location})" for r in item.records)
            if not item.records:
                lines.append("无任何评分或数值记录")
            shown = "不适用" if item.not_applicable == "rescale" else fmt(item.score)
            table.add_row(plain(item.name), plain(fmt(item.max)), _dim_locations(lines), plain(shown))
            continue
        lines = _item_lines(item, wipe_at, rubric, subject.role)
        source = next((i for i in rubric.items if i.id == item.id), None)
        name = item.name + (fv.tag(rubric, source, source.rating) if source is not None else "")
        table.add_row(plain(name), plain(fmt(item.max)), _dim_locations(lines or ["无记录: 满分"]),
                      plain(fmt(item.score)))
    parts: list[object] = [head]
    banner = fv.banner(rubric)
    if banner:
        parts.append(plain(banner, "bold reverse"))
    parts.extend((who, table))
    adj_mark = fv.tag(rubric, rubric.adjustments)
    for a in s.adjustments:
        parts.append(_dim_locations([f"奖扣分 {_signed(a.points)}{adj_mark}: {a.reason}  ({a.record.location})"]))
    if s.adjustment_capped:
        parts.append(plain(f"奖扣分当期合计 {_signed(s.adjustment_recorded)} 超出 ±{fmt(abs(s.adjustment_total))}: "
                           f"按 {_signed(s.adjustment_total)} 计"))
    for r in s.total_records:
        times = f" ×{r.count}" if r.count != 1 else ""
        mark = fv.tag(rubric, rubric.total_deductions[r.rule]) if 0 <= r.rule < len(rubric.total_deductions) else ""
        parts.append(_dim_locations([f"扣总分 {r.date} {r.label.split(' / ')[-1]}{times} −{fmt(r.deduction)}{mark}"
                                     f"{' ' + r.note if r.note else ''}  ({r.location})"]))
    decimals = rubric.rounding.decimals
    calc = f"合计: 各项 {fmt(s.item_total)}"
    if s.rescaled_from is not None:
        calc += f" × {fmt(rubric.total)} / {fmt(s.rescaled_from)} (不适用项不计, 按适用分值折算)"
    if s.adjustments or s.adjustment_total:
        calc += f" {'+' if s.adjustment_total >= 0 else '−'} 奖扣 {fmt(abs(s.adjustment_total))}{adj_mark}"
    if s.total_deducted:
        calc += f" − 扣总分 {fmt(s.total_deducted)}"
    if s.rescaled_from is not None or s.adjustments or s.adjustment_total or s.total_deducted:
        calc += f" = {fmt(s.raw_total)}"  # (nothing added or taken: no "各项 94.5 = 94.5")
    if s.bounded == "cap":
        calc += f" > 满分 {fmt(rubric.total)}: 不超过满分 → {fmt(rubric.total)}"
    elif s.bounded == "floor":
        calc += " < 0: 不低于0 → 0"
    if s.veto is None:
        if s.total != s.raw_total or s.bounded:
            calc += (f"; 保留{decimals}位小数 (四舍五入){fv.tag(rubric, rubric.rounding)} → "
                     f"总分 {fixed(s.total, decimals)}")
        else:
            calc += f" → 总分 {fixed(s.total, decimals)}"  # with the rubric's decimals, as in the table (85.0)
    parts.append(plain(calc, "bold"))
    if s.veto is not None:
        rows = "; ".join(f"{r.date} {r.label.split(' / ')[-1]}{' ' + r.note if r.note else ''} ({r.location})"
                         for r in s.veto_records)
        effect = veto_effect(s.veto)
        total = "" if effect.startswith(f"总分 {fmt(s.total)}") else f" → 总分 {fixed(s.total, decimals)}"
        parts.append(plain(f"一票否决: {rows} → {effect} (不论计算所得总分 {fmt(s.raw_total)}){total}", "bold"))
    if s.grade is not None:
        text = f"等级: {s.grade.label}{fv.tag(rubric, s.grade)} ({band_range(s.grade)})"
        if s.next_grade is not None and s.to_next_grade is not None:
            text += f"; 距 {s.next_grade.label} (≥{fmt(s.next_grade.min)}) 还差 {fmt(s.to_next_grade)} 分"  # type: ignore[arg-type]
        parts.append(plain(text))
    if s.outcome is not None:
        text = f"绩效结果: {outcome_text(s.outcome)}{fv.tag(rubric, s.outcome)} ({band_range(s.outcome)})"
        if s.outcome.pay is not None:
            text += f", 绩效工资发放 {fmt(s.outcome.pay * 100)}%"
        # the next band up is the one starting lowest above the total (not the one listed before it)
        above = [b for b in rubric.outcomes if b.min is not None and b.min > s.total and b is not s.outcome]
        if above and s.veto is None:  # no points lift a vetoed period
            better = min(above, key=lambda b: b.min)  # type: ignore[arg-type, return-value]
            text += f"; 距 {better.label} (≥{fmt(better.min)}) 还差 {fmt(better.min - s.total)} 分"  # type: ignore[operator]
            paid = s.outcome.pay or 0
            if better.pay is not None and better.pay <= paid:  # 调岗 → 发放0% pays no more: say where pay rises
                more = [b for b in above if b.pay is not None and b.pay > paid]
                if more:
                    first = min(more, key=lambda b: b.min)  # type: ignore[arg-type, return-value]
                    share = fmt(first.pay * 100)  # type: ignore[operator]
                    text += (f"; 距 {first.label} (≥{fmt(first.min)}, 绩效工资发放 {share}%) "
                             f"还差 {fmt(first.min - s.total)} 分")  # type: ignore[operator]
        parts.append(plain(text))
    if any("≈" in str(getattr(part, "plain", "")) for part in parts) or _has_rounded(table):
        parts.append(plain("≈ 只是显示时保留4位小数；计算始终用精确值，只在最后按考核表规定四舍五入一次。", "dim"))
    return Group(*parts)  # type: ignore[arg-type]


_LOCATION = re.compile(r"^(.*?)(\s+\([^()]*:[^()]*\))$", re.S)


def _dim_locations(lines: list[str]) -> Text:
    """The lines of a receipt cell, each record's file:line kept but dim (secondary to the figures)."""
    text = Text()
    for k, line in enumerate(lines):
        if k:
            text.append("\n")
        m = _LOCATION.match(line)
        if m:
            text.append_text(plain(m.group(1)))
            text.append_text(plain(m.group(2), "dim"))
        else:
            text.append_text(plain(line))
    return text


def _has_rounded(table: Table) -> bool:
    return any("≈" in str(getattr(cell, "plain", cell)) for column in table.columns for cell in column._cells)
