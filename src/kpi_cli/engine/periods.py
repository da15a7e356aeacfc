"""Appraisal periods: a month (``2026-10``) or a quarter (``2026Q4``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, NamedTuple

from kpi_cli.i18n import N_, _

PeriodKind = Literal["month", "quarter"]
_KIND_WORDS = {"month": N_("month"), "quarter": N_("quarter")}


def kind_word(kind: str) -> str:
    """``month`` / ``quarter`` in the language of the run (月度 / 季度)."""
    return _(_KIND_WORDS[kind]) if kind in _KIND_WORDS else kind

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")


class Period(NamedTuple):
    """Immutable and ordered; a tuple, so hashing it is cheap on the per-row path."""

    year: int
    kind: PeriodKind
    number: int  # month 1-12 or quarter 1-4

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-10`` or ``2026Q4``; raises ValueError with a message for people."""
        text = text.strip()
        if m := _MONTH.match(text):
            month = int(m.group(2))
            if 1 <= month <= 12:
                return cls(int(m.group(1)), "month", month)
        if m := _QUARTER.match(text):
            return cls(int(m.group(1)), "quarter", int(m.group(2)))
        raise ValueError(_("{text} is not a period: write a month as 2026-10 or a quarter as 2026Q4").format(
            text=repr(text)))

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        if kind == "month":
            return cls(day.year, "month", day.month)
        return cls(day.year, "quarter", (day.month - 1) // 3 + 1)

    @property
    def first_month(self) -> int:
        return self.number if self.kind == "month" else 3 * (self.number - 1) + 1

    @property
    def months(self) -> int:
        return 1 if self.kind == "month" else 3

    def contains(self, day: date) -> bool:
        return day.year == self.year and self.first_month <= day.month < self.first_month + self.months

    def previous(self) -> Period:
        limit = 12 if self.kind == "month" else 4
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, limit)

    def __str__(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """考核月度 as the forms write it."""
        return f"{self.year}年{self.number}月" if self.kind == "month" else f"{self.year}年第{self.number}季度"


RELATIVE_PERIODS: dict[str, tuple[PeriodKind, int]] = {
    "this-month": ("month", 0),
    "last-month": ("month", -1),
    "this-quarter": ("quarter", 0),
    "last-quarter": ("quarter", -1),
}


def resolve_period(text: str, kind: PeriodKind | None = None, today: date | None = None) -> Period:
    """A period as written on the command line or in kpi.toml, absolute or relative to ``today``.

    ``2026-10`` and ``2026Q4`` are read by :meth:`Period.parse` (their kind is
    checked later, against the rubric).  ``this-month``, ``last-month``,
    ``this-quarter`` and ``last-quarter`` are counted from ``today`` (default:
    the local date), so a job run on 2027-01-01 scores 2026-12 (last-month) or
    2026Q4 (last-quarter).  A relative period of another kind than ``kind``
    (the rubric's) is refused: ``last-month`` for a quarterly form is a mistake.
    Raises ValueError with a message for people.
    """
    word = text.strip().lower()
    relative = RELATIVE_PERIODS.get(word)
    if relative is None:
        if re.match(r"^[a-z-]+$", word):
            known = ", ".join(RELATIVE_PERIODS)
            raise ValueError(_("{text} is not a period: write 2026-10, 2026Q4 or one of {known}").format(
                text=repr(text), known=known))
        return Period.parse(text)
    word_kind, offset = relative
    if kind is not None and word_kind != kind:
        better = f"{'last' if offset else 'this'}-{kind}"
        raise ValueError(_("{word} is a {kind}, but the rubric is scored by {rubric_kind}; use {better}").format(
            word=word, kind=kind_word(word_kind), rubric_kind=kind_word(kind), better=better))
    period = Period.containing(today or date.today(), word_kind)
    return period.previous() if offset else period
