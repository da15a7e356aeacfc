"""Parse the values people type into log and roster cells.

Each parser takes text and returns the value or raises ``ValueError`` with a
message for people.  They are pure and cached, because the same date or count
appears on thousands of rows.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_DATETIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def clean(text: str) -> str:
    """Full-width forms to half-width (１２，％ -> 12,%), surrounding spaces removed."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date:
    """2026-10-03, 2026/10/3, 2026.10.3, 2026年10月3日, 20261003 (a time after it is ignored)."""
    value = clean(text)
    value = _DATETIME_SUFFIX.sub("", value)
    for pattern in _DATE_PATTERNS:
        if m := pattern.match(value):
            year, month, day = (int(g) for g in m.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a real date ({year}-{month:02d}-{day:02d} does not exist)") from None
    raise ValueError(f"{text!r} is not a date; write it as 2026-10-03")


@lru_cache(maxsize=4096)
def parse_decimal(text: str) -> Decimal:
    """A plain decimal number, exactly (never through float); thousands commas are refused."""
    value = clean(text)
    if not _NUMBER.match(value):
        if value.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise ValueError(f"{text!r} is not a number of points")
        raise ValueError(f"{text!r} is not a number")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(f"{text!r} is not a number") from None


@lru_cache(maxsize=256)
def parse_count(text: str) -> int:
    """次数: a whole number of at least 1."""
    value = clean(text)
    try:
        number = parse_decimal(value)
    except ValueError:
        raise ValueError(f"count {text!r} is not a whole number") from None
    if number != number.to_integral_value():
        raise ValueError(f"count {text!r} is not a whole number")
    if number < 1:
        raise ValueError(f"count {text!r} must be at least 1")
    if number > 10_000:
        raise ValueError(f"count {text!r} is not plausible for one period")
    return int(number)


@lru_cache(maxsize=4096)
def parse_percent(text: str) -> Decimal:
    """A rate in percent: ``96``, ``96%`` and ``96.5 %`` all mean 96%; 0 to 100.

    A fraction such as ``0.96`` is refused as ambiguous (0.96% or 96%?): write 96 or 96%.
    """
    value = clean(text)
    has_sign = value.endswith("%")
    number = parse_decimal(value.rstrip("%").strip()) if has_sign else parse_decimal(value)
    if not has_sign and 0 < number < 1:
        raise ValueError(f"{text!r} is ambiguous: write a rate in percent, as 96 or 96%")
    if not 0 <= number <= 100:
        raise ValueError(f"rate {text!r} is outside 0-100%")
    return number


def excel_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
