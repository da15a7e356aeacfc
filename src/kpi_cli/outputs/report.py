"""Writing a scored period as a report: choose the format and the file, record provenance, write atomically.

Where the report goes is decided by the command line and kpi.toml (``cli/score_options.py``);
:func:`render_report` turns a sheet into bytes with its provenance and
:func:`write_report` puts them on disk without ever leaving a half-written file.
Nothing here prints or exits: problems are ``ValueError`` (usage) or ``OSError``
(files), for the caller to report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kpi_cli.inputs.score_run import ScoreRun
from kpi_cli.outputs.atomic import write_atomic
from kpi_cli.outputs.exporters import export
from kpi_cli.outputs.provenance import Provenance, build_provenance

STDOUT = "-"


@dataclass(frozen=True)
class OutputPlan:
    format: str
    path: Path | None  # None: stdout
    make_folder: bool = False  # the output folder comes from kpi.toml: create it if missing




def same_file(a: Path | str, b: Path | str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def render_report(
    plan: OutputPlan,
    run: ScoreRun,
    *,
    rubric_path: Path | str,
    log: Path | str,
    roster: Path | str | None,
    now: datetime | None = None,
    width: int = 120,
    layout: str = "auto",
) -> tuple[bytes, Provenance]:
    """The report's bytes; raises OSError when an input cannot be read again to be hashed."""
    provenance = run_provenance(run, rubric_path=rubric_path, log=log, roster=roster, now=now)
    assert run.sheet is not None
    return export(plan.format, run.sheet, provenance, width=width, layout=layout), provenance


def run_provenance(
    run: ScoreRun,
    *,
    rubric_path: Path | str,
    log: Path | str,
    roster: Path | str | None,
    now: datetime | None = None,
) -> Provenance:
    """What a report (or the printed forms) says about the run that made it: rubric, inputs, period, rows.

    Raises OSError when an input cannot be read again to be hashed.
    """
    sheet = run.sheet
    assert sheet is not None, "provenance needs a scored run"
    inputs: list[tuple[str, Path | str]] = [("log", log)]
    if roster is not None:
        inputs.append(("roster", roster))
    counts = run.counts
    return build_provenance(
        rubric_id=sheet.rubric.id,
        rubric_title=sheet.rubric.title,
        rubric_path=rubric_path,
        period=str(sheet.period),
        inputs=inputs,
        rows=(("read", counts.read), ("used", counts.used), ("outside_period", counts.outside_period),
              ("errors", counts.errors)),
        now=now,
    )


def write_report(plan: OutputPlan, data: bytes) -> None:
    """Write the report file atomically (the previous one stays until the new one is complete)."""
    assert plan.path is not None
    if plan.make_folder:
        plan.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(plan.path, data)
