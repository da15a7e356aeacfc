"""The bounds a form puts on a total: the period's net 奖扣分, 满分 and 0, and deductions from the total.

Hand-computed golden cases; the arithmetic is in each comment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import Record, ScoreSheet, SubjectScore
from kpi_cli.engine.scoring import Scorer
from kpi_cli.rubric.model import Rubric

D = Decimal
PERIOD = Period(2026, "month", 10)
DAY = date(2026, 10, 5)


def rubric(**fields: Any) -> Rubric:
    """考勤 10 (迟到 2, 有效投诉 10 on a 10-point row, 争吵 5) + 档案 5 (丢失 5) + 服务 85 (旷工 6) = 100."""
    data: dict[str, Any] = {
        "id": "t", "title": "测试表", "period": "month", "roles": ["客服"], "total": 100,
        "adjustments": {"min": 1, "max": 10},
        "items": [
            {"id": "ziwo", "name": "自我管理", "max": 10, "rules": [
                {"id": "tousu", "name": "有效投诉", "points": 10}, {"id": "zhengchao", "name": "争吵", "points": 5}]},
            {"id": "lianxidan", "name": "联系单", "max": 5, "rules": [{"id": "diushi", "name": "丢失", "points": 5}]},
            {"id": "fuwu", "name": "服务", "max": 85, "rules": [{"id": "kuanggong", "name": "旷工", "points": 6}]},
        ],
    }
    data.update(fields)
    return Rubric.model_validate(data)


def ded(item: int, rule: int, points: int | str, count: int = 1, line: int = 2) -> Record:
    return Record("log.csv", line, "A", DAY, "deduction", item, rule, "x", count=count, points=D(points))


def adjust(points: str, line: int = 2) -> Record:
    return Record("log.csv", line, "A", DAY, "adjustment", -1, -1, "奖扣分", points=D(points), note="表扬")


def run(r: Rubric, records: list[Record]) -> tuple[ScoreSheet | None, list[Any]]:
    scorer = Scorer(r, PERIOD, None)
    for record in records:
        assert scorer.add(record) is None
    return scorer.finish()


def one(r: Rubric, records: list[Record]) -> SubjectScore:
    sheet, problems = run(r, records)
    assert sheet is not None, problems
    s = sheet.find("A")
    assert s is not None
    return s


# ---- the period's net 奖扣分 ----------------------------------------------------------------------------------


def test_net_adjustment_beyond_the_bound_is_refused_at_the_last_row() -> None:
    # +6 (line 7) + 6 (line 9) = +12 > ±10: refused (over_net: refuse, the default); no total at all
    sheet, problems = run(rubric(), [ded(2, 0, 6), adjust("6", line=7), adjust("6", line=9)])
    assert sheet is None
    (problem,) = problems
    assert (problem.file, problem.line, problem.code) == ("log.csv", 9, "adjustment-net")
    assert "add up to +12, beyond the ±10" in problem.message


def test_net_adjustment_beyond_the_bound_is_capped_when_declared() -> None:
    # 85 − 6 = 79 + 10 + 5 = 94; 奖扣 +6 +6 = +12 → capped at +10; 94 + 10 = 104 → capped at 满分 100
    s = one(rubric(adjustments={"min": 1, "max": 10, "over_net": "cap"}),
            [ded(2, 0, 6), adjust("6"), adjust("6")])
    assert (s.adjustment_recorded, s.adjustment_total, s.adjustment_capped) == (D(12), D(10), True)
    assert (s.raw_total, s.total, s.bounded) == (D(104), D(100), "cap")


def test_net_adjustment_within_the_bound_counts_whole() -> None:
    # +6 +6 −4 = +8 ≤ 10: counts; 100 − 6 (旷工) − 5 (丢失) = 89 + 8 = 97
    s = one(rubric(), [ded(2, 0, 6), ded(1, 0, 5), adjust("6"), adjust("6"), adjust("-4")])
    assert (s.adjustment_total, s.adjustment_capped, s.total, s.bounded) == (D(8), False, D(97), "")


def test_net_max_may_be_tighter_than_the_entry_bound() -> None:
    # net_max 5: +3 +3 = +6 → capped at +5; 100 − 12 (旷工 ×2) = 88 + 5 = 93
    s = one(rubric(adjustments={"min": 1, "max": 10, "net_max": 5, "over_net": "cap"}),
            [ded(2, 0, 6, count=2), adjust("3"), adjust("3")])
    assert (s.adjustment_total, s.total) == (D(5), D(93))


# ---- 满分 and 0 ------------------------------------------------------------------------------------------------


def test_a_bonus_never_lifts_the_total_above_the_declared_total() -> None:
    # 100 (nothing lost) + 10 = 110 → 100 (cap_total, the default)
    s = one(rubric(), [adjust("10")])
    assert (s.raw_total, s.total, s.bounded) == (D(110), D(100), "cap")


def test_a_rubric_may_allow_a_total_above_the_declared_total() -> None:
    # cap_total: false: 100 + 10 = 110
    s = one(rubric(cap_total=False), [adjust("10")])
    assert (s.total, s.bounded) == (D(110), "")


def test_the_total_floors_at_zero_unless_declared_otherwise() -> None:
    # deduct_from: total: 有效投诉 ×2 = 20 on 自我管理 10 → −10; 丢失 ×3 = 15 on 联系单 5 → −10; 旷工 ×15 = 90 on
    # 服务 85 → −5; −10 − 10 − 5 = −25, − 10 (罚分) = −35 → 0 (floor_total) or −35 (floor_total: false)
    records = [ded(0, 0, 10, count=2), ded(1, 0, 5, count=3), ded(2, 0, 6, count=15), adjust("-10")]
    s = one(rubric(deduct_from="total"), records)
    assert (s.item_total, s.raw_total, s.total, s.bounded) == (D(-25), D(-35), D(0), "floor")
    s = one(rubric(deduct_from="total", floor_total=False), records)
    assert (s.total, s.bounded) == (D(-35), "")


# ---- deduct_from: item (扣完为止 per item) or total -------------------------------------------------------------


def test_complaint_and_quarrel_cost_10_per_item_but_15_from_the_total() -> None:
    # 自我管理 10: 有效投诉 −10 + 争吵 −5 = −15.
    # per item (扣完为止): 10 − 15 → 0, the person loses 10: 100 − 10 = 90;
    # from the total: the item keeps −5, the person loses 15: 100 − 15 = 85
    records = [ded(0, 0, 10), ded(0, 1, 5)]
    per_item = one(rubric(), records)
    assert (per_item.items[0].score, per_item.items[0].floored, per_item.total) == (D(0), True, D(90))
    from_total = one(rubric(deduct_from="total"), records)
    assert (from_total.items[0].score, from_total.items[0].floored, from_total.total) == (D(-5), False, D(85))
    assert from_total.items[0].lost == D(15)
