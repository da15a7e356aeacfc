"""CSV: the results table, in UTF-8 with a BOM so Excel shows the Chinese correctly.

Layout: the header row, one row per subject (best first), then one empty row
and the provenance as ``# 生成信息`` followed by ``label,value`` rows.  Numbers
are written plainly (36.8, -3, 50%); any text cell that a spreadsheet would
take for a formula (starting with = + - @, tab or CR) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from kpi_cli.outputs.provenance import Provenance
from kpi_cli.engine.results import ScoreSheet
from kpi_cli.outputs.exporters.common import Value, neutralise, percent_text, result_columns, result_rows, text_of


def _cell(value: Value, kind: str) -> str:
    if kind == "percent":
        return percent_text(value)
    if isinstance(value, str):
        return neutralise(value)
    return text_of(value)


def to_csv(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = result_columns(sheet.rubric)
    writer.writerow(neutralise(c.header) for c in columns)
    for row in result_rows(sheet):
        writer.writerow(_cell(value, c.kind) for value, c in zip(row, columns))
    writer.writerow([])
    writer.writerow(["# 生成信息 (provenance)"])
    for label, value in provenance.lines():
        writer.writerow([neutralise(label), neutralise(value)])
    return buffer.getvalue().encode("utf-8-sig")
