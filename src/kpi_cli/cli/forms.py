"""``kpi forms``: the printable appraisal forms (考核表), one A4 page per person."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.i18n import N_, _, os_reason
from kpi_cli.cli.boundary import EXIT_DATA, EXIT_IO, EXIT_USAGE, exit_code, report
from kpi_cli.cli.main import app, err
from kpi_cli.cli.shared import (
    LogArg,
    MultilineOpt,
    PeriodOpt,
    RosterOpt,
    RubricOpt,
    footer,
    refuse_overwriting_inputs,
    rubric_and_period,
    run_inputs,
    run_log,
)
from kpi_cli.diagnostics import Diagnostic


@app.command(help=N_("Printable appraisal forms (考核表): one A4 page per person with signature lines, and a summary."))
def forms(
    log: LogArg,
    rubric: RubricOpt,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help=N_("The HTML document to print: a summary "
                                                   "page, then one A4 form per person; - for stdout."))] = None,
    split: Annotated[Optional[Path], typer.Option("--split", help=N_("Also write one file per person into this folder "
                                                  "(工号_姓名.html), each with only that person's form."))] = None,
    multiline_cells: MultilineOpt = False,
    db: Annotated[Optional[str], typer.Option("--db", envvar="KPI_DB", show_default=False, help=N_("The ledger, for the "
                                              "trend chart, the rules across periods, and (when the period is closed) "
                                              "each form's sign-off state, dates and any open appeal (default: "
                                              "database in kpi.toml, else kpi.db if there is one)."))] = None,
) -> None:
    from kpi_cli.outputs.forms import render_html, write_forms
    from kpi_cli.outputs.report import run_provenance

    if output is None and split is None:
        err().print(_("nothing to write: give --output FILE.html and/or --split FOLDER"), soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    rubric_path, the_rubric, chosen = rubric_and_period(rubric, period)
    inputs = run_inputs(log, roster, rubric_path)
    refuse_overwriting_inputs([(N_("the forms file"), path) for path in (output, split) if path is not None], inputs,
                              "--output / --split")
    run = run_log(log, the_rubric, roster, chosen, keep=True, multiline_cells=multiline_cells)
    footer(run)
    if run.sheet is None or not run.ok:
        err().print(_("no forms written: fix the problems above (no partial forms are printed)"), soft_wrap=True)
        raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    sheet = run.sheet
    try:
        provenance = run_provenance(run, rubric_path=rubric_path, log=log, roster=roster)
    except OSError as exc:
        report([Diagnostic(str(exc.filename or log), 0, 0, _("cannot read: {reason}").format(reason=os_reason(exc)),
                           "io-error")])
        raise typer.Exit(EXIT_IO) from None
    to_stdout = output is not None and str(output) == "-"
    trends = _trends(db, sheet)
    trail = _trail(db, sheet)
    written, problems = write_forms(sheet, output=None if to_stdout else output, split=split, provenance=provenance,
                                    inputs=inputs, trends=trends, trail=trail)
    if problems:
        report(problems)
        raise typer.Exit(EXIT_USAGE if any(p.code == "overwrites-input" for p in problems) else exit_code(problems))
    n = len(sheet.subjects)
    if to_stdout:
        typer.echo(render_html(sheet, provenance, trends, trail), nl=False)
    elif output is not None:
        typer.echo(_("wrote {path}: a summary page and {n} forms").format(path=output, n=n))
    if split is not None:
        typer.echo(_("wrote {n} forms to {folder}, one file per person").format(n=n, folder=split), err=to_stdout)



def _trends(db: str | None, sheet):  # type: ignore[no-untyped-def]
    """Each person's trend chart and rules across periods, when a ledger has history (else none)."""
    from kpi_cli.cli.ledger_commands import peek_ledger
    from kpi_cli.outputs.forms.trend import build_trend

    view = peek_ledger(db, None, sheet)
    if view is None:
        return {}
    trends = {}
    for s in sheet.subjects:
        trend = build_trend(view.trend(s.subject.id), s, sheet.period, view.flags.get(s.subject.id, ()))
        if trend is not None:
            trends[s.subject.id] = trend
    return trends


def _trail(db: str | None, sheet):  # type: ignore[no-untyped-def]
    """The sign-off state and open appeals of the period, when it is closed in the ledger; else None."""
    from kpi_cli.cli.ledger_commands import ledger_url_for
    from kpi_cli.errors import LedgerError
    from kpi_cli.ledger.appeals import period_trail
    from kpi_cli.ledger.store import open_ledger
    from kpi_cli.outputs.forms.signoff_view import form_trails

    url = ledger_url_for(db, None)
    try:
        ledger = open_ledger(url, create=False)
    except LedgerError as exc:
        if exc.code != "no-ledger":
            err().print(_("the forms show no sign-off state: {reason}").format(reason=exc), soft_wrap=True,
                        markup=False)
        return None
    try:
        trail = period_trail(ledger, sheet.rubric.id, sheet.period)
    except LedgerError as exc:
        err().print(_("the forms show no sign-off state: {reason}").format(reason=exc), soft_wrap=True, markup=False)
        return None
    finally:
        ledger.dispose()
    if trail is None:
        return None
    trails = form_trails(trail, {s.subject.id: s.total for s in sheet.subjects})
    differ = sorted(k for k, t in trails.items() if t.differs)
    if differ:
        err().print(_("the log gives other totals than version {version} of the ledger for {ids}: print the forms from "
                      "the log of that version (see kpi audit)").format(version=trail.version, ids=", ".join(differ)),
                    soft_wrap=True, markup=False)
    return trails
