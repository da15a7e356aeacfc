"""Frozen results of scoring: every figure keeps what produced it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from kpi_cli.engine.periods import Period
from kpi_cli.rubric.model import Band, Rubric, Veto


@dataclass(frozen=True, slots=True)
class Subject:
    """A person or unit on the roster (花名册)."""

    id: str
    name: str = ""
    department: str = ""
    role: str | None = None
    file: str = ""
    line: int = 0
    pay_base: Decimal | None = None  # 绩效工资基数 (元), when the roster gives it


class Record(NamedTuple):
    """A log row, parsed and resolved (one per row; no model object, no re-parsing).

    A named tuple, because the log reader makes one per row it keeps: it is the
    cheapest immutable object Python builds.
    """

    file: str
    line: int
    subject: str
    date: date
    kind: str  # deduction | metric | rating | adjustment
    item: int  # index into rubric.items, -1 for adjustments
    rule: int  # index into item.rules, -1 for ratings and adjustments
    label: str
    count: int = 1
    points: Decimal | None = None  # per occurrence (deductions), signed (adjustments)
    value: Decimal | None = None  # metrics
    rater: int = -1  # index into rubric.raters
    score: Decimal | None = None  # ratings
    note: str = ""
    sheet: str = ""
    team: tuple[str, ...] = ()  # a row for a department: the members it costs (the scorer adds one row each)
    share: bool = False  # team rows: the points are shared among the members, not repeated for each

    @property
    def location(self) -> str:
        return f"{self.file}:{self.sheet}!{self.line}" if self.sheet else f"{self.file}:{self.line}"

    @property
    def deduction(self) -> Decimal:
        """Points this deduction row costs: count × points per occurrence."""
        return (self.points or Decimal(0)) * self.count


@dataclass(frozen=True, slots=True)
class MetricScore:
    rule: str
    value: Decimal | None  # None: no value was recorded (the rule's ``missing`` policy applied)
    scoring: str
    effect: str  # e.g. "40 × 92 / 100 = 36.8", "below 95: −10"
    base: Decimal | None  # the item's points set by a proportional / band metric
    deduction: Decimal  # points deducted by a threshold metric


@dataclass(frozen=True, slots=True)
class RatingScore:
    rater: str
    weight: Decimal  # the weight declared by the rubric
    used_weight: Decimal  # after re-weighting for a missing rating
    score: Decimal | None  # None: this rater gave no rating
    band: str | None


@dataclass(frozen=True, slots=True)
class RuleCount:
    """The occurrences of one rule counted apart: escalating points, or the rule's own wipe_at."""

    rule: str
    count: int
    costs: tuple[Decimal, ...]  # escalating rules: the points of each occurrence in turn; else ()
    wipe_at: int | None  # the rule's own wipe_at

    @property
    def wipes(self) -> bool:
        return self.wipe_at is not None and self.count >= self.wipe_at


@dataclass(frozen=True, slots=True)
class ItemScore:
    id: str
    name: str
    max: Decimal
    score: Decimal  # exact, within [0, max] (below 0 when the rubric deducts from the total)
    raw: Decimal  # before the floor at 0 and cap at max
    deducted: Decimal  # sum of deduction rows
    occurrences: int
    wiped: bool  # wipe_at reached: 该分值全扣
    floored: bool  # raw < 0: 扣完为止
    capped: bool  # raw > max
    metrics: tuple[MetricScore, ...] = ()
    ratings: tuple[RatingScore, ...] = ()
    records: tuple[Record, ...] = ()
    rule_counts: tuple[RuleCount, ...] = ()  # rules counted apart (escalating, their own wipe_at)
    not_applicable: str = ""  # "rescale": left out, the total rescaled; "full": scores its 分值; "": applies

    @property
    def lost(self) -> Decimal:
        return Decimal(0) if self.not_applicable else self.max - self.score


@dataclass(frozen=True, slots=True)
class Adjustment:
    points: Decimal
    reason: str
    record: Record


@dataclass(frozen=True, slots=True)
class SubjectScore:
    subject: Subject
    items: tuple[ItemScore, ...]
    adjustments: tuple[Adjustment, ...]  # each 奖扣分 with its record, when records are kept
    raw_total: Decimal  # items + adjustments − total deductions, exact
    total: Decimal  # within [0, declared total] as the rubric says, rounded as it says
    grade: Band | None
    outcome: Band | None
    next_grade: Band | None  # the band above, if any
    rank: int = 0
    department_rank: int = 0
    adjustment_total: Decimal = Decimal(0)  # the net 奖扣分 counted in the total (kept or not), after its bound
    adjustment_recorded: Decimal = Decimal(0)  # the net 奖扣分 as recorded; differs when capped at ±net bound
    bounded: str = ""  # "cap": raw_total above the declared total, capped; "floor": below 0, floored
    total_deducted: Decimal = Decimal(0)  # the rubric's total_deductions: off the total, not an item
    total_records: tuple[Record, ...] = ()  # their rows, when records are kept
    veto: Veto | None = None  # 一票否决 applied: total, grade and/or outcome are forced
    veto_records: tuple[Record, ...] = ()  # the veto rows recorded (always kept)
    rescaled_from: Decimal | None = None  # items not applicable: the applicable 分值, rescaled to the total

    @property
    def adjustment_capped(self) -> bool:
        return self.adjustment_recorded != self.adjustment_total

    @property
    def item_total(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))

    @property
    def to_next_grade(self) -> Decimal | None:
        if self.next_grade is None or self.next_grade.min is None:
            return None
        return self.next_grade.min - self.total


@dataclass(frozen=True, slots=True)
class Summary:
    count: int
    mean: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    per_grade: tuple[tuple[str, int], ...]
    per_outcome: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    """A scored period: one result per subject, best first."""

    rubric: Rubric
    period: Period
    subjects: tuple[SubjectScore, ...]
    summary: Summary
    from_roster: bool

    def find(self, subject_id: str) -> SubjectScore | None:
        return next((s for s in self.subjects if s.subject.id == subject_id), None)
