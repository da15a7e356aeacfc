"""The pure scoring engine: Scorer + Record objects, no files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import Record, ScoreSheet, Subject
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.model import Rubric
from kpi_cli.engine.scoring import Scorer, find_band, fmt, round_total

D = Decimal
PERIOD = Period(2026, "month", 10)
DAY = date(2026, 10, 5)
RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"


# ---------------------------------------------------------------- builders

def make_rubric(items: list[dict[str, Any]], **fields: Any) -> Rubric:
    data: dict[str, Any] = {"id": "t", "title": "测试表", "period": "month", "roles": ["客服"], "total": 100,
                            "items": items}
    data.update(fields)
    return Rubric.model_validate(data)


def ded(subject: str, item: int, rule: int, points: str | int, count: int = 1, line: int = 2) -> Record:
    return Record("log.csv", line, subject, DAY, "deduction", item, rule, "item / rule", count=count,
                  points=D(points))


def metric(subject: str, item: int, rule: int, value: str | int, line: int = 2) -> Record:
    return Record("log.csv", line, subject, DAY, "metric", item, rule, "item / metric", value=D(value))


def rating(subject: str, item: int, rater: int, score: str | int, line: int = 2) -> Record:
    return Record("log.csv", line, subject, DAY, "rating", item, -1, "rated", rater=rater, score=D(score))


def adjust(subject: str, points: str | int, note: str = "表扬", line: int = 2) -> Record:
    return Record("log.csv", line, subject, DAY, "adjustment", -1, -1, "奖扣分", points=D(points), note=note)


def score(rubric: Rubric, records: list[Record], subjects: dict[str, Subject] | None = None,
          keep: bool = True) -> ScoreSheet:
    scorer = Scorer(rubric, PERIOD, subjects, keep_records=keep)
    for record in records:
        assert scorer.add(record) is None
    sheet, problems = scorer.finish()
    assert sheet is not None, problems
    return sheet


def total_of(sheet: ScoreSheet, subject: str) -> Decimal:
    s = sheet.find(subject)
    assert s is not None
    return s.total


# A deduction form: 0 考勤 max 10 (2 / 5 / range 1-3), 1 档案 max 6 wipe_at 3 (1 / 4), 2 纪律 max 12 (6)
DEDUCTIONS = make_rubric([
    {"id": "kaoqin", "name": "考勤", "max": 10, "rules": [
        {"id": "chidao", "name": "迟到", "points": 2},
        {"id": "kuanggong", "name": "旷工", "points": 5},
        {"id": "weifan", "name": "违反流程", "points": {"min": 1, "max": 3}},
    ]},
    {"id": "dangan", "name": "档案", "max": 6, "wipe_at": 3, "rules": [
        {"id": "gengxin", "name": "未更新", "points": 1},
        {"id": "diushi", "name": "丢失", "points": 4},
    ]},
    {"id": "jilv", "name": "纪律", "max": 12, "rules": [{"id": "xianliao", "name": "闲聊", "points": 6}]},
    {"id": "pingfen", "name": "业务水平", "max": 10, "rating": {}},
    {"id": "xiaolv", "name": "效率", "max": 40, "rules": [
        {"kind": "metric", "id": "jishilv", "name": "及时率", "scoring": "proportional", "target": 100,
         "missing": "full"},
    ]},
], total=78, raters=[{"id": "self", "name": "自评", "weight": "0.3"}, {"id": "boss", "name": "直接上级", "weight": "0.7"}],
    missing_rating="reweight", adjustments={"min": 1, "max": 10, "over_net": "cap"})

PEOPLE = {sid: Subject(sid, f"员工{sid}", dept) for sid, dept in (("A", "一部"), ("B", "一部"), ("C", "二部"))}


# ---------------------------------------------------------------- hypothesis properties

@st.composite
def deduction_records(draw: st.DrawFn) -> Record:
    subject = draw(st.sampled_from(sorted(PEOPLE)))
    item, rule = draw(st.sampled_from([(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0)]))
    points = DEDUCTIONS.items[item].rules[rule].points
    if isinstance(points, D):
        value = points
    else:
        value = draw(st.sampled_from([D(1), D("1.5"), D(2), D("2.5"), D(3)]))
    count = draw(st.integers(min_value=1, max_value=4))
    return Record("log.csv", draw(st.integers(2, 999)), subject, DAY, "deduction", item, rule, "x", count=count,
                  points=value)


@st.composite
def logs(draw: st.DrawFn) -> list[Record]:
    records = draw(st.lists(deduction_records(), max_size=25))
    for sid in sorted(PEOPLE):
        # every subject is rated by the boss (reweight needs at least one rating), the self-rating is optional
        records.append(rating(sid, 3, 1, draw(st.sampled_from(["0", "4.5", "7", "10"]))))
        if draw(st.booleans()):
            records.append(rating(sid, 3, 0, draw(st.sampled_from(["0", "6", "9.5", "10"]))))
        if draw(st.booleans()):
            records.append(metric(sid, 4, 0, draw(st.sampled_from(["0", "33.3", "92", "100", "150"]))))
        for _ in range(draw(st.integers(0, 2))):
            points = draw(st.sampled_from(["1", "-1", "2.5", "-10", "10"]))
            records.append(adjust(sid, points))
    return records


def projection(sheet: ScoreSheet) -> list[tuple[Any, ...]]:
    """What a person sees, without the records behind each figure (their order follows the log)."""
    return [(s.subject.id, s.total, s.raw_total, s.rank, s.department_rank,
             tuple((i.id, i.score, i.raw, i.deducted, i.occurrences, i.wiped, i.floored) for i in s.items),
             sorted(a.points for a in s.adjustments))
            for s in sheet.subjects]


@settings(max_examples=150, deadline=None)
@given(logs())
def test_every_item_within_zero_and_max(records: list[Record]) -> None:
    sheet = score(DEDUCTIONS, records, PEOPLE)
    for s in sheet.subjects:
        for item in s.items:
            assert D(0) <= item.score <= item.max
        assert s.item_total <= DEDUCTIONS.total
        # the net 奖扣分 stays within ±10 (capped), the total within [0, 满分] (cap_total, floor_total)
        assert abs(s.adjustment_total) <= 10
        assert abs(s.adjustment_total) <= abs(s.adjustment_recorded)
        assert D(0) <= s.total <= DEDUCTIONS.total


@settings(max_examples=150, deadline=None)
@given(logs(), deduction_records())
def test_adding_a_deduction_never_raises_a_total(records: list[Record], extra: Record) -> None:
    before = score(DEDUCTIONS, records, PEOPLE)
    after = score(DEDUCTIONS, [*records, extra], PEOPLE)
    for s in before.subjects:
        later = after.find(s.subject.id)
        assert later is not None
        assert later.total <= s.total
        assert later.raw_total <= s.raw_total
        for old, new in zip(s.items, later.items):
            assert new.score <= old.score
        if s.subject.id != extra.subject:
            assert later.total == s.total


@settings(max_examples=150, deadline=None)
@given(logs(), st.randoms(use_true_random=False))
def test_the_order_of_records_never_changes_a_result(records: list[Record], rnd: Any) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert projection(score(DEDUCTIONS, shuffled, PEOPLE)) == projection(score(DEDUCTIONS, records, PEOPLE))


@settings(max_examples=75, deadline=None)
@given(logs())
def test_the_same_input_gives_the_same_output(records: list[Record]) -> None:
    first = score(DEDUCTIONS, records, PEOPLE)
    second = score(DEDUCTIONS, records, PEOPLE)
    assert first.subjects == second.subjects
    assert first.summary == second.summary


# ---------------------------------------------------------------- deductions: accumulate, wipe, floor

def item_of(sheet: ScoreSheet, subject: str, item_id: str):  # type: ignore[no-untyped-def]
    s = sheet.find(subject)
    assert s is not None
    return next(i for i in s.items if i.id == item_id)


def test_repeated_deductions_accumulate() -> None:
    # 考勤 10 − 2 (迟到) − 2×2 (迟到 ×2) − 1.5 (违反流程 扣1.5) = 2.5
    sheet = score(DEDUCTIONS, [ded("A", 0, 0, 2), ded("A", 0, 0, 2, count=2), ded("A", 0, 2, "1.5"),
                               rating("A", 3, 1, 10)])
    kaoqin = item_of(sheet, "A", "kaoqin")
    assert (kaoqin.score, kaoqin.deducted, kaoqin.occurrences) == (D("2.5"), D("7.5"), 4)
    assert not kaoqin.floored and not kaoqin.wiped


def test_wipe_at_n_minus_one_occurrences_keeps_the_rest() -> None:
    # 档案 wipe_at 3: 2 起 of 1 point: 6 − 2 = 4
    sheet = score(DEDUCTIONS, [ded("A", 1, 0, 1), ded("A", 1, 0, 1), rating("A", 3, 1, 10)])
    dangan = item_of(sheet, "A", "dangan")
    assert (dangan.score, dangan.occurrences, dangan.wiped) == (D(4), 2, False)


@pytest.mark.parametrize("records", [
    [ded("A", 1, 0, 1), ded("A", 1, 0, 1), ded("A", 1, 0, 1)],  # three rows
    [ded("A", 1, 0, 1, count=3)],  # one row, 次数 3
    [ded("A", 1, 0, 1, count=2), ded("A", 1, 1, 4, count=2)],  # 4 起 ≥ 3 and 10 points
])
def test_wipe_at_n_occurrences_wipes_the_item(records: list[Record]) -> None:
    sheet = score(DEDUCTIONS, [*records, rating("A", 3, 1, 10)])
    dangan = item_of(sheet, "A", "dangan")
    assert dangan.score == 0 and dangan.wiped and not dangan.floored
    assert dangan.occurrences >= 3


def test_an_item_is_floored_at_zero() -> None:
    # 纪律 12 − 6×3 = −6 → 0 (扣完为止); the raw figure is kept for the receipt
    sheet = score(DEDUCTIONS, [ded("A", 2, 0, 6, count=3), rating("A", 3, 1, 10)])
    jilv = item_of(sheet, "A", "jilv")
    assert (jilv.score, jilv.raw, jilv.floored, jilv.lost) == (D(0), D(-6), True, D(12))
    # exactly the maximum: 12 − 6×2 = 0, not floored
    exact = item_of(score(DEDUCTIONS, [ded("A", 2, 0, 6, count=2), rating("A", 3, 1, 10)]), "A", "jilv")
    assert (exact.score, exact.floored) == (D(0), False)


def test_a_subject_without_records_scores_full_marks_from_the_roster() -> None:
    sheet = score(DEDUCTIONS, [rating("A", 3, 1, 10), rating("B", 3, 1, 10), rating("C", 3, 1, 10)], PEOPLE)
    assert [s.total for s in sheet.subjects] == [D("78.0")] * 3
    assert sheet.from_roster


# ---------------------------------------------------------------- metrics

def metric_rubric(rule: dict[str, Any], max_: int = 40) -> Rubric:
    return make_rubric([{"id": "m", "name": "指标", "max": max_, "rules": [{"kind": "metric", "id": "v", "name": "值",
                                                                            **rule}]}], total=max_)


PROPORTIONAL = metric_rubric({"scoring": "proportional", "target": 100, "unit": "count"})


def test_proportional_metric_40_times_92_percent() -> None:
    sheet = score(PROPORTIONAL, [metric("A", 0, 0, 92)])
    item = item_of(sheet, "A", "m")
    assert item.score == D("36.8")
    assert item.metrics[0].effect == "92 of target 100: 40 × 92 / 100 = 36.8"


@pytest.mark.parametrize(("value", "expected"), [("100", "40"), ("120", "40"), ("0", "0"), ("50", "20")])
def test_proportional_metric_is_capped_at_100_percent(value: str, expected: str) -> None:
    item = item_of(score(PROPORTIONAL, [metric("A", 0, 0, value)]), "A", "m")
    assert item.score == D(expected)
    assert not item.capped


def test_proportional_metric_with_a_target_below_100() -> None:
    # 15 × 96.04 / 98 = 14.7 exactly; 99 of target 98 → 15
    rubric = metric_rubric({"scoring": "proportional", "target": 98}, max_=15)
    assert item_of(score(rubric, [metric("A", 0, 0, "96.04")]), "A", "m").score == D("14.7")
    assert item_of(score(rubric, [metric("A", 0, 0, "99")]), "A", "m").score == D(15)


@pytest.mark.parametrize(("value", "expected"), [("94.9", "30"), ("95", "40"), ("95.0", "40"), ("100", "40"),
                                                 ("0", "30")])
def test_below_threshold_edge(value: str, expected: str) -> None:
    rubric = metric_rubric({"scoring": "below", "threshold": 95, "points": 10})
    item = item_of(score(rubric, [metric("A", 0, 0, value)]), "A", "m")
    assert item.score == D(expected)


def test_below_threshold_effect_text() -> None:
    rubric = metric_rubric({"scoring": "below", "threshold": 95, "points": 10})
    assert item_of(score(rubric, [metric("A", 0, 0, "95")]), "A", "m").metrics[0].effect == \
        "95% is not below 95%: no deduction"
    assert item_of(score(rubric, [metric("A", 0, 0, "94.9")]), "A", "m").metrics[0].effect == "94.9% is below 95%: −10"


@pytest.mark.parametrize(("value", "expected"), [("30", "15"), ("29.9", "15"), ("30.01", "5"), ("90", "5")])
def test_above_threshold_edge(value: str, expected: str) -> None:
    rubric = metric_rubric({"scoring": "above", "threshold": 30, "points": 10, "unit": "number"}, max_=15)
    assert item_of(score(rubric, [metric("A", 0, 0, value)]), "A", "m").score == D(expected)


def test_a_threshold_metric_and_deductions_floor_together() -> None:
    # 10 − 10 (below 95) − 2 (欠费不清) = −2 → 0
    rubric = make_rubric([{"id": "m", "name": "费用收缴", "max": 10, "rules": [
        {"id": "qianfei", "name": "欠费不清", "points": 2},
        {"kind": "metric", "id": "v", "name": "收缴率", "scoring": "below", "threshold": 95, "points": 10}]}], total=10)
    item = item_of(score(rubric, [metric("A", 0, 1, 93), ded("A", 0, 0, 2)]), "A", "m")
    assert (item.score, item.raw, item.floored) == (D(0), D(-2), True)


BANDS = metric_rubric({"scoring": "bands", "bands": [{"max": 70, "points": 0}, {"min": 70, "max": 80, "points": 10},
                                                      {"min": 80, "max": 90, "points": 15},
                                                      {"min": 90, "points": 20}]}, max_=20)


@pytest.mark.parametrize(("value", "expected"), [("0", "0"), ("69.99", "0"), ("70", "10"), ("79.9", "10"),
                                                 ("80", "15"), ("89.99", "15"), ("90", "20"), ("100", "20")])
def test_bands(value: str, expected: str) -> None:
    assert item_of(score(BANDS, [metric("A", 0, 0, value)]), "A", "m").score == D(expected)


def test_band_effect_text() -> None:
    assert item_of(score(BANDS, [metric("A", 0, 0, "80")]), "A", "m").metrics[0].effect == \
        "80%: band 80% ≤ value < 90% gives 15"


def test_missing_metric_value_error_full_zero() -> None:
    subjects = {"A": Subject("A", "王芳", "一部", None, "roster.csv", 2)}
    scorer = Scorer(PROPORTIONAL, PERIOD, subjects)
    sheet, problems = scorer.finish()
    assert sheet is None
    assert [p.format() for p in problems] == [
        "roster.csv:2: A 王芳: no value recorded for 指标 / 值; add a row with 数值 (value), or set missing: full "
        "or zero in the rubric (missing-value)"]
    full = metric_rubric({"scoring": "proportional", "target": 100, "missing": "full"})
    assert item_of(score(full, [], subjects), "A", "m").score == D(40)
    zero = metric_rubric({"scoring": "proportional", "target": 100, "missing": "zero"})
    item = item_of(score(zero, [], subjects), "A", "m")
    assert item.score == D(0)
    assert item.metrics[0].effect.startswith("no value recorded, taken as 0%")


# ---------------------------------------------------------------- ratings

def rated_rubric(policy: str = "refuse", weights: tuple[str, ...] = ("0.3", "0.7"), **fields: Any) -> Rubric:
    names = ("自评", "直接上级", "物业经理")
    raters = [{"id": f"r{k}", "name": names[k], "weight": w} for k, w in enumerate(weights)]
    return make_rubric([{"id": "r", "name": "综合评分", "max": 100, "rating": {}}], raters=raters,
                       missing_rating=policy, **fields)


def test_ratings_combined_by_weight() -> None:
    # 0.3 × 80 + 0.7 × 90 = 24 + 63 = 87
    item = item_of(score(rated_rubric(), [rating("A", 0, 0, 80), rating("A", 0, 1, 90)]), "A", "r")
    assert item.score == D(87)
    assert [(r.rater, r.used_weight, r.score) for r in item.ratings] == [("自评", D("0.3"), D(80)),
                                                                        ("直接上级", D("0.7"), D(90))]


def test_missing_rating_is_refused() -> None:
    subjects = {"A": Subject("A", "王芳", "一部", None, "roster.csv", 3)}
    scorer = Scorer(rated_rubric(), PERIOD, subjects)
    scorer.add(rating("A", 0, 1, 90))
    sheet, problems = scorer.finish()
    assert sheet is None
    assert [p.format() for p in problems] == [
        "roster.csv:3: A 王芳: no rating of 综合评分 by 自评; add the rating rows (评分人, 评分) (missing-rating)"]


def test_missing_rating_reweighted() -> None:
    # 0.5 / 0.3 / 0.2 with 物业经理 missing: 0.5/0.8 = 0.625, 0.3/0.8 = 0.375; 80×0.625 + 96×0.375 = 50 + 36 = 86
    rubric = rated_rubric("reweight", ("0.5", "0.3", "0.2"))
    item = item_of(score(rubric, [rating("A", 0, 0, 80), rating("A", 0, 1, 96)]), "A", "r")
    assert item.score == D(86)
    assert [r.used_weight for r in item.ratings] == [D("0.625"), D("0.375"), D(0)]
    assert item.ratings[2].score is None


def test_reweight_needs_at_least_one_rating() -> None:
    scorer = Scorer(rated_rubric("reweight"), PERIOD, {"A": Subject("A")})
    sheet, problems = scorer.finish()
    assert sheet is None and [p.code for p in problems] == ["missing-rating"]


@pytest.mark.parametrize(("self_score", "boss", "raw", "total", "shown"), [
    ("60.0", "60.5", "60.35", "60.4", "60.4"),  # 18 + 42.35 = 60.35 → 60.4 (not 60.3, as binary floats give)
    ("60.0", "61.5", "61.05", "61.1", "61.1"),  # 18 + 43.05 = 61.05 → 61.1
    ("60", "60", "60", "60.0", "60"),
])
def test_exact_half_up_rounding(self_score: str, boss: str, raw: str, total: str, shown: str) -> None:
    sheet = score(rated_rubric(), [rating("A", 0, 0, self_score), rating("A", 0, 1, boss)])
    s = sheet.find("A")
    assert s is not None
    assert s.raw_total == D(raw)
    assert str(s.total) == total
    assert fmt(s.total) == shown
    assert s.grade is None and s.outcome is None


def test_round_total_and_fmt() -> None:
    assert round_total(D("60.35"), 1) == D("60.4")
    assert round_total(D("61.05"), 1) == D("61.1")
    assert round_total(D("-0.05"), 1) == D("-0.1")
    assert round_total(D("88.15"), 0) == D("88")
    assert round_total(D("88.5"), 0) == D("89")
    assert fmt(D("36.80")) == "36.8" and fmt(D("40")) == "40" and fmt(D("4E+1")) == "40" and fmt(D("-0")) == "0"


# ---------------------------------------------------------------- bands and the guanjia outcomes

@pytest.fixture(scope="module")
def guanjia() -> Rubric:
    rubric, problems = load_rubric(RUBRICS / "guanjia.yaml")
    assert rubric is not None, problems
    return rubric


@pytest.mark.parametrize(("value", "outcome", "pay", "action"), [
    ("100", "发放100%", "1", None),
    ("95.0", "发放100%", "1", None),
    ("94.9", "发放50%", "0.5", None),
    ("90.0", "发放50%", "0.5", None),
    ("89.9", "发放0%", "0", None),
    ("80.0", "发放0%", "0", None),
    ("79.9", "调岗或开除", "0", "由人力资源部给予调岗或开除等其他安排"),
    ("0", "调岗或开除", "0", "由人力资源部给予调岗或开除等其他安排"),
])
def test_guanjia_outcome_edges(guanjia: Rubric, value: str, outcome: str, pay: str, action: str | None) -> None:
    band = find_band(guanjia.outcomes, D(value))
    assert band is not None
    assert (band.label, band.pay, band.action) == (outcome, D(pay), action)
    # the same through the engine: one rated item of max 100 with guanjia's grades and outcomes, both raters
    # giving ``value``: 0.3v + 0.7v = v
    grades = [{"label": "优秀", "min": 90}, {"label": "良好", "min": 80, "max": 90}, {"label": "不及格", "max": 80}]
    rubric = rated_rubric(grades=grades, outcomes=[b.model_dump() for b in guanjia.outcomes])
    s = score(rubric, [rating("A", 0, 0, value), rating("A", 0, 1, value)]).find("A")
    assert s is not None and s.outcome is not None and s.outcome.label == outcome


def test_bands_use_the_rounded_total(guanjia: Rubric) -> None:
    # 0.3 × 94.9 + 0.7 × 95 = 28.47 + 66.5 = 94.97 → 95.0 → 发放100%, next grade none (优秀 is the top)
    grades = [{"label": "优秀", "min": 90}, {"label": "良好", "min": 80, "max": 90}, {"label": "不及格", "max": 80}]
    rubric = rated_rubric(grades=grades, outcomes=[b.model_dump() for b in guanjia.outcomes])
    s = score(rubric, [rating("A", 0, 0, "94.9"), rating("A", 0, 1, "95")]).find("A")
    assert s is not None
    assert s.raw_total == D("94.97") and s.total == D("95.0")
    assert s.outcome is not None and s.outcome.label == "发放100%"
    assert s.grade is not None and s.grade.label == "优秀" and s.next_grade is None and s.to_next_grade is None
    # 0.3 × 85 + 0.7 × 86 = 25.5 + 60.2 = 85.7 → 良好, 4.3 short of 优秀 (≥ 90)
    s = score(rubric, [rating("A", 0, 0, "85"), rating("A", 0, 1, "86")]).find("A")
    assert s is not None and s.grade is not None and s.grade.label == "良好"
    assert s.next_grade is not None and s.next_grade.label == "优秀" and s.to_next_grade == D("4.3")


def test_adjustments_add_to_the_total() -> None:
    # 0.3 × 80 + 0.7 × 80 = 80; + 3 − 1.5 = 81.5
    sheet = score(rated_rubric(adjustments={"min": 1, "max": 10}),
                  [rating("A", 0, 0, 80), rating("A", 0, 1, 80), adjust("A", "3"), adjust("A", "-1.5", "迟交报表")])
    s = sheet.find("A")
    assert s is not None
    assert (s.item_total, s.adjustment_total, s.total) == (D(80), D("1.5"), D("81.5"))
    assert [a.reason for a in s.adjustments] == ["表扬", "迟交报表"]


# ---------------------------------------------------------------- ranks

ONE_ITEM = make_rubric([{"id": "a", "name": "考勤", "max": 10, "rules": [{"id": "x", "name": "迟到", "points": 1}]}],
                       total=10)


def test_rank_ties_are_1_2_2_4() -> None:
    # totals 10, 8, 8, 6
    sheet = score(ONE_ITEM, [ded("B", 0, 0, 1, count=2), ded("C", 0, 0, 1, count=2), ded("D", 0, 0, 1, count=4)],
                  {k: Subject(k) for k in "ABCD"})
    assert [(s.subject.id, fmt(s.total), s.rank) for s in sheet.subjects] == [
        ("A", "10", 1), ("B", "8", 2), ("C", "8", 2), ("D", "6", 4)]


def test_department_ranks() -> None:
    # 一部: A 10, B 8, D 8, E 6 → 1, 2, 2, 4; 二部: C 9 → 1; overall A 1, C 2, B 3, D 3, E 5
    subjects = {k: Subject(k, k, dept) for k, dept in
                (("A", "一部"), ("B", "一部"), ("C", "二部"), ("D", "一部"), ("E", "一部"))}
    sheet = score(ONE_ITEM, [ded("B", 0, 0, 1, count=2), ded("C", 0, 0, 1), ded("D", 0, 0, 1, count=2),
                             ded("E", 0, 0, 1, count=4)], subjects)
    assert [(s.subject.id, s.rank, s.department_rank) for s in sheet.subjects] == [
        ("A", 1, 1), ("C", 2, 1), ("B", 3, 2), ("D", 3, 2), ("E", 5, 4)]
    assert (sheet.summary.count, sheet.summary.mean, sheet.summary.minimum, sheet.summary.maximum) == \
        (5, D("8.20"), D("6.0"), D("10.0"))


# ---------------------------------------------------------------- records kept, conflicts

def test_keep_records_for_some_subjects_only() -> None:
    records = [ded("A", 0, 0, 1, line=2), ded("B", 0, 0, 1, line=3), ded("A", 0, 0, 1, line=4)]
    sheet = score(ONE_ITEM, records, keep=False)
    assert all(not i.records for s in sheet.subjects for i in s.items)
    scorer = Scorer(ONE_ITEM, PERIOD, None, keep_records={"A"})
    for r in records:
        scorer.add(r)
    kept, _ = scorer.finish()
    assert kept is not None
    assert [r.line for r in item_of(kept, "A", "a").records] == [2, 4]
    assert item_of(kept, "B", "a").records == ()


def test_a_second_value_for_the_same_metric_is_a_conflict() -> None:
    scorer = Scorer(PROPORTIONAL, PERIOD, None)
    assert scorer.add(metric("A", 0, 0, 92, line=5)) is None
    conflict = scorer.add(metric("A", 0, 0, 93, line=9))
    assert conflict is not None
    assert conflict.format() == "log.csv:9: A already has a value for item / metric at line 5; keep one row " \
                                "(duplicate-record)"
