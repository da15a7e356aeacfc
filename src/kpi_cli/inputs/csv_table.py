"""CSV and TSV logs and rosters: the text encoding decided from the bytes before any row is read, then the rows
streamed with the line each starts on (see :mod:`kpi_cli.inputs.tables` for the formats and encodings)."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kpi_cli.diagnostics import Diagnostic, column_letter
from kpi_cli.inputs.table_rows import (
    CHUNK,
    MAX_CELL,
    OLE2_MAGIC,
    ZIP_MAGIC,
    Table,
    io_error,
    problem,
    short,
)
from kpi_cli.inputs.values import EXCEL_ERRORS

csv.field_size_limit(MAX_CELL)

_SAVE_AS = "save it from Excel as CSV UTF-8 (逗号分隔) or give --encoding"


# ---------------------------------------------------------------------------------------------------- encodings

def _label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}.get(name, name)


def decide_encoding(file: str, path: Path | str, forced: str | None) -> tuple[str | None, list[Diagnostic]]:
    """The encoding to read ``path`` with, after checking that the whole file decodes with it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return None, [io_error(file, exc)]
    if not head:
        return None, [problem(file, "file is empty: no header row", "empty")]
    if head.startswith(ZIP_MAGIC):
        return None, [problem(file, "this is an Excel workbook (.xlsx), not a text file: rename it to .xlsx",
                               "file-format")]
    if head.startswith(OLE2_MAGIC):
        return None, [problem(file, "this is an Excel 97-2003 workbook (.xls) or a password-protected workbook, "
                               "not a text file: save it from Excel as CSV UTF-8 (逗号分隔)", "file-format")]
    if forced:
        try:
            name = codecs.lookup(forced).name
        except LookupError:
            return None, [problem(file, f"unknown encoding {forced!r}: use utf-8, gb18030 or utf-16",
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
            return None, [io_error(file, exc)]
        if failure is None:
            return candidate, []
        offset, reason = failure
        if reason == "NUL":
            line = _line_at(path, offset, candidate)
            return None, [problem(file, f"NUL byte at byte offset {offset}: this is not a UTF-8 or GB18030 text "
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
    return None, [problem(file, message, "encoding", line)]


def _first_failure(path: Path | str, encoding: str) -> tuple[int, str] | None:
    """Decode the whole file incrementally; the byte offset and reason of the first failure, or None.

    A NUL character in an ASCII-compatible encoding is a failure too (reason ``"NUL"``).
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    check_nul = not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    offset = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
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
            chunk = fh.read(min(CHUNK, left))
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

def open_csv(name: str, path: Path | str, encoding: str, delimiter: str) -> Table | Diagnostic:
    try:
        handle = open(path, encoding=encoding, newline="")
    except OSError as exc:
        return io_error(name, exc)
    table = Table(name, [], 0, iter(()), encoding=encoding)
    leading: list[str] = []  # the lines up to the first that is not blank, to see its separator
    try:
        while (line := handle.readline()) and len(leading) < 1000:
            leading.append(line)
            if line.strip(" \t\r\n,"):
                break
    except (OSError, UnicodeError) as exc:
        handle.close()
        return problem(name, f"cannot read file: {exc}", "io-error")
    first = leading[-1] if leading else ""
    if delimiter == "," and "\t" in first and "," not in first:
        delimiter = "\t"  # Excel's "Unicode 文本" saved under a .csv name
    reader = csv.reader(itertools.chain(leading, handle), delimiter=delimiter, strict=True)
    rows = _csv_rows(table, reader, handle)
    header = next(rows, None)
    if header is None:
        return table.problems[0] if table.problems else problem(name, "file is empty: no header row", "empty")
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
                table.problems.append(_csvproblem(table.file, start, reader.line_num, str(exc)))
                if width >= 0:
                    table.rejected += 1
                start = reader.line_num + 1
    except (OSError, UnicodeError) as exc:  # the file changed or vanished while being read
        table.problems.append(problem(table.file, f"cannot read file: {exc}", "io-error", start))
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
        table.problems.append(Diagnostic(table.file, line, index + 1, f"{short(cell)!r} is in column "
                                         f"{column_letter(index + 1)}, which has no heading (the header has {width} "
                                         "columns; a comma inside a cell that is not quoted?)", "no-heading"))
    table.rejected += 1


def _csvproblem(file: str, start: int, stop: int, error: str) -> Diagnostic:
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
