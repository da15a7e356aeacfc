"""RowParser: one log row -> a Record, or every problem of the row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.periods import Period
from kpi_cli.inputs.records import RowParser
from kpi_cli.engine.results import Record, Subject
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.model import Rubric
from kpi_cli.engine.scoring import Scorer

RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"
COLUMNS = ("employee", "date", "rule", "count", "points", "value", "rater", "score", "note")
POSITIONS = {name: i for i, name in enumerate(COLUMNS)}
D = Decimal


def rubric(name: str) -> Rubric:
    loaded, problems = load_rubric(RUBRICS / f"{name}.yaml")
    assert loaded is not None, problems
    return loaded


GUANJIA = rubric("guanjia")
KEFU = rubric("kefu")
ZHONGXIN = rubric("zhongxin")
GUANLIYUAN = rubric("guanliyuan")

GUANJIA_PARSER = RowParser(GUANJIA, POSITIONS, {"000101": Subject("000101", "王芳", "翠湖花园项目部", "物业客服员")},
                           skipped_roles={"000201": "园区客服助理"})
KEFU_PARSER = RowParser(KEFU, POSITIONS, {"000201": Subject("000201", "周婷", "翠湖花园项目部", "园区客服助理"),
                                          "000202": Subject("000202", "吴刚", "翠湖花园项目部", "前台客服助理")})
ZHONGXIN_PARSER = RowParser(ZHONGXIN, POSITIONS, {
    "U01": Subject("U01", "翠湖花园客户服务中心", "翠湖花园项目部", "客户服务中心"),
    "U03": Subject("U03", "翠湖花园客服处", "翠湖花园项目部", "客服处"),
    "U05": Subject("U05", "翠湖花园环境处", "翠湖花园项目部", "环境处")})
GUANLIYUAN_PARSER = RowParser(GUANLIYUAN, POSITIONS, None)  # no roster: anyone goes


def parse(parser: RowParser, *cells: str, line: int = 7) -> Record | list[Diagnostic]:
    return parser.parse("log.csv", line, [*cells, *([""] * (len(COLUMNS) - len(cells)))])


def problems(parser: RowParser, *cells: str) -> list[tuple[int, int, str, str]]:
    result = parse(parser, *cells)
    assert isinstance(result, list), f"expected problems, got {result}"
    return [(d.line, d.column, d.code, d.message) for d in result]


def record(parser: RowParser, *cells: str) -> Record:
    result = parse(parser, *cells)
    assert isinstance(result, Record), [d.format() for d in result]
    return result


# ---------------------------------------------------------------- valid rows

def test_a_deduction_by_name_alias_id_and_item_rule() -> None:
    for name in ("迟到早退", "迟到", "chidao", "考勤纪律及仪容仪表.迟到早退", "kaoqin_jilv.chidao", "考勤纪律及仪容仪表.早退"):
        r = record(GUANJIA_PARSER, "000101", "2026-10-03", name, "2", "", "", "", "", "8:25到岗")
        assert (r.kind, r.item, r.rule, r.count, r.points, r.deduction) == ("deduction", 5, 0, 2, D(2), D(4))
        assert (r.date, r.label, r.note) == (date(2026, 10, 3), "考勤纪律及仪容仪表 / 迟到早退", "8:25到岗")


def test_fixed_points_may_be_repeated() -> None:
    assert record(GUANJIA_PARSER, "000101", "2026-10-03", "迟到", "", "2").points == D(2)


def test_a_metric_value_in_percent_with_or_without_the_sign() -> None:
    for cell in ("96", "96%", "96 %", "９６％"):
        r = record(GUANJIA_PARSER, "000101", "2026-10-31", "收缴率", "", "", cell)
        assert (r.kind, r.value) == ("metric", D(96))


def test_a_range_rule_takes_the_given_points() -> None:
    r = record(ZHONGXIN_PARSER, "U01", "2026-10-16", "停放无序", "1", "1.5")
    assert (r.points, r.deduction) == (D("1.5"), D("1.5"))


def test_a_name_in_two_items_is_resolved_by_the_role() -> None:
    # 卫生投诉 is in 客户服务中心's 清洁卫生 (item 1) and 环境处's (item 6)
    assert record(ZHONGXIN_PARSER, "U01", "2026-10-09", "卫生投诉").item == 1
    assert record(ZHONGXIN_PARSER, "U05", "2026-10-09", "卫生投诉").item == 6


def test_a_rating_and_an_adjustment() -> None:
    r = record(GUANJIA_PARSER, "000101", "2026-10-31", "业务水平", "", "", "", "经理", "14")
    assert (r.kind, r.rater, r.score) == ("rating", 2, D(14))
    r = record(GUANJIA_PARSER, "000101", "2026-10-20", "奖分", "", "+2", "", "", "", "锦旗表扬")
    assert (r.kind, r.points, r.note) == ("adjustment", D(2), "锦旗表扬")
    r = record(GUANJIA_PARSER, "000101", "2026-10-20", "罚分", "", "-10", "", "", "", "私收押金")
    assert r.points == D(-10)


# ---------------------------------------------------------------- one test per row error class

def test_unknown_rule_with_did_you_mean() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-03", "迟道") == [
        (7, 0, "unknown-rule", "unknown rule '迟道' (did you mean '迟到'?)")]
    assert problems(KEFU_PARSER, "000201", "2026-10-03", "快递登记与实际不符") == [
        (7, 0, "unknown-rule", "unknown rule '快递登记与实际不符' (did you mean '快件登记与实际不符'?)")]


def test_unknown_employee() -> None:
    assert problems(GUANJIA_PARSER, "999", "2026-10-03", "迟到") == [
        (7, 0, "unknown-employee", "unknown employee '999': not on the roster")]


def test_leading_zeros_matter() -> None:
    assert problems(GUANJIA_PARSER, "101", "2026-10-03", "迟到") == [
        (7, 0, "unknown-employee", "unknown employee '101': not on the roster (did you mean '000101'? Excel drops "
         "the leading zeros of numbers: format the 工号 column as text (文本) and type them again)")]


def test_employee_in_a_role_the_rubric_does_not_cover() -> None:
    assert problems(GUANJIA_PARSER, "000201", "2026-10-03", "迟到") == [
        (7, 0, "role-not-covered",
         "000201 is a 园区客服助理, a role rubric guanjia does not cover (物业客服员, 管家)")]


@pytest.mark.parametrize(("cell", "message"), [
    ("2026-02-30", "'2026-02-30' is not a real date (2026-02-30 does not exist)"),
    ("2026-13-01", "'2026-13-01' is not a real date (2026-13-01 does not exist)"),
    ("十月三日", "'十月三日' is not a date; write it as 2026-10-03"),
])
def test_bad_date(cell: str, message: str) -> None:
    assert problems(GUANJIA_PARSER, "000101", cell, "迟到") == [(7, 0, "bad-date", message)]


@pytest.mark.parametrize(("cell", "message"), [
    ("0", "count '0' must be at least 1"),
    ("-1", "count '-1' must be at least 1"),
    ("1.5", "count '1.5' is not a whole number"),
    ("abc", "count 'abc' is not a whole number"),
])
def test_bad_count(cell: str, message: str) -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-03", "迟到", cell) == [(7, 0, "bad-count", message)]


def test_points_out_of_range() -> None:
    assert problems(ZHONGXIN_PARSER, "U01", "2026-10-16", "停放无序", "", "3") == [
        (7, 0, "points-out-of-range", "3 points is outside 1-2 for 车辆通道无指示牌、停放无序")]
    assert problems(ZHONGXIN_PARSER, "U01", "2026-10-16", "停放无序", "", "0.5") == [
        (7, 0, "points-out-of-range", "0.5 points is outside 1-2 for 车辆通道无指示牌、停放无序")]


def test_points_missing_for_a_range_rule_without_default() -> None:
    assert problems(ZHONGXIN_PARSER, "U01", "2026-10-16", "停放无序") == [
        (7, 0, "missing-points", "车辆通道无指示牌、停放无序 costs 1-2 points: give the figure in 扣分 (points)")]


def test_points_not_equal_to_a_fixed_rule() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-03", "迟到", "", "3") == [
        (7, 0, "bad-points", "迟到早退 costs 2 points per occurrence, not 3; leave 扣分 empty or write 2")]


def test_value_on_a_non_metric() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-03", "迟到", "", "", "96") == [
        (7, 0, "value-not-allowed", "a 数值 (value) is only for metric rules; 考勤纪律及仪容仪表 / 迟到早退 is not a metric")]


def test_metric_value_problems() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "收缴率", "", "", "0.96") == [
        (7, 0, "bad-value", "'0.96' is ambiguous: write a rate in percent, as 96 or 96%")]
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "收缴率") == [
        (7, 0, "missing-value", "管理费收缴 / 管理费收缴率 is a metric: give its 数值 (value)")]
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "收缴率", "2", "", "96") == [
        (7, 0, "count-not-allowed", "次数 (count) is only for deduction rules, not for 管理费收缴 / 管理费收缴率")]


def test_rater_on_a_non_rated_item() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-03", "迟到", "", "", "", "直接上级", "10") == [
        (7, 0, "rating-not-allowed",
         "评分人/评分 (rater/score) are only for rated items; 考勤纪律及仪容仪表 / 迟到早退 is not rated")]


def test_unknown_rater() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "业务水平", "", "", "", "主任", "10") == [
        (7, 0, "unknown-rater", "unknown rater '主任'; the raters are 直接上级, 间接上级, 物业经理")]


def test_rating_problems() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "业务水平", "", "", "", "", "10") == [
        (7, 0, "missing-rater", "业务水平 is rated: give the 评分人 (rater)")]
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "业务水平", "", "", "", "上级", "16") == [
        (7, 0, "bad-score", "rating 16 is outside 0-15, the range of 业务水平")]
    assert problems(GUANJIA_PARSER, "000101", "2026-10-31", "业务水平", "", "", "", "上级") == [
        (7, 0, "missing-score", "业务水平 is rated: give the 评分 (score)")]


@pytest.mark.parametrize(("score", "ok"), [("0", False), ("0.5", False), ("0.99", False), ("1", True), ("4.99", True),
                                           ("5", True), ("6", True)])
def test_a_rating_outside_every_band_is_an_error(score: str, ok: bool) -> None:
    # guanliyuan 爱岗敬业 (0-6): 合格 5-6, 部分合格 1-5 (不含5): 0 to below 1 is in no band
    result = parse(GUANLIYUAN_PARSER, "G1", "2026-10-31", "爱岗敬业", "", "", "", "自评", score)
    if ok:
        assert isinstance(result, Record) and result.score == D(score)
    else:
        assert problems(GUANLIYUAN_PARSER, "G1", "2026-10-31", "爱岗敬业", "", "", "", "自评", score) == [
            (7, 0, "rating-outside-bands", f"rating {score} is in none of the bands of 爱岗敬业 (合格 5-6, 部分合格 "
             "1-5 (不含5)); give a rating inside a band")]


def test_the_same_item_rated_twice_by_one_rater() -> None:
    scorer = Scorer(GUANLIYUAN, Period(2026, "month", 10), None)
    first = record(GUANLIYUAN_PARSER, "000301", "2026-10-30", "爱岗敬业", "", "", "", "自评", "6")
    second = parse(GUANLIYUAN_PARSER, "000301", "2026-10-31", "aigang_jingye", "", "", "", "自评分", "5", line=12)
    assert isinstance(second, Record)
    other_rater = record(GUANLIYUAN_PARSER, "000301", "2026-10-31", "爱岗敬业", "", "", "", "直接上级", "5")
    assert scorer.add(first) is None
    assert scorer.add(other_rater) is None
    conflict = scorer.add(second)
    assert conflict is not None
    assert (conflict.line, conflict.column, conflict.code, conflict.message) == (
        12, 0, "duplicate-record", "000301 already has a rating by this rater for 爱岗敬业 at line 7; keep one row")


def test_a_record_for_an_item_that_does_not_apply_to_the_role() -> None:
    assert problems(KEFU_PARSER, "000201", "2026-10-13", "用语不规范") == [
        (7, 0, "not-for-role",
         "电话接听 / 不按标准用语接听电话 does not apply to role 园区客服助理 (only to 前台客服助理)")]
    assert problems(ZHONGXIN_PARSER, "U03", "2026-10-16", "停放无序", "", "1") == [
        (7, 0, "not-for-role",
         "小区(大厦)管理有序 / 车辆通道无指示牌、停放无序 does not apply to role 客服处 (only to 客户服务中心)")]


def test_adjustment_without_reason() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-20", "奖扣分", "", "3") == [
        (7, 0, "missing-reason", "奖扣分 needs a reason in 备注 (note)")]


@pytest.mark.parametrize("points", ["12", "-11", "0.5", "0"])
def test_adjustment_out_of_bounds(points: str) -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-20", "奖分", "", points, "", "", "", "表扬") == [
        (7, 0, "bad-points", f"奖扣分 of {points} is outside the allowed 1-10 points (either sign)")]


def test_adjustment_without_points() -> None:
    assert problems(GUANJIA_PARSER, "000101", "2026-10-20", "奖分", "", "", "", "", "", "表扬") == [
        (7, 0, "missing-points", "奖扣分 needs signed points in 扣分 (points): +3 for a bonus, -3 for a penalty")]


def test_every_problem_of_a_row_is_reported() -> None:
    assert problems(GUANJIA_PARSER, "", "", "") == [
        (7, 0, "missing-cell", "no 工号 (employee) given"),
        (7, 0, "missing-cell", "no 日期 (date) given"),
        (7, 0, "missing-cell", "no 考核项目 (rule) given"),
    ]
    assert [code for _, _, code, _ in problems(GUANJIA_PARSER, "999", "2026-02-30", "迟到", "0")] == [
        "unknown-employee", "bad-date", "bad-count"]
