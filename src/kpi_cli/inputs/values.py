"""Parse the values people type into log and roster cells.

Each parser takes text and returns the value or raises ``ValueError`` with a
message for people.  They are pure and cached, because the same date or count
appears on thousands of rows.

Typed forms that are accepted everywhere: full-width digits and punctuation
(``１２``, ``１．５``, ``９６％``), the minus sign ``−``, surrounding spaces.
Refused, with a message that says why: thousands separators (``1,000``),
exponents (``1e309``), ``NaN`` and ``inf``, Excel error values (``#N/A``), any
digit that is not 0-9 or its full-width form (``1²`` is not 12, ``٣`` is not 3,
``①`` is not 1), and numbers longer than the engine keeps exact: more than
:data:`MAX_DIGITS` significant digits or :data:`MAX_DECIMALS` decimals.

工号 (ids) are compared after :func:`clean_id`: NFKC (full-width to half-width),
invisible characters (zero-width spaces, BOMs, direction marks, control
characters) removed; an odd digit (``1²``) is refused, never read as a digit.

The percent rule (a metric whose unit is ``percent``): a rate is written in
percent.  ``96``, ``96%``, ``96.0 %`` and ``９６％`` all mean 96%.  A number
between 0 and 1 without a ``%`` sign (``0.96``) is refused as ambiguous (0.96%
or 96%?); so is anything below 0% or above 100%.  An Excel cell formatted as a
percentage holds 0.96 and is read as ``96%`` (see :mod:`tables`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from kpi_cli.i18n import _

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$", re.ASCII),
    re.compile(r"^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号]?$", re.ASCII),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII),
)
_DATETIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$", re.ASCII)
_EXPONENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$", re.ASCII)
# Serial numbers of dates from 1954 to 2119: what a date cell shows once its format is lost.
_SERIAL = re.compile(r"^[2-7]\d{4}(\.0+)?$", re.ASCII)
# Full-width forms (U+FF01-FF5E) and the ideographic space to ASCII, dashes used as minus signs to "-".
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20, 0x00A0: 0x20, 0x2212: 0x2D,
                                                              0x2013: 0x2D, 0x2014: 0x2D, 0xFE63: 0x2D}
_FULL_WIDTH_DIGITS = frozenset(map(chr, range(0xFF10, 0xFF1A)))

#: The most significant digits and decimals a number in a log may have: every sum and product of such
#: numbers is exact in the engine's context (see ``engine.scoring``), and nothing Excel writes has more.
MAX_DIGITS = 20
MAX_DECIMALS = 15

#: What Excel writes in a cell whose formula failed; never a value.
EXCEL_ERRORS = frozenset({
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#N/A!",
})


def clean(text: str) -> str:
    """Full-width forms to half-width (１２，％ -> 12,%), invisible characters (format characters: zero-width
    spaces, BOMs, direction marks) and surrounding spaces removed.

    Only full-width forms are mapped: a superscript, a circled or an Arabic-Indic digit stays what it is, so
    that the parsers refuse it (:func:`odd_digit` says why) instead of reading ``1²`` as 12.
    """
    if text.isascii():
        return text.strip()
    # invisible characters pasted with a figure (a zero-width space, a BOM, a direction mark) are not part of it
    return "".join(ch for ch in text.translate(_HALF_WIDTH) if unicodedata.category(ch) != "Cf").strip()


def odd_digit(text: str) -> str | None:
    """The first character of ``text`` that is a digit or stands for one but is not 0-9 nor its full-width
    form (``²``, ``₃``, ``①``, ``½``, ``٣``), else None."""
    if text.isascii():
        return None
    for ch in text:
        if ch.isascii() or ch in _FULL_WIDTH_DIGITS:
            continue
        if unicodedata.digit(ch, None) is not None or any(c in "0123456789" for c in unicodedata.normalize("NFKC", ch)):
            return ch
    return None


def odd_digit_message(text: str, ch: str) -> str:
    name = unicodedata.name(ch, f"U+{ord(ch):04X}")
    return _("{text} has {char} ({name}), which is not one of the digits 0-9: type it again with 0-9").format(
        text=repr(_short(text)), char=repr(ch), name=name)


def clean_id(text: str) -> str:
    """An ID (工号) as compared: NFKC (full-width digits and letters made half-width), invisible characters
    (zero-width spaces, BOMs, direction marks, control characters) removed, surrounding spaces removed; the
    text is otherwise kept (leading zeros stay: ``000123`` is not ``123``).

    Raises ``ValueError`` for an odd digit (``1²`` is not ``12``).
    """
    if text.isascii() and text.isprintable():
        return text.strip()
    visible = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    if ch := odd_digit(visible):
        raise ValueError(odd_digit_message(text, ch))
    return "".join(ch for ch in unicodedata.normalize("NFKC", visible)
                   if unicodedata.category(ch) not in _INVISIBLE).strip()


_INVISIBLE = frozenset({"Cf", "Cc", "Co", "Cn", "Cs"})  # format (zero-width, BOM, bidi), control, private, unassigned


def excel_error_hint(text: str) -> str | None:
    """The message for an Excel error value (``#N/A``...), or None when ``text`` is not one."""
    value = text.strip()
    if value.upper() in EXCEL_ERRORS:
        return _("{value} is an Excel error value, not a value: fix the formula in this cell or type the value").format(
                   value=value)
    return None


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
                raise ValueError(_("{text} is not a real date ({year}-{month:02d}-{day:02d} does not exist)").format(
                                     text=repr(_short(text)), year=year, month=month, day=day)) from None
    if hint := excel_error_hint(value):
        raise ValueError(hint)
    if ch := odd_digit(value):
        raise ValueError(odd_digit_message(text, ch))
    if _SERIAL.match(value):
        raise ValueError(_("{text} is not a date: it looks like an Excel date serial number; format the cell as a "
                           "date (yyyy-mm-dd)").format(text=repr(_short(text))))
    raise ValueError(_("{text} is not a date; write it as 2026-10-03").format(text=repr(_short(text))))


@lru_cache(maxsize=4096)
def parse_decimal(text: str) -> Decimal:
    """A plain decimal number, exactly (never through float); thousands commas are refused."""
    value = clean(text)
    if not _NUMBER.match(value):
        raise ValueError(_not_a_number(text, value))
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(_("{text} is not a number").format(text=repr(_short(text)))) from None
    sign, digits, exponent = number.as_tuple()
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    significant = len(digits) - next((i for i, d in enumerate(digits) if d), len(digits))
    if decimals > MAX_DECIMALS:
        raise ValueError(_("{text} has {decimals} decimals, more than the {max} a figure can have: round "
                           "it").format(text=repr(_short(text)), decimals=decimals, max=MAX_DECIMALS))
    if significant > MAX_DIGITS:
        raise ValueError(_("{text} has {digits} significant digits, more than the {max} a figure can have: "
                           "round it").format(text=repr(_short(text)), digits=significant, max=MAX_DIGITS))
    return number


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _not_a_number(text: str, value: str) -> str:
    if hint := excel_error_hint(value):
        return hint
    if ch := odd_digit(value):
        return odd_digit_message(text, ch)
    word = value.lower().lstrip("+-")
    if word in ("nan", "inf", "infinity", "∞"):
        return _("{text} is not a number (NaN and infinity are not values)").format(text=repr(_short(text)))
    if _EXPONENT.match(value):
        return _("{text} is not a plain number: write it without an exponent").format(text=repr(_short(text)))
    if _THOUSANDS.match(value):
        return _("{text} is not a number: write it without thousands separators").format(text=repr(_short(text)))
    if not value:
        return _("an empty cell is not a number")
    return _("{text} is not a number").format(text=repr(_short(text)))


MAX_MONEY = Decimal(10) ** 9


@lru_cache(maxsize=1024)
def parse_money(text: str) -> Decimal:
    """An amount in 元: a plain number from 0 to 1 000 000 000 with at most 2 decimals (分), exactly.

    ``¥``/``￥`` before it and ``元`` after it are allowed; thousands commas are refused like everywhere.
    """
    value = clean(text).removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    number = parse_decimal(value)
    if number < 0:
        raise ValueError(_("{text} is negative: an amount is 0 or more").format(text=repr(_short(text))))
    if number > MAX_MONEY:
        raise ValueError(_("{text} is not plausible (more than 1 000 000 000 元)").format(text=repr(_short(text))))
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise ValueError(_("{text} has more than 2 decimals: an amount is in 元 to the 分 (0.01)").format(
                             text=repr(_short(text))))
    return number


@lru_cache(maxsize=256)
def parse_count(text: str) -> int:
    """次数: a whole number of at least 1."""
    value = clean(text)
    try:
        number = parse_decimal(value)
    except ValueError as exc:
        if excel_error_hint(value) or odd_digit(value):
            raise
        raise ValueError(_("count {text} is not a whole number").format(text=repr(_short(text)))) from exc
    if number != number.to_integral_value():
        raise ValueError(_("count {text} is not a whole number").format(text=repr(_short(text))))
    if number < 1:
        raise ValueError(_("count {text} must be at least 1").format(text=repr(_short(text))))
    if number > 10_000:
        raise ValueError(_("count {text} is not plausible for one period").format(text=repr(_short(text))))
    return int(number)


@lru_cache(maxsize=4096)
def parse_percent(text: str) -> Decimal:
    """A rate in percent: ``96``, ``96%`` and ``96.5 %`` all mean 96%; 0 to 100.

    A fraction such as ``0.96`` is refused as ambiguous (0.96% or 96%?): write 96 or 96%.
    """
    value = clean(text)
    has_sign = value.endswith("%")
    number = parse_decimal(value[:-1].strip()) if has_sign else parse_decimal(value)
    if not has_sign and 0 < number < 1:
        raise ValueError(_("{text} is ambiguous: write a rate in percent, as 96 or 96%").format(text=repr(_short(text))))
    if not 0 <= number <= 100:
        raise ValueError(_("rate {text} is outside 0-100%").format(text=repr(_short(text))))
    return number


def excel_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
