"""What reading a table yields: a :class:`Table` (header, rows as ``(line, cells)``, problems found while
reading, rejected rows), and the small helpers the CSV and workbook readers share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kpi_cli.diagnostics import Diagnostic

from kpi_cli.i18n import _, os_reason

#: The longest cell Excel can hold; a longer one is a quote left open or not a table at all.
MAX_CELL = 32_767
#: The longest line a text table may have (30 cells as long as Excel allows): a longer one is not a log, and
#: reading it whole would cost memory (50 MB of commas are 50 million cells).
MAX_LINE = 1 << 20
CHUNK = 1 << 18  # bytes read at a time when a whole file is checked
#: The problems one table (a log, a roster) may report: past them the remaining rows are counted, not checked,
#: so a hostile file of a few MB (millions of lines left in a quote, each "a row" with 3 problems) costs seconds
#: and tens of MB, not minutes and gigabytes.  A real file with this many problems has one cause to fix first.
MAX_PROBLEMS = 10_000


def too_many_problems(file: str, line: int, sheet: str = "") -> Diagnostic:
    return Diagnostic(file, line, 0, _(
        "more than {max:,} problems: the rows after this line are counted as in error but not checked; fix the "
        "problems above first (one cause, such as a quote left open or a wrong column, often makes them "
        "all)").format(max=MAX_PROBLEMS), "too-many-problems", sheet=sheet)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # .xlsx
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted workbook


@dataclass
class Table:
    file: str
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    sheet: str = ""
    problems: list[Diagnostic] = field(default_factory=list)  # found while reading rows
    encoding: str = ""  # the text encoding used ("" for a workbook)
    rejected: int = 0  # lines of the rows not yielded because of a problem in problems
    joined: int = 0  # lines after the first of rows yielded with a cell that spans lines (--multiline-cells)
    #: The data lines of the file (every line after the header that is not blank, in a workbook every row
    #: after the header that is not empty), counted as they are read: the rows used, outside the period, in
    #: error, rejected and joined add up to it.  -1 until every row has been read.
    lines: int = -1


def problem(file: str, message: str, code: str, line: int = 0) -> Diagnostic:
    return Diagnostic(file, line, 0, message, code)


def io_error(file: str, exc: OSError) -> Diagnostic:
    return problem(file, _("cannot read file: {reason}").format(reason=os_reason(exc)), "io-error")


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
