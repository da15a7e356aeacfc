"""One person's form: the items with the records behind each deduction, the result and the outcome boxes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from kpi_cli.engine.results import (
    ItemScore,
    MetricScore,
    Record,
    ScoreSheet,
    SubjectScore,
)
from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs.forms.page_fit import (
    cells_mm,
    has_rated_items,
    row_mm,
    rows_budget,
)
from kpi_cli.outputs.forms.views import (
    Box,
    Form,
    Line,
    Row,
    signed,
)
from kpi_cli.outputs import fidelity_view as fv
from kpi_cli.outputs.wording import (
    item_weights,
    not_applicable_text,
    rule_count_lines,
    rule_points,
    veto_effect,
)
from kpi_cli.rubric.model import Item, MetricRule, Rubric


def _standard(item: Item, rubric: Rubric, role: str | None = None) -> tuple[str, tuple[str, ...]]:
    """The 考核标准 cell: the standard's wording, then the figures (points per occurrence, bands).

    Only the rules of ``role`` are listed (a rule may be limited to some roles of its item)."""
    if item.rating is not None:
        bands = " · ".join(f"{b.label} {fmt(b.min)}-{fmt(b.max)}分{'' if b.include_max else '(不含' + fmt(b.max) + '分)'}"
                           for b in item.rating.bands)
        weighed = (f"评分: {item_weights(rubric, item, fv.SHORT_MARK)}",) if item.weights is not None else ()
        if item.standard:
            return item.standard, ((bands,) if bands else ()) + weighed
        raters = "、".join(rubric.raters[k].name for k, _ in rubric.weights_for(item))
        return f"由{raters}评分", (bands or f"每人评0-{fmt(item.max)}分",) + weighed
    rules = [r for r in item.rules if r.applies_to(role)]
    if item.standard:
        # the form's own wording; the points per occurrence show in the records that cost them
        wipe = () if not item.wipe_at or "全扣" in item.standard else (f"当月发生{item.wipe_at}起以上,该分值全扣",)
        limited = (f"本岗位适用: {'、'.join(r.name for r in rules)}",) if len(rules) < len(item.rules) else ()
        return item.standard, limited + wipe
    details = [f"{r.name}: {rule_points(r)}" for r in rules]
    if item.wipe_at:
        details.append(f"当月发生{item.wipe_at}起以上,该分值全扣")
    return "", tuple(details)


def _metric_line(m: MetricScore, rule: MetricRule | None) -> str:
    unit = "%" if rule is not None and rule.unit == "percent" else ""
    if m.value is None:
        return f"{m.rule}: 未记录数值, 满分"
    shown = f"{m.rule} {fmt(m.value)}{unit}"
    if rule is None:
        return shown
    if m.scoring == "proportional":
        target = rule.target or Decimal(1)
        if rule.zero_below is not None and m.value < rule.zero_below:
            return f"{shown} 低于{fmt(rule.zero_below)}{unit}: 0分"
        return f"{shown}, 目标{fmt(target)}{unit}: {fmt(m.base)}分"
    if m.scoring == "bands":
        return f"{shown}: {fmt(m.base)}分"
    word = "低于" if m.scoring == "below" else "高于"
    if m.deduction:
        return f"{shown} {word}{fmt(rule.threshold)}{unit}: 扣{fmt(m.deduction)}分"  # type: ignore[arg-type]
    return f"{shown} 未{word}{fmt(rule.threshold)}{unit}: 不扣分"  # type: ignore[arg-type]


def _short_date(record: Record, sheet: ScoreSheet) -> str:
    return f"{record.date.month}-{record.date.day:02d}" if sheet.period.kind == "month" else record.date.isoformat()


def _record_lines(deductions: Sequence[Record], rubric_item: Item, sheet: ScoreSheet, grouped: bool) -> list[Line]:
    def rule_name(r: Record) -> str:
        return rubric_item.rules[r.rule].name if 0 <= r.rule < len(rubric_item.rules) else r.label

    if not grouped:
        return [Line(_short_date(r, sheet), rule_name(r) + (f"×{r.count}" if r.count != 1 else ""),
                     "" if r.points is None else "−" + fmt(r.deduction), r.note) for r in deductions]
    # compact: one line per rule with its dates, without the notes
    groups: dict[str, list[Record]] = {}
    for r in deductions:
        groups.setdefault(rule_name(r), []).append(r)
    lines = []
    for name, records in groups.items():
        count = sum(r.count for r in records)
        lost = sum((r.deduction for r in records), Decimal(0))
        dates = "、".join(dict.fromkeys(_short_date(r, sheet) for r in records))
        escalating = any(r.points is None for r in records)  # the count decides: the calculation says how
        lines.append(Line(dates, name + (f"×{count}" if count != 1 else ""), "" if escalating else "−" + fmt(lost),
                          ""))
    return lines


def _lines(item: ItemScore, rubric_item: Item, rubric: Rubric, sheet: ScoreSheet, *, grouped: bool = False,
           limit: int | None = None) -> tuple[Line, ...]:
    """The 违规情况记录 cell: the records (``grouped`` by rule, at most ``limit`` lines), then the calculations."""
    deductions = [r for r in item.records if r.kind == "deduction"]
    records = _record_lines(deductions, rubric_item, sheet, grouped)
    lines = records if limit is None or len(records) <= limit else records[:max(limit - 1, 0)]
    if len(lines) < len(records):
        rest = records[len(lines):]
        lost = sum((-Decimal(x.points[1:]) for x in rest if x.points), Decimal(0))
        lines.append(Line("", f"{'另有' if lines else '共'}{len(rest)}项 (明细见 kpi explain)", signed(lost), ""))
    for r in item.records:
        if r.kind == "rating" and r.note:
            rater = rubric.raters[r.rater].name if 0 <= r.rater < len(rubric.raters) else ""
            lines.append(Line(_short_date(r, sheet), rater, "", r.note))
        elif r.kind == "metric" and r.note:
            lines.append(Line(_short_date(r, sheet), "", "", r.note))
    rules = {rule.name: rule for rule in rubric_item.rules if isinstance(rule, MetricRule)}
    for m in item.metrics:
        lines.append(Line(text=_metric_line(m, rules.get(m.rule)), calc=True))
    missing = [x.rater for x in item.ratings if x.score is None]
    if missing and any(x.score is not None for x in item.ratings):
        lines.append(Line(text=f"无{'、'.join(missing)}评分, 权重按其余评分人分配", calc=True))
    lines.extend(Line(text=text, calc=True) for text in rule_count_lines(item.rule_counts))
    if item.wiped and rubric_item.wipe_at is not None and item.occurrences >= rubric_item.wipe_at:
        lines.append(Line(text=f"当月{item.occurrences}起 ≥ {rubric_item.wipe_at}起: 该分值全扣", calc=True))
    elif item.floored:
        lines.append(Line(text="扣完为止", calc=True))
    return tuple(lines)


def _rating_cells(item: ItemScore, rubric: Rubric) -> tuple[str, ...]:
    if not rubric.raters:
        return ()
    by_name = {x.rater: x for x in item.ratings}
    if item.ratings:  # a rated item: a rater who does not rate it (its own weights leave them out) gets a dash
        return tuple("—" if r.name not in by_name else "" if by_name[r.name].score is None
                     else fmt(by_name[r.name].score)  # type: ignore[arg-type]
                     for r in rubric.raters)
    return tuple("" if by_name.get(r.name) is None or by_name[r.name].score is None
                 else fmt(by_name[r.name].score)  # type: ignore[arg-type]
                 for r in rubric.raters)


def _reconstructed_rules(rubric: Rubric, item: Item, role: str | None) -> tuple[str, ...]:
    """A line under the 考核标准 naming the rules and bands whose figures are reconstructed (重建), when the item
    itself is not marked (its mark covers its rows)."""
    if fv.form_tag(rubric, item, item.rating):
        return ()
    names = [r.name for r in item.rules if r.applies_to(role) and fv.form_tag(rubric, r, *getattr(r, "bands", ()))]
    if item.rating is not None:
        names += [f"{b.label}档" for b in item.rating.bands if fv.form_tag(rubric, b)]
    return (f"{fv.SHORT_MARK} {'、'.join(names)}",) if names else ()


# Column widths of the item table in mm, as form.html.j2 sets them (A4 less the margins: 186mm).


def _total_deduction_rows(sheet: ScoreSheet, s: SubjectScore, rated: bool) -> tuple[Row, ...]:
    """One row for the rubric's deductions from the total (扣总分): its rules, the records, the points lost."""
    rubric = sheet.rubric
    rules = [r for r in rubric.total_deductions if r.applies_to(s.subject.role)]
    if not rules:
        return ()
    details = tuple(f"{r.name}: {rule_points(r)}{fv.form_tag(rubric, r)}" for r in rules)
    lines = tuple(Line(_short_date(r, sheet), r.label.split(" / ")[-1] + (f"×{r.count}" if r.count != 1 else ""),
                       "−" + fmt(r.deduction), r.note) for r in s.total_records)
    return (Row("", "扣总分", "从总分中扣除, 不受单项分值限制", details, lines, "",
                tuple("" for _ in rubric.raters) if rated else (),
                "−" + fmt(s.total_deducted) if s.total_deducted else "0", bool(s.total_deducted)),)


def build_form(sheet: ScoreSheet, s: SubjectScore) -> Form:
    rubric = sheet.rubric
    by_id = {item.id: item for item in rubric.items}
    rated = has_rated_items(rubric)
    rows: list[Row] = []
    for n, item in enumerate(s.items, start=1):
        rubric_item = by_id[item.id]
        standard, details = _standard(rubric_item, rubric, s.subject.role)
        details += _reconstructed_rules(rubric, rubric_item, s.subject.role)
        name = item.name + fv.form_tag(rubric, rubric_item, rubric_item.rating)
        if item.not_applicable:
            lines = (Line(text=not_applicable_text(item.not_applicable), calc=True),) + tuple(
                Line(_short_date(r, sheet), "", "", r.note) for r in item.records if r.note)
            score = "不适用" if item.not_applicable == "rescale" else fmt(item.score)
            rows.append(Row(str(n), name, standard, details, lines, fmt(item.max),
                            tuple("" for _ in rubric.raters) if rated else (), score, False, rubric_item.is_rated))
            continue
        rows.append(Row(str(n), name, standard, details, _lines(item, rubric_item, rubric, sheet),
                        fmt(item.max), _rating_cells(item, rubric) if rated else (), fmt(item.score),
                        item.score < item.max, rubric_item.is_rated))
    adjustments = None
    if rubric.adjustments is not None:
        a = rubric.adjustments
        lines = tuple(Line(_short_date(x.record, sheet), "", signed(x.points), x.reason) for x in s.adjustments)
        net = f", 当期合计不超过±{fmt(a.net_bound)}分" if s.adjustment_capped or a.net_bound != a.max else ""
        if s.adjustment_capped:
            net += f" (记录合计{signed(s.adjustment_recorded)}, 按{signed(s.adjustment_total)}计)"
        adjustments = Row("", a.name + fv.form_tag(rubric, a), f"有突出表现或严重过失, 每次奖励或扣{fmt(a.min)}-{fmt(a.max)}分"
                          + (", 须注明原因" if a.reason_required else "") + net, (), lines, "±" + fmt(a.net_bound),
                          tuple("" for _ in rubric.raters) if rated else (),
                          signed(s.adjustment_total) if s.adjustments or s.adjustment_total else "0", s.adjustment_total < 0)
    # One page per person.  A form with many standards runs each item's list on in one paragraph.  Then,
    # while the rows would not fit, take the row whose records make it tallest and list its records by
    # rule (dates, no notes); when all are so listed, cut the longest lists line by line.
    extra = _total_deduction_rows(sheet, s, rated)  # below the items, like 奖扣分; not cut to fit
    heights = [row_mm(row, rubric) for row in rows]
    budget = rows_budget(rubric, s, sheet.period.label) - (row_mm(adjustments, rubric) if adjustments else 0.0) \
        - sum(row_mm(row, rubric) for row in extra)
    if sum(heights) > budget:
        rows = [dataclasses.replace(row, inline=len(row.details) > 1) for row in rows]
        heights = [row_mm(row, rubric) for row in rows]
    grouped = [False] * len(rows)
    limits: list[int | None] = [None] * len(rows)
    while sum(heights) > budget:
        cells = [cells_mm(row, rubric) for row in rows]
        driving = [i for i, (records, others) in enumerate(cells) if records > others and not s.items[i].not_applicable]
        counts = [sum(1 for r in item.records if r.kind == "deduction") for item in s.items]
        shown = [sum(1 for x in row.lines if not x.calc) for row in rows]
        ungrouped = [i for i in driving if not grouped[i] and counts[i] > 1]
        cuttable = [i for i in driving if shown[i] > 1]
        if ungrouped:
            i = max(ungrouped, key=lambda k: cells[k][0])
            grouped[i] = True
        elif cuttable:
            i = max(cuttable, key=lambda k: cells[k][0])
            limits[i] = shown[i] - 1
        else:
            break
        item = s.items[i]
        rows[i] = dataclasses.replace(rows[i], lines=_lines(item, by_id[item.id], rubric, sheet, grouped=grouped[i],
                                                            limit=limits[i]))
        heights[i] = row_mm(rows[i], rubric)
    # The cuts went one row at a time: give back to each row what still fits (a line, then the notes).
    relaxed = True
    while relaxed:
        relaxed = False
        for i, item in enumerate(s.items):
            if limits[i] is not None:
                deductions = [r for r in item.records if r.kind == "deduction"]
                groups = len(_record_lines(deductions, by_id[item.id], sheet, grouped=True))
                state = (True, None if limits[i] + 1 >= groups else limits[i] + 1)
            elif grouped[i]:
                state = (False, None)
            else:
                continue
            row = dataclasses.replace(rows[i], lines=_lines(item, by_id[item.id], rubric, sheet, grouped=state[0],
                                                            limit=state[1]))
            height = row_mm(row, rubric)
            if sum(heights) - heights[i] + height <= budget:
                rows[i], heights[i], (grouped[i], limits[i]) = row, height, state
                relaxed = True
    for i, row in enumerate(rows):  # and a line per standard where it fits
        if row.inline:
            spread = dataclasses.replace(row, inline=False)
            height = row_mm(spread, rubric)
            if sum(heights) - heights[i] + height <= budget:
                rows[i], heights[i] = spread, height
    decimals = rubric.rounding.decimals
    calculation = f"各项得分 {fmt(s.item_total)}"
    if s.rescaled_from is not None:
        calculation += f" × {fmt(rubric.total)} / {fmt(s.rescaled_from)} (不适用项不计, 按适用分值折算)"
    if s.adjustments:
        calculation += f" {'+' if s.adjustment_total >= 0 else '−'} 奖扣分 {fmt(abs(s.adjustment_total))}"
    if s.total_deducted:
        calculation += f" − 扣总分 {fmt(s.total_deducted)}"
    if s.adjustments or s.total_deducted or s.rescaled_from is not None:
        calculation += f" = {fmt(s.raw_total)}"
    if s.bounded == "cap":
        calculation += f" → 不超过满分 {fmt(rubric.total)}"
    elif s.bounded == "floor":
        calculation += " → 不低于0"
    if s.veto is not None:
        when = "、".join(_short_date(r, sheet) for r in s.veto_records)
        calculation += f"; 一票否决: {s.veto.name} ({when}) → {veto_effect(s.veto)}"
    elif s.raw_total != s.total and not s.bounded:
        calculation += f" → {fmt(s.total)} (保留{decimals}位小数, 四舍五入)"
    boxes = tuple(Box(b.label + fv.form_tag(rubric, b), b is s.outcome) for b in rubric.outcomes)
    return Form(
        id=s.subject.id,
        name=s.subject.name,
        department=s.subject.department,
        role=s.subject.role or "",
        rows=tuple(rows) + extra,
        adjustments=adjustments,
        max_total=fmt(sum((i.max for i in s.items), Decimal(0))),
        total=fmt(s.total),
        calculation=calculation,
        grade=s.grade.label + fv.form_tag(rubric, s.grade) if s.grade else "",
        outcome=s.outcome.label if s.outcome else "",
        boxes=boxes,
    )
