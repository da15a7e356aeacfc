"""Reading the ledger: closed periods, a person's history, the results a roll-up needs.

Every read sees the CURRENT version of each period (its highest number: the close, or the latest
amendment).  Results come back as the engine's :class:`~kpi_cli.engine.history.PeriodResult`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Select, String, Subquery, and_, func, select, type_coerce

from kpi_cli.engine.history import Flag, ItemResult, PeriodResult, PeriodTotal
from kpi_cli.engine.periods import Period
from kpi_cli.ledger import schema
from kpi_cli.ledger.store import Ledger

P, V, R, I, F = schema.periods, schema.versions, schema.results, schema.items, schema.flags


@dataclass(frozen=True)
class ClosedPeriod:
    """A closed period as ``kpi periods`` lists it (its current version)."""

    rubric_id: str
    period: Period
    closed_by: str
    closed_at: str
    version: int  # the current version: 1 unless amended
    version_by: str
    version_at: str
    subjects: int
    rows_read: int
    rows_used: int
    rows_outside: int
    rows_error: int
    rubric_sha256: str
    log_file: str
    log_sha256: str
    roster_file: str | None


def current_versions() -> Select:  # type: ignore[type-arg]
    """(version id, rubric, period, number) of each period's current version."""
    latest = select(func.max(V.c.number)).where(V.c.period_id == P.c.id).correlate(P).scalar_subquery()
    return select(V.c.id.label("version_id"), P.c.rubric_id, P.c.period, V.c.number).join(
        P, V.c.period_id == P.c.id).where(V.c.number == latest)


def list_periods(ledger: Ledger, rubric_id: str | None = None) -> list[ClosedPeriod]:
    cur = current_versions().subquery()
    query = select(P, V.c.number, V.c.created_by, V.c.created_at, V.c.subjects, V.c.rows_read, V.c.rows_used,
                   V.c.rows_outside, V.c.rows_error, V.c.rubric_sha256, V.c.log_file, V.c.log_sha256,
                   V.c.roster_file).join(cur, cur.c.period == P.c.period).join(V, V.c.id == cur.c.version_id).where(
        cur.c.rubric_id == P.c.rubric_id)
    if rubric_id is not None:
        query = query.where(P.c.rubric_id == rubric_id)
    with ledger.reading() as connection:
        rows = connection.execute(query).all()
    out = [ClosedPeriod(r.rubric_id, Period.parse(r.period), r.closed_by, r.closed_at, r.number, r.created_by,
                        r.created_at, r.subjects, r.rows_read, r.rows_used, r.rows_outside, r.rows_error,
                        r.rubric_sha256, r.log_file, r.log_sha256, r.roster_file) for r in rows]
    return sorted(out, key=lambda c: (c.rubric_id, c.period))


def _results(connection: Connection, where: Callable[[Subquery], list], *,  # type: ignore[type-arg]
             with_flags: bool = True, with_items: bool = True) -> list[PeriodResult]:
    """The results (with items and flags) of the current versions that ``where(current)`` selects."""
    cur = current_versions().subquery()
    rows = connection.execute(select(R, cur.c.rubric_id, cur.c.period, cur.c.number).join(
        cur, cur.c.version_id == R.c.version_id).where(*where(cur))).all()
    if not rows:
        return []
    keys = {(r.version_id, r.subject_id) for r in rows}
    versions = sorted({r.version_id for r in rows})
    subjects = sorted({r.subject_id for r in rows})
    items: dict[tuple[int, str], list[ItemResult]] = defaultdict(list)
    flags: dict[tuple[int, str], list[Flag]] = defaultdict(list)
    for chunk in _chunks(versions):
        filters = [I.c.version_id.in_(chunk)]
        if len(subjects) <= 500:
            filters.append(I.c.subject_id.in_(subjects))
        for i in connection.execute(select(I).where(and_(*filters)).order_by(I.c.position)) if with_items else ():
            if (i.version_id, i.subject_id) in keys:
                items[i.version_id, i.subject_id].append(
                    ItemResult(i.item_id, i.name, i.max, i.score, i.deducted, i.occurrences, bool(i.wiped)))
        if with_flags:
            ffilters = [F.c.version_id.in_(chunk)]
            if len(subjects) <= 500:
                ffilters.append(F.c.subject_id.in_(subjects))
            for f in connection.execute(select(F).where(and_(*ffilters)).order_by(F.c.rule_id)):
                if (f.version_id, f.subject_id) in keys:
                    flags[f.version_id, f.subject_id].append(
                        Flag(f.rule_id, f.name, f.action, tuple(f.periods.split())))
    parsed = {text: Period.parse(text) for text in {r.period for r in rows}}
    out = [PeriodResult(r.rubric_id, parsed[r.period], r.number, r.subject_id, r.name, r.department, r.role,
                        r.total, r.raw_total, r.adjustment_total, r.grade, r.outcome, r.pay, r.rank,
                        r.department_rank, tuple(items[r.version_id, r.subject_id]),
                        tuple(flags[r.version_id, r.subject_id])) for r in rows]
    return sorted(out, key=lambda r: (r.rubric_id, r.period, r.subject_id))


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def history(ledger: Ledger, subject_id: str, rubric_id: str | None = None) -> list[PeriodResult]:
    """One person's results, every closed period (of one rubric, or all), oldest first."""
    def where(cur: Subquery) -> list:  # type: ignore[type-arg]
        return [R.c.subject_id == subject_id] + ([] if rubric_id is None else [cur.c.rubric_id == rubric_id])

    with ledger.reading() as connection:
        return _results(connection, where)


def period_results(ledger: Ledger, rubric_id: str, periods: Sequence[Period]) -> dict[Period, list[PeriodResult]]:
    """Everyone's results (with items and flags) for the given periods of a rubric (only closed ones appear)."""
    names = [str(p) for p in periods]
    out: dict[Period, list[PeriodResult]] = {}
    with ledger.reading() as connection:
        for r in _results(connection, lambda cur: [cur.c.rubric_id == rubric_id, cur.c.period.in_(names)]):
            out.setdefault(r.period, []).append(r)
    return out


def period_totals(ledger: Ledger, rubric_id: str, periods: Sequence[Period]) -> dict[Period, list[PeriodTotal]]:
    """Everyone's totals, grade and rank for the given periods of a rubric (current versions; only closed
    periods appear): what a roll-up reads, 240,000 rows for a year of 20,000 people.

    Lean on purpose: the current versions first (one row per period), then the results of those versions
    only, as plain text (no type processing per row), each distinct decimal text parsed once."""
    names = [str(p) for p in periods]
    with ledger.reading() as connection:
        current = connection.execute(current_versions().where(P.c.rubric_id == rubric_id, P.c.period.in_(names)))
        of = {row.version_id: (Period.parse(row.period), row.number) for row in current}
        if not of:
            return {}
        rows = connection.execute(select(
            R.c.version_id, R.c.subject_id, R.c.name, R.c.department, R.c.role, type_coerce(R.c.total, String),
            type_coerce(R.c.raw_total, String), R.c.grade, R.c.rank).where(R.c.version_id.in_(sorted(of)))).all()
    out: dict[Period, list[PeriodTotal]] = {period: [] for period, _number in of.values()}
    exact = _Decimals()
    for version_id, subject_id, name, department, role, total, raw_total, grade, rank in rows:
        period, number = of[version_id]
        out[period].append(PeriodTotal(period, number, subject_id, name, department, role, exact[total],
                                       exact[raw_total], grade, rank))
    return out


class _Decimals(dict[str, Decimal]):
    """Decimal text -> Decimal, each distinct text parsed once (a year of totals has few distinct ones)."""

    def __missing__(self, text: str) -> Decimal:
        value = self[text] = Decimal(text)
        return value


def subject_timelines(connection: Connection, rubric_id: str, *, before: Period, periods: int
                      ) -> dict[str, list[PeriodResult]]:
    """Each person's results in the ``periods`` periods right before ``before``, oldest first."""
    wanted = []
    p = before
    for _ in range(periods):
        p = p.previous()
        wanted.append(str(p))
    if not wanted:
        return {}
    out: dict[str, list[PeriodResult]] = defaultdict(list)
    for r in _results(connection, lambda cur: [cur.c.rubric_id == rubric_id, cur.c.period.in_(wanted)],
                      with_flags=False):
        out[r.subject_id].append(r)
    return dict(out)


def previous_results(ledger: Ledger, rubric_id: str, period: Period, lookback: int = 0
                     ) -> tuple[Period | None, dict[str, list[PeriodResult]]]:
    """The last closed period before ``period`` and each person's results up to it (``lookback`` + 1
    periods, oldest first): for the change shown by ``kpi score`` and its rules across periods."""
    with ledger.reading() as connection:
        closed = [Period.parse(p) for p in connection.execute(
            select(P.c.period).where(P.c.rubric_id == rubric_id)).scalars()]
        earlier = [p for p in closed if p.kind == period.kind and p < period]
        if not earlier:
            return None, {}
        last = max(earlier)
        distance, p = 0, period
        while p != last:
            p, distance = p.previous(), distance + 1
        return last, subject_timelines(connection, rubric_id, before=period, periods=max(distance, lookback))
