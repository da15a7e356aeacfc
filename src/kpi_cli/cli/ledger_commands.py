"""``kpi close`` and ``kpi periods``: store a scored period in the ledger; list what is closed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kpi_cli.cli.boundary import EXIT_DATA, boundary, exit_code
from kpi_cli.cli.main import app, err, out, state
from kpi_cli.i18n import N_, _
from kpi_cli.cli.shared import (EncodingOpt, ErrorsOpt, PeriodOpt, RosterOpt, RosterSheetOpt, SheetOpt, footer,
                                run_log)

if TYPE_CHECKING:
    from kpi_cli.ledger.store import Ledger

DbOpt = Annotated[Optional[str], typer.Option("--db", envvar="KPI_DB", show_default=False, help=N_("The ledger: a SQLite "
                                              "file or postgresql://user@host/database (default: database in "
                                              "kpi.toml, else kpi.db beside kpi.toml or in the current folder)."))]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", envvar="KPI_CONFIG", help=N_("The project file "
                                                   "(default: ./kpi.toml if there is one)."))]


def default_user() -> str:
    """Who closes when --by is not given: the operating-system user."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no USER/LOGNAME and no passwd entry (a bare container)
        return "unknown"


def ledger_url_for(db: str | None, config: Path | None) -> str:
    """The ledger URL of this run: --db / KPI_DB, kpi.toml's database, else kpi.db beside kpi.toml or here."""
    from kpi_cli.cli.project_config import load_project_config
    from kpi_cli.ledger.url import resolve_ledger_url

    with boundary():
        settings = load_project_config(config)
    return resolve_ledger_url(db, config_database=settings.database if settings else None,
                              config_folder=settings.folder if settings else None)


def refuse_ledger_on_an_input(url: str, inputs: list[tuple[str, Path | str | None]]) -> None:
    """The one guard (outputs/atomic.input_overwritten) for the ledger a command writes: a SQLite file named by
    --db, KPI_DB or kpi.toml is never the log, the roster, the rubric or kpi.toml (an empty roster given as --db
    would otherwise become a database)."""
    from kpi_cli.cli.shared import refuse_overwriting_inputs
    from kpi_cli.ledger.url import sqlite_file

    try:
        path = sqlite_file(url)
    except Exception:  # noqa: BLE001 - an unparsable URL is refused by open_ledger, with its message
        return
    if path is not None:
        refuse_overwriting_inputs([(N_("the ledger"), path)], inputs, "--db")


def open_for_reading(db: str | None, config: Path | None) -> Ledger:
    from kpi_cli.ledger.store import open_ledger

    url = ledger_url_for(db, config)
    with boundary():
        return open_ledger(url, create=False)


@contextlib.contextmanager
def ledger_session(db: str | None, config: Path | None) -> Iterator[Ledger]:
    """The existing ledger, for one command's calls: its problems through the boundary, its connections let go
    however the calls end."""
    ledger = open_for_reading(db, config)
    try:
        with boundary():
            yield ledger
    finally:
        ledger.dispose()


@app.command(help=N_("Score a period and store it in the ledger for good: every result, the rubric's text, the "
                    "input hashes. A closed period never changes in place: closing it again is refused (correct "
                    "it with kpi amend)."))
def close(
    log: Annotated[Optional[Path], typer.Argument(help=N_("The record log of the period; default: log in kpi.toml."),
                                                  show_default=False)] = None,
    rubric: Annotated[Optional[str], typer.Option("--rubric", "-r", help=N_("Rubric id (in --rubrics-dir) or path; "
                                                  "default: rubric in kpi.toml."))] = None,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    by: Annotated[Optional[str], typer.Option("--by", help=N_("Who closes the period (default: the user logged "
                                              "in)."))] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    today: Annotated[Optional[str], typer.Option("--today", envvar="KPI_TODAY", help=N_("The date last-month etc. count "
                                                 "from, YYYY-MM-DD (default: today)."))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=N_("Print nothing but errors (for cron)."))] = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Score a period and store it in the ledger for good: every result, the rubric's text, the input hashes.

    A closed period never changes in place: closing it again is refused (correct it with kpi amend).
    """
    from kpi_cli.cli.score_options import resolve_score_options
    from kpi_cli.ledger.closing import CloseSource, close_period, ensure_open
    from kpi_cli.ledger.store import open_ledger
    from kpi_cli.ledger.url import resolve_ledger_url

    with boundary():
        job = resolve_score_options(log=log, rubric=rubric, roster=roster, period=period, config=config, today=today,
                                    rubrics_dir=state.rubrics_dir if state.rubrics_dir_given else None)
        settings = job.config
        url = resolve_ledger_url(db, config_database=settings.database if settings else None,
                                 config_folder=settings.folder if settings else None)
        refuse_ledger_on_an_input(url, job.inputs)
        ledger = open_ledger(url)  # before reading the log: a ledger that cannot be used fails fast
        if job.period is not None:
            ensure_open(ledger, job.rubric.id, job.period)  # and a period already closed is refused at once
    run = run_log(job.log, job.rubric, job.roster, job.period, keep=False, quiet=quiet, encoding=encoding,
                  sheet=sheet, roster_sheet=roster_sheet, errors=errors)
    if not quiet:
        footer(run)
    if run.sheet is None or not run.ok:
        err().print(_("not closed: fix the problems above; nothing was stored"), soft_wrap=True, markup=False)
        raise typer.Exit(exit_code(run.diagnostics) or EXIT_DATA)
    counts = run.counts
    source = CloseSource.of(job.rubric_path, job.log, job.roster, read=counts.read, used=counts.used,
                            outside=counts.outside_period, errors=counts.errors)
    with boundary():
        closed = close_period(ledger, run.sheet, source, by=by or default_user())
    ledger.dispose()
    if quiet:
        return
    console = out()
    console.print(_("closed {rubric} {period}: {n} people, by {by} at {at}, in {ledger}").format(
        rubric=closed.rubric_id, period=closed.period, n=closed.subjects, by=closed.closed_by, at=closed.closed_at,
        ledger=ledger.where), soft_wrap=True, markup=False)
    names = {s.subject.id: s.subject.name for s in run.sheet.subjects}
    for subject_id, flags in sorted(closed.flags.items()):
        for flag in flags:
            console.print(f"  {subject_id} {names.get(subject_id, '')}: {flag.text}", soft_wrap=True, markup=False)


@app.command(help=N_("List the closed periods: rubric, period, version, who closed it and when, people and log "
                    "rows."))
def periods(
    rubric: Annotated[Optional[str], typer.Option("--rubric", "-r", help=N_("Only this rubric's periods (its id)."))]
    = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List the closed periods: rubric, period, version, who closed it and when, people and log rows."""
    from rich.table import Table

    from kpi_cli.ledger.queries import list_periods

    with ledger_session(db, config) as ledger:
        closed = list_periods(ledger, rubric)
    console = out()
    if not closed:
        message = _("no closed periods of {rubric} in {ledger}") if rubric else _("no closed periods in {ledger}")
        console.print(message.format(rubric=rubric, ledger=ledger.where), soft_wrap=True, markup=False)
        return
    # fits 80 columns: collapsed padding, the time to the minute, the log's rows under short headings
    table = Table(title=None, show_edge=False, pad_edge=False, collapse_padding=True)
    counts = ("人数", "读取", "采用", "期外", "错误")
    for header in ("考核表", "考核期", "版本", "关闭人", "关闭时间(UTC)", *counts):
        table.add_column(header, justify="right" if header in ("版本", *counts) else "left",
                         no_wrap=header != "关闭人")
    from rich.text import Text

    for c in closed:
        when = c.closed_at.replace("T", " ")[:16] if c.closed_at[10:11] == "T" else c.closed_at
        table.add_row(Text(c.rubric_id), str(c.period), str(c.version), Text(c.closed_by), when,
                      str(c.subjects), str(c.rows_read), str(c.rows_used), str(c.rows_outside), str(c.rows_error))
    console.print(table)
    console.print(_("读取/采用/期外/错误: the rows of the log read, used, outside the period and with errors"),
                  soft_wrap=True, markup=False)
    console.print(_("{n} closed periods in {ledger}").format(n=len(closed), ledger=ledger.where), soft_wrap=True,
                  markup=False)


def peek_ledger(db: str | None, config: Path | None, sheet):  # type: ignore[no-untyped-def]
    """The ledger's view of a scored period, when there is a ledger (None otherwise).

    A missing kpi.db is no ledger (nothing is created); a ledger that cannot be used is a warning, never a
    reason not to show the scores.
    """
    from kpi_cli.errors import JobError
    from kpi_cli.ledger.store import open_ledger
    from kpi_cli.ledger.view import ledger_view

    try:
        url = ledger_url_for(db, config)
        ledger = open_ledger(url, create=False)
    except (JobError, typer.Exit) as exc:
        if getattr(exc, "code", None) not in ("no-ledger", None, 0):
            err().print(_("warning: {reason}; shown without the ledger").format(reason=exc), soft_wrap=True,
                        markup=False)
        return None
    try:
        return ledger_view(ledger, sheet)
    except JobError as exc:
        err().print(_("warning: {reason}; shown without the ledger").format(reason=exc), soft_wrap=True,
                        markup=False)
        return None
    finally:
        ledger.dispose()
