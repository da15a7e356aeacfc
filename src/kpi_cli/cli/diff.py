"""``kpi diff``: what-if, before a new rubric is adopted: who changes total, grade, outcome or pay."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.cli.boundary import EXIT_DATA, EXIT_USAGE, exit_code
from kpi_cli.cli.emit import emit
from kpi_cli.cli.main import app, err, out
from kpi_cli.cli.shared import (EncodingOpt, LogArg, PeriodOpt, RosterOpt, RosterSheetOpt, SheetOpt, load_named_rubric,
                                parse_period, run_log)


class DiffFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def diff(
    log: LogArg,
    rubric: Annotated[list[str], typer.Option("--rubric", "-r", help="Give it twice: the rubric in use (OLD), then "
                                              "the one proposed (NEW); an id or a path.")],
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    format: Annotated[DiffFormat, typer.Option("--format", help="table, csv or json.")] = DiffFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
) -> None:
    """What-if: score LOG with the OLD and the NEW rubric and list who changes total, grade, outcome or pay.

    Nothing is stored: this is for deciding whether to adopt NEW.  Pay amounts are shown when the roster
    carries 绩效工资基数, else the 发放比例.
    """
    if len(rubric) != 2:
        raise typer.BadParameter(f"give --rubric twice, OLD then NEW (got {len(rubric)})", param_hint="--rubric")
    (old_path, old), (new_path, new) = load_named_rubric(rubric[0]), load_named_rubric(rubric[1])
    if old.period != new.period:
        err().print(f"rubric {old.id} is scored by {old.period} but {new.id} by {new.period}: they cannot be "
                    "compared on one log", soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_USAGE)
    chosen = parse_period(period, old.period)
    runs = [run_log(log, r, roster, chosen, keep=False, encoding=encoding, sheet=sheet, roster_sheet=roster_sheet)
            for r in (old, new)]
    for r, run in zip((old, new), runs):
        if run.sheet is None or not run.ok:
            err().print(f"not compared: the log cannot be scored with rubric {r.id}; fix the problems above",
                        soft_wrap=True, markup=False)
            raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    before, after = runs[0].sheet, runs[1].sheet
    assert before is not None and after is not None
    if before.period != after.period:
        err().print(f"the log's period is {before.period} for {old.id} but {after.period} for {new.id}; give --period",
                    soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_USAGE)
    from kpi_cli.engine.whatif import compare_sheets
    from kpi_cli.outputs import whatif_view as view

    comparison = compare_sheets(before, after)
    title = f"{old_path.name} → {new_path.name} · {before.period.label}"
    inputs = [p for p in (log, roster, old_path, new_path) if p is not None]
    if format is DiffFormat.table and output is None:
        console = out()
        console.print(view.comparison_table(comparison, title))
        console.print(view.comparison_summary(comparison), markup=False, soft_wrap=True)
        return
    if format is DiffFormat.csv:
        data = view.comparison_csv(comparison)
    elif format is DiffFormat.json:
        data = view.comparison_json(comparison, str(old_path), str(new_path), str(before.period))
    else:
        from rich.console import Console
        import io

        buffer = io.StringIO()
        console = Console(file=buffer, width=160, color_system=None, highlight=False)
        console.print(view.comparison_table(comparison, title))
        console.print(view.comparison_summary(comparison), markup=False, soft_wrap=True)
        data = buffer.getvalue().encode("utf-8")
    emit(data, output, inputs, what="comparison")
