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
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from kpi_cli.i18n import _
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.numbers import fmt  # noqa: F401  (shown as people write it; re-exported here)
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import (
    Adjustment,
    ItemScore,
    MetricScore,
    RatingScore,
    Record,
    RuleCount,
    ScoreSheet,
    Subject,
    SubjectScore,
    Summary,
)
from kpi_cli.rubric.model import Band, DeductionRule, Item, MetricRule, Rater, Rubric

ZERO = Decimal(0)
ONE = Decimal(1)
#: Plain deductions on the log reader's hot path are summed as integer millionths of a point.
MICRO = Decimal(1_000_000)
#: Item results kept by one period's memo (each a few hundred bytes): memory stays bounded.
_MEMO_SIZE = 100_000
#: Divisions (proportional metrics, re-weighting, means) carry 34 significant digits.
EXACT = Context(prec=34)
#: Sums and products are exact: the figures of a log have at most 20 significant digits and 15 decimals
#: (inputs.values refuses longer ones), a rubric's at most 15 and 6, so no sum or product of them comes near
#: 60 digits; the default context (28 digits) would round 100 - 1.0500000000000000000000001.
WIDE = Context(prec=60)
#: A total is settled to 32 significant digits before it is rounded as the rubric says: an exact total has at
#: most 30 (9 before the point, 21 after: a 15-decimal rating × a 6-decimal weight) and is left alone; a total
#: with a division in it (34 digits) loses only the division's last-digit error (5.0499…9 -> 5.05).
SETTLE = Context(prec=32)


def round_total(value: Decimal, decimals: int) -> Decimal:
    """四舍五入 to ``decimals`` places: 60.35 -> 60.4, 61.05 -> 61.1.

    An exact total is rounded once.  A total that involves a division (proportional
    metrics, re-weighting) carries 34 significant digits; it is first settled to 32
    (:data:`SETTLE`), so that e.g. 10×1/3 + 10×1/6 + 0.05 = 5.05 is not rounded down
    from 5.0499…9.
    """
    if len(value.as_tuple().digits) > SETTLE.prec:
        value = SETTLE.plus(value)
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=WIDE)


def find_band(bands: Iterable[Band], total: Decimal) -> Band | None:
    return next((band for band in bands if band.contains(total)), None)


_EMPTY: Mapping[Any, Any] = MappingProxyType({})


class _Tally:
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
        self.values: Mapping[tuple[int, int], Record] = _EMPTY
        self.ratings: Mapping[tuple[int, int], Record] = _EMPTY
        self.adjustments: Sequence[Record] = ()  # kept only with the records
        self.adjustment_sum = ZERO
        self.last_adjustment: Record | None = None  # where a net beyond the bound is reported
        self.rule_counts: Mapping[tuple[int, int], int] = _EMPTY  # rules counted apart
        self.total_deducted = ZERO  # total_deductions: off the total, not an item
        self.total_records: Sequence[Record] = ()  # kept only with the records
        self.vetoes: Sequence[Record] = ()  # 一票否决 rows, always kept
        self.na: Mapping[int, Record] = _EMPTY  # item -> its 不适用 row, always kept
        self.records = records
        self.micro: list[int] | None = None  # see Scorer.micro_sums
        # the line of a value or rating stored as a record shared with other subjects (see Scorer.add_shared)
        self.lines: Mapping[tuple[int, int], int] = _EMPTY


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
        self._tallies: dict[str, _Tally] = {}
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

    def _tally(self, subject: str) -> _Tally:
        tally = self._tallies.get(subject)
        if tally is None:
            keep = self._keep if isinstance(self._keep, bool) else subject in self._keep
            tally = _Tally(self._no_points, self._no_counts,  # type: ignore[arg-type]
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
                if tally.rule_counts is _EMPTY:
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
            if table is _EMPTY:
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
        if table is _EMPTY:
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
            if tally.lines is _EMPTY:
                tally.lines = {}
            tally.lines[key] = line  # type: ignore[index]
        return None

    def _duplicate(self, record: Record, tally: _Tally, key: tuple[int, int], earlier: Record) -> Diagnostic:
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
                tally = _Tally(self._no_points, self._no_counts)  # type: ignore[arg-type]
            if tally.micro is not None:
                micro = tally.micro
                if type(tally.deducted) is tuple:
                    tally.deducted, tally.occurrences = list(tally.deducted), list(tally.occurrences)
                for i in range(n):
                    if micro[i] or micro[i + n]:
                        sum_ = points.get(micro[i])
                        if sum_ is None:
                            sum_ = Decimal(micro[i]).scaleb(-6)
                            if len(points) < _MEMO_SIZE:
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


#: The fields whose meaning the memo of item results (:class:`ItemMemo`) accounts for.  A rubric that sets
#: any other field (a rule kind or option added later) is scored without the memo: always correct, slower.
_NOTES = {"standard", "reconstructed"}  # wording and 重建 marks: shown, never scored
_MEMO_FIELDS: dict[type, frozenset[str]] = {
    Item: frozenset({"id", "name", "max", "roles", "wipe_at", "rules", "rating", "weights", *_NOTES,
                     "not_applicable"}),  # decided before the memo is asked
    # escalating points and a rule's own wipe_at: the key holds the counts of the rules counted apart
    DeductionRule: frozenset({"kind", "id", "name", "aliases", "points", "roles", "wipe_at", "team", *_NOTES}),
    MetricRule: frozenset({"kind", "id", "name", "aliases", "unit", "scoring", "target", "threshold", "points",
                           "bands", "missing", "roles", "zero_below", *_NOTES}),
    Rater: frozenset({"id", "name", "aliases", "weight", *_NOTES}),
    # deduct_from is the same for every subject of the run; cap_total / floor_total act on the total only
    Rubric: frozenset({"id", "title", "period", "subject", "roles", "total", "rounding", "raters", "missing_rating",
                       "adjustments", "items", "grades", "outcomes", "source", "deduct_from", "cap_total",
                       "total_deductions", "vetoes",  # they act on the total, never on an item
                       "floor_total", "status", "adopted_by", "adopted_on", *_NOTES,
                       "rollup", "across_periods"}),  # the ledger's: they never change an item's score
}


class ItemMemo:
    """Item results shared between subjects whose records for the item are the same.

    An :class:`ItemScore` without its records depends only on the rubric and on what was recorded for
    the item: the deductions' sum and count, each metric rule's value, each rater's score.  Thousands
    of people share a few hundred such combinations, so each is worked out once and the frozen result
    shared; a result that raised a problem (a missing value or rating, which names the subject) is
    never kept.  Values are keyed by their text, so 89 and 89.0 stay apart.
    """

    def __init__(self, rubric: Rubric) -> None:
        models = [rubric, *rubric.items, *rubric.raters, *(r for i in rubric.items for r in i.rules)]
        self.enabled = all(type(m) in _MEMO_FIELDS and m.model_fields_set <= _MEMO_FIELDS[type(m)] for m in models)
        self.metric_rules = [tuple(j for j, r in enumerate(item.rules) if isinstance(r, MetricRule))
                             for item in rubric.items]
        self.raters = range(len(rubric.raters))
        self.counted_rules = [tuple(j for j, r in enumerate(item.rules) if isinstance(r, DeductionRule) and r.counted)
                              for item in rubric.items]
        self.results: dict[tuple[object, ...], ItemScore] = {}
        self.weights = [rubric.weights_for(item) for item in rubric.items]  # worked out once, not per subject
        self.rating_parts: dict[tuple[int, int, str], tuple[RatingScore, Decimal]] = {}  # one rater's rating
        self.standings: dict[Decimal, tuple[Decimal, Band | None, Band | None, Band | None]] = {}  # see _standing
        self.rescales = any(item.not_applicable == "rescale" for item in rubric.items)

    def key(self, index: int, item: Item, tally: _Tally, role: str | None) -> tuple[object, ...] | None:
        if tally.records is not None:
            return None
        if item.rating is not None:
            ratings = tally.ratings
            return (index, *[None if (r := ratings.get((index, k))) is None else str(r.score) for k in self.raters])
        deducted = tally.deducted[index]
        key = (index, role, deducted if deducted is ZERO else str(deducted), tally.occurrences[index])
        rules, counted = self.metric_rules[index], self.counted_rules[index]  # role: rules limited to roles
        if not rules and not counted:
            return key
        values = tally.values
        return (key + tuple([None if (r := values.get((index, j))) is None else str(r.value) for j in rules])
                + tuple([tally.rule_counts.get((index, j), 0) for j in counted]))


def score_subject(rubric: Rubric, subject: Subject, tally: _Tally, problems: list[Diagnostic],
                  memo: ItemMemo | None = None) -> SubjectScore:
    items: list[ItemScore] = []
    from_total = rubric.deduct_from == "total"
    for index, item in enumerate(rubric.items):
        if not item.applies_to(subject.role):
            continue
        if item.not_applicable is not None:
            na = _not_applicable(rubric, index, item, subject, tally, problems)
            if na is not None:
                items.append(na)
                continue
        key = None if memo is None else memo.key(index, item, tally, subject.role)
        if key is not None:
            known = memo.results.get(key)  # type: ignore[union-attr]
            if known is not None:
                items.append(known)
                continue
            before = len(problems)
        if item.rating is not None:
            weights = None if memo is None else memo.weights[index]
            items.append(_rated_item(rubric, index, item, subject, tally, problems, weights,
                                     None if memo is None else memo.rating_parts))
        else:
            items.append(_deduction_item(index, item, subject, tally, problems, from_total=from_total))
        if key is not None and len(problems) == before and len(memo.results) < _MEMO_SIZE:  # type: ignore[union-attr]
            memo.results[key] = items[-1]  # type: ignore[union-attr]
    adjustments = tuple(Adjustment(r.points or ZERO, r.note, r) for r in tally.adjustments)
    net = _net_adjustment(rubric, subject, tally, problems)
    item_sum = sum((i.score for i in items), ZERO)
    rescaled_from = None
    rescales = memo.rescales if memo is not None else True  # no item of the rubric rescales: nothing to look at
    if rescales and any(i.not_applicable == "rescale" for i in items):
        # the items that apply are worth this much; their sum is rescaled to the declared total
        rescaled_from = sum((i.max for i in items if i.not_applicable != "rescale"), ZERO)
        if rescaled_from == 0:
            problems.append(Diagnostic(subject.file or "roster", subject.line, 0,
                                       _("{id} {name}: no item applies (every item is marked not applicable), so "
                                         "there is nothing to score").format(id=subject.id, name=subject.name), "all-not-applicable"))
            rescaled_from = None
        else:
            item_sum = EXACT.divide(EXACT.multiply(item_sum, rubric.total), rescaled_from)
    raw = item_sum + net - tally.total_deducted
    bounded = ""
    if rubric.cap_total and raw > rubric.total:
        bounded, kept = "cap", rubric.total
    elif rubric.floor_total and raw < 0:
        bounded, kept = "floor", ZERO
    else:
        kept = raw
    standing = None if memo is None else memo.standings.get(kept)
    if standing is None:
        standing = _standing(rubric, kept)
        if memo is not None and len(memo.standings) < _MEMO_SIZE:
            memo.standings[kept] = standing  # a Decimal key: equal totals round and band alike
    total, grade, next_grade, outcome = standing
    veto = None
    if tally.vetoes:  # 一票否决: the first veto listed in the rubric that was recorded decides
        hit = {r.rule for r in tally.vetoes}
        veto = next(v for k, v in enumerate(rubric.vetoes) if k in hit)
        if veto.total is not None:
            total = round_total(veto.total, rubric.rounding.decimals)
            if veto.grade is None:
                grade = next((b for b in rubric.grades if b.contains(total)), None)
            if veto.outcome is None:
                outcome = find_band(rubric.outcomes, total)
        if veto.grade is not None:
            grade = next(b for b in rubric.grades if b.label == veto.grade)
        if veto.outcome is not None:
            outcome = next(b for b in rubric.outcomes if b.label == veto.outcome)
        next_grade = None  # no points bring a vetoed period to the next grade
    return SubjectScore(subject, tuple(items), adjustments, raw, total, grade,
                        outcome, next_grade, adjustment_total=net,
                        adjustment_recorded=tally.adjustment_sum, bounded=bounded,
                        total_deducted=tally.total_deducted, total_records=tuple(tally.total_records),
                        veto=veto, veto_records=tuple(sorted(tally.vetoes, key=lambda r: (r.date, r.line))),
                        rescaled_from=rescaled_from)


def _standing(rubric: Rubric, kept: Decimal) -> tuple[Decimal, Band | None, Band | None, Band | None]:
    """The rounded total of a raw total as kept (capped, floored), its grade, the grade above it, its outcome."""
    total = round_total(kept, rubric.rounding.decimals)
    grade = None
    next_grade = None
    for band in rubric.grades:  # highest first: the band before the one found is the next one up
        if band.contains(total):
            grade = band
            break
        next_grade = band
    else:
        next_grade = None
    return total, grade, next_grade, find_band(rubric.outcomes, total)


def _not_applicable(rubric: Rubric, index: int, item: Item, subject: Subject, tally: _Tally,
                    problems: list[Diagnostic]) -> ItemScore | None:
    """The item's result when it does not apply to this subject (marked 项目.不适用 in the log, or a rated or
    measured item with nothing recorded at all), as the item's ``not_applicable`` policy says; else None."""
    record = tally.na.get(index)
    rated = any((index, k) in tally.ratings for k in range(len(rubric.raters)))
    measured = any(key[0] == index for key in tally.values)
    recorded = rated or measured or tally.occurrences[index] > 0
    if record is not None:
        if recorded:
            problems.append(Diagnostic(record.file, record.line, 0, _("{id} {name}: {name2} is marked not applicable "
                                                                      "here, but the log also records it; keep one "
                                                                      "or the other").format(
                                                                        id=subject.id, name=subject.name, name2=item.name), "not-applicable-conflict", sheet=record.sheet))
    elif recorded or (item.rating is None and not all(isinstance(r, MetricRule) for r in item.rules)):
        return None  # deductions apply unless marked: no record means full marks
    policy = item.not_applicable
    score = item.max if policy == "full" else ZERO
    return ItemScore(item.id, item.name, item.max, score, score, ZERO, 0, False, False, False,
                     records=(record,) if record is not None else (), not_applicable=policy or "")


def _net_adjustment(rubric: Rubric, subject: Subject, tally: _Tally, problems: list[Diagnostic]) -> Decimal:
    """The period's net 奖扣分 as it counts: within ±net bound, refused or capped beyond it."""
    net, adj = tally.adjustment_sum, rubric.adjustments
    if adj is None or abs(net) <= adj.net_bound:
        return net
    bound = adj.net_bound if net > 0 else -adj.net_bound
    if adj.over_net == "cap":
        return bound
    last = tally.last_adjustment
    assert last is not None
    message = _("{id} {name}: the {what} of the period add up to {net}, beyond the ±{bound} the form allows for a "
                "period (this is the last {what} row); correct the rows, or declare over_net: cap in the rubric")
    problems.append(Diagnostic(last.file, last.line, 0, message.format(
        id=subject.id, name=subject.name, what=adj.name, net=("+" if net > 0 else "") + fmt(net),
        bound=fmt(adj.net_bound)), "adjustment-net", sheet=last.sheet))
    return bound


def _kept(tally: _Tally, index: int) -> tuple[Record, ...]:
    return tuple(tally.records[index]) if tally.records is not None else ()


def _deduction_item(index: int, item: Item, subject: Subject, tally: _Tally,
                    problems: list[Diagnostic], *, from_total: bool = False) -> ItemScore:
    base = item.max
    metric_deduction = ZERO
    metrics: list[MetricScore] = []
    for j, rule in enumerate(item.rules):
        if not isinstance(rule, MetricRule) or not rule.applies_to(subject.role):
            continue
        record = tally.values.get((index, j))
        value = record.value if record is not None else None
        if value is None:
            if rule.missing == "error":
                problems.append(Diagnostic(subject.file or "roster", subject.line, 0,
                                           _("{id} {name}: no value recorded for {item} / {rule}; add a row with "
                                             "数值 (value), or set missing: full or zero in the rubric").format(
                                               id=subject.id, name=subject.name, item=item.name, rule=rule.name),
                                           "missing-value"))
                continue
            if rule.missing == "full":
                metrics.append(MetricScore(rule.name, None, rule.scoring, _("no value recorded: full marks"), None, ZERO))
                continue
            value = ZERO
        metric = score_metric(item, rule, value, recorded=record is not None)
        metrics.append(metric)
        if metric.base is not None:
            base = metric.base
        metric_deduction += metric.deduction
    deducted = tally.deducted[index]
    occurrences = tally.occurrences[index]
    counts: list[RuleCount] = []
    for j, rule in enumerate(item.rules):
        if isinstance(rule, DeductionRule) and rule.counted:
            n = tally.rule_counts.get((index, j), 0)
            costs = rule.cost(n) if rule.escalates else ()
            deducted += sum(costs, ZERO)  # escalating rows carry no points of their own: the count decides
            if n:
                counts.append(RuleCount(rule.name, n, costs, rule.wipe_at))
    raw = base - deducted - metric_deduction
    wiped = (item.wipe_at is not None and occurrences >= item.wipe_at) or any(c.wipes for c in counts)
    floor = raw if from_total else ZERO  # deducted from the total: the item keeps what it lost beyond 0
    score = ZERO if wiped else min(max(raw, floor), item.max)
    return ItemScore(item.id, item.name, item.max, score, raw, deducted, occurrences, wiped,
                     floored=not wiped and raw < floor, capped=raw > item.max, metrics=tuple(metrics),
                     records=_kept(tally, index), rule_counts=tuple(counts))


def score_metric(item: Item, rule: MetricRule, value: Decimal, *, recorded: bool = True) -> MetricScore:
    """What one measured value does to its item."""
    unit = "%" if rule.unit == "percent" else ""  # on the threshold and bands too: "96% is below 98%"
    shown = fmt(value) + unit
    if not recorded:
        shown = _("no value recorded, taken as {value}").format(value=shown)
    if rule.scoring == "proportional":
        assert rule.target is not None
        if rule.zero_below is not None and value < rule.zero_below:
            return MetricScore(rule.name, value, rule.scoring, _("{shown} is below {zero_below}{value}: scores 0").format(
                                                                   shown=shown, zero_below=fmt(rule.zero_below), value='%' if rule.unit == 'percent' else ''), ZERO, ZERO)
        share = min(EXACT.divide(value, rule.target), ONE)
        base = EXACT.multiply(item.max, share)
        effect = _("{value} of target {goal}: {max} × {counted} / {target} = {points}").format(
            value=shown, goal=fmt(rule.target) + unit, target=fmt(rule.target), max=fmt(item.max),
            counted=fmt(min(value, rule.target)), points=fmt(base))
        return MetricScore(rule.name, value, rule.scoring, effect, base, ZERO)
    if rule.scoring == "bands":
        band = next(b for b in rule.bands if (b.min is None or value >= b.min) and (b.max is None or value < b.max))
        lo = "" if band.min is None else f"{fmt(band.min)}{unit} ≤ "
        hi = "" if band.max is None else f" < {fmt(band.max)}{unit}"
        return MetricScore(rule.name, value, rule.scoring, _("{value}: band {low}value{high} gives {points}").format(
            value=shown, low=lo, high=hi, points=fmt(band.points)), band.points, ZERO)
    assert rule.threshold is not None and rule.points is not None
    hit = value < rule.threshold if rule.scoring == "below" else value > rule.threshold
    below = rule.scoring == "below"
    if hit:
        effect = _("{value} is below {threshold}: −{points}") if below else _("{value} is above {threshold}: −{points}")
        return MetricScore(rule.name, value, rule.scoring, effect.format(
            value=shown, threshold=fmt(rule.threshold) + unit, points=fmt(rule.points)), None, rule.points)
    effect = _("{value} is not below {threshold}: no deduction") if below \
        else _("{value} is not above {threshold}: no deduction")
    return MetricScore(rule.name, value, rule.scoring,
                       effect.format(value=shown, threshold=fmt(rule.threshold) + unit),
                       None, ZERO)


def _rated_item(rubric: Rubric, index: int, item: Item, subject: Subject, tally: _Tally,
                problems: list[Diagnostic], weights: tuple[tuple[int, Decimal], ...] | None = None,
                parts: dict[tuple[int, int, str], tuple[RatingScore, Decimal]] | None = None) -> ItemScore:
    if weights is None:
        weights = rubric.weights_for(item)  # the item's own raters and weights, else every rater's
    present = {k: tally.ratings[(index, k)] for k, _ in weights if (index, k) in tally.ratings}
    missing = [rubric.raters[k].name for k, _ in weights if k not in present]
    if missing and (rubric.missing_rating == "refuse" or not present):
        problems.append(Diagnostic(subject.file or "roster", subject.line, 0,
                                   _("{id} {name}: no rating of {item} by {raters}; add the rating rows (评分人, 评分)").format(
                                       id=subject.id, name=subject.name, item=item.name, raters=", ".join(missing)),
                                   "missing-rating"))
    present_weight = sum((weight for k, weight in weights if k in present), ZERO)
    combined = ZERO
    ratings: list[RatingScore] = []
    assert item.rating is not None
    for k, weight in weights:
        record = present.get(k)
        if record is None or record.score is None:
            ratings.append(RatingScore(rubric.raters[k].name, weight, ZERO, None, None))
            continue
        if parts is not None and present_weight == 1:  # every weight counts as declared: shared between people
            key = (index, k, str(record.score))
            part = parts.get(key)
            if part is None:
                part = parts[key] = _rating_part(rubric, item, k, weight, weight, record.score)
        else:
            part = _rating_part(rubric, item, k, weight, EXACT.divide(weight, present_weight), record.score)
        ratings.append(part[0])
        combined += part[1]
    score = min(max(combined, ZERO), item.max)
    return ItemScore(item.id, item.name, item.max, score, combined, ZERO, 0, False, combined < 0,
                     combined > item.max, ratings=tuple(ratings), records=_kept(tally, index))


def _rating_part(rubric: Rubric, item: Item, k: int, weight: Decimal, used: Decimal, score: Decimal
                 ) -> tuple[RatingScore, Decimal]:
    """One rater's rating of ``item`` and what it adds to the item: used weight × score."""
    assert item.rating is not None
    band = next((b.label for b in item.rating.bands if b.contains(score)), None)
    return RatingScore(rubric.raters[k].name, weight, used, score, band), used * score


def rank(scores: Iterable[SubjectScore], *, fresh: bool = False) -> tuple[SubjectScore, ...]:
    """Best total first (then by id); ranks 1, 2, 2, 4 overall and within each department.

    ``fresh``: the results were just made by the scorer and nobody holds them yet, so their two rank fields
    are set in place (as their own ``__init__`` sets fields) instead of copying each result: 150,000
    ``dataclasses.replace`` calls were 1.2 s of CPU time.
    """
    ordered = sorted(scores, key=lambda s: (-s.total, s.subject.id))
    out: list[SubjectScore] = []
    overall = _Ranking()
    departments: dict[str, _Ranking] = {}
    setfield = object.__setattr__
    for s in ordered:
        department = departments.get(s.subject.department)
        if department is None:
            department = departments[s.subject.department] = _Ranking()
        if fresh:
            setfield(s, "rank", overall.next(s.total))
            setfield(s, "department_rank", department.next(s.total))
            out.append(s)
        else:
            out.append(replace(s, rank=overall.next(s.total), department_rank=department.next(s.total)))
    return tuple(out)


class _Ranking:
    """Competition ranks (1, 2, 2, 4) over totals given best first."""

    def __init__(self) -> None:
        self.count = 0
        self.rank = 0
        self.last: Decimal | None = None

    def next(self, total: Decimal) -> int:
        self.count += 1
        if total != self.last:
            self.rank, self.last = self.count, total
        return self.rank


def summarize(rubric: Rubric, scores: tuple[SubjectScore, ...]) -> Summary:
    totals = [s.total for s in scores]
    mean = None
    if totals:
        mean = round_total(EXACT.divide(sum(totals, ZERO), Decimal(len(totals))), rubric.rounding.decimals + 1)
    grades: dict[int, int] = {}  # by id(band): one pass over the results, whatever the number of bands
    outcomes: dict[int, int] = {}
    for s in scores:
        if s.grade is not None:
            grades[id(s.grade)] = grades.get(id(s.grade), 0) + 1
        if s.outcome is not None:
            outcomes[id(s.outcome)] = outcomes.get(id(s.outcome), 0) + 1
    per_grade = tuple((b.label, grades.get(id(b), 0)) for b in rubric.grades)
    per_outcome = tuple((b.label, outcomes.get(id(b), 0)) for b in rubric.outcomes)
    return Summary(len(scores), mean, min(totals, default=None), max(totals, default=None), per_grade, per_outcome)
