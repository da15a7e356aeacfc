"""The cell parsers: dates, decimals, counts, percents, as people type them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_cli.inputs.values import (
    EXCEL_ERRORS,
    clean,
    clean_id,
    excel_error_hint,
    parse_count,
    parse_date,
    parse_decimal,
    parse_percent,
)


@pytest.mark.parametrize("text", ["2026-10-03", "2026/10/3", "2026.10.03", "2026年10月3日", "2026年10月3号",
                                  "2026 年 10 月 3 日", "20261003", "２０２６－１０－０３", " 2026-10-03 ",
                                  "2026-10-03 00:00:00", "2026/10/3 14:30", "2026-10-03T08:15:00"])
def test_dates_as_people_write_them(text: str) -> None:
    assert parse_date(text) == date(2026, 10, 3)


@pytest.mark.parametrize(("text", "message"), [
    ("2026-02-30", "'2026-02-30' is not a real date (2026-02-30 does not exist)"),
    ("2026-13-01", "'2026-13-01' is not a real date (2026-13-01 does not exist)"),
    ("10月3日", "'10月3日' is not a date; write it as 2026-10-03"),
    ("3/10/2026", "'3/10/2026' is not a date; write it as 2026-10-03"),
    ("26-10-3", "'26-10-3' is not a date; write it as 2026-10-03"),
    ("46298", "'46298' is not a date: it looks like an Excel date serial number; format the cell as a date "
              "(yyyy-mm-dd)"),
    ("#N/A", "#N/A is an Excel error value, not a value: fix the formula in this cell or type the value"),
])
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize(("text", "value"), [
    ("3", "3"), ("+3", "3"), ("-3", "-3"), ("1.5", "1.5"), (".5", "0.5"), ("１．５", "1.5"), ("－２", "-2"),
    ("−2", "-2"), (" 7 ", "7"), ("0.1", "0.1"),
])
def test_decimals_are_exact(text: str, value: str) -> None:
    result = parse_decimal(text)
    assert result == Decimal(value) and isinstance(result, Decimal)


@pytest.mark.parametrize(("text", "message"), [
    ("NaN", "'NaN' is not a number (NaN and infinity are not values)"),
    ("inf", "'inf' is not a number (NaN and infinity are not values)"),
    ("-Infinity", "'-Infinity' is not a number (NaN and infinity are not values)"),
    ("1e309", "'1e309' is not a plain number: write it without an exponent"),
    ("1E3", "'1E3' is not a plain number: write it without an exponent"),
    ("1,000", "'1,000' is not a number: write it without thousands separators"),
    ("１，０００", "'１，０００' is not a number: write it without thousands separators"),
    ("两", "'两' is not a number"),
    ("2分", "'2分' is not a number"),
    ("#DIV/0!", "#DIV/0! is an Excel error value, not a value: fix the formula in this cell or type the value"),
])
def test_what_is_not_a_number(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_decimal(text)
    assert str(info.value) == message


@pytest.mark.parametrize(("text", "count"), [("1", 1), ("2", 2), ("１２", 12), ("3.0", 3), ("10000", 10000)])
def test_counts(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize(("text", "message"), [
    ("0", "count '0' must be at least 1"),
    ("-2", "count '-2' must be at least 1"),
    ("1.5", "count '1.5' is not a whole number"),
    ("两次", "count '两次' is not a whole number"),
    ("NaN", "count 'NaN' is not a whole number"),
    ("10001", "count '10001' is not plausible for one period"),
    ("#N/A", "#N/A is an Excel error value, not a value: fix the formula in this cell or type the value"),
])
def test_bad_counts(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_count(text)
    assert str(info.value) == message


# The percent rule: a rate is written in percent; 0 < x < 1 without % is ambiguous; 0-100% only.
@pytest.mark.parametrize(("text", "value"), [
    ("96", "96"), ("96%", "96"), ("96 %", "96"), ("９６％", "96"), ("96.5%", "96.5"), ("0", "0"), ("0%", "0"),
    ("100", "100"), ("100%", "100"), ("1", "1"), ("0.5%", "0.5"), ("\u3000９６ ％", "96"),
])
def test_the_percent_rule(text: str, value: str) -> None:
    assert parse_percent(text) == Decimal(value)


@pytest.mark.parametrize(("text", "message"), [
    ("0.96", "'0.96' is ambiguous: write a rate in percent, as 96 or 96%"),
    (".5", "'.5' is ambiguous: write a rate in percent, as 96 or 96%"),
    ("120%", "rate '120%' is outside 0-100%"),
    ("100.01", "rate '100.01' is outside 0-100%"),
    ("-5%", "rate '-5%' is outside 0-100%"),
    ("96%%", "'96%' is not a number"),
    ("%", "an empty cell is not a number"),
])
def test_rates_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_percent(text)
    assert str(info.value) == message


def test_clean_makes_full_width_half_width() -> None:
    assert clean("１２，％") == "12,%"
    assert clean("  abc ") == "abc"
    assert clean_id("０００１２３") == "000123"
    assert clean_id(" 000123 ") == "000123"


def test_excel_error_values() -> None:
    assert {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"} <= EXCEL_ERRORS
    assert excel_error_hint("#value!") is not None
    assert excel_error_hint("#1") is None


@given(st.text(max_size=30))
def test_parsers_raise_only_value_errors(text: str) -> None:
    for parser in (parse_date, parse_decimal, parse_count, parse_percent):
        try:
            parser(text)
        except ValueError:
            pass
