"""Each cross-field check on in-memory rubrics (no YAML): its problems, paths and codes."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

import pytest

from kpi_cli.rubric import checks as rc
from kpi_cli.rubric.checks import Problem
from kpi_cli.rubric.model import Rubric


def deduction(id: str, name: str, points: Any = D(2), **extra: Any) -> dict[str, Any]:
    return {"id": id, "name": name, "points": points, **extra}


def metric(id: str, scoring: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "metric", "id": id, "name": f"{id} 指标", "scoring": scoring, **extra}


BASE: dict[str, Any] = {
    "id": "baoan",
    "title": "保安员月度绩效考核表",
    "period": "month",
    "roles": ["保安员"],
    "total": D(100),
    "raters": [
        {"id": "self", "name": "自评", "weight": D("0.3")},
        {"id": "boss", "name": "直接上级", "aliases": ["上级"], "weight": D("0.7")},
    ],
    "items": [
        {"id": "kaoqin", "name": "考勤纪律", "max": D(30), "wipe_at": 3,
         "rules": [deduction("chidao", "迟到早退", aliases=["迟到"]),
                   deduction("tuogang", "脱岗", {"min": D(3), "max": D(5), "default": D(3)})]},
        {"id": "xuncha", "name": "巡逻检查", "max": D(30),
         "rules": [metric("daka", "proportional", target=D(100))]},
        {"id": "fuwu", "name": "服务态度", "max": D(40),
         "rating": {"bands": [{"label": "合格", "min": D(32), "max": D(40)},
                              {"label": "部分合格", "min": D(10), "max": D(32), "include_max": False}]}},
    ],
    "grades": [
        {"label": "优秀", "min": D(90)},
        {"label": "良好", "min": D(80), "max": D(90)},
        {"label": "不及格", "max": D(80)},
    ],
}


def make(**changes: Any) -> Rubric:
    """BASE with top-level fields replaced; ``items__1__max=D(5)`` reaches inside."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        node: Any = data
        parts = [int(p) if p.isdigit() else p for p in key.split("__")]
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return Rubric.model_validate(data)


def test_base_is_clean() -> None:
    assert rc.run_checks(make()) == []


def test_checks_are_all_listed() -> None:
    names = {name for name in dir(rc) if name.startswith("check_")}
    assert {f.__name__ for f in rc.CHECKS} == names


# --- totals ------------------------------------------------------------------------------------


def test_totals() -> None:
    assert list(rc.check_totals(make(total=D(95)))) == [Problem(
        ("total",), "item maxima add up to 100 (考勤纪律 30 + 巡逻检查 30 + 服务态度 40), not the declared total 95; "
        "correct an item's max or the total", "total-mismatch")]


def test_totals_exact_decimals() -> None:
    # 30.1 + 29.9 + 40 = 100 exactly; no float rounding anywhere
    assert list(rc.check_totals(make(items__0__max=D("30.1"), items__1__max=D("29.9")))) == []


def test_totals_per_role() -> None:
    items = copy.deepcopy(BASE["items"])
    items[1]["roles"] = ["保安员"]
    items.append({"id": "menggang", "name": "门岗登记", "max": D(25), "roles": ["门岗"],
                  "rules": [deduction("weidengji", "未登记")]})
    problems = list(rc.check_totals(make(roles=["保安员", "门岗"], items=items)))
    assert [p.message.split(" add up")[0] for p in problems] == ["item maxima for role 门岗"]
    assert "add up to 95 (考勤纪律 30 + 服务态度 40 + 门岗登记 25)" in problems[0].message


def test_totals_wait_for_unknown_roles() -> None:
    rubric = make(roles=["保安员", "门岗"], items__1__roles=["门卫"])
    assert list(rc.check_totals(rubric)) == []
    assert [p.code for p in rc.check_item_roles(rubric)] == ["unknown-role"]


def test_item_roles() -> None:
    (problem,) = rc.check_item_roles(make(items__1__roles=["保安员", "门卫"]))
    assert problem.path == ("items", 1, "roles", 1)
    assert problem.message.startswith("role '门卫' is not one of the rubric's roles (保安员)")


# --- item content ------------------------------------------------------------------------------


def test_rules_and_rating() -> None:
    (problem,) = rc.check_item_content(make(items__2__rules=[deduction("tousu", "投诉")]))
    assert (problem.path, problem.code) == (("items", 2, "rating"), "item-kind")


def test_neither_rules_nor_rating() -> None:
    (problem,) = rc.check_item_content(make(items__1__rules=[]))
    assert (problem.path, problem.code, problem.message) == (
        ("items", 1), "item-kind", "item xuncha has neither rules nor a rating")


def test_wipe_at_needs_deductions() -> None:
    (problem,) = rc.check_item_content(make(items__1__wipe_at=2))
    assert (problem.path, problem.code) == (("items", 1, "wipe_at"), "wipe-without-rules")


def test_two_metrics_setting_the_score() -> None:
    rules = [metric("a", "proportional", target=D(100)), metric("b", "bands", bands=[{"points": D(1)}]),
             metric("c", "below", threshold=D(90), points=D(5))]  # below only deducts: not counted
    (problem,) = rc.check_item_content(make(items__1__rules=rules))
    assert (problem.path, problem.code) == (("items", 1, "rules"), "metric-conflict")
    assert "has 2 proportional or band metrics" in problem.message


# --- deduction points --------------------------------------------------------------------------


def test_fixed_points_above_max() -> None:
    (problem,) = rc.check_deduction_points(make(items__0__rules__0__points=D("30.5")))
    assert problem == Problem(("items", 0, "rules", 0, "points"),
                              "rule chidao deducts 30.5 points, more than the item's maximum 30; if the form deducts "
                              "from the total (not per item), say deduct_from: total", "points-above-max")


def test_points_equal_to_max_are_fine() -> None:
    assert list(rc.check_deduction_points(make(items__0__rules__0__points=D(30)))) == []


def test_range_problems() -> None:
    rubric = make(items__0__rules__1__points={"min": D(5), "max": D(3), "default": D(4)})
    assert [(p.path[-1], p.code) for p in rc.check_deduction_points(rubric)] == [("min", "range-order")]
    rubric = make(items__0__rules__1__points={"min": D(3), "max": D(35), "default": D(2)})
    assert [(p.path[-1], p.code) for p in rc.check_deduction_points(rubric)] == [
        ("default", "range-default"), ("max", "points-above-max")]


# --- metrics -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "missing"), [
    (metric("m", "proportional"), ["target"]),
    (metric("m", "below", points=D(5)), ["threshold"]),
    (metric("m", "above", threshold=D(30)), ["points"]),
    (metric("m", "above"), ["threshold", "points"]),
    (metric("m", "bands"), ["bands"]),
])
def test_metric_incomplete(rule: dict[str, Any], missing: list[str]) -> None:
    problems = list(rc.check_metrics(make(items__1__rules=[rule])))
    assert [p.code for p in problems] == ["metric-incomplete"] * len(missing)
    assert all(p.path == ("items", 1, "rules", 0, "scoring") for p in problems)
    assert [p.message.split(":")[0] for p in problems] == [f"scoring {rule['scoring']!r} needs {m}" for m in missing]


def test_threshold_zero_is_a_threshold() -> None:
    # "any complaint costs 5 points": above 0 -- 0 was taken for "no threshold"
    rule = metric("tousu", "above", threshold=D(0), points=D(5), unit="count")
    assert list(rc.check_metrics(make(items__1__rules=[rule]))) == []


def test_target_zero() -> None:
    (problem,) = rc.check_metrics(make(items__1__rules__0__target=D(0)))
    assert (problem.path, problem.code, problem.message) == (
        ("items", 1, "rules", 0, "target"), "metric-target", "target must be above 0")


def test_metric_points_above_max() -> None:
    rule = metric("m", "below", threshold=D(95), points=D(31))
    (problem,) = rc.check_metrics(make(items__1__rules=[rule]))
    assert (problem.path, problem.code) == (("items", 1, "rules", 0, "points"), "points-above-max")


def test_metric_bands_lowest_first() -> None:
    good = [{"max": D(80), "points": D(0)}, {"min": D(80), "max": D(90), "points": D(20)},
            {"min": D(90), "points": D(30)}]
    assert list(rc.check_metrics(make(items__1__rules=[metric("m", "bands", bands=good)]))) == []
    reversed_bands = list(reversed(good))
    (problem,) = rc.check_metrics(make(items__1__rules=[metric("m", "bands", bands=reversed_bands)]))
    assert (problem.path, problem.code) == (("items", 1, "rules", 0, "bands", 1), "band-order")
    assert problem.message == "bands must be listed lowest first: band 1 comes after band 0 but is lower"
    gap = [good[0], {"min": D(85), "max": D(90), "points": D(20)}, good[2]]
    (problem,) = rc.check_metrics(make(items__1__rules=[metric("m", "bands", bands=gap)]))
    assert (problem.path, problem.code) == (("items", 1, "rules", 0, "bands", 0, "max"), "band-gap")
    assert "a value in [80, 85) has no band" in problem.message
    too_many = [good[0], good[1], {"min": D(90), "points": D(31)}]
    (problem,) = rc.check_metrics(make(items__1__rules=[metric("m", "bands", bands=too_many)]))
    assert (problem.path, problem.code) == (("items", 1, "rules", 0, "bands", 2, "points"), "points-above-max")


# --- ratings -----------------------------------------------------------------------------------


def test_rated_item_without_raters() -> None:
    (problem,) = rc.check_ratings(make(raters=[]))
    assert (problem.path, problem.code) == (("items", 2, "rating"), "no-raters")


def test_weights_must_add_up_to_exactly_one() -> None:
    (problem,) = rc.check_ratings(make(raters__1__weight=D("0.6")))
    assert (problem.path, problem.code) == (("raters",), "weights")
    assert problem.message.startswith("rater weights add up to 0.9 (0.3 + 0.6), not exactly 1")


def test_weights_in_thirds_are_not_one() -> None:
    raters = [{"id": n, "name": n, "weight": D("0.333333")} for n in ("a", "b", "c")]
    assert [p.code for p in rc.check_ratings(make(raters=raters))] == ["weights"]


def test_raters_without_rated_items_is_a_warning() -> None:
    items = copy.deepcopy(BASE["items"])
    items[2] = {"id": "fuwu", "name": "服务态度", "max": D(40), "rules": [deduction("tousu", "投诉")]}
    (problem,) = rc.check_ratings(make(items=items))
    assert (problem.code, problem.level) == ("unused-raters", "warning")


def test_rating_bands() -> None:
    bands = [{"label": "合格", "min": D(41), "max": D(40)}, {"label": "优", "min": D(38), "max": D(45)}]
    problems = list(rc.check_ratings(make(items__2__rating__bands=bands)))
    assert [(p.path, p.code) for p in problems] == [
        (("items", 2, "rating", "bands", 0, "min"), "range-order"),
        (("items", 2, "rating", "bands", 1, "max"), "points-above-max"),
    ]


# --- grade and outcome bands -------------------------------------------------------------------


def grades(*bands: tuple[int | None, int | None]) -> Rubric:
    return make(grades=[{"label": f"g{k}", "min": None if lo is None else D(lo), "max": None if hi is None else D(hi)}
                        for k, (lo, hi) in enumerate(bands)])


def codes_at(rubric: Rubric) -> list[tuple[tuple[Any, ...], str]]:
    return [(p.path, p.code) for p in rc.check_bands(rubric)]


def test_bands_fine() -> None:
    assert codes_at(grades((90, None), (80, 90), (None, 80))) == []
    assert codes_at(grades((None, None))) == []  # one band for every total
    assert codes_at(make(grades=[])) == []


def test_band_gap_is_placed_at_the_max() -> None:
    assert codes_at(grades((90, None), (80, 89), (None, 80))) == [(("grades", 1, "max"), "band-gap")]


def test_band_overlap() -> None:
    assert codes_at(grades((90, None), (80, 95), (None, 80))) == [(("grades", 0, "min"), "band-overlap")]


def test_band_without_max_in_the_middle() -> None:
    (problem,) = rc.check_bands(grades((90, None), (80, None), (None, 80)))
    assert (problem.path, problem.code) == (("grades", 1), "band-overlap")
    assert problem.message == "g1 has no max, so it overlaps g0; only the highest band leaves out its max"


def test_band_without_min_in_the_middle() -> None:
    (problem,) = rc.check_bands(grades((90, None), (None, 90), (None, 80)))
    assert (problem.path, problem.code) == (("grades", 1), "band-overlap")
    assert problem.message == "g1 has no min, so it overlaps g2; only the lowest band leaves out its min"


def test_bands_out_of_order_is_one_problem() -> None:
    (problem,) = rc.check_bands(grades((None, 80), (80, 90), (90, None)))
    assert (problem.path, problem.code) == (("grades", 1), "band-order")
    assert problem.message == "bands must be listed highest first: g1 comes after g0 but is higher"


def test_bands_shuffled() -> None:
    assert codes_at(grades((80, 90), (90, None), (None, 80))) == [(("grades", 1), "band-order")]


def test_empty_band() -> None:
    (problem,) = rc.check_bands(grades((90, None), (90, 80), (None, 80)))
    assert (problem.path, problem.code) == (("grades", 1), "band-order")
    assert problem.message == "band [90, 80) is empty: min must be below max"


def test_band_coverage_at_both_ends() -> None:
    assert codes_at(grades((90, 100), (80, 90), (0, 80))) == [
        (("grades", 2, "min"), "band-coverage"), (("grades", 0, "max"), "band-coverage")]


def test_outcomes_are_checked_too() -> None:
    rubric = make(outcomes=[{"label": "全额", "min": D(95), "pay": D(1)}, {"label": "50%", "min": D(90), "max": D(94),
                                                                          "pay": D("0.5")},
                            {"label": "0", "max": D(90), "pay": D(0)}])
    assert codes_at(rubric) == [(("outcomes", 1, "max"), "band-gap")]


# --- ids and names -----------------------------------------------------------------------------


def test_duplicate_item_id() -> None:
    (problem,) = rc.check_unique_ids(make(items__1__id="kaoqin"))
    assert (problem.path, problem.code) == (("items", 1, "id"), "duplicate-id")


def test_duplicate_rule_id_within_an_item_only() -> None:
    (problem,) = rc.check_unique_ids(make(items__0__rules__1__id="chidao"))
    assert (problem.path, problem.code) == (("items", 0, "rules", 1, "id"), "duplicate-id")
    # the same rule id in two items is not a duplicate id (the names check may still object)
    assert list(rc.check_unique_ids(make(items__1__rules__0__id="chidao"))) == []


def test_duplicate_rule_id_is_not_also_an_ambiguous_name() -> None:
    assert list(rc.check_names_resolve(make(items__0__rules__1__id="chidao"))) == []


def test_rater_names_must_differ() -> None:
    (problem,) = rc.check_unique_ids(make(raters__1__aliases=["自评"]))
    assert (problem.path, problem.code) == (("raters", 1, "aliases", 0), "duplicate-name")
    # full-width and case do not make a name different
    (problem,) = rc.check_unique_ids(make(raters__1__id="self2", raters__1__name="ＳＥＬＦ"))
    assert problem.path == ("raters", 1, "name")


def test_alias_colliding_with_another_rules_alias() -> None:
    (problem,) = rc.check_names_resolve(make(items__0__rules__1__aliases=["迟到"]))
    assert (problem.path, problem.code) == (("items", 0, "rules", 1, "aliases", 0), "ambiguous-name")
    assert problem.message == ("name '迟到' already names kaoqin.chidao; ids and aliases must each name exactly one "
                               "rule")


def test_same_alias_for_different_roles_is_fine() -> None:
    items = copy.deepcopy(BASE["items"])
    items[0]["roles"] = ["保安员"]
    items.insert(1, {"id": "kaoqin_mg", "name": "门岗考勤", "max": D(30), "roles": ["门岗"],
                     "rules": [deduction("chidao_mg", "门岗迟到", aliases=["迟到"])]})
    rubric = make(roles=["保安员", "门岗"], items=items)
    assert list(rc.check_names_resolve(rubric)) == []
    # ...but not for the same role
    items[1]["roles"] = ["门岗", "保安员"]
    problems = list(rc.check_names_resolve(make(roles=["保安员", "门岗"], items=items)))
    assert [(p.path, p.code) for p in problems] == [(("items", 1, "rules", 0, "aliases", 0), "ambiguous-name")]
    assert "for role 保安员" in problems[0].message


def test_alias_equal_to_another_rules_name() -> None:
    (problem,) = rc.check_names_resolve(make(items__0__rules__1__aliases=["迟到早退"]))
    assert (problem.path, problem.code) == (("items", 0, "rules", 1, "aliases", 0), "ambiguous-name")
    assert problem.message == "'迟到早退' is also the name of kaoqin.chidao; a log row could mean either"


def test_alias_equal_to_its_own_name_is_fine() -> None:
    assert list(rc.check_names_resolve(make(items__0__rules__0__aliases=["迟到早退", "迟到"]))) == []


def test_names_compare_normalised() -> None:
    # ＣＨＩＤＡＯ (full width, upper case) is chidao
    (problem,) = rc.check_names_resolve(make(items__0__rules__1__aliases=["ＣＨＩＤＡＯ"]))
    assert problem.code == "ambiguous-name"


def test_rated_item_and_adjustment_names_take_part() -> None:
    (problem,) = rc.check_names_resolve(make(items__0__rules__1__aliases=["fuwu"]))
    assert (problem.path, problem.code) == (("items", 2, "id"), "ambiguous-name")
    assert problem.message.startswith("name 'fuwu' already names kaoqin.tuogang")
    rubric = make(adjustments={"name": "奖扣分", "aliases": ["迟到"]})
    (problem,) = rc.check_names_resolve(rubric)
    assert (problem.path, problem.code) == (("adjustments", "aliases", 0), "ambiguous-name")


# --- adjustments -------------------------------------------------------------------------------


def test_adjustments_range() -> None:
    assert list(rc.check_adjustments(make(adjustments={"min": D(1), "max": D(10)}))) == []
    (problem,) = rc.check_adjustments(make(adjustments={"min": D(10), "max": D(1)}))
    assert (problem.path, problem.code) == (("adjustments", "min"), "range-order")
    assert list(rc.check_adjustments(make())) == []


def test_run_checks_keeps_check_order() -> None:
    rubric = make(total=D(99), raters__1__weight=D("0.6"), items__1__id="kaoqin")
    assert [p.code for p in rc.run_checks(rubric)] == ["total-mismatch", "weights", "duplicate-id"]
