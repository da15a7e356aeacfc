"""A person's closed periods, and the rules that look across them (pure: no database, no I/O).

The ledger reads :class:`PeriodResult` values; :func:`across_flags` applies a rubric's
``across_periods`` rules to one person's timeline (连续2个月不及格, 连续3个月优秀, 季度内2次以上违纪).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from kpi_cli.engine.periods import Period

if TYPE_CHECKING:  # only named in annotations: kpi history stays free of the rubric model (pydantic)
    from kpi_cli.engine.results import ScoreSheet, SubjectScore
    from kpi_cli.rubric.cycle import AcrossRule


@dataclass(frozen=True, slots=True)
class ItemResult:
    id: str
    name: str
    max: Decimal
    score: Decimal
    deducted: Decimal
    occurrences: int
    wiped: bool


@dataclass(frozen=True, slots=True)
class Flag:
    """A rule across periods that a person's results triggered, with the periods that triggered it."""

    rule: str
    name: str
    action: str | None
    periods: tuple[str, ...]

    @property
    def text(self) -> str:
        then = f" → {self.action}" if self.action else ""
        return f"{self.name}{then} ({', '.join(self.periods)})"


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One person's result for one closed period (its current version)."""

    rubric_id: str
    period: Period
    version: int
    subject_id: str
    name: str
    department: str
    role: str | None
    total: Decimal
    raw_total: Decimal
    adjustment_total: Decimal
    grade: str | None
    outcome: str | None
    pay: Decimal | None
    rank: int
    department_rank: int
    items: tuple[ItemResult, ...] = ()
    flags: tuple[Flag, ...] = ()


class PeriodTotal(NamedTuple):
    """What a roll-up needs of one person's closed period: a lean :class:`PeriodResult` (no items, flags,
    outcome or pay), a tuple so that a year of 20,000 people (240,000 of them) is cheap to build."""

    period: Period
    version: int
    subject_id: str
    name: str
    department: str
    role: str | None
    total: Decimal
    raw_total: Decimal
    grade: str | None
    rank: int


def result_of(rubric_id: str, period: Period, score: SubjectScore, version: int = 0,
              flags: tuple[Flag, ...] = ()) -> PeriodResult:
    """A scored (not yet closed) subject as a period result, to put beside the closed ones."""
    s = score.subject
    items = tuple(ItemResult(i.id, i.name, i.max, i.score, i.deducted, i.occurrences, i.wiped) for i in score.items)
    return PeriodResult(rubric_id, period, version, s.id, s.name, s.department, s.role, score.total, score.raw_total,
                        score.adjustment_total, score.grade.label if score.grade else None,
                        score.outcome.label if score.outcome else None,
                        score.outcome.pay if score.outcome else None, score.rank, score.department_rank, items, flags)


def _span_of(period: Period, within: str) -> tuple[int, int]:
    """(year, n) of the quarter, half or year a period falls in (a quarter period: its first month)."""
    month = period.first_month
    if within == "quarter":
        return period.year, (month - 1) // 3
    if within == "half":
        return period.year, (month - 1) // 6
    return period.year, 0


def across_flags(rules: Iterable[AcrossRule], timeline: Sequence[PeriodResult]) -> tuple[Flag, ...]:
    """The rules triggered at the LAST period of ``timeline`` (one person's results, oldest first).

    - a streak (``consecutive: N`` with a grade or outcome) is triggered when the last period and the
      N-1 periods right before it (calendar periods: a period without a result breaks the streak) all
      have that grade or outcome; the flag lists the whole run;
    - a count (``at_least: N`` occurrences of the deductions of ``items``) is triggered when the periods of
      the last period's quarter (half, year), up to and including it, add up to N or more; the flag lists
      the periods that had occurrences.
    """
    if not timeline:
        return ()
    by_period = {r.period: r for r in timeline}
    last = timeline[-1].period
    flags: list[Flag] = []
    for rule in rules:
        if rule.consecutive is not None:
            run: list[Period] = []
            period = last
            while (r := by_period.get(period)) is not None and (
                    r.grade == rule.grade if rule.grade is not None else r.outcome == rule.outcome):
                run.append(period)
                period = period.previous()
            if len(run) >= rule.consecutive:
                flags.append(Flag(rule.id, rule.name, rule.action, tuple(str(p) for p in reversed(run))))
        else:
            span = _span_of(last, rule.within)
            wanted = set(rule.items)
            counted: list[tuple[Period, int]] = []
            for r in timeline:
                if r.period <= last and r.period.kind == last.kind and _span_of(r.period, rule.within) == span:
                    n = sum(i.occurrences for i in r.items if i.id in wanted)
                    if n:
                        counted.append((r.period, n))
            if sum(n for _, n in counted) >= (rule.at_least or 0):
                flags.append(Flag(rule.id, rule.name, rule.action, tuple(str(p) for p, _ in counted)))
    return tuple(flags)


def sheet_flags(sheet: ScoreSheet, past: Mapping[str, Sequence[PeriodResult]]) -> dict[str, tuple[Flag, ...]]:
    """Each subject's flags for a scored period, given their closed periods before it (oldest first)."""
    rules = sheet.rubric.across_periods
    if not rules:
        return {}
    out: dict[str, tuple[Flag, ...]] = {}
    for score in sheet.subjects:
        before = [r for r in past.get(score.subject.id, ()) if r.period < sheet.period]
        found = across_flags(rules, [*before, result_of(sheet.rubric.id, sheet.period, score)])
        if found:
            out[score.subject.id] = found
    return out
