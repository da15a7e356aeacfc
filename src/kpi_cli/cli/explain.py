"""``kpi explain``: the receipt behind one person's total."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.i18n import N_, _
from kpi_cli.cli.boundary import EXIT_DATA, exit_code
from kpi_cli.cli.main import app, err, out
from kpi_cli.cli.shared import (
    EncodingOpt,
    ErrorsOpt,
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


@app.command(help=N_("The receipt for one person: every record, rule and calculation behind the total."))
def explain(
    rubric: RubricOpt,
    employee: Annotated[str, typer.Option("--employee", "-e", help=N_("The 工号 to explain."))],
    log: Annotated[Optional[Path], typer.Argument(help=N_("The record log (违规情况记录): .csv, .tsv or .xlsx "
                                                  "(not with --rollup)."), show_default=False)] = None,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
    errors: ErrorsOpt = None,
    multiline_cells: MultilineOpt = False,
    rollup: Annotated[Optional[str], typer.Option("--rollup", help=N_("Explain a roll-up instead (2026Q3, 2026H1, "
                                                  "2026): each closed period it used and the arithmetic."))] = None,
    db: Annotated[Optional[str], typer.Option("--db", envvar="KPI_DB", show_default=False, help=N_("The ledger (default: "
                                              "database in kpi.toml, else kpi.db if there is one)."))] = None,
) -> None:
    from kpi_cli.outputs.receipt_view import receipt

    if rollup is not None:
        from kpi_cli.cli.ledger_reports import compute_rollup, print_receipt

        print_receipt(compute_rollup(rollup, rubric, db, None), employee)
        return
    if log is None:
        raise typer.BadParameter(_("give the record log (or --rollup PERIOD)"), param_hint="LOG")

    rubric_path, the_rubric, chosen = rubric_and_period(rubric, period)
    run = run_log(log, the_rubric, roster, chosen, keep={employee}, encoding=encoding, sheet=sheet,
               roster_sheet=roster_sheet, errors=errors, inputs=[(N_("rubric"), rubric_path)],
               multiline_cells=multiline_cells)
    footer(run)
    if run.sheet is None or not run.ok:
        err().print(_("not scored: fix the problems above"), soft_wrap=True)
        raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    result = run.sheet.find(employee)
    if result is None:
        err().print(_("{employee} was not scored: not on the roster for this rubric, and not in the log").format(
            employee=employee if len(employee) <= 40 else employee[:39] + "…"),
                    soft_wrap=True)
        raise typer.Exit(EXIT_DATA)
    console = out()
    console.print(receipt(run.sheet, result))
    from kpi_cli.cli.ledger_commands import peek_ledger

    view = peek_ledger(db, None, run.sheet)
    if view is not None:
        from kpi_cli.outputs.cycle_screen import subject_cycle_lines

        for line in subject_cycle_lines(result, view):
            console.print(line, soft_wrap=True, markup=False, highlight=False)
