"""``kpi rollup``: a quarter, half or year of a rubric, from the closed periods in the ledger."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.periods import PeriodKind
from kpi_cli.engine.rollup import RollupSheet, Span, roll_up
from kpi_cli.errors import LedgerError
from kpi_cli.i18n import _
from kpi_cli.ledger import schema
from kpi_cli.ledger.queries import period_totals
from kpi_cli.ledger.store import Ledger
from kpi_cli.rubric.model import Rubric


def source_kind(ledger: Ledger, source_id: str, default: PeriodKind) -> PeriodKind:
    """How the source rubric's periods are closed (month or quarter), from the ledger."""
    with ledger.reading() as connection:
        kinds = set(connection.execute(select(schema.periods.c.kind).where(
            schema.periods.c.rubric_id == source_id).distinct()).scalars())
    if len(kinds) == 1:
        return kinds.pop()  # type: ignore[return-value]
    return default


def rollup(ledger: Ledger, rubric: Rubric, span: Span) -> tuple[RollupSheet | None, list[Diagnostic]]:
    """The roll-up ``rubric`` declares, over ``span``; None with the reasons when it is refused."""
    rule = rubric.rollup
    if rule is None:
        raise LedgerError(_("rubric {rubric} declares no rollup: add a rollup section (method, missing, rounding, "
                            "grades) to it").format(rubric=rubric.id), "rollup-refused")
    source = rule.from_ or rubric.id
    kind = source_kind(ledger, source, rubric.period if source == rubric.id else "month")
    grades = rule.grades if rule.grades is not None else rubric.grades
    outcomes = rule.outcomes if rule.outcomes is not None else rubric.outcomes
    with collection_paused():  # 240,000 small immutable objects, no cycles among them
        results = period_totals(ledger, source, span.periods(kind))
        return roll_up(rubric.id, source, rule, grades, outcomes, span, kind, results)  # type: ignore[arg-type]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a roll-up builds its objects, on again after.

    Each of the 240,000 tuples of a year would otherwise count towards the collector's thresholds, which
    then walks every live object again and again (measured: the build took 2.5x the CPU time).  Nothing
    built here forms a cycle, and reference counting frees it as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
