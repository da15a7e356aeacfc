"""The receipt behind one person's figures (`kpi explain`): each item's records in words with file:line dimmed,
the arithmetic of the total, the band reached and how far the next band up is."""


from __future__ import annotations

import re

from rich.console import Group
from rich.table import Table
from rich.text import Text

from kpi_cli.engine.results import ItemScore, ScoreSheet, SubjectScore
from kpi_cli.rubric.model import Rubric
from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs.exporters.common import fixed
from kpi_cli.outputs.safe_text import plain
from kpi_cli.outputs import fidelity_view as fv
from kpi_cli.outputs.wording import (
    band_range,
    item_weights,
    not_applicable_text,
    rule_count_lines,
    rule_roles,
    veto_effect,
)


from kpi_cli.outputs.screen import signed, outcome_text


def item_lines(item: ItemScore, wipe_at: int | None, rubric: Rubric, role: str | None = None) -> list[str]:
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
        lines = item_lines(item, wipe_at, rubric, subject.role)
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
        parts.append(_dim_locations([f"奖扣分 {signed(a.points)}{adj_mark}: {a.reason}  ({a.record.location})"]))
    if s.adjustment_capped:
        parts.append(plain(f"奖扣分当期合计 {signed(s.adjustment_recorded)} 超出 ±{fmt(abs(s.adjustment_total))}: "
                           f"按 {signed(s.adjustment_total)} 计"))
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
