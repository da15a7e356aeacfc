"""``kpi payroll``: each person's 绩效工资 for a closed period (or a roll-up), with totals."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.cli.boundary import EXIT_DATA, report
from kpi_cli.cli.emit import emit
from kpi_cli.cli.ledger_commands import ConfigOpt, DbOpt, ledger_url_for, ledger_session
from kpi_cli.cli.main import err, out, app
from kpi_cli.cli.shared import load_named_rubric
from kpi_cli.i18n import N_, _


class PayFormat(str, Enum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


_SUFFIXES = {".csv": PayFormat.csv, ".xlsx": PayFormat.xlsx, ".json": PayFormat.json}


@app.command(help=N_("The 绩效工资 of everyone in a closed period: base × the outcome's 发放比例, exact, rounded half-up to "
                    "0.01 元 once, with totals per department and overall.\n\nThe base (绩效工资基数) is the one the roster "
                    "gave when the period was closed or amended; a person whose outcome pays a share of it and who "
                    "has none is an error naming them."))
def payroll(
    period: Annotated[str, typer.Argument(help=N_("A closed period (2026-10, 2026Q4), or a roll-up (2026Q3, 2026H1, "
                                          "2026) of a rubric that declares one."), show_default=False)],
    rubric: Annotated[str, typer.Option("--rubric", "-r", help=N_("Rubric id (in --rubrics-dir) or path."))],
    format: Annotated[Optional[PayFormat], typer.Option("--format", show_default=False, help=N_("table, csv, xlsx or "
                                                        "json (default: from the --output extension, else table)."))]
    = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=N_("Write to FILE (atomically)."))] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.engine.payroll import compute_payroll
    from kpi_cli.outputs import payroll_export as view

    chosen = format or (_SUFFIXES.get(output.suffix.lower()) if output is not None else None) or PayFormat.table
    if chosen is PayFormat.xlsx and (output is None or str(output) == "-"):
        raise typer.BadParameter(_("xlsx is a binary format and cannot be printed; give --output FILE.xlsx"),
                                 param_hint="--format")
    rubric_path, loaded = load_named_rubric(rubric)
    with ledger_session(db, config) as ledger:
        people, version, label, problems = _people(ledger, loaded, period.strip())
    if people is None:
        report(problems)
        err().print(_("no payroll: fix the problems above"), soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_DATA)
    if not any(b.pay is not None for b in loaded.outcomes) and not any(p.ratio is not None for p in people):
        err().print(_("rubric {rubric} declares no 发放比例 (pay: on its outcomes), so it gives no 绩效工资").format(
            rubric=loaded.id), soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_DATA)
    result, problems = compute_payroll(people)
    if result is None:
        report(problems)
        err().print(_("no payroll: {count} people cannot be paid; fix the problems above").format(count=len(problems)),
                    soft_wrap=True,
                    markup=False)
        raise typer.Exit(EXIT_DATA)
    title = f"{loaded.title} · {label} · 绩效工资"
    if chosen is PayFormat.table and (output is None or str(output) == "-"):
        console = out()
        console.print(view.payroll_table(result, title))
        return
    if chosen is PayFormat.csv:
        data = view.payroll_csv(result)
    elif chosen is PayFormat.json:
        data = view.payroll_json(result, rubric=loaded.id, period=period.strip(), version=version)
    elif chosen is PayFormat.xlsx:
        data = view.payroll_xlsx(result, title)
    else:
        import io

        from rich.console import Console

        buffer = io.StringIO()
        Console(file=buffer, width=160, color_system=None, highlight=False).print(view.payroll_table(result, title))
        data = buffer.getvalue().encode("utf-8")
    from kpi_cli.ledger.url import sqlite_file

    url = ledger_url_for(db, config)
    database = sqlite_file(url) if "://" in url else None
    emit(data, output, [p for p in (rubric_path, database) if p is not None], binary=chosen is PayFormat.xlsx,
         what=N_("payroll"))


def _people(ledger, rubric, text: str):  # type: ignore[no-untyped-def]
    """(people, version, label, problems) of a closed period, or of a roll-up span."""
    from kpi_cli.engine.periods import Period

    try:
        period = Period.parse(text)
    except ValueError:
        period = None
    if period is not None and period.kind == rubric.period:
        from kpi_cli.ledger.pay import period_pay

        ref, people = period_pay(ledger, rubric.id, period)
        return people, ref.version, f"{period.label} (v{ref.version})", []
    from kpi_cli.engine.rollup import Span
    from kpi_cli.ledger.pay import rollup_pay

    try:
        span = Span.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=_("PERIOD")) from None
    sheet, people, problems = rollup_pay(ledger, rubric, span)
    if sheet is None:
        return None, None, "", problems
    if problems:
        report(problems)
    return people, None, span.label, []

