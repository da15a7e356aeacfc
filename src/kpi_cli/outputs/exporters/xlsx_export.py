"""XLSX (written by exporters/xlsx_writer.py, streamed): results, the records behind them, and how the file was made.

- 结果 (results): a header row, one row per subject (best first); the header row
  and the 名次 / 工号 / 姓名 columns are frozen, columns are as wide as their
  contents (the header and the first 1,000 rows), figures are numbers (totals shown with the rubric's decimals, pay as
  a percentage) and an autofilter is set.
- 违规情况记录 (records): every record behind a figure, with its source file and line.
- 生成信息 (provenance): rubric and input hashes, period, version, time of the run.

The workbook is written as a stream (sheet by sheet into the zip): memory does not grow with the rows.

Text is always stored as text (an inline string), never as a formula or an
error value, whatever it starts with: a roster name ``=HYPERLINK(...)`` shows as
those characters.  Cells that a spreadsheet would read as a formula if typed
also get Excel's quote prefix, so editing them keeps them text.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO
from datetime import timezone
from itertools import chain, islice

from kpi_cli.engine.results import ScoreSheet
from kpi_cli.outputs.exporters.common import RECORD_COLUMNS, Column, Value, record_lines, record_row, result_columns, result_rows
from kpi_cli.outputs.exporters.xlsx_writer import _NOT_XML, Style, XlsxBook
from kpi_cli.outputs.fidelity_view import banner, note_rows
from kpi_cli.outputs.provenance import Provenance
from kpi_cli.outputs.safe_text import printable

MIN_WIDTH, MAX_WIDTH = 6, 48


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK characters count double."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clean(text: str) -> str:
    """Control characters (not allowed in a workbook) and bidi controls show as visible escapes (``\\x1b``)."""
    return _NOT_XML.sub("\ufffd", printable(text))


def _number_format(kind: str, decimals: int) -> str | None:
    if kind == "total":
        return "0." + "0" * decimals if decimals else "0"
    if kind == "percent":
        return "0%"
    if kind == "date":
        return "yyyy-mm-dd"
    return None


#: Column widths are fitted to the header and the first rows: a workbook written as a stream needs them
#: before its first row.
WIDTH_SAMPLE = 1_000


def _write_table(book: XlsxBook, name: str, columns: Sequence[Column], rows: Iterable[Sequence[Value]],
                 decimals: int, freeze: str, autofilter: bool = True) -> None:
    """Header, then the rows, streamed: only the first :data:`WIDTH_SAMPLE` rows are held (for the widths)."""
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    widths = [display_width(c.header) for c in columns]
    for row in sample:
        for col, value in enumerate(row):
            if value is not None:
                widths[col] = max(widths[col], display_width(value if isinstance(value, str) else str(value)))
    formats = [_number_format(c.kind, decimals) for c in columns]
    styles: list[Style | None] = [book.style(f) if f else None for f in formats]
    sheet = book.sheet(name, widths=[min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths], freeze=freeze,
                       styles=styles)
    bold = book.style(bold=True)
    sheet.row([c.header for c in columns], styles=[bold] * len(columns))
    for row in chain(sample, rows):
        sheet.row(row)
    if autofilter:
        sheet.autofilter()
    book.close_sheet(sheet)


def write_xlsx(target: IO[bytes], sheet: ScoreSheet, provenance: Provenance) -> None:
    """The workbook, written into ``target`` (a seekable binary file)."""
    created = provenance.run_at.astimezone(timezone.utc).replace(tzinfo=None)
    book = XlsxBook(target, when=created, text_filter=_clean)
    try:
        _write_sheets(book, sheet, provenance, sheet.rubric.rounding.decimals)
    except BaseException:  # an error or an interrupt: no half-written zip left open for the collector
        book.abort()
        raise


def xlsx_chunks(sheet: ScoreSheet, provenance: Provenance, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The workbook in pieces: made in a temporary file (the zip needs to seek), then read out a piece at a
    time, so the report is never whole in memory (300,000 records: some 18 MB compressed)."""
    with tempfile.TemporaryFile() as spool:
        write_xlsx(spool, sheet, provenance)
        spool.seek(0)
        while piece := spool.read(chunk):
            yield piece


def to_xlsx(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet, provenance)
    return buffer.getvalue()


def _write_sheets(book: XlsxBook, sheet: ScoreSheet, provenance: Provenance, decimals: int) -> None:
    _write_table(book, "结果", result_columns(sheet.rubric), result_rows(sheet), decimals, "D2")
    _write_table(book, "违规情况记录", RECORD_COLUMNS, (record_row(sheet, x) for x in record_lines(sheet)), decimals,
                 "C2")
    pairs = [("考核 (title)", f"{sheet.rubric.title} · {sheet.period.label}"), *provenance.lines()]
    draft = banner(sheet.rubric)
    if draft:  # a draft rubric says so (草案 · 含重建内容 N 处), here and in the workbook's description
        pairs.insert(1, ("考核表状态 (status)", draft))
    _write_table(book, "生成信息", [Column("项目 (field)"), Column("内容 (value)")], pairs, decimals, "A2",
                 autofilter=False)
    notes = note_rows(sheet.rubric)
    if notes:  # a draft: what each 【重建】 stands for, one row per reconstructed part
        _write_table(book, "重建内容说明",
                     [Column("序号 (no.)"), Column("重建部分 (part)"), Column("位置 (path)"), Column("说明 (note)")],
                     (tuple(n) for n in notes), decimals, "A2", autofilter=False)
    book.close(creator=f"{provenance.tool} {provenance.version}", title=f"{sheet.rubric.title} · {sheet.period.label}",
               subject=f"{sheet.rubric.id} {sheet.period}", description=draft or None)
