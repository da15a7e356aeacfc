"""The streaming XLSX writer (outputs/exporters/xlsx_writer.py), its files read back by openpyxl."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from kpi_cli.outputs.exporters.xlsx_writer import XlsxBook, column_letter, escape

WHEN = datetime(2026, 11, 1, 1, 5)


def _book(rows, **sheet_options):
    buffer = io.BytesIO()
    book = XlsxBook(buffer, when=WHEN)
    total = book.style("0.0")
    sheet = book.sheet("表", styles=[None, total, book.style("yyyy-mm-dd")], **sheet_options)
    sheet.row(["名次", "总分", "日期"], styles=[book.style(bold=True)] * 3)
    for row in rows:
        sheet.row(row)
    sheet.autofilter()
    book.close_sheet(sheet)
    book.close(creator="kpi-cli 0.1.0", title="t <&> \"q\"", subject="s", description="草案")
    return buffer.getvalue()


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_escape() -> None:
    assert escape('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert escape("a\rb\x00\ufffe") == "a&#13;b\ufffd\ufffd"


def test_cells_read_back_with_their_types_and_formats() -> None:
    data = _book([
        ["=HYPERLINK(\"http://x\")", Decimal("86.49473684210526315789473684"), date(2026, 10, 8)],
        ["<b>&amp;</b>", 7, None],
        ["", Decimal("-0"), date(1900, 3, 1)],
        ["  spaced  ", Decimal("1E+2"), None],
    ], freeze="B2")
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == ["名次", "总分", "日期"] and all(c.font.b for c in rows[0])
    text, number, day = rows[1]
    assert text.value == '=HYPERLINK("http://x")' and text.data_type == "s" and text.quotePrefix
    assert number.value == pytest.approx(86.494736842105) and number.number_format == "0.0"
    assert day.value == datetime(2026, 10, 8) and day.number_format == "yyyy-mm-dd"
    assert rows[2][0].value == "<b>&amp;</b>" and not rows[2][0].quotePrefix and rows[2][1].value == 7
    assert rows[3][0].value is None and rows[3][1].value == 0 and rows[3][2].value == datetime(1900, 3, 1)
    assert rows[4][0].value == "  spaced  " and rows[4][1].value == 100
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:C5"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>86.49473684210526315789473684</v>" in xml  # exact, never through a float
    assert "<f>" not in xml


def test_properties_and_same_bytes_for_the_same_data() -> None:
    data = _book([["a", 1, None]])
    assert data == _book([["a", 1, None]])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.creator == "kpi-cli 0.1.0" and book.properties.title == 't <&> "q"'
    assert book.properties.created == WHEN and book.properties.description == "草案"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


@pytest.mark.parametrize("freeze", ["A2", "C1", "C2", "A1"])
def test_frozen_panes(freeze: str) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(_book([["a", 1, None]], freeze=freeze)))["表"]
    assert ws.freeze_panes == (None if freeze == "A1" else freeze)


def test_what_it_does_not_write_is_refused() -> None:
    book = XlsxBook(io.BytesIO(), when=WHEN)
    sheet = book.sheet("t")
    for value in (datetime(2026, 1, 1), True, object()):
        with pytest.raises(TypeError):
            sheet.row([value])
    with pytest.raises(RuntimeError):
        book.sheet("u")
    book.abort()
    other = XlsxBook(io.BytesIO(), when=WHEN)
    with pytest.raises(ValueError):
        other.sheet("a/b")
    other.abort()
