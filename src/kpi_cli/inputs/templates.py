"""Empty log and roster files with the right headers, for people who fill them in Excel.

Only their content is made here (inputs/ writes nothing); ``kpi template`` writes them
with :func:`kpi_cli.outputs.atomic.write_all`, both or neither.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kpi_cli.inputs.columns import LOG_COLUMNS, ROSTER_COLUMNS, Column

LOG_TEMPLATE = "log-template.csv"
ROSTER_TEMPLATE = "roster-template.csv"


def _header(columns: tuple[Column, ...]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(c.chinese for c in columns)
    return buffer.getvalue().encode("utf-8-sig")  # UTF-8 with a BOM, so Excel shows the Chinese headers correctly


def template_files(folder: Path) -> list[tuple[Path, bytes]]:
    """The empty log and roster for ``folder``: ``(path, bytes)``."""
    return [(folder / LOG_TEMPLATE, _header(LOG_COLUMNS)), (folder / ROSTER_TEMPLATE, _header(ROSTER_COLUMNS))]
