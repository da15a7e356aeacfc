"""Roll-ups: a quarter (2026Q3), a half (2026H1) or a year (2026) from closed periods (pure).

The rubric's ``rollup`` says how (:class:`~kpi_cli.rubric.cycle.Rollup`):

- ``mean``: the mean of the period totals (each as closed: rounded);
- ``weighted``: Σ weight × total / Σ weight, the weight of a month from ``weights`` (month of the year ->
  weight; 1 when not listed; a quarterly source uses the weight of its first month);
- ``sum``: the sum of the item scores and 奖扣分 of every period (the exact, unrounded figures).

A person without a result for a period of the span (not on that month's roster, or the period not
closed at all): ``missing: refuse`` refuses the roll-up naming them; ``present`` uses the periods
present; ``zero`` counts the period as 0.  The result is rounded half-up as ``rollup.rounding`` says,
then graded with the roll-up's bands (default: the rubric's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.history import PeriodResult, PeriodTotal
from kpi_cli.engine.periods import Period, PeriodKind
from kpi_cli.engine.scoring import EXACT, find_band, round_total
from kpi_cli.i18n import _
from kpi_cli.rubric.cycle import Rollup, RollupBand

ZERO = Decimal(0)
ONE = Decimal(1)
_SPAN = re.compile(r"^\s*(\d{4})(?:\s*-?\s*([QqHh])([1-4]))?\s*$")


class Span(NamedTuple):
    """A roll-up period: a quarter, a half or a year."""

    year: int
    kind: str  # quarter | half | year
    number: int  # 1-4, 1-2, or 1

    @classmethod
    def parse(cls, text: str) -> Span:
        """``2026Q3``, ``2026H1`` or ``2026``; ValueError with a message for people."""
        m = _SPAN.match(text)
        if m:
            year, letter, number = int(m.group(1)), (m.group(2) or "").upper(), int(m.group(3) or 1)
            if not letter:
                return cls(year, "year", 1)
            if letter == "Q":
                return cls(year, "quarter", number)
            if number <= 2:
                return cls(year, "half", number)
        raise ValueError(_("{text} is not a roll-up period: write a quarter 2026Q3, a half 2026H1 or a year "
                           "2026").format(text=repr(text)))

    @property
    def months(self) -> tuple[int, ...]:
        size = {"quarter": 3, "half": 6, "year": 12}[self.kind]
        first = (self.number - 1) * size + 1
        return tuple(range(first, first + size))

    def periods(self, kind: PeriodKind) -> tuple[Period, ...]:
        """The periods of a rubric scored by ``kind`` that make up this span, in order."""
        if kind == "month":
            return tuple(Period(self.year, "month", m) for m in self.months)
        return tuple(Period(self.year, "quarter", (m - 1) // 3 + 1) for m in self.months[::3])

    def __str__(self) -> str:
        if self.kind == "year":
            return str(self.year)
        return f"{self.year}{'Q' if self.kind == 'quarter' else 'H'}{self.number}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年度"
        return f"{self.year}年第{self.number}季度" if self.kind == "quarter" else \
            f"{self.year}年{'上' if self.number == 1 else '下'}半年"


class RollupPart(NamedTuple):
    """One period of a person's roll-up: what was used (the total, or 0 / nothing when missing)."""

    period: Period
    result: PeriodTotal | PeriodResult | None  # None: no result for this period
    weight: Decimal
    value: Decimal | None  # the figure used: the total (mean, weighted), raw total (sum), 0 (missing: zero)


@dataclass(frozen=True, slots=True)
class RollupScore:
    subject_id: str
    name: str
    department: str
    role: str | None
    parts: tuple[RollupPart, ...]
    raw_total: Decimal  # exact
    total: Decimal  # rounded as rollup.rounding says
    grade: RollupBand | None
    outcome: RollupBand | None
    method: str  # mean | weighted | sum: see working()
    rank: int = 0
    department_rank: int = 0


@dataclass(frozen=True, slots=True)
class RollupSheet:
    rubric_id: str  # the rubric that declares the roll-up
    source_id: str  # the rubric whose closed periods are used
    span: Span
    rule: Rollup
    periods: tuple[Period, ...]
    closed: tuple[Period, ...]  # the periods of the span that are closed
    subjects: tuple[RollupScore, ...]  # best first

    def find(self, subject_id: str) -> RollupScore | None:
        return next((s for s in self.subjects if s.subject_id == subject_id), None)


def _num(value: Decimal) -> str:
    from kpi_cli.engine.scoring import fmt

    return fmt(value)


def roll_up(rubric_id: str, source_id: str, rule: Rollup, grades: Sequence[RollupBand],
            outcomes: Sequence[RollupBand], span: Span, kind: PeriodKind,
            results: Mapping[Period, Sequence[PeriodTotal | PeriodResult]]
            ) -> tuple[RollupSheet | None, list[Diagnostic]]:
    """Roll up ``results`` (closed period -> everyone's result) over ``span``; None with the reasons when
    the missing-period policy refuses."""
    periods = span.periods(kind)
    closed = tuple(p for p in periods if results.get(p))
    where = f"rollup {span}"
    problems: list[Diagnostic] = []
    if not closed:
        return None, [Diagnostic(where, 0, 0, _("no period of {span} is closed for rubric {rubric} ({periods}): "
                                               "close them first with kpi close").format(
            span=span, rubric=source_id, periods=", ".join(str(p) for p in periods)), "rollup-nothing-closed")]
    slot = {period: k for k, period in enumerate(periods)}
    people: dict[str, list[PeriodTotal | PeriodResult | None]] = {}  # id -> result per period of the span
    for period, k in slot.items():
        for r in results.get(period, ()):
            found = people.get(r.subject_id)
            if found is None:
                found = people[r.subject_id] = [None] * len(periods)
            found[k] = r
    if rule.missing == "refuse":
        not_closed = [p for p in periods if p not in closed]
        if not_closed:
            problems.append(Diagnostic(where, 0, 0, _("{periods} not closed for rubric {rubric}; close it, or "
                                                     "declare rollup missing: present or zero").format(
                periods=", ".join(str(p) for p in not_closed), rubric=source_id), "rollup-missing"))
        for subject_id, found in sorted(people.items()):
            absent = [p for p in closed if found[slot[p]] is None]
            if absent:
                name = next(r for r in found if r is not None).name
                problems.append(Diagnostic(where, 0, 0, _("{id} {name} has no result for {periods}; the rollup's "
                                                         "missing policy is refuse (present: use the periods "
                                                         "present; zero: count them as 0)").format(
                    id=subject_id, name=name, periods=", ".join(str(p) for p in absent)), "rollup-missing"))
        if problems:
            return None, problems
    weighted = [(period, _weight(rule, period)) for period in periods]
    scores = [_score(subject_id, found, weighted, rule, grades, outcomes) for subject_id, found in people.items()]
    return RollupSheet(rubric_id, source_id, span, rule, periods, closed, _ranked(scores, rule.method)), problems


def _weight(rule: Rollup, period: Period) -> Decimal:
    if rule.method != "weighted":
        return ONE
    return rule.weights.get(period.first_month, ONE)


class _Unranked(NamedTuple):
    subject_id: str
    last: PeriodTotal | PeriodResult  # the person's latest period: name, department and role
    parts: tuple[RollupPart, ...]
    raw_total: Decimal
    total: Decimal
    grade: RollupBand | None
    outcome: RollupBand | None


def _score(subject_id: str, found: Sequence[PeriodTotal | PeriodResult | None],
           weighted: Sequence[tuple[Period, Decimal]], rule: Rollup, grades: Sequence[RollupBand],
           outcomes: Sequence[RollupBand]) -> _Unranked:
    """One person's roll-up; ``found`` holds their result for each period of the span (None: missing)."""
    use_raw, missing_zero = rule.method == "sum", rule.missing == "zero"
    parts: list[RollupPart] = []
    figures: list[Decimal] = []
    for (period, weight), r in zip(weighted, found):
        if r is not None:
            value = r.raw_total if use_raw else r.total
            parts.append(RollupPart(period, r, weight, value))
            figures.append(value)
        elif missing_zero:
            parts.append(RollupPart(period, None, weight, ZERO))
            figures.append(ZERO)
        else:
            parts.append(RollupPart(period, None, weight, None))
    if rule.method == "sum":
        raw = sum(figures, ZERO)
    elif rule.method == "mean":
        raw = EXACT.divide(sum(figures, ZERO), Decimal(len(figures)))
    else:
        used = [p for p in parts if p.value is not None]
        weights = sum((p.weight for p in used), ZERO)
        raw = EXACT.divide(sum((p.weight * p.value for p in used if p.value is not None), ZERO), weights)
    total = round_total(raw, rule.rounding.decimals)
    last = next(r for r in reversed(found) if r is not None)
    return _Unranked(subject_id, last, tuple(parts), raw, total, find_band(grades, total),
                     find_band(outcomes, total))


def working(s: RollupScore) -> str:
    """The arithmetic of a roll-up, e.g. ``(100 + 95 + 100) / 3 = ≈98.3333`` (for receipts: made on demand)."""
    used = [p for p in s.parts if p.value is not None]
    figures = [_num(p.value) for p in used if p.value is not None]
    if s.method == "sum":
        return " + ".join(figures) + f" = {_num(s.raw_total)}"
    if s.method == "mean":
        return f"({' + '.join(figures)}) / {len(figures)} = {_num(s.raw_total)}"
    weights = sum((p.weight for p in used), ZERO)
    terms = " + ".join(f"{_num(p.weight)} × {_num(p.value)}" for p in used if p.value is not None)
    return f"({terms}) / {_num(weights)} = {_num(s.raw_total)}"


def _ranked(scores: list[_Unranked], method: str) -> tuple[RollupScore, ...]:
    """Best first (then by id); competition ranks 1, 2, 2, 4 overall and within each department."""
    ordered = sorted(scores, key=lambda s: (-s.total, s.subject_id))
    out: list[RollupScore] = []
    overall = _Ranking()
    departments: dict[str, _Ranking] = {}
    for s in ordered:
        last = s.last
        department = departments.get(last.department)
        if department is None:
            department = departments[last.department] = _Ranking()
        out.append(RollupScore(s.subject_id, last.name, last.department, last.role, s.parts, s.raw_total, s.total,
                               s.grade, s.outcome, method, overall.next(s.total), department.next(s.total)))
    return tuple(out)


class _Ranking:
    def __init__(self) -> None:
        self.count, self.rank, self.last = 0, 0, None

    def next(self, total: Decimal) -> int:
        self.count += 1
        if total != self.last:
            self.rank, self.last = self.count, total
        return self.rank
