"""The scoring engine: pure, exact, streaming.

Records are added one at a time and only aggregated (sums and counts per
subject and item), so memory does not grow with the log unless the records
themselves are asked for (``keep_records``), as ``kpi explain`` and the detail
export do.

Semantics, as the forms say:

- deductions accumulate (依次累加): count × points per occurrence;
- ``wipe_at`` occurrences or more in the item wipe it (当月发生3起以上,该分值全扣);
- metric rules set the item's base (proportional, bands) or deduct (below, above);
- an item is floored at 0 (扣完为止) and capped at its maximum; with ``deduct_from: total`` it is not
  floored, so what it loses beyond its 分值 comes off the total;
- rated items combine the raters' scores by their weights;
- the period's net 奖扣分 is bounded by ``net_max``: beyond it the subject is refused or the net capped,
  as the rubric declares (``over_net``);
- total = items + net adjustment, capped at the declared total (``cap_total``) and floored at 0
  (``floor_total``), then rounded half-up as the rubric declares;
- grade and outcome bands are looked up on the rounded total.

This module holds the :class:`Scorer` (records in, a :class:`ScoreSheet` out); the exact contexts and
rounding are in :mod:`~kpi_cli.engine.arithmetic`, one subject's state in :mod:`~kpi_cli.engine.tally`, the
items and total of one subject in :mod:`~kpi_cli.engine.subject_scoring`, ranks and the summary in
:mod:`~kpi_cli.engine.ranking`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal, localcontext

from kpi_cli.i18n import _
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.numbers import fmt  # noqa: F401  (shown as people write it; re-exported here)
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import (
    Record,
    ScoreSheet,
    Subject,
    SubjectScore,
)
from kpi_cli.rubric.model import DeductionRule, Rubric
# The engine's numbers, item scoring and ranking live in their own modules; their names stay importable from
# here, where the rest of kpi-cli has always found them.
from kpi_cli.engine.arithmetic import (  # noqa: F401
    EXACT, MICRO, ONE, SETTLE, WIDE, ZERO, find_band, round_total)
from kpi_cli.engine.tally import EMPTY, Tally
from kpi_cli.engine.subject_scoring import (  # noqa: F401
    _MEMO_FIELDS, MEMO_SIZE, ItemMemo, score_metric, score_subject)
from kpi_cli.engine.ranking import rank, summarize  # noqa: F401  (re-exported)


class Scorer:
    """Accumulates the records of one period for one rubric."""

    def __init__(
        self,
        rubric: Rubric,
        period: Period,
        subjects: Mapping[str, Subject] | None,
        *,
        keep_records: bool | Collection[str] = True,
    ) -> None:
        self.rubric = rubric
        self.period = period
        self.from_roster = subjects is not None
        self.subjects: dict[str, Subject] = dict(subjects) if subjects is not None else {}
        self._keep = keep_records
        self._tallies: dict[str, Tally] = {}
        self._items = len(rubric.items)
        # (item, rule) of the rules whose occurrences are counted apart (escalating points, own wipe_at)
        self._counted = frozenset((i, j) for i, item in enumerate(rubric.items) for j, rule in enumerate(item.rules)
                                  if isinstance(rule, DeductionRule) and rule.counted)
        # every subject's tally starts with these (shared until written) and keys its values and ratings with
        # these same (item, rule or rater) pairs: one set for the run, not one per row (64 bytes each)
        self._no_points: Sequence[Decimal] = (ZERO,) * self._items
        self._no_counts: Sequence[int] = (0,) * self._items
        width = max([len(rubric.raters), *(len(item.rules) for item in rubric.items)], default=0)
        self._pairs = [[(i, j) for j in range(width)] for i in range(self._items)]

    def _tally(self, subject: str) -> Tally:
        tally = self._tallies.get(subject)
        if tally is None:
            keep = self._keep if isinstance(self._keep, bool) else subject in self._keep
            tally = Tally(self._no_points, self._no_counts,  # type: ignore[arg-type]
                           records=[[] for _ in range(self._items)] if keep else None)
            self._tallies[subject] = tally
            if subject not in self.subjects:
                self.subjects[subject] = Subject(subject)
        return tally

    def add(self, record: Record) -> Diagnostic | None:
        """Add one record; a conflict with an earlier record is returned as a diagnostic."""
        if record.team:  # a row for a department: one record per member, the points repeated or shared
            members = len(record.team)
            each = record.points
            if record.share and each is not None:
                each = EXACT.divide(each, Decimal(members))
            note = f"{record.subject} {members}人{'分摊' if record.share else '各扣'}" + \
                (f" {record.note}" if record.note else "")
            for member in record.team:
                self.add(record._replace(subject=member, points=each, note=note, team=(), share=False))
            return None
        tally = self._tally(record.subject)
        kind = record.kind
        if kind == "deduction":
            if type(tally.deducted) is tuple:  # the shared zeros: this subject's own from now on
                tally.deducted, tally.occurrences = list(tally.deducted), list(tally.occurrences)
            tally.deducted[record.item] = WIDE.add(tally.deducted[record.item],
                                                   WIDE.multiply(record.points or ZERO, record.count))
            tally.occurrences[record.item] += record.count
            if self._counted and (record.item, record.rule) in self._counted:
                key = (record.item, record.rule)
                if tally.rule_counts is EMPTY:
                    tally.rule_counts = {}
                tally.rule_counts[key] = tally.rule_counts.get(key, 0) + record.count  # type: ignore[index]
        elif kind == "total":  # off the total, not an item
            tally.total_deducted += record.deduction
            if tally.records is not None:
                if not tally.total_records:
                    tally.total_records = []
                tally.total_records.append(record)  # type: ignore[attr-defined]
            return None
        elif kind == "veto":  # rare and decisive: always kept, the receipt names the row
            tally.vetoes = [*tally.vetoes, record]  # rare: a new list each time is cheap
            return None
        elif kind == "na":  # 项目.不适用: kept, the receipt names the row
            if record.item not in tally.na:
                tally.na = {**tally.na, record.item: record}  # rare: a new dict each time is cheap
            return None
        elif kind == "adjustment":
            tally.adjustment_sum = WIDE.add(tally.adjustment_sum, record.points or ZERO)
            tally.last_adjustment = record
            if tally.records is not None:
                if not tally.adjustments:
                    tally.adjustments = []
                tally.adjustments.append(record)  # type: ignore[attr-defined]
            return None
        else:
            key = self._pairs[record.item][record.rule if kind == "metric" else record.rater]
            table = tally.values if kind == "metric" else tally.ratings
            if table is EMPTY:
                table = {}
                if kind == "metric":
                    tally.values = table
                else:
                    tally.ratings = table
            earlier = table.get(key)
            if earlier is not None:
                return self._duplicate(record, tally, key, earlier)
            table[key] = record  # type: ignore[index]
        if tally.records is not None:
            tally.records[record.item].append(record)
        return None

    def add_shared(self, record: Record, subject: str, line: int) -> Diagnostic | None:
        """Add a metric value or rating whose cells were seen before for ``subject`` at ``line``.

        ``record`` is the one made for the first row with these cells.  A subject whose records are not kept
        needs only its figure, so that one record is stored for everyone who has it, and the row's line is
        kept apart for the message about a second row: 150,000 people's five such rows were 200 bytes each.
        """
        tally = self._tally(subject)
        if tally.records is not None or record.kind not in ("metric", "rating") or record.team:
            return self.add(record._replace(subject=subject, line=line))
        key = self._pairs[record.item][record.rule if record.kind == "metric" else record.rater]
        table = tally.values if record.kind == "metric" else tally.ratings
        if table is EMPTY:
            table = {}
            if record.kind == "metric":
                tally.values = table
            else:
                tally.ratings = table
        earlier = table.get(key)
        if earlier is not None:
            return self._duplicate(record._replace(subject=subject, line=line), tally, key, earlier)
        table[key] = record  # type: ignore[index]
        if line != record.line:
            if tally.lines is EMPTY:
                tally.lines = {}
            tally.lines[key] = line  # type: ignore[index]
        return None

    def _duplicate(self, record: Record, tally: Tally, key: tuple[int, int], earlier: Record) -> Diagnostic:
        """A second value (or rating by the same rater) for one rule of one subject: which rows."""
        line = tally.lines.get(key, earlier.line)
        message = _("{id} already has a value for {rule} at line {line}; keep one row") if record.kind == "metric" \
            else _("{id} already has a rating by this rater for {rule} at line {line}; keep one row")
        return Diagnostic(record.file, record.line, 0, message.format(id=record.subject, rule=record.label, line=line),
                          "duplicate-record", sheet=record.sheet)

    def micro_sums(self, subject: str) -> list[int]:
        """Integer sums for ``subject``'s plain deductions, for a caller that adds them in bulk (the log
        reader's hot path): ``[i]`` the points of item i in millionths, ``[i + len(items)]`` its occurrences.
        They are added to the exact Decimal sums when the period is finished."""
        tally = self._tally(subject)
        if tally.micro is None:
            tally.micro = [0] * (2 * self._items)
        return tally.micro

    def finish(self) -> tuple[ScoreSheet | None, list[Diagnostic]]:
        """Score every subject; ``None`` with the reasons when any subject cannot be scored."""
        with localcontext(WIDE):  # every sum and product exact (see WIDE)
            return self._finish()

    def _finish(self) -> tuple[ScoreSheet | None, list[Diagnostic]]:
        diagnostics: list[Diagnostic] = []
        scores: list[SubjectScore] = []
        memo = ItemMemo(self.rubric)
        if not memo.enabled:
            memo = None
        points: dict[int, Decimal] = {}  # millionths -> points: a month repeats a few thousand sums
        n = self._items
        tallies = self._tallies
        self._tallies = {}  # each subject's tally is let go once it is scored: results replace tallies in memory
        for subject in self.subjects.values():
            tally = tallies.pop(subject.id, None)
            if tally is None:
                tally = Tally(self._no_points, self._no_counts)  # type: ignore[arg-type]
            if tally.micro is not None:
                micro = tally.micro
                if type(tally.deducted) is tuple:
                    tally.deducted, tally.occurrences = list(tally.deducted), list(tally.occurrences)
                for i in range(n):
                    if micro[i] or micro[i + n]:
                        sum_ = points.get(micro[i])
                        if sum_ is None:
                            sum_ = Decimal(micro[i]).scaleb(-6)
                            if len(points) < MEMO_SIZE:
                                points[micro[i]] = sum_
                        tally.deducted[i] += sum_
                        tally.occurrences[i] += micro[i + n]
                tally.micro = None
            result = score_subject(self.rubric, subject, tally, diagnostics, memo)
            scores.append(result)
        if diagnostics:
            return None, diagnostics
        ranked = rank(scores, fresh=True)
        sheet = ScoreSheet(self.rubric, self.period, ranked, summarize(self.rubric, ranked), self.from_roster)
        return sheet, []
