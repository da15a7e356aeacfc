"""XLSX (openpyxl, imported only here): results, the records behind them, and how the file was made.

- 结果 (results): a header row, one row per subject (best first); the header row
  and the 名次 / 工号 / 姓名 columns are frozen, columns are as wide as their
  contents, figures are numbers (totals shown with the rubric's decimals, pay as
  a percentage) and an autofilter is set.
- 违规情况记录 (records): every record behind a figure, with its source file and line.
- 生成信息 (provenance): rubric and input hashes, period, version, time of the run.

Text is always stored as text (an inline string), never as a formula or an
error value, whatever it starts with: a roster name ``=HYPERLINK(...)`` shows as
those characters.  Cells that a spreadsheet would read as a formula if typed
also get Excel's quote prefix, so editing them keeps them text.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import timezone

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kpi_cli.outputs.provenance import Provenance
from kpi_cli.outputs.safe_text import printable
from kpi_cli.engine.results import ScoreSheet
from kpi_cli.outputs.exporters.common import RECORD_COLUMNS, Column, Value, is_dangerous, record_lines, record_row, result_columns, result_rows

MIN_WIDTH, MAX_WIDTH = 6, 48
BOLD = Font(bold=True)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clean(text: str) -> str:
    """Control characters (not allowed in a workbook) and bidi controls show as visible escapes (``\\x1b``)."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", printable(text))


def _number_format(kind: str, decimals: int) -> str | None:
    if kind == "total":
        return "0." + "0" * decimals if decimals else "0"
    if kind == "percent":
        return "0%"
    if kind == "date":
        return "yyyy-mm-dd"
    return None


def _write_table(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[Value]], decimals: int,
                 freeze: str) -> None:
    widths = [display_width(c.header) for c in columns]
    formats = [_number_format(c.kind, decimals) for c in columns]
    for col, column in enumerate(columns, start=1):
        _put(ws, 1, col, column.header).font = BOLD
    r = 1
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = _put(ws, r, col, value)
            if value is None:
                continue
            if formats[col - 1] is not None and not isinstance(value, str):
                cell.number_format = formats[col - 1]  # type: ignore[assignment]
            shown = value if isinstance(value, str) else str(value)
            widths[col - 1] = max(widths[col - 1], display_width(shown))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = freeze
    if r > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{r}"


def _put(ws: Worksheet, row: int, col: int, value: Value):  # type: ignore[no-untyped-def]
    """One cell; text is forced to be text (never a formula, never an error value like #N/A)."""
    if isinstance(value, str):
        text = _clean(value)
        cell = ws.cell(row=row, column=col)
        cell.value = text
        cell.data_type = "s"
        if is_dangerous(text):
            cell.quotePrefix = True
        return cell
    return ws.cell(row=row, column=col, value=value)


def to_xlsx(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    decimals = sheet.rubric.rounding.decimals
    workbook = Workbook()
    results = workbook.active
    results.title = "结果"
    _write_table(results, result_columns(sheet.rubric), result_rows(sheet), decimals, "D2")

    records = workbook.create_sheet("违规情况记录")
    _write_table(records, RECORD_COLUMNS, (record_row(sheet, x) for x in record_lines(sheet)), decimals, "C2")

    about = workbook.create_sheet("生成信息")
    pairs = [("考核 (title)", f"{sheet.rubric.title} · {sheet.period.label}"), *provenance.lines()]
    _write_table(about, [Column("项目 (field)"), Column("内容 (value)")], pairs, decimals, "A2")
    about.auto_filter.ref = None

    props = workbook.properties
    props.creator = f"{provenance.tool} {provenance.version}"
    props.title = f"{sheet.rubric.title} · {sheet.period.label}"
    props.subject = f"{sheet.rubric.id} {sheet.period}"
    props.created = provenance.run_at.astimezone(timezone.utc).replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
