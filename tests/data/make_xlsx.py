"""Build the .xlsx fixtures of the input-file tests (no binary file is kept in the repository).

``python tests/data/make_xlsx.py FOLDER`` writes them into FOLDER to look at them in Excel; the tests call
:func:`build_all` into a temporary folder.  The cell contents are fixed, so every build reads the same.

``month.xlsx`` is ``tests/data/input/month.csv`` as Chinese Excel saves it: real date cells, a 工号 typed
as text, numbers as numbers, rates in percent-formatted cells (0.96 shown as 96%), a blank row, a note with
a line break, the roster on a second sheet.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl

HEADER = ["工号", "日期", "考核项目", "次数", "扣分", "数值", "评分人", "评分", "备注", "记录人"]
FIXED_TIME = datetime(2026, 11, 1, 9, 0, 0)


def _book(title: str = "10月记录"):  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = FIXED_TIME
    sheet = book.active
    sheet.title = title
    return book, sheet


def month(path: Path) -> Path:
    book, ws = _book()
    ws.append(HEADER)
    ws.append(["000101", date(2026, 10, 3), "迟到", 1, None, None, None, None, '8:25到岗, 见"考勤表"', "邓丽华"])
    ws.append(["000101", "2026/10/9", "用语不规范", 2, 1.5, None, None, None, "接听电话\n未使用标准用语", "邓丽华"])
    ws.append(["000102", "2026年10月12日", "旷工", None, None, None, None, None, "当日未到岗", "邓丽华"])
    ws.append([])
    ws.append(["000103", datetime(2026, 10, 20, 0, 0), "迟到", "１", None, None, None, None, None, "邓丽华"])
    ws.append(["000101", date(2026, 10, 31), "收缴率", None, None, 0.96, None, None, None, "财务部"])
    ws.cell(ws.max_row, 6).number_format = "0%"
    ws.append(["000102", date(2026, 10, 31), "收缴率", None, None, 90, None, None, None, "财务部"])
    ws.append(["000103", date(2026, 10, 31), "收缴率", None, None, 0.955, None, None, None, "财务部"])
    ws.cell(ws.max_row, 6).number_format = "0.0%"
    for ident, rater, score in (("000101", "自评", 28), ("000101", "直接上级", 26.5), ("000102", "自评", 27),
                                ("000102", "上级", 25), ("000103", "自评", 30), ("000103", "直接上级", 29)):
        ws.append([ident, date(2026, 10, 31), "服务态度", None, None, None, rater, score])
    ws.append(["000102", date(2026, 10, 25), "奖扣分", None, 3, None, None, None, "地下车库积水抢险", "周振华"])
    for row in ws.iter_rows(min_row=2, max_col=2):
        if isinstance(row[1].value, (date, datetime)):
            row[1].number_format = "yyyy/m/d"
    roster = book.create_sheet("花名册")
    for values in (["工号", "姓名", "部门", "岗位"], ["000101", "王芳", "翠湖花园", "管家"],
                   ["000102", "李娜", "翠湖花园", "管家"], [103, "张伟", "金域华府", "客服员"]):
        roster.append(values)
    roster["A4"].number_format = "000000"  # 工号 as a number shown with its zeros: 000103
    book.save(path)
    return path


def _log(path: Path, rows: list[list[object]], fix=None, title: str = "10月记录") -> Path:  # type: ignore[no-untyped-def]
    book, ws = _book(title)
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if fix is not None:
        fix(ws)
    book.save(path)
    return path


def with_cached_values(path: Path, values: dict[str, tuple[str, str]]) -> Path:
    """Give formula cells of the first sheet the value Excel would have saved with them: {"D2": ("n", "2")}."""
    import re
    import zipfile

    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    out = []
    for info, data in items:
        if info.filename == member:
            xml = data.decode("utf-8")
            for ref, (kind, value) in values.items():
                xml, n = re.subn(rf'<c r="{ref}"([^>]*)>(<f>.*?</f>)<v\s*/>',
                                 rf'<c r="{ref}" t="{kind}">\2<v>{value}</v>', xml)
                assert n == 1, ref
            data = xml.encode("utf-8")
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in out:
            archive.writestr(info, data)
    return path


def with_builtin_format(path: Path, custom: str, builtin: int) -> Path:
    """Store the cells of number format ``custom`` under a built-in format number, as Chinese Excel does for
    yyyy"年"m"月"d"日" (31), which it writes without its format code."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            if info.filename == "xl/styles.xml":
                xml = data.decode("utf-8")
                code = custom.replace('"', "&quot;")
                number = xml.split(f'formatCode="{code}"')[0].rsplit('numFmtId="', 1)[1].split('"')[0]
                data = xml.replace(f'<xf numFmtId="{number}"', f'<xf numFmtId="{builtin}"').encode("utf-8")
            archive.writestr(info, data)
    return path


def build_all(folder: Path) -> dict[str, Path]:
    """Every workbook fixture by name: ``month`` and the bad ones."""
    folder.mkdir(parents=True, exist_ok=True)
    ok = ["000101", date(2026, 10, 3), "迟到", 1, None, None, None, None, None, "邓丽华"]
    out = {"month": month(folder / "month.xlsx")}
    out["formula"] = _log(folder / "formula.xlsx", [ok, ["000101", date(2026, 10, 4), "迟到", "=1+1"]])
    # formulas as Excel saves them, with their values: =1+1 -> 2, =IF(1,"","") -> an empty text
    calculated = _log(folder / "calculated.xlsx", [["000101", date(2026, 10, 3), "迟到", "=1+1", '=IF(1,"","")']])
    out["calculated"] = with_cached_values(calculated, {"D2": ("n", "2"), "E2": ("str", "")})

    def chinese_dates(ws) -> None:  # type: ignore[no-untyped-def]
        ws["B2"].number_format = 'yyyy"年"m"月"d"日"'
        ws["B3"].number_format = 'm"月"d"日"'
    cjk = _log(folder / "chinese_dates.xlsx", [ok, ["000101", date(2026, 10, 4), "迟到", 1]], chinese_dates)
    with_builtin_format(cjk, 'yyyy"年"m"月"d"日"', 31)
    out["chinese_dates"] = with_builtin_format(cjk, 'm"月"d"日"', 58)
    out["error_value"] = _log(folder / "error_value.xlsx",
                              [ok, ["000101", date(2026, 10, 31), "收缴率", None, None, "#N/A"]])
    out["long_number"] = _log(folder / "long_number.xlsx",
                              [ok, [123456789012345678, date(2026, 10, 4), "迟到", 1]])
    out["bad_date"] = _log(folder / "bad_date.xlsx", [ok, ["000101", "2026-02-30", "迟到", 1]])
    out["unknown_employee"] = _log(folder / "unknown_employee.xlsx", [ok, ["000999", date(2026, 10, 4), "迟到", 1]])
    out["rate_fraction"] = _log(folder / "rate_fraction.xlsx",
                                [["000101", date(2026, 10, 31), "收缴率", None, None, 0.96]])

    def merge(ws) -> None:  # type: ignore[no-untyped-def]
        ws.merge_cells("B2:B3")
    out["merged_date"] = _log(folder / "merged_date.xlsx", [ok, ["000101", None, "迟到", 1]], merge)

    def no_heading(ws) -> None:  # type: ignore[no-untyped-def]
        ws["L3"] = "迟到5分钟"
    out["no_heading"] = _log(folder / "no_heading.xlsx", [ok, ["000101", date(2026, 10, 4), "迟到", 1]], no_heading)

    book, ws = _book()
    ws.append(["工号", "考核项目", "次数"])
    ws.append(["000101", "迟到", 1])
    book.save(folder / "missing_column.xlsx")
    out["missing_column"] = folder / "missing_column.xlsx"
    book, _ = _book("空白")
    book.save(folder / "empty_sheet.xlsx")
    out["empty_sheet"] = folder / "empty_sheet.xlsx"
    data = out["month"].read_bytes()
    (folder / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    out["truncated"] = folder / "truncated.xlsx"
    (folder / "workbook_named.csv").write_bytes(data)
    out["workbook_named_csv"] = folder / "workbook_named.csv"
    return out


# ------------------------------------------------------------------------------------------------ hostile workbooks
# Built by editing the XML inside the zip, as a tool other than Excel (or an attacker) would write it.

def _rewrite(path: Path, edit, target: Path | None = None) -> Path:  # type: ignore[no-untyped-def]
    """Copy the workbook at ``path`` to ``target`` (default: in place) with ``edit(member, bytes) -> bytes``."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(target or path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, edit(info.filename, data))
    return target or path


def _renumber(path: Path, numbers: list[int]) -> Path:
    """Give the sheet's data rows (after the header) the row numbers ``numbers``, in file order."""
    import re

    def edit(member: str, data: bytes) -> bytes:
        if member != "xl/worksheets/sheet1.xml":
            return data
        xml = data.decode("utf-8")
        rows = re.findall(r"<row [^>]*>.*?</row>", xml, flags=re.S)
        for row, number in zip(rows[1:], numbers):
            old = re.search(r'<row r="(\d+)"', row).group(1)  # type: ignore[union-attr]
            new = re.sub(r'<row r="\d+"', f'<row r="{number}"', row, count=1)
            new = re.sub(rf'(<c r="[A-Z]+){old}"', rf'\g<1>{number}"', new)
            xml = xml.replace(row, new, 1)
        return xml.encode("utf-8")
    return _rewrite(path, edit)


def _bomb(path: Path, member: str, head: bytes, unit: bytes, size: int, tail: bytes) -> Path:
    """Replace (or add) ``member`` by ``head + unit * n + tail`` of about ``size`` bytes, streamed (never in memory)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist() if info.filename != member]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info, data in items:
            archive.writestr(info, data)
        with archive.open(member, "w", force_zip64=True) as fh:
            fh.write(head)
            block = unit * max(1, (1 << 20) // len(unit))
            for _ in range(size // len(block)):
                fh.write(block)
            fh.write(tail)
    return path


def build_hostile(folder: Path, bomb_size: int = 200 << 20) -> dict[str, Path]:
    """Workbooks no Excel writes: rows out of order or given twice, a hidden first sheet (an old copy), every
    sheet hidden, a cell given twice, a sheet and shared strings that inflate ~1000 times (``bomb_size``)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    rows = [["000101", date(2026, 10, 3), "迟到", 1], ["000102", date(2026, 10, 12), "旷工", 1],
            ["000103", date(2026, 10, 20), "迟到", 1]]
    # file order 2, 4, 3: the 旷工 of 000102 on row "4" then 000103 on row "3", which openpyxl drops
    out["rows_out_of_order"] = _renumber(_log(folder / "rows_out_of_order.xlsx", rows), [2, 4, 3])
    out["rows_repeated"] = _renumber(_log(folder / "rows_repeated.xlsx", rows), [2, 3, 3])

    book, old = _book("旧表")
    old.append(HEADER)
    old.append(["000101", date(2026, 9, 3), "迟到", 1])
    new = book.create_sheet("10月记录")
    new.append(HEADER)
    for row in rows:
        new.append(row)
    old.sheet_state = "hidden"
    book.active = 1
    book.save(folder / "hidden_first_sheet.xlsx")
    out["hidden_first_sheet"] = folder / "hidden_first_sheet.xlsx"
    out["all_hidden"] = _rewrite(out["hidden_first_sheet"], lambda m, d: d.replace(
        b'state="visible"', b'state="hidden"') if m == "xl/workbook.xml" else d, folder / "all_hidden.xlsx")

    def twice(member: str, data: bytes) -> bytes:  # row 3 gets a second A3 cell, 000999, after its own
        if member != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b"</row><row r=\"4\"", b'<c r="A3" t="inlineStr"><is><t>000999</t></is></c>'
                            b'</row><row r="4"', 1)
    out["cell_twice"] = _rewrite(_log(folder / "cell_twice.xlsx", rows), twice)

    sheet_head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                  b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x')
    out["sheet_bomb"] = _bomb(_log(folder / "sheet_bomb.xlsx", rows), "xl/worksheets/sheet1.xml", sheet_head, b"x",
                              bomb_size, b"</t></is></c></row></sheetData></worksheet>")
    strings_head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main">')
    strings_type = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with_strings = _rewrite(_log(folder / "strings_bomb.xlsx", rows), lambda m, d: d.replace(
        b"</Types>", strings_type) if m == "[Content_Types].xml" else d)
    out["strings_bomb"] = _bomb(with_strings, "xl/sharedStrings.xml", strings_head,
                                b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>", bomb_size, b"</sst>")
    return out


if __name__ == "__main__":
    for name, where in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).items():
        print(f"{name}: {where}")
