"""``--errors FILE``: every diagnostic of a run as CSV (UTF-8 with a BOM), to fix a log in Excel.

Written atomically (the previous file stays until the new one is complete); the messages quote cells
of the log, so text is made safe as in the CSV report: control characters shown as escapes, a cell that
Excel would take for a formula prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from kpi_cli.diagnostics import ERROR, Diagnostic
from kpi_cli.outputs.atomic import write_atomic
from kpi_cli.outputs.exporters.common import neutralise
from kpi_cli.outputs.safe_text import printable

from kpi_cli.i18n import _, os_reason

ERRORS_HEADER = ("file", "line", "column", "sheet", "level", "code", "message")


def _text(value: str) -> str:
    return neutralise(printable(value))


def errors_csv(diagnostics: Iterable[Diagnostic]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(ERRORS_HEADER)
    for d in diagnostics:
        writer.writerow((_text(d.file), d.line, d.column, _text(d.sheet or ""), d.level, d.code, _text(d.message)))
    return buffer.getvalue().encode("utf-8-sig")


def write_errors_csv(path: Path | str, diagnostics: Iterable[Diagnostic]) -> Diagnostic | None:
    """Write every diagnostic as a CSV row (UTF-8 with a BOM, for Excel); a problem if it cannot be written."""
    try:
        write_atomic(path, errors_csv(diagnostics))
    except OSError as exc:
        return Diagnostic(str(path), 0, 0, _("cannot write: {reason}").format(reason=os_reason(exc)), "io-error", ERROR)
    return None
