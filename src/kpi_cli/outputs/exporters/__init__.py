"""Exports of a scored period: table (text), CSV, JSON, XLSX and Markdown.

Each exporter takes a frozen :class:`~kpi_cli.results.ScoreSheet` and a
:class:`~kpi_cli.provenance.Provenance` and returns the file's bytes; writing
them (atomically) is the caller's job, see :mod:`kpi_cli.atomic`.  Exporters
are imported only when used, so ``openpyxl`` is loaded only to write XLSX.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from kpi_cli.i18n import _

if TYPE_CHECKING:
    from kpi_cli.outputs.provenance import Provenance
    from kpi_cli.engine.results import ScoreSheet

FORMATS = ("table", "csv", "json", "xlsx", "markdown")

SUFFIXES = {
    ".txt": "table",
    ".csv": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
    ".md": "markdown",
    ".markdown": "markdown",
}

EXTENSIONS = {"table": ".txt", "csv": ".csv", "json": ".json", "xlsx": ".xlsx", "markdown": ".md"}

# Formats that list the records behind the figures (违规情况记录): only these keep them in memory.
WITH_RECORDS = frozenset({"xlsx", "json"})

# Formats that cannot go to a terminal or a pipe as text.
BINARY = frozenset({"xlsx"})


def format_for(path: Path | str) -> str | None:
    """The format a file name asks for (``report.xlsx`` -> ``xlsx``), or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def needs_records(fmt: str) -> bool:
    return fmt in WITH_RECORDS


def export_pieces(fmt: str, sheet: ScoreSheet, provenance: Provenance, *, width: int = 120,
                  layout: str = "auto") -> Iterable[bytes]:
    """The file in pieces, made as they are written: JSON a subject at a time (it can be hundreds of MB), XLSX
    from the temporary file it is compressed into; the other formats in one piece (CSV has no records)."""
    if fmt == "json":
        from kpi_cli.outputs.exporters.json_export import json_chunks

        return json_chunks(sheet, provenance)
    if fmt == "xlsx":
        from kpi_cli.outputs.exporters.xlsx_export import xlsx_chunks

        return xlsx_chunks(sheet, provenance)
    return (export(fmt, sheet, provenance, width=width, layout=layout),)


def export(fmt: str, sheet: ScoreSheet, provenance: Provenance, *, width: int = 120, layout: str = "auto") -> bytes:
    """The bytes of ``sheet`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "csv":
        from kpi_cli.outputs.exporters.csv_export import to_csv

        return to_csv(sheet, provenance)
    if fmt == "json":
        from kpi_cli.outputs.exporters.json_export import to_json

        return to_json(sheet, provenance)
    if fmt == "xlsx":
        from kpi_cli.outputs.exporters.xlsx_export import to_xlsx

        return to_xlsx(sheet, provenance)
    if fmt == "markdown":
        from kpi_cli.outputs.exporters.markdown_export import to_markdown

        return to_markdown(sheet, provenance)
    if fmt == "table":
        from kpi_cli.outputs.exporters.table_export import to_table

        return to_table(sheet, provenance, width=width, layout=layout)
    raise ValueError(_("unknown export format {format}").format(format=repr(fmt)))
