"""Golden cases: totals computed by hand from the shipped examples and small fixtures.

Every case writes its arithmetic out; the engine must agree to the last digit
(item scores, the rounded total, grade and outcome labels).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kpi_cli.inputs.score_run import score_log
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import ScoreSheet, SubjectScore
from kpi_cli.rubric.loader import load_rubric

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
RUBRICS = ROOT / "rubrics"
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
ROSTER = EXAMPLES / "roster.csv"

D = Decimal


def scored(rubric_id: str, log: Path, *, roster: Path | None = ROSTER, period: Period | None = None) -> ScoreSheet:
    rubric, problems = load_rubric(RUBRICS / f"{rubric_id}.yaml")
    assert rubric is not None, [p.format() for p in problems]
    run = score_log(log, rubric, roster=roster, period=period)
    assert run.ok, [d.format() for d in run.diagnostics]
    assert run.sheet is not None
    return run.sheet


@pytest.fixture(scope="module")
def guanjia() -> ScoreSheet:
    return scored("guanjia", EXAMPLES / "guanjia-2026-10.csv")


@pytest.fixture(scope="module")
def kefu() -> ScoreSheet:
    return scored("kefu", EXAMPLES / "kefu-2026-10.csv")


@pytest.fixture(scope="module")
def guanliyuan() -> ScoreSheet:
    return scored("guanliyuan", EXAMPLES / "guanliyuan-2026-10.csv")


@pytest.fixture(scope="module")
def zhongxin() -> ScoreSheet:
    return scored("zhongxin", EXAMPLES / "zhongxin-2026-10.csv")


@pytest.fixture(scope="module")
def zhibiao() -> ScoreSheet:
    return scored("zhibiao", EXAMPLES / "zhibiao-2026-10.csv")


@pytest.fixture(scope="module")
def jidu() -> ScoreSheet:
    return scored("jidu", EXAMPLES / "jidu-2026Q3.csv")


def check(sheet: ScoreSheet, subject: str, items: dict[str, str], total: str, grade: str | None,
          outcome: str | None = None) -> SubjectScore:
    s = sheet.find(subject)
    assert s is not None, f"{subject} not scored"
    assert {i.id: i.score for i in s.items} == {k: D(v) for k, v in items.items()}
    assert s.total == D(total)
    assert str(s.total) == total  # rounded to the rubric's decimals, e.g. "85.0", not "85"
    assert (s.grade.label if s.grade else None) == grade
    assert (s.outcome.label if s.outcome else None) == outcome
    return s


# ---------------------------------------------------------------- guanjia (examples/guanjia-2026-10.csv)
# items: 装修及违建巡查 15 (wipe_at 3), 客户接待 12 (wipe_at 3), 管理费收缴 20 (收缴率 < 98 → −20), 报修 10,
# 环境巡查 10, 考勤纪律 12, 业务水平 15 (直接上级 50% + 间接上级 30% + 物业经理 20%, reweight), 档案 6 (wipe_at 3).
# No grades: the form has none (the invented ones contradicted its pay bands); the outcome is the result.

GUANJIA_FULL = {"weijian_xuncha": "15", "kehu_fuwu": "12", "guanlifei": "20", "baoxiu": "10",
                "huanjing_xuncha": "10", "kaoqin_jilv": "12", "yewu_shuiping": "15", "dangan": "6"}


def test_guanjia_wangfang_bonus_full_pay(guanjia: ScoreSheet) -> None:
    # 000101 王芳: 考勤 12 − 2 (迟到) = 10; 收缴率 99.2% ≥ 98: 20;
    # 业务水平 15×0.5 + 15×0.3 + 14×0.2 = 7.5 + 4.5 + 2.8 = 14.8;
    # 15 + 12 + 20 + 10 + 10 + 10 + 14.8 + 6 = 97.8, + 2 (奖扣分: 锦旗) = 99.8 → 99.8 → 发放100%
    s = check(guanjia, "000101", GUANJIA_FULL | {"kaoqin_jilv": "10", "yewu_shuiping": "14.8"}, "99.8", None,
              "发放100%")
    assert s.adjustment_total == D(2)
    assert s.rank == 1 and s.department_rank == 1


def test_guanjia_lina_threshold_equal_and_item_rule_name(guanjia: ScoreSheet) -> None:
    # 000102 李娜: 收缴率 "98" == threshold 98: not below, no deduction: 20;
    # 报修跟进.报修未跟进 (item.rule): 10 − 2 = 8; 资料未更新 (alias): 档案 6 − 1 = 5;
    # 业务水平 13×0.5 + 12×0.3 + 12×0.2 = 6.5 + 3.6 + 2.4 = 12.5;
    # 15 + 12 + 20 + 8 + 10 + 12 + 12.5 + 5 = 94.5 → 发放50% (90 ≤ 94.5 < 95)
    check(guanjia, "000102", GUANJIA_FULL | {"baoxiu": "8", "yewu_shuiping": "12.5", "dangan": "5"}, "94.5",
          None, "发放50%")


def test_guanjia_zhangwei_wiped_reweighted_penalty(guanjia: ScoreSheet) -> None:
    # 000103 张伟: 装修及违建 3 起 (占用平台, 公共平台被占用, 露台搭建; 9 points) ≥ wipe_at 3 → 0;
    # 收缴率 96 < 98 → 20 − 20 = 0; kaoqin_jilv.weidaka: 12 − 2 = 10;
    # 业务水平: no 物业经理 rating → weights 0.5/0.8 = 0.625 and 0.3/0.8 = 0.375:
    #   10×0.625 + 9×0.375 = 6.25 + 3.375 = 9.625;
    # 0 + 12 + 0 + 10 + 10 + 10 + 9.625 + 6 = 57.625, − 3 (罚分) = 54.625 → 54.6 → 调岗或开除
    s = check(guanjia, "000103", GUANJIA_FULL | {"weijian_xuncha": "0", "guanlifei": "0", "kaoqin_jilv": "10",
                                                 "yewu_shuiping": "9.625"}, "54.6", None, "调岗或开除")
    weijian = next(i for i in s.items if i.id == "weijian_xuncha")
    assert weijian.wiped and weijian.occurrences == 3 and weijian.deducted == D(9)
    rating = next(i for i in s.items if i.id == "yewu_shuiping")
    assert [r.used_weight for r in rating.ratings] == [D("0.625"), D("0.375"), D(0)]
    assert s.raw_total == D("54.625")
    assert s.outcome is not None and s.outcome.action == "由人力资源部给予调岗或开除等其他安排"


def test_guanjia_liuyang_floored(guanjia: ScoreSheet) -> None:
    # 000104 刘洋: 考勤 旷工 6 + 旷工 6 + 迟到早退 2 = 14 > 12 → 12 − 14 = −2 → floored at 0;
    # 业务水平 12×0.5 + 12×0.3 + 12×0.2 = 12; 收缴率 98.5%: 20;
    # 15 + 12 + 20 + 10 + 10 + 0 + 12 + 6 = 85 → 85.0 → 发放0%
    s = check(guanjia, "000104", GUANJIA_FULL | {"kaoqin_jilv": "0", "yewu_shuiping": "12"}, "85.0", None,
              "发放0%")
    kaoqin = next(i for i in s.items if i.id == "kaoqin_jilv")
    assert kaoqin.floored and not kaoqin.wiped and kaoqin.raw == D(-2)


def test_guanjia_chenjing_count_two_not_wiped(guanjia: ScoreSheet) -> None:
    # 000105 陈静: 未回访 ×2 (one row, 次数 2) = 2 起 < wipe_at 3: 12 − 2×2 = 8;
    # xuncha_weijilu (rule id): 10 − 2 = 8; 业务水平 14×0.5 + 13×0.3 + 13×0.2 = 7 + 3.9 + 2.6 = 13.5;
    # 15 + 8 + 20 + 10 + 8 + 12 + 13.5 + 6 = 92.5 → 发放50%
    s = check(guanjia, "000105", GUANJIA_FULL | {"kehu_fuwu": "8", "huanjing_xuncha": "8",
                                                 "yewu_shuiping": "13.5"}, "92.5", None, "发放50%")
    kehu = next(i for i in s.items if i.id == "kehu_fuwu")
    assert kehu.occurrences == 2 and not kehu.wiped


def test_guanjia_yanglei_archive_wiped(guanjia: ScoreSheet) -> None:
    # 000106 杨磊: 档案 3 起 × 1 = 3 points, but 3 起 ≥ wipe_at 3 → 0; 报修延误 10 − 5 = 5;
    # 业务水平 11×0.5 + 12×0.3 + 13×0.2 = 5.5 + 3.6 + 2.6 = 11.7;
    # 15 + 12 + 20 + 5 + 10 + 12 + 11.7 + 0 = 85.7 → 发放0%
    check(guanjia, "000106", GUANJIA_FULL | {"baoxiu": "5", "yewu_shuiping": "11.7", "dangan": "0"}, "85.7",
          None, "发放0%")


def test_guanjia_spread(guanjia: ScoreSheet) -> None:
    # 000107 赵敏: 收缴率 95% < 98 → 0; 未穿工装 12 − 2 = 10; 业务水平 13;
    #   15 + 12 + 0 + 10 + 10 + 10 + 13 + 6 = 76 → 调岗或开除
    # 000108 黄晓燕: 未着工装 + 未佩戴工牌 12 − 4 = 8; 业务水平 14×0.5 + 14×0.3 + 15×0.2 = 7 + 4.2 + 3 = 14.2;
    #   15 + 12 + 20 + 10 + 10 + 8 + 14.2 + 6 = 95.2 → 发放100%
    check(guanjia, "000107", GUANJIA_FULL | {"guanlifei": "0", "kaoqin_jilv": "10", "yewu_shuiping": "13"},
          "76.0", None, "调岗或开除")
    check(guanjia, "000108", GUANJIA_FULL | {"kaoqin_jilv": "8", "yewu_shuiping": "14.2"}, "95.2", None,
          "发放100%")
    assert [s.subject.id for s in guanjia.subjects] == ["000101", "000108", "000102", "000105", "000106",
                                                      "000104", "000107", "000103"]
    assert dict(guanjia.summary.per_outcome) == {"发放100%": 2, "发放50%": 2, "发放0%": 2, "调岗或开除": 2}


# ---------------------------------------------------------------- guanjia edges (tests/data/golden/guanjia-edges.csv)

@pytest.fixture(scope="module")
def guanjia_edges() -> ScoreSheet:
    return scored("guanjia", GOLDEN / "guanjia-edges.csv", roster=None)


def test_guanjia_edges_n_minus_one_and_single_rater(guanjia_edges: ScoreSheet) -> None:
    # G1: 档案 2 起 (wipe_at 3 not reached): 6 − 1 − 1 = 4; 收缴率 98% == 98: 20;
    # 业务水平 only 直接上级 14: reweighted 0.5/0.5 = 1 → 14;
    # 15 + 12 + 20 + 10 + 10 + 12 + 14 + 4 = 97 → 发放100%
    check(guanjia_edges, "G1", GUANJIA_FULL | {"dangan": "4", "yewu_shuiping": "14"}, "97.0", None, "发放100%")


def test_guanjia_edges_95_is_full_pay(guanjia_edges: ScoreSheet) -> None:
    # G2: 迟到 ×2: 12 − 2×2 = 8; 未回访 12 − 2 = 10; 业务水平 15;
    # 15 + 10 + 20 + 10 + 10 + 8 + 15 + 6 = 94, + 1 (奖分) = 95 → 95.0 → 发放100% (≥ 95)
    check(guanjia_edges, "G2", GUANJIA_FULL | {"kehu_fuwu": "10", "kaoqin_jilv": "8"}, "95.0", None, "发放100%")


def test_guanjia_edges_90_is_half_pay(guanjia_edges: ScoreSheet) -> None:
    # G5: 旷工 6 + 未戴工牌 ×2 (2×2) = 10: 12 − 10 = 2;
    # 15 + 12 + 20 + 10 + 10 + 2 + 15 + 6 = 90 → 90.0 → 发放50% (90 ≤ x < 95)
    check(guanjia_edges, "G5", GUANJIA_FULL | {"kaoqin_jilv": "2"}, "90.0", None, "发放50%")


def test_guanjia_edges_89_9_is_no_pay(guanjia_edges: ScoreSheet) -> None:
    # G3: 报修延误 10 − 5 = 5; 未回访 12 − 2 = 10; 迟到 12 − 2 = 10;
    # 业务水平 14×0.5 + 14×0.3 + 13.5×0.2 = 7 + 4.2 + 2.7 = 13.9;
    # 15 + 10 + 20 + 5 + 10 + 10 + 13.9 + 6 = 89.9 → 发放0%
    check(guanjia_edges, "G3", GUANJIA_FULL | {"kehu_fuwu": "10", "baoxiu": "5", "kaoqin_jilv": "10",
                                               "yewu_shuiping": "13.9"}, "89.9", None, "发放0%")


def test_guanjia_edges_wipe_floor_and_largest_penalty(guanjia_edges: ScoreSheet) -> None:
    # G4: 客户接待 3 起 (4 + 4 + 2 = 10 < 12, but 3 起 ≥ 3) → 0; 旷工 ×3 = 18 > 12 → 0 (扣完为止);
    # 收缴率 97.9 < 98 → 0; 业务水平 12;
    # 15 + 0 + 0 + 10 + 10 + 0 + 12 + 6 = 53, − 10 (罚分, the largest allowed) = 43 → 调岗或开除
    s = check(guanjia_edges, "G4", GUANJIA_FULL | {"kehu_fuwu": "0", "guanlifei": "0", "kaoqin_jilv": "0",
                                                   "yewu_shuiping": "12"}, "43.0", None, "调岗或开除")
    by_id = {i.id: i for i in s.items}
    assert by_id["kehu_fuwu"].wiped and by_id["kehu_fuwu"].deducted == D(10)
    assert by_id["kaoqin_jilv"].floored and by_id["kaoqin_jilv"].raw == D(-6)


# ---------------------------------------------------------------- kefu (examples/kefu-2026-10.csv)
# 园区客服助理 and 前台客服助理 have 13 items each (100 points); no raters, no 奖扣分.

KEFU_COMMON = {"kaoqin": "5", "yirong": "10", "lijie": "10", "peixun": "5", "zoufang": "5", "lianxidan": "5",
               "tousu": "10", "dangan": "10", "yaoshi": "5", "ziwo": "10", "bangong": "5"}
KEFU_YUANQU = KEFU_COMMON | {"feiyong_shoujiao": "10", "zhuangxiu": "10"}
KEFU_QIANTAI = KEFU_COMMON | {"kuaidi": "10", "dianhua": "10"}


def test_kefu_wugang_front_desk(kefu: ScoreSheet) -> None:
    # 000202 吴刚 (前台): 快件登记与实际不符 10 − 10 = 0; 用语不规范 ×2: 10 − 2×2 = 6; 未戴工牌 10 − 2 = 8;
    # 100 − 10 − 4 − 2 = 84 → 良好
    check(kefu, "000202", KEFU_QIANTAI | {"kuaidi": "0", "dianhua": "6", "yirong": "8"}, "84.0", "良好")


def test_kefu_xuli_metric_deducted_from_the_total(kefu: ScoreSheet) -> None:
    # 000203 徐丽 (园区): 费用收缴 收缴率 93% < 95 → −10, 欠费不清 −2: 10 − 12 = −2 (deduct_from: total, so the
    # row keeps its −2: no 扣完为止 per row); 与客户争吵 10 − 10 = 0; 违规装修 10 − 2 = 8;
    # 100 − 12 − 10 − 2 = 76 → 一般 (70 ≤ 76 < 80)
    s = check(kefu, "000203", KEFU_YUANQU | {"feiyong_shoujiao": "-2", "lijie": "0", "zhuangxiu": "8"}, "76.0",
              "一般")
    feiyong = next(i for i in s.items if i.id == "feiyong_shoujiao")
    assert not feiyong.floored and feiyong.raw == D(-2) and feiyong.lost == D(12)


def test_kefu_sunhao_complaint_and_quarrel_cost_15(kefu: ScoreSheet) -> None:
    # 000204 孙浩 (前台): 自我管理 (10) 有效投诉 −10 + 与同事争吵 −5 = −15: 10 − 15 = −5, the whole 15 comes off
    # the total (deduct_from: total; per-row 扣完为止 would cost only 10); 着装 ×2 = 10 → 0;
    # 未微笑 10 − 5 = 5; 缺培训 5 − 2 = 3; 聚众闲谈 5 − 5 = 0;
    # 100 − 15 − 10 − 5 − 2 − 5 = 63 → 不及格 (< 70)
    s = check(kefu, "000204", KEFU_QIANTAI | {"ziwo": "-5", "yirong": "0", "lijie": "5", "peixun": "3",
                                              "bangong": "0"}, "63.0", "不及格")
    ziwo = next(i for i in s.items if i.id == "ziwo")
    assert (ziwo.deducted, ziwo.lost, ziwo.floored) == (D(15), D(15), False)


def test_kefu_maxiaoli_rate_at_threshold(kefu: ScoreSheet) -> None:
    # 2205 马晓丽 (园区): 收缴率 95 == threshold 95: no deduction → 10; 走访不足 5 − 2 = 3;
    # 档案资料.业主资料不完整、缺失 (item.rule): 10 − 2 = 8; 100 − 2 − 2 = 96 → 优秀
    check(kefu, "2205", KEFU_YUANQU | {"zoufang": "3", "dangan": "8"}, "96.0", "优秀")
    assert [s.subject.id for s in kefu.subjects] == ["000201", "2205", "2206", "000202", "000203", "000204"]


# ---------------------------------------------------------------- guanliyuan (examples/guanliyuan-2026-10.csv)
# Every item is rated: 实评 = 自评 × 30% + 直接上级 × 70%; ratings within each item's max, so
# the total is 0.3 × Σ自评 + 0.7 × Σ直接上级 + 奖扣分.

def test_guanliyuan_hujianguo_half_up(guanliyuan: ScoreSheet) -> None:
    # 000301 胡建国: 自评 6+10+13+12+11+9+8+5+5+5+5 = 89; 上级 5.5+9+12+11+11+8.5+7.5+4.5+5+5+4.5 = 83.5;
    # 爱岗敬业 6×0.3 + 5.5×0.7 = 1.8 + 3.85 = 5.65 (合格 5-6); 报修及回访 11×0.3 + 11×0.7 = 11;
    # total 0.3×89 + 0.7×83.5 = 26.7 + 58.45 = 85.15, + 3 (奖分) = 88.15 → 88.2 (half-up) → 优秀 (≥ 81)
    s = check(guanliyuan, "000301", {
        "aigang_jingye": "5.65", "goutong_xietiao": "9.3", "kehu_tousu": "12.3", "shoufei_genjin": "11.3",
        "baoxiu_huifang": "11", "qingjie_lvhua": "8.65", "richang_jiancha": "7.65", "gonggong_zhixu": "4.65",
        "huiyi_peixun": "5", "zunshou_zhidu": "5", "jiaoban_renwu": "4.65"}, "88.2", "优秀")
    assert s.raw_total == D("88.15")
    aigang = s.items[0]
    assert [(r.rater, r.score, r.band) for r in aigang.ratings] == [("自评", D(6), "合格"), ("直接上级", D("5.5"), "合格")]


def test_guanliyuan_hezhiqiang_penalty(guanliyuan: ScoreSheet) -> None:
    # 000303 何志强: 自评 5+8+11+10+10+7+6+4+4+4+4 = 73; 上级 4+6+9+8+8.5+6+5+3+3.5+4+3 = 60;
    # 0.3×73 + 0.7×60 = 21.9 + 42 = 63.9, − 5 (罚分) = 58.9 → 不及格 (< 63)
    s = check(guanliyuan, "000303", {
        "aigang_jingye": "4.3", "goutong_xietiao": "6.6", "kehu_tousu": "9.6", "shoufei_genjin": "8.6",
        "baoxiu_huifang": "8.95", "qingjie_lvhua": "6.3", "richang_jiancha": "5.3", "gonggong_zhixu": "3.3",
        "huiyi_peixun": "3.65", "zunshou_zhidu": "4", "jiaoban_renwu": "3.3"}, "58.9", "不及格")
    assert s.item_total == D("63.9")


def test_guanliyuan_guomei(guanliyuan: ScoreSheet) -> None:
    # 000302 郭梅 (raters by alias 自评分 / 上级评; 爱岗敬业 by id aigang_jingye):
    # 自评 5+9+12+11+11+8+7+4+5+4+4 = 80; 上级 5+8+10+10+9+7+6+4+4+4+4 = 71;
    # 0.3×80 + 0.7×71 = 24 + 49.7 = 73.7 → 良好 (72 ≤ x < 81)
    s = guanliyuan.find("000302")
    assert s is not None and s.total == D("73.7") and s.grade is not None and s.grade.label == "良好"


@pytest.fixture(scope="module")
def guanliyuan_rounding() -> ScoreSheet:
    return scored("guanliyuan", GOLDEN / "guanliyuan-rounding.csv", roster=None)


def test_guanliyuan_rounding_73_35(guanliyuan_rounding: ScoreSheet) -> None:
    # M1: 自评 6+10+12+11+11+8+7+5+4+3+3 = 80; 上级 5+9+11+10+10+8+7+3.5+3+2+2 = 70.5;
    # 0.3×80 + 0.7×70.5 = 24 + 49.35 = 73.35 → 73.4 (四舍五入; binary floats would give 73.3) → 良好
    s = guanliyuan_rounding.find("M1")
    assert s is not None
    assert s.raw_total == D("73.35") and s.total == D("73.4")
    assert s.grade is not None and s.grade.label == "良好"
    assert {i.id: i.score for i in s.items}["gonggong_zhixu"] == D("3.95")  # 5×0.3 + 3.5×0.7 = 1.5 + 2.45


def test_guanliyuan_rounding_up_into_band(guanliyuan_rounding: ScoreSheet) -> None:
    # M2: as M1 but 会议及培训 自评 5 (Σ 81) and 上级 2 (Σ 69.5):
    # 0.3×81 + 0.7×69.5 = 24.3 + 48.65 = 72.95, − 1 (罚分) = 71.95 → 72.0: the band is chosen on the
    # rounded total, so 良好 (≥ 72), not 一般
    s = guanliyuan_rounding.find("M2")
    assert s is not None
    assert s.raw_total == D("71.95") and s.total == D("72.0")
    assert s.grade is not None and s.grade.label == "良好"


# ---------------------------------------------------------------- zhongxin (examples/zhongxin-2026-10.csv)
# Units; 客户服务中心: 收取 40 + 清洁 20 + 管理有序 20 + 服务规范 10 + 内控 10;
# 客服处: 收取 60 + 服务规范 20 + 内控 20; 环境处: 清洁 60 + 服务规范 20 + 内控 20.

def test_zhongxin_u01_proportional(zhongxin: ScoreSheet) -> None:
    # U01 翠湖花园客户服务中心: 收费完成率 92%: 40 × 92/100 = 36.8; 卫生投诉 20 − 5 = 15;
    # 停放无序 (range 1-2, 扣分 2): 20 − 2 = 18; 36.8 + 15 + 18 + 10 + 10 = 89.8 → 良好
    check(zhongxin, "U01", {"zx_guanlifei": "36.8", "zx_qingjie": "15", "zx_guanli_youxu": "18",
                            "zx_fuwu_guifan": "10", "zx_neikong": "10"}, "89.8", "良好")


def test_zhongxin_u04_range_points_decimal(zhongxin: ScoreSheet) -> None:
    # U04 金域华府客服处: 物业管理费收取.收费率 98.5: 60 × 98.5/100 = 59.1; 违反财务预算 扣 1.5: 20 − 1.5 = 18.5;
    # 59.1 + 20 + 18.5 = 97.6 → 优秀
    check(zhongxin, "U04", {"kfc_guanlifei": "59.1", "chu_fuwu_guifan": "20", "chu_neikong": "18.5"}, "97.6", "优秀")


def test_zhongxin_u05_counts_and_ranges(zhongxin: ScoreSheet) -> None:
    # U05 翠湖花园环境处: 清洁 卫生投诉 ×4 = 20, 清洁不达标 ×3 扣2 = 6: 60 − 26 = 34;
    # 服务投诉 2 起 × 5: 20 − 10 = 10; 违反考勤制度 扣2: 20 − 2 = 18; 34 + 10 + 18 = 62 → 不及格
    check(zhongxin, "U05", {"hjc_qingjie": "34", "chu_fuwu_guifan": "10", "chu_neikong": "18"}, "62.0", "不及格")


def test_zhongxin_u06_floor(zhongxin: ScoreSheet) -> None:
    # U06 金域华府环境处: 清洁投诉 60 − 5 = 55; 服务规范 服务投诉 ×3 = 15 + 违反流程 ×3 扣2 = 6: 20 − 21 → 0
    # (两项扣分直至标准分扣完为止); 55 + 0 + 20 = 75 → 一般
    s = check(zhongxin, "U06", {"hjc_qingjie": "55", "chu_fuwu_guifan": "0", "chu_neikong": "20"}, "75.0", "一般")
    assert s.items[1].floored and s.items[1].raw == D(-1)


# ---------------------------------------------------------------- zhibiao (examples/zhibiao-2026-10.csv)
# 投诉解决率 20 (proportional /100, missing: full), 电话接听率 15 (proportional /98), 回访满意度 15 (bands
# <80: 0, 80-90: 8, 90-95: 12, ≥95: 15), 服务速度 15 (响应时间 > 30 分钟 → −10), 工单处理量 10 (bands <60: 2,
# 60-80: 5, 80-100: 8, ≥100: 10), 满意度评价 15 (proportional /4.8), 业主维系率 10 (< 90 → −10).

def test_zhibiao_lina_missing_full_and_edges(zhibiao: ScoreSheet) -> None:
    # 000102 李娜: 解决率 not recorded → missing: full → 20; 接听率 98 = target → 15; 回访 92 → band 90-95 → 12;
    # 响应 30 == 30: not above → 15; 工单 85 → 8; 评分 4.56: 15 × 4.56/4.8 = 15 × 0.95 = 14.25;
    # 维系率 90 == 90: not below → 10; 20 + 15 + 12 + 15 + 8 + 14.25 + 10 = 94.25 → 94.3 (half-up) → 优秀
    s = check(zhibiao, "000102", {"tousu_jiejuelv": "20", "dianhua_jietinglv": "15", "huifang_manyidu": "12",
                                  "fuwu_sudu": "15", "gongdan_chuliliang": "8", "manyidu_pingjia": "14.25",
                                  "yezhu_weixilv": "10"}, "94.3", "优秀")
    assert s.items[0].metrics[0].value is None


def test_zhibiao_liuyang_inexact_ratio(zhibiao: ScoreSheet) -> None:
    # 000104 刘洋: 解决率 95% → 20 × 0.95 = 19; 接听率 97%: 15 × 97/98 = 1455/98 = 14.846938…;
    # 回访 90 → 12 (band min inclusive); 响应 28 → 15; 工单 80 → 8; 评分 4.32: 15 × 0.9 = 13.5; 维系率 92 → 10;
    # 19 + 14.846938… + 12 + 15 + 8 + 13.5 + 10 = 92.346938… → 92.3 → 优秀
    s = zhibiao.find("000104")
    assert s is not None
    by_id = {i.id: i.score for i in s.items}
    assert by_id["dianhua_jietinglv"].quantize(D("0.000001")) == D("14.846939")
    assert by_id["tousu_jiejuelv"] == D(19) and by_id["manyidu_pingjia"] == D("13.5")
    assert s.total == D("92.3") and s.grade is not None and s.grade.label == "优秀"


def test_zhibiao_yanglei_rounds_to_86(zhibiao: ScoreSheet) -> None:
    # 000106 杨磊: 解决率 100 → 20; 接听率 96.04: 15 × 96.04/98 = 15 × 0.98 = 14.7; 回访 94 → 12; 响应 22 → 15;
    # 工单 100 → 10 (band min inclusive); 评分 4.56 → 14.25; 维系率 89.5 < 90 → 10 − 10 = 0;
    # 20 + 14.7 + 12 + 15 + 10 + 14.25 + 0 = 85.95 → 86.0 → 良好
    check(zhibiao, "000106", {"tousu_jiejuelv": "20", "dianhua_jietinglv": "14.7", "huifang_manyidu": "12",
                              "fuwu_sudu": "15", "gongdan_chuliliang": "10", "manyidu_pingjia": "14.25",
                              "yezhu_weixilv": "0"}, "86.0", "良好")


def test_zhibiao_zhaomin_band_below_edge(zhibiao: ScoreSheet) -> None:
    # 000107 赵敏: 解决率 missing → 20; 接听率 99% > 98 → capped at 100%: 15; 回访 79.9 < 80 → 0;
    # 响应 31 > 30 → 15 − 10 = 5; 工单 60 → 5; 评分 3.84: 15 × 0.8 = 12; 维系率 91 → 10;
    # 20 + 15 + 0 + 5 + 5 + 12 + 10 = 67 → 不及格
    check(zhibiao, "000107", {"tousu_jiejuelv": "20", "dianhua_jietinglv": "15", "huifang_manyidu": "0",
                              "fuwu_sudu": "5", "gongdan_chuliliang": "5", "manyidu_pingjia": "12",
                              "yezhu_weixilv": "10"}, "67.0", "不及格")


# ---------------------------------------------------------------- jidu (examples/jidu-2026Q3.csv, quarter)
# 服务态度 20, 服务质量 20, 工作完成情况 15, 团队合作 10 rated (自评 20% + 主管 80%);
# 服务效率 15 (及时处理率, proportional /100); 客户满意度 20 (bands <70: 0, 70-80: 10, 80-90: 15, ≥90: 20).

def test_jidu_wangfang(jidu: ScoreSheet) -> None:
    # 000101 王芳: 态度 19×0.2 + 18×0.8 = 3.8 + 14.4 = 18.2; 及时率 96%: 15 × 0.96 = 14.4; 质量 18.2;
    # 满意率 92% → 20; 完成 14×0.2 + 14×0.8 = 14; 团队 10×0.2 + 9×0.8 = 2 + 7.2 = 9.2;
    # 18.2 + 14.4 + 18.2 + 20 + 14 + 9.2 = 94.0 → 优秀
    check(jidu, "000101", {"fuwu_taidu": "18.2", "fuwu_xiaolv": "14.4", "fuwu_zhiliang": "18.2",
                           "kehu_manyidu": "20", "gongzuo_wancheng": "14", "tuandui_hezuo": "9.2"}, "94.0", "优秀")
    assert str(jidu.period) == "2026Q3"


def test_jidu_huangxiaoyan(jidu: ScoreSheet) -> None:
    # 000108 黄晓燕: 态度 15×0.2 + 12×0.8 = 3 + 9.6 = 12.6; 及时率 75.5%: 15 × 0.755 = 11.325;
    # 质量 14×0.2 + 11×0.8 = 2.8 + 8.8 = 11.6; 满意率 68 < 70 → 0; 完成 12×0.2 + 10×0.8 = 2.4 + 8 = 10.4;
    # 团队 8×0.2 + 7×0.8 = 1.6 + 5.6 = 7.2; 12.6 + 11.325 + 11.6 + 0 + 10.4 + 7.2 = 53.125 → 53.1 → 不及格
    check(jidu, "000108", {"fuwu_taidu": "12.6", "fuwu_xiaolv": "11.325", "fuwu_zhiliang": "11.6",
                           "kehu_manyidu": "0", "gongzuo_wancheng": "10.4", "tuandui_hezuo": "7.2"}, "53.1", "不及格")


def test_jidu_yanglei_band_edge(jidu: ScoreSheet) -> None:
    # 000106 杨磊: 态度 17×0.2 + 16×0.8 = 3.4 + 12.8 = 16.2; 及时率 92%: 13.8; 质量 16.2;
    # 满意率 80% → band 80-90 (min inclusive) → 15; 完成 13; 团队 9×0.2 + 8.5×0.8 = 1.8 + 6.8 = 8.6;
    # 16.2 + 13.8 + 16.2 + 15 + 13 + 8.6 = 82.8 → 良好
    check(jidu, "000106", {"fuwu_taidu": "16.2", "fuwu_xiaolv": "13.8", "fuwu_zhiliang": "16.2",
                           "kehu_manyidu": "15", "gongzuo_wancheng": "13", "tuandui_hezuo": "8.6"}, "82.8", "良好")
    # 000104 刘洋: 15.2 + 13.2 + 14.4 + 15 + 12.2 + 8 = 78.0 → 一般
    liuyang = jidu.find("000104")
    assert liuyang is not None and liuyang.total == D("78.0") and liuyang.grade.label == "一般"  # type: ignore[union-attr]
