"""Writing a scored period as a report: choose the format and the file, record provenance, write atomically.

Where the report goes is decided by the command line and kpi.toml (``cli/score_options.py``);
:func:`render_report` turns a sheet into bytes with its provenance and
:func:`write_report` puts them on disk without ever leaving a half-written file.
Nothing here prints or exits: problems are ``ValueError`` (usage) or ``OSError``
(files), for the caller to report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kpi_cli.i18n import N_
from kpi_cli.errors import UsageError
from kpi_cli.inputs.score_run import ScoreRun
from kpi_cli.outputs.atomic import input_overwritten, is_special, same_file, write_all
from kpi_cli.outputs.exporters import export_pieces
from kpi_cli.outputs.provenance import Provenance, build_provenance

STDOUT = "-"


@dataclass(frozen=True)
class OutputPlan:
    format: str
    path: Path | None  # None: stdout
    make_folder: bool = False  # the output folder comes from kpi.toml: create it if missing


__all__ = ["OutputPlan", "render_report", "report_files", "run_provenance", "same_file", "write_report"]


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
) -> tuple[Iterable[bytes], Provenance]:
    """The report's bytes, in pieces made as they are written (see exporters.export_pieces): iterate them once.

    Raises OSError when an input cannot be read again to be hashed."""
    provenance = run_provenance(run, rubric_path=rubric_path, log=log, roster=roster, now=now)
    assert run.sheet is not None
    return export_pieces(plan.format, run.sheet, provenance, width=width, layout=layout), provenance


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
              ("errors", counts.errors), *((("joined", counts.joined),) if counts.joined else ())),
        now=now,
    )


def report_files(plan: OutputPlan, data: bytes | Iterable[bytes], provenance: Provenance
                 ) -> list[tuple[Path, bytes | Iterable[bytes]]]:
    """The files a report is: the report itself, and for CSV its provenance beside it (the CSV stays one table)."""
    assert plan.path is not None
    files = [(plan.path, data)]
    if plan.format == "csv" and not is_special(plan.path):  # no sidecar beside /dev/null or a pipe, as for stdout
        from kpi_cli.outputs.exporters.csv_export import SIDECAR_SUFFIX, provenance_sidecar

        files.append((plan.path.with_name(plan.path.name + SIDECAR_SUFFIX), provenance_sidecar(provenance)))
    return files


def write_report(plan: OutputPlan, data: bytes | Iterable[bytes], provenance: Provenance | None = None, *,
                 inputs: list[tuple[str, Path | str | None]] = ()) -> list[Path]:  # type: ignore[assignment]
    """Write the report's files, all or nothing (the previous ones stay until every new one is complete).

    Raises :class:`~kpi_cli.errors.UsageError` when a file would overwrite one of ``inputs``
    (nothing is written then), OSError when it cannot be written (nothing is changed then).
    """
    assert plan.path is not None
    files = report_files(plan, data, provenance) if provenance is not None else [(plan.path, data)]
    problem = input_overwritten([(N_("the report"), path) for path, _ in files], inputs)
    if problem:
        raise UsageError(problem, "--output")
    if plan.make_folder:
        plan.path.parent.mkdir(parents=True, exist_ok=True)
    write_all(files)
    return [path for path, _ in files]
