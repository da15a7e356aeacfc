"""Comparing two scorings: which fields change, people on one side only."""

from __future__ import annotations

from decimal import Decimal

from kpi_cli.engine.whatif import FIELDS, Standing, compare_standings

D = Decimal


def standing(total: str, grade: str = "良好", outcome: str = "发放50%", ratio: str | None = "0.5",
             amount: str | None = "50.00") -> Standing:
    return Standing(D(total), grade, outcome, None if ratio is None else D(ratio), None if amount is None else D(amount))


def test_fields_and_sides() -> None:
    old = [("A", "甲", "d", standing("92")), ("B", "乙", "d", standing("93")), ("C", "丙", "d", standing("80"))]
    new = [("A", "甲", "d", standing("92")), ("B", "乙", "d", standing("96", "优秀", "全额", "1", "100.00")),
           ("D", "丁", "d", standing("70"))]
    comparison = compare_standings(old, new)
    assert (comparison.people, comparison.unchanged) == (4, 1)
    assert [(c.id, c.fields, c.total_change) for c in comparison.changes] == [
        ("B", ("total", "grade", "outcome", "pay"), D(3)),
        ("C", FIELDS, None),  # no longer scored
        ("D", FIELDS, None),  # newly scored
    ]
    assert comparison.changes[1].new is None and comparison.changes[2].old is None


def test_same_total_different_pay() -> None:
    change = compare_standings([("A", "", "", standing("92", amount="50.00"))],
                               [("A", "", "", standing("92", amount="60.00"))]).changes[0]
    assert change.fields == ("pay",) and change.total_change == 0
