"""Printable appraisal forms (考核表) as one self-contained HTML document.

One A4 page per person, laid out like the paper forms: the header (岗位, 被考核人,
部门, 考核月度), the item table with the records behind each deduction (违规情况记录),
奖扣分, 总分, 等级, the outcome boxes (□发放100% □发放50%...) with the right one
ticked, an empty 考核面谈意见 area and the signature lines.  A first page sums the
period up: the ranking, the count per grade with a bar chart (inline SVG), and
each department's mean and range.

The document has no JavaScript and loads nothing: CSS and SVG are inline.  The
templates (``form_templates/``) are rendered by Jinja2 with autoescaping, so a
name like ``<script>`` prints as text.  Jinja2 is imported only when rendering.

Figures are formatted here (exact ``Decimal`` values, never floats, except the
bar geometry of the chart); the templates only lay them out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi_cli import __version__
from kpi_cli.outputs.atomic import write_atomic
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.results import ItemScore, MetricScore, Record, ScoreSheet, SubjectScore
from kpi_cli.rubric.model import Band, Item, MetricRule, Rubric
from kpi_cli.engine.scoring import fmt, round_total
from kpi_cli.outputs import wording
from kpi_cli.outputs.wording import rule_points

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_DIR = "templates"
DOCUMENT_TEMPLATE = "forms.html.j2"
# One form, one A4 page.  Heights in mm, measured in Chromium: the printable height, and what the
# page holds besides the item rows (title, header, table head and 合计, result, 考核面谈意见 at its
# smallest, signatures, footer).  When the records would need more room than is left, the longest
# lists are cut and their rest summed up in one line (the full list: kpi explain).
PRINTABLE_MM = 276.0
OVERHEAD_MM = 111.0
SAFETY_MM = 3.0
NO_DEPARTMENT = "(未填部门)"


# ---------------------------------------------------------------------------------------------------------------
# The view model: what the templates show, already formatted.


@dataclass(frozen=True)
class Line:
    """One line of the 违规情况记录 column."""

    date: str = ""
    text: str = ""
    points: str = ""  # "−3", "+2"
    note: str = ""
    calc: bool = False  # a calculation (metric, weighting, wipe) rather than a record


@dataclass(frozen=True)
class Row:
    number: str
    name: str
    standard: str
    details: tuple[str, ...]  # further lines under the standard: rules and points, rating bands
    lines: tuple[Line, ...]
    max: str
    ratings: tuple[str, ...]  # one cell per rater column
    score: str
    lost: bool
    rated: bool = False
    inline: bool = False  # the details run on in one paragraph (a dense form), not a line each


@dataclass(frozen=True)
class Box:
    label: str
    ticked: bool


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    department: str
    role: str
    rows: tuple[Row, ...]
    adjustments: Row | None
    max_total: str
    total: str
    calculation: str
    grade: str
    outcome: str
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[int, float], ...]  # (count, y) of the horizontal grid lines
    title: str


@dataclass(frozen=True)
class Department:
    name: str
    count: int
    mean: str
    minimum: str
    maximum: str


@dataclass(frozen=True)
class RankRow:
    rank: int
    id: str
    name: str
    department: str
    role: str
    adjustment: str
    total: str
    grade: str
    outcome: str
    department_rank: int


@dataclass(frozen=True)
class SummaryPage:
    count: int
    mean: str
    minimum: str
    maximum: str
    ranking: tuple[RankRow, ...]
    per_grade: tuple[tuple[str, str, int], ...]  # label, range, count
    per_outcome: tuple[tuple[str, str, int], ...]
    chart: Chart | None
    departments: tuple[Department, ...]


def _signed(value: Decimal) -> str:
    if value > 0:
        return "+" + fmt(value)
    if value < 0:
        return "−" + fmt(-value)
    return "0"


def _percent(value: Decimal) -> str:
    return fmt(value * 100) + "%"


def band_range(band: Band) -> str:
    """A band as the forms write it: ≥95分, 90分≤总分<95分, <80分."""
    return wording.band_range(band, unit="分", name="总分", gap="")


def _standard(item: Item, rubric: Rubric) -> tuple[str, tuple[str, ...]]:
    """The 考核标准 cell: the standard's wording, then the figures (points per occurrence, bands)."""
    if item.rating is not None:
        bands = " · ".join(f"{b.label} {fmt(b.min)}-{fmt(b.max)}分{'' if b.include_max else '(不含' + fmt(b.max) + '分)'}"
                           for b in item.rating.bands)
        if item.standard:
            return item.standard, (bands,) if bands else ()
        raters = "、".join(r.name for r in rubric.raters)
        return f"由{raters}评分", (bands or f"每人评0-{fmt(item.max)}分",)
    if item.standard:
        # the form's own wording; the points per occurrence show in the records that cost them
        wipe = () if not item.wipe_at or "全扣" in item.standard else (f"当月发生{item.wipe_at}起以上,该分值全扣",)
        return item.standard, wipe
    details = [f"{r.name}: {rule_points(r)}" for r in item.rules]
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
                     "−" + fmt(r.deduction), r.note) for r in deductions]
    # compact: one line per rule with its dates, without the notes
    groups: dict[str, list[Record]] = {}
    for r in deductions:
        groups.setdefault(rule_name(r), []).append(r)
    lines = []
    for name, records in groups.items():
        count = sum(r.count for r in records)
        lost = sum((r.deduction for r in records), Decimal(0))
        dates = "、".join(dict.fromkeys(_short_date(r, sheet) for r in records))
        lines.append(Line(dates, name + (f"×{count}" if count != 1 else ""), "−" + fmt(lost), ""))
    return lines


def _lines(item: ItemScore, rubric_item: Item, rubric: Rubric, sheet: ScoreSheet, *, grouped: bool = False,
           limit: int | None = None) -> tuple[Line, ...]:
    """The 违规情况记录 cell: the records (``grouped`` by rule, at most ``limit`` lines), then the calculations."""
    deductions = [r for r in item.records if r.kind == "deduction"]
    records = _record_lines(deductions, rubric_item, sheet, grouped)
    lines = records if limit is None or len(records) <= limit else records[:max(limit - 1, 0)]
    if len(lines) < len(records):
        rest = records[len(lines):]
        lost = sum((-Decimal(x.points[1:]) for x in rest), Decimal(0))
        lines.append(Line("", f"{'另有' if lines else '共'}{len(rest)}项 (明细见 kpi explain)", _signed(lost), ""))
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
    if item.wiped:
        lines.append(Line(text=f"当月{item.occurrences}起 ≥ {rubric_item.wipe_at}起: 该分值全扣", calc=True))
    elif item.floored:
        lines.append(Line(text="扣完为止", calc=True))
    return tuple(lines)


def _rating_cells(item: ItemScore, rubric: Rubric) -> tuple[str, ...]:
    if not rubric.raters:
        return ()
    by_name = {x.rater: x for x in item.ratings}
    return tuple("" if by_name.get(r.name) is None or by_name[r.name].score is None
                 else fmt(by_name[r.name].score)  # type: ignore[arg-type]
                 for r in rubric.raters)


def _has_rated_items(rubric: Rubric) -> bool:
    return bool(rubric.raters) and any(item.is_rated for item in rubric.items)


# Column widths of the item table in mm, as form.html.j2 sets them (A4 less the margins: 186mm).
_TABLE_MM = 186.0
_FIXED_MM = 8 + 19 + 9 + 11  # 序号, 考核项目, 分值, 得分
_CJK_MM = {9.5: 3.35, 8.6: 3.03, 7.8: 2.75}  # the advance of one Chinese character at the table's font sizes


def _records_mm(rubric: Rubric) -> float:
    return 44.0 if _has_rated_items(rubric) else 54.0


def _standard_mm(rubric: Rubric) -> float:
    raters = sum(11 if len(r.name) <= 3 else 12 for r in rubric.raters) if _has_rated_items(rubric) else 0
    return _TABLE_MM - _FIXED_MM - _records_mm(rubric) - raters


_EM = {" ": 0.23, "-": 0.35, ".": 0.28, ",": 0.28, ":": 0.28, ";": 0.28, "(": 0.34, ")": 0.34, "%": 0.92,
       "−": 0.56}


def _em(c: str) -> float:
    """The advance of a character in em, as Noto Sans CJK draws it (measured in Chromium, rounded up)."""
    if c in _EM:
        return _EM[c]
    if ord(c) >= 0x2E80 or c in "×≥≤±":
        return 1.0
    if c.isdigit():
        return 0.56
    return 0.6 if c.isupper() else 0.5


def _text_lines(text: str, width_mm: float, size: float) -> int:
    """How many lines ``text`` wraps to in a cell ``width_mm`` wide (a generous estimate)."""
    units = sum(_em(c) for c in text)
    per_line = max((width_mm - 2.4 - 1.0) / _CJK_MM[size], 1.0)  # less the padding and the gaps around spans
    return max(1, -(-int(units * 100) // int(per_line * 100)))


def _cells_mm(row: Row, rubric: Rubric) -> tuple[float, float]:
    """The estimated heights of the records cell and of the row's other cells (the tallest)."""
    std_w, rec_w = _standard_mm(rubric), _records_mm(rubric)
    details = ["; ".join(row.details)] if row.inline and row.details else row.details
    standard = (_text_lines(row.standard, std_w, 8.6) * 4.0 if row.standard else 0.0) + \
        sum(_text_lines(d, std_w, 7.8) * 3.7 + 0.6 for d in details)
    records = sum(_text_lines(" ".join(t for t in (x.date, x.text, x.points, x.note) if t), rec_w, 7.8) * 3.7 + 0.4
                  for x in row.lines) if row.lines else 3.7
    name = _text_lines(row.name, 19, 8.6) * 4.0
    return records, max(standard, name)


def _row_mm(row: Row, rubric: Rubric) -> float:
    """The estimated height of an item row: its tallest cell, plus the cell padding."""
    return max(_cells_mm(row, rubric)) + 1.9


def _rows_budget(rubric: Rubric, s: SubjectScore, period: str) -> float:
    """The height left for the item rows on this person's page."""
    used = OVERHEAD_MM + SAFETY_MM
    if _has_rated_items(rubric):
        used += 4.3  # the weighting formula under the table
    if rubric.outcomes:
        notes = "备注:" + "".join(_outcome_notes(rubric))
        used += 7.5 + 1.2 + 3.7 * _text_lines(notes, _TABLE_MM + 2.4, 7.8)  # the boxes and the 备注
    # a long name or department wraps the header line (the labels and their gaps: about 8 characters)
    subject = s.subject
    header = f"岗位:{subject.role}被考核人:{subject.name}工号:{subject.id}部门:{subject.department}考核月度:{period}"
    used += 5.0 * (_text_lines(header + "一" * 7, _TABLE_MM, 9.5) - 1)
    return PRINTABLE_MM - used


def _form(sheet: ScoreSheet, s: SubjectScore) -> Form:
    rubric = sheet.rubric
    by_id = {item.id: item for item in rubric.items}
    rated = _has_rated_items(rubric)
    rows: list[Row] = []
    for n, item in enumerate(s.items, start=1):
        rubric_item = by_id[item.id]
        standard, details = _standard(rubric_item, rubric)
        rows.append(Row(str(n), item.name, standard, details, _lines(item, rubric_item, rubric, sheet),
                        fmt(item.max), _rating_cells(item, rubric) if rated else (), fmt(item.score),
                        item.score < item.max, rubric_item.is_rated))
    adjustments = None
    if rubric.adjustments is not None:
        a = rubric.adjustments
        lines = tuple(Line(_short_date(x.record, sheet), "", _signed(x.points), x.reason) for x in s.adjustments)
        adjustments = Row("", a.name, f"有突出表现或严重过失, 每次奖励或扣{fmt(a.min)}-{fmt(a.max)}分"
                          + (", 须注明原因" if a.reason_required else ""), (), lines, "±" + fmt(a.max),
                          tuple("" for _ in rubric.raters) if rated else (),
                          _signed(s.adjustment_total) if s.adjustments or s.adjustment_total else "0", s.adjustment_total < 0)
    # One page per person.  A form with many standards runs each item's list on in one paragraph.  Then,
    # while the rows would not fit, take the row whose records make it tallest and list its records by
    # rule (dates, no notes); when all are so listed, cut the longest lists line by line.
    heights = [_row_mm(row, rubric) for row in rows]
    budget = _rows_budget(rubric, s, sheet.period.label) - (_row_mm(adjustments, rubric) if adjustments else 0.0)
    if sum(heights) > budget:
        rows = [dataclasses.replace(row, inline=len(row.details) > 1) for row in rows]
        heights = [_row_mm(row, rubric) for row in rows]
    grouped = [False] * len(rows)
    limits: list[int | None] = [None] * len(rows)
    while sum(heights) > budget:
        cells = [_cells_mm(row, rubric) for row in rows]
        driving = [i for i, (records, others) in enumerate(cells) if records > others]
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
        heights[i] = _row_mm(rows[i], rubric)
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
            height = _row_mm(row, rubric)
            if sum(heights) - heights[i] + height <= budget:
                rows[i], heights[i], (grouped[i], limits[i]) = row, height, state
                relaxed = True
    for i, row in enumerate(rows):  # and a line per standard where it fits
        if row.inline:
            spread = dataclasses.replace(row, inline=False)
            height = _row_mm(spread, rubric)
            if sum(heights) - heights[i] + height <= budget:
                rows[i], heights[i] = spread, height
    decimals = rubric.rounding.decimals
    calculation = f"各项得分 {fmt(s.item_total)}"
    if s.adjustments:
        calculation += f" {'+' if s.adjustment_total >= 0 else '−'} 奖扣分 {fmt(abs(s.adjustment_total))}"
        calculation += f" = {fmt(s.raw_total)}"
    if s.raw_total != s.total:
        calculation += f" → {fmt(s.total)} (保留{decimals}位小数, 四舍五入)"
    boxes = tuple(Box(b.label, b is s.outcome) for b in rubric.outcomes)
    return Form(
        id=s.subject.id,
        name=s.subject.name,
        department=s.subject.department,
        role=s.subject.role or "",
        rows=tuple(rows),
        adjustments=adjustments,
        max_total=fmt(sum((i.max for i in s.items), Decimal(0))),
        total=fmt(s.total),
        calculation=calculation,
        grade=s.grade.label if s.grade else "",
        outcome=s.outcome.label if s.outcome else "",
        boxes=boxes,
    )


def _chart(title: str, counts: Sequence[tuple[str, int]]) -> Chart | None:
    """A vertical bar chart of counts per label; geometry in SVG user units."""
    if not counts:
        return None
    width, height = 640, 230
    left, right, top, bottom = 40, 10, 40, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    most = max((n for _, n in counts), default=0)
    step = 1 if most <= 5 else (2 if most <= 10 else (5 if most <= 25 else 10 * ((most + 49) // 50)))
    top_value = max(step, ((most + step - 1) // step) * step)
    slot = plot_w / len(counts)
    bar_w = min(90.0, slot * 0.6)
    baseline = top + plot_h
    bars = []
    for i, (label, n) in enumerate(counts):
        h = plot_h * n / top_value
        bars.append(Bar(label, n, round(left + slot * i + (slot - bar_w) / 2, 1), round(baseline - h, 1),
                        round(bar_w, 1), round(h, 1)))
    ticks = tuple((v, round(baseline - plot_h * v / top_value, 1)) for v in range(0, top_value + 1, step))
    return Chart(width, height, baseline, tuple(bars), ticks, title)


def _mean(values: Sequence[Decimal], decimals: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 34
        return round_total(sum(values, Decimal(0)) / len(values), decimals)


def _summary(sheet: ScoreSheet) -> SummaryPage:
    rubric = sheet.rubric
    summary = sheet.summary
    ranking = tuple(RankRow(s.rank, s.subject.id, s.subject.name, s.subject.department, s.subject.role or "",
                            _signed(s.adjustment_total) if s.adjustments or s.adjustment_total else "", fmt(s.total),
                            s.grade.label if s.grade else "", s.outcome.label if s.outcome else "",
                            s.department_rank)
                    for s in sheet.subjects)
    per_grade = tuple((b.label, band_range(b), n) for b, (_, n) in zip(rubric.grades, summary.per_grade))
    per_outcome = tuple((b.label, band_range(b), n) for b, (_, n) in zip(rubric.outcomes, summary.per_outcome))
    if summary.per_grade:
        chart = _chart("等级分布 (人数)", summary.per_grade)
    else:
        chart = _chart("绩效结果分布 (人数)", summary.per_outcome)
    groups: dict[str, list[Decimal]] = {}
    for s in sheet.subjects:
        groups.setdefault(s.subject.department or NO_DEPARTMENT, []).append(s.total)
    decimals = rubric.rounding.decimals + 1
    departments = tuple(Department(name, len(totals), fmt(_mean(totals, decimals)), fmt(min(totals)),
                                   fmt(max(totals)))
                        for name, totals in sorted(groups.items()))
    return SummaryPage(summary.count, "" if summary.mean is None else fmt(summary.mean),
                       "" if summary.minimum is None else fmt(summary.minimum),
                       "" if summary.maximum is None else fmt(summary.maximum),
                       ranking, per_grade, per_outcome, chart, departments)


def _provenance(provenance: object | None) -> tuple[tuple[str, str], ...]:
    """Label / value pairs: from a :class:`~kpi_cli.provenance.Provenance` (its ``lines()``), a mapping,
    a dataclass or an object with ``as_dict()``."""
    if provenance is None:
        return ()
    pairs: Any
    if callable(getattr(provenance, "lines", None)):
        pairs = provenance.lines()  # type: ignore[attr-defined]
    elif isinstance(provenance, Mapping):
        pairs = provenance.items()
    elif dataclasses.is_dataclass(provenance) and not isinstance(provenance, type):
        pairs = dataclasses.asdict(provenance).items()
    elif callable(getattr(provenance, "as_dict", None)):
        pairs = provenance.as_dict().items()  # type: ignore[attr-defined]
    else:
        return (("", str(provenance)),)
    return tuple((str(k), str(v)) for k, v in pairs if v is not None and v != "")


# ---------------------------------------------------------------------------------------------------------------
# Rendering


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("kpi_cli.outputs.forms", TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"], default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _outcome_notes(rubric: Rubric) -> tuple[str, ...]:
    notes = []
    for b in rubric.outcomes:
        text = f"当月总得分{band_range(b)}"
        if b.pay is not None:
            text += f", 绩效工资发放{_percent(b.pay)}"
        if b.action:
            text += f", {b.action}"
        notes.append(text)
    return tuple(notes)


def _render(sheet: ScoreSheet, subjects: Sequence[SubjectScore], *, summary: bool, provenance: object | None,
            title: str) -> str:
    rubric = sheet.rubric
    rated = _has_rated_items(rubric)
    weights = " + ".join(f"{r.name}×{_percent(r.weight)}" for r in rubric.raters) if rated else ""
    return _environment().get_template(DOCUMENT_TEMPLATE).render(
        title=title,
        rubric=rubric,
        period_label=sheet.period.label,
        period=str(sheet.period),
        period_word="考核月度" if sheet.period.kind == "month" else "考核季度",
        raters=[r.name for r in rubric.raters] if rated else [],
        weights=weights,
        forms=[_form(sheet, s) for s in subjects],
        summary=_summary(sheet) if summary else None,
        outcome_notes=_outcome_notes(rubric),
        has_grades=bool(rubric.grades),
        has_outcomes=bool(rubric.outcomes),
        has_departments=any(s.subject.department for s in sheet.subjects),
        provenance=_provenance(provenance),
        version=__version__,
        decimals=rubric.rounding.decimals,
    )


def render_html(sheet: ScoreSheet, provenance: object | None = None) -> str:
    """The whole document: a summary page, then one form page per person (best first).

    ``provenance``: where the figures come from, shown at the foot of the summary page: a
    :class:`~kpi_cli.provenance.Provenance` (its ``lines()``), a mapping such as
    ``{"考核表": "rubrics/guanjia.yaml"}``, or None.  Score with ``keep_records=True`` so
    the 违规情况记录 column lists the records.  For ``kpi score --format html``:
    ``render_html(sheet, provenance).encode("utf-8")``.
    """
    return _render(sheet, sheet.subjects, summary=True, provenance=provenance,
                   title=f"{sheet.rubric.title} · {sheet.period.label}")


def render_form(sheet: ScoreSheet, subject: SubjectScore, provenance: object | None = None) -> str:
    """One person's form alone (no summary: it would show everyone's scores)."""
    who = subject.subject.name or subject.subject.id
    return _render(sheet, [subject], summary=False, provenance=provenance,
                   title=f"{sheet.rubric.title} · {sheet.period.label} · {who}")


_UNSAFE = re.compile(r"[^\w\-]+")


def split_file_name(subject: SubjectScore) -> str:
    """``E001_张三.html``: the 工号 and the name, reduced to characters safe in a file name."""
    parts = [_UNSAFE.sub("_", part).strip("_.") for part in (subject.subject.id, subject.subject.name)]
    stem = "_".join(p for p in parts if p) or "form"
    return stem[:120] + ".html"


def render_split(sheet: ScoreSheet, provenance: object | None = None) -> list[tuple[str, str]]:
    """(file name, document) per person; names are unique (the 工号 is)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for s in sheet.subjects:
        name = split_file_name(s)
        if name.lower() in seen:  # two 工号 that differ only in unsafe characters or case
            stem = name[:-5]
            n = 2
            while f"{stem}-{n}.html".lower() in seen:
                n += 1
            name = f"{stem}-{n}.html"
        seen.add(name.lower())
        out.append((name, render_form(sheet, s, provenance)))
    return out


def write_forms(sheet: ScoreSheet, *, output: Path | None = None, split: Path | None = None,
                provenance: object | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Write the whole document to ``output`` and/or one file per person into ``split``."""
    written: list[Path] = []
    jobs: list[tuple[Path, str]] = []
    if output is not None:
        jobs.append((output, render_html(sheet, provenance)))
    if split is not None:
        try:
            split.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return written, [Diagnostic(str(split), 0, 0, f"cannot create folder: {exc.strerror or exc}", "io-error")]
        jobs.extend((split / name, text) for name, text in render_split(sheet, provenance))
    for path, text in jobs:
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError as exc:
            return written, [Diagnostic(str(path), 0, 0, f"cannot write: {exc.strerror or exc}", "io-error")]
        written.append(path)
    return written, []
