"""XLSX (openpyxl, imported only here): results, the records behind them, and how the file was made.

- 结果 (results): a header row, one row per subject (best first); the header row
  and the 名次 / 工号 / 姓名 columns are frozen, columns are as wide as their
  contents (the header and the first 1,000 rows), figures are numbers (totals shown with the rubric's decimals, pay as
  a percentage) and an autofilter is set.
- 违规情况记录 (records): every record behind a figure, with its source file and line.
- 生成信息 (provenance): rubric and input hashes, period, version, time of the run.

The workbook is written as a stream (openpyxl's write-only mode): memory does not grow with the rows.

Text is always stored as text (an inline string), never as a formula or an
error value, whatever it starts with: a roster name ``=HYPERLINK(...)`` shows as
those characters.  Cells that a spreadsheet would read as a formula if typed
also get Excel's quote prefix, so editing them keeps them text.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from datetime import timezone

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kpi_cli.outputs.fidelity_view import banner
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


#: Column widths are fitted to the header and the first rows: a workbook written as a stream (openpyxl
#: write-only mode, so memory stays flat) needs them before its first row.
WIDTH_SAMPLE = 1_000
#: Text openpyxl would store as something else: a formula (=...) or an error value (#N/A, #REF!...).
_NOT_PLAIN_TEXT = ("=", "#")


def _write_table(ws: WriteOnlyWorksheet, columns: Sequence[Column], rows: Iterable[Sequence[Value]], decimals: int,
                 freeze: str, autofilter: bool = True) -> None:
    """Header, then the rows, streamed: only the first :data:`WIDTH_SAMPLE` rows are held (for the widths)."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    widths = [display_width(c.header) for c in columns]
    for row in sample:
        for col, value in enumerate(row):
            if value is not None:
                widths[col] = max(widths[col], display_width(value if isinstance(value, str) else str(value)))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = freeze
    header = []
    for column in columns:
        cell = _cell(ws, column.header)
        cell.font = BOLD
        header.append(cell)
    ws.append(header)
    formats = [_number_format(c.kind, decimals) for c in columns]
    styled = [(col, fmt) for col, fmt in enumerate(formats) if fmt is not None]
    count = 0
    for row in chain(sample, rows):
        cells: list[object] = list(row)
        for col, value in enumerate(cells):
            if type(value) is str:
                text = _clean(value)  # type: ignore[arg-type]
                cells[col] = _cell(ws, text) if text.startswith(_NOT_PLAIN_TEXT) or is_dangerous(text) else text
        for col, fmt in styled:
            value = cells[col]
            if value is not None and not isinstance(value, (str, Cell)):
                cell = WriteOnlyCell(ws, value)
                cell.number_format = fmt
                cells[col] = cell
        ws.append(cells)
        count += 1
    if count and autofilter:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _cell(ws: WriteOnlyWorksheet, value: str) -> Cell:
    """A text cell that stays text (never a formula, never an error value like #N/A)."""
    text = _clean(value)
    cell = WriteOnlyCell(ws)
    cell.value = text
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True
    return cell


def to_xlsx(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    decimals = sheet.rubric.rounding.decimals
    workbook = Workbook(write_only=True)
    results = workbook.create_sheet("结果")
    _write_table(results, result_columns(sheet.rubric), result_rows(sheet), decimals, "D2")

    records = workbook.create_sheet("违规情况记录")
    _write_table(records, RECORD_COLUMNS, (record_row(sheet, x) for x in record_lines(sheet)), decimals, "C2")

    about = workbook.create_sheet("生成信息")
    pairs = [("考核 (title)", f"{sheet.rubric.title} · {sheet.period.label}"), *provenance.lines()]
    draft = banner(sheet.rubric)
    if draft:  # a draft rubric says so (草案 · 含重建内容 N 处), here and in the workbook's description
        pairs.insert(1, ("考核表状态 (status)", draft))
    _write_table(about, [Column("项目 (field)"), Column("内容 (value)")], pairs, decimals, "A2", autofilter=False)

    props = workbook.properties
    props.creator = f"{provenance.tool} {provenance.version}"
    props.title = f"{sheet.rubric.title} · {sheet.period.label}"
    props.subject = f"{sheet.rubric.id} {sheet.period}"
    props.description = draft or None
    props.created = provenance.run_at.astimezone(timezone.utc).replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
