"""Periods: absolute (2026-10, 2026Q4) and relative to today (last-month, last-quarter...)."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_cli.engine.periods import Period, resolve_period


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("last-month", date(2026, 11, 1), Period(2026, "month", 10)),
    ("last-month", date(2026, 11, 30), Period(2026, "month", 10)),
    ("last-month", date(2027, 1, 1), Period(2026, "month", 12)),  # January: the previous December
    ("last-month", date(2027, 1, 31), Period(2026, "month", 12)),
    ("this-month", date(2026, 12, 31), Period(2026, "month", 12)),
    ("last-quarter", date(2027, 2, 15), Period(2026, "quarter", 4)),  # in Q1: the previous Q4
    ("last-quarter", date(2026, 4, 1), Period(2026, "quarter", 1)),
    ("last-quarter", date(2026, 12, 31), Period(2026, "quarter", 3)),
    ("this-quarter", date(2026, 3, 31), Period(2026, "quarter", 1)),
    (" Last-Month ", date(2026, 3, 5), Period(2026, "month", 2)),
])
def test_relative_periods_count_from_today(text: str, today: date, expected: Period) -> None:
    assert resolve_period(text, None, today) == expected


def test_relative_period_checked_against_the_rubric_kind() -> None:
    assert resolve_period("last-month", "month", date(2026, 11, 1)) == Period(2026, "month", 10)
    with pytest.raises(ValueError) as info:
        resolve_period("last-month", "quarter", date(2026, 11, 1))
    assert str(info.value) == "last-month is a month, but the rubric is scored by quarter; use last-quarter"
    with pytest.raises(ValueError) as info:
        resolve_period("this-quarter", "month", date(2026, 11, 1))
    assert str(info.value) == "this-quarter is a quarter, but the rubric is scored by month; use this-month"


def test_absolute_periods_are_read_as_before() -> None:
    assert resolve_period("2026-10", "month", date(2030, 1, 1)) == Period.parse("2026-10")
    assert resolve_period("2026Q4") == Period(2026, "quarter", 4)
    # the kind of an absolute period is checked against the rubric later, by score_log (period-kind)
    assert resolve_period("2026Q4", "month") == Period(2026, "quarter", 4)


def test_unknown_words_and_bad_periods() -> None:
    with pytest.raises(ValueError) as info:
        resolve_period("last-week", "month", date(2026, 11, 1))
    assert str(info.value) == ("'last-week' is not a period: write 2026-10, 2026Q4 or one of this-month, "
                               "last-month, this-quarter, last-quarter")
    with pytest.raises(ValueError, match="is not a period"):
        resolve_period("2026-13")


def test_default_today_is_the_local_date() -> None:
    assert resolve_period("this-month") == Period.containing(date.today(), "month")
