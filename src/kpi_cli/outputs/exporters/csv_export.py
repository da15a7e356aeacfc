"""CSV: the results table and nothing else, in UTF-8 with a BOM so Excel shows the Chinese correctly.

Layout: the header row, then one row per subject (best first): ONE table, so that
``pandas.read_csv``, Excel and any importer read it as it is.  The provenance (which
rubric, which inputs, when) is not in the table: ``kpi score --output report.csv``
writes it beside the report as ``report.csv.provenance.json``
(:func:`provenance_sidecar`).

Numbers are plain and exact (36.8, -3, 86.49473684210526315789473684; never
``≈``), totals carry the rubric's decimals (95.0), pay is a number of percent
under the heading ``绩效工资(%)`` (50, not ``50%``, which importers read as text).
Text cells show control characters as visible escapes (``\\x1b``), and any text
cell that a spreadsheet would take for a formula (starting with = + - @, tab or
CR) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from kpi_cli.engine.results import ScoreSheet
from kpi_cli.outputs.exporters.common import Value, exact, neutralise, result_columns, result_rows, text_of
from kpi_cli.outputs.provenance import Provenance
from kpi_cli.outputs.safe_text import printable

SIDECAR_SUFFIX = ".provenance.json"


def _cell(value: Value, kind: str, decimals: int) -> str:
    if kind == "percent":
        return "" if value is None else exact(Decimal(value) * 100)  # type: ignore[arg-type]
    if isinstance(value, str):
        return neutralise(printable(value))
    return text_of(value, kind, decimals)


def header(name: str, kind: str) -> str:
    return neutralise(printable(name + ("(%)" if kind == "percent" else "")))


def to_csv(sheet: ScoreSheet, provenance: Provenance | None = None) -> bytes:
    """The results table; ``provenance`` is not written into it (see :func:`provenance_sidecar`)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = result_columns(sheet.rubric)
    decimals = sheet.rubric.rounding.decimals
    writer.writerow(header(c.header, c.kind) for c in columns)
    for row in result_rows(sheet):
        writer.writerow(_cell(value, c.kind, decimals) for value, c in zip(row, columns))
    return buffer.getvalue().encode("utf-8-sig")


def provenance_sidecar(provenance: Provenance) -> bytes:
    """``report.csv.provenance.json``: the provenance of a CSV report, in the JSON export's shape."""
    return (json.dumps(provenance.as_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
