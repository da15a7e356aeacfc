"""The audit trail of a closed period: every version with its reason, who and when; per amendment, whose
total, grade, outcome or pay changed and which records; the appeals; every sign-off, reset and reopening;
and each person's sign-off state now (what the printed forms show)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from kpi_cli.engine.periods import Period
from kpi_cli.engine.record_diff import RecordChange
from kpi_cli.engine.whatif import Comparison, compare_standings
from kpi_cli.ledger import schema, trail_schema
from kpi_cli.ledger.appeals import Appeal, list_appeals
from kpi_cli.ledger.store import Ledger
from kpi_cli.ledger.trail import PeriodRef, SignState, find_period, sign_states, standing_of_row

V, R = schema.versions, schema.results
AM, RC, S = trail_schema.amendments, trail_schema.record_changes, trail_schema.signoffs


@dataclass(frozen=True)
class VersionEntry:
    number: int
    kind: str  # close | amend
    reason: str | None
    by: str
    at: str
    rubric_file: str
    rubric_sha256: str
    log_file: str
    log_sha256: str
    roster_file: str | None
    subjects: int
    people: Comparison | None  # against the version before (None for the close)
    records: tuple[RecordChange, ...]
    records_known: bool
    note: str | None


@dataclass(frozen=True)
class SignEvent:
    subject_id: str
    action: str  # employee | supervisor | hr | reset | reopen
    state: str
    version: int
    reason: str | None
    by: str
    at: str


@dataclass(frozen=True)
class Audit:
    ref: PeriodRef
    versions: tuple[VersionEntry, ...]
    appeals: tuple[Appeal, ...]
    events: tuple[SignEvent, ...]
    states: dict[str, SignState]
    names: dict[str, str]  # every person of every version


def _rows(connection: Connection, version_id: int):  # type: ignore[no-untyped-def]
    return sorted(connection.execute(select(R).where(R.c.version_id == version_id)).all(),
                  key=lambda r: (r.rank, r.subject_id))


def read_audit(ledger: Ledger, rubric_id: str | None, period: Period) -> Audit:
    with ledger.reading() as connection:
        ref = find_period(connection, rubric_id, period)
        versions = connection.execute(select(V).where(V.c.period_id == ref.id).order_by(V.c.number)).all()
        notes = {r.version_id: r for r in connection.execute(select(AM).where(
            AM.c.version_id.in_([v.id for v in versions])))}
        entries: list[VersionEntry] = []
        names: dict[str, str] = {}
        previous = None
        for v in versions:
            rows = _rows(connection, v.id)
            names.update({r.subject_id: r.name for r in rows})
            people = None
            if previous is not None:
                people = compare_standings([(r.subject_id, r.name, r.department, standing_of_row(r)) for r in previous],
                                           [(r.subject_id, r.name, r.department, standing_of_row(r)) for r in rows])
            records = tuple(RecordChange(c.subject_id, c.change, c.old_location, c.new_location, c.old_text,
                                         c.new_text) for c in connection.execute(
                select(RC).where(RC.c.version_id == v.id).order_by(RC.c.seq)))
            note = notes.get(v.id)
            entries.append(VersionEntry(v.number, v.kind, v.reason, v.created_by, v.created_at, v.rubric_file,
                                        v.rubric_sha256, v.log_file, v.log_sha256, v.roster_file, v.subjects, people,
                                        records, note.records_known if note is not None else True,
                                        note.note if note is not None else None))
            previous = rows
        events = tuple(SignEvent(e.subject_id, e.action, e.state, e.version, e.reason, e.signed_by, e.signed_at)
                       for e in connection.execute(select(S).where(S.c.period_id == ref.id).order_by(S.c.id)))
        states = sign_states(connection, ref.id)
    appeals = tuple(list_appeals(ledger, rubric_id=ref.rubric_id, period=ref.period))
    return Audit(ref, tuple(entries), appeals, events, states, names)
