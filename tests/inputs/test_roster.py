"""The roster: read from CSV or a workbook sheet, 工号 kept as text, every bad row located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import DATA, make_xlsx
from kpi_cli.inputs.roster import load_roster


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def formatted(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [d.format() for d in problems]


def test_the_test_roster() -> None:
    subjects, problems = load_roster(DATA / "input" / "roster.csv")
    assert problems == []
    assert [(s.id, s.name, s.department, s.role, s.line) for s in subjects] == [
        ("000101", "王芳", "翠湖花园", "管家", 2), ("000102", "李娜", "翠湖花园", "管家", 3),
        ("000103", "张伟", "金域华府", "客服员", 4)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_any_encoding_and_full_width_ids(tmp_path: Path, encoding: str) -> None:
    text = "ID,Name,Dept,Position\r\n０００１０１, 王芳 ,翠湖花园,管家\r\n"
    subjects, problems = load_roster(write(tmp_path, "r.csv", text, encoding))
    assert problems == [] and [(s.id, s.name) for s in subjects] == [("000101", "王芳")]


def test_every_bad_row_is_reported_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "工号,姓名,部门,岗位,电话\n000101,王芳,翠湖花园,管家,1\n000102,,翠湖花园,\n"
                                    "000103,#N/A,金域华府,客服员\n000101,王芳,翠湖花园,管家\n,张伟,,客服员\n")
    subjects, problems = load_roster(path)
    assert [s.id for s in subjects] == ["000101"]
    assert formatted(problems) == [
        f"{path}:1: warning: ignored column 电话 (not used by kpi) (unknown-column)",
        f"{path}:3: roster row has no 姓名, 岗位 (missing-cell)",
        f"{path}:4:2: #N/A is an Excel error value, not a value: fix the formula in this cell or type the value "
        "(excel-error)",
        f"{path}:5: 工号 000101 is already on the roster at line 2 (duplicate-employee)",
        f"{path}:6: roster row has no 工号 (missing-cell)",
    ]


def test_missing_and_duplicated_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "工号,姓名,部门\n000101,王芳,翠湖花园\n")
    assert formatted(load_roster(path)[1]) == [
        f"{path}:1: missing column 岗位 (role); found: 工号, 姓名, 部门 (missing-column)"]
    path = write(tmp_path, "d.csv", "工号,姓名,岗位,职位\n000101,王芳,管家,管家\n")
    subjects, problems = load_roster(path)
    assert subjects == []
    assert formatted(problems) == [f"{path}:1: column given twice: 职位; keep one (duplicate-column)"]


def test_a_roster_sheet_in_a_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "记录"
    ws = book.create_sheet("花名册")
    for row in (["工号", "姓名", "部门", "岗位"], [101, "王芳", "翠湖花园", "管家"], ["000102", None, "翠湖花园", "管家"],
                ["000101", "王芳", "翠湖花园", "管家"]):
        ws.append(row)
    ws["A2"].number_format = "000000"
    path = tmp_path / "book.xlsx"
    book.save(path)
    subjects, problems = load_roster(path, sheet="花名册")
    assert [(s.id, s.line) for s in subjects] == [("000101", 2)]
    assert formatted(problems) == [
        f"{path}:花名册!B3: roster row has no 姓名 (missing-cell)",
        f"{path}:花名册!A4: 工号 000101 is already on the roster at row 2 (duplicate-employee)",
    ]
    assert formatted(load_roster(path)[1]) == [  # the first sheet is the empty 记录
        f"{path}: sheet 记录 is empty: no header row (empty)"]


def test_the_workbook_fixture_roster(tmp_path: Path) -> None:
    path = make_xlsx().month(tmp_path / "month.xlsx")
    subjects, problems = load_roster(path, sheet="花名册")
    assert problems == []
    assert [s.id for s in subjects] == ["000101", "000102", "000103"]


def test_a_roster_that_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    subjects, problems = load_roster(path)
    assert subjects == [] and [d.code for d in problems] == ["io-error"]


def test_pay_base_column_exact_and_located(tmp_path: Path) -> None:
    """绩效工资基数 (or an alias) is read as an exact Decimal; a bad one is located at its cell and the row is
    left out, like any bad roster row."""
    path = write(tmp_path, "r.csv", "工号,姓名,部门,岗位,绩效工资(元)\n"
                                    "K1,王芳,翠湖,管家,6666.67\nK2,李娜,翠湖,管家,\nK3,张伟,翠湖,管家,￥3000\n"
                                    "K4,赵敏,翠湖,管家,-5\nK5,钱进,翠湖,管家,\"1,000\"\nK6,孙丽,翠湖,管家,2500.555\n"
                                    "K7,周强,翠湖,管家,#N/A\n")
    subjects, problems = load_roster(path)
    assert [(s.id, s.pay_base) for s in subjects] == [("K1", Decimal("6666.67")), ("K2", None),
                                                      ("K3", Decimal("3000"))]
    assert formatted(problems) == [
        f"{path}:5:5: 绩效工资基数: '-5' is negative: an amount is 0 or more (bad-pay-base)",
        f"{path}:6:5: 绩效工资基数: '1,000' is not a number: write it without thousands separators (bad-pay-base)",
        f"{path}:7:5: 绩效工资基数: '2500.555' has more than 2 decimals: an amount is in 元 to the 分 (0.01) "
        "(bad-pay-base)",
        f"{path}:8:5: #N/A is an Excel error value, not a value: fix the formula in this cell or type the value "
        "(excel-error)",
    ]


def test_a_roster_heading_the_message_says_to_ignore_can_be_ignored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The unknown-column message says "list it under ignore_columns in the rubric": the roster honours it too
    (it said "(in the rubric or kpi.toml)", and neither was read for a roster)."""
    from kpi_cli.inputs.roster import load_roster

    path = tmp_path / "roster.csv"
    path.write_text("工号,姓名,部门,岗位,部门编号\n000101,王芳,翠湖花园,管家,A1\n", encoding="utf-8")
    members, problems = load_roster(path)
    assert [p.code for p in problems if p.is_error] == ["unknown-column"], problems
    assert "ignore_columns in the rubric" in problems[0].message
    members, problems = load_roster(path, ignore_columns=["部门编号"])
    assert [m.id for m in members] == ["000101"] and not [p for p in problems if p.is_error]
