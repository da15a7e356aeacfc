"""What payroll needs from the ledger: each person's outcome, its 发放比例 and their 绩效工资基数, for a
closed period (its current version) or for a roll-up (its outcome; the base of the latest period of
the span that has one)."""

from __future__ import annotations

from sqlalchemy import select

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.payroll import PayInput
from kpi_cli.engine.periods import Period
from kpi_cli.engine.rollup import RollupSheet, Span
from kpi_cli.ledger import schema
from kpi_cli.ledger.queries import current_versions
from kpi_cli.ledger.rollups import rollup, source_kind
from kpi_cli.ledger.store import Ledger
from kpi_cli.ledger.trail import PeriodRef, find_period
from kpi_cli.rubric.model import Rubric

R = schema.results


def period_pay(ledger: Ledger, rubric_id: str | None, period: Period) -> tuple[PeriodRef, list[PayInput]]:
    """The people of a closed period's current version, best first."""
    with ledger.reading() as connection:
        ref = find_period(connection, rubric_id, period)
        rows = connection.execute(select(R).where(R.c.version_id == ref.version_id).order_by(R.c.rank,
                                                                                             R.c.subject_id)).all()
    where = ref.roster_file or f"{ref.name} v{ref.version}"
    return ref, [PayInput(r.subject_id, r.name, r.department, r.total, r.outcome, r.pay, r.pay_base, where, 0)
                 for r in rows]


def rollup_pay(ledger: Ledger, rubric: Rubric, span: Span) -> tuple[RollupSheet | None, list[PayInput],
                                                                    list[Diagnostic]]:
    """The roll-up's people with its outcome's 发放比例 and the latest base each has in the span."""
    sheet, problems = rollup(ledger, rubric, span)
    if sheet is None:
        return None, [], problems
    kind = source_kind(ledger, sheet.source_id, rubric.period)
    names = [str(p) for p in span.periods(kind)]
    cur = current_versions().subquery()
    bases: dict[str, tuple[Period, object]] = {}
    with ledger.reading() as connection:
        for r in connection.execute(select(R.c.subject_id, R.c.pay_base, cur.c.period).join(
                cur, cur.c.version_id == R.c.version_id).where(cur.c.rubric_id == sheet.source_id,
                                                               cur.c.period.in_(names))):
            if r.pay_base is None:
                continue
            when = Period.parse(r.period)
            if r.subject_id not in bases or bases[r.subject_id][0] < when:
                bases[r.subject_id] = (when, r.pay_base)
    where = f"{sheet.source_id} {span}"
    people = [PayInput(s.subject_id, s.name, s.department, s.total, s.outcome.label if s.outcome else None,
                       s.outcome.pay if s.outcome else None,
                       bases[s.subject_id][1] if s.subject_id in bases else None,  # type: ignore[arg-type]
                       where, 0) for s in sheet.subjects]
    return sheet, people, problems
