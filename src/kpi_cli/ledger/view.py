"""What the ledger adds to a period being scored: the last closed period, the trend, the rules across periods.

Used by ``kpi score`` (change from the last closed period), ``kpi explain`` and ``kpi forms`` (trend chart,
rules across periods with the periods that triggered them).  Reading only: nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_cli.engine.history import Flag, PeriodResult, sheet_flags
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import ScoreSheet
from kpi_cli.ledger.queries import previous_results
from kpi_cli.ledger.store import Ledger

TREND = 12  # periods of history a form's trend chart shows at most


@dataclass(frozen=True)
class LedgerView:
    where: str
    previous: Period | None  # the last closed period before the one scored
    timelines: dict[str, list[PeriodResult]] = field(default_factory=dict)  # closed periods before, oldest first
    flags: dict[str, tuple[Flag, ...]] = field(default_factory=dict)

    def before(self, subject_id: str) -> PeriodResult | None:
        """The person's result in the last closed period (None: not in it)."""
        line = self.timelines.get(subject_id, [])
        return line[-1] if line and line[-1].period == self.previous else None

    def trend(self, subject_id: str) -> list[PeriodResult]:
        return self.timelines.get(subject_id, [])[-(TREND - 1):]


def ledger_view(ledger: Ledger, sheet: ScoreSheet) -> LedgerView:
    from kpi_cli.ledger.closing import lookback

    previous, timelines = previous_results(ledger, sheet.rubric.id, sheet.period, max(lookback(sheet), TREND - 1))
    return LedgerView(ledger.where, previous, timelines, sheet_flags(sheet, timelines))
