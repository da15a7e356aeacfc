"""``kpi diff``: what-if, before a new rubric is adopted: who changes total, grade, outcome or pay."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.i18n import N_, _
from kpi_cli.cli.boundary import EXIT_DATA, EXIT_USAGE, exit_code
from kpi_cli.cli.emit import emit
from kpi_cli.cli.main import app, err, out
from kpi_cli.engine.periods import kind_word
from kpi_cli.cli.shared import (EncodingOpt, LogArg, PeriodOpt, RosterOpt, RosterSheetOpt, SheetOpt, load_named_rubric,
                                parse_period, run_log)


class DiffFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command(help=N_("What-if: score LOG with the OLD and the NEW rubric and list who changes total, grade, outcome "
                     "or pay.\n\nNothing is stored: this is for deciding whether to adopt NEW.  Pay amounts are shown "
                     "when the roster carries 绩效工资基数, else the 发放比例."))
def diff(
    log: LogArg,
    rubric: Annotated[list[str], typer.Option("--rubric", "-r", help=N_("Give it twice: the rubric in use (OLD), then "
                                              "the one proposed (NEW); an id or a path."))],
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    format: Annotated[DiffFormat, typer.Option("--format", help=N_("table, csv or json."))] = DiffFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=N_("Write to FILE (atomically)."))] = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
) -> None:
    if len(rubric) != 2:
        raise typer.BadParameter(_("give --rubric twice, OLD then NEW (got {n})").format(n=len(rubric)),
                                 param_hint="--rubric")
    (old_path, old), (new_path, new) = load_named_rubric(rubric[0]), load_named_rubric(rubric[1])
    if old.period != new.period:
        err().print(_("rubric {old} is scored by {old_period} but {new} by {new_period}: they cannot be compared on "
                      "one log").format(old=old.id, old_period=kind_word(old.period), new=new.id, new_period=kind_word(new.period)),
                    soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_USAGE)
    chosen = parse_period(period, old.period)
    runs = [run_log(log, r, roster, chosen, keep=False, encoding=encoding, sheet=sheet, roster_sheet=roster_sheet)
            for r in (old, new)]
    for r, run in zip((old, new), runs):
        if run.sheet is None or not run.ok:
            err().print(_("not compared: the log cannot be scored with rubric {rubric}; fix the problems above").format(
                rubric=r.id),
                        soft_wrap=True, markup=False)
            raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    before, after = runs[0].sheet, runs[1].sheet
    assert before is not None and after is not None
    if before.period != after.period:
        err().print(_("the log's period is {old_period} for {old} but {new_period} for {new}; give --period").format(
            old_period=before.period, old=old.id, new_period=after.period, new=new.id),
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
    emit(data, output, inputs, what=N_("comparison"))
