"""``kpi check``: check a log and roster against a rubric without scoring."""

from __future__ import annotations

import typer

from kpi_cli.i18n import N_, _
from kpi_cli.cli.boundary import EXIT_DATA, EXIT_OK, exit_code
from kpi_cli.cli.main import app
from kpi_cli.cli.shared import (
    EncodingOpt,
    ErrorsOpt,
    LogArg,
    MultilineOpt,
    PeriodOpt,
    RosterOpt,
    RosterSheetOpt,
    RubricOpt,
    SheetOpt,
    footer,
    rubric_and_period,
    run_log,
)


@app.command(help=N_("Check a log (and roster) against a rubric without printing scores."))
def check(log: LogArg, rubric: RubricOpt, roster: RosterOpt = None, period: PeriodOpt = None,
          encoding: EncodingOpt = None, sheet: SheetOpt = None, roster_sheet: RosterSheetOpt = None,
          errors: ErrorsOpt = None, multiline_cells: MultilineOpt = False) -> None:
    """Check a log (and roster) against a rubric without printing scores."""
    rubric_path, the_rubric, chosen = rubric_and_period(rubric, period)
    run = run_log(log, the_rubric, roster, chosen, keep=False, encoding=encoding, sheet=sheet, roster_sheet=roster_sheet,
               errors=errors, inputs=[(N_("rubric"), rubric_path)], multiline_cells=multiline_cells)
    footer(run)
    if run.ok:
        typer.echo(_("OK: {records} records for {subjects} subjects in {period}").format(
            records=run.counts.used, subjects=len(run.sheet.subjects), period=run.period))  # type: ignore[union-attr]
    raise typer.Exit(EXIT_OK if run.ok else (exit_code(run.diagnostics) or EXIT_DATA))
