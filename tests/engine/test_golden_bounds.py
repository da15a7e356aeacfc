"""Golden cases on the shipped rubrics for the bounds a form sets: the period's net 奖扣分, 联系单's 扣10分
deducted from the total.  Fixtures: tests/data/golden/guanjia-net.csv, kefu-lianxidan.csv."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
D = Decimal


def rubric(name: str):  # type: ignore[no-untyped-def]
    loaded, problems = load_rubric(ROOT / "rubrics" / f"{name}.yaml")
    assert loaded is not None, problems
    return loaded


def test_guanjia_plus_6_plus_6_is_refused_at_its_last_row() -> None:
    # N1: +6 (line 4) +6 (line 5) = +12 > ±10 (奖扣1-10分 bounds the period's net): over_net refuse → no totals;
    # N2: +6 −2 = +4 is fine, but nobody is scored while a row is wrong (never a partial result)
    run = score_log(GOLDEN / "guanjia-net.csv", rubric("guanjia"))
    assert run.sheet is None or not run.ok
    problems = [(d.line, d.code) for d in run.diagnostics if d.is_error]
    assert problems == [(5, "adjustment-net")]
    assert "the 奖扣分 of the period add up to +12, beyond the ±10" in run.diagnostics[-1].message


def test_guanjia_and_guanliyuan_declare_the_net_bound() -> None:
    # without it +6 +6 gave 112/100 (guanjia) and 104/90 (guanliyuan); now the net is refused, and a total never
    # exceeds 满分 (cap_total) nor goes below 0 (floor_total)
    for name in ("guanjia", "guanliyuan"):
        r = rubric(name)
        assert r.adjustments is not None
        assert (r.adjustments.net_bound, r.adjustments.over_net, r.cap_total, r.floor_total) == (D(10), "refuse",
                                                                                                True, True)


def test_kefu_lianxidan_prints_10_on_a_5_point_row_deducted_from_the_total() -> None:
    # 000202 吴刚 (前台): 联系单 (5) 未跟进造成有效业主投诉 −10 → 5 − 10 = −5; 自我管理 (10) 与同事争吵 −5 → 5;
    #   the form deducts from the total: 100 − 10 − 5 = 85 → 良好 (per-row 扣完为止 would give 100 − 5 − 5 = 90)
    # 000201 周婷 (园区): 联系单 联系单不清 −2, 未跟进 −5 → 5 − 7 = −2; 收缴率 96 ≥ 95: 10; 100 − 7 = 93 → 优秀
    # everyone else on the roster for kefu: 100 (收缴率 97 and 98 are not below 95)
    run = score_log(GOLDEN / "kefu-lianxidan.csv", rubric("kefu"), roster=ROOT / "examples" / "roster.csv")
    assert run.ok and run.sheet is not None, [d.format() for d in run.diagnostics]
    wugang = run.sheet.find("000202")
    zhouting = run.sheet.find("000201")
    assert wugang is not None and zhouting is not None
    items = {i.id: i.score for i in wugang.items}
    assert (items["lianxidan"], items["ziwo"], wugang.total) == (D(-5), D(5), D("85.0"))
    assert wugang.grade is not None and wugang.grade.label == "良好"
    items = {i.id: i.score for i in zhouting.items}
    assert (items["lianxidan"], zhouting.total) == (D(-2), D("93.0"))
    assert sorted(s.total for s in run.sheet.subjects) == [D("85.0"), D("93.0")] + [D("100.0")] * 4
