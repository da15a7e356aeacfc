"""How a rubric's rules are put into words on screen and on the printed forms."""

from __future__ import annotations

from decimal import Decimal

from kpi_cli.engine.results import RuleCount
from kpi_cli.rubric.fidelity import marked
from kpi_cli.rubric.model import Band, DeductionRule, Item, MetricRule, PointRange, Rubric, Veto
from kpi_cli.engine.scoring import fmt


def rule_points(rule: DeductionRule | MetricRule) -> str:
    """扣2分/次, 扣1-2分/次, 按完成比例计分 (目标 95%), 低于95% 扣10分, or the value bands."""
    if isinstance(rule, DeductionRule):
        p = rule.points
        if isinstance(p, PointRange):
            text = f"扣{fmt(p.min)}-{fmt(p.max)}分/次"
        elif isinstance(p, tuple):
            text = escalation(p)
        else:
            text = f"扣{fmt(p)}分/次"
        text += f"; 当月{rule.wipe_at}次以上该项全扣" if rule.wipe_at else ""
        if rule.team == "share":
            return text + "; 部门记录由全部门分摊"
        # repeat is the default of every rule; a rubric that declares it (a department's event) says so
        return text + ("; 部门记录每人各扣" if "team" in rule.model_fields_set else "")
    unit = "%" if rule.unit == "percent" else ""
    if rule.scoring == "proportional":
        floor = "" if rule.zero_below is None else f", 低于{fmt(rule.zero_below)}{unit}得0分"
        return f"按完成比例计分 (目标 {fmt(rule.target)}{unit}{floor})"  # type: ignore[arg-type]
    if rule.scoring == "bands":
        return "; ".join(f"{'' if b.min is None else fmt(b.min) + unit + '≤'}值"
                         f"{'' if b.max is None else '<' + fmt(b.max) + unit}: {fmt(b.points)}分" for b in rule.bands)
    word = "低于" if rule.scoring == "below" else "高于"
    return f"{word}{fmt(rule.threshold)}{unit} 扣{fmt(rule.points)}分"  # type: ignore[arg-type]


def band_range(band: Band, *, unit: str = "", name: str = "x", gap: str = " ") -> str:
    """A band of totals: ``≥ 90``, ``80 ≤ x < 90``, ``< 70``; the forms write ``90分≤总分<95分``
    (``unit="分", name="总分", gap=""``)."""
    if band.min is None and band.max is None:
        return "全部"
    if band.min is None:
        return f"<{gap}{fmt(band.max)}{unit}"  # type: ignore[arg-type]
    if band.max is None:
        return f"≥{gap}{fmt(band.min)}{unit}"
    return f"{fmt(band.min)}{unit}{gap}≤{gap}{name}{gap}<{gap}{fmt(band.max)}{unit}"


def rule_roles(rule: DeductionRule | MetricRule | Veto) -> str:
    """`` [仅园区客服助理]`` for a rule limited to some roles of its item, else nothing."""
    return f" [仅{'、'.join(rule.roles)}]" if rule.roles else ""


def item_weights(rubric: Rubric, item: Item, mark: str = "【重建】") -> str:
    """Who rates ``item`` and with what weight: ``直接上级×60% + 物业经理×40%``; a reconstructed weight of a
    draft rubric is followed by ``mark``."""
    entries = item.weights or {}
    return " + ".join(f"{rubric.raters[k].name}×{fmt(weight * 100)}%"
                      + (f" {mark}" if marked(rubric, entries.get(rubric.raters[k].id)) else "")
                      for k, weight in rubric.weights_for(item))


def escalation(points: tuple[Decimal, ...]) -> str:
    """``第1次扣1分, 第2次扣2分, 第3次起每次扣5分``."""
    last = len(points)
    parts = [f"第{n}次扣{fmt(p)}分" for n, p in enumerate(points[:-1], start=1)]
    parts.append(f"第{last}次起每次扣{fmt(points[-1])}分")
    return ", ".join(parts)


def rule_count_lines(counts: tuple[RuleCount, ...]) -> list[str]:
    """How the rules counted apart came out: ``迟到 3次, 逐次加重: 1 + 2 + 5 = 8``, ``迟到 3次 ≥ 3次: 该项全扣``."""
    lines = []
    for c in counts:
        if c.costs:
            shown = " + ".join(fmt(x) for x in c.costs[:8]) + (f" + … ({len(c.costs)}次)" if len(c.costs) > 8 else "")
            lines.append(f"{c.rule} {c.count}次, 逐次加重: {shown} = {fmt(sum(c.costs, Decimal(0)))}")
        if c.wipes:
            lines.append(f"{c.rule} {c.count}次 ≥ {c.wipe_at}次: 该项全扣 → 0")
    return lines


def veto_effect(veto: Veto) -> str:
    """What a 一票否决 forces: ``总分 0, 等级 不及格, 绩效结果 调岗或开除``."""
    parts = []
    if veto.total is not None:
        parts.append(f"总分 {fmt(veto.total)}")
    if veto.grade is not None:
        parts.append(f"等级 {veto.grade}")
    if veto.outcome is not None:
        parts.append(f"绩效结果 {veto.outcome}")
    return ", ".join(parts)


def not_applicable_text(policy: str) -> str:
    """What a not-applicable item does, as the receipt and the form say it."""
    if policy == "full":
        return "不适用: 按满分计"
    return "不适用: 本项不计, 总分按适用项目折算"
