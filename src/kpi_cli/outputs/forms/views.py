"""The view model of the printed forms: what the templates show, already formatted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kpi_cli.engine.scoring import fmt
from kpi_cli.outputs import wording
from kpi_cli.rubric.model import Band


NO_DEPARTMENT = "(未填部门)"


@dataclass(frozen=True)
class Line:
    """One line of the 违规情况记录 column."""

    date: str = ""
    text: str = ""
    points: str = ""  # "−3", "+2"
    note: str = ""
    calc: bool = False  # a calculation (metric, weighting, wipe) rather than a record


@dataclass(frozen=True)
class Row:
    number: str
    name: str
    standard: str
    details: tuple[str, ...]  # further lines under the standard: rules and points, rating bands
    lines: tuple[Line, ...]
    max: str
    ratings: tuple[str, ...]  # one cell per rater column
    score: str
    lost: bool
    rated: bool = False
    inline: bool = False  # the details run on in one paragraph (a dense form), not a line each


@dataclass(frozen=True)
class Box:
    label: str
    ticked: bool


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    department: str
    role: str
    rows: tuple[Row, ...]
    adjustments: Row | None
    max_total: str
    total: str
    calculation: str
    grade: str
    outcome: str
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[int, float], ...]  # (count, y) of the horizontal grid lines
    title: str


@dataclass(frozen=True)
class Department:
    name: str
    count: int
    mean: str
    minimum: str
    maximum: str


@dataclass(frozen=True)
class RankRow:
    rank: int
    id: str
    name: str
    department: str
    role: str
    adjustment: str
    total: str
    grade: str
    outcome: str
    department_rank: int


@dataclass(frozen=True)
class SummaryPage:
    count: int
    mean: str
    minimum: str
    maximum: str
    ranking: tuple[RankRow, ...]
    per_grade: tuple[tuple[str, str, int], ...]  # label, range, count
    per_outcome: tuple[tuple[str, str, int], ...]
    chart: Chart | None
    departments: tuple[Department, ...]


def signed(value: Decimal) -> str:
    if value > 0:
        return "+" + fmt(value)
    if value < 0:
        return "−" + fmt(-value)
    return "0"


def percent(value: Decimal) -> str:
    return fmt(value * 100) + "%"


def band_range(band: Band) -> str:
    """A band as the forms write it: ≥95分, 90分≤总分<95分, <80分."""
    return wording.band_range(band, unit="分", name="总分", gap="")
