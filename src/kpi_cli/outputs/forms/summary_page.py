"""The first page: the ranking, the count per grade with a bar chart (inline SVG), each department's mean and range."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

from kpi_cli.engine.results import ScoreSheet
from kpi_cli.engine.scoring import fmt, round_total
from kpi_cli.outputs.forms.views import (
    NO_DEPARTMENT,
    Bar,
    Chart,
    Department,
    RankRow,
    SummaryPage,
    band_range,
    signed,
)


def bar_chart(title: str, counts: Sequence[tuple[str, int]]) -> Chart | None:
    """A vertical bar chart of counts per label; geometry in SVG user units."""
    if not counts:
        return None
    width, height = 640, 230
    left, right, top, bottom = 40, 10, 40, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    most = max((n for _, n in counts), default=0)
    step = 1 if most <= 5 else (2 if most <= 10 else (5 if most <= 25 else 10 * ((most + 49) // 50)))
    top_value = max(step, ((most + step - 1) // step) * step)
    slot = plot_w / len(counts)
    bar_w = min(90.0, slot * 0.6)
    baseline = top + plot_h
    bars = []
    for i, (label, n) in enumerate(counts):
        h = plot_h * n / top_value
        bars.append(Bar(label, n, round(left + slot * i + (slot - bar_w) / 2, 1), round(baseline - h, 1),
                        round(bar_w, 1), round(h, 1)))
    ticks = tuple((v, round(baseline - plot_h * v / top_value, 1)) for v in range(0, top_value + 1, step))
    return Chart(width, height, baseline, tuple(bars), ticks, title)


def _mean(values: Sequence[Decimal], decimals: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 34
        return round_total(sum(values, Decimal(0)) / len(values), decimals)


def build_summary(sheet: ScoreSheet) -> SummaryPage:
    rubric = sheet.rubric
    summary = sheet.summary
    ranking = tuple(RankRow(s.rank, s.subject.id, s.subject.name, s.subject.department, s.subject.role or "",
                            signed(s.adjustment_total) if s.adjustments or s.adjustment_total else "", fmt(s.total),
                            s.grade.label if s.grade else "", s.outcome.label if s.outcome else "",
                            s.department_rank)
                    for s in sheet.subjects)
    per_grade = tuple((b.label, band_range(b), n) for b, (_, n) in zip(rubric.grades, summary.per_grade))
    per_outcome = tuple((b.label, band_range(b), n) for b, (_, n) in zip(rubric.outcomes, summary.per_outcome))
    if summary.per_grade:
        chart = bar_chart("等级分布 (人数)", summary.per_grade)
    else:
        chart = bar_chart("绩效结果分布 (人数)", summary.per_outcome)
    groups: dict[str, list[Decimal]] = {}
    for s in sheet.subjects:
        groups.setdefault(s.subject.department or NO_DEPARTMENT, []).append(s.total)
    decimals = rubric.rounding.decimals + 1
    departments = tuple(Department(name, len(totals), fmt(_mean(totals, decimals)), fmt(min(totals)),
                                   fmt(max(totals)))
                        for name, totals in sorted(groups.items()))
    return SummaryPage(summary.count, "" if summary.mean is None else fmt(summary.mean),
                       "" if summary.minimum is None else fmt(summary.minimum),
                       "" if summary.maximum is None else fmt(summary.maximum),
                       ranking, per_grade, per_outcome, chart, departments)


def provenance_rows(provenance: object | None) -> tuple[tuple[str, str], ...]:
    """Label / value pairs: from a :class:`~kpi_cli.provenance.Provenance` (its ``lines()``), a mapping,
    a dataclass or an object with ``as_dict()``."""
    if provenance is None:
        return ()
    pairs: Any
    if callable(getattr(provenance, "lines", None)):
        pairs = provenance.lines()  # type: ignore[attr-defined]
    elif isinstance(provenance, Mapping):
        pairs = provenance.items()
    elif dataclasses.is_dataclass(provenance) and not isinstance(provenance, type):
        pairs = dataclasses.asdict(provenance).items()
    elif callable(getattr(provenance, "as_dict", None)):
        pairs = provenance.as_dict().items()  # type: ignore[attr-defined]
    else:
        return (("", str(provenance)),)
    return tuple((str(k), str(v)) for k, v in pairs if v is not None and v != "")
