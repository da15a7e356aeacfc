"""``kpi payroll`` as a terminal table, CSV, XLSX or JSON.

Amounts are plain exact numbers (``3333.34``, always two decimals) in CSV and JSON, numbers with a
currency format (``¥#,##0.00``) in XLSX, and 发放比例 a plain decimal (``0.5``; a percentage format in
XLSX).  Text cells are data, never markup or formulas: rich ``Text`` on screen, a leading apostrophe in
CSV, an inline string with Excel's quote prefix in XLSX.

CSV layout: the header and one row per person; an empty row; then ``# 部门合计`` and one row per
department and the overall total (部门 empty).  A person whose outcome declares no 发放比例 has empty
发放比例 and 绩效工资 cells.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from rich.table import Table
from rich.text import Text

from kpi_cli.engine.payroll import Payroll, PayTotal
from kpi_cli.engine.scoring import fmt
from kpi_cli.i18n import _
from kpi_cli.outputs.exporters.common import is_dangerous, neutralise
from kpi_cli.outputs.safe_text import printable

SCHEMA = "kpi-cli/payroll/1"
HEADERS = ("工号", "姓名", "部门", "总分", "绩效结果", "发放比例", "绩效工资基数", "绩效工资")
TOTAL_HEADERS = ("部门", "人数", "绩效工资基数合计", "绩效工资合计")
CURRENCY = "¥#,##0.00"
OVERALL = "合计"


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _num(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def _line_values(payroll: Payroll) -> list[list[object]]:
    return [[x.id, x.name, x.department, x.total, x.outcome, x.ratio, x.base, x.amount] for x in payroll.lines]


def _totals(payroll: Payroll) -> list[PayTotal]:
    return [*payroll.departments, payroll.total]


def payroll_table(payroll: Payroll, title: str) -> Table:
    table = Table(title=Text(title), pad_edge=False, collapse_padding=True)  # (fits 80 columns)
    for n, heading in enumerate(HEADERS):
        number = n >= 3 and heading != "绩效结果"
        table.add_column(heading, justify="right" if number else "left", no_wrap=heading != "部门", overflow="fold")
    for n, x in enumerate(payroll.lines, start=1):
        table.add_row(*(Text(printable(c)) for c in (x.id, x.name, x.department, fmt(x.total), x.outcome,
                                          "" if x.ratio is None else f"{fmt(x.ratio * 100)}%", _money(x.base),
                                          "—" if x.amount is None else _money(x.amount))),
                      end_section=n == len(payroll.lines))
    for t in _totals(payroll):
        label = (_("subtotal ({count} people)") if t.department else _("total ({count} people)")).format(
            count=t.people)
        table.add_row(Text(""), Text(label), Text(printable(t.department)), Text(""), Text(""), Text(""),
                      Text(_money(t.base)), Text(_money(t.amount), style="bold"))
    return table


def payroll_csv(payroll: Payroll) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for x in payroll.lines:
        writer.writerow([neutralise(x.id), neutralise(x.name), neutralise(x.department), fmt(x.total),
                         neutralise(x.outcome), _num(x.ratio), _money(x.base), _money(x.amount)])
    writer.writerow([])
    writer.writerow(["# 部门合计"])
    writer.writerow(TOTAL_HEADERS)
    for t in _totals(payroll):
        writer.writerow([neutralise(t.department) if t.department else OVERALL, t.people, _money(t.base),
                         _money(t.amount)])
    return buffer.getvalue().encode("utf-8-sig")


def payroll_json(payroll: Payroll, *, rubric: str, period: str, version: int | None) -> bytes:
    def total(t: PayTotal) -> dict[str, object]:
        return {"department": t.department or None, "people": t.people, "base": _money(t.base),
                "amount": _money(t.amount)}

    data = {"schema": SCHEMA, "rubric": rubric, "period": period, "version": version,
            "lines": [{"id": x.id, "name": x.name, "department": x.department, "total": fmt(x.total),
                       "outcome": x.outcome, "pay_ratio": None if x.ratio is None else fmt(x.ratio),
                       "base": None if x.base is None else _money(x.base),
                       "exact": None if x.exact is None else fmt(x.exact),
                       "amount": None if x.amount is None else _money(x.amount)} for x in payroll.lines],
            "departments": [total(t) for t in payroll.departments], "total": total(payroll.total)}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def payroll_xlsx(payroll: Payroll, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    lines = workbook.active
    lines.title = "绩效工资"

    def put(ws, row: int, col: int, value: object, number_format: str | None = None):  # type: ignore[no-untyped-def]
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            cell.data_type = "s"  # text stays text: never a formula or an error value
            if is_dangerous(value):
                cell.quotePrefix = True
        elif value is not None:
            cell.value = value
            if number_format:
                cell.number_format = number_format
        return cell

    formats = (None, None, None, "0.0##", None, "0%", CURRENCY, CURRENCY)
    for col, heading in enumerate(HEADERS, start=1):
        put(lines, 1, col, heading).font = bold
    for row, values in enumerate(_line_values(payroll), start=2):
        for col, value in enumerate(values, start=1):
            put(lines, row, col, value, formats[col - 1])
    lines.freeze_panes = "C2"
    totals = workbook.create_sheet("部门合计")
    for col, heading in enumerate(TOTAL_HEADERS, start=1):
        put(totals, 1, col, heading).font = bold
    for row, t in enumerate(_totals(payroll), start=2):
        for col, value in enumerate((t.department or OVERALL, t.people, t.base, t.amount), start=1):
            put(totals, row, col, value, CURRENCY if col > 2 else None)
    for ws, widths in ((lines, (10, 10, 14, 8, 12, 10, 14, 14)), (totals, (14, 8, 18, 16))):
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[chr(ord("A") + col - 1)].width = width
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
