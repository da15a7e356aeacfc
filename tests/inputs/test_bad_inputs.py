"""The corpus of bad inputs: every one gets its located message, exit code 1 and no traceback.

Each case runs ``kpi check FILE --rubric tests/data/input/rubric.yaml --roster tests/data/input/roster.csv``
and compares every diagnostic printed about FILE, in order, with the expected ones (``{f}`` is the file).
The files are under ``tests/data/bad/``; the workbooks and the 10 MB cell are built at test time (``@name``).
Property tests then feed random bytes, random rows and damaged workbooks, which must never raise.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import ROOT, make_xlsx
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

BAD = "tests/data/bad"
RUBRIC = "tests/data/input/rubric.yaml"
ROSTER = "tests/data/input/roster.csv"
MONTH = "tests/data/input/month.csv"
HEADER = "工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注,记录人"
ROW = "000101,2026-10-03,迟到,1,,,,,8:25到岗,邓丽华"
EXCEL_ERROR = "is an Excel error value, not a value: fix the formula in this cell or type the value (excel-error)"
SAVE_AS = "save it from Excel as CSV UTF-8 (逗号分隔) or give --encoding (encoding)"

# (file, extra arguments, every diagnostic about the file, in order)
CASES: list[tuple[str, tuple[str, ...], list[str]]] = [
    # --- the file as a whole
    ("empty.csv", (), ["{f}: file is empty: no header row (empty)"]),
    ("blank_lines_only.csv", (), ["{f}: file is empty: no header row (empty)"]),
    ("header_only.csv", (), ["{f}: the log has no records, so its period is unknown; give --period (no-period)"]),
    ("log.json", (), ["{f}: cannot read a .json file: give a .csv, .tsv or .xlsx file (file-format)"]),
    ("old_format.xls", (), ["{f}: an Excel 97-2003 workbook (.xls) cannot be read: save it as an Excel workbook "
                            "(.xlsx) or as CSV UTF-8 (逗号分隔) (file-format)"]),
    ("text_named.xlsx", (), ["{f}: this is a text file (CSV?) with an .xlsx name, not an Excel workbook: rename it "
                             "to .csv (file-format)"]),
    ("@workbook_named.csv", (), ["{f}: this is an Excel workbook (.xlsx), not a text file: rename it to .xlsx "
                                 "(file-format)"]),
    ("@truncated.xlsx", (), ["{f}: cannot read the workbook, it is damaged or incomplete (File is not a zip file): "
                             "open it in Excel and save it again (file-format)"]),
    ("@empty_sheet.xlsx", (), ["{f}: sheet 空白 is empty: no header row (empty)"]),
    ("@month.xlsx", ("--sheet", "11月"), ["{f}: no sheet '11月' in the workbook; its sheets: 10月记录, 花名册 "
                                         "(no-sheet)"]),
    # --- encodings
    ("latin1.csv", (), ["{f}:2: cannot decode the file: not UTF-8 (byte 0xE9 at line 2, byte offset 116) nor "
                        "GB18030 (at line 1, byte offset 45); " + SAVE_AS]),
    ("utf16_no_bom.csv", (), ["{f}:1: NUL byte at byte offset 5: this is not a UTF-8 or GB18030 text file (UTF-16 "
                              "or UTF-32 without a byte-order mark? a binary file?); " + SAVE_AS]),
    ("nul_byte.csv", (), ["{f}:3: NUL byte at byte offset 152: this is not a UTF-8 or GB18030 text file (UTF-16 "
                          "or UTF-32 without a byte-order mark? a binary file?); " + SAVE_AS]),
    ("utf16_truncated.txt", (), ["{f}:3: cannot decode the file as UTF-16 (as its byte-order mark says): the file "
                                 "ends inside a character at line 3, byte offset 150; give the right --encoding or "
                                 "save it as CSV UTF-8 (encoding)"]),
    ("gbk_forced_utf8.csv", ("--encoding", "utf-8"), [
        "{f}:1: cannot decode the file as UTF-8 (given by --encoding): byte 0xB9 at line 1, byte offset 0; give the "
        "right --encoding or save it as CSV UTF-8 (encoding)"]),
    # --- CSV structure
    ("malformed_quote.csv", (), ['{f}:3: malformed quoting: text after the closing quote of a cell; quote the whole '
                                 'cell and double each quote inside it ("") (csv)']),
    ("unclosed_quote.csv", (), ["{f}:3: a quoted cell that starts on this row is never closed: the file ends inside "
                                "quotes (csv)"]),
    ("unquoted_comma.csv", (), ["{f}:2:11: '邓丽华' is in column K, which has no heading (the header has 10 columns; "
                                "a comma inside a cell that is not quoted?) (no-heading)"]),
    ("@huge_field.csv", (), ["{f}:3: this line is longer than 1,048,576 characters: not a log (a quote left open? a "
                             "file of one long line?); reading stops here, the lines from here on are not read "
                             "(line-too-long)"]),
    ("mixed_line_endings.csv", (), [
        "{f}:4:9: a cell opens on line 4 and ends on line 5, taking 1 more line into it (a quote left open?): close "
        'the quote, or double a quote inside a cell (""); if the line breaks are meant, give --multiline-cells '
        "(multiline-cell)",
        "{f}:6: unknown rule '早退' (unknown-rule)"]),
    ("mixed_line_endings.csv", ("--multiline-cells",), ["{f}:6: unknown rule '早退' (unknown-rule)"]),
    # --- headers
    ("duplicated_header.csv", (), ["{f}:1: column given twice: 日期; keep one (duplicate-column)"]),
    ("missing_columns.csv", (), ["{f}:1: missing column 日期 (date); found: 工号, 考核项目, 次数 (missing-column)"]),
    ("title_row.csv", (), [
        "{f}:1: missing column 工号 (employee), 日期 (date), 考核项目 (rule); found: 翠湖花园2026年10月违规情况记录; the "
        "header must be the first non-empty row (missing-column)"]),
    ("@missing_column.xlsx", (), ["{f}:10月记录!1: missing column 日期 (date); found: 工号, 考核项目, 次数 "
                                  "(missing-column)"]),
    # --- who and what
    ("unknown_rule.csv", (), ["{f}:3: unknown rule '早退' (unknown-rule)"]),
    ("rule_missing.csv", (), ["{f}:2: no 考核项目 (rule) given (missing-cell)"]),
    ("unknown_employee.csv", (), ["{f}:3: unknown employee '000999': not on the roster (unknown-employee)"]),
    ("lost_zeros.csv", (), ["{f}:2: unknown employee '101': not on the roster (did you mean '000101'? Excel drops "
                            "the leading zeros of numbers: format the 工号 column as text (文本) and type them again) "
                            "(unknown-employee)"]),
    ("@unknown_employee.xlsx", (), ["{f}:10月记录!A3: unknown employee '000999': not on the roster "
                                    "(unknown-employee)"]),
    ("unknown_rater.csv", (), ["{f}:2: unknown rater '经理'; the raters are 自评, 直接上级 (unknown-rater)"]),
    # --- counts and points
    ("count_zero.csv", (), ["{f}:2: count '0' must be at least 1 (bad-count)"]),
    ("count_negative.csv", (), ["{f}:2: count '-2' must be at least 1 (bad-count)"]),
    ("count_fraction.csv", (), ["{f}:2: count '1.5' is not a whole number (bad-count)"]),
    ("count_text.csv", (), ["{f}:2: count '两次' is not a whole number (bad-count)"]),
    ("points_nan.csv", (), ["{f}:2: 'NaN' is not a number (NaN and infinity are not values) (bad-points)"]),
    ("points_1e309.csv", (), ["{f}:2: '1e309' is not a plain number: write it without an exponent (bad-points)"]),
    ("points_out_of_range.csv", (), ["{f}:2: 5 points is outside 1-3 for 用语不规范 (points-out-of-range)"]),
    ("points_fixed_rule.csv", (), ["{f}:2: 迟到 costs 2 points per occurrence, not 3; leave 扣分 empty or write 2 "
                                   "(bad-points)"]),
    ("adjustment_no_reason.csv", (), ["{f}:2: 奖扣分 needs a reason in 备注 (note) (missing-reason)"]),
    ("adjustment_too_big.csv", (), ["{f}:2: 奖扣分 of +15 is outside the allowed 1-10 points (either sign) "
                                    "(bad-points)"]),
    ("score_out_of_range.csv", (), ["{f}:2: rating 35 is outside 0-30, the range of 服务态度 (bad-score)"]),
    ("score_thousands.csv", (), ["{f}:2: '1,000' is not a number: write it without thousands separators "
                                 "(bad-score)"]),
    # --- values and rates
    ("value_inf.csv", (), ["{f}:2: 'inf' is not a number (NaN and infinity are not values) (bad-value)"]),
    ("value_on_deduction.csv", (), ["{f}:2: a 数值 (value) is only for metric rules; 劳动纪律 / 迟到 is not a metric "
                                    "(value-not-allowed)"]),
    ("rate_fraction.csv", (), ["{f}:2: '0.96' is ambiguous: write a rate in percent, as 96 or 96% (bad-value)"]),
    ("@rate_fraction.xlsx", (), ["{f}:10月记录!F2: '0.96' is ambiguous: write a rate in percent, as 96 or 96% "
                                 "(bad-value)"]),
    ("rate_over_100.csv", (), ["{f}:2: rate '120%' is outside 0-100% (bad-value)"]),
    ("rate_negative.csv", (), ["{f}:2: rate '-5%' is outside 0-100% (bad-value)"]),
    # --- dates
    ("date_feb30.csv", (), ["{f}:2: '2026-02-30' is not a real date (2026-02-30 does not exist) (bad-date)"]),
    ("@bad_date.xlsx", (), ["{f}:10月记录!B3: '2026-02-30' is not a real date (2026-02-30 does not exist) "
                            "(bad-date)"]),
    ("date_text.csv", (), ["{f}:2: '10月3日' is not a date; write it as 2026-10-03 (bad-date)"]),
    ("date_serial.csv", (), ["{f}:2: '46298' is not a date: it looks like an Excel date serial number; format the "
                             "cell as a date (yyyy-mm-dd) (bad-date)"]),
    ("date_missing.csv", (), ["{f}:2: no 日期 (date) given (missing-cell)"]),
    ("@merged_date.xlsx", (), ["{f}:10月记录!B3: no 日期 (date) given (missing-cell)"]),
    ("dates_out_of_period.csv", (), ["{f}: the log covers several periods (2026-09, 2026-10); choose one with "
                                     "--period (several-periods)"]),
    # --- Excel cells
    ("excel_na.csv", (), ["{f}:2:6: #N/A " + EXCEL_ERROR]),
    ("excel_div0.csv", (), ["{f}:2:8: #DIV/0! " + EXCEL_ERROR]),
    ("@error_value.xlsx", (), ["{f}:10月记录!F3: #N/A " + EXCEL_ERROR]),
    ("@formula.xlsx", (), ["{f}:10月记录!D3: the formula =1+1 has never been calculated (the file was not saved by "
                           "Excel): open the file in Excel and save it, or type the value (formula)"]),
    ("@long_number.xlsx", (), ["{f}:10月记录!A3: 1.23456789012346e+17 has more than 15 digits: Excel keeps only 15, "
                               "so its last digits are already lost; format the column as text (文本) and type it "
                               "again (long-number)"]),
    ("@no_heading.xlsx", (), ["{f}:10月记录!L3: '迟到5分钟' is in a column without a heading: give the column a "
                              "heading or clear the cell (no-heading)"]),
    # --- every problem of a row
    ("several_problems.csv", (), [
        "{f}:3: unknown employee '000999': not on the roster (unknown-employee)",
        "{f}:3: '2026-13-01' is not a real date (2026-13-01 does not exist) (bad-date)",
        "{f}:3: count '0' must be at least 1 (bad-count)"]),
    # --- rosters (the log is the good month)
    ("roster_missing_role.csv", ("--roster",), ["{f}:1: missing column 岗位 (role); found: 工号, 姓名, 部门 "
                                                "(missing-column)"]),
    ("roster_duplicate.csv", ("--roster",), ["{f}:5: 工号 000101 is already on the roster at line 2 "
                                             "(duplicate-employee)"]),
    ("roster_missing_name.csv", ("--roster",), ["{f}:5: roster row has no 姓名 (missing-cell)"]),
    # --- issue 11: rows swallowed by a stray quote (every line counted: see test_multiline_cells.py)
    ("stray_quote_swallows_rows.csv", (), [
        "{f}:5:9: a cell opens on line 5 and ends on line 12, taking 7 more lines into it (a quote left open?): "
        'close the quote, or double a quote inside a cell (""); if the line breaks are meant, give '
        "--multiline-cells (multiline-cell)"]),
    ("stray_quote.tsv", (), [
        "{f}:2:9: a cell opens on line 2 and ends on line 4, taking 2 more lines into it (a quote left open?): "
        'close the quote, or double a quote inside a cell (""); if the line breaks are meant, give '
        "--multiline-cells (multiline-cell)"]),
    # --- issue 11: columns never ignored silently
    ("blank_heading_with_data.csv", (), ["{f}:3:4: '3' is in column D, which has no heading (its heading is blank: "
                                         "give the column a heading, or clear the cell) (no-heading)"]),
    ("unknown_column_count.csv", (), [
        "{f}:1:4: unknown column 发生次数: did you mean 次数 (count)? a log's columns are 工号, 日期, 考核项目, 次数, "
        "扣分, 数值, 评分人, 评分, 备注, 记录人; rename it, or list it under ignore_columns in the rubric "
        "to leave it out (unknown-column)"]),
    ("unknown_column_misspelt.csv", (), [
        "{f}:1: missing column 考核项目 (rule); found: 工号, 日期, 考核项, 备注 (missing-column)",
        "{f}:1:3: unknown column 考核项: did you mean 考核项目 (rule)? a log's columns are 工号, 日期, 考核项目, 次数, "
        "扣分, 数值, 评分人, 评分, 备注, 记录人; rename it, or list it under ignore_columns in the rubric "
        "to leave it out (unknown-column)"]),
    # --- issue 11: odd digits and numbers longer than the engine keeps exact
    ("id_superscript.csv", (), ["{f}:2: '0001²' has '²' (SUPERSCRIPT TWO), which is not one of the digits 0-9: type "
                                "it again with 0-9 (bad-id)"]),
    ("count_superscript.csv", (), ["{f}:2: '1²' has '²' (SUPERSCRIPT TWO), which is not one of the digits 0-9: "
                                   "type it again with 0-9 (bad-count)"]),
    ("date_arabic_indic.csv", (), ["{f}:2: '٢٠٢٦-١٠-٠٣' has '٢' (ARABIC-INDIC DIGIT TWO), which is not one of the "
                                   "digits 0-9: type it again with 0-9 (bad-date)"]),
    ("points_long_decimal.csv", (), ["{f}:2: '1.0500000000000000000000001' has 25 decimals, more than the 15 a "
                                     "figure can have: round it (bad-points)"]),
    ("score_36_digits.csv", (), ["{f}:2: '28.0000000000000000000000000000000001' has 34 decimals, more than the 15 "
                                 "a figure can have: round it (bad-score)"]),
    # --- issue 11: workbooks no Excel writes (tests/data/make_xlsx.py build_hostile)
    ("@rows_out_of_order.xlsx", (), ["{f}:10月记录!3: row 3 comes after row 4 in the file (out of order): the workbook "
                                     "was not saved by Excel; open it in Excel and save it again (row-order)"]),
    ("@rows_repeated.xlsx", (), ["{f}:10月记录!3: row 3 is given twice: the workbook was not saved by Excel; open it "
                                 "in Excel and save it again (row-order)"]),
    ("@cell_twice.xlsx", (), ["{f}:10月记录!A3: cell A3 is given twice: the workbook was not saved by Excel; open it "
                              "in Excel and save it again (row-order)"]),
    ("@all_hidden.xlsx", (), ["{f}: every sheet of the workbook is hidden (旧表, 10月记录): unhide the sheet to score "
                              "in Excel, or name it with --sheet (hidden-sheet)"]),
    # (the size in the file depends on zlib: {packed} stands for it)
    ("@sheet_bomb.xlsx", (), ["{f}: workbook refused before reading it: its part xl/worksheets/sheet1.xml would "
                              "inflate to 8.0 MB, more than 100 times its {packed} in the file (a part Excel writes "
                              "inflates 5 to 20 times): a zip bomb?; save the log from Excel again, or as CSV UTF-8 "
                              "(workbook-too-big)"]),
    ("@strings_bomb.xlsx", (), ["{f}: workbook refused before reading it: its part xl/sharedStrings.xml would "
                                "inflate to 8.0 MB, more than 100 times its {packed} in the file (a part Excel "
                                "writes inflates 5 to 20 times): a zip bomb?; save the log from Excel again, or as "
                                "CSV UTF-8 (workbook-too-big)"]),
    # --- issue 11: encodings
    ("utf32_read_as_utf16.csv", ("--encoding", "utf-16"), [
        "{f}:1: a NUL character near byte offset 0 when read as UTF-16: the file is not UTF-16 (UTF-32? a binary "
        "file?); " + SAVE_AS]),
    # --- issue 11: roster identity
    ("roster_role_typo.csv", ("--roster",), ["{f}:3: 岗位 '管 家' of 000102 李娜 is not a role of rubric shuru: did "
                                             "you mean 管家? Correct the 岗位 (unknown-role)"]),
    ("roster_duplicate_invisible.csv", ("--roster",), [
        "{f}:5: 工号 000101 is already on the roster at line 2 ('\\u200b000101' here, '000101' there, the same once "
        "invisible characters and widths are ignored) (duplicate-employee)"]),
    ("roster_superscript_id.csv", ("--roster",), ["{f}:4: '00010³' has '³' (SUPERSCRIPT THREE), which is not one of "
                                                  "the digits 0-9: type it again with 0-9 (bad-id)"]),
    # --- m11, issue 11 red team: new inputs of each class
    ("stray_quote_in_id.csv", (), ['{f}:3: malformed quoting on line 7: text after the closing quote of a cell; quote '
                                   'the whole cell and double each quote inside it ("") (csv)']),
    ("stray_quote_crlf.csv", (), ["{f}:3: a quoted cell that starts on this row is never closed: the file ends inside "
                                  "quotes (csv)"]),
    ("heading_given_twice_in_english.csv", (), ["{f}:1: column given twice: count; keep one (duplicate-column)"]),
    ("semicolon_separated.csv", (), [
        "{f}:1: missing column 工号 (employee), 日期 (date), 考核项目 (rule); found: 工号;日期;考核项目;次数;扣分;数值;评分人;"
        "评分;备注;记录人; the header must be the first non-empty row (missing-column)"]),
    ("count_roman_numeral.csv", (), ["{f}:2: count 'Ⅱ' is not a whole number (bad-count)"]),
    ("id_math_bold_digits.csv", (), ["{f}:2: '𝟎𝟎𝟎𝟏𝟎𝟏' has '𝟎' (MATHEMATICAL BOLD DIGIT ZERO), which is not one of the "
                                     "digits 0-9: type it again with 0-9 (bad-id)"]),
    ("score_thai_digits.csv", (), ["{f}:2: '๒๘' has '๒' (THAI DIGIT TWO), which is not one of the digits 0-9: type it "
                                   "again with 0-9 (bad-score)"]),
    ("value_arabic_percent_sign.csv", (), ["{f}:2: '96٪' is not a number (bad-value)"]),
    ("points_superscript_minus.csv", (), ["{f}:2: '⁻2' is not a number (bad-points)"]),
    ("points_hex.csv", (), ["{f}:2: '0x2' is not a number (bad-points)"]),
    ("date_year_zero.csv", (), ["{f}:2: '0000-10-03' is not a real date (0-10-03 does not exist) (bad-date)"]),
    ("markup_and_escape_in_rule.csv", (), ["{f}:2: unknown rule '[/]迟到\\x1b[2J' (did you mean '迟到'?) "
                                           "(unknown-rule)"]),
    ("markup_in_id.csv", (), ["{f}:2: unknown employee '[bold]000101': not on the roster (unknown-employee)"]),
    ("long_value_in_count.csv", (), ["{f}:2: count '" + "9" * 39 + "…' is not a whole number (bad-count)"]),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    make_xlsx().build_all(folder)
    make_xlsx().build_hostile(folder, bomb_size=8 << 20)
    with open(folder / "huge_field.csv", "w", encoding="utf-8", newline="") as fh:  # a 10 MB cell
        fh.write(f"{HEADER}\n{ROW}\n000101,2026-10-04,迟到,1,,,,,{'x' * 10_000_000},邓丽华\n{ROW}\n")
    return folder


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    on_disk = {p.name for p in (ROOT / BAD).iterdir() if p.is_file()}  # (sub-folders: other corpora)
    listed = {name for name, _, _ in CASES if not name.startswith("@")}
    assert on_disk == listed  # every file of tests/data/bad is a case, and every case has its file


def _counts(stderr: str) -> tuple[int, int, int, int]:
    """read, used, outside, errors + joined (the lines after the first of a cell that spans lines)."""
    m = re.search(r"rows read (\d+): used (\d+), outside the period (\d+), in error (\d+)"
                  r"(?:, joined to the line above (\d+))?", stderr)
    assert m, stderr
    read, used, outside, errors, joined = (int(g or 0) for g in m.groups())
    return read, used, outside, errors + joined


@pytest.mark.parametrize(("name", "extra", "expected"), CASES, ids=[c[0] + " ".join(c[1]) for c in CASES])
def test_a_bad_input_gets_its_located_message(invoke, built: Path, name: str, extra: tuple[str, ...],
                                              expected: list[str]) -> None:
    path = str(built / name[1:]) if name.startswith("@") else f"{BAD}/{name}"
    if extra[:1] == ("--roster",):
        args = ["check", MONTH, "--rubric", RUBRIC, "--roster", path, "--multiline-cells", *extra[1:]]
    else:
        args = ["check", path, "--rubric", RUBRIC, "--roster", ROSTER, *extra]
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    about = [re.sub(r"its [\d,]+ KB in the file", "its {packed} in the file", line)
             for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    assert about == [e.replace("{f}", path) for e in expected]
    read, used, outside, errors = _counts(result.stderr)
    assert read == used + outside + errors
    if extra[:1] != ("--roster",) and (physical := _physical_rows(Path(path))) is not None:
        assert read == physical  # every data line of the file is in the footer, a header refused included


def _physical_rows(path: Path) -> int | None:
    """The data lines of a text table as a person counts them: the lines after the header (the first line that is
    not blank) that are not blank; None when the file is refused before its lines are read (not text, an
    encoding it is not in, a line too long) or is a workbook."""
    if path.suffix not in (".csv", ".tsv", ".txt"):
        return None
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if any(len(line) > (1 << 20) for line in text.splitlines()):
        return None
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip(" \t,")]
    return max(0, len(lines) - 1)


def test_errors_file_lists_everything_beyond_the_screen_cap(invoke, tmp_path: Path) -> None:
    log = tmp_path / "many.csv"
    log.write_text(HEADER + "\n" + "".join(f"000101,2026-10-{d:02d},早退,1\n" for d in range(1, 31)) * 2,
                   encoding="utf-8")
    errors = tmp_path / "errors.csv"
    result = invoke("check", str(log), "--rubric", RUBRIC, "--roster", ROSTER, "--errors", str(errors))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sum(1 for line in lines if line.startswith(f"{log}:")) == 50
    assert "... and 10 more problems (use --errors FILE to list them all)" in lines
    assert "rows read 60: used 0, outside the period 0, in error 60" in lines
    assert f"wrote 60 problems to {errors}" in lines
    rows = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["file", "line", "column", "sheet", "level", "code", "message"]
    assert rows[1] == [str(log), "2", "0", "", "error", "unknown-rule", "unknown rule '早退'"]
    assert len(rows) == 61 and rows[-1][1] == "61"


def test_errors_file_of_a_workbook_has_sheet_and_column(invoke, built: Path, tmp_path: Path) -> None:
    errors = tmp_path / "errors.csv"
    path = built / "bad_date.xlsx"
    result = invoke("check", str(path), "--rubric", RUBRIC, "--roster", ROSTER, "--errors", str(errors))
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert rows[1:] == [[str(path), "3", "2", "10月记录", "error", "bad-date",
                         "'2026-02-30' is not a real date (2026-02-30 does not exist)"]]


def test_errors_file_that_cannot_be_written_is_an_io_error(invoke, tmp_path: Path) -> None:
    result = invoke("check", MONTH, "--rubric", RUBRIC, "--roster", ROSTER, "--multiline-cells", "--errors",
                    str(tmp_path / "missing" / "errors.csv"))
    assert result.exit_code == 3
    assert "cannot write" in result.stderr


def test_an_unknown_encoding_is_a_usage_error(invoke) -> None:
    result = invoke("check", MONTH, "--rubric", RUBRIC, "--encoding", "klingon")
    assert result.exit_code == 2
    assert "unknown encoding 'klingon'" in result.stderr


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "uu", "punycode", "idna", "bz2"])
def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(invoke, codec: str) -> None:
    result = invoke("check", MONTH, "--rubric", RUBRIC, "--encoding", codec)
    assert result.exit_code == 2
    assert f"'{codec}' is not a text encoding" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_utf32_file_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf32.csv"
    path.write_bytes(f"{HEADER}\n{ROW}\n".encode("utf-32"))
    run = score_log(path, rubric(), roster=ROOT / ROSTER, keep_records=False)
    assert (run.counts.read, run.counts.used) == (1, 1)
    assert all("\x00" not in d.message for d in run.diagnostics)


# ------------------------------------------------------------------------------------------------ properties

_RUBRIC = None


def rubric():  # type: ignore[no-untyped-def]
    global _RUBRIC
    if _RUBRIC is None:
        _RUBRIC, problems = load_rubric(ROOT / RUBRIC)
        assert _RUBRIC is not None, problems
    return _RUBRIC


def check_library(path: Path, **options: str) -> None:
    """score_log never raises; its counts add up; without a sheet there are only problems."""
    run = score_log(path, rubric(), roster=ROOT / ROSTER, keep_records=False, **options)  # type: ignore[arg-type]
    c = run.counts
    assert c.read == c.used + c.outside_period + c.errors
    assert run.sheet is not None or run.diagnostics


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".tsv", ".txt", ".xlsx"]),
       prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04",
                               HEADER.encode() + b"\n"]))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str, prefix: bytes) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(prefix + data)
    check_library(path)


CELL = st.one_of(st.text(max_size=12), st.sampled_from(
    ["000101", "000102", "000999", "2026-10-03", "2026/10/31", "2026年10月5日", "2026-02-30", "迟到", "用语不规范",
     "收缴率", "服务态度", "奖扣分", "自评", "直接上级", "1", "0", "-1", "1.5", "96%", "0.96", "NaN", "1e309",
     "#N/A", "=1+1", "", " ", '"', "\r\n", "１２", "\x00"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, max_size=12), max_size=12),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       header=st.sampled_from([HEADER.split(","), ["工号", "日期", "考核项目"], ["employee", "date", "rule", "points"]]),
       delimiter=st.sampled_from([",", "\t"]))
def test_random_rows_never_raise(tmp_path: Path, rows: list[list[str]], encoding: str, header: list[str],
                                 delimiter: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path = tmp_path / ("rows.tsv" if delimiter == "\t" else "rows.csv")
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:  # a character GB18030 cannot hold (a lone surrogate)
        return
    path.write_bytes(data)
    check_library(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_workbooks_never_raise(tmp_path: Path, built: Path, data: st.DataObject) -> None:
    original = (built / "month.xlsx").read_bytes()
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged[:cut]))
    check_library(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, max_size=11), max_size=6), raw=st.binary(max_size=60))
def test_the_cli_never_prints_a_traceback(invoke, tmp_path: Path, rows: list[list[str]], raw: bytes) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER.split(","), *rows])
    path = tmp_path / "cli.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass") + raw)
    result = invoke("check", str(path), "--rubric", RUBRIC, "--roster", ROSTER)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output


# Issue 11: hostile cells of every class the red team tried (stray quotes, control characters, markup, odd and
# invisible digits, numbers no engine should round), in generated CSV rows.
HOSTILE = st.sampled_from([
    '"', '""', 'a"b', '"x', 'x"', "[/]", "[bold]", "[/bold]王芳", "翠湖[b]花园", "\x1b[31m", "\x1b]0;t\x07", "\u202e",
    "\u200b", "\ufeff", "\u00ad", "１２", "٣", "²", "1²", "①", "𝟏", "1,000", "1e309", "NaN", "-inf", "-0", "0x2",
    "1.0500000000000000000000001", "28.0000000000000000000000000000000001", "<img src=x onerror=alert(1)>",
    "[点我](http://x)", "=HYPERLINK(1)", "\r", "\n", "\t", "\x00", "\x85", "\u2028", "迟\u200b到", "0001\u200b01",
    "2026-10-0\u200b3", "x" * 300])
HOSTILE_CELL = st.one_of(CELL, HOSTILE, st.builds(lambda a, b: a + b, HOSTILE, CELL))


def _error_lines(run, path: Path) -> set[int]:  # type: ignore[no-untyped-def]
    return {d.line for d in run.diagnostics if d.is_error and d.file == str(path) and d.line > 1}


GOOD_ROWS = [row.split(",") for row in (
    "000101,2026-10-03,迟到,1,,,,,8:25到岗,邓丽华", "000102,2026-10-12,旷工,1,,,,,,", "000101,2026-10-09,用语不规范,2,1.5,,,,,",
    "000103,2026-10-31,收缴率,,,96,,,,", "000101,2026-10-31,服务态度,,,,自评,28,,", "000102,2026-10-25,奖扣分,,3,,,,抢险,")]
# a good row with up to two of its cells made hostile (so that most rows are used and the hostile cell decides)
MUTATED_ROW = st.builds(
    lambda base, changes: [changes.get(i, cell) for i, cell in enumerate(GOOD_ROWS[base])],
    st.integers(0, len(GOOD_ROWS) - 1), st.dictionaries(st.integers(0, 9), HOSTILE_CELL, max_size=2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(MUTATED_ROW, st.lists(HOSTILE_CELL, min_size=1, max_size=11)), max_size=10),
       multiline=st.booleans(), raw=st.booleans(), plain_lines=st.booleans())
def test_every_generated_row_is_used_or_reported(tmp_path: Path, rows: list[list[str]], multiline: bool,
                                                 raw: bool, plain_lines: bool) -> None:
    """No traceback (score_log never raises), and every row is used or reported: the footer adds up; written
    without quoting (``raw``: stray quotes as typed) or when no cell holds a quote or a line break, ``rows read``
    is exactly the file's non-blank lines after the header, and the rows in error are exactly the lines with a
    located error."""
    if plain_lines:  # no quote, line break or NUL anywhere: each row is one line of the file
        rows = [[re.sub('["\\r\\n\\x85\\u2028\\u2029\\x00\\x0b\\x0c\\x1c-\\x1e]', "", cell) for cell in row] for row in rows]
    if raw:
        text = "\n".join([HEADER, *(",".join(c.replace(",", "") for c in row) for row in rows)]) + "\n"
    else:
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows([HEADER.split(","), *rows])
        text = buffer.getvalue()
    path = tmp_path / "hostile.csv"
    try:
        path.write_bytes(text.encode("utf-8"))
    except UnicodeEncodeError:
        return
    run = score_log(path, rubric(), roster=ROOT / ROSTER, keep_records=False, multiline_cells=multiline)
    c = run.counts
    assert c.read == c.used + c.outside_period + c.errors + c.joined
    if any(d.code in ("encoding", "empty", "line-too-long", "too-many-problems") for d in run.diagnostics):
        return  # refused as a whole (a NUL byte), or not read to the end: counted differently (tested above)
    simple = not any(ch in text for ch in '"\r\x85\u2028') and not any(
        "\n" in cell for row in rows for cell in row)
    event(f"simple={simple} errors={c.errors > 0} used={c.used > 0}")
    if simple:
        lines = text.split("\n")[1:]
        physical = [n for n, line in enumerate(lines, start=2) if line.replace(",", "").strip()]
        assert c.read == len(physical)
        assert _error_lines(run, path) == {n for n in physical if n in _error_lines(run, path)}
        assert c.errors == len(_error_lines(run, path) & set(physical))
    else:
        assert c.errors == 0 or _error_lines(run, path) or any(d.line == 0 for d in run.diagnostics)
    if c.errors == 0 and not any(d.is_error for d in run.diagnostics):
        assert run.sheet is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(MUTATED_ROW, min_size=1, max_size=6), command=st.sampled_from(["check", "score", "explain"]),
       lang=st.sampled_from(["en", "zh"]))
def test_hostile_rows_never_print_a_traceback_or_a_control(invoke, tmp_path: Path, rows: list[list[str]],
                                                           command: str, lang: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER.split(","), *rows])
    path = tmp_path / "cli.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    extra = ["--employee", "000101"] if command == "explain" else []
    result = invoke("--lang", lang, command, str(path), "--rubric", RUBRIC, "--roster", ROSTER, "--multiline-cells",
                    *extra)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", result.stdout + result.stderr)
