"""What changes for whom: two scorings of the same people compared (a new rubric, an amended log).

Pure.  Each person's :class:`Standing` (total, grade, outcome, 发放比例 and pay amount) under the old
and the new scoring; a :class:`Change` lists the people for whom any of them differs, and those
scored by only one side (a role the new rubric adds or drops).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kpi_cli.engine.payroll import MONEY, round_fen
from kpi_cli.engine.results import ScoreSheet, SubjectScore

FIELDS = ("total", "grade", "outcome", "pay")


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a person stands after one scoring."""

    total: Decimal
    grade: str | None
    outcome: str | None
    ratio: Decimal | None  # the outcome's 发放比例
    amount: Decimal | None  # base × ratio rounded to 0.01 元, when the roster gives a base

    @classmethod
    def of(cls, s: SubjectScore) -> Standing:
        ratio = s.outcome.pay if s.outcome is not None else None
        base = s.subject.pay_base
        amount = round_fen(MONEY.multiply(base, ratio)) if base is not None and ratio is not None else None
        return cls(s.total, s.grade.label if s.grade else None, s.outcome.label if s.outcome else None, ratio, amount)


@dataclass(frozen=True, slots=True)
class Change:
    id: str
    name: str
    department: str
    old: Standing | None  # None: not scored before
    new: Standing | None  # None: no longer scored

    @property
    def fields(self) -> tuple[str, ...]:
        """Which of total, grade, outcome, pay differ (all four when one side is missing)."""
        if self.old is None or self.new is None:
            return FIELDS
        o, n = self.old, self.new
        pairs = {"total": (o.total, n.total), "grade": (o.grade, n.grade), "outcome": (o.outcome, n.outcome),
                 "pay": ((o.ratio, o.amount), (n.ratio, n.amount))}
        return tuple(name for name in FIELDS if pairs[name][0] != pairs[name][1])

    @property
    def total_change(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new.total - self.old.total


@dataclass(frozen=True, slots=True)
class Comparison:
    changes: tuple[Change, ...]  # in the old scoring's order (best first), then those new
    people: int  # scored by either side
    unchanged: int


def compare_standings(old: Iterable[tuple[str, str, str, Standing]], new: Iterable[tuple[str, str, str, Standing]]
                      ) -> Comparison:
    """Compare ``(id, name, department, standing)`` rows of two scorings."""
    before = {row[0]: row for row in old}
    after = {row[0]: row for row in new}
    changes: list[Change] = []
    unchanged = 0
    for ident in [*before, *(i for i in after if i not in before)]:
        o, n = before.get(ident), after.get(ident)
        who = n if n is not None else o
        assert who is not None
        change = Change(ident, who[1], who[2], o[3] if o else None, n[3] if n else None)
        if change.fields:
            changes.append(change)
        else:
            unchanged += 1
    return Comparison(tuple(changes), len(before.keys() | after.keys()), unchanged)


def compare_sheets(old: ScoreSheet, new: ScoreSheet) -> Comparison:
    """Who changes total, grade, outcome or pay between two scorings of a period."""
    return compare_standings(_rows(old), _rows(new))


def _rows(sheet: ScoreSheet) -> list[tuple[str, str, str, Standing]]:
    return [(s.subject.id, s.subject.name, s.subject.department, Standing.of(s)) for s in sheet.subjects]
