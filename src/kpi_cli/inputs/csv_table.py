"""CSV and TSV logs and rosters: the text encoding decided from the bytes before any row is read, then the rows
streamed with the line each starts on (see :mod:`kpi_cli.inputs.tables` for the formats and encodings)."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kpi_cli.diagnostics import Diagnostic, column_letter
from kpi_cli.i18n import N_, _, ngettext, os_reason
from kpi_cli.inputs.table_rows import (
    CHUNK,
    MAX_CELL,
    MAX_LINE,
    OLE2_MAGIC,
    ZIP_MAGIC,
    Table,
    io_error,
    problem,
    short,
)
from kpi_cli.inputs.values import EXCEL_ERRORS

csv.field_size_limit(MAX_CELL)

_SAVE_AS = N_("save it from Excel as CSV UTF-8 (逗号分隔) or give --encoding")


# ---------------------------------------------------------------------------------------------------- encodings

def _label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16",
            "utf-32": "UTF-32"}.get(name, name)


# Codecs Python knows that turn bytes into text but are no character set a table is saved in.
_NOT_CHARSETS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "utf-7",
                           "mbcs", "oem"})


def encoding_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file's text encoding (unknown; a bytes-to-bytes codec such as rot13, base64,
    hex, zlib, uu; an escape scheme such as punycode), or None when it can."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return _("unknown encoding {value}: use utf-8, gb18030 or utf-16").format(value=repr(name))
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _NOT_CHARSETS:
        return _("{value} is not a text encoding (a file is not saved in it): use utf-8, gb18030 or utf-16").format(
            value=repr(name))
    return None


def decide_encoding(file: str, path: Path | str, forced: str | None) -> tuple[str | None, list[Diagnostic]]:
    """The encoding to read ``path`` with, after checking that the whole file decodes with it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return None, [io_error(file, exc)]
    if not head:
        return None, [problem(file, _("file is empty: no header row"), "empty")]
    if head.startswith(ZIP_MAGIC):
        return None, [problem(file, _("this is an Excel workbook (.xlsx), not a text file: rename it to .xlsx"),
                               "file-format")]
    if head.startswith(OLE2_MAGIC):
        return None, [problem(file, _("this is an Excel 97-2003 workbook (.xls) or a password-protected workbook, "
                                      "not a text file: save it from Excel as CSV UTF-8 (逗号分隔)"), "file-format")]
    if forced:
        if (refused := encoding_problem(forced)) is not None:
            return None, [problem(file, refused, "bad-encoding")]
        name = codecs.lookup(forced).name
        candidates = ["utf-8-sig" if name == "utf-8" else name]
    elif head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00 starts FF FE
        candidates = ["utf-32"]
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
            return None, [problem(file, _("NUL byte at byte offset {offset}: this is not a UTF-8 or GB18030 text "
                                          "file (UTF-16 or UTF-32 without a byte-order mark? a binary file?); ").format(
                                   offset=offset) + _(_SAVE_AS),
                                   "encoding", line)]
        if reason == "NUL character":
            line = _line_at(path, offset, candidate)
            wide = "UTF-32" if _label(candidate) == "UTF-16" else _("another encoding")
            return None, [problem(file, _("a NUL character near byte offset {offset} when read as {encoding}: the "
                                          "file is not {encoding} ({other}? a binary file?); ").format(
                offset=offset, encoding=_label(candidate), other=wide) + _(_SAVE_AS), "encoding", line)]
        failures.append((candidate, offset, _line_at(path, offset, candidate), reason))
    candidate, offset, line, reason = failures[0]
    if len(failures) == 1:
        how = _("given by --encoding") if forced else _("as its byte-order mark says")
        message = (_("cannot decode the file as {encoding} ({how}): {reason} at line {line}, byte offset {offset}; "
                     "give the right --encoding or save it as CSV UTF-8").format(
                       encoding=_label(candidate), how=how, reason=reason, line=line, offset=offset))
    else:
        _encoding, offset2, line2, _reason = failures[1]
        message = (_("cannot decode the file: not UTF-8 ({reason} at line {line}, byte offset {offset}) nor GB18030 "
                     "(at line {line2}, byte offset {offset2}); ").format(
                       reason=reason, line=line, offset=offset, line2=line2, offset2=offset2) + _(_SAVE_AS))
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
                text = decoder.decode(chunk, final=not chunk)
                if not check_nul and (nul := text.find("\x00")) >= 0:  # UTF-32 read as UTF-16: NUL characters
                    return offset + min(len(chunk), nul * 2), "NUL character"
            except UnicodeDecodeError as exc:
                return _decode_failure(exc, offset, chunk)
            except UnicodeError as exc:  # UTF-16 without a byte-order mark
                return offset, _("the file does not start with a byte-order mark (BOM)") if "BOM" in str(exc) \
                    else str(exc)
            if not chunk:
                return None
            offset += len(chunk)


def _decode_failure(exc: UnicodeDecodeError, offset: int, chunk: bytes) -> tuple[int, str]:
    buffered = len(exc.object) - len(chunk)  # bytes kept from the previous chunk (an unfinished character)
    at = max(0, offset - buffered + exc.start)
    bad = bytes(exc.object[exc.start:exc.start + 1])
    reason = _("byte 0x{hex}").format(hex=bad.hex().upper()) if bad else _("the file ends inside a character")
    if "truncated" in exc.reason or "unexpected end" in exc.reason:
        reason = _("the file ends inside a character")
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

def open_csv(name: str, path: Path | str, encoding: str, delimiter: str, *,
             multiline_cells: bool = False) -> Table | Diagnostic:
    """The table of a text file; ``multiline_cells``: accept a quoted cell that spans lines (else refused)."""
    try:
        handle = open(path, encoding=encoding, newline="")
    except OSError as exc:
        return io_error(name, exc)
    table = Table(name, [], 0, iter(()), encoding=encoding)
    leading: list[str] = []  # the lines up to the first that is not blank, to see its separator
    try:
        while (line := handle.readline(MAX_LINE + 1)) and len(leading) < 1000:
            if len(line) > MAX_LINE:
                handle.close()
                return problem(name, _too_long(), "line-too-long", len(leading) + 1)
            leading.append(line)
            if line.strip(" \t\r\n,"):
                break
    except (OSError, UnicodeError) as exc:
        handle.close()
        return problem(name, _("cannot read file: {reason}").format(reason=os_reason(exc)), "io-error")
    first = leading[-1] if leading else ""
    if delimiter == "," and "\t" in first and "," not in first:
        delimiter = "\t"  # Excel's "Unicode 文本" saved under a .csv name
    tail = [0]  # lines left unread after a line too long (they are counted, not read)
    reader = csv.reader(_bounded(table, leading, handle, tail), delimiter=delimiter, strict=True)
    rows = _csv_rows(table, reader, handle, tail, multiline_cells)
    header = next(rows, None)
    if header is None:
        return table.problems[0] if table.problems else problem(name, _("file is empty: no header row"), "empty")
    table.header_line, table.header = header
    table.rows = rows
    return table


def _too_long() -> str:
    return _("this line is longer than {max:,} characters: not a log (a quote left open? a file of one long "
             "line?); reading stops here, the lines from here on are not read").format(max=MAX_LINE)


def _bounded(table: Table, leading: list[str], handle: Any, tail: list[int]) -> Iterator[str]:
    """The file's lines, each at most :data:`MAX_LINE` characters; at a longer one, a problem, and the rest of
    the file is only counted (``tail[0]``: its lines, that one included), in bounded memory."""
    yield from leading
    readline = handle.readline
    number = len(leading)
    while line := readline(MAX_LINE + 1):
        if len(line) > MAX_LINE:
            table.problems.append(problem(table.file, _too_long(), "line-too-long", number + 1))
            tail[0] = _count_lines(handle, line)
            return
        number += 1
        yield line


def _count_lines(handle: Any, started: str) -> int:
    """The lines from ``started`` (the start of a line) to the end of ``handle``, read in bounded pieces: its
    line breaks (CR LF, LF, a lone CR), plus one for a last line without one."""
    count, last = 0, ""
    chunk = started
    while chunk:
        count += chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n") - (last == "\r" and chunk[0] == "\n")
        last = chunk[-1]
        chunk = handle.read(CHUNK)
    return count + (last not in ("\n", "\r"))


def _csv_rows(table: Table, reader: Any, handle: Any, tail: list[int], multiline: bool
              ) -> Iterator[tuple[int, list[str]]]:
    """The header (first non-blank row), then the non-blank rows, each with the line it starts on.

    Malformed rows, rows with a refused cell (see :func:`_odd_row`) and, unless ``multiline``, rows with a
    cell that spans lines become problems and reading goes on.  This is the per-row path of every log: the
    common row (on one line, no more cells than the header, no Excel error value, a first cell that is not
    blank) costs a comparison, a length check and one set test.  :attr:`Table.lines` counts the data lines.
    """
    start = 1
    width = -1
    header_end = 0
    blank = 0
    inner: tuple[int, ...] = ()  # columns without a heading between columns with one
    clean = EXCEL_ERRORS.isdisjoint
    join = "".join
    try:
        while True:
            try:
                if width < 0:
                    for cells in reader:
                        if join(cells).strip():
                            width = _width(cells)
                            inner = tuple(i for i in range(width) if not cells[i].strip())
                            header_end = reader.line_num
                            yield start, cells
                            start = reader.line_num + 1
                            break
                        start = reader.line_num + 1
                    else:
                        return
                plain = not inner
                for cells in reader:
                    end = reader.line_num
                    if end == start and len(cells) <= width and clean(cells) and (plain or _no_inner(cells, inner)):
                        if cells and (cells[0].strip() or join(cells).strip()):
                            yield start, cells
                        else:
                            blank += 1
                    elif not join(cells).strip():
                        blank += end - start + 1
                    elif _odd_row(table, start, end, cells, width, inner, multiline):
                        yield start, cells
                    start = end + 1
                table.lines = reader.line_num + tail[0] - header_end - blank
                table.rejected += tail[0]
                return
            except csv.Error as exc:
                if not tail[0]:  # a row cut short by a line too long is part of what is not read
                    table.problems.append(_csvproblem(table.file, start, reader.line_num, str(exc)))
                if width >= 0:
                    table.rejected += max(1, reader.line_num - start + 1)
                start = reader.line_num + 1
    except (OSError, UnicodeError) as exc:  # the file changed or vanished while being read
        table.problems.append(problem(table.file, _("cannot read file: {reason}").format(reason=os_reason(exc)), "io-error", start))
    finally:
        handle.close()


def _width(header: list[str]) -> int:
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    return width


def _no_inner(cells: list[str], inner: tuple[int, ...]) -> bool:
    size = len(cells)
    return not any(cells[i].strip() for i in inner if i < size)


def _odd_row(table: Table, start: int, end: int, cells: list[str], width: int, inner: tuple[int, ...],
             multiline: bool) -> bool:
    """Whether a row off the common path is used; if not, its problems are reported and its lines rejected.

    Refused: a cell that spans lines (unless ``multiline``), an Excel error value, a value in a column without
    a heading (beyond the header's last or between two headings).
    """
    span = end - start + 1
    found: list[Diagnostic] = []
    file = table.file
    if span > 1 and not multiline:
        index = next((i for i, c in enumerate(cells) if "\n" in c or "\r" in c), -1)
        found.append(Diagnostic(file, start, index + 1, ngettext(
            "a cell opens on line {start} and ends on line {end}, taking {n} more line into it (a quote left open?): "
            "close the quote, or double a quote inside a cell (\"\"); if the line breaks are meant, give "
            "--multiline-cells",
            "a cell opens on line {start} and ends on line {end}, taking {n} more lines into it (a quote left open?): "
            "close the quote, or double a quote inside a cell (\"\"); if the line breaks are meant, give "
            "--multiline-cells", span - 1).format(start=start, end=end, n=span - 1), "multiline-cell"))
    for index, cell in enumerate(cells):
        if cell in EXCEL_ERRORS:
            found.append(Diagnostic(file, start, index + 1, _("{cell} is an Excel error value, not a value: fix the "
                                                              "formula in this cell or type the value").format(
                cell=cell), "excel-error"))
    extra = next(((i, c) for i, c in enumerate(cells) if (i >= width or i in inner) and c.strip()), None)
    if extra is not None:
        index, cell = extra
        if index >= width:
            message = _("{cell} is in column {column}, which has no heading (the header has {width} columns; a "
                        "comma inside a cell that is not quoted?)")
        else:
            message = _("{cell} is in column {column}, which has no heading (its heading is blank: give the column "
                        "a heading, or clear the cell)")
        found.append(Diagnostic(file, start, index + 1, message.format(
            cell=repr(short(cell)), column=column_letter(index + 1), width=width), "no-heading"))
    if found:
        table.problems.extend(found)
        table.rejected += span
        return False
    table.joined += span - 1
    return True


def _csvproblem(file: str, start: int, stop: int, error: str) -> Diagnostic:
    if "unexpected end of data" in error:
        message = _("a quoted cell that starts on this row is never closed: the file ends inside quotes")
    elif "field larger than field limit" in error:
        message = (_("a cell is longer than {max:,} characters, the most a cell can hold (a quote left open?)").format(
                       max=MAX_CELL))
    elif "expected after" in error:
        where = _(" on line {stop}").format(stop=stop) if stop != start else ""
        message = (_("malformed quoting{where}: text after the closing quote of a cell; quote the whole cell and "
                     "double each quote inside it (\"\")").format(where=where))
    else:
        message = _("malformed CSV: {error}").format(error=error)
    return Diagnostic(file, start, 0, message, "csv")
