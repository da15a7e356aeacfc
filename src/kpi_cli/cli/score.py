"""``kpi score``: score everyone for one period and print the table or write a report."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.i18n import N_, _, os_reason
from kpi_cli.cli.boundary import EXIT_DATA, EXIT_IO, boundary, exit_code, report
from kpi_cli.cli.main import app, err, out, state
from kpi_cli.cli.shared import (
    EncodingOpt,
    ErrorsOpt,
    Layout,
    MultilineOpt,
    PeriodOpt,
    RosterOpt,
    RosterSheetOpt,
    SheetOpt,
    footer,
    run_log,
)
from kpi_cli.diagnostics import Diagnostic


class ExportFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    markdown = "markdown"


@contextmanager
def few_collections(keep_records: bool) -> Iterator[None]:
    """The cyclic garbage collector paused while a run that keeps every record is scored and written.

    Such a run builds hundreds of thousands of small objects (a record per log row) that live until the
    report is written, and makes almost no reference cycles (a 300,000-row month: some 600 objects
    collected in all); the collector's passes over that growing heap were a quarter of the scoring time
    (6.7 s -> 4.9 s of CPU).  Reference counting still frees everything else as usual.
    """
    if not keep_records or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@app.command(help=N_("Score everyone for one period: totals, grades, outcomes, ranks; print them or write a report."))
def score(
    log: Annotated[Optional[Path], typer.Argument(help=N_("The record log (违规情况记录), CSV; default: log in kpi.toml."),
                                                  show_default=False)] = None,
    rubric: Annotated[Optional[str], typer.Option("--rubric", "-r", help=N_("Rubric id (in --rubrics-dir) or path; "
                                                  "default: rubric in kpi.toml."))] = None,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    layout: Annotated[Layout, typer.Option(help=N_("full: a column per item; compact: only the items that lost "
                                           "points; auto: compact when the full table is too wide."))] = Layout.auto,
    format: Annotated[Optional[ExportFormat], typer.Option("--format", show_default=False, help=N_("table, csv, json, "
                                                           "xlsx or markdown (default: from the --output extension, "
                                                           "else table)."))] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=N_("Write the report to FILE (atomically: "
                                                   "the old file stays until the new one is complete); - for stdout."))]
    = None,
    config: Annotated[Optional[Path], typer.Option("--config", envvar="KPI_CONFIG", help=N_("The project file "
                                                   "(default: ./kpi.toml if there is one)."))] = None,
    today: Annotated[Optional[str], typer.Option("--today", envvar="KPI_TODAY", help=N_("The date last-month etc. count "
                                                 "from, YYYY-MM-DD (default: today)."))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=N_("Print nothing but errors (for cron)."))] = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
    errors: ErrorsOpt = None,
    multiline_cells: MultilineOpt = False,
    db: Annotated[Optional[str], typer.Option("--db", envvar="KPI_DB", show_default=False, help=N_("The ledger, to show "
                                              "the change from the last closed period (default: database in "
                                              "kpi.toml, else kpi.db if there is one)."))] = None,
) -> None:
    from kpi_cli.cli.score_options import resolve_score_options
    from kpi_cli.outputs.report import render_report, write_report

    with boundary():  # kpi.toml, the rubric, the period, the log, the output: checked before any reading
        job = resolve_score_options(log=log, rubric=rubric, roster=roster, period=period, output=output, config=config,
                                    format=None if format is None else format.value, today=today,
                                    rubrics_dir=state.rubrics_dir if state.rubrics_dir_given else None)
    plan = job.plan
    if errors is not None and plan.path is not None:
        from kpi_cli.outputs.atomic import same_file

        if same_file(errors, plan.path) or Path(errors).resolve() == Path(plan.path).resolve():
            with boundary():  # the errors file would be replaced by the report (or the other way round)
                from kpi_cli.errors import UsageError

                raise UsageError(_("--errors and --output name one file, {path}: give two files").format(
                    path=errors), "--errors")
    with few_collections(job.keep_records):
        run = run_log(job.log, job.rubric, job.roster, job.period, keep=job.keep_records, quiet=quiet,
                      encoding=encoding, sheet=sheet, roster_sheet=roster_sheet, errors=errors, inputs=job.inputs,
                      multiline_cells=multiline_cells)
    if not quiet:
        footer(run)
    if run.sheet is None or not run.ok:
        err().print(_("not scored: fix the problems above (no report written)") if plan.path is not None
                    else _("not scored: fix the problems above (no partial results are shown)"), soft_wrap=True)
        raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    if plan.path is None and plan.format == "table":
        from kpi_cli.outputs.screen import SCREEN_ROWS, more_note, score_table, summary_text

        console = out()
        console.print(score_table(run.sheet, console.width, layout.value, limit=SCREEN_ROWS))
        note = more_note(run.sheet, SCREEN_ROWS)
        if note is not None:
            console.print(note, markup=False, highlight=False)
        console.print(summary_text(run.sheet))
        from kpi_cli.cli.ledger_commands import peek_ledger

        view = peek_ledger(db, config, run.sheet)
        if view is not None:
            from kpi_cli.outputs.cycle_screen import change_lines

            for line in change_lines(run.sheet, view, limit=SCREEN_ROWS):
                console.print(line, soft_wrap=True, markup=False, highlight=False)
        return
    plan = job.plan_for(run.sheet.period)  # the period the log covers is known now
    try:
        data, provenance = render_report(plan, run, rubric_path=job.rubric_path, log=job.log, roster=job.roster,
                                         width=160 if plan.path is not None else out().width, layout=layout.value)
    except OSError as exc:
        report([Diagnostic(str(exc.filename or job.log), 0, 0, _("cannot read: {reason}").format(
            reason=os_reason(exc)), "io-error")])
        raise typer.Exit(EXIT_IO) from None
    if plan.path is None:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            typer.echo(b"".join(data).decode("utf-8"), nl=False)
        else:
            for piece in data:
                stream.write(piece)
            stream.flush()
        return
    try:
        with boundary(), few_collections(job.keep_records):  # (the report is made as it is written)
            written = write_report(plan, data, provenance, inputs=job.inputs)
    except OSError as exc:
        report([Diagnostic(str(exc.filename or plan.path), 0, 0, _("cannot write the report: {reason}; the previous "
                                                                  "file, if any, is unchanged").format(
            reason=os_reason(exc)), "io-error")])
        raise typer.Exit(EXIT_IO) from None
    if not quiet:
        err().print(_("wrote {path} ({format}, {subjects} subjects, {period})").format(
            path=plan.path, format=plan.format, subjects=len(run.sheet.subjects), period=run.sheet.period)
                    + "".join(_(" and {path}").format(path=p) for p in written[1:]), soft_wrap=True)
