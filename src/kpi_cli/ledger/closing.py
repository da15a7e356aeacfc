"""Closing a period: a scored sheet and where it came from, stored in ONE transaction.

A closed period is immutable: closing it again is refused (``already-closed``) and points to
``kpi amend``.  Two closes of the same period at once: the unique constraint on (rubric, period)
lets exactly one commit; the other gets the same refusal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, insert, select

from kpi_cli import __version__
from kpi_cli.engine.history import Flag, PeriodResult, sheet_flags
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import ScoreSheet
from kpi_cli.errors import LedgerError
from kpi_cli.i18n import _
from kpi_cli.ledger import schema
from kpi_cli.ledger.queries import subject_timelines
from kpi_cli.ledger.store import Ledger


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str
    size: int

    @classmethod
    def of(cls, path: Path | str) -> InputFile:
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        return cls(str(path), digest.hexdigest(), size)


@dataclass(frozen=True)
class CloseSource:
    """Where a closed version came from: the rubric's exact text and the inputs, with row counts."""

    rubric_file: str
    rubric_text: str
    rubric_sha256: str
    log: InputFile
    roster: InputFile | None
    rows_read: int
    rows_used: int
    rows_outside: int
    rows_error: int

    @classmethod
    def of(cls, rubric_path: Path | str, log: Path | str, roster: Path | str | None, *, read: int, used: int,
           outside: int, errors: int) -> CloseSource:
        data = Path(rubric_path).read_bytes()
        return cls(str(rubric_path), data.decode("utf-8-sig", errors="replace"), hashlib.sha256(data).hexdigest(),
                   InputFile.of(log), None if roster is None else InputFile.of(roster), read, used, outside, errors)


@dataclass(frozen=True)
class Closed:
    rubric_id: str
    period: Period
    version: int
    closed_by: str
    closed_at: str
    subjects: int
    flags: Mapping[str, tuple[Flag, ...]]


def utc_now(now: datetime | None = None) -> str:
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def lookback(sheet: ScoreSheet) -> int:
    """How many periods before this one the rules across periods need."""
    need = 0
    months = 1 if sheet.period.kind == "month" else 3
    for rule in sheet.rubric.across_periods:
        if rule.consecutive is not None:
            need = max(need, rule.consecutive - 1)
        else:
            need = max(need, {"quarter": 3, "half": 6, "year": 12}[rule.within] // months)
    return need


def close_period(ledger: Ledger, sheet: ScoreSheet, source: CloseSource, *, by: str,
                 at: datetime | None = None) -> Closed:
    """Store ``sheet`` as version 1 of its period; refuses a period already closed."""
    rubric_id, period = sheet.rubric.id, str(sheet.period)
    when = utc_now(at)
    try:
        with ledger.writing() as connection:
            _refuse_closed(connection, rubric_id, period)
            past = subject_timelines(connection, rubric_id, before=sheet.period, periods=lookback(sheet)) \
                if sheet.rubric.across_periods else {}
            flags = sheet_flags(sheet, past)
            period_id = connection.execute(insert(schema.periods).values(
                rubric_id=rubric_id, period=period, kind=sheet.period.kind, closed_by=by, closed_at=when)
            ).inserted_primary_key[0]
            write_version(connection, period_id, 1, "close", None, by, when, sheet, source, flags)
            keep_inputs(connection, source)
    except LedgerError as exc:
        if exc.code != "conflict":
            raise
        with ledger.reading() as connection:  # closed by someone else meanwhile: say by whom
            _refuse_closed(connection, rubric_id, period)
        raise
    return Closed(rubric_id, sheet.period, 1, by, when, len(sheet.subjects), flags)


def keep_inputs(connection: Connection, source: CloseSource) -> None:
    """Keep the log and roster as they were scored (content-addressed, compressed; once per content), in the
    closing transaction: a later amendment diffs its records against them (added, removed, changed, each
    with the original file:line) even after the files were corrected in place, moved or deleted.

    Refuses a file that changed between scoring and storing (its sha256 no longer matches)."""
    from kpi_cli.ledger.trail import sha256_of, store_file

    for kept in (source.log, source.roster):
        if kept is None:
            continue
        try:
            data = Path(kept.path).read_bytes()
        except OSError as exc:
            raise LedgerError(_("cannot keep {file} in the ledger: {reason}; nothing was stored").format(
                file=kept.path, reason=exc.strerror or exc), "input-changed") from None
        if sha256_of(data) != kept.sha256:
            raise LedgerError(_("{file} changed while it was being closed; nothing was stored: close again").format(
                file=kept.path), "input-changed")
        store_file(connection, data, level=1)


def ensure_open(ledger: Ledger, rubric_id: str, period: Period) -> None:
    """Refuse early (before the log is read) a period that is already closed; close_period checks again."""
    with ledger.reading() as connection:
        _refuse_closed(connection, rubric_id, str(period))


def _refuse_closed(connection: Connection, rubric_id: str, period: str) -> None:
    row = connection.execute(select(schema.periods.c.closed_by, schema.periods.c.closed_at).where(
        schema.periods.c.rubric_id == rubric_id, schema.periods.c.period == period)).first()
    if row is not None:
        raise LedgerError(_("{rubric} {period} is already closed (by {by}, {at}); a closed period never changes in "
                            "place: correct it with kpi amend {period} --rubric {rubric} --log FILE --reason "
                            "\"...\"").format(rubric=rubric_id, period=period, by=row.closed_by, at=row.closed_at),
                          "already-closed")


def write_version(connection: Connection, period_id: int, number: int, kind: str, reason: str | None, by: str,
                  when: str, sheet: ScoreSheet, source: CloseSource, flags: Mapping[str, Sequence[Flag]]) -> int:
    """Insert one version of a period with every person's results, items and flags; its id.

    For amendments (issue 14) too: call it with the next ``number``, ``kind="amend"`` and a reason, inside
    the same transaction that checks the period may be amended.
    """
    roster = source.roster
    version_id = connection.execute(insert(schema.versions).values(
        period_id=period_id, number=number, kind=kind, reason=reason, created_by=by, created_at=when,
        kpi_version=__version__, rubric_file=source.rubric_file, rubric_sha256=source.rubric_sha256,
        rubric_text=source.rubric_text, log_file=source.log.path, log_sha256=source.log.sha256,
        log_bytes=source.log.size, roster_file=roster.path if roster else None,
        roster_sha256=roster.sha256 if roster else None, roster_bytes=roster.size if roster else None,
        rows_read=source.rows_read, rows_used=source.rows_used, rows_outside=source.rows_outside,
        rows_error=source.rows_error, subjects=len(sheet.subjects))).inserted_primary_key[0]
    result_rows, item_rows, flag_rows = [], [], []
    for s in sheet.subjects:
        subject = s.subject
        result_rows.append({
            "version_id": version_id, "subject_id": subject.id, "name": subject.name,
            "department": subject.department, "role": subject.role, "total": s.total, "raw_total": s.raw_total,
            "adjustment_total": s.adjustment_total, "grade": s.grade.label if s.grade else None,
            "outcome": s.outcome.label if s.outcome else None, "pay": s.outcome.pay if s.outcome else None,
            "pay_base": subject.pay_base,
            "rank": s.rank, "department_rank": s.department_rank})
        for position, item in enumerate(s.items):
            item_rows.append({
                "version_id": version_id, "subject_id": subject.id, "item_id": item.id, "position": position,
                "name": item.name, "max": item.max, "score": item.score, "deducted": item.deducted,
                "occurrences": item.occurrences, "wiped": item.wiped})
        for flag in flags.get(subject.id, ()):
            flag_rows.append({"version_id": version_id, "subject_id": subject.id, "rule_id": flag.rule,
                              "name": flag.name, "action": flag.action, "periods": " ".join(flag.periods)})
    for table, rows in ((schema.results, result_rows), (schema.items, item_rows), (schema.flags, flag_rows)):
        for start in range(0, len(rows), 5000):
            connection.execute(insert(table), rows[start:start + 5000])
    return int(version_id)


__all__ = ["CloseSource", "Closed", "InputFile", "PeriodResult", "close_period", "write_version"]
