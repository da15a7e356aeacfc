"""One workbook cell as the text kpi reads: numbers exact as Excel shows them (a 工号 keeps its zeros), dates
from serials and Chinese date formats, Excel error values and uncalculated formulas as located problems."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from kpi_cli.i18n import _
from kpi_cli.inputs.table_rows import (
    MAX_CELL,
    short,
)
from kpi_cli.inputs.values import EXCEL_ERRORS


@contextlib.contextmanager
def quiet_openpyxl() -> Iterator[None]:
    """Silence openpyxl, which warns, and even prints to stdout, about damaged files (we report them)."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def cell_text(cell: Any, formula: Any) -> str | tuple[str, str]:
    """A cell's value as the text a person would type (or Excel's CSV export writes); or (message, code)."""
    value = cell.value
    if value is None:
        if formula is not None and getattr(cell, "data_type", "n") != "str" and _is_formula(formula):
            return (_("the formula {formula} has never been calculated (the file was not saved by Excel): open the "
                      "file in Excel and save it, or type the value").format(formula=short(_formula_text(formula))),
                    "formula")
        return ""
    if isinstance(value, str):
        if len(value) > MAX_CELL:
            return (_("this cell holds {size} characters, more than the {most} Excel allows: the workbook was not "
                      "saved by Excel").format(size=f"{len(value):,}", most=f"{MAX_CELL:,}"), "long-cell")
        if getattr(cell, "data_type", "s") == "e" or value in EXCEL_ERRORS:
            return (_("{value} is an Excel error value, not a value: fix the formula in this cell or type the value").format(
                        value=value),
                    "excel-error")
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        format_id = _format_id(cell)
        if format_id in _CJK_DATES or format_id in _CJK_TIMES:
            when = _from_serial(value, cell)
            if when is not None:
                return cell_text(SimpleNamespace(value=when if format_id in _CJK_DATES else when.time()), None)
        if isinstance(value, int):
            return _integer_text(value, cell)
        return _float_text(value, cell)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {value.time().replace(microsecond=0).isoformat()}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _is_formula(value: Any) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or hasattr(value, "text")


def _formula_text(value: Any) -> str:
    return str(getattr(value, "text", value))


_ZEROS = re.compile(r"^0+$")
# Built-in number formats of Chinese (and Japanese, Korean) Excel, stored by number only, which openpyxl does
# not know: dates (yyyy"年"m"月"d"日", m"月"d"日", yyyy"年"m"月"...) and times (h"时"mm"分"...).
_CJK_DATES = frozenset({27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58})
_CJK_TIMES = frozenset({32, 33, 34, 35, 55, 56})


def _format_id(cell: Any) -> int:
    try:
        with quiet_openpyxl():
            return int(cell.style_array.numFmtId)
    except Exception:  # noqa: BLE001 - no style (an empty cell, a damaged file): General
        return 0


def _from_serial(value: float, cell: Any) -> datetime | None:
    from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

    try:
        when = from_excel(value, getattr(cell.parent.parent, "epoch", CALENDAR_WINDOWS_1900))
    except Exception:  # noqa: BLE001 - not a serial a date can have
        return None
    return when if isinstance(when, datetime) else None


def _number_format(cell: Any) -> str:
    try:
        with quiet_openpyxl():
            return str(cell.number_format)
    except Exception:  # noqa: BLE001 - a missing style in a damaged file: General
        return "General"


def _integer_text(value: int, cell: Any) -> str:
    fmt = _number_format(cell)
    if fmt == "General":
        return str(value)
    if "%" in fmt:
        return f"{value * 100}%"
    if _ZEROS.match(fmt):  # 000123 shown by a 000000 format, as a 工号 typed into a number cell
        return str(value).zfill(len(fmt)) if value >= 0 else str(value)
    return str(value)


def _float_text(value: float, cell: Any) -> str | tuple[str, str]:
    if value != value or value in (float("inf"), float("-inf")):
        return (_("the cell holds no number (NaN or infinity): type the value"), "bad-number")
    if abs(value) >= 1e15:
        return (_("{value:.15g} has more than 15 digits: Excel keeps only 15, so its last digits are already lost; "
                  "format the column as text (文本) and type it again").format(value=value), "long-number")
    number = Decimal(f"{value:.15g}")  # the 15 significant digits Excel keeps and shows
    fmt = _number_format(cell)
    if "%" in fmt:
        return _plain(number * 100) + "%"
    if number == number.to_integral_value():
        text = str(int(number))
        return text.zfill(len(fmt)) if _ZEROS.match(fmt) and number >= 0 else text
    return _plain(number)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
