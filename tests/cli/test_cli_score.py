"""`kpi score`, `kpi explain` and `kpi template` on the shipped examples and small fixtures."""

from __future__ import annotations

import re

import csv

import pytest
from rich.cells import cell_len

ROSTER = "examples/roster.csv"
BAD_ROWS = "tests/data/cli_score/guanjia-bad-rows.csv"
TWO_MONTHS = "tests/data/cli_score/guanjia-two-months.csv"

# (rubric, log, [(工号, 姓名, 总分)...]) — the totals are worked out by hand in tests/engine/test_golden.py; the
# screen shows them with the rubric's decimals (保留一位小数: 85.0, not 85)
EXAMPLES = [
    ("guanjia", "examples/guanjia-2026-10.csv",
     [("000101", "王芳", "99.8"), ("000108", "黄晓燕", "95.2"), ("000102", "李娜", "94.5"), ("000105", "陈静", "92.5"),
      ("000106", "杨磊", "85.7"), ("000104", "刘洋", "85.0"), ("000107", "赵敏", "76.0"), ("000103", "张伟", "54.6")]),
    ("kefu", "examples/kefu-2026-10.csv",
     [("000201", "周婷", "98.0"), ("2205", "马晓丽", "96.0"), ("2206", "朱琳", "92.0"), ("000202", "吴刚", "84.0"),
      ("000203", "徐丽", "76.0"), ("000204", "孙浩", "63.0")]),
    ("guanliyuan", "examples/guanliyuan-2026-10.csv",
     [("000301", "胡建国", "88.2"), ("000302", "郭梅", "73.7"), ("000303", "何志强", "58.9")]),
    ("zhongxin", "examples/zhongxin-2026-10.csv",
     [("U04", "金域华府客服处", "97.6"), ("U02", "金域华府客户服务中心", "97.0"), ("U01", "翠湖花园客户服务中心", "89.8"),
      ("U03", "翠湖花园客服处", "85.0"), ("U06", "金域华府环境处", "75.0"), ("U05", "翠湖花园环境处", "62.0")]),
    ("zhibiao", "examples/zhibiao-2026-10.csv",
     [("000101", "王芳", "100.0"), ("000108", "黄晓燕", "99.2"), ("000102", "李娜", "94.3"), ("000104", "刘洋", "92.3"),
      ("000106", "杨磊", "86.0"), ("000105", "陈静", "76.0"), ("000107", "赵敏", "67.0"), ("000103", "张伟", "58.0")]),
    ("jidu", "examples/jidu-2026Q3.csv",
     [("000101", "王芳", "94.0"), ("000106", "杨磊", "82.8"), ("000104", "刘洋", "78.0"), ("000108", "黄晓燕", "53.1")]),
]


def table_rows(stdout: str) -> dict[str, list[str]]:
    """The body rows of a rich table, by 工号 (second cell); continuation lines are skipped."""
    rows: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0]:
            rows[cells[1]] = cells
    return rows


@pytest.mark.parametrize(("rubric", "log", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_score_each_example(invoke, rubric: str, log: str, expected: list[tuple[str, str, str]]) -> None:
    result = invoke("score", log, "--rubric", rubric, "--roster", ROSTER)
    assert result.exit_code == 0, result.stderr
    assert "总分" in result.stdout
    rows = table_rows(result.stdout)
    assert list(rows) == [ident for ident, _, _ in expected]  # best first
    for rank, (ident, name, total) in enumerate(expected, start=1):
        cells = rows[ident]
        assert cells[2] == name
        assert total in cells
        assert cells[0] == str(rank)
    assert f"人数 {len(expected)}" in result.stdout
    assert "in error 0" in result.stderr


def test_score_guanjia_grades_and_outcomes(invoke) -> None:
    result = invoke("score", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster", ROSTER)
    assert "优秀" not in result.stdout and "等级" not in result.stdout  # no grades: the form has none
    assert "发放100% 2  发放50% 2  发放0% 2" in result.stdout
    assert "rows read 52: used 52, outside the period 0, in error 0" in result.stderr
    assert "16 roster members are in roles rubric guanjia does not cover; not scored" in result.stderr


def test_score_kefu_compact_fits_80_columns(invoke) -> None:
    result = invoke("score", "examples/kefu-2026-10.csv", "--rubric", "kefu", "--roster", ROSTER,
                    env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert max(cell_len(line) for line in lines) <= 80
    assert "失分项" in result.stdout  # the compact layout: only the items that lost points
    assert "孙浩" in result.stdout and "63" in result.stdout


def test_score_full_layout_has_a_column_per_item(invoke) -> None:
    result = invoke("score", "examples/jidu-2026Q3.csv", "--rubric", "jidu", "--roster", ROSTER, "--layout", "full",
                    env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "名次" in line)
    for name in ("服务态度", "服务效率", "服务质量", "客户满意", "工作完成", "团队合作", "总分", "等级"):
        assert name in header
    assert "奖扣" not in header  # jidu allows no 奖扣分
    assert table_rows(result.stdout)["000108"][4:10] == ["12.6", "11.325", "11.6", "0", "10.4", "7.2"]


def test_explain_prints_records_rounding_and_distance(invoke) -> None:
    result = invoke("explain", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster", ROSTER,
                    "--employee", "000103")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "被考核人: 张伟 (000103) · 部门: 翠湖花园项目部 · 岗位: 管家" in out
    for line in (4, 10, 18, 25, 37, 38):
        assert f"(examples/guanjia-2026-10.csv:{line})" in out
    assert "3 起 ≥ 3 起: 当月发生3起以上, 该分值全扣 → 0" in out
    assert "管理费收缴率: 96% is below 98%: −20" in out
    assert "加权 【重建】: 10×0.625 + 9×0.375 = 9.625" in out  # the rater weights are reconstructed
    assert "缺少 物业经理 的评分: 权重按其余评分人重新分配" in out
    assert "奖扣分 -3 【重建】: 违建未按规定上报造成整改延误  (examples/guanjia-2026-10.csv:21)" in out
    assert "合计: 各项 57.625 − 奖扣 3 【重建】 = 54.625; 保留1位小数 (四舍五入) → 总分 54.6" in out
    # a draft says so at the top, and marks each reconstructed item
    assert "draft · 21 reconstructed parts (marked 【重建】, listed by kpi show guanjia)" in out  # --lang zh: 草案 ·
    assert "客户接待与投诉处理 【重建】" in out and "档案管理 【重建】" not in out
    assert "等级:" not in out  # guanjia has no grades
    assert "绩效工资发放 0%; 距 发放0% (≥80) 还差 25.4 分" in out


def test_explain_distance_to_the_next_pay_band(invoke) -> None:
    result = invoke("explain", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster", ROSTER,
                    "--employee", "000102")
    assert result.exit_code == 0, result.stderr
    # nothing added or taken, nothing rounded: no "各项 94.5 = 94.5", no rounding step that changes nothing
    assert "合计: 各项 94.5 → 总分 94.5" in result.stdout
    assert "绩效结果: 发放50% (90 ≤ x < 95), 绩效工资发放 50%; 距 发放100% (≥95) 还差 0.5 分" in result.stdout


def test_explain_a_floored_item_and_a_range_rule(invoke) -> None:
    result = invoke("explain", "examples/zhongxin-2026-10.csv", "--rubric", "zhongxin", "--roster", ROSTER,
                    "--employee", "U06")
    assert result.exit_code == 0, result.stderr
    assert "扣完为止 → 0" in result.stdout
    assert "weifan_liucheng" not in result.stdout  # records are shown by the rule's name
    assert "违反工作流程、不按岗位职责做事 ×3 −6" in result.stdout


def test_explain_unknown_employee(invoke) -> None:
    result = invoke("explain", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster", ROSTER,
                    "--employee", "000201")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "000201 was not scored" in result.stderr


def test_bad_rows_exit_1_without_a_table(invoke) -> None:
    result = invoke("score", BAD_ROWS, "--rubric", "guanjia", "--roster", ROSTER)
    assert result.exit_code == 1
    assert "总分" not in result.stdout
    assert result.stdout == ""
    assert f"{BAD_ROWS}:2: unknown rule '迟道' (did you mean '迟到'?) (unknown-rule)" in result.stderr
    assert f"{BAD_ROWS}:3: '2026-02-30' is not a real date (2026-02-30 does not exist) (bad-date)" in result.stderr
    assert f"{BAD_ROWS}:4: count '1.5' is not a whole number (bad-count)" in result.stderr
    assert "rows read 4: used 1, outside the period 0, in error 3" in result.stderr
    assert "no partial results are shown" in result.stderr


def test_period_filter_counts_rows_outside(invoke) -> None:
    result = invoke("score", TWO_MONTHS, "--rubric", "guanjia", "--roster", ROSTER, "--period", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert "rows read 55: used 52, outside the period 3, in error 0" in result.stderr
    assert table_rows(result.stdout)["000101"][0] == "1"
    assert "99.8" in table_rows(result.stdout)["000101"]


def test_two_months_without_period_exit_1(invoke) -> None:
    result = invoke("score", TWO_MONTHS, "--rubric", "guanjia", "--roster", ROSTER)
    assert result.exit_code == 1
    assert "总分" not in result.stdout
    assert (f"{TWO_MONTHS}: the log covers several periods (2026-10, 2026-11); choose one with --period "
            "(several-periods)") in result.stderr


def test_template_writes_two_files_with_chinese_headers(invoke, tmp_path) -> None:
    result = invoke("template", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    log = tmp_path / "log-template.csv"
    roster = tmp_path / "roster-template.csv"
    assert log.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    with open(log, encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == ["工号", "日期", "考核项目", "次数", "扣分", "数值", "评分人", "评分", "备注",
                                        "记录人"]
    with open(roster, encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh))[:4] == ["工号", "姓名", "部门", "岗位"]
    again = invoke("template", str(tmp_path))
    assert again.exit_code == 1
    assert "already exists; use --force to overwrite" in again.stderr



@pytest.mark.parametrize(("employee", "next_band"), [
    ("000104", "距 发放50% (≥90) 还差 5 分"),  # 85 is in 发放0% (80 ≤ x < 90): 90 − 85 = 5
    ("000103", "距 发放0% (≥80) 还差"),  # below 80 (调岗或开除): the band just above starts at 80
])
def test_explain_the_next_band_up_is_the_one_just_above_the_total(invoke, employee: str, next_band: str) -> None:
    result = invoke("--lang", "zh", "explain", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster",
                    ROSTER, "--employee", employee)
    assert result.exit_code == 0, result.stderr
    assert next_band in " ".join(result.stdout.split("\n"))
