"""What the paper-trail commands share: finding a closed period, its current version, who is locked,
open appeals, and the store of input files (content-addressed, compressed)."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kpi_cli.engine.payroll import MONEY, round_fen
from kpi_cli.engine.periods import Period
from kpi_cli.engine.whatif import Standing
from kpi_cli.engine.signoff import PENDING
from kpi_cli.errors import LedgerError
from kpi_cli.ledger import schema, trail_schema

from kpi_cli.i18n import _

P, V = schema.periods, schema.versions
A, S, FILES = trail_schema.appeals, trail_schema.signoffs, trail_schema.files


@dataclass(frozen=True)
class PeriodRef:
    """A closed period and its current version."""

    id: int
    rubric_id: str
    period: Period
    version: int  # the current version's number
    version_id: int
    log_file: str
    log_sha256: str
    roster_file: str | None
    roster_sha256: str | None
    rubric_sha256: str

    @property
    def name(self) -> str:
        return f"{self.rubric_id} {self.period}"


@dataclass(frozen=True)
class SignState:
    state: str  # pending | confirmed | reviewed | locked
    seq: int  # events so far
    at: str  # when the state was reached ("" when pending from the start)
    by: str


def find_period(connection: Connection, rubric_id: str | None, period: Period) -> PeriodRef:
    """The closed ``period`` of ``rubric_id`` (None: the one rubric that has it closed)."""
    query = select(P).where(P.c.period == str(period))
    if rubric_id is not None:
        query = query.where(P.c.rubric_id == rubric_id)
    rows = connection.execute(query).all()
    if not rows:
        which = f"{rubric_id} {period}" if rubric_id else str(period)
        raise LedgerError(_("{which} is not closed: close it first (kpi close LOG --rubric R --period {period})").format(
            which=which, period=period), "not-closed")
    if len(rows) > 1:
        ids = ", ".join(sorted(r.rubric_id for r in rows))
        raise LedgerError(_("{period} is closed for several rubrics ({ids}): give --rubric").format(
            period=period, ids=ids), "ambiguous-period")
    row = rows[0]
    latest = connection.execute(select(V).where(V.c.period_id == row.id).order_by(V.c.number.desc()).limit(1)).one()
    return PeriodRef(row.id, row.rubric_id, Period.parse(row.period), latest.number, latest.id, latest.log_file,
                     latest.log_sha256, latest.roster_file, latest.roster_sha256, latest.rubric_sha256)


def standing_of_row(row: Any) -> Standing:
    """Where a person stood in a stored version (a ``ledger_results`` row)."""
    amount = round_fen(MONEY.multiply(row.pay_base, row.pay)) if row.pay_base is not None and row.pay is not None \
        else None
    return Standing(row.total, row.grade, row.outcome, row.pay, amount)


def sign_states(connection: Connection, period_id: int) -> dict[str, SignState]:
    """Each person's sign-off state (people never signed are absent: 待确认)."""
    out: dict[str, SignState] = {}
    for row in connection.execute(select(S).where(S.c.period_id == period_id).order_by(S.c.subject_id, S.c.seq)):
        out[row.subject_id] = SignState(row.state, row.seq, row.signed_at, row.signed_by)
    return out


def state_of(states: dict[str, SignState], subject_id: str) -> SignState:
    return states.get(subject_id, SignState(PENDING, 0, "", ""))


def open_appeals(connection: Connection, period_id: int) -> dict[str, int]:
    """subject -> the number of their open appeal."""
    rows = connection.execute(select(A.c.subject_id, A.c.id).where(A.c.period_id == period_id, A.c.state == "open"))
    return {r.subject_id: r.id for r in rows}


def subject_names(connection: Connection, version_id: int) -> dict[str, str]:
    rows = connection.execute(select(schema.results.c.subject_id, schema.results.c.name).where(
        schema.results.c.version_id == version_id))
    return {r.subject_id: r.name for r in rows}


def require_reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise LedgerError(_("{what} needs a reason (--reason \"...\"): nothing changes without one").format(what=what),
                          "reason-required")
    return text


def lock_period(connection: Connection, period_id: int) -> None:
    """Hold the period's write lock until this transaction ends: the paper trail's writers of one period
    (sign-off, appeal, rejection, amendment, reopening) then run one after the other, each deciding from
    what the previous one committed (never "not locked" read just before someone locks it).

    A no-op UPDATE of the period's row: a row lock on PostgreSQL, the database's write lock on SQLite
    (whose driver starts the transaction at the first write), the same statement on both."""
    connection.execute(update(P).where(P.c.id == period_id).values(closed_at=P.c.closed_at))


def claim_period(connection: Connection, rubric_id: str | None, period: Period) -> PeriodRef:
    """:func:`find_period` for a write: the period locked (:func:`lock_period`), then read again as it is now."""
    lock_period(connection, find_period(connection, rubric_id, period).id)
    return find_period(connection, rubric_id, period)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_file(connection: Connection, data: bytes, *, level: int = 6) -> str:
    """Keep ``data`` in the ledger (once per content, zlib ``level``); its sha256."""
    digest = sha256_of(data)
    values = {"sha256": digest, "size": len(data), "content": zlib.compress(data, level)}
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(FILES).values(**values)
        connection.execute(insert.on_conflict_do_nothing(index_elements=["sha256"]))
    elif connection.execute(select(func.count()).select_from(FILES).where(FILES.c.sha256 == digest)).scalar() == 0:
        connection.execute(FILES.insert().values(**values))
    return digest


def fetch_file(connection: Connection, digest: str | None) -> bytes | None:
    if digest is None:
        return None
    content = connection.execute(select(FILES.c.content).where(FILES.c.sha256 == digest)).scalar()
    return None if content is None else zlib.decompress(content)


def file_bytes(path: str | None, digest: str | None, stored: bytes | None) -> bytes | None:
    """The bytes of an input as it was when a version was made: kept in the ledger, or the file at its path if
    it has not changed since (same sha256); None when neither is available."""
    if stored is not None:
        return stored
    if path is None or digest is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return data if sha256_of(data) == digest else None
