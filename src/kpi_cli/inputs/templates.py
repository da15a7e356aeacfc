"""Empty log and roster files with the right headers, for people who fill them in Excel."""

from __future__ import annotations

import csv
from pathlib import Path

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.inputs.columns import LOG_COLUMNS, ROSTER_COLUMNS, Column

LOG_TEMPLATE = "log-template.csv"
ROSTER_TEMPLATE = "roster-template.csv"


def _write(path: Path, columns: tuple[Column, ...]) -> None:
    # UTF-8 with a BOM, so Excel shows the Chinese headers correctly
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerow(c.chinese for c in columns)


def write_templates(folder: Path, *, force: bool = False) -> tuple[list[Path], list[Diagnostic]]:
    targets = [(folder / LOG_TEMPLATE, LOG_COLUMNS), (folder / ROSTER_TEMPLATE, ROSTER_COLUMNS)]
    existing = [p for p, _ in targets if p.exists()]
    if existing and not force:
        return [], [Diagnostic(str(p), 0, 0, "already exists; use --force to overwrite", "exists") for p in existing]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, columns in targets:
            _write(path, columns)
    except OSError as exc:
        return [], [Diagnostic(str(folder), 0, 0, f"cannot write: {exc.strerror or exc}", "io-error")]
    return [p for p, _ in targets], []
