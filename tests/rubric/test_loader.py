"""Loading rubric files: every class of mistake is found, placed at (line, col) and named.

Each file in tests/data/rubrics/invalid/ is the same realistic 保安员 rubric with one
mistake (its first line says which); several_*.yaml hold more than one.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kpi_cli.errors import RubricNotFound, RubricNotValid
from kpi_cli.rubric.loader import (
    available_rubrics,
    find_rubric_files,
    load_named_rubric,
    load_rubric,
    load_rubrics,
    resolve_rubric_path,
)
from kpi_cli.rubric.model import DeductionRule, MetricRule, PointRange

DATA = Path(__file__).resolve().parents[1] / "data"

VALID = DATA / "rubrics" / "valid"
INVALID = DATA / "rubrics" / "invalid"

# file stem -> every expected problem, in the order reported: (line, col, code, part of the message)
EXPECTED: dict[str, list[tuple[int, int, str, str]]] = {
    "total_mismatch": [
        (6, 8, "total-mismatch", "for role 保安员 add up to 95 (考勤纪律 30 + 巡逻检查 30 + 服务态度 35), not the declared total 100"),
        (6, 8, "total-mismatch", "for role 门岗 add up to 95 (考勤纪律 30 + 门岗登记 30 + 服务态度 35)"),
    ],
    "total_mismatch_role": [
        (6, 8, "total-mismatch", "for role 门岗 add up to 95 (考勤纪律 30 + 门岗登记 25 + 服务态度 40)"),
    ],
    # the per-role totals are not checked while a role is unknown: one mistake, one message
    "unknown_role": [(51, 13, "unknown-role", "role '门卫' is not one of the rubric's roles (保安员, 门岗)")],
    "deduction_points_zero": [(29, 17, "schema", "items[0].rules[0].points: must be more than 0, not 0")],
    "deduction_points_negative": [(29, 17, "schema", "items[0].rules[0].points: must be more than 0, not -2")],
    "points_above_max": [(42, 17, "points-above-max", "rule louxun deducts 40 points, more than the item's maximum 30")],
    "range_above_max": [(33, 31, "points-above-max", "points.max: rule tuogang deducts 35 points")],
    "range_min_above_max": [(33, 23, "range-order", "points.min: range 5-3 has min above max; swap them")],
    "range_default_outside": [(33, 43, "range-default", "points.default: default 6 is outside 3-5")],
    "wipe_at_zero": [(24, 14, "schema", "items[0].wipe_at: must be at least 1, not 0")],
    "wipe_at_without_deductions": [(60, 14, "wipe-without-rules", "remove wipe_at or add deduction rules")],
    "weights_not_one": [(10, 3, "weights", "rater weights add up to 0.9 (0.3 + 0.6), not exactly 1")],
    "rated_without_raters": [(54, 7, "no-raters", "rated items need raters: add a raters list with weights")],
    "rating_band_above_max": [(62, 37, "points-above-max", "band 合格 ends at 45, above the item's maximum 40")],
    # 80-89 written as max 89: placed at the 89, where the fix is
    "grades_gap": [(66, 31, "band-gap", "grades[1].max: gap between bands: 优秀 starts at 90 but 良好 ends at 89, "
                    "so a total in [89, 90) has no band (max is exclusive: 80-89 is min 80, max 90)")],
    "grades_overlap": [(65, 22, "band-overlap", "bands overlap: 优秀 starts at 90 but 良好 ends at 95")],
    # one message for the order, not "no band below / above" for both ends
    "grades_out_of_order": [(66, 5, "band-order", "bands must be listed highest first: 一般 comes after 不及格")],
    "grades_top_max": [(65, 31, "band-coverage", "the highest band ends at 100, so a total of 100 or more has no band")],
    "grades_bottom_min": [(68, 23, "band-coverage", "the lowest band starts at 0, so a total below it has no band")],
    "duplicate_item_id": [(34, 9, "duplicate-id", "item id 'kaoqin' is used twice (also items[0])")],
    # one message: the repeated id is not reported a second time as an ambiguous name
    "duplicate_rule_id": [(30, 13, "duplicate-id", "rule id 'chidao' is used twice in item kaoqin")],
    "alias_collision": [(41, 24, "ambiguous-name", "name '迟到' already names kaoqin.chidao for role 保安员")],
    "alias_is_other_name": [(41, 24, "ambiguous-name", "'脱岗睡岗' is also the name of kaoqin.tuogang")],
    # the misspelt key only: no second message "max: required, but missing"
    "unknown_key_typo": [(36, 5, "unknown-key", "items[1].maxx: unknown key 'maxx' (did you mean 'max'?)")],
    "unknown_key_top": [(3, 1, "unknown-key", "titel: unknown key 'titel' (did you mean 'title'?)")],
    "missing_field": [(48, 5, "missing", "items[2].name: required but missing; add 'name: ...' to items[2]")],
    "wrong_type_text": [(50, 10, "schema", "items[2].max: expected a number (like 5 or 0.5), not '三十'")],
    "bad_id_chinese": [(48, 9, "schema", "items[2].id: ids are lower-case ASCII (pinyin)")],
    "bad_id_upper": [(2, 5, "schema", "id: ids are lower-case ASCII (pinyin): letters, digits and _, starting with a "
                      "letter, not 'BaoAn'")],
    "metric_no_target": [(46, 18, "metric-incomplete", "scoring 'proportional' needs target")],
    "metric_below_no_threshold": [(46, 18, "metric-incomplete", "scoring 'below' needs threshold")],
    "rules_and_rating": [(65, 7, "item-kind", "item fuwu has both rules and a rating")],
    "adjustments_min_above_max": [(18, 8, "range-order", "adjustments.min: min 10 is above max 1")],
    "adoption_incomplete": [(7, 9, "adoption-incomplete", "status: an adopted rubric says who adopted it and when: "
                             "add adopted_by")],
    "net_max_below_min": [(20, 12, "range-order", "adjustments.net_max: net_max 1 is below min 2")],
    "period_week": [(4, 9, "schema", "period: must be 'month' or 'quarter', not 'week'")],
    "rounding_decimals": [(8, 13, "schema", "rounding.decimals: must be at most 4, not 9")],
    # rule kinds (issue 12): a rule limited to roles inside its item; raters and weights per item
    "rule_role_unknown": [(43, 17, "unknown-role", "items[1].rules[0].roles[0]: role '门卫' is not one of the "
                           "rubric's roles")],
    "rule_role_outside_item": [(43, 17, "rule-role-outside-item", "rule louxun is limited to role '门岗', but its "
                                "item xuncha applies only to 保安员")],
    "item_weights_not_one": [(60, 14, "weights", "the weights of item fuwu add up to 0.9 (boss 0.6 + self 0.3)")],
    "item_weights_unknown_rater": [(60, 34, "unknown-rater", "items[3].weights.jingli: 'jingli' is not a rater id "
                                    "(self, boss)")],
    "weights_without_rating": [(52, 14, "weights-without-rating", "item menggang is not rated")],
    # escalating points (the dearest step is placed), a proportional floor (zero_below)
    "escalate_above_max": [(56, 25, "points-above-max", "items[2].rules[0].points[2]: rule weidengji deducts 35 "
                            "points, more than the item's maximum 30")],
    "zero_below_not_proportional": [(49, 21, "metric-zero-below", "zero_below is only for scoring: proportional, "
                                     "not below")],
    "zero_below_above_target": [(48, 21, "metric-zero-below", "zero_below 96 is above the target 95")],
    # 一票否决 (vetoes) and deductions from the total
    "veto_no_effect": [(65, 5, "veto-no-effect", "vetoes[0]: veto shigu does nothing")],
    "veto_unknown_grade": [(67, 12, "unknown-label", "'不合格' is not one of the rubric's grades labels (优秀, 良好, "
                            "一般, 不及格) (did you mean '不及格'?)")],
    "total_deduction_escalating": [(67, 13, "total-deduction-kind", "total_deductions[0].points: escalating points "
                                    "are for rules inside an item")],
    "not_applicable_name_clash": [(54, 9, "ambiguous-name", "rule weidengji is called '不适用', which the log uses "
                                   "to mark item menggang not applicable")],
    # a weight on an item with its own note (重建), a rule's own wipe, department records, a veto's and an
    # item's not-applicable policy: each bad use placed at its key or value
    "item_weight_entry_typo": [(60, 33, "unknown-key", "items[3].weights.self.weigth: unknown key 'weigth' "
                                "(did you mean 'weight'?)")],
    "item_weight_entry_without_weight": [(60, 32, "missing", "items[3].weights.self.weight: required but missing")],
    "rule_wipe_at_zero": [(43, 18, "schema", "items[1].rules[0].wipe_at: must be at least 1, not 0")],
    "rule_wipe_at_on_metric": [(48, 9, "unknown-key", "items[1].rules[1].wipe_at: unknown key 'wipe_at' (wipe_at is for "
                                "deduction rules, not for a rule of kind: metric)")],
    "team_unknown_policy": [(57, 15, "schema", "items[2].rules[0].team: must be 'repeat' or 'share', not 'split'")],
    "team_on_metric": [(48, 9, "unknown-key", "items[1].rules[1].team: unknown key 'team' (team is for "
                                "deduction rules, not for a rule of kind: metric)")],
    "veto_total_above": [(69, 12, "veto-total", "vetoes[0].total: veto shigu sets the total to 120, above the "
                          "declared total 100")],
    "veto_role_unknown": [(68, 13, "unknown-role", "vetoes[0].roles[0]: role '门卫' is not one of the rubric's roles")],
    "not_applicable_unknown_policy": [(61, 21, "schema", "items[3].not_applicable: must be 'rescale' or 'full', "
                                       "not 'skip'")],
    "several_problems": [
        (10, 3, "weights", "0.3 + 0.6"),
        (34, 9, "duplicate-id", "item id 'kaoqin'"),
        (50, 5, "duplicate-key", "duplicate key 'name' (first at line 49): remove one of them"),
        (67, 31, "band-gap", "良好 ends at 89"),
    ],
    "several_schema_problems": [
        (4, 9, "schema", "not 'week'"),
        (50, 10, "schema", "not '三十'"),
        (59, 5, "unknown-key", "items[3].note: unknown key 'note'"),
    ],
}


def test_every_invalid_file_has_expectations() -> None:
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_invalid_rubric(stem: str) -> None:
    path = INVALID / f"{stem}.yaml"
    rubric, diagnostics = load_rubric(path, display=f"{stem}.yaml")
    assert rubric is None
    got = [(d.line, d.column, d.code) for d in diagnostics]
    assert got == [(line, col, code) for line, col, code, _ in EXPECTED[stem]], [d.format() for d in diagnostics]
    for d, (_, _, _, part) in zip(diagnostics, EXPECTED[stem]):
        assert part in d.message
        assert d.file == f"{stem}.yaml"
        assert d.is_error
        assert d.format().startswith(f"{stem}.yaml:{d.line}:{d.column}: ")
        assert d.format().endswith(f" ({d.code})")


def test_invalid_files_say_what_is_wrong_on_their_first_line() -> None:
    for path in INVALID.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# 保安员月度绩效考核表 with ")


# --- valid files -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(VALID.glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_rubric(path: Path) -> None:
    rubric, diagnostics = load_rubric(path)
    assert diagnostics == []
    assert rubric is not None


def test_minimal() -> None:
    rubric, _ = load_rubric(VALID / "minimal.yaml")
    assert rubric is not None
    assert (rubric.id, rubric.period, rubric.total, rubric.roles) == ("zuixiao", "month", Decimal(10), ("保安员",))
    assert rubric.rounding.decimals == 1 and rubric.adjustments is None and rubric.raters == ()
    (item,) = rubric.items
    (rule,) = item.rules
    assert isinstance(rule, DeductionRule) and rule.points == Decimal(2)


def test_full_has_every_feature() -> None:
    rubric, _ = load_rubric(VALID / "full.yaml")
    assert rubric is not None
    assert rubric.period == "quarter" and rubric.rounding.decimals == 2
    assert [r.weight for r in rubric.raters] == [Decimal("0.3"), Decimal("0.5"), Decimal("0.2")]
    assert rubric.missing_rating == "reweight"
    assert rubric.adjustments is not None and rubric.adjustments.min == Decimal("0.5")
    kaoqin = rubric.items[0]
    assert kaoqin.wipe_at == 3
    fixed, ranged, ranged_no_default = kaoqin.rules
    assert isinstance(fixed, DeductionRule) and fixed.points == Decimal(2)
    assert isinstance(ranged.points, PointRange) and ranged.points.default == Decimal(2)
    assert isinstance(ranged_no_default.points, PointRange) and ranged_no_default.points.default is None
    metrics = [r for item in rubric.items for r in item.rules if isinstance(r, MetricRule)]
    assert sorted(r.scoring for r in metrics) == ["above", "bands", "below", "proportional"]
    assert all(isinstance(v, Decimal) for r in metrics for v in (r.target, r.threshold) if v is not None)
    goutong = next(i for i in rubric.items if i.id == "goutong")
    assert goutong.rating is not None
    assert [(b.label, b.min, b.max, b.include_max) for b in goutong.rating.bands] == [
        ("合格", 9, 10, True), ("部分合格", 3, 9, False)]
    assert rubric.role_specific
    # 20 + 15 + 10 + 10 + 10 + 10 + 25 = 100 for each role (yuanqu or qiantai)
    assert [i.id for i in rubric.items_for("园区客服")] == [
        "kaoqin", "shoufei", "xiangying", "manyidu", "yuanqu", "goutong", "yewu"]
    assert [i.id for i in rubric.items_for("前台客服")] == [
        "kaoqin", "shoufei", "xiangying", "manyidu", "qiantai", "goutong", "yewu"]
    assert [g.label for g in rubric.grades] == ["优秀", "良好", "一般", "不及格"]
    assert rubric.outcomes[-1].action == "由人力资源部给予调岗或开除"
    assert rubric.outcomes[1].pay == Decimal("0.5")


# --- single problems written inline ------------------------------------------------------------

BASE = (INVALID.parent / "valid" / "minimal.yaml").read_text(encoding="utf-8")


def _load_text(tmp_path: Path, text: str):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rubric(path, display="r.yaml")


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert BASE.count(old) == 1
    rubric, diagnostics = _load_text(tmp_path, BASE.replace(old, new))
    assert rubric is None or not any(d.is_error for d in diagnostics)
    return [d.format() for d in diagnostics]


def test_minimal_text_is_as_expected() -> None:
    # the inline cases below edit these lines
    assert "    max: 10\n" in BASE and "        points: 2\n" in BASE and "period: month\n" in BASE


def test_range_without_max_names_the_missing_key_only(tmp_path: Path) -> None:
    assert _problems(tmp_path, "points: 2", "points: {min: 1}") == [
        "r.yaml:14:17: items[0].rules[0].points.max: required but missing; add 'max: ...' to "
        "items[0].rules[0].points (missing)"]


def test_points_neither_number_nor_range(tmp_path: Path) -> None:
    assert _problems(tmp_path, "points: 2", "points: true") == [
        "r.yaml:14:17: items[0].rules[0].points: expected a number or a range like {min: 1, max: 3} or a list of "
        "escalating points like [1, 2, 5], not true (schema)"]


def test_escalating_points_need_two_figures(tmp_path: Path) -> None:
    assert _problems(tmp_path, "points: 2", "points: [1]") == [
        "r.yaml:14:17: items[0].rules[0].points: must list at least 2 entries, not 1 (schema)"]
    assert _problems(tmp_path, "points: 2", "points: [1, 0]") == [
        "r.yaml:14:21: items[0].rules[0].points[1]: must be more than 0, not 0 (schema)"]


def test_misspelt_range_key(tmp_path: Path) -> None:
    assert _problems(tmp_path, "points: 2", "points: {min: 1, max: 2, dflt: 1}") == [
        "r.yaml:14:34: items[0].rules[0].points.dflt: unknown key 'dflt' (did you mean 'default'?) (unknown-key)"]


def test_misspelt_kind(tmp_path: Path) -> None:
    assert _problems(tmp_path, "        points: 2\n", "        points: 2\n        kind: deducton\n") == [
        "r.yaml:15:15: items[0].rules[0].kind: kind must be 'deduction' (the default) or 'metric', not 'deducton' "
        "(schema)"]


def test_unknown_key_suggests_only_keys_of_its_own_kind(tmp_path: Path) -> None:
    # 'colour' is nothing like a rule's keys: no wild guess from other parts of the format
    assert _problems(tmp_path, "        points: 2\n", "        points: 2\n        colour: red\n") == [
        "r.yaml:15:9: items[0].rules[0].colour: unknown key 'colour' (unknown-key)"]


def test_roles_as_a_single_text(tmp_path: Path) -> None:
    assert _problems(tmp_path, "roles: [保安员]", "roles: 保安员") == [
        "r.yaml:5:8: roles: expected a list, like [a, b] or one '- ' line per entry, not '保安员' (schema)"]


def test_empty_items(tmp_path: Path) -> None:
    text = BASE[: BASE.index("items:")] + "items: []\n"
    rubric, diagnostics = _load_text(tmp_path, text)
    assert rubric is None
    assert [d.format() for d in diagnostics] == ["r.yaml:7:8: items: must list at least 1 entry, but is empty (schema)"]


def test_a_number_out_of_bounds_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # 1e999999999 is text to YAML 1.1, a Decimal to pydantic; adding two of them overflowed
    text = BASE.replace("total: 10", "total: 1e999999999").replace("max: 10", "max: 1e999999999")
    rubric, diagnostics = _load_text(tmp_path, text)
    assert rubric is None
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(6, 8, "schema"), (10, 10, "schema")]
    assert "total: must be at most 1000000000, not '1e999999999'" in diagnostics[0].message


def test_too_many_decimal_places(tmp_path: Path) -> None:
    assert _problems(tmp_path, "points: 2", "points: 0.1234567") == [
        "r.yaml:14:17: items[0].rules[0].points: at most 6 decimal places, not 0.1234567 (schema)"]


def test_a_value_refused_by_the_yaml_reader_is_reported_once(tmp_path: Path) -> None:
    assert _problems(tmp_path, "max: 10", "max: 0x0A") == [
        "r.yaml:10:10: '0x0A': write whole numbers in plain decimal digits (number)"]
    assert _problems(tmp_path, "max: 10", "max: !!python/object/apply:os.system [echo]") == [
        "r.yaml:10:10: tag '!!python/object/apply:os.system' is not allowed; rubrics hold plain values only (tag)"]


def test_a_quoted_number_is_read_as_the_number(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(BASE.replace("points: 2", "points: '2.5'"), encoding="utf-8")
    rubric, diagnostics = load_rubric(path)
    assert diagnostics == [] and rubric is not None
    assert rubric.items[0].rules[0].points == Decimal("2.5")


def test_a_whole_file_refused_tag_is_not_also_called_not_a_mapping(tmp_path: Path) -> None:
    rubric, diagnostics = _load_text(tmp_path, "!!python/object/apply:os.system [echo hi]\n")
    assert rubric is None
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(1, 1, "tag")]


@pytest.mark.parametrize(("text", "line", "what"), [
    ("- id: a\n- id: b\n", 1, "not a list"),
    ("# a comment first\n\njust a title\n", 3, "not a single text"),
    ("42\n", 1, "not a number"),
    ("3.5\n", 1, "not a number"),
    ("true\n", 1, "not true/false"),
    ("~\n", 1, "not nothing"),
])
def test_not_a_mapping(tmp_path: Path, text: str, line: int, what: str) -> None:
    rubric, diagnostics = _load_text(tmp_path, text)
    assert rubric is None
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(line, 1, "not-a-mapping")]
    assert diagnostics[0].message.startswith("a rubric must be a mapping of keys (id: ..., title: ..., items: ...)")
    assert diagnostics[0].message.endswith(what)


def test_empty_file_through_load_rubric(tmp_path: Path) -> None:
    rubric, diagnostics = _load_text(tmp_path, "# only a comment\n")
    assert rubric is None
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(1, 1, "empty")]


def test_unreadable_path_is_an_io_error(tmp_path: Path) -> None:
    rubric, diagnostics = load_rubric(tmp_path)  # a folder cannot be read as a file
    assert rubric is None
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(0, 0, "io-error")]


def test_a_warning_does_not_make_a_rubric_invalid(tmp_path: Path) -> None:
    text = BASE.replace("items:", "raters:\n  - {id: boss, name: 上级, weight: 1}\nitems:")
    rubric, diagnostics = _load_text(tmp_path, text)
    assert rubric is not None
    assert [(d.line, d.column, d.code, d.level) for d in diagnostics] == [(8, 3, "unused-raters", "warning")]


# --- folders -----------------------------------------------------------------------------------


def test_find_rubric_files(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.yml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    files, problems = find_rubric_files([tmp_path, tmp_path / "b.yaml", tmp_path / "missing.yaml"])
    assert files == [tmp_path / "b.yaml", tmp_path / "sub" / "a.yml"]  # sorted, each once
    assert [(d.file, d.code, d.level) for d in problems] == [(str(tmp_path / "missing.yaml"), "not-found", "error")]


def test_find_rubric_files_in_an_empty_folder(tmp_path: Path) -> None:
    files, problems = find_rubric_files([tmp_path])
    assert files == []
    assert [(d.code, d.level) for d in problems] == [("no-rubrics", "warning")]


def test_duplicate_rubric_ids_across_files(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(BASE, encoding="utf-8")
    loaded, problems = load_rubrics([tmp_path])
    assert problems == []
    assert [(Path(r.path).name, r.rubric is not None) for r in loaded] == [("a.yaml", True), ("b.yaml", False)]
    (d,) = loaded[1].diagnostics
    assert (d.line, d.column, d.code) == (2, 5, "duplicate-rubric")
    assert d.message == f"id: rubric id 'zuixiao' is already used by {tmp_path / 'a.yaml'}"


def test_resolve_rubric_path(tmp_path: Path) -> None:
    (tmp_path / "baoan.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "other.yml").write_text(BASE, encoding="utf-8")
    assert resolve_rubric_path("baoan", tmp_path) == tmp_path / "baoan.yaml"
    assert resolve_rubric_path("other", tmp_path) == tmp_path / "other.yml"
    assert resolve_rubric_path(str(tmp_path / "baoan.yaml"), "elsewhere") == tmp_path / "baoan.yaml"
    assert resolve_rubric_path("nobody", tmp_path) is None
    assert resolve_rubric_path(str(tmp_path / "nobody.yaml"), tmp_path) is None
    assert available_rubrics(tmp_path) == ["baoan", "other"]
    assert available_rubrics(tmp_path / "nowhere") == []


def test_load_named_rubric(tmp_path: Path) -> None:
    (tmp_path / "zuixiao.yaml").write_bytes((VALID / "minimal.yaml").read_bytes())
    path, rubric = load_named_rubric("zuixiao", tmp_path)
    assert (path, rubric.id) == (tmp_path / "zuixiao.yaml", "zuixiao")
    assert load_named_rubric(str(VALID / "minimal.yaml"), "elsewhere")[0] == VALID / "minimal.yaml"
    with pytest.raises(RubricNotFound) as caught:
        load_named_rubric("nobody", tmp_path)
    assert str(caught.value) == f"no rubric 'nobody': not a file, and not in {tmp_path}/ (found: zuixiao)"
    bad = INVALID / "total_mismatch.yaml"
    with pytest.raises(RubricNotValid) as caught:
        load_named_rubric(str(bad))
    assert caught.value.path == bad and str(caught.value) == f"rubric {bad} is not valid; run: kpi validate {bad}"
    assert caught.value.diagnostics == tuple(load_rubric(bad)[1])
