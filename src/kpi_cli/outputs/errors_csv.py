"""``--errors FILE``: every diagnostic of a run as CSV (UTF-8 with a BOM), to fix a log in Excel."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from kpi_cli.diagnostics import ERROR, Diagnostic

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
