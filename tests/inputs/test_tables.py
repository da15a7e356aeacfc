"""Reading tables: formats, encodings, line numbers, streaming, Excel cells, the --errors file."""

from __future__ import annotations

import codecs
import csv
import tracemalloc
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import make_xlsx
from kpi_cli.inputs import csv_table, tables, xlsx_cells
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.inputs.tables import open_table
from kpi_cli.outputs.errors_csv import write_errors_csv

HEADER = "工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注,记录人"
ROW = "000101,2026-10-03,迟到,1,,,,,8:25到岗,邓丽华"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_xlsx().build_all(tmp_path_factory.mktemp("xlsx"))


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def read(path: Path, **options: object) -> tuple[list[str], list[tuple[int, list[str]]], list[str], int]:
    table, problems = open_table(path, **options)  # type: ignore[arg-type]
    assert table is not None, [d.format() for d in problems]
    rows = list(table.rows)
    return table.header, rows, [d.format() for d in problems + table.problems], table.rejected


def problems_of(path: Path, **options: str) -> list[str]:
    table, problems = open_table(path, **options)
    assert table is None
    return [d.format() for d in problems]


# ------------------------------------------------------------------------------------------------ encodings

TEXT = f"{HEADER}\r\n{ROW}\r\n000102,2026年10月12日,旷工,,,,,,\"当日未到岗，\r\n未请假\",邓丽华\r\n"


@pytest.mark.parametrize(("name", "data", "encoding"), [
    ("utf8.csv", TEXT.encode("utf-8"), "utf-8"),
    ("bom.csv", TEXT.encode("utf-8-sig"), "utf-8-sig"),
    ("gbk.csv", TEXT.encode("gbk"), "gb18030"),
    ("gb18030.csv", TEXT.encode("gb18030"), "gb18030"),
    ("unicode.txt", TEXT.replace(",", "\t").encode("utf-16"), "utf-16"),
    ("unicode.tsv", TEXT.replace(",", "\t").encode("utf-16"), "utf-16"),
    ("unicode-be.txt", codecs.BOM_UTF16_BE + TEXT.replace(",", "\t").encode("utf-16-be"), "utf-16"),
    ("unicode-as.csv", TEXT.replace(",", "\t").encode("utf-16"), "utf-16"),  # Unicode 文本 renamed .csv
])
def test_every_encoding_reads_the_same_rows(tmp_path: Path, name: str, data: bytes, encoding: str) -> None:
    path = write(tmp_path, name, data)
    table, problems = open_table(path, multiline_cells=True)
    assert table is not None and problems == []
    assert table.encoding == encoding
    assert table.header == HEADER.split(",")
    assert list(table.rows) == [
        (2, ROW.split(",")),
        (3, ["000102", "2026年10月12日", "旷工", "", "", "", "", "", "当日未到岗，\r\n未请假", "邓丽华"]),
    ]
    assert (table.lines, table.joined, table.rejected) == (3, 1, 0)
    # without the option, the cell that spans lines 3-4 is refused, both lines counted
    table, _ = open_table(path)
    assert table is not None and list(table.rows) == [(2, ROW.split(","))]
    assert [(d.line, d.column, d.code) for d in table.problems] == [(3, 9, "multiline-cell")]
    assert "opens on line 3 and ends on line 4" in table.problems[0].message
    assert (table.lines, table.joined, table.rejected) == (3, 0, 2)


def test_utf8_is_tried_before_gb18030(tmp_path: Path) -> None:
    data = "工号,姓名\n000101,王芳\n".encode()
    assert data.decode("gb18030") != data.decode("utf-8")  # UTF-8 bytes decode as GB18030 nonsense, silently
    header, rows, problems, _ = read(write(tmp_path, "r.csv", data))
    assert header == ["工号", "姓名"] and rows == [(2, ["000101", "王芳"])] and problems == []


def test_a_forced_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "gbk.csv", TEXT.encode("gbk"))
    assert read(path, encoding="gbk")[0] == HEADER.split(",")
    assert problems_of(path, encoding="utf-8") == [
        f"{path}:1: cannot decode the file as UTF-8 (given by --encoding): byte 0xB9 at line 1, byte offset 0; "
        "give the right --encoding or save it as CSV UTF-8 (encoding)"]
    assert problems_of(path, encoding="klingon") == [
        f"{path}: unknown encoding 'klingon': use utf-8, gb18030 or utf-16 (bad-encoding)"]


def test_forced_utf8_strips_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", TEXT.encode("utf-8-sig"))
    assert read(path, encoding="UTF8")[0][0] == "工号"


def test_neither_utf8_nor_gb18030_names_line_and_offset(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n".encode() + b"000101,2026-10-04,caf\xe9\xff,1\n"
    path = write(tmp_path, "x.csv", data)
    offset = len(f"{HEADER}\n{ROW}\n".encode()) + len(b"000101,2026-10-04,caf")
    [message] = problems_of(path)
    assert message.startswith(f"{path}:3: cannot decode the file: not UTF-8 (byte 0xE9 at line 3, byte offset "
                              f"{offset}) nor GB18030 (at line 1, byte offset ")
    assert message.endswith("save it from Excel as CSV UTF-8 (逗号分隔) or give --encoding (encoding)")


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
def test_decoding_across_chunk_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(csv_table, "CHUNK", chunk)
    good = write(tmp_path, "good.csv", TEXT.encode("utf-8"))
    assert read(good)[1][0] == (2, ROW.split(","))
    prefix = f"{HEADER}\r\n{ROW}\r\n\r\n".encode()
    bad = write(tmp_path, "bad.csv", prefix + "王".encode()[:2] + b",x\n")
    [message] = problems_of(bad)
    assert f"not UTF-8 (byte 0xE7 at line 4, byte offset {len(prefix)})" in message  # 王 cut after 2 of 3 bytes


def test_line_numbers_count_cr_lf_and_lone_cr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_table, "CHUNK", 3)  # a CR LF split between two chunks is one line break
    data = b"a,b\r\nc,d\re,f\ng,h\r\n\xff\n"
    assert csv_table._line_at(write(tmp_path, "l.csv", data), len(data) - 2, "utf-8") == 5


def test_a_nul_byte(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n".encode() + b"000101,\x00\n"
    path = write(tmp_path, "nul.csv", data)
    assert problems_of(path) == [
        f"{path}:3: NUL byte at byte offset {len(data) - 2}: this is not a UTF-8 or GB18030 text file (UTF-16 "
        "or UTF-32 without a byte-order mark? a binary file?); save it from Excel as CSV UTF-8 (逗号分隔) or give --encoding "
        "(encoding)"]


def test_utf16_needs_its_byte_order_mark_or_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "u.txt", TEXT.replace(",", "\t").encode("utf-16-le"))
    assert "NUL byte at byte offset 5" in problems_of(path)[0]  # 工号 decode as GB18030; the comma's 0x00 does not
    assert read(path, encoding="utf-16-le")[0] == HEADER.split(",")
    assert "the file does not start with a byte-order mark (BOM) at line 1, byte offset 0" in problems_of(path, encoding="utf-16")[0]


# ------------------------------------------------------------------------------------------------ CSV shape

def test_blank_lines_trailing_columns_and_line_endings(tmp_path: Path) -> None:
    # lines: 1 empty, 2 spaces, 3 header, 4 row (CR), 5 empty (CR LF), 6 empty cells, 7 row (CR), 8-9 row
    data = (f"\r\n  \r\n{HEADER},,\r\n{ROW},,\r\r\n,,,\n{ROW}\r" + '000102,2026-10-05,"迟\n到",1\n').encode()
    table, _ = open_table(write(tmp_path, "b.csv", data))
    assert table is not None and table.header_line == 3
    header, rows, problems, rejected = read(write(tmp_path, "b.csv", data), multiline_cells=True)
    assert header == HEADER.split(",") + ["", ""]
    assert rows == [(4, ROW.split(",") + ["", ""]), (7, ROW.split(",")),
                    (8, ["000102", "2026-10-05", "迟\n到", "1"])]
    assert problems == [] and rejected == 0


def test_a_tsv_file(tmp_path: Path) -> None:
    header, rows, _, _ = read(write(tmp_path, "t.tsv", "工号\t备注\n000101\t有,逗号\n".encode()))
    assert header == ["工号", "备注"] and rows == [(2, ["000101", "有,逗号"])]


def test_unicode_text_named_csv_after_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "u.csv", "\r\n\t\r\n工号\t备注\r\n000101\t有,逗号\r\n".encode("utf-16"))
    header, rows, _, _ = read(path)
    assert header == ["工号", "备注"] and rows == [(4, ["000101", "有,逗号"])]


def test_malformed_rows_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    data = f'{HEADER}\n{ROW}\n000101,x,"8:25"到岗,1\n{ROW}\n000101,"never closed\n{ROW}\n'.encode()
    path = write(tmp_path, "m.csv", data)
    _, rows, problems, rejected = read(path)
    assert [line for line, _ in rows] == [2, 4]
    assert problems == [
        f'{path}:3: malformed quoting: text after the closing quote of a cell; quote the whole cell and double each '
        'quote inside it ("") (csv)',
        f"{path}:5: a quoted cell that starts on this row is never closed: the file ends inside quotes (csv)",
    ]
    assert rejected == 3  # line 3, and lines 5-6 (the cell never closed took line 6 into it)


def test_a_cell_longer_than_excel_allows(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n000101,2026-10-04,迟到,1,,,,,{'长' * 40_000},x\n{ROW}\n".encode()
    path = write(tmp_path, "long.csv", data)
    _, rows, problems, rejected = read(path)
    assert [line for line, _ in rows] == [2, 4] and rejected == 1
    assert problems == [f"{path}:3: a cell is longer than 32,767 characters, the most a cell can hold (a quote left "
                        "open?) (csv)"]


def test_excel_errors_and_values_without_heading_refuse_the_row(tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW}\n000101,#N/A,迟到,#VALUE!\n{ROW},,迟到5分钟\n{ROW},,  \n".encode()
    path = write(tmp_path, "e.csv", data)
    _, rows, problems, rejected = read(path)
    assert [line for line, _ in rows] == [2, 5] and rejected == 2
    assert problems == [
        f"{path}:3:2: #N/A is an Excel error value, not a value: fix the formula in this cell or type the value "
        "(excel-error)",
        f"{path}:3:4: #VALUE! is an Excel error value, not a value: fix the formula in this cell or type the value "
        "(excel-error)",
        f"{path}:4:12: '迟到5分钟' is in column L, which has no heading (the header has 10 columns; a comma inside a "
        "cell that is not quoted?) (no-heading)",
    ]


def test_rows_are_streamed_not_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_table, "CHUNK", 1 << 16)  # the encoding check reads the file a chunk at a time
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\n")
        for i in range(100_000):
            fh.write(f"000{i % 900 + 100},2026-10-{i % 28 + 1:02d},迟到,1,,,,,备注{i},邓丽华\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        table, _ = open_table(path)
        assert table is not None
        count = sum(1 for _ in table.rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_000
    assert peak < size / 4  # a list of the rows would take several times the file's size


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.csv", b"", "file is empty: no header row (empty)"),
    ("blank.csv", b"\r\n \r\n,,\n", "file is empty: no header row (empty)"),
    ("zip.csv", b"PK\x03\x04rest", "this is an Excel workbook (.xlsx), not a text file: rename it to .xlsx "
                                   "(file-format)"),
    ("ole.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8),
     "this is an Excel 97-2003 workbook (.xls) or a password-protected workbook, not a text file: save it from "
     "Excel as CSV UTF-8 (逗号分隔) (file-format)"),
    ("old.xls", b"x", "an Excel 97-2003 workbook (.xls) cannot be read: save it as an Excel workbook (.xlsx) or as "
                      "CSV UTF-8 (逗号分隔) (file-format)"),
    ("log.json", b"[]", "cannot read a .json file: give a .csv, .tsv or .xlsx file (file-format)"),
    ("log", b"a", "cannot read a file without an extension: give a .csv, .tsv or .xlsx file (file-format)"),
])
def test_files_that_are_not_tables(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = write(tmp_path, name, data)
    assert problems_of(path) == [f"{path}: {message}"]


def test_a_missing_file_and_a_folder_are_io_errors(tmp_path: Path) -> None:
    for path in (tmp_path / "nope.csv", tmp_path / "nope.xlsx"):
        [problem] = open_table(path)[1]
        assert problem.code == "io-error" and "no such file or folder" in problem.message
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    assert open_table(folder)[1][0].code == "io-error"


def test_sheet_is_ignored_with_a_warning_for_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", f"{HEADER}\n{ROW}\n".encode())
    table, problems = open_table(path, sheet="记录")
    assert table is not None
    assert [d.format() for d in problems] == [f"{path}: warning: --sheet 记录 ignored: {path} is not a workbook "
                                              "(sheet-ignored)"]


# ------------------------------------------------------------------------------------------------ XLSX

def test_a_workbook_reads_as_its_csv(books: dict[str, Path]) -> None:
    header, rows, problems, rejected = read(books["month"])
    assert header == HEADER.split(",")
    assert problems == [] and rejected == 0
    assert rows[:4] == [
        (2, ["000101", "2026-10-03", "迟到", "1", "", "", "", "", '8:25到岗, 见"考勤表"', "邓丽华"]),
        (3, ["000101", "2026/10/9", "用语不规范", "2", "1.5", "", "", "", "接听电话\n未使用标准用语", "邓丽华"]),
        (4, ["000102", "2026年10月12日", "旷工", "", "", "", "", "", "当日未到岗", "邓丽华"]),
        (6, ["000103", "2026-10-20", "迟到", "１", "", "", "", "", "", "邓丽华"]),  # row 5 is blank
    ]
    assert [row[5] for _, row in rows[4:7]] == ["96%", "90", "95.5%"]  # percent cells, as Excel shows them
    assert rows[8] == (11, ["000101", "2026-10-31", "服务态度", "", "", "", "直接上级", "26.5"])


def test_the_sheet_by_name(books: dict[str, Path]) -> None:
    for name in ("花名册", " 花名册 "):
        header, rows, _, _ = read(books["month"], sheet=name)
        assert header == ["工号", "姓名", "部门", "岗位"]
        assert rows[2] == (4, ["000103", "张伟", "金域华府", "客服员"])  # 103 in a 000000-formatted cell
    path = books["month"]
    assert problems_of(path, sheet="11月") == [
        f"{path}: no sheet '11月' in the workbook; its sheets: 10月记录, 花名册 (no-sheet)"]


def test_dates_in_the_formats_chinese_excel_stores_by_number(books: dict[str, Path]) -> None:
    # numFmtId 31 = yyyy"年"m"月"d"日", 58 = m"月"d"日": openpyxl alone reads them as the numbers 46298, 46299
    assert [row[:2] for _, row in read(books["chinese_dates"])[1]] == [["000101", "2026-10-03"],
                                                                       ["000101", "2026-10-04"]]


def test_formulas_with_and_without_their_values(books: dict[str, Path]) -> None:
    assert read(books["calculated"])[1] == [(2, ["000101", "2026-10-03", "迟到", "2"])]  # =1+1 and ="" (empty)
    path = books["formula"]
    _, rows, problems, rejected = read(path)
    assert [line for line, _ in rows] == [2] and rejected == 1
    assert problems == [f"{path}:10月记录!D3: the formula =1+1 has never been calculated (the file was not saved by "
                        "Excel): open the file in Excel and save it, or type the value (formula)"]


def test_error_values_long_numbers_and_cells_without_heading(books: dict[str, Path]) -> None:
    expected = {
        "error_value": "10月记录!F3: #N/A is an Excel error value, not a value: fix the formula in this cell or type "
                       "the value (excel-error)",
        "long_number": "10月记录!A3: 1.23456789012346e+17 has more than 15 digits: Excel keeps only 15, so its last "
                       "digits are already lost; format the column as text (文本) and type it again (long-number)",
        "no_heading": "10月记录!L3: '迟到5分钟' is in a column without a heading: give the column a heading or clear "
                      "the cell (no-heading)",
    }
    for name, message in expected.items():
        path = books[name]
        _, rows, problems, rejected = read(path)
        assert [line for line, _ in rows] == [2] and rejected == 1
        assert problems == [f"{path}:{message}"]


@pytest.mark.parametrize(("name", "message"), [
    ("truncated", "cannot read the workbook, it is damaged or incomplete (File is not a zip file): open it in Excel "
                  "and save it again (file-format)"),
    ("empty_sheet", "sheet 空白 is empty: no header row (empty)"),
])
def test_workbooks_that_cannot_be_read(books: dict[str, Path], name: str, message: str) -> None:
    assert problems_of(books[name]) == [f"{books[name]}: {message}"]


@pytest.mark.parametrize(("data", "message"), [
    (f"{HEADER}\n{ROW}\n".encode(), "this is a text file (CSV?) with an .xlsx name, not an Excel workbook: rename "
                                    "it to .csv (file-format)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "this is an Excel 97-2003 workbook (.xls) or a password-"
     "protected workbook: save it as an Excel workbook (.xlsx) without a password (file-format)"),
    (b"\x00\x01\x02\xff", "not an Excel workbook (.xlsx): save it from Excel as an Excel workbook (file-format)"),
    (b"", "file is empty: not an Excel workbook (empty)"),
])
def test_files_named_xlsx_that_are_not_workbooks(tmp_path: Path, data: bytes, message: str) -> None:
    path = write(tmp_path, "log.xlsx", data)
    assert problems_of(path) == [f"{path}: {message}"]


def cell(value: object, number_format: str = "General", data_type: str = "n") -> SimpleNamespace:
    return SimpleNamespace(value=value, number_format=number_format, data_type=data_type)


@pytest.mark.parametrize(("value", "number_format", "text"), [
    (None, "General", ""),
    ("000123", "@", "000123"),
    (123, "General", "123"),
    (123, "000000", "000123"),
    (3.0, "General", "3"),
    (123.0, "000000", "000123"),
    (1.5, "General", "1.5"),
    (0.1 + 0.2, "General", "0.3"),  # the 15 digits Excel keeps
    (1e-05, "General", "0.00001"),
    (0.96, "0%", "96%"),
    (0.955, "0.0%", "95.5%"),
    (1, "0%", "100%"),
    (True, "General", "TRUE"),
    (False, "General", "FALSE"),
    (datetime(2026, 10, 3), "yyyy/m/d", "2026-10-03"),
    (datetime(2026, 10, 3, 14, 30, 5, 123), "yyyy/m/d h:mm", "2026-10-03 14:30:05"),
    (date(2026, 10, 3), "yyyy/m/d", "2026-10-03"),
    (time(8, 25), "h:mm", "08:25:00"),
    (123456789012345, "General", "123456789012345"),
    (123456789012345678, "General", "123456789012345678"),  # an int stored exactly stays exact
])
def test_cell_text(value: object, number_format: str, text: str) -> None:
    assert xlsx_cells.cell_text(cell(value, number_format), None) == text


@pytest.mark.parametrize(("value", "code"), [(float("nan"), "bad-number"), (float("inf"), "bad-number"),
                                             (1e15, "long-number"), (-1.2e20, "long-number")])
def test_cell_text_refused(value: float, code: str) -> None:
    result = xlsx_cells.cell_text(cell(value), None)
    assert isinstance(result, tuple) and result[1] == code


def test_cell_text_of_formulas_and_errors() -> None:
    assert xlsx_cells.cell_text(cell("#DIV/0!", data_type="e"), None)[1] == "excel-error"  # type: ignore[index]
    assert xlsx_cells.cell_text(cell(None), "=A1*2")[1] == "formula"  # type: ignore[index]
    assert xlsx_cells.cell_text(cell(None, data_type="str"), '=IF(A1,"","x")') == ""  # a formula giving empty text
    assert xlsx_cells.cell_text(cell(2), "=1+1") == "2"


# ------------------------------------------------------------------------------------------------ --errors FILE

def test_write_errors_csv(tmp_path: Path) -> None:
    path = tmp_path / "errors.csv"
    diagnostics = [Diagnostic("log.xlsx", 7, 2, "'2026-02-30' is not a real date", "bad-date", sheet="10月"),
                   Diagnostic("log.csv", 1, 0, "ignored unknown column 班组", "unknown-column", "warning")]
    assert write_errors_csv(path, diagnostics) is None
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert list(csv.reader(data.decode("utf-8-sig").splitlines())) == [
        ["file", "line", "column", "sheet", "level", "code", "message"],
        ["log.xlsx", "7", "2", "10月", "error", "bad-date", "'2026-02-30' is not a real date"],
        ["log.csv", "1", "0", "", "warning", "unknown-column", "ignored unknown column 班组"],
    ]
    problem = write_errors_csv(tmp_path / "no" / "such" / "dir.csv", diagnostics)
    assert problem is not None and problem.code == "io-error"


def test_estimate_lines(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(b"a,b\n1,2\n3,4\n5,6\n")  # 16 bytes, 4 lines: all of it is the sample
    assert tables.estimate_lines(log) == 4
    assert tables.estimate_lines(log, min_bytes=17) is None  # too small for a progress bar
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 9 + b"\n" + b"y" * ((1 << 20) - 10) + b"z" * (1 << 20))
    assert tables.estimate_lines(big) == 2  # 1 line in the first MiB, 2 MiB in all
    assert tables.estimate_lines(tmp_path / "log.xlsx") is None  # no lines to count in a workbook
    assert tables.estimate_lines(tmp_path / "missing.csv") is None
    (tmp_path / "empty.csv").write_bytes(b"")
    assert tables.estimate_lines(tmp_path / "empty.csv") == 1
