"""Header matching: English or Chinese, case, spaces, BOM, full-width forms; what is missing or unknown."""

from __future__ import annotations

import pytest

from kpi_cli.inputs.columns import LOG_COLUMNS, ROSTER_COLUMNS, header_diagnostics, header_key, map_header

CHINESE = ["工号", "日期", "考核项目", "次数", "扣分", "数值", "评分人", "评分", "备注", "记录人"]
ENGLISH = ["employee", "date", "rule", "count", "points", "value", "rater", "score", "note", "recorded_by"]


def test_the_template_headers_in_chinese_and_english() -> None:
    for header in (CHINESE, ENGLISH):
        mapped = map_header(header, LOG_COLUMNS)
        assert mapped.positions == {name: i for i, name in enumerate(ENGLISH)}
        assert (mapped.missing, mapped.unknown, mapped.duplicated) == ((), (), ())


@pytest.mark.parametrize("heading", ["\ufeff工号", " 工号 ", "工 号", "工号*", "工号（必填）", "工号(必填)", "Employee",
                                     "EMPLOYEE", "ｅｍｐｌｏｙｅｅ", "Employee ID", "employee_id", "employee-id",
                                     "员工编号", "工号\n"])
def test_a_heading_matches_whatever_the_form(heading: str) -> None:
    assert map_header([heading, "日期", "考核项目"], LOG_COLUMNS).positions["employee"] == 0


@pytest.mark.parametrize(("heading", "name"), [("扣分(分)", "points"), ("次数（次）", "count"), ("日期[yyyy-mm-dd]", "date"),
                                               ("Recorded By", "recorded_by"), ("评分人级别", "rater"),
                                               ("完成值", "value"), ("违规情况记录", "note")])
def test_aliases_and_units_in_headings(heading: str, name: str) -> None:
    assert name in map_header(["工号", "日期", "考核项目", heading], LOG_COLUMNS).positions


def test_header_key() -> None:
    assert header_key("\ufeffＲｅｃｏｒｄｅｄ＿ｂｙ ") == header_key("recorded by") == "recordedby"


def test_missing_unknown_duplicated_with_positions() -> None:
    mapped = map_header(["工号", "", "考核项目", "次数", "Employee", "班组", "", "联系电话", ""], LOG_COLUMNS)
    assert mapped.missing == ("日期 (date)",)
    assert mapped.unknown == ("班组", "联系电话") and mapped.unknown_at == (5, 7)
    assert mapped.duplicated == ("Employee",) and mapped.duplicated_at == (4,)
    assert mapped.found == ("工号", "考核项目", "次数", "Employee", "班组", "联系电话")


def test_header_diagnostics_in_a_csv_file() -> None:
    mapped = map_header(["工号", "考核项目", "班组", "考核项目"], LOG_COLUMNS)
    assert [d.format() for d in header_diagnostics(mapped, "log.csv", 1)] == [
        "log.csv:1: missing column 日期 (date); found: 工号, 考核项目, 班组, 考核项目 (missing-column)",
        "log.csv:1: column given twice: 考核项目; keep one (duplicate-column)",
        f"log.csv:1:3: unknown column 班组: {KNOWN}; rename it, or list it under ignore_columns in the rubric "
        "to leave it out (unknown-column)",
    ]


def test_header_diagnostics_in_a_workbook_point_at_the_cell() -> None:
    mapped = map_header(["工号", "日期", "考核项目", "班组", "联系电话", "日期"], LOG_COLUMNS)
    assert [d.format() for d in header_diagnostics(mapped, "log.xlsx", 3, "10月")] == [
        "log.xlsx:10月!F3: column given twice: 日期; keep one (duplicate-column)",
        f"log.xlsx:10月!D3: unknown column 班组: {KNOWN}; rename it, or list it under ignore_columns in the rubric "
        "to leave it out (unknown-column)",
        f"log.xlsx:10月!E3: unknown column 联系电话: {KNOWN}; rename it, or list it under ignore_columns in the "
        "rubric to leave it out (unknown-column)",
    ]


KNOWN = "a log's columns are 工号, 日期, 考核项目, 次数, 扣分, 数值, 评分人, 评分, 备注, 记录人"


@pytest.mark.parametrize(("heading", "meant"), [
    ("发生次数", "次数 (count)"), ("扣分值", "扣分 (points)"), ("考核项", "考核项目 (rule)"),
    ("评分人员", "评分人 (rater)"), ("备注说明", "备注 (note)"), ("Employe", "工号 (employee)"),
])
def test_an_unknown_log_column_is_an_error_with_did_you_mean(heading: str, meant: str) -> None:
    mapped = map_header(["工号", "日期", "考核项目", heading], LOG_COLUMNS)
    [problem] = header_diagnostics(mapped, "log.csv", 1)
    assert problem.is_error and problem.code == "unknown-column" and problem.column == 4
    assert problem.message == (f"unknown column {heading}: did you mean {meant}? {KNOWN}; rename it, or list it "
                               "under ignore_columns in the rubric to leave it out")


def test_columns_to_ignore_are_left_out_silently() -> None:
    mapped = map_header(["工号", "日期", "考核项目", "发生次数", " 登记 时间 "], LOG_COLUMNS, ignore=["发生次数", "登记时间"])
    assert mapped.unknown == () and mapped.ignored == ("发生次数", "登记 时间")
    assert "count" not in mapped.positions
    assert header_diagnostics(mapped, "log.csv", 1) == []


def test_a_roster_may_carry_other_columns_but_not_misspelt_ones() -> None:
    mapped = map_header(["工号", "姓名", "岗位", "电话", "所在部门"], ROSTER_COLUMNS)
    problems = header_diagnostics(mapped, "r.csv", 1, roster=True)
    assert [(d.level, d.column, d.code) for d in problems] == [("error", 5, "unknown-column"),
                                                                ("warning", 0, "unknown-column")]
    assert problems[0].message.startswith("unknown column 所在部门: did you mean 部门 (department)? the roster's "
                                          "columns are 工号, 姓名, 部门, 岗位")
    assert problems[1].message == "ignored column 电话 (not used by kpi)"


def test_no_known_column_at_all_hints_at_the_header_row() -> None:
    mapped = map_header(["翠湖花园2026年10月违规情况记录"], LOG_COLUMNS)
    assert header_diagnostics(mapped, "log.csv", 1)[0].message == (
        "missing column 工号 (employee), 日期 (date), 考核项目 (rule); found: 翠湖花园2026年10月违规情况记录; "
        "the header must be the first non-empty row")


def test_roster_headers() -> None:
    mapped = map_header(["ID", "Name", "Dept", "Position"], ROSTER_COLUMNS)
    assert mapped.positions == {"id": 0, "name": 1, "department": 2, "role": 3}
    assert map_header(["工号", "姓名"], ROSTER_COLUMNS).missing == ("岗位 (role)",)


def test_a_header_of_thousands_of_unknown_headings_is_said_in_a_few_lines() -> None:
    """Red team (issue 11, bombs): 50,000 unknown headings (440 KB) cost a did-you-mean and a line each: 9 s of
    CPU; the first 20 are named, then one line says how many more."""
    from kpi_cli.inputs.columns import MAX_HEADINGS_SHOWN, ROSTER_COLUMNS

    header = map_header(["工号", "日期", "考核项目", *(f"列{i}" for i in range(5000))], LOG_COLUMNS)
    problems = header_diagnostics(header, "log.csv", 1)
    assert len(problems) == MAX_HEADINGS_SHOWN + 1 and all(p.code == "unknown-column" for p in problems)
    assert problems[-1].message == "... and 4980 more unknown columns" and problems[-1].column == 24
    roster = map_header(["工号", "姓名", "部门", "岗位", *(f"部门{i}" for i in range(5000))], ROSTER_COLUMNS)
    said = header_diagnostics(roster, "roster.csv", 1, roster=True)
    assert len(said) == MAX_HEADINGS_SHOWN + 1
    assert said[-1].level == "warning" and said[-1].message.endswith(" and 4960 more (not used by kpi)")
