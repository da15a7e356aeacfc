"""``kpi history`` and ``kpi rollup``: what the ledger knows about a person, a quarter, a year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.cli.boundary import EXIT_DATA, EXIT_USAGE, report
from kpi_cli.cli.emit import emit
from kpi_cli.cli.ledger_commands import ConfigOpt, DbOpt, ledger_url_for, ledger_session
from kpi_cli.cli.main import app, err, out
from kpi_cli.cli.score import ExportFormat
from kpi_cli.cli.shared import load_named_rubric
from kpi_cli.i18n import N_, _


@app.command(help=N_("One person's closed periods: totals, change, grades, outcomes, ranks, a trend and repeat "
                    "offences."))
def history(
    employee: Annotated[str, typer.Argument(help=N_("The 工号."))],
    rubric: Annotated[Optional[str], typer.Option("--rubric", "-r", help=N_("Only this rubric's periods (its id)."))]
    = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """One person's closed periods: totals, change, grades, outcomes, ranks, a trend and repeat offences."""
    from kpi_cli.ledger.queries import history as read_history
    from kpi_cli.outputs.cycle_screen import history_tables

    with ledger_session(db, config) as ledger:
        results = read_history(ledger, employee, rubric)
    if not results:
        message = _("{id} has no closed period of {rubric} in {ledger}") if rubric else \
            _("{id} has no closed period in {ledger}")
        err().print(message.format(id=employee, rubric=rubric, ledger=ledger.where),
                    soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_DATA)
    console = out()
    for block in history_tables(employee, results):
        console.print(block)


def parse_span(text: str):  # type: ignore[no-untyped-def]
    from kpi_cli.engine.rollup import Span

    try:
        return Span.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=_("PERIOD")) from None


def compute_rollup(span_text: str, rubric: str, db: str | None, config: Path | None):  # type: ignore[no-untyped-def]
    """The roll-up sheet, or exit with the reasons (printed) when it is refused."""
    from kpi_cli.ledger.rollups import rollup as compute

    span = parse_span(span_text)
    _path, the_rubric = load_named_rubric(rubric)
    with ledger_session(db, config) as ledger:
        sheet, problems = compute(ledger, the_rubric, span)
    if problems:
        report(problems)
    if sheet is None:
        err().print(_("no roll-up for {span}: fix the problems above").format(span=span), soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_DATA)
    return sheet


@app.command(help=N_("A quarter, half or year from the closed periods, by the rule the rubric declares (mean, "
                    "weighted, sum)."))
def rollup(
    period: Annotated[str, typer.Argument(help=N_("A quarter (2026Q3), a half (2026H1) or a year (2026)."))],
    rubric: Annotated[str, typer.Option("--rubric", "-r", help=N_("The rubric that declares the rollup (id or path)."))],
    format: Annotated[Optional[ExportFormat], typer.Option("--format", show_default=False, help=N_("table, csv, json, "
                                                           "xlsx or markdown (default: from the --output extension, "
                                                           "else table)."))] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=N_("Write the report to FILE (atomically); "
                                                   "- for stdout."))] = None,
    employee: Annotated[Optional[str], typer.Option("--employee", "-e", help=N_("Print this person's receipt: each "
                                                    "period used and the arithmetic."))] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """A quarter, half or year from the closed periods, by the rule the rubric declares (mean, weighted, sum)."""
    from kpi_cli.outputs.exporters import EXTENSIONS, format_for

    sheet = compute_rollup(period, rubric, db, config)
    if employee is not None:
        print_receipt(sheet, employee)
        return
    fmt = format.value if format is not None else None
    if fmt is None and output is not None and str(output) != "-":
        fmt = format_for(output)
        if fmt is None:
            raise typer.BadParameter(_("cannot tell the format of {path} from its extension ({known}); give "
                                       "--format").format(path=output.name, known=", ".join(sorted(EXTENSIONS.values()))),
                                     param_hint="--output")
    fmt = fmt or "table"
    if output is None and fmt == "table":
        from kpi_cli.outputs.cycle_screen import rollup_table
        from kpi_cli.outputs.rollup_report import title

        console = out()
        console.print(title(sheet), markup=False)
        console.print(rollup_table(sheet))
        return
    from kpi_cli.outputs.rollup_report import render

    data = render(fmt, sheet)
    _refuse_overwriting_inputs(output, rubric, db, config)
    emit(data, output, (), binary=fmt == "xlsx",
         said=_("wrote {file} ({format}, {n} people, {span})").format(file=output, format=fmt,
                                                                     n=len(sheet.subjects), span=sheet.span))


def _refuse_overwriting_inputs(output: Path | None, rubric: str, db: str | None, config: Path | None) -> None:
    """The one guard (outputs/atomic.input_overwritten): the report is not the ledger, the rubric or kpi.toml."""
    from kpi_cli.cli.project_config import find_config
    from kpi_cli.cli.shared import load_named_rubric, refuse_overwriting_inputs
    from kpi_cli.i18n import N_

    inputs: list[tuple[str, Path | str | None]] = [(N_("rubric"), load_named_rubric(rubric)[0]),
                                                    (N_("kpi.toml"), find_config(config))]
    url = ledger_url_for(db, config)
    if url.startswith("sqlite:///"):
        inputs.append((N_("ledger"), url[len("sqlite:///"):].split("?", 1)[0]))
    refuse_overwriting_inputs([(N_("the report"), "-" if output is None else output)], inputs, "--output")


def print_receipt(sheet, employee: str) -> None:  # type: ignore[no-untyped-def]
    from kpi_cli.outputs.cycle_screen import rollup_receipt

    score = sheet.find(employee)
    if score is None:
        err().print(_("{id} has no result in {span} for rubric {rubric}").format(id=employee, span=sheet.span,
                                                                                 rubric=sheet.source_id), soft_wrap=True,
                    markup=False)
        raise typer.Exit(EXIT_USAGE)
    console = out()
    for line in rollup_receipt(sheet, score):
        console.print(line, soft_wrap=True, markup=False)
