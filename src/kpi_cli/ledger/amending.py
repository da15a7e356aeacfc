"""Amending a closed period: re-score it from a corrected log and store the result as a new version.

The old version stays as it was.  The amendment records its reason, who and when, every person whose
total, grade, outcome or pay changed, and every record added, removed or changed (``file:line``).  The
record-level changes need the previous version's log as it was: it is kept in the ledger from the
first amendment on; before that, the file at its recorded path is used if its sha256 still matches
(otherwise the amendment says the record changes are unknown).  Refused: no reason; a period with a
locked (已锁定) person, until HR reopens it; an appeal to resolve that is not open; an amendment
that changes nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from kpi_cli.diagnostics import Diagnostic, has_errors
from kpi_cli.engine.history import sheet_flags
from kpi_cli.engine.periods import Period
from kpi_cli.engine.record_diff import RecordChange, diff_records, sheet_records
from kpi_cli.engine.signoff import PENDING
from kpi_cli.engine.whatif import Comparison, Standing, compare_standings
from kpi_cli.errors import LedgerError
from kpi_cli.inputs.score_run import ScoreRun, score_log
from kpi_cli.ledger import schema, trail_schema
from kpi_cli.ledger.closing import CloseSource, InputFile, lookback, utc_now, write_version
from kpi_cli.ledger.queries import subject_timelines
from kpi_cli.ledger.store import Ledger
from kpi_cli.ledger.trail import (PeriodRef, claim_period, fetch_file, file_bytes, find_period, open_appeals,
                                  require_reason, sha256_of, sign_states, standing_of_row, state_of, store_file)
from kpi_cli.rubric.model import Rubric

from kpi_cli.i18n import _

R = schema.results


@dataclass(frozen=True)
class Amended:
    rubric_id: str
    period: Period
    version: int
    by: str
    at: str
    comparison: Comparison
    records: tuple[RecordChange, ...]
    records_known: bool
    note: str | None
    appeals: tuple[int, ...]  # resolved by this amendment
    reset: tuple[str, ...]  # people whose sign-off went back to 待确认


@dataclass(frozen=True)
class AmendInputs:
    rubric: Rubric
    rubric_path: Path
    log: Path
    roster: Path | None  # None: the previous version's roster
    encoding: str | None = None
    sheet: str | None = None
    roster_sheet: str | None = None


def amend(ledger: Ledger, inputs: AmendInputs, period: Period, *, reason: str, by: str,
          appeals: Sequence[int] = (), at: datetime | None = None) -> tuple[Amended | None, list[Diagnostic]]:
    """Re-score ``period`` from ``inputs.log`` and store it as the next version; None with the problems when the
    corrected log cannot be scored.  Refusals are :class:`LedgerError`."""
    reason = require_reason(reason, _("an amendment"))
    rubric = inputs.rubric
    with ledger.reading() as connection:
        ref = find_period(connection, rubric.id, period)
        _refuse_locked(connection, ref)
        _check_appeals(connection, ref, appeals)
        old_rows = {r.subject_id: r for r in connection.execute(select(R).where(R.c.version_id == ref.version_id))}
        old_log = file_bytes(ref.log_file, ref.log_sha256, fetch_file(connection, ref.log_sha256))
        old_roster = file_bytes(ref.roster_file, ref.roster_sha256, fetch_file(connection, ref.roster_sha256))
    with tempfile.TemporaryDirectory(prefix="kpi-amend-") as folder:
        roster_path, roster_shown = inputs.roster, inputs.roster
        if roster_path is None and ref.roster_file is not None:
            if old_roster is None:
                raise LedgerError(_("the roster of version {version} ({file}) is no longer available unchanged: give "
                                    "--roster").format(version=ref.version, file=ref.roster_file), "roster-required")
            roster_path = _materialise(folder, "roster", ref.roster_file, old_roster)
            roster_shown = Path(ref.roster_file)
        run = score_log(inputs.log, rubric, roster=roster_path, period=period, keep_records=True,
                        encoding=inputs.encoding, sheet=inputs.sheet, roster_sheet=inputs.roster_sheet)
        if run.sheet is None or not run.ok:
            return None, list(run.diagnostics)
        new_sheet = run.sheet
        old_records, note = _old_records(folder, ref, rubric, old_log, old_roster, roster_path, inputs)
    records = tuple(diff_records(old_records, sheet_records(new_sheet), rubric, rubric)) if old_records is not None \
        else ()
    comparison = compare_standings(
        [(k, r.name, r.department, standing_of_row(r)) for k, r in sorted(old_rows.items(), key=lambda x: x[1].rank)],
        [(s.subject.id, s.subject.name, s.subject.department, Standing.of(s)) for s in new_sheet.subjects])
    if not comparison.changes and not records and (old_records is not None or _same_log(ref, inputs)):
        raise LedgerError(_("the amendment changes nothing: the corrected log gives exactly the results and records "
                            "of version {version}; nothing was stored").format(version=ref.version), "no-change")
    new_log = inputs.log.read_bytes()
    new_roster = roster_path.read_bytes() if inputs.roster is not None else old_roster
    source = _source(inputs, run, roster_shown, new_roster)
    when = utc_now(at)
    changed = {c.id for c in comparison.changes} | {c.subject for c in records}
    try:
        with ledger.writing() as connection:
            if claim_period(connection, rubric.id, period).version != ref.version:
                raise LedgerError(_("{name} was amended by someone else meanwhile; look at kpi audit and try again")
                                  .format(name=ref.name), "concurrent-change")
            _refuse_locked(connection, ref)
            _check_appeals(connection, ref, appeals)
            past = subject_timelines(connection, rubric.id, before=period, periods=lookback(new_sheet)) \
                if rubric.across_periods else {}
            number = ref.version + 1
            version_id = write_version(connection, ref.id, number, "amend", reason, by, when, new_sheet, source,
                                       sheet_flags(new_sheet, past))
            for data in (new_log, new_roster, old_log, old_roster):
                if data is not None:
                    store_file(connection, data)
            connection.execute(insert(trail_schema.amendments).values(
                version_id=version_id, records_known=old_records is not None, note=note))
            if records:
                connection.execute(insert(trail_schema.record_changes), [
                    {"version_id": version_id, "seq": n, "subject_id": c.subject, "change": c.change,
                     "old_location": c.old_location, "new_location": c.new_location, "old_text": c.old_text,
                     "new_text": c.new_text} for n, c in enumerate(records, start=1)])
            for number_ in appeals:
                connection.execute(update(trail_schema.appeals).where(
                    trail_schema.appeals.c.id == number_, trail_schema.appeals.c.state == "open").values(
                    state="amended", resolution=reason, resolved_by=by, resolved_at=when, resolved_version=number))
            reset = _reset_signoffs(connection, ref, changed, number, reason, by, when)
    except LedgerError as exc:
        if exc.code != "conflict":  # the store's name for a unique key hit: someone else wrote first
            raise
        raise LedgerError(_("{name} was amended or signed by someone else meanwhile; look at kpi audit and try again")
                          .format(name=ref.name), "concurrent-change") from None
    return Amended(rubric.id, period, number, by, when, comparison, records, old_records is not None, note,
                   tuple(appeals), reset), list(run.diagnostics)


def _refuse_locked(connection: Connection, ref: PeriodRef) -> None:
    locked = sorted(k for k, s in sign_states(connection, ref.id).items() if s.state == "locked")
    if locked:
        shown = ", ".join(locked[:5]) + (" ..." if len(locked) > 5 else "")
        raise LedgerError(_("{name} is locked (已锁定) for {count} people ({ids}): it cannot be amended unless HR "
                            "reopens it with a reason: kpi reopen {period} --rubric {rubric} --reason \"...\"").format(
            name=ref.name, count=len(locked), ids=shown, period=ref.period, rubric=ref.rubric_id), "locked")


def _check_appeals(connection: Connection, ref: PeriodRef, appeals: Sequence[int]) -> None:
    open_ = set(open_appeals(connection, ref.id).values())
    for number in appeals:
        if number not in open_:
            raise LedgerError(_("appeal #{number} is not an open appeal of {name} (see kpi appeals)").format(
                number=number, name=ref.name), "appeal-not-open")


def _materialise(folder: str, role: str, original: str, data: bytes) -> Path:
    """The stored bytes as a file (same name, so that the format is known from the extension)."""
    path = Path(folder) / role / Path(original).name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _old_records(folder: str, ref: PeriodRef, rubric: Rubric, old_log: bytes | None, old_roster: bytes | None,
                 roster_path: Path | None, inputs: AmendInputs):  # type: ignore[no-untyped-def]
    """The records behind the current version (re-read from its log as it was), or None and why not."""
    if old_log is None:
        return None, _("the log of version {version} ({file}) has changed or is gone and was not kept in the ledger: "
                       "record-level changes are unknown").format(version=ref.version, file=ref.log_file)
    log = _materialise(folder, "old-log", ref.log_file, old_log)
    roster = _materialise(folder, "old-roster", ref.roster_file, old_roster) if old_roster is not None and \
        ref.roster_file else roster_path
    run = score_log(log, rubric, roster=roster, period=ref.period, keep_records=True, encoding=inputs.encoding,
                    sheet=inputs.sheet, roster_sheet=inputs.roster_sheet)
    if run.sheet is None or has_errors(run.diagnostics):
        return None, _("the log of version {version} cannot be read with rubric {rubric} as it is now: record-level "
                       "changes are unknown").format(version=ref.version, rubric=rubric.id)
    return [r._replace(file=ref.log_file) for r in sheet_records(run.sheet)], None


def _same_log(ref: PeriodRef, inputs: AmendInputs) -> bool:
    try:
        return sha256_of(inputs.log.read_bytes()) == ref.log_sha256
    except OSError:
        return False


def _source(inputs: AmendInputs, run: ScoreRun, roster_shown: Path | None, roster: bytes | None) -> CloseSource:
    counts = run.counts
    base = CloseSource.of(inputs.rubric_path, inputs.log, None, read=counts.read, used=counts.used,
                          outside=counts.outside_period, errors=counts.errors)
    if roster_shown is None or roster is None:
        return base
    return CloseSource(base.rubric_file, base.rubric_text, base.rubric_sha256, base.log,
                       InputFile(str(roster_shown), sha256_of(roster), len(roster)), base.rows_read, base.rows_used,
                       base.rows_outside, base.rows_error)


def _reset_signoffs(connection: Connection, ref: PeriodRef, changed: set[str], version: int, reason: str, by: str,
                    when: str) -> tuple[str, ...]:
    """People whose figures changed signed other figures: back to 待确认, with the amendment as the reason."""
    states = sign_states(connection, ref.id)
    reset = sorted(k for k in changed if state_of(states, k).state != PENDING)
    for subject in reset:
        connection.execute(insert(trail_schema.signoffs).values(
            period_id=ref.id, subject_id=subject, seq=state_of(states, subject).seq + 1, action="reset",
            state=PENDING, version=version, reason=_("amended in version {version}: {reason}").format(
                version=version, reason=reason), signed_by=by, signed_at=when))
    return tuple(reset)
