"""Read tabular files (logs, rosters) row by row, keeping each row's line.

A :class:`Table` gives the header and an iterator of ``(line, cells)``; rows are
streamed, never all held in memory.  Problems with the file itself (cannot be
opened, cannot be decoded, no header) are diagnostics.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic

csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    file: str
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    sheet: str = ""
    problems: list[Diagnostic] = field(default_factory=list)  # found while reading rows


def open_table(path: Path | str, *, encoding: str | None = None) -> tuple[Table | None, list[Diagnostic]]:
    """Open a CSV file (UTF-8, with or without BOM)."""
    name = str(path)
    try:
        handle = open(path, encoding=encoding or "utf-8-sig", newline="")
    except OSError as exc:
        return None, [Diagnostic(name, 0, 0, f"cannot read file: {exc.strerror or exc}", "io-error")]
    reader = csv.reader(handle)
    table = Table(name, [], 0, iter(()))

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            table.problems.append(Diagnostic(name, reader.line_num, 0, f"malformed CSV: {exc}", "csv"))
        except UnicodeDecodeError as exc:
            table.problems.append(Diagnostic(name, reader.line_num + 1, 0, f"cannot decode the file as "
                                             f"{encoding or 'UTF-8'} ({exc.reason}); save it as UTF-8", "encoding"))
        finally:
            handle.close()

    iterator = rows()
    first = next(iterator, None)
    if first is None:
        problems = table.problems or [Diagnostic(name, 0, 0, "file is empty: no header row", "empty")]
        return None, problems
    table.header_line, table.header = first
    table.rows = iterator
    return table, []
