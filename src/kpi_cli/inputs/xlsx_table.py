"""Excel workbooks (.xlsx/.xlsm) with openpyxl in read-only mode: cells as text, dates as dates, Excel error
values and formulas that were never calculated reported at ``file:Sheet!B7``.

Hostile workbooks are refused before openpyxl opens them: the archive's declared sizes and compression ratios
are checked first (:func:`archive_problem`; a zip member never yields more than its declared size), and a cell
longer than Excel allows is refused.  The sheet's rows are read in the order of the file with the row number
each declares (``<row r="7">``), so that a row out of order or given twice is counted and located, never
skipped (openpyxl's own row iterator drops them).  The first *visible* sheet is read by default; hidden sheets
are named in a warning.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kpi_cli.diagnostics import WARNING, Diagnostic, column_letter
from kpi_cli.i18n import _, ngettext
from kpi_cli.inputs.table_rows import (
    CHUNK,
    OLE2_MAGIC,
    ZIP_MAGIC,
    Table,
    io_error,
    problem,
    short,
)
from kpi_cli.inputs.xlsx_archive import archive_problem
from kpi_cli.inputs.xlsx_cells import cell_text, quiet_openpyxl

def open_xlsx(name: str, path: Path | str, sheet: str | None) -> tuple[Table | None, list[Diagnostic]]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        return None, [io_error(name, exc)]
    if not head:
        return None, [problem(name, _("file is empty: not an Excel workbook"), "empty")]
    if not head.startswith(ZIP_MAGIC):
        if head.startswith(OLE2_MAGIC):
            message = (_("this is an Excel 97-2003 workbook (.xls) or a password-protected workbook: save it as an "
                         "Excel workbook (.xlsx) without a password"))
        elif _looks_like_text(head):
            message = _("this is a text file (CSV?) with an .xlsx name, not an Excel workbook: rename it to .csv")
        else:
            message = _("not an Excel workbook (.xlsx): save it from Excel as an Excel workbook")
        return None, [problem(name, message, "file-format")]
    if (refused := archive_problem(name, path)) is not None:
        return None, [refused]
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        return None, [problem(name, _("reading .xlsx files needs openpyxl: pip install openpyxl"), "file-format")]
    books: list[Any] = []
    hidden: list[str] = []
    try:
        with quiet_openpyxl():
            books.append(openpyxl.load_workbook(path, read_only=True, data_only=True))
            sheets = [ws.title for ws in books[0].worksheets]
            hidden = [ws.title for ws in books[0].worksheets if getattr(ws, "sheet_state", "visible") != "visible"]
            visible = [title for title in sheets if title not in hidden]
            if sheet is None:
                title = visible[0] if visible else None
            else:
                title = _find_sheet(sheet, sheets)
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
        return None, [io_error(name, exc)]
    except Exception as exc:  # noqa: BLE001 - any failure of a damaged workbook is a problem of the file
        _close(*books)
        return None, [problem(name, _("cannot read the workbook, it is damaged or incomplete ({reason}): open it in "
                                      "Excel and save it again").format(reason=_reason(exc)), "file-format")]
    if not sheets:
        _close(*books)
        return None, [problem(name, _("the workbook has no worksheet"), "empty")]
    if title is None or values_ws is None:
        _close(*books)
        if sheet is None:
            return None, [problem(name, _("every sheet of the workbook is hidden ({sheets}): unhide the sheet to "
                                          "score in Excel, or name it with --sheet").format(sheets=", ".join(hidden)),
                                  "hidden-sheet")]
        return None, [problem(name, _("no sheet {sheet} in the workbook; its sheets: {sheets}").format(
                                        sheet=repr(sheet), sheets=", ".join(sheets)),
                               "no-sheet")]
    notes: list[Diagnostic] = []
    if title in hidden:
        notes.append(Diagnostic(name, 0, 0, _("sheet {title} is hidden in Excel; read as --sheet asks").format(
                                title=title),
                                "hidden-sheet", WARNING))
    elif hidden:
        notes.append(Diagnostic(name, 0, 0, ngettext(
            "hidden sheet {sheets} not read (often an old copy); read: {title}, the first visible sheet; give "
            "--sheet to read another", "hidden sheets {sheets} not read (often an old copy); read: {title}, the first "
            "visible sheet; give --sheet to read another", len(hidden)).format(sheets=", ".join(hidden), title=title),
            "hidden-sheet", WARNING))
    table = Table(name, [], 0, iter(()), sheet=title)
    rows = _xlsx_rows(table, values_ws, formulas_ws, tuple(books))
    header = next(rows, None)
    if header is None:
        problems = table.problems or [problem(name, _("sheet {title} is empty: no header row").format(title=title),
                                              "empty")]
        return None, notes + problems
    table.header_line, table.header = header
    table.rows = rows
    return table, notes


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
                    while chunk := fh.read(CHUNK):
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
    return short(text, 120)


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


def _sheet_rows(ws: Any, hidden: list[int] | None = None) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Every ``<row>`` of the sheet's XML in file order: its declared number and its cells (openpyxl's parsed
    cell dicts: row, column, value, data_type, style_id); the numbers of hidden rows are added to ``hidden``."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            if hidden is not None and cells:
                attrs = parser.row_dimensions.get(str(number))
                if attrs and str(attrs.get("hidden", "")).lower() in ("1", "true"):
                    hidden.append(number)
            yield number, cells


def _row_cells(ws: Any, cells: list[dict[str, Any]]) -> tuple[list[Any], int]:
    """The row's cells by column (None where there is none) and the first column given twice (0: none)."""
    from openpyxl.cell.read_only import ReadOnlyCell

    width = max((c["column"] for c in cells), default=0)
    out: list[Any] = [None] * width
    twice = 0
    for cell in cells:
        index = cell["column"] - 1
        if out[index] is not None and not twice:
            twice = index + 1
        out[index] = ReadOnlyCell(ws, **cell)
    return out, twice


_EMPTY = SimpleNamespace(value=None, data_type="n")


def _xlsx_rows(table: Table, values_ws: Any, formulas_ws: Any, books: tuple[Any, ...]
               ) -> Iterator[tuple[int, list[str]]]:
    """The header (first non-blank row), then the non-blank rows whose cells all have a value.

    Rows are numbered as the file declares them; a row out of order or given twice, a cell given twice, is
    refused and located (a workbook Excel saved has none).  :attr:`Table.lines` counts the non-empty rows
    after the header.
    """
    file, title = table.file, table.sheet
    hidden: list[int] = []
    values = _sheet_rows(values_ws, hidden)
    formulas = _sheet_rows(formulas_ws) if formulas_ws is not None else iter(())
    width = 0
    header_row = 0
    last = 0  # the highest row number seen
    lines = 0
    try:
        while True:
            try:
                with quiet_openpyxl():
                    row = next(values, None)
                    formula_row = next(formulas, None)
            except Exception as exc:  # noqa: BLE001 - a damaged sheet (truncated, bad XML, a bad row number)
                table.problems.append(Diagnostic(file, last + 1, 0, _("cannot read the rest of the sheet, the "
                                                                      "workbook is damaged ({reason}): open it in "
                                                                      "Excel and save it again").format(
                                                                          reason=_reason(exc)), "file-format", sheet=title))
                return
            if row is None:
                table.lines = lines
                if hidden_data := [n for n in hidden if n > header_row]:
                    shown = ", ".join(map(str, hidden_data[:20])) + (_(" and {n} more").format(
                        n=len(hidden_data) - 20) if len(hidden_data) > 20 else "")
                    table.problems.append(Diagnostic(file, hidden_data[0], 0, ngettext(
                        "row {rows} is hidden in Excel: it is read and scored like the others (unhide it to check "
                        "it; delete a row that must not count)",
                        "rows {rows} are hidden in Excel: they are read and scored like the others (unhide them to "
                        "check them; delete a row that must not count)", len(hidden_data)).format(rows=shown),
                        "hidden-row", WARNING, sheet=title))
                return
            number, parsed = row
            row_cells, twice = _row_cells(values_ws, parsed)
            formula_cells: list[Any] = []
            if formula_row is not None:
                formula_cells, _twice = _row_cells(formulas_ws, formula_row[1])
            cells: list[str] = []
            bad: list[Diagnostic] = []
            for index, cell in enumerate(row_cells):
                formula = formula_cells[index].value if index < len(formula_cells) and formula_cells[index] else None
                text = cell_text(cell or _EMPTY, formula)
                if isinstance(text, str):
                    cells.append(text)
                else:
                    cells.append("")
                    bad.append(Diagnostic(file, number, index + 1, text[0], text[1], sheet=title))
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells and not bad:
                last = max(last, number)
                continue
            if number <= last:
                if number == last:
                    order = _("row {number} is given twice: the workbook was not saved by Excel; open it in Excel and "
                              "save it again").format(number=number)
                else:
                    order = _("row {number} comes after row {last} in the file (out of order): the workbook was not "
                              "saved by Excel; open it in Excel and save it again").format(number=number, last=last)
                bad.insert(0, Diagnostic(file, number, 0, order, "row-order", sheet=title))
            if twice:
                bad.append(Diagnostic(file, number, twice, _("cell {cell} is given twice: the workbook was not saved "
                                                             "by Excel; open it in Excel and save it again").format(
                                      cell=f"{column_letter(twice)}{number}"), "row-order", sheet=title))
            last = max(last, number)
            if not width:  # the header
                header_row = number
                width = len(cells) or 1
                table.problems.extend(bad)
                yield number, cells
                continue
            lines += 1
            for index in range(len(cells)):
                if cells[index].strip() and (index >= width or not table.header[index].strip()):
                    bad.append(Diagnostic(file, number, index + 1, _("{cell} is in a column without a heading: give "
                                                                     "the column a heading or clear the cell").format(
                                                                       cell=repr(short(cells[index]))),
                                          "no-heading", sheet=title))
                    break
            if bad:
                table.problems.extend(bad)
                table.rejected += 1
                continue
            yield number, cells
    finally:
        _close(*books)
