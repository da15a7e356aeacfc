"""What has been recorded for one subject so far (the scorer's compact per-person state)."""


from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any
from decimal import Decimal

from kpi_cli.engine.numbers import fmt  # noqa: F401  (shown as people write it; re-exported here)
from kpi_cli.engine.results import (
    Record,
)

from kpi_cli.engine.arithmetic import ZERO


EMPTY: Mapping[Any, Any] = MappingProxyType({})


class Tally:
    """What has been recorded for one subject so far.

    Its containers start as shared empty ones (a tuple, a read-only mapping) and are made on the first write:
    most subjects never have a veto, a 不适用 row, a rule counted apart or kept records, and seven empty dicts
    and lists cost about 400 bytes a subject (60 MB at 150,000 people).
    """

    __slots__ = ("deducted", "occurrences", "values", "ratings", "adjustments", "adjustment_sum", "last_adjustment",
                 "rule_counts", "total_deducted", "total_records", "vetoes", "na", "records", "micro", "lines")

    def __init__(self, deducted: list[Decimal], occurrences: list[int], *,
                 records: list[list[Record]] | None = None) -> None:
        self.deducted = deducted
        self.occurrences = occurrences
        self.values: Mapping[tuple[int, int], Record] = EMPTY
        self.ratings: Mapping[tuple[int, int], Record] = EMPTY
        self.adjustments: Sequence[Record] = ()  # kept only with the records
        self.adjustment_sum = ZERO
        self.last_adjustment: Record | None = None  # where a net beyond the bound is reported
        self.rule_counts: Mapping[tuple[int, int], int] = EMPTY  # rules counted apart
        self.total_deducted = ZERO  # total_deductions: off the total, not an item
        self.total_records: Sequence[Record] = ()  # kept only with the records
        self.vetoes: Sequence[Record] = ()  # 一票否决 rows, always kept
        self.na: Mapping[int, Record] = EMPTY  # item -> its 不适用 row, always kept
        self.records = records
        self.micro: list[int] | None = None  # see Scorer.micro_sums
        # the line of a value or rating stored as a record shared with other subjects (see Scorer.add_shared)
        self.lines: Mapping[tuple[int, int], int] = EMPTY


