"""One subject's items scored from what was recorded: deductions (wipes, floors, escalation), metrics, weighted
ratings, not-applicable items, the net 奖扣分, the total and its bands; the memo that shares item results
between subjects recorded alike."""


from __future__ import annotations

from decimal import Decimal

from kpi_cli.i18n import _
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.numbers import fmt  # noqa: F401  (shown as people write it; re-exported here)
from kpi_cli.engine.results import (
    Adjustment,
    ItemScore,
    MetricScore,
    RatingScore,
    Record,
    RuleCount,
    Subject,
    SubjectScore,
)
from kpi_cli.rubric.model import Band, DeductionRule, Item, MetricRule, Rater, Rubric

from kpi_cli.engine.arithmetic import EXACT, ONE, ZERO, find_band, round_total
from kpi_cli.engine.tally import Tally

#: Item results kept by one period's memo (each a few hundred bytes): memory stays bounded.
MEMO_SIZE = 100_000


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

    def key(self, index: int, item: Item, tally: Tally, role: str | None) -> tuple[object, ...] | None:
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


def score_subject(rubric: Rubric, subject: Subject, tally: Tally, problems: list[Diagnostic],
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
        if key is not None and len(problems) == before and len(memo.results) < MEMO_SIZE:  # type: ignore[union-attr]
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
        if memo is not None and len(memo.standings) < MEMO_SIZE:
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


def _not_applicable(rubric: Rubric, index: int, item: Item, subject: Subject, tally: Tally,
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


def _net_adjustment(rubric: Rubric, subject: Subject, tally: Tally, problems: list[Diagnostic]) -> Decimal:
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


def _kept(tally: Tally, index: int) -> tuple[Record, ...]:
    return tuple(tally.records[index]) if tally.records is not None else ()


def _deduction_item(index: int, item: Item, subject: Subject, tally: Tally,
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


def _rated_item(rubric: Rubric, index: int, item: Item, subject: Subject, tally: Tally,
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


