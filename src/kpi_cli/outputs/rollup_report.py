"""A roll-up as a report: table, csv, json, xlsx or markdown, like ``kpi score`` (same cell safety).

Columns: 名次, 工号, 姓名, 部门, one per period of the span (the figure used, empty when missing),
总分, 等级, 结果, 部门名次.  Figures are exact decimals (plain numbers in CSV/XLSX, strings in JSON).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from kpi_cli.engine.rollup import RollupSheet, working
from kpi_cli.outputs.exporters.common import Column, Value, neutralise, text_of

SCHEMA = "kpi-cli/rollup/1"


def columns(sheet: RollupSheet) -> list[Column]:
    cols = [Column("名次", "rank"), Column("工号"), Column("姓名"), Column("部门")]
    cols.extend(Column(str(p), "number") for p in sheet.periods)
    cols.append(Column("总分", "total"))
    cols.extend([Column("等级"), Column("结果"), Column("部门名次", "rank")])
    return cols


def rows(sheet: RollupSheet) -> list[list[Value]]:
    out: list[list[Value]] = []
    for s in sheet.subjects:
        row: list[Value] = [s.rank, s.subject_id, s.name, s.department]
        row.extend([p.value for p in s.parts])
        row.extend([s.total, s.grade.label if s.grade else "", s.outcome.label if s.outcome else "",
                    s.department_rank])
        out.append(row)
    return out


def title(sheet: RollupSheet) -> str:
    return f"{sheet.rubric_id} · {sheet.span.label} ({sheet.span})"


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def to_dict(sheet: RollupSheet) -> dict[str, object]:
    rule = sheet.rule
    return {
        "schema": SCHEMA,
        "rubric": sheet.rubric_id,
        "source": sheet.source_id,
        "span": str(sheet.span),
        "periods": [str(p) for p in sheet.periods],
        "closed": [str(p) for p in sheet.closed],
        "rule": {"method": rule.method, "missing": rule.missing, "decimals": rule.rounding.decimals,
                 "weights": {str(k): _num(v) for k, v in rule.weights.items()}},
        "subjects": [{
            "rank": s.rank, "id": s.subject_id, "name": s.name, "department": s.department, "role": s.role,
            "parts": [{"period": str(p.period), "value": _num(p.value), "weight": _num(p.weight),
                       "version": p.result.version if p.result else None,
                       "total": _num(p.result.total) if p.result else None} for p in s.parts],
            "raw_total": _num(s.raw_total), "total": _num(s.total),
            "grade": s.grade.label if s.grade else None, "outcome": s.outcome.label if s.outcome else None,
            "department_rank": s.department_rank, "working": working(s),
        } for s in sheet.subjects],
    }


def render(fmt: str, sheet: RollupSheet, *, width: int = 120) -> bytes:
    if fmt == "json":
        return (json.dumps(to_dict(sheet), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    cols = columns(sheet)
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(neutralise(c.header) for c in cols)
        texts: dict[object, str] = {}  # a year repeats few figures: each written out once (equal -> same text)
        for row in rows(sheet):
            cells = []
            for v in row:
                if isinstance(v, str):
                    cells.append(neutralise(v))
                else:
                    text = texts.get(v)
                    if text is None:
                        text = texts[v] = text_of(v)
                    cells.append(text)
            writer.writerow(cells)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "markdown":
        from kpi_cli.outputs.exporters.markdown_export import escape

        right = {"number", "total", "rank"}
        lines = [f"# {escape(title(sheet))}", "", "| " + " | ".join(escape(c.header) for c in cols) + " |",
                 "|" + "|".join("---:" if c.kind in right else "---" for c in cols) + "|"]
        lines.extend("| " + " | ".join(escape(text_of(v)) for v in row) + " |" for row in rows(sheet))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(sheet, cols)
    from rich.console import Console

    from kpi_cli.outputs.cycle_screen import rollup_table

    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    console.print(title(sheet), markup=False)
    console.print(rollup_table(sheet))
    return console.file.getvalue().encode("utf-8")  # type: ignore[attr-defined]


def _xlsx(sheet: RollupSheet, cols: list[Column]) -> bytes:
    from datetime import datetime, timezone

    from kpi_cli.outputs.exporters.xlsx_export import _clean, _write_table  # the score export's table writer
    from kpi_cli.outputs.exporters.xlsx_writer import XlsxBook

    buffer = io.BytesIO()
    book = XlsxBook(buffer, when=datetime.now(timezone.utc).replace(tzinfo=None), text_filter=_clean)
    try:
        _write_table(book, "汇总", cols, rows(sheet), sheet.rule.rounding.decimals, "C2")
        book.close(creator="kpi-cli", title=title(sheet))
    except BaseException:
        book.abort()
        raise
    return buffer.getvalue()
