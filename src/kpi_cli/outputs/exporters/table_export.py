"""The text table people see in the terminal, as a file: plain text, no colour, with the provenance."""

from __future__ import annotations

import io

from kpi_cli.outputs.provenance import Provenance
from kpi_cli.engine.results import ScoreSheet


def to_table(sheet: ScoreSheet, provenance: Provenance, *, width: int = 120, layout: str = "auto") -> bytes:
    from kpi_cli.outputs.safe_text import console as safe_console, plain
    from kpi_cli.outputs.screen import score_table, summary_text

    buffer = io.StringIO()
    console = safe_console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(score_table(sheet, width, layout))
    console.print(summary_text(sheet))
    console.print()
    for label, value in provenance.lines():
        console.print(plain(f"{label}: {value}", lines=False), soft_wrap=True)
    return buffer.getvalue().encode("utf-8")
