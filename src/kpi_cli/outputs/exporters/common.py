"""What the tabular exports (CSV, XLSX, Markdown) show: columns, typed rows, and cell safety.

Values are typed: ``Decimal`` and ``int`` are numbers, ``date`` is a date, ``str``
is text and ``None`` an empty cell.  Each format renders them its own way; only
text is ever neutralised against spreadsheet formula injection.

Machine exports write numbers exactly (:func:`exact`: ``86.49473684210526315789473684``,
never ``≈86.4947``: ``≈`` is for the screen only) and totals with the rubric's
decimals (:func:`fixed`: ``95.0``, not ``95``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from kpi_cli.engine.results import Record, ScoreSheet, SubjectScore
from kpi_cli.rubric.model import Rubric
from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs.wording import rule_count_lines, veto_effect

Value = Decimal | int | date | str | None

# A spreadsheet takes a cell starting with one of these as a formula (or, for tab
# and CR, may shift it into one): = + - @ (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``: a spreadsheet shows it as text, never runs it."""
    return "'" + text if is_dangerous(text) else text


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | number | total | rank | percent | date | line


KIND_NAMES = {"deduction": "扣分", "metric": "指标", "rating": "评分", "adjustment": "奖扣分", "total": "扣总分",
              "veto": "一票否决"}


def result_columns(rubric: Rubric) -> list[Column]:
    """The results table: one row per subject, best first."""
    columns = [Column("名次", "rank"), Column("工号"), Column("姓名"), Column("部门"), Column("岗位")]
    columns.extend(Column(f"{item.name}({fmt(item.max)})", "number") for item in rubric.items)
    columns.append(Column("奖扣分", "number"))
    if rubric.total_deductions:
        columns.append(Column("扣总分", "number"))
    if rubric.vetoes:
        columns.append(Column("一票否决"))
    columns.append(Column("总分", "total"))
    if rubric.grades:
        columns.append(Column("等级"))
    if rubric.outcomes:
        columns.append(Column("绩效结果"))
        if any(b.pay is not None for b in rubric.outcomes):
            columns.append(Column("绩效工资", "percent"))
        if any(b.action for b in rubric.outcomes):
            columns.append(Column("处理"))
    columns.append(Column("部门名次", "rank"))
    return columns


def result_row(rubric: Rubric, s: SubjectScore) -> list[Value]:
    by_id = {i.id: i for i in s.items}
    row: list[Value] = [s.rank, s.subject.id, s.subject.name, s.subject.department, s.subject.role or ""]
    row.extend(by_id[item.id].score if item.id in by_id and by_id[item.id].not_applicable != "rescale" else None
               for item in rubric.items)  # an item not applicable (rescaled) is left blank, like another role's
    row.append(s.adjustment_total)
    if rubric.total_deductions:
        row.append(-s.total_deducted)
    if rubric.vetoes:
        row.append(s.veto.name if s.veto is not None else "")
    row.append(s.total)
    if rubric.grades:
        row.append(s.grade.label if s.grade else "")
    if rubric.outcomes:
        row.append(s.outcome.label if s.outcome else "")
        if any(b.pay is not None for b in rubric.outcomes):
            row.append(s.outcome.pay if s.outcome is not None else None)
        if any(b.action for b in rubric.outcomes):
            row.append((s.outcome.action or "") if s.outcome else "")
    row.append(s.department_rank)
    return row


def result_rows(sheet: ScoreSheet) -> Iterator[list[Value]]:
    for s in sheet.subjects:
        yield result_row(sheet.rubric, s)


RECORD_COLUMNS = [
    Column("工号"), Column("姓名"), Column("考核项目"), Column("考核标准"), Column("类型"), Column("日期", "date"),
    Column("次数", "number"), Column("每次分值", "number"), Column("分数变动", "number"), Column("数值", "number"),
    Column("评分人"), Column("评分", "number"), Column("计算"), Column("违规情况记录"), Column("来源文件"),
    Column("行号", "line"),
]


@dataclass(frozen=True)
class RecordLine:
    """A record behind a figure, with what it did to the score."""

    subject: SubjectScore
    record: Record
    item: str
    rule: str
    change: Decimal | None  # points added (+) or taken (−) by this very row, when it can be told alone
    effect: str  # the calculation, for metric values and ratings


def record_lines(sheet: ScoreSheet) -> Iterator[RecordLine]:
    """Every kept record, subject by subject (best first), in log order within a subject."""
    rubric = sheet.rubric
    adjust_name = rubric.adjustments.name if rubric.adjustments is not None else "奖扣分"
    for s in sheet.subjects:
        lines: list[RecordLine] = []
        for item in s.items:
            model = next(i for i in rubric.items if i.id == item.id)
            metrics = {m.rule: m for m in item.metrics}
            ratings = {x.rater: x for x in item.ratings}
            for r in item.records:
                rule = model.rules[r.rule].name if 0 <= r.rule < len(model.rules) else ""
                change: Decimal | None = None
                effect = ""
                if r.kind == "deduction":
                    if r.points is not None:
                        change = -r.deduction
                    else:  # escalating: what a row costs depends on the rows before it; the item's sum says
                        effect = "; ".join(rule_count_lines(item.rule_counts))
                elif r.kind == "metric":
                    m = metrics.get(rule)
                    if m is not None:
                        effect = m.effect
                        change = (m.base - item.max) if m.base is not None else -m.deduction
                elif r.kind == "rating":
                    rater = rubric.raters[r.rater].name if 0 <= r.rater < len(rubric.raters) else ""
                    x = ratings.get(rater)
                    if x is not None and x.score is not None:
                        effect = f"{rater} {fmt(x.score)} × {fmt(x.used_weight)}"
                lines.append(RecordLine(s, r, item.name, rule, change, effect))
        for a in s.adjustments:
            lines.append(RecordLine(s, a.record, adjust_name, "", a.points, ""))
        for r in s.total_records:  # off the total, not an item
            lines.append(RecordLine(s, r, "扣总分", r.label.split(" / ")[-1], -r.deduction, ""))
        for r in s.veto_records:
            effect = "一票否决 → " + veto_effect(s.veto) if s.veto is not None else ""
            lines.append(RecordLine(s, r, "一票否决", r.label.split(" / ")[-1], None, effect))
        lines.sort(key=lambda x: (x.record.file, x.record.sheet, x.record.line))
        yield from lines


def source_file(r: Record) -> str:
    return f"{r.file}:{r.sheet}" if r.sheet else r.file


def record_row(sheet: ScoreSheet, x: RecordLine) -> list[Value]:
    r = x.record
    rater = sheet.rubric.raters[r.rater].name if r.kind == "rating" and 0 <= r.rater < len(sheet.rubric.raters) else ""
    return [
        x.subject.subject.id, x.subject.subject.name, x.item, x.rule, KIND_NAMES.get(r.kind, r.kind), r.date,
        r.count if r.kind in ("deduction", "total") else None, r.points if r.kind in ("deduction", "total") else None,
        x.change,
        r.value, rater, r.score, x.effect, r.note, source_file(r), r.line,
    ]


def exact(value: Decimal) -> str:
    """The exact value as a plain decimal: no exponent, no ``≈``, no trailing zeros (36.8, 40, -3)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fixed(value: Decimal, decimals: int) -> str:
    """A total with the rubric's decimals: ``95.0`` for 95 when the rubric keeps one decimal."""
    if value.as_tuple().exponent >= -decimals:  # type: ignore[operator]  (never rounds: only pads)
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, len(value.as_tuple().digits) + decimals + 2)
            return format(value.quantize(Decimal(1).scaleb(-decimals)), "f")
    return exact(value)  # more decimals than the rubric keeps: never rounded here


def text_of(value: Value, kind: str = "text", decimals: int = 0) -> str:
    """A value as an export writes it: numbers exact (totals with the rubric's decimals), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fixed(value, decimals) if kind == "total" else exact(value)
    if isinstance(value, (int, date)):
        return str(value)
    return value


def percent_text(value: Value) -> str:
    return "" if value is None else f"{exact(Decimal(value) * 100)}%"  # type: ignore[arg-type]


def title(sheet: ScoreSheet) -> str:
    return f"{sheet.rubric.title} · {sheet.period.label}"
