"""Read tabular files (logs, rosters) row by row, keeping each row's line.

A :class:`Table` gives the header and an iterator of ``(line, cells)``; rows are
streamed, never all held in memory, and every cell is text.  Problems with the
file itself (cannot be opened, cannot be decoded, no header) and with single
cells (an Excel error value, a formula never calculated, a value in a column
without a heading) are diagnostics, located as ``file:line:col`` or, in a
workbook, ``file:Sheet!B7``.  A row with such a cell is not yielded: it is
counted in :attr:`Table.rejected` so that the caller's row counts add up.

Formats, by the file's extension:

- ``.csv`` (comma-separated), ``.tsv`` and ``.txt`` (tab-separated, as Excel's
  "Unicode 文本" writes them); a ``.csv`` file whose first line has tabs but no
  comma is read as tab-separated.
- ``.xlsx`` / ``.xlsm`` (openpyxl, read-only): the first sheet, or ``sheet``.

Text encodings, decided from the bytes before any row is read, in this order
and without guessing: a UTF-16 byte-order mark, a UTF-8 byte-order mark, UTF-8,
then GB18030 (which covers GBK and GB2312, what Chinese Excel writes for
"CSV (逗号分隔)").  UTF-8 is tried first because UTF-8 bytes often decode as
GB18030 without an error, as nonsense.  ``encoding`` forces one.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kpi_cli.diagnostics import ERROR, Diagnostic, column_letter
from kpi_cli.inputs.values import EXCEL_ERRORS

#: The longest cell Excel can hold; a longer one is a quote left open or not a table at all.
MAX_CELL = 32_767
csv.field_size_limit(MAX_CELL)

CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_CHUNK = 1 << 18
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "save it from Excel as CSV UTF-8 (逗号分隔) or give --encoding"


@dataclass
class Table:
    file: str
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    sheet: str = ""
    problems: list[Diagnostic] = field(default_factory=list)  # found while reading rows
    encoding: str = ""  # the text encoding used ("" for a workbook)
    rejected: int = 0  # rows not yielded because of a problem in problems


def open_table(path: Path | str, *, encoding: str | None = None,
               sheet: str | None = None) -> tuple[Table | None, list[Diagnostic]]:
    """Open a CSV, TSV or XLSX file, by its extension; see the module's notes for formats and encodings.

    Returns the table (None when no row can be read) and the problems found while opening it (warnings
    may come with a table).
    """
    name = str(path)
    suffix = Path(path).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(name, path, sheet)
    if suffix == ".xls":
        return None, [_problem(name, "an Excel 97-2003 workbook (.xls) cannot be read: save it as an Excel workbook "
                               "(.xlsx) or as CSV UTF-8 (逗号分隔)", "file-format")]
    if suffix not in CSV_SUFFIXES:
        what = f"a {suffix} file" if suffix else "a file without an extension"
        return None, [_problem(name, f"cannot read {what}: give a .csv, .tsv or .xlsx file", "file-format")]
    notes: list[Diagnostic] = []
    if sheet:
        notes.append(Diagnostic(name, 0, 0, f"--sheet {sheet} ignored: {name} is not a workbook", "sheet-ignored",
                                "warning"))
    chosen, problems = _decide_encoding(name, path, encoding)
    if chosen is None:
        return None, notes + problems
    table = _open_csv(name, path, chosen, CSV_SUFFIXES[suffix])
    if isinstance(table, Diagnostic):
        return None, notes + [table]
    return table, notes


def _problem(file: str, message: str, code: str, line: int = 0) -> Diagnostic:
    return Diagnostic(file, line, 0, message, code)


def _io_error(file: str, exc: OSError) -> Diagnostic:
    return _problem(file, f"cannot read file: {exc.strerror or exc}", "io-error")


# ---------------------------------------------------------------------------------------------------- encodings

def _label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}.get(name, name)


def _decide_encoding(file: str, path: Path | str, forced: str | None) -> tuple[str | None, list[Diagnostic]]:
    """The encoding to read ``path`` with, after checking that the whole file decodes with it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return None, [_io_error(file, exc)]
    if not head:
        return None, [_problem(file, "file is empty: no header row", "empty")]
    if head.startswith(_ZIP_MAGIC):
        return None, [_problem(file, "this is an Excel workbook (.xlsx), not a text file: rename it to .xlsx",
                               "file-format")]
    if head.startswith(_OLE2_MAGIC):
        return None, [_problem(file, "this is an Excel 97-2003 workbook (.xls) or a password-protected workbook, "
                               "not a text file: save it from Excel as CSV UTF-8 (逗号分隔)", "file-format")]
    if forced:
        try:
            name = codecs.lookup(forced).name
        except LookupError:
            return None, [_problem(file, f"unknown encoding {forced!r}: use utf-8, gb18030 or utf-16",
                                   "bad-encoding")]
        candidates = ["utf-8-sig" if name == "utf-8" else name]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "gb18030"]
    failures: list[tuple[str, int, int, str]] = []
    for candidate in candidates:
        try:
            failure = _first_failure(path, candidate)
        except OSError as exc:
            return None, [_io_error(file, exc)]
        if failure is None:
            return candidate, []
        offset, reason = failure
        if reason == "NUL":
            line = _line_at(path, offset, candidate)
            return None, [_problem(file, f"NUL byte at byte offset {offset}: this is not a UTF-8 or GB18030 text "
                                   "file (UTF-16 without a byte-order mark? a binary file?); " + _SAVE_AS,
                                   "encoding", line)]
        failures.append((candidate, offset, _line_at(path, offset, candidate), reason))
    candidate, offset, line, reason = failures[0]
    if len(failures) == 1:
        how = "given by --encoding" if forced else "as its byte-order mark says"
        message = (f"cannot decode the file as {_label(candidate)} ({how}): {reason} at line {line}, byte offset "
                   f"{offset}; give the right --encoding or save it as CSV UTF-8")
    else:
        _, offset2, line2, _ = failures[1]
        message = (f"cannot decode the file: not UTF-8 ({reason} at line {line}, byte offset {offset}) nor GB18030 "
                   f"(at line {line2}, byte offset {offset2}); " + _SAVE_AS)
    return None, [_problem(file, message, "encoding", line)]


def _first_failure(path: Path | str, encoding: str) -> tuple[int, str] | None:
    """Decode the whole file incrementally; the byte offset and reason of the first failure, or None.

    A NUL character in an ASCII-compatible encoding is a failure too (reason ``"NUL"``).
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    check_nul = not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    offset = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if check_nul and (nul := chunk.find(b"\x00")) >= 0:
                try:  # a decoding error before the NUL comes first
                    decoder.decode(chunk[:nul], final=False)
                except UnicodeDecodeError as exc:
                    return _decode_failure(exc, offset, chunk)
                return offset + nul, "NUL"
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return _decode_failure(exc, offset, chunk)
            except UnicodeError as exc:  # UTF-16 without a byte-order mark
                return offset, str(exc)
            if not chunk:
                return None
            offset += len(chunk)


def _decode_failure(exc: UnicodeDecodeError, offset: int, chunk: bytes) -> tuple[int, str]:
    buffered = len(exc.object) - len(chunk)  # bytes kept from the previous chunk (an unfinished character)
    at = max(0, offset - buffered + exc.start)
    bad = bytes(exc.object[exc.start:exc.start + 1])
    reason = f"byte 0x{bad.hex().upper()}" if bad else "the file ends inside a character"
    if "truncated" in exc.reason or "unexpected end" in exc.reason:
        reason = "the file ends inside a character"
    return at, reason


def _line_at(path: Path | str, offset: int, encoding: str) -> int:
    """The 1-based line of byte ``offset``, counting CR LF, LF and a lone CR (old Mac) as one break each."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    lines, last = 1, ""
    left = offset
    with open(path, "rb") as fh:
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            text = decoder.decode(chunk)
            if not text:
                continue
            lines += text.count("\n") + text.count("\r") - text.count("\r\n")
            if last == "\r" and text[0] == "\n":
                lines -= 1
            last = text[-1]
    return lines


# ---------------------------------------------------------------------------------------------------- CSV

def _open_csv(name: str, path: Path | str, encoding: str, delimiter: str) -> Table | Diagnostic:
    try:
        handle = open(path, encoding=encoding, newline="")
    except OSError as exc:
        return _io_error(name, exc)
    table = Table(name, [], 0, iter(()), encoding=encoding)
    leading: list[str] = []  # the lines up to the first that is not blank, to see its separator
    try:
        while (line := handle.readline()) and len(leading) < 1000:
            leading.append(line)
            if line.strip(" \t\r\n,"):
                break
    except (OSError, UnicodeError) as exc:
        handle.close()
        return _problem(name, f"cannot read file: {exc}", "io-error")
    first = leading[-1] if leading else ""
    if delimiter == "," and "\t" in first and "," not in first:
        delimiter = "\t"  # Excel's "Unicode 文本" saved under a .csv name
    reader = csv.reader(itertools.chain(leading, handle), delimiter=delimiter, strict=True)
    rows = _csv_rows(table, reader, handle)
    header = next(rows, None)
    if header is None:
        return table.problems[0] if table.problems else _problem(name, "file is empty: no header row", "empty")
    table.header_line, table.header = header
    table.rows = rows
    return table


def _csv_rows(table: Table, reader: Any, handle: Any) -> Iterator[tuple[int, list[str]]]:
    """The header (first non-blank row), then the non-blank rows, each with the line it starts on.

    Malformed rows and rows with a refused cell (see :func:`_refuse`) become problems and reading goes on.
    This is the per-row path of every log: the common row (no more cells than the header, no Excel
    error value, a first cell that is not blank) costs one length check and one set test.
    """
    start = 1
    width = -1
    clean = EXCEL_ERRORS.isdisjoint
    join = "".join
    try:
        while True:
            try:
                if width < 0:
                    for cells in reader:
                        if join(cells).strip():
                            width = _width(cells)
                            yield start, cells
                            start = reader.line_num + 1
                            break
                        start = reader.line_num + 1
                    else:
                        return
                for cells in reader:
                    if len(cells) <= width and clean(cells):
                        if cells and (cells[0].strip() or join(cells).strip()):
                            yield start, cells
                    elif join(cells).strip():
                        if clean(cells) and not join(cells[width:]).strip():
                            yield start, cells
                        else:
                            _refuse(table, start, cells, width)
                    start = reader.line_num + 1
                return
            except csv.Error as exc:
                table.problems.append(_csv_problem(table.file, start, reader.line_num, str(exc)))
                if width >= 0:
                    table.rejected += 1
                start = reader.line_num + 1
    except (OSError, UnicodeError) as exc:  # the file changed or vanished while being read
        table.problems.append(_problem(table.file, f"cannot read file: {exc}", "io-error", start))
    finally:
        handle.close()


def _width(header: list[str]) -> int:
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    return width


def _refuse(table: Table, line: int, cells: list[str], width: int) -> None:
    """Report a row with Excel error values or values in columns without a heading; it is not used."""
    for index, cell in enumerate(cells):
        if cell in EXCEL_ERRORS:
            table.problems.append(Diagnostic(table.file, line, index + 1, f"{cell} is an Excel error value, not a "
                                             "value: fix the formula in this cell or type the value", "excel-error"))
    extra = [(i, c) for i, c in enumerate(cells) if i >= width and c.strip()]
    if extra:
        index, cell = extra[0]
        table.problems.append(Diagnostic(table.file, line, index + 1, f"{_short(cell)!r} is in column "
                                         f"{column_letter(index + 1)}, which has no heading (the header has {width} "
                                         "columns; a comma inside a cell that is not quoted?)", "no-heading"))
    table.rejected += 1


def _csv_problem(file: str, start: int, stop: int, error: str) -> Diagnostic:
    if "unexpected end of data" in error:
        message = "a quoted cell that starts on this row is never closed: the file ends inside quotes"
    elif "field larger than field limit" in error:
        message = (f"a cell is longer than {MAX_CELL:,} characters, the most a cell can hold (a quote left open?)")
    elif "expected after" in error:
        where = f" on line {stop}" if stop != start else ""
        message = (f"malformed quoting{where}: text after the closing quote of a cell; quote the whole cell and "
                   'double each quote inside it ("")')
    else:
        message = f"malformed CSV: {error}"
    return Diagnostic(file, start, 0, message, "csv")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ---------------------------------------------------------------------------------------------------- XLSX

def _open_xlsx(name: str, path: Path | str, sheet: str | None) -> tuple[Table | None, list[Diagnostic]]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        return None, [_io_error(name, exc)]
    if not head:
        return None, [_problem(name, "file is empty: not an Excel workbook", "empty")]
    if not head.startswith(_ZIP_MAGIC):
        if head.startswith(_OLE2_MAGIC):
            message = ("this is an Excel 97-2003 workbook (.xls) or a password-protected workbook: save it as an "
                       "Excel workbook (.xlsx) without a password")
        elif _looks_like_text(head):
            message = "this is a text file (CSV?) with an .xlsx name, not an Excel workbook: rename it to .csv"
        else:
            message = "not an Excel workbook (.xlsx): save it from Excel as an Excel workbook"
        return None, [_problem(name, message, "file-format")]
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        return None, [_problem(name, "reading .xlsx files needs openpyxl: pip install openpyxl", "file-format")]
    books: list[Any] = []
    try:
        with _quiet():
            books.append(openpyxl.load_workbook(path, read_only=True, data_only=True))
            sheets = [ws.title for ws in books[0].worksheets]
            title = None if not sheets else sheets[0] if sheet is None else _find_sheet(sheet, sheets)
            values_ws = formulas_ws = None
            if title is not None:
                values_ws = books[0][title]
                # Formulas are read too, in step, to tell a formula never calculated from an empty cell; only
                # when the sheet has some, as reading a sheet twice takes twice as long.
                if _has_formulas(path, getattr(values_ws, "_worksheet_path", None)):
                    books.append(openpyxl.load_workbook(path, read_only=True, data_only=False))
                    formulas_ws = books[1][title]
    except OSError as exc:
        _close(*books)
        return None, [_io_error(name, exc)]
    except Exception as exc:  # noqa: BLE001 - any failure of a damaged workbook is a problem of the file
        _close(*books)
        return None, [_problem(name, f"cannot read the workbook, it is damaged or incomplete ({_reason(exc)}): "
                               "open it in Excel and save it again", "file-format")]
    if not sheets:
        _close(*books)
        return None, [_problem(name, "the workbook has no worksheet", "empty")]
    if title is None or values_ws is None:
        _close(*books)
        return None, [_problem(name, f"no sheet {sheet!r} in the workbook; its sheets: {', '.join(sheets)}",
                               "no-sheet")]
    for ws in (values_ws, formulas_ws):
        if ws is not None:
            ws.reset_dimensions()  # trust the cells, not the size the file claims
    table = Table(name, [], 0, iter(()), sheet=title)
    rows = _xlsx_rows(table, values_ws, formulas_ws, tuple(books))
    header = next(rows, None)
    if header is None:
        problems = table.problems or [_problem(name, f"sheet {title} is empty: no header row", "empty")]
        return None, problems
    table.header_line, table.header = header
    table.rows = rows
    return table, []


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence openpyxl, which warns, and even prints to stdout, about damaged files (we report them)."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(path: Path | str, member: str | None) -> bool:
    """Whether the sheet's XML has a formula element (True when that cannot be told)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            members = [member] if member in names else [n for n in names if n.startswith("xl/worksheets/")]
            for name in members:
                with archive.open(name) as fh:
                    tail = b""
                    while chunk := fh.read(_CHUNK):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-64:]
    except Exception:  # noqa: BLE001 - a damaged archive: let the reading itself report it
        return True
    return False


def _close(*books: Any) -> None:
    for book in books:
        try:
            book.close()
        except Exception:  # noqa: BLE001,S110 - closing a damaged archive may fail; nothing is lost
            pass


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return _short(text, 120)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _find_sheet(wanted: str, sheets: Sequence[str]) -> str | None:
    if wanted in sheets:
        return wanted
    from kpi_cli.inputs.columns import header_key

    key = header_key(wanted)
    matches = [s for s in sheets if header_key(s) == key]
    return matches[0] if len(matches) == 1 else None


def _xlsx_rows(table: Table, values_ws: Any, formulas_ws: Any, books: tuple[Any, ...]
               ) -> Iterator[tuple[int, list[str]]]:
    """The header (first non-blank row), then the non-blank rows whose cells all have a value."""
    file, title = table.file, table.sheet
    values = values_ws.iter_rows()
    formulas = formulas_ws.iter_rows(values_only=True) if formulas_ws is not None else iter(())
    width = 0
    number = 0
    try:
        while True:
            try:
                with _quiet():
                    row = next(values, None)
                    formula_row = next(formulas, None)
            except Exception as exc:  # noqa: BLE001 - a damaged sheet (truncated, bad XML)
                table.problems.append(Diagnostic(file, number + 1, 0, "cannot read the rest of the sheet, the "
                                                 f"workbook is damaged ({_reason(exc)}): open it in Excel and save "
                                                 "it again", "file-format", sheet=title))
                return
            if row is None:
                return
            number += 1
            cells: list[str] = []
            bad: list[Diagnostic] = []
            for index, cell in enumerate(row):
                text = _cell_text(cell, formula_row[index] if formula_row and index < len(formula_row) else None)
                if isinstance(text, str):
                    cells.append(text)
                else:
                    cells.append("")
                    bad.append(Diagnostic(file, number, index + 1, text[0], text[1], sheet=title))
            while cells and not cells[-1].strip():
                cells.pop()
            if not width:  # the header
                if not cells and not bad:
                    continue
                width = len(cells)
                table.problems.extend(bad)
                yield number, cells
                continue
            if not cells and not bad:
                continue
            for index in range(width, len(cells)):
                if cells[index].strip():
                    bad.append(Diagnostic(file, number, index + 1, f"{_short(cells[index])!r} is in a column "
                                          "without a heading: give the column a heading or clear the cell",
                                          "no-heading", sheet=title))
                    break
            if bad:
                table.problems.extend(bad)
                table.rejected += 1
                continue
            yield number, cells
    finally:
        _close(*books)


def _cell_text(cell: Any, formula: Any) -> str | tuple[str, str]:
    """A cell's value as the text a person would type (or Excel's CSV export writes); or (message, code)."""
    value = cell.value
    if value is None:
        if formula is not None and getattr(cell, "data_type", "n") != "str" and _is_formula(formula):
            return (f"the formula {_short(_formula_text(formula))} has never been calculated (the file was not "
                    "saved by Excel): open the file in Excel and save it, or type the value", "formula")
        return ""
    if isinstance(value, str):
        if getattr(cell, "data_type", "s") == "e" or value in EXCEL_ERRORS:
            return (f"{value} is an Excel error value, not a value: fix the formula in this cell or type the value",
                    "excel-error")
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        format_id = _format_id(cell)
        if format_id in _CJK_DATES or format_id in _CJK_TIMES:
            when = _from_serial(value, cell)
            if when is not None:
                return _cell_text(SimpleNamespace(value=when if format_id in _CJK_DATES else when.time()), None)
        if isinstance(value, int):
            return _integer_text(value, cell)
        return _float_text(value, cell)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {value.time().replace(microsecond=0).isoformat()}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _is_formula(value: Any) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or hasattr(value, "text")


def _formula_text(value: Any) -> str:
    return str(getattr(value, "text", value))


_ZEROS = re.compile(r"^0+$")
# Built-in number formats of Chinese (and Japanese, Korean) Excel, stored by number only, which openpyxl does
# not know: dates (yyyy"年"m"月"d"日", m"月"d"日", yyyy"年"m"月"...) and times (h"时"mm"分"...).
_CJK_DATES = frozenset({27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58})
_CJK_TIMES = frozenset({32, 33, 34, 35, 55, 56})


def _format_id(cell: Any) -> int:
    try:
        with _quiet():
            return int(cell.style_array.numFmtId)
    except Exception:  # noqa: BLE001 - no style (an empty cell, a damaged file): General
        return 0


def _from_serial(value: float, cell: Any) -> datetime | None:
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    try:
        when = from_excel(value, getattr(cell.parent.parent, "epoch", CALENDAR_WINDOWS_1900))
    except Exception:  # noqa: BLE001 - not a serial a date can have
        return None
    return when if isinstance(when, datetime) else None


def _number_format(cell: Any) -> str:
    try:
        with _quiet():
            return str(cell.number_format)
    except Exception:  # noqa: BLE001 - a missing style in a damaged file: General
        return "General"


def _integer_text(value: int, cell: Any) -> str:
    fmt = _number_format(cell)
    if fmt == "General":
        return str(value)
    if "%" in fmt:
        return f"{value * 100}%"
    if _ZEROS.match(fmt):  # 000123 shown by a 000000 format, as a 工号 typed into a number cell
        return str(value).zfill(len(fmt)) if value >= 0 else str(value)
    return str(value)


def _float_text(value: float, cell: Any) -> str | tuple[str, str]:
    if value != value or value in (float("inf"), float("-inf")):
        return ("the cell holds no number (NaN or infinity): type the value", "bad-number")
    if abs(value) >= 1e15:
        return (f"{value:.15g} has more than 15 digits: Excel keeps only 15, so its last digits are already lost; "
                "format the column as text (文本) and type it again", "long-number")
    number = Decimal(f"{value:.15g}")  # the 15 significant digits Excel keeps and shows
    fmt = _number_format(cell)
    if "%" in fmt:
        return _plain(number * 100) + "%"
    if number == number.to_integral_value():
        text = str(int(number))
        return text.zfill(len(fmt)) if _ZEROS.match(fmt) and number >= 0 else text
    return _plain(number)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# ---------------------------------------------------------------------------------------------------- progress

def estimate_lines(path: Path | str, min_bytes: int = 0) -> int | None:
    """The lines of a text table, estimated from its size and its first megabyte (for a progress bar).

    None for an .xlsx workbook (no lines to count), a file smaller than ``min_bytes``,
    or one that cannot be read (reading it reports why).
    """
    if Path(path).suffix.lower() in XLSX_SUFFIXES:
        return None
    try:
        size = Path(path).stat().st_size
        if size < min_bytes:
            return None
        with open(path, "rb") as handle:
            sample = handle.read(1 << 20)
    except OSError:
        return None
    return max(1, size * max(1, sample.count(b"\n")) // max(1, len(sample)))


# ---------------------------------------------------------------------------------------------------- errors file

ERRORS_HEADER = ("file", "line", "column", "sheet", "level", "code", "message")


def write_errors_csv(path: Path | str, diagnostics: Iterable[Diagnostic]) -> Diagnostic | None:
    """Write every diagnostic as a CSV row (UTF-8 with a BOM, for Excel); a problem if it cannot be written."""
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(ERRORS_HEADER)
            for d in diagnostics:
                writer.writerow((d.file, d.line, d.column, d.sheet, d.level, d.code, d.message))
    except OSError as exc:
        return Diagnostic(str(path), 0, 0, f"cannot write: {exc.strerror or exc}", "io-error", ERROR)
    return None
