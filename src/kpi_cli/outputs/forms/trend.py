"""The trend chart on a printed form: the person's last closed periods and this one, as a small inline SVG.

Drawn only when the ledger has history for the person (at least one closed period before this one).
Every text is data for the template (escaped there); coordinates are plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kpi_cli.engine.history import Flag, PeriodResult
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import SubjectScore
from kpi_cli.engine.scoring import fmt

WIDTH, HEIGHT = 240, 64  # SVG user units; printed 60 mm × 16 mm
LEFT, RIGHT, TOP, BOTTOM = 6, 6, 12, 12


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the period, short: 26-07
    value: str  # the total: 95.5
    current: bool


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    points: tuple[Point, ...]
    polyline: str
    flags: tuple[str, ...]  # rules across periods this period triggers, with their periods


def _short(period: Period) -> str:
    return f"{period.year % 100:02d}-{period.number:02d}" if period.kind == "month" else \
        f"{period.year % 100:02d}Q{period.number}"


def build_trend(history: Sequence[PeriodResult], s: SubjectScore, period: Period,
                flags: Sequence[Flag] = ()) -> Trend | None:
    """The chart for ``s``: ``history`` (closed periods before, oldest first) and this period; None without
    history."""
    if not history and not flags:
        return None
    series: list[tuple[Period, Decimal, bool]] = [(r.period, r.total, False) for r in history]
    series.append((period, s.total, True))
    low = min(v for _, v, _ in series)
    high = max(v for _, v, _ in series)
    span = high - low
    n = len(series)
    step = (WIDTH - LEFT - RIGHT) / max(n - 1, 1)
    points: list[Point] = []
    for k, (p, v, current) in enumerate(series):
        x = LEFT + k * step if n > 1 else WIDTH / 2
        ratio = float((v - low) / span) if span else 0.5
        y = TOP + (1 - ratio) * (HEIGHT - TOP - BOTTOM)
        points.append(Point(round(x, 1), round(y, 1), _short(p), fmt(v), current))
    polyline = " ".join(f"{p.x},{p.y}" for p in points)
    return Trend(WIDTH, HEIGHT, tuple(points), polyline, tuple(f.text for f in flags))
