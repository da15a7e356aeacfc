"""Reconstructed parts as data, adoption, and the checks that keep grades, pay and bounds consistent."""

from __future__ import annotations

import copy
from decimal import Decimal
import re
from pathlib import Path
from typing import Any

import pytest

from kpi_cli.i18n import set_language
from kpi_cli.rubric import checks as rc
from kpi_cli.rubric.fidelity import is_draft, marked, pending, reconstructed_parts
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.model import Rubric

ROOT = Path(__file__).resolve().parents[2]
BASE: dict[str, Any] = {
    "id": "t", "title": "测试表", "period": "month", "roles": ["客服"], "total": 100,
    "items": [
        {"id": "a", "name": "考勤", "max": 40, "rules": [{"id": "r", "name": "迟到", "points": 2}]},
        {"id": "b", "name": "档案", "max": 60, "rules": [{"id": "s", "name": "丢失", "points": 2}]},
    ],
}


def make(**fields: Any) -> Rubric:
    data = copy.deepcopy(BASE)
    data.update(fields)
    return Rubric.model_validate(data)


# ---- reconstructed parts -------------------------------------------------------------------------------------


def test_parts_are_listed_with_their_yaml_path_and_note() -> None:
    data = copy.deepcopy(BASE)
    data["items"][1]["reconstructed"] = "row 2 is not in the source"
    data["items"][0]["rules"][0]["reconstructed"] = "figure lost"
    r = make(items=data["items"], reconstructed="period assumed",
             grades=[{"label": "好", "min": 80, "reconstructed": "no grades on the form"}, {"label": "差", "max": 80}])
    parts = reconstructed_parts(r)
    assert [(p.path, p.note) for p in parts] == [
        ((), "period assumed"),
        (("items", 0, "rules", 0), "figure lost"),
        (("items", 1), "row 2 is not in the source"),
        (("grades", 0), "no grades on the form"),
    ]
    assert is_draft(r) and len(pending(r)) == 4
    assert marked(r, r.items[1]) == "row 2 is not in the source" and marked(r, r.items[0]) is None


def test_a_weight_of_an_item_carries_its_own_note() -> None:
    # weights: {boss: 0.6, self: {weight: 0.4, reconstructed: ...}}: the entry is counted and marked, the number
    # is the weight (0.6 + 0.4 = 1)
    data = copy.deepcopy(BASE)
    data["raters"] = [{"id": "self", "name": "自评", "weight": "0.3"}, {"id": "boss", "name": "直接上级", "weight": "0.7"}]
    data["items"][1] = {"id": "b", "name": "档案", "max": 60, "rating": {},
                        "weights": {"boss": "0.6", "self": {"weight": "0.4", "reconstructed": "原表未给自评权重"}}}
    r = make(raters=data["raters"], items=data["items"])
    assert [(p.path, p.what, p.note) for p in reconstructed_parts(r)] == [
        (("items", 1, "weights", "self"), "档案, weight of 自评", "原表未给自评权重")]
    set_language("zh")  # what a part is, in the forms' words, through the catalog
    assert [p.what for p in reconstructed_parts(r)] == ["档案 评分权重 自评"]
    assert r.weights_for(r.items[1]) == ((0, Decimal("0.4")), (1, Decimal("0.6")))
    assert list(rc.check_ratings(r)) == []
    assert marked(r, r.items[1].weights["self"]) == "原表未给自评权重"  # type: ignore[index]
    assert marked(r, r.items[1].weights["boss"]) is None  # type: ignore[index]


def test_an_adopted_rubric_marks_nothing_but_keeps_its_notes() -> None:
    r = make(reconstructed="period assumed", status="adopted", adopted_by="人力资源部 张三", adopted_on="2026-11-30")
    assert not is_draft(r) and pending(r) == () and marked(r, r) is None
    assert len(reconstructed_parts(r)) == 1


def test_a_rubric_without_notes_or_status_is_not_a_draft_and_draft_says_so() -> None:
    assert not is_draft(make())
    assert is_draft(make(status="draft"))


def test_adoption_needs_who_and_when() -> None:
    (problem,) = rc.check_adoption(make(status="adopted", adopted_by="张三"))
    assert (problem.path, problem.code) == (("status",), "adoption-incomplete")
    assert "add adopted_on" in problem.message
    (problem,) = rc.check_adoption(make(adopted_on="2026-11-30"))
    assert (problem.path, problem.code) == (("adopted_on",), "adoption-incomplete")
    assert list(rc.check_adoption(make(status="adopted", adopted_by="张三", adopted_on="2026-11-30"))) == []


# ---- grades against outcomes ---------------------------------------------------------------------------------

PAY = [{"label": "100%", "min": 95, "pay": 1}, {"label": "50%", "min": 90, "max": 95, "pay": "0.5"},
       {"label": "0%", "min": 80, "max": 90, "pay": 0}, {"label": "调岗", "max": 80, "pay": 0}]


def test_grades_that_contradict_the_pay_bands_are_warned_at_the_grade() -> None:
    # the guanjia grades once shipped: 优秀 ≥ 90 reaches into 发放50%, 一般 70-80 into 调岗
    grades = [{"label": "优秀", "min": 90}, {"label": "良好", "min": 80, "max": 90},
              {"label": "一般", "min": 70, "max": 80}, {"label": "不及格", "max": 70}]
    problems = list(rc.check_grade_outcome(make(grades=grades, outcomes=PAY)))
    assert [(p.path, p.code, p.level) for p in problems] == [
        (("grades", 0), "grade-outcome-conflict", "warning"),
        (("grades", 2), "grade-outcome-conflict", "warning"),
    ]
    assert "a total 90 ≤ x < 95 is 优秀 but 50%" in problems[0].message
    assert "a total 70 ≤ x < 80 is 一般 but 调岗" in problems[1].message


def test_grades_that_follow_the_pay_bands_are_fine() -> None:
    grades = [{"label": "优秀", "min": 95}, {"label": "合格", "min": 80, "max": 95}, {"label": "不合格", "max": 80}]
    assert list(rc.check_grade_outcome(make(grades=grades, outcomes=PAY))) == []
    assert list(rc.check_grade_outcome(make(outcomes=PAY))) == []  # no grades: nothing to contradict


def test_the_bottom_grade_with_full_pay_is_a_contradiction() -> None:
    grades = [{"label": "好", "min": 98}, {"label": "差", "max": 98}]
    (problem,) = rc.check_grade_outcome(make(grades=grades, outcomes=PAY))
    assert "a total 95 ≤ x < 98 is 差 but 100%" in problem.message


# ---- 奖扣分 and deductions beyond an item -----------------------------------------------------------------------


def test_net_max_below_min_is_an_error() -> None:
    (problem,) = rc.check_adjustment_net(make(adjustments={"min": 2, "max": 10, "net_max": 1}))
    assert (problem.path, problem.code) == (("adjustments", "net_max"), "range-order")


def test_a_rule_may_deduct_more_than_its_item_only_from_the_total() -> None:
    data = copy.deepcopy(BASE)
    data["items"][0]["rules"][0]["points"] = 45
    (problem,) = rc.check_deduction_points(make(items=data["items"]))
    assert problem.code == "points-above-max" and "deduct_from: total" in problem.message
    assert list(rc.check_deduction_points(make(items=data["items"], deduct_from="total"))) == []
    data["items"][0]["rules"][0]["points"] = 101
    (problem,) = rc.check_deduction_points(make(items=data["items"], deduct_from="total"))
    assert "more than the total 100" in problem.message


# ---- in files: located ----------------------------------------------------------------------------------------


def test_located_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("id: t\ntitle: 测试表\nperiod: month\nroles: [客服]\ntotal: 100\nstatus: adopted\n"
                    "items:\n  - {id: a, name: 考勤, max: 100, rules: [{id: r, name: 迟到, points: 2}]}\n"
                    "grades:\n  - {label: 优秀, min: 90}\n  - {label: 差, max: 90}\n"
                    "outcomes:\n  - {label: 全额, min: 95}\n  - {label: 减半, max: 95}\n", encoding="utf-8")
    rubric, problems = load_rubric(path)
    assert rubric is None
    assert [(p.line, p.column, p.code, p.level) for p in problems] == [
        (6, 9, "adoption-incomplete", "error"),
        (10, 5, "grade-outcome-conflict", "warning"),
    ]


@pytest.mark.parametrize("name", ["guanjia", "guanliyuan", "jidu", "kefu", "zhibiao", "zhongxin"])
def test_every_shipped_rubric_is_a_draft_with_its_reconstructions_as_data(name: str) -> None:
    rubric, problems = load_rubric(ROOT / "rubrics" / f"{name}.yaml")
    assert rubric is not None and problems == []  # no warning either: grades and pay agree
    assert rubric.status == "draft" and is_draft(rubric) and reconstructed_parts(rubric)
    # a reconstruction is data, never only a YAML comment
    comments = [line[line.index("#"):] for line in (ROOT / "rubrics" / f"{name}.yaml").read_text("utf-8").splitlines()
                if "#" in line]
    assert [c for c in comments if "重建" in c.replace("`reconstructed:` (重建)", "")] == []


@pytest.mark.parametrize("name", ["guanjia", "guanliyuan", "jidu", "kefu", "zhibiao", "zhongxin"])
def test_the_notes_of_shipped_rubrics_are_chinese_and_counted_in_the_readme(name: str) -> None:
    # the people who read the notes (on kpi show, explain and the last page of the forms) read Chinese
    rubric, _ = load_rubric(ROOT / "rubrics" / f"{name}.yaml")
    assert rubric is not None
    parts = reconstructed_parts(rubric)
    english = [p.note for p in parts
               if not re.search(r"[\u4e00-\u9fff]", p.note) or re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", p.note)]
    assert english == []
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"{name} {len(parts)}" in readme[readme.index("counts the reconstructed parts"):][:200]
