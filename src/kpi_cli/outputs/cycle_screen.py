"""The appraisal cycle on screen: a person's history (``kpi history``) and a roll-up (``kpi rollup``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from rich.table import Table
from rich.text import Text

from typing import TYPE_CHECKING

from kpi_cli.engine.history import PeriodResult
from kpi_cli.engine.numbers import fmt

if TYPE_CHECKING:  # only named in annotations: kpi history imports no scoring engine, rubric model or ledger view
    from kpi_cli.engine.results import ScoreSheet, SubjectScore
    from kpi_cli.engine.rollup import RollupScore, RollupSheet
    from kpi_cli.ledger.view import LedgerView

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Decimal]) -> str:
    """▁▃█: each value's height between the lowest and the highest; a flat series sits in the middle."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return BARS[3] * len(values)
    span = high - low
    return "".join(BARS[int((v - low) * (len(BARS) - 1) / span + Decimal("0.5"))] for v in values)


def change(now: Decimal, before: Decimal | None) -> str:
    """+10, −2.5, ±0, or empty when there is no previous period."""
    if before is None:
        return ""
    delta = now - before
    if delta > 0:
        return f"+{fmt(delta)}"
    if delta < 0:
        return f"−{fmt(-delta)}"
    return "±0"


def repeat_offences(results: Sequence[PeriodResult]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Items whose deductions occurred in more than one period: (item name, [(period, occurrences)])."""
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in results:
        for item in r.items:
            if item.occurrences:
                seen[item.id].append((str(r.period), item.occurrences))
                names[item.id] = item.name
    return [(names[k], v) for k, v in seen.items() if len(v) > 1]


def history_tables(subject_id: str, results: Sequence[PeriodResult]) -> list[Table | Text]:
    """One block per rubric: the periods, the trend, the repeat offences and the rules across periods."""
    blocks: list[Table | Text] = []
    by_rubric: dict[str, list[PeriodResult]] = defaultdict(list)
    for r in results:
        by_rubric[r.rubric_id].append(r)
    for rubric_id, rows in by_rubric.items():
        last = rows[-1]
        head = Text(f"{last.name} ({subject_id}) · {last.department} · {rubric_id}", style="bold")
        blocks.append(head)
        table = Table(show_edge=False, pad_edge=False)
        for header, right in (("期间", False), ("总分", True), ("变化", True), ("等级", False), ("绩效结果", False),
                              ("名次", True), ("部门名次", True), ("版本", True), ("跨期规则", False)):
            table.add_column(header, justify="right" if right else "left")
        previous: Decimal | None = None
        for r in rows:
            flags = "; ".join(f.text for f in r.flags)
            table.add_row(str(r.period), fmt(r.total), change(r.total, previous), Text(r.grade or ""),
                          Text(r.outcome or ""), str(r.rank), str(r.department_rank), str(r.version), Text(flags))
            previous = r.total
        blocks.append(table)
        totals = [r.total for r in rows]
        blocks.append(Text(f"趋势 {sparkline(totals)}  {fmt(totals[0])} → {fmt(totals[-1])} ({len(rows)} 期)"))
        repeats = repeat_offences(rows)
        if repeats:
            lines = [f"  {name}: " + ", ".join(f"{p} ×{n}" for p, n in periods) for name, periods in repeats]
            blocks.append(Text("多次扣分的项目 (repeat offences):\n" + "\n".join(lines)))
    return blocks


def rollup_table(sheet: RollupSheet) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("名次", justify="right")
    table.add_column("工号")
    table.add_column("姓名")
    table.add_column("部门")
    for period in sheet.periods:
        table.add_column(str(period), justify="right")
    table.add_column("总分", justify="right")
    if any(s.grade for s in sheet.subjects):
        table.add_column("等级")
    if any(s.outcome for s in sheet.subjects):
        table.add_column("结果")
    table.add_column("部门名次", justify="right")
    has_grade = any(s.grade for s in sheet.subjects)
    has_outcome = any(s.outcome for s in sheet.subjects)
    for s in sheet.subjects:
        row: list[str | Text] = [str(s.rank), Text(s.subject_id), Text(s.name), Text(s.department)]
        row.extend(part_text(p.value, p.result is None) for p in s.parts)
        row.append(fmt(s.total))
        if has_grade:
            row.append(Text(s.grade.label if s.grade else ""))
        if has_outcome:
            row.append(Text(s.outcome.label if s.outcome else ""))
        row.append(str(s.department_rank))
        table.add_row(*row)
    return table


def part_text(value: Decimal | None, missing: bool) -> str:
    if value is None:
        return "缺"
    return fmt(value) + ("(缺→0)" if missing else "")


def rollup_receipt(sheet: RollupSheet, s: RollupScore) -> list[str]:
    """``kpi explain --rollup``: each period used, the arithmetic, the rounding and the band."""
    rule = sheet.rule
    method = {"mean": "各期总分的平均", "weighted": "各期总分的加权平均", "sum": "各期项目得分之和"}[rule.method]
    missing = {"refuse": "缺期拒绝汇总", "present": "按已有各期计算", "zero": "缺期按0分计"}[rule.missing]
    lines = [f"{s.name} ({s.subject_id}) · {s.department} · {sheet.rubric_id} {sheet.span.label} ({sheet.span})",
             f"来源: {sheet.source_id} 已关闭的 {len(sheet.closed)}/{len(sheet.periods)} 期; 方法: {method}; {missing}"]
    for p in s.parts:
        if p.result is None:
            lines.append(f"  {p.period}: 无结果" + (" → 0" if p.value is not None else " (不计入)"))
            continue
        r = p.result
        weight = f" × 权重 {fmt(p.weight)}" if rule.method == "weighted" else ""
        figure = f"项目合计+奖扣 {fmt(r.raw_total)}" if rule.method == "sum" else f"总分 {fmt(r.total)}"
        lines.append(f"  {p.period}: {figure}{weight} ({r.grade or '-'}, 第{r.rank}名, 版本 {r.version})")
    from kpi_cli.engine.rollup import working

    lines.append(f"  计算: {working(s)}")
    lines.append(f"  四舍五入保留{rule.rounding.decimals}位小数: {fmt(s.total)}")
    if s.grade is not None:
        lines.append(f"  等级: {s.grade.label}")
    if s.outcome is not None:
        lines.append(f"  结果: {s.outcome.label}" + (f" ({s.outcome.action})" if s.outcome.action else ""))
    lines.append(f"  名次 {s.rank}/{len(sheet.subjects)}, 部门名次 {s.department_rank}")
    return lines


def change_lines(sheet: ScoreSheet, view: LedgerView, limit: int | None = None) -> list[str]:
    """``kpi score`` with a ledger: each person's change from the last closed period, and the rules across
    periods the period would trigger (with the periods that trigger them)."""
    lines: list[str] = []
    if view.previous is not None:
        up = down = same = new = 0
        rows: list[str] = []
        for s in sheet.subjects:
            before = view.before(s.subject.id)
            if before is None:
                new += 1
                rows.append(f"  {s.subject.id} {s.subject.name}: {fmt(s.total)} (上期无)")
                continue
            delta = s.total - before.total
            up, down, same = up + (delta > 0), down + (delta < 0), same + (delta == 0)
            grade = f", {before.grade} → {s.grade.label}" if s.grade and before.grade and before.grade != \
                s.grade.label else ""
            rows.append(f"  {s.subject.id} {s.subject.name}: {fmt(before.total)} → {fmt(s.total)} "
                        f"({change(s.total, before.total)}{grade})")
        lines.append(f"与上期 {view.previous} 相比 ({view.where}): 升 {up} 人, 降 {down} 人, 持平 {same} 人, "
                     f"上期无 {new} 人")
        shown = rows if limit is None else rows[:limit]
        lines.extend(shown)
        if len(rows) > len(shown):
            lines.append(f"  … 另 {len(rows) - len(shown)} 人 (kpi history 工号)")
    names = {s.subject.id: s.subject.name for s in sheet.subjects}
    for subject_id, flags in sorted(view.flags.items()):
        for flag in flags:
            lines.append(f"跨期规则 {subject_id} {names.get(subject_id, '')}: {flag.text}")
    return lines


def subject_cycle_lines(s: SubjectScore, view: LedgerView) -> list[str]:
    """``kpi explain`` with a ledger: the change from the last closed period, the trend, the rules triggered."""
    lines: list[str] = []
    trend = view.trend(s.subject.id)
    before = view.before(s.subject.id)
    if before is not None:
        lines.append(f"上期 {before.period}: {fmt(before.total)} ({before.grade or '-'}) → 本期 {fmt(s.total)} "
                     f"({change(s.total, before.total)})")
    elif view.previous is not None:
        lines.append(f"上期 {view.previous}: 无结果")
    if trend:
        totals = [r.total for r in trend] + [s.total]
        lines.append(f"趋势 {sparkline(totals)}  {' → '.join(fmt(t) for t in totals)}")
    for flag in view.flags.get(s.subject.id, ()):
        lines.append(f"跨期规则: {flag.text}")
    return lines
