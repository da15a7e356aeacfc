"""Read tabular files (logs, rosters) row by row, keeping each row's line.

A :class:`Table` gives the header and an iterator of ``(line, cells)``; rows are
streamed, never all held in memory, and every cell is text.  Problems with the
file itself (cannot be opened, cannot be decoded, no header) and with single
cells (an Excel error value, a formula never calculated, a value in a column
without a heading) are diagnostics, located as ``file:line:col`` or, in a
workbook, ``file:Sheet!B7``.  A row with such a cell is not yielded: its lines
are counted in :attr:`Table.rejected` so that the caller's row counts add up to
:attr:`Table.lines`, the data lines of the file.  A cell of a text file that
spans lines is refused (with the lines where it opens and ends) unless the
caller opts in: it is almost always a quote left open, swallowing the rows
after it.  A line longer than :data:`MAX_LINE` stops the reading.

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

from pathlib import Path

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.i18n import _
from kpi_cli.inputs.csv_table import decide_encoding, open_csv
from kpi_cli.inputs.table_rows import MAX_CELL, Table, problem
from kpi_cli.inputs.xlsx_table import open_xlsx

__all__ = ["MAX_CELL", "Table", "open_table", "estimate_lines"]

CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def open_table(path: Path | str, *, encoding: str | None = None, sheet: str | None = None,
               multiline_cells: bool = False) -> tuple[Table | None, list[Diagnostic]]:
    """Open a CSV, TSV or XLSX file, by its extension; see the module's notes for formats and encodings.

    ``multiline_cells``: accept a quoted cell of a text file that spans lines; by default such a row is
    refused, as it is almost always a quote left open that swallowed the rows after it.

    Returns the table (None when no row can be read) and the problems found while opening it (warnings
    may come with a table).
    """
    name = str(path)
    suffix = Path(path).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return open_xlsx(name, path, sheet)
    if suffix == ".xls":
        return None, [problem(name, _("an Excel 97-2003 workbook (.xls) cannot be read: save it as an Excel workbook "
                                      "(.xlsx) or as CSV UTF-8 (逗号分隔)"), "file-format")]
    if suffix not in CSV_SUFFIXES:
        message = _("cannot read a {suffix} file: give a .csv, .tsv or .xlsx file").format(suffix=suffix) if suffix \
            else _("cannot read a file without an extension: give a .csv, .tsv or .xlsx file")
        return None, [problem(name, message, "file-format")]
    notes: list[Diagnostic] = []
    if sheet:
        notes.append(Diagnostic(name, 0, 0, _("--sheet {sheet} ignored: {name} is not a workbook").format(
                                                sheet=sheet, name=name), "sheet-ignored",
                                "warning"))
    chosen, problems = decide_encoding(name, path, encoding)
    if chosen is None:
        return None, notes + problems
    table = open_csv(name, path, chosen, CSV_SUFFIXES[suffix], multiline_cells=multiline_cells)
    if isinstance(table, Diagnostic):
        return None, notes + [table]
    return table, notes


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
