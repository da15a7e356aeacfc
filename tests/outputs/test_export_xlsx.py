"""XLSX export, read back with openpyxl: sheets, header, frozen panes, widths, numbers, text never a formula."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest
from export_support import INJECTION, LOG, provenance, scored

from kpi_cli.outputs.exporters.xlsx_export import display_width, to_xlsx


@pytest.fixture(scope="module")
def data() -> bytes:
    run = scored(keep_records=True)
    return to_xlsx(run.sheet, provenance(run))


@pytest.fixture(scope="module")
def book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_three_sheets(book) -> None:
    assert book.sheetnames == ["结果", "违规情况记录", "生成信息"]
    assert book.properties.creator.startswith("kpi-cli ")
    assert book.properties.created == datetime(2026, 11, 1, 1, 5)


def test_results_sheet(book) -> None:
    ws = book["结果"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("名次", "工号", "姓名", "部门", "岗位", "考勤管理(10)", "服务质量(10)", "奖扣分", "总分", "等级",
                       "绩效结果", "绩效工资", "处理", "部门名次")
    assert rows[1] == (1, "G01", "王芳", "翠湖花园", "管家", 8, 10, 1, 19, "优秀", "发放100%", 1, None, 1)
    assert rows[2] == (2, "G03", "@张伟", "-金域华府", "管家", 10, 10, -3, 17, "合格", "发放50%", 0.5, None, 1)
    assert rows[3][:3] == (3, "G02", INJECTION)
    assert ws.freeze_panes == "D2"
    assert ws["A1"].font.b
    assert ws.auto_filter.ref == "A1:N4"
    assert ws["I2"].data_type == "n" and ws["I2"].number_format == "0.0"  # 总分 with the rubric's one decimal
    assert ws["L3"].number_format == "0%"
    assert ws["B2"].data_type == "s"  # 工号 is text, even when it looks like a number
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMN"}
    assert widths["F"] == display_width("考勤管理(10)") + 2 == 14
    assert all(6 <= w <= 48 for w in widths.values())


def test_injection_is_text_never_a_formula(book, data: bytes) -> None:
    for ws in (book["结果"], book["违规情况记录"]):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    cell = book["结果"]["C4"]
    assert cell.value == INJECTION and cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_records_sheet(book) -> None:
    ws = book["违规情况记录"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("工号", "姓名", "考核项目", "考核标准", "类型", "日期", "次数", "每次分值", "分数变动", "数值",
                       "评分人", "评分", "计算", "违规情况记录", "来源文件", "行号")
    body = [(r[0], r[2], r[3], r[4], r[5], r[6], r[8], r[13], r[15]) for r in rows[1:]]
    assert body == [
        ("G01", "考勤管理", "迟到", "扣分", datetime(2026, 10, 8), 1, -2, "8:20到岗", 2),
        ("G01", "奖扣分", None, "奖扣分", datetime(2026, 10, 21), None, 1, "业主表扬", 6),
        ("G03", "奖扣分", None, "奖扣分", datetime(2026, 10, 20), None, -3, "@未按规定上报", 5),
        ("G02", "服务质量", "有效投诉", "扣分", datetime(2026, 10, 9), 1, -4, "+业主投诉未处理", 3),
        ("G02", "考勤管理", "迟到", "扣分", datetime(2026, 10, 12), 2, -4, "=1+1", 4),
    ]
    assert all(r[14] == str(LOG) for r in rows[1:])
    assert ws["N6"].data_type == "s" and ws["N6"].quotePrefix  # "=1+1" is a note, not a sum
    assert ws["F2"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "C2"


def test_provenance_sheet(book) -> None:
    pairs = dict(book["生成信息"].iter_rows(min_row=2, values_only=True))
    assert pairs["考核 (title)"] == "管家月度考核表(导出测试) · 2026年10月"
    assert pairs["生成时间 (run at, UTC)"] == "2026-11-01T01:05:00Z"
    assert pairs["考核表 (rubric)"].startswith("mini · ")
    assert len(pairs["考核表 SHA-256"]) == 64


def test_control_characters_do_not_break_the_workbook() -> None:
    from kpi_cli.outputs.exporters.xlsx_export import _clean
    from kpi_cli.outputs.exporters.xlsx_writer import XlsxBook

    assert _clean("a\x01b") == "a\\x01b"  # shown, as on screen (outputs/safe_text.printable)
    assert _clean("\u202eevil\x9b") == "\\u202eevil\\x9b"
    buffer = io.BytesIO()
    book = XlsxBook(buffer, when=datetime(2026, 11, 1), text_filter=_clean)
    sheet = book.sheet("t")
    sheet.row(["a\x01b", "\u202eevil\x9b", "#N/A", "x\ud800y"])
    book.close(creator="test")
    row = next(openpyxl.load_workbook(buffer)["t"].iter_rows())
    assert [c.value for c in row] == ["a\\x01b", "\\u202eevil\\x9b", "#N/A", "x\ufffdy"]
    assert row[2].data_type == "s"  # text, not an error value


def test_openpyxl_is_imported_only_for_xlsx() -> None:
    import subprocess
    import sys

    code = ("import sys, kpi_cli.cli, kpi_cli.outputs.report, kpi_cli.outputs.exporters.csv_export, kpi_cli.outputs.exporters.json_export; "
            "print('openpyxl' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_written_in_pieces_as_the_same_bytes(data: bytes) -> None:
    """The report is read out of a temporary file in pieces (never whole in memory): the same workbook."""
    from kpi_cli.outputs.exporters.xlsx_export import xlsx_chunks

    run = scored(keep_records=True)
    pieces = list(xlsx_chunks(run.sheet, provenance(run), chunk=4096))
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert b"".join(pieces) == data
