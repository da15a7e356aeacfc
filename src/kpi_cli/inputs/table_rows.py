"""What reading a table yields: a :class:`Table` (header, rows as ``(line, cells)``, problems found while
reading, rejected rows), and the small helpers the CSV and workbook readers share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from kpi_cli.diagnostics import Diagnostic

#: The longest cell Excel can hold; a longer one is a quote left open or not a table at all.
MAX_CELL = 32_767
CHUNK = 1 << 18  # bytes read at a time when a whole file is checked
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
    rejected: int = 0  # rows not yielded because of a problem in problems


def problem(file: str, message: str, code: str, line: int = 0) -> Diagnostic:
    return Diagnostic(file, line, 0, message, code)


def io_error(file: str, exc: OSError) -> Diagnostic:
    return problem(file, f"cannot read file: {exc.strerror or exc}", "io-error")


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
