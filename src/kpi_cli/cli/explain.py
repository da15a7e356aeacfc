"""``kpi explain``: the receipt behind one person's total."""

from __future__ import annotations

from typing import Annotated

import typer

from kpi_cli.i18n import N_
from kpi_cli.cli.boundary import EXIT_DATA, exit_code
from kpi_cli.cli.main import app, err, out
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


@app.command()
def explain(
    log: LogArg,
    rubric: RubricOpt,
    employee: Annotated[str, typer.Option("--employee", "-e", help="The 工号 to explain.")],
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
    errors: ErrorsOpt = None,
    multiline_cells: MultilineOpt = False,
) -> None:
    """The receipt for one person: every record, rule and calculation behind the total."""
    from kpi_cli.outputs.screen import receipt

    rubric_path, the_rubric, chosen = rubric_and_period(rubric, period)
    run = run_log(log, the_rubric, roster, chosen, keep={employee}, encoding=encoding, sheet=sheet,
               roster_sheet=roster_sheet, errors=errors, inputs=[(N_("rubric"), rubric_path)],
               multiline_cells=multiline_cells)
    footer(run)
    if run.sheet is None or not run.ok:
        err().print("not scored: fix the problems above", soft_wrap=True)
        raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    result = run.sheet.find(employee)
    if result is None:
        err().print(f"{employee} was not scored: not on the roster for this rubric, and not in the log",
                    soft_wrap=True)
        raise typer.Exit(EXIT_DATA)
    out().print(receipt(run.sheet, result))
