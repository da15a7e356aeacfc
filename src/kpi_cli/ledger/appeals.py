"""Appeals (申诉) and sign-offs (签字确认) of a closed period's results, and HR reopening a locked period.

An appeal is opened by a reason and resolved once: by an amendment (``kpi amend --appeal N``, linked
to the version it made) or rejected with a reason.  A sign-off moves one person along
待确认 → 员工已确认 → 上级已审核 → 已锁定 (:mod:`kpi_cli.engine.signoff` says which moves are legal).
Every change is a row with who, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update

from kpi_cli.engine.periods import Period
from kpi_cli.engine.signoff import LOCKED, REVIEWED, SIGNERS, sign
from kpi_cli.errors import LedgerError
from kpi_cli.ledger import schema, trail_schema
from kpi_cli.ledger.closing import utc_now
from kpi_cli.ledger.store import Ledger
from kpi_cli.ledger.trail import (PeriodRef, claim_period, find_period, lock_period, open_appeals, require_reason,
                                  sign_states, state_of, subject_names)

from kpi_cli.i18n import _

A, S, P = trail_schema.appeals, trail_schema.signoffs, schema.periods


@dataclass(frozen=True)
class Appeal:
    number: int
    rubric_id: str
    period: Period
    subject_id: str
    name: str
    version: int
    reason: str
    opened_by: str
    opened_at: str
    state: str  # open | amended | rejected
    resolution: str | None
    resolved_by: str | None
    resolved_at: str | None
    resolved_version: int | None


@dataclass(frozen=True)
class Signed:
    rubric_id: str
    period: Period
    subject_id: str
    name: str
    state: str
    by: str
    at: str


def _person(connection: Connection, ref: PeriodRef, subject_id: str) -> str:
    names = subject_names(connection, ref.version_id)
    if subject_id not in names:
        raise LedgerError(_("{id} is not among the people of {name} (version {version})").format(
            id=subject_id, name=ref.name, version=ref.version), "unknown-subject")
    return names[subject_id]


def open_appeal(ledger: Ledger, rubric_id: str | None, period: Period, subject_id: str, *, reason: str, by: str,
                at: datetime | None = None) -> Appeal:
    reason = require_reason(reason, _("an appeal"))
    when = utc_now(at)
    with ledger.writing() as connection:
        ref = claim_period(connection, rubric_id, period)
        name = _person(connection, ref, subject_id)
        existing = open_appeals(connection, ref.id).get(subject_id)
        if existing is not None:
            raise LedgerError(_("{id} already has an open appeal for {name}: #{number}; it must be resolved first")
                              .format(id=subject_id, name=ref.name, number=existing), "appeal-open")
        state = state_of(sign_states(connection, ref.id), subject_id)
        if state.state == LOCKED:
            raise LedgerError(_("{id}'s result for {name} is locked (已锁定 since {at}): HR must reopen the period "
                                "(kpi reopen) before an appeal").format(id=subject_id, name=ref.name, at=state.at),
                              "locked")
        number = connection.execute(insert(A).values(
            period_id=ref.id, subject_id=subject_id, version=ref.version, reason=reason, opened_by=by,
            opened_at=when, state="open")).inserted_primary_key[0]
    return Appeal(int(number), ref.rubric_id, ref.period, subject_id, name, ref.version, reason, by, when, "open",
                  None, None, None, None)


def reject_appeal(ledger: Ledger, number: int, *, reason: str, by: str, at: datetime | None = None) -> Appeal:
    reason = require_reason(reason, _("rejecting an appeal"))
    when = utc_now(at)
    with ledger.writing() as connection:
        row = connection.execute(select(A).where(A.c.id == number)).first()
        if row is None:
            raise LedgerError(_("there is no appeal #{number} (see kpi appeals)").format(number=number),
                              "unknown-appeal")
        lock_period(connection, row.period_id)  # an amendment resolving it meanwhile has committed: read again
        row = connection.execute(select(A).where(A.c.id == number)).one()
        if row.state != "open":
            raise LedgerError(_("appeal #{number} is already resolved ({state}, {at}, by {by})").format(
                number=number, state=row.state, at=row.resolved_at, by=row.resolved_by), "appeal-not-open")
        done = connection.execute(update(A).where(A.c.id == number, A.c.state == "open").values(
            state="rejected", resolution=reason, resolved_by=by, resolved_at=when)).rowcount
        if done != 1:
            raise LedgerError(_("appeal #{number} was resolved by someone else meanwhile").format(number=number),
                              "appeal-not-open")
    return list_appeals(ledger, number=number)[0]


def list_appeals(ledger: Ledger, *, rubric_id: str | None = None, period: Period | None = None,
                 only_open: bool = False, number: int | None = None) -> list[Appeal]:
    query = select(A, P.c.rubric_id, P.c.period).join(P, P.c.id == A.c.period_id)
    if rubric_id is not None:
        query = query.where(P.c.rubric_id == rubric_id)
    if period is not None:
        query = query.where(P.c.period == str(period))
    if only_open:
        query = query.where(A.c.state == "open")
    if number is not None:
        query = query.where(A.c.id == number)
    with ledger.reading() as connection:
        rows = connection.execute(query.order_by(A.c.id)).all()
        names: dict[tuple[int, str], str] = {}
        for r in rows:
            if (r.period_id, r.subject_id) not in names:
                name = connection.execute(select(schema.results.c.name).join(
                    schema.versions, schema.versions.c.id == schema.results.c.version_id).where(
                    schema.versions.c.period_id == r.period_id, schema.results.c.subject_id == r.subject_id).order_by(
                    schema.versions.c.number.desc()).limit(1)).scalar()
                names[r.period_id, r.subject_id] = name or ""
    return [Appeal(r.id, r.rubric_id, Period.parse(r.period), r.subject_id, names[r.period_id, r.subject_id],
                   r.version, r.reason, r.opened_by, r.opened_at, r.state, r.resolution, r.resolved_by, r.resolved_at,
                   r.resolved_version) for r in rows]


def signoff(ledger: Ledger, rubric_id: str | None, period: Period, subject_id: str, signer: str, *, by: str,
            at: datetime | None = None) -> Signed:
    """One sign-off; an illegal move is refused (``signoff-refused``) with the reason."""
    if signer not in SIGNERS:
        raise LedgerError(_("--as must be employee, supervisor or hr, not {signer}").format(signer=signer),
                          "signoff-refused")
    when = utc_now(at)
    try:
        with ledger.writing() as connection:
            ref = claim_period(connection, rubric_id, period)
            name = _person(connection, ref, subject_id)
            current = state_of(sign_states(connection, ref.id), subject_id)
            new, why = sign(current.state, signer, open_appeals(connection, ref.id).get(subject_id))
            if new is None:
                raise LedgerError(_("{id} {person}, {name}: cannot sign as {signer}: {why}").format(
                    id=subject_id, person=name, name=ref.name, signer=signer, why=why), "signoff-refused")
            connection.execute(insert(S).values(
                period_id=ref.id, subject_id=subject_id, seq=current.seq + 1, action=signer, state=new,
                version=ref.version, reason=None, signed_by=by, signed_at=when))
    except LedgerError as exc:
        if exc.code != "conflict":  # the store's name for a unique key hit: someone else wrote first
            raise
        raise LedgerError(_("{id} was signed by someone else meanwhile; look at kpi audit and try again").format(
            id=subject_id), "concurrent-change") from None
    return Signed(ref.rubric_id, ref.period, subject_id, name, new, by, when)


def reopen(ledger: Ledger, rubric_id: str | None, period: Period, *, reason: str, by: str,
           at: datetime | None = None) -> tuple[PeriodRef, tuple[str, ...]]:
    """HR reopens a locked period: every locked person goes back to 上级已审核, with the reason recorded."""
    reason = require_reason(reason, _("reopening a period"))
    when = utc_now(at)
    try:
        with ledger.writing() as connection:
            ref = claim_period(connection, rubric_id, period)
            states = sign_states(connection, ref.id)
            locked = sorted(k for k, s in states.items() if s.state == LOCKED)
            if not locked:
                raise LedgerError(_("{name} has nobody locked (已锁定): there is nothing to reopen").format(
                    name=ref.name), "not-locked")
            connection.execute(insert(S), [
                {"period_id": ref.id, "subject_id": k, "seq": states[k].seq + 1, "action": "reopen",
                 "state": REVIEWED, "version": ref.version, "reason": reason, "signed_by": by, "signed_at": when}
                for k in locked])
    except LedgerError as exc:
        if exc.code != "conflict":  # the store's name for a unique key hit: someone else wrote first
            raise
        raise LedgerError(_("{name} was signed by someone else meanwhile; try again").format(
            name=f"{rubric_id or ''} {period}".strip()), "concurrent-change") from None
    return ref, tuple(locked)


@dataclass(frozen=True)
class PersonTrail:
    state: str
    signatures: dict[str, tuple[str, str]]  # signer -> (by, at) of the signatures that still stand
    appeal: tuple[int, str, str] | None  # (number, opened at, reason) of an open appeal
    total: Decimal  # in the current version


@dataclass(frozen=True)
class PeriodTrail:
    rubric_id: str
    period: Period
    version: int
    people: dict[str, PersonTrail]


def period_trail(ledger: Ledger, rubric_id: str, period: Period) -> PeriodTrail | None:
    """Each person's sign-off state, standing signatures and open appeal; None when the period is not closed."""
    with ledger.reading() as connection:
        try:
            ref = find_period(connection, rubric_id, period)
        except LedgerError as exc:
            if exc.code == "not-closed":
                return None
            raise
        signatures: dict[str, dict[str, tuple[str, str]]] = {}
        for e in connection.execute(select(S).where(S.c.period_id == ref.id).order_by(S.c.subject_id, S.c.seq)):
            signed = signatures.setdefault(e.subject_id, {})
            if e.action in SIGNERS:
                signed[e.action] = (e.signed_by, e.signed_at)
            elif e.action == "reset":
                signed.clear()
            elif e.action == "reopen":
                signed.pop("hr", None)
        states = sign_states(connection, ref.id)
        appeals = {r.subject_id: (r.id, r.opened_at, r.reason) for r in connection.execute(
            select(A).where(A.c.period_id == ref.id, A.c.state == "open"))}
        totals = dict(connection.execute(select(schema.results.c.subject_id, schema.results.c.total).where(
            schema.results.c.version_id == ref.version_id)).all())
    return PeriodTrail(ref.rubric_id, ref.period, ref.version, {
        k: PersonTrail(state_of(states, k).state, signatures.get(k, {}), appeals.get(k), total)
        for k, total in totals.items()})
