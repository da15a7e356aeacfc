"""What several commands share: the log/rubric/roster options, loading the rubric, reading the log."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kpi_cli.i18n import N_
from kpi_cli.cli.boundary import EXIT_IO, boundary, report
from kpi_cli.cli.main import _no_color, err, state
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.i18n import _
from kpi_cli.engine.periods import Period, PeriodKind, resolve_period

if TYPE_CHECKING:
    from kpi_cli.inputs.score_run import ScoreRun
    from kpi_cli.rubric.model import Rubric


def load_named_rubric(name: str) -> tuple[Path, Rubric]:
    """``--rubric NAME|PATH`` -> its file and the valid rubric, or exit with the reasons."""
    from kpi_cli.rubric.loader import load_named_rubric as load

    with boundary():
        return load(name, state.rubrics_dir)


def parse_period(text: str | None, kind: PeriodKind | None = None) -> Period | None:
    """``2026-10``, ``2026Q4``, or ``last-month`` / ``this-month`` / ``last-quarter`` / ``this-quarter``."""
    if text is None:
        return None
    try:
        return resolve_period(text, kind)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None


def rubric_and_period(name: str, period: str | None) -> tuple[Path, Rubric, Period | None]:
    path, rubric = load_named_rubric(name)
    return path, rubric, parse_period(period, rubric.period)


PROGRESS_MIN_BYTES = 8 << 20  # a progress bar for logs of 8 MB and more (about 100 000 rows)


@contextmanager
def _progress(log: Path, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr while a long log is read: only on a terminal, never with --quiet or NO_COLOR."""
    console = err()
    lines = None
    if not (quiet or _no_color() or not console.is_terminal or console.is_dumb_terminal):
        from kpi_cli.inputs.tables import estimate_lines

        lines = estimate_lines(log, PROGRESS_MIN_BYTES)  # None for .xlsx and small logs
    if lines is None:
        yield None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn(_("reading {file}").format(file="{task.description}")), BarColumn(), TaskProgressColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task(log.name, total=lines)
        yield lambda line: bar.update(task, completed=min(line, lines))


def refuse_overwriting_inputs(outputs: Sequence[tuple[str, Path | str]], inputs: Sequence[tuple[str, Path | str | None]],
                              option: str) -> None:
    """Exit 2 before anything is read or written when an output is an input (outputs.atomic.input_overwritten)."""
    from kpi_cli.errors import UsageError
    from kpi_cli.outputs.atomic import input_overwritten

    problem = input_overwritten(outputs, inputs)
    if problem:
        with boundary():
            raise UsageError(problem, option)


def run_inputs(log: Path, roster: Path | None, rubric: Path | None) -> list[tuple[str, Path | str | None]]:
    return [(N_("log"), log), (N_("roster"), roster), (N_("rubric"), rubric)]


def run_log(log: Path, rubric: Rubric, roster: Path | None, period: Period | None, keep: bool | set[str],
         quiet: bool = False, *, encoding: str | None = None, sheet: str | None = None,
         roster_sheet: str | None = None, errors: Path | None = None,
         inputs: Sequence[tuple[str, Path | str | None]] = (), multiline_cells: bool = False) -> ScoreRun:
    """Read and score the log; ``inputs`` (the rubric, kpi.toml: beyond the log and roster) are what
    ``--errors`` may not overwrite."""
    from kpi_cli.inputs.score_run import score_log

    if errors is not None:
        refuse_overwriting_inputs([(N_("the errors file"), errors)], [*run_inputs(log, roster, None), *inputs],
                                  "--errors")

    with _progress(log, quiet) as progress:
        run = score_log(log, rubric, roster=roster, period=period, keep_records=keep, progress=progress,
                        encoding=encoding, sheet=sheet, roster_sheet=roster_sheet, multiline_cells=multiline_cells)
    shown = [d for d in run.diagnostics if d.is_error] if quiet else run.diagnostics
    if shown:
        report(shown)
    if errors is not None:
        _write_errors(errors, run.diagnostics, quiet)
    return run


def _write_errors(path: Path, diagnostics: Sequence[Diagnostic], quiet: bool) -> None:
    """--errors FILE: every diagnostic as CSV (UTF-8 with BOM), for fixing the log in Excel."""
    from kpi_cli.outputs.errors_csv import write_errors_csv

    problem = write_errors_csv(path, diagnostics)
    if problem is not None:
        report([problem])
        raise typer.Exit(EXIT_IO)
    if not quiet:
        err().print(_("wrote {n} problems to {path}").format(n=len(diagnostics), path=path), soft_wrap=True)


def _check_encoding(value: str | None) -> str | None:
    if value is not None:
        from kpi_cli.inputs.csv_table import encoding_problem

        if (problem := encoding_problem(value)) is not None:
            raise typer.BadParameter(problem)
    return value


def footer(run: ScoreRun) -> None:
    from kpi_cli.outputs.safe_text import plain
    from kpi_cli.outputs.screen import run_footer

    console = err()
    for line in run_footer(run):
        console.print(plain(line, lines=False), soft_wrap=True)


LogArg = Annotated[Path, typer.Argument(help=N_("The record log (违规情况记录): .csv, .tsv or .xlsx."))]
RubricOpt = Annotated[str, typer.Option("--rubric", "-r", help=N_("Rubric id (in --rubrics-dir) or path."))]
RosterOpt = Annotated[Optional[Path], typer.Option("--roster", help=N_("The roster (花名册), .csv, .tsv or .xlsx: 工号, "
                                                  "姓名, 部门, 岗位."))]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", callback=_check_encoding, help=N_("Force the encoding "
                                                    "of CSV/TSV files (utf-8, gb18030, utf-16); default: a BOM, "
                                                    "else UTF-8, else GB18030."))]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help=N_("The worksheet of an .xlsx log "
                                                 "(default: the first)."))]
RosterSheetOpt = Annotated[Optional[str], typer.Option("--roster-sheet", help=N_("The worksheet of an .xlsx roster "
                                                       "(default: the first)."))]
MultilineOpt = Annotated[bool, typer.Option("--multiline-cells", help=N_("Accept CSV/TSV cells that span lines (a note "
                                            "with line breaks); by default such a cell is refused with the lines "
                                            "where it opens and ends, as it is almost always a quote left open."))]
ErrorsOpt = Annotated[Optional[Path], typer.Option("--errors", help=N_("Write every problem to FILE as CSV (file, line, "
                                                   "column, sheet, level, code, message), to fix them in Excel."))]
PeriodOpt = Annotated[Optional[str], typer.Option("--period", "-p", help=N_("2026-10, 2026Q4, last-month, this-month, "
                                                  "last-quarter or this-quarter; default: the period the log covers."))]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class Layout(str, Enum):
    auto = "auto"
    full = "full"
    compact = "compact"
