"""The paper trail behind a pay decision: ``kpi amend``, ``kpi audit``, ``kpi appeal``, ``kpi appeals``,
``kpi reject-appeal``, ``kpi signoff`` and ``kpi reopen``.  Every change needs a reason or a signer, and
is recorded with who and when."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.cli.boundary import EXIT_DATA, boundary, exit_code, report
from kpi_cli.cli.ledger_commands import (ConfigOpt, DbOpt, default_user, ledger_url_for, ledger_session,
                                         refuse_ledger_on_an_input)
from kpi_cli.cli.main import app, err, out
from kpi_cli.cli.shared import EncodingOpt, RosterOpt, RosterSheetOpt, SheetOpt, load_named_rubric
from kpi_cli.i18n import N_, _

PeriodArg = Annotated[str, typer.Argument(help=N_("The closed period: 2026-10 or 2026Q4."), show_default=False)]
IdArg = Annotated[str, typer.Argument(help=N_("The person's 工号."), show_default=False)]
ReasonOpt = Annotated[str, typer.Option("--reason", help=N_("Why (required; recorded with who and when)."),
                                        show_default=False)]
ByOpt = Annotated[Optional[str], typer.Option("--by", help=N_("Who does it (default: the user logged in)."))]
RubricIdOpt = Annotated[Optional[str], typer.Option("--rubric", "-r", help=N_("The rubric (id or path); needed only "
                                                    "when the period is closed for several rubrics."))]


class TrailFormat(str, Enum):
    text = "text"
    json = "json"


FormatOpt = Annotated[TrailFormat, typer.Option("--format", help=N_("text (for people) or json (for scripts: stable "
                                                "English keys, exact decimal strings)."))]


def _json(data: dict) -> None:  # type: ignore[type-arg]
    from kpi_cli.cli.emit import emit
    from kpi_cli.outputs.trail_json import to_json

    emit(to_json(data), None, ())


class Signer(str, Enum):
    employee = "employee"
    supervisor = "supervisor"
    hr = "hr"


def period_of(text: str):  # type: ignore[no-untyped-def]
    from kpi_cli.engine.periods import Period

    try:
        return Period.parse(text.strip())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=_("PERIOD")) from None


def rubric_id_of(name: str | None) -> str | None:
    """``--rubric``: a path to a rubric file gives its id; a bare name is the id itself."""
    if name is None:
        return None
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return load_named_rubric(name)[1].id
    return name


def _print(lines) -> None:  # type: ignore[no-untyped-def]
    console = out()
    for line in lines:
        console.print(line, soft_wrap=True)


@app.command(help=N_("Re-score a closed period from a corrected log and store it as a new version; the old one "
                    "stays.\n\nA reason is required; an amendment that changes nothing is refused, and so is one of "
                    "a locked (已锁定) period until HR reopens it (kpi reopen). Without --roster the previous version's "
                    "roster is used."))
def amend(
    period: PeriodArg,
    rubric: Annotated[str, typer.Option("--rubric", "-r", help=N_("Rubric id (in --rubrics-dir) or path."))],
    log: Annotated[Path, typer.Option("--log", help=N_("The corrected record log of the period."), show_default=False)],
    reason: ReasonOpt,
    by: ByOpt = None,
    roster: RosterOpt = None,
    appeal: Annotated[Optional[list[int]], typer.Option("--appeal", help=N_("The appeal this amendment resolves "
                                                        "(repeat for several)."))] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
) -> None:
    from kpi_cli.ledger.amending import AmendInputs, amend as amend_period
    from kpi_cli.ledger.store import open_ledger
    from kpi_cli.outputs.trail_view import changes_lines

    rubric_path, loaded = load_named_rubric(rubric)
    chosen = period_of(period)
    url = ledger_url_for(db, config)
    from kpi_cli.cli.project_config import find_config
    from kpi_cli.cli.shared import run_inputs

    refuse_ledger_on_an_input(url, [*run_inputs(log, roster, rubric_path), (N_("kpi.toml"), find_config(config))])
    with boundary():
        ledger = open_ledger(url, create=False)
        done, diagnostics = amend_period(ledger, AmendInputs(loaded, rubric_path, log, roster, encoding, sheet,
                                                             roster_sheet), chosen, reason=reason,
                                         by=by or default_user(), appeals=tuple(appeal or ()))
    ledger.dispose()
    if diagnostics:
        report(diagnostics)
    if done is None:
        err().print(_("not amended: fix the problems above; nothing was stored"), soft_wrap=True, markup=False)
        raise typer.Exit(exit_code(diagnostics) or EXIT_DATA)
    console = out()
    console.print(_("amended {rubric} {period}: version {version}, by {by} at {at}; {people} people changed, "
                    "{records} records").format(rubric=done.rubric_id, period=done.period, version=done.version,
                                               by=done.by, at=done.at, people=len(done.comparison.changes),
                                               records=len(done.records)), soft_wrap=True, markup=False)
    _print(changes_lines(done.comparison, done.records))
    if done.note:
        console.print(done.note, soft_wrap=True, markup=False)
    for number in done.appeals:
        console.print(_("appeal #{number} resolved by version {version}").format(number=number, version=done.version),
                      soft_wrap=True, markup=False)
    if done.reset:
        console.print(_("sign-off back to 待确认 (their figures changed): {ids}").format(ids=", ".join(done.reset)),
                      soft_wrap=True, markup=False)


@app.command(help=N_("The audit trail of a closed period: its versions with reason, who and when; per amendment, "
                    "whose total, grade, outcome or pay changed and which records (file:line); appeals; every "
                    "sign-off."))
def audit(
    period: PeriodArg,
    rubric: RubricIdOpt = None,
    format: FormatOpt = TrailFormat.text,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.ledger.audit import read_audit
    from kpi_cli.outputs.trail_view import audit_lines

    chosen = period_of(period)
    with ledger_session(db, config) as ledger:
        trail = read_audit(ledger, rubric_id_of(rubric), chosen)
    if format is TrailFormat.json:
        from kpi_cli.outputs.trail_json import audit_dict

        _json(audit_dict(trail))
        return
    _print(audit_lines(trail))


@app.command(help=N_("Open an appeal (申诉) against a person's result for a closed period.\n\n"
                    "It stays open until an amendment resolves it (kpi amend --appeal N) or it is rejected with a "
                    "reason (kpi reject-appeal N); while it is open nobody signs that result."))
def appeal(
    period: PeriodArg,
    subject: IdArg,
    reason: ReasonOpt,
    rubric: RubricIdOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.ledger.appeals import open_appeal

    chosen = period_of(period)
    with ledger_session(db, config) as ledger:
        opened = open_appeal(ledger, rubric_id_of(rubric), chosen, subject.strip(), reason=reason,
                             by=by or default_user())
    out().print(_("appeal #{number} opened: {rubric} {period} {id} {name} (version {version})").format(
        number=opened.number, rubric=opened.rubric_id, period=opened.period, id=opened.subject_id, name=opened.name,
        version=opened.version), soft_wrap=True, markup=False)


@app.command(help=N_("List the appeals (申诉): who, against which version, why, and how each was resolved."))
def appeals(
    open_only: Annotated[bool, typer.Option("--open", help=N_("Only the appeals still open."))] = False,
    rubric: RubricIdOpt = None,
    period: Annotated[Optional[str], typer.Option("--period", "-p", help=N_("Only this period."))] = None,
    format: FormatOpt = TrailFormat.text,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.ledger.appeals import list_appeals
    from kpi_cli.outputs.trail_view import appeals_lines

    chosen = period_of(period) if period is not None else None
    with ledger_session(db, config) as ledger:
        found = list_appeals(ledger, rubric_id=rubric_id_of(rubric), period=chosen, only_open=open_only)
    if format is TrailFormat.json:
        from kpi_cli.outputs.trail_json import appeals_dict

        _json(appeals_dict(found))
        return
    _print(appeals_lines(found))


@app.command("reject-appeal", help=N_("Reject an open appeal, with the reason; the result stays as it is."))
def reject_appeal(
    number: Annotated[int, typer.Argument(help=N_("The appeal's number (see kpi appeals)."), show_default=False)],
    reason: ReasonOpt,
    by: ByOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.ledger.appeals import reject_appeal as reject

    with ledger_session(db, config) as ledger:
        done = reject(ledger, number, reason=reason, by=by or default_user())
    out().print(_("appeal #{number} rejected ({id} {name}, {rubric} {period})").format(
        number=done.number, id=done.subject_id, name=done.name, rubric=done.rubric_id, period=done.period),
        soft_wrap=True, markup=False)


@app.command(help=N_("Sign a person's result for a closed period: 待确认 → 员工已确认 → 上级已审核 → 已锁定.\n\n"
                    "Every other move is refused with the reason; nobody signs while an appeal is open."))
def signoff(
    period: PeriodArg,
    subject: IdArg,
    as_: Annotated[Signer, typer.Option("--as", help=N_("Who signs: employee (员工已确认), supervisor (上级已审核) or "
                                        "hr (已锁定), in this order."), show_default=False)],
    rubric: RubricIdOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.engine.signoff import LABELS
    from kpi_cli.ledger.appeals import signoff as sign

    chosen = period_of(period)
    with ledger_session(db, config) as ledger:
        done = sign(ledger, rubric_id_of(rubric), chosen, subject.strip(), as_.value, by=by or default_user())
    out().print(_("{id} {name}, {rubric} {period}: {state} ({at}, by {by})").format(
        id=done.subject_id, name=done.name, rubric=done.rubric_id, period=done.period, state=LABELS[done.state],
        at=done.at, by=done.by), soft_wrap=True, markup=False)


@app.command(help=N_("HR reopens a locked (已锁定) period so that it can be amended; its locked people go back "
                    "to 上级已审核."))
def reopen(
    period: PeriodArg,
    reason: ReasonOpt,
    rubric: RubricIdOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    from kpi_cli.ledger.appeals import reopen as reopen_period

    chosen = period_of(period)
    with ledger_session(db, config) as ledger:
        ref, people = reopen_period(ledger, rubric_id_of(rubric), chosen, reason=reason, by=by or default_user())
    out().print(_("reopened {rubric} {period}: {count} people back to 上级已审核 ({ids})").format(
        rubric=ref.rubric_id, period=ref.period, count=len(people), ids=", ".join(people)), soft_wrap=True,
        markup=False)
