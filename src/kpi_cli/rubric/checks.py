"""Checks that span fields of a rubric, beyond what the schema says.

Each check is a pure function ``(rubric) -> iterable of Problem``; the loader
runs them all and places each problem at its YAML path.  Add a check by
writing a function and listing it in :data:`CHECKS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from kpi_cli.i18n import N_, _
from kpi_cli.names import did_you_mean, normalize
from kpi_cli.rubric.index import NOT_APPLICABLE_WORDS
from kpi_cli.rubric.model import Band, DeductionRule, MetricRule, PointRange, Rubric, ValueBand
from kpi_cli.rubric.yaml_source import YamlPath


class Problem(NamedTuple):
    path: YamlPath
    message: str
    code: str
    level: str = "error"


def _UNKNOWN_ROLE() -> str:  # noqa: N802  (one message, said in two places)
    return _("role {role} is not one of the rubric's roles ({roles}); correct the spelling or add it to roles: at "
             "the top")


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def check_totals(rubric: Rubric) -> Iterable[Problem]:
    if any(role not in rubric.roles for item in rubric.items for role in item.roles):
        return  # the per-role sums are meaningless until check_item_roles' problem is fixed
    roles: Sequence[str | None] = rubric.roles if rubric.role_specific else (None,)
    for role in roles:
        items = rubric.items_for(role)
        total = sum((item.max for item in items), Decimal(0))
        if total != rubric.total:
            parts = " + ".join(f"{item.name} {_fmt(item.max)}" for item in items)
            message = _("item maxima for role {role} add up to {sum} ({parts}), not the declared total {total}; "
                        "correct an item's max or the total") if role else \
                _("item maxima add up to {sum} ({parts}), not the declared total {total}; correct an item's max or "
                  "the total")
            yield Problem(("total",), message.format(role=role, sum=_fmt(total), parts=parts,
                                                     total=_fmt(rubric.total)), "total-mismatch")


def check_item_roles(rubric: Rubric) -> Iterable[Problem]:
    for i, item in enumerate(rubric.items):
        for j, role in enumerate(item.roles):
            if role not in rubric.roles:
                yield Problem(("items", i, "roles", j), _UNKNOWN_ROLE().format(role=repr(role),
                                                                                roles=", ".join(rubric.roles)),
                              "unknown-role")
        for j, rule in enumerate(item.rules):
            for k, role in enumerate(rule.roles):
                here = ("items", i, "rules", j, "roles", k)
                if role not in rubric.roles:
                    yield Problem(here, _UNKNOWN_ROLE().format(role=repr(role), roles=", ".join(rubric.roles)),
                                  "unknown-role")
                elif item.roles and role not in item.roles:
                    yield Problem(here, _("rule {rule} is limited to role {role}, but its item {item} applies only to "
                                          "{roles}; the rule could never be used by {name}").format(
                        rule=rule.id, role=repr(role), item=item.id, roles=", ".join(item.roles), name=role),
                                  "rule-role-outside-item")


def check_item_content(rubric: Rubric) -> Iterable[Problem]:
    for i, item in enumerate(rubric.items):
        here = ("items", i)
        if item.not_applicable is not None:
            for j, rule in enumerate(item.rules):
                clash = [key for key in (rule.id, rule.name, *rule.aliases) if normalize(key) in NOT_APPLICABLE_WORDS]
                if clash:
                    yield Problem(here + ("rules", j), _("rule {rule} is called {name!r}, which the log uses to mark "
                                  "item {item} not applicable; rename it").format(rule=rule.id, name=clash[0],
                                                                                  item=item.id), "ambiguous-name")
        if item.rating is not None and item.rules:
            yield Problem(here + ("rating",), _("item {item} has both rules and a rating; a rated item has no "
                                                "rules").format(item=item.id), "item-kind")
        if item.rating is None and not item.rules:
            yield Problem(here, _("item {item} has neither rules nor a rating").format(item=item.id), "item-kind")
        deductions = [r for r in item.rules if isinstance(r, DeductionRule)]
        if item.wipe_at is not None and not deductions:
            yield Problem(here + ("wipe_at",), _("wipe_at counts deductions, but this item has no deduction rule; "
                                                 "remove wipe_at or add deduction rules"), "wipe-without-rules")
        base_setting = [r for r in item.rules if isinstance(r, MetricRule) and r.scoring in ("proportional", "bands")]
        if len(base_setting) > 1:
            yield Problem(here + ("rules",), _("item {item} has {count} proportional or band metrics; at most one "
                                               "may set the item's score").format(item=item.id,
                                                                                  count=len(base_setting)),
                          "metric-conflict")


def check_deduction_points(rubric: Rubric) -> Iterable[Problem]:
    for i, item in enumerate(rubric.items):
        for j, rule in enumerate(item.rules):
            if not isinstance(rule, DeductionRule):
                continue
            here = ("items", i, "rules", j, "points")
            points = rule.points
            if isinstance(points, PointRange):
                if points.min > points.max:
                    yield Problem(here + ("min",), _("range {min}-{max} has min above max; swap them").format(
                        min=_fmt(points.min), max=_fmt(points.max)), "range-order")
                elif points.default is not None and not points.min <= points.default <= points.max:
                    yield Problem(here + ("default",), _("default {default} is outside {min}-{max}; it must lie "
                                                         "between min and max").format(
                        default=_fmt(points.default), min=_fmt(points.min), max=_fmt(points.max)), "range-default")
                highest, where = points.max, here + ("max",)
            elif isinstance(points, tuple):  # escalating: the dearest occurrence must fit the item
                k = max(range(len(points)), key=lambda n: points[n])
                highest, where = points[k], here + (k,)
            else:
                highest, where = points, here
            if rubric.deduct_from == "total":
                if highest > rubric.total:
                    yield Problem(where, _("rule {rule} deducts {points} points, more than the total {total}").format(
                        rule=rule.id, points=_fmt(highest), total=_fmt(rubric.total)), "points-above-max")
            elif highest > item.max:
                yield Problem(where, _("rule {rule} deducts {points} points, more than the item's maximum {max}; if the "
                                       "form deducts from the total (not per item), say deduct_from: total").format(
                    rule=rule.id, points=_fmt(highest), max=_fmt(item.max)), "points-above-max")


def check_metrics(rubric: Rubric) -> Iterable[Problem]:
    for i, item in enumerate(rubric.items):
        for j, rule in enumerate(item.rules):
            if not isinstance(rule, MetricRule):
                continue
            here = ("items", i, "rules", j)
            needs = {
                "proportional": ("target",),
                "below": ("threshold", "points"),
                "above": ("threshold", "points"),
                "bands": ("bands",),
            }[rule.scoring]
            for name in needs:
                value = getattr(rule, name)
                if value is None or value == ():  # 0 is a value: "above 0 complaints" is a fine threshold
                    yield Problem(here + ("scoring",), _("scoring {scoring} needs {name}: {what}").format(
                        scoring=repr(rule.scoring), name=name, what=_(_NEEDS[name])), "metric-incomplete")
            if rule.scoring == "proportional" and rule.target is not None and rule.target <= 0:
                yield Problem(here + ("target",), _("target must be above 0"), "metric-target")
            if rule.zero_below is not None:
                if rule.scoring != "proportional":
                    yield Problem(here + ("zero_below",), _("zero_below is only for scoring: proportional, not "
                                  "{scoring}; remove it").format(scoring=rule.scoring), "metric-zero-below")
                elif rule.target is not None and rule.zero_below > rule.target:
                    yield Problem(here + ("zero_below",), _("zero_below {floor} is above the target {target}, so "
                                  "no value below the target could score; lower it").format(
                                      floor=_fmt(rule.zero_below), target=_fmt(rule.target)), "metric-zero-below")
            if rule.points is not None and rule.points > item.max:
                yield Problem(here + ("points",), _("deducts {points} points, more than the item's maximum "
                                                    "{max}").format(points=_fmt(rule.points), max=_fmt(item.max)),
                              "points-above-max")
            if rule.scoring == "bands":
                yield from _check_intervals(rule.bands, here + ("bands",), N_("value"), ascending=True)
                for k, band in enumerate(rule.bands):
                    if band.points > item.max:
                        yield Problem(here + ("bands", k, "points"), _("band gives {points} points, more than the "
                                                                       "item's maximum {max}").format(
                            points=_fmt(band.points), max=_fmt(item.max)), "points-above-max")


_NEEDS = {
    "target": N_("the value that earns the item's full marks (add target: ...)"),
    "threshold": N_("the value where the deduction starts (add threshold: ...)"),
    "points": N_("the points deducted (add points: ...)"),
    "bands": N_("the list of value bands and their points (add bands: ...)"),
}


def check_ratings(rubric: Rubric) -> Iterable[Problem]:
    rated = [i for i, item in enumerate(rubric.items) if item.rating is not None]
    if rated and not rubric.raters:
        yield Problem(("items", rated[0], "rating"), _("rated items need raters: add a raters list with weights"),
                      "no-raters")
    if rubric.raters:
        weight = sum((r.weight for r in rubric.raters), Decimal(0))
        if weight != 1:
            parts = " + ".join(_fmt(r.weight) for r in rubric.raters)
            yield Problem(("raters",), _("rater weights add up to {sum} ({parts}), not exactly 1; change them so "
                                         "that they add up to 1").format(sum=_fmt(weight), parts=parts), "weights")
        if not rated:
            yield Problem(("raters",), _("raters are declared but no item is rated"), "unused-raters", "warning")
    ids = [r.id for r in rubric.raters]
    for i, item in enumerate(rubric.items):
        if item.weights is None:
            continue
        here = ("items", i, "weights")
        if item.rating is None:
            yield Problem(here, _("item {item} is not rated, so it has no raters to weigh; remove weights").format(
                item=item.id), "weights-without-rating")
            continue
        unknown = [key for key in item.weights if key not in ids]
        for key in unknown:
            yield Problem(here + (key,), _("{key} is not a rater id ({ids}); weights are given by rater "
                                           "id{hint}").format(key=repr(key), ids=", ".join(ids) or
                                                              _("no raters declared"), hint=did_you_mean(key, ids)),
                          "unknown-rater")
        own = item.rater_weights
        total = sum(own.values(), Decimal(0))
        if not unknown and total != 1:
            parts = " + ".join(f"{key} {_fmt(w)}" for key, w in own.items())
            yield Problem(here, _("the weights of item {item} add up to {sum} ({parts}), not exactly 1; change them "
                                  "so that they add up to 1").format(item=item.id, sum=_fmt(total), parts=parts),
                          "weights")
    for i in rated:
        item = rubric.items[i]
        assert item.rating is not None
        for k, band in enumerate(item.rating.bands):
            if band.min > band.max:
                yield Problem(("items", i, "rating", "bands", k, "min"), _("band {band} has min above max; swap "
                                                                           "them").format(band=band.label),
                              "range-order")
            if band.max > item.max:
                yield Problem(("items", i, "rating", "bands", k, "max"), _("band {band} ends at {max}, above the "
                                                                           "item's maximum {item_max}").format(
                    band=band.label, max=_fmt(band.max), item_max=_fmt(item.max)), "points-above-max")


def check_bands(rubric: Rubric) -> Iterable[Problem]:
    yield from _check_intervals(rubric.grades, ("grades",), N_("total"), ascending=False)
    yield from _check_intervals(rubric.outcomes, ("outcomes",), N_("total"), ascending=False)


def _check_intervals(bands: Sequence[Band | ValueBand], path: YamlPath, what: str, *, ascending: bool) -> Iterable[Problem]:
    """Bands listed in order, each starting where the previous one ends, open at both ends."""
    if not bands:
        return
    order = _("lowest first") if ascending else _("highest first")
    what = _(what)
    for k, band in enumerate(bands):
        if band.min is not None and band.max is not None and band.min >= band.max:
            yield Problem(path + (k,), _("band [{min}, {max}) is empty: min must be below max").format(
                min=_fmt(band.min), max=_fmt(band.max)), "band-order")
            return
    # Listed in the wrong order: say so once, rather than "no band below / above" for the ends.
    for k in range(1, len(bands)):
        before, after = bands[k - 1], bands[k]
        lower, upper = (before, after) if ascending else (after, before)
        if _low(upper) < _low(lower) or _high(upper) < _high(lower):
            message = _("bands must be listed lowest first: {band} comes after {before} but is lower") if ascending \
                else _("bands must be listed highest first: {band} comes after {before} but is higher")
            yield Problem(path + (k,), message.format(band=_label(after, k), before=_label(before, k - 1)),
                          "band-order")
            return
    seq = list(bands) if ascending else list(reversed(bands))
    index = (lambda n: n) if ascending else (lambda n: len(bands) - 1 - n)
    if seq[0].min is not None:
        yield Problem(path + (index(0), "min"), _("the lowest band starts at {min}, so a {what} below it has no band; "
                                                  "leave out its min").format(min=_fmt(seq[0].min), what=what),
                      "band-coverage")
    if seq[-1].max is not None:
        yield Problem(path + (index(len(seq) - 1), "max"), _("the highest band ends at {max}, so a {what} of {max} or "
                                                             "more has no band; leave out its max").format(
            max=_fmt(seq[-1].max), what=what), "band-coverage")
    for n in range(1, len(seq)):
        lower, upper = seq[n - 1], seq[n]
        if lower.max is None:
            yield Problem(path + (index(n - 1),), _("{band} has no max, so it overlaps {other}; only the highest "
                                                    "band leaves out its max").format(
                band=_label(lower, index(n - 1)), other=_label(upper, index(n))), "band-overlap")
            return
        if upper.min is None:
            yield Problem(path + (index(n),), _("{band} has no min, so it overlaps {other}; only the lowest band "
                                                "leaves out its min").format(
                band=_label(upper, index(n)), other=_label(lower, index(n - 1))), "band-overlap")
            return
        names = _("{upper} starts at {min} but {lower} ends at {max}").format(
            upper=_label(upper, index(n)), min=_fmt(upper.min), lower=_label(lower, index(n - 1)), max=_fmt(lower.max))
        if upper.min < lower.max:
            yield Problem(path + (index(n), "min"), _("bands overlap: {names} (max is exclusive; list them "
                                                      "{order})").format(names=names, order=order), "band-overlap")
        elif upper.min > lower.max:
            # placed at the max: the usual slip is writing 80-89 as max 89
            yield Problem(path + (index(n - 1), "max"), _("gap between bands: {names}, so a {what} in [{max}, {min}) "
                                                          "has no band (max is exclusive: 80-89 is min 80, max "
                                                          "90)").format(names=names, what=what, max=_fmt(lower.max),
                                                                        min=_fmt(upper.min)), "band-gap")


def check_cycle(rubric: Rubric) -> Iterable[Problem]:
    """The roll-up's own bands, and the grades, outcomes and items the rules across periods name."""
    if rubric.rollup is not None:
        for key in ("grades", "outcomes"):
            bands = getattr(rubric.rollup, key)
            if bands is not None:
                yield from _check_intervals(bands, ("rollup", key), N_("total"),  # type: ignore[arg-type]
                                            ascending=False)
    grades = {band.label for band in rubric.grades}
    outcomes = {band.label for band in rubric.outcomes}
    items = {item.id for item in rubric.items}
    for k, rule in enumerate(rubric.across_periods):
        if rule.grade is not None and rule.grade not in grades:
            yield Problem(("across_periods", k, "grade"), _("{rule}: no grade {grade} in this rubric (grades: "
                                                            "{grades})").format(
                rule=rule.id, grade=repr(rule.grade), grades=", ".join(sorted(grades)) or _("none")), "unknown-grade")
        if rule.outcome is not None and rule.outcome not in outcomes:
            yield Problem(("across_periods", k, "outcome"), _("{rule}: no outcome {outcome} in this rubric "
                                                              "(outcomes: {outcomes})").format(
                rule=rule.id, outcome=repr(rule.outcome), outcomes=", ".join(sorted(outcomes)) or _("none")),
                          "unknown-outcome")
        for n, item in enumerate(rule.items):
            if item not in items:
                yield Problem(("across_periods", k, "items", n), _("{rule}: no item {item} in this rubric").format(
                    rule=rule.id, item=repr(item)), "unknown-item")
    ids = [rule.id for rule in rubric.across_periods]
    for k, rule_id in enumerate(ids):
        if rule_id in ids[:k]:
            yield Problem(("across_periods", k, "id"), _("duplicate rule id {id}").format(id=repr(rule_id)),
                          "duplicate-id")


def _label(band: Band | ValueBand, index: int) -> str:
    return getattr(band, "label", None) or _("band {index}").format(index=index)


_INF = Decimal("Infinity")


def _low(band: Band | ValueBand) -> Decimal:
    return -_INF if band.min is None else band.min


def _high(band: Band | ValueBand) -> Decimal:
    return _INF if band.max is None else band.max


def check_unique_ids(rubric: Rubric) -> Iterable[Problem]:
    seen: dict[str, int] = {}
    for i, item in enumerate(rubric.items):
        if item.id in seen:
            yield Problem(("items", i, "id"), _("item id {id} is used twice (also items[{first}]); give each item "
                                                "its own id").format(id=repr(item.id), first=seen[item.id]),
                          "duplicate-id")
        seen.setdefault(item.id, i)
        rule_ids: dict[str, int] = {}
        for j, rule in enumerate(item.rules):
            if rule.id in rule_ids:
                yield Problem(("items", i, "rules", j, "id"), _("rule id {id} is used twice in item {item}; give "
                                                                "each rule its own id").format(id=repr(rule.id),
                                                                                               item=item.id),
                              "duplicate-id")
            rule_ids.setdefault(rule.id, j)
    raters: dict[str, int] = {}
    for k, rater in enumerate(rubric.raters):
        for n, key in enumerate((rater.id, rater.name, *rater.aliases)):
            norm = normalize(key)
            if norm in raters and raters[norm] != k:
                where = ("raters", k, "id") if n == 0 else ("raters", k, "name") if n == 1 else ("raters", k, "aliases", n - 2)
                yield Problem(where, _("rater name {name} is also used by raters[{other}]").format(
                    name=repr(key), other=raters[norm]), "duplicate-name")
            raters.setdefault(norm, k)


def check_names_resolve(rubric: Rubric) -> Iterable[Problem]:
    """Every id and alias a log may use names exactly one rule for each role."""
    roles: Sequence[str | None] = rubric.roles if rubric.role_specific else (None,)
    reported: set[tuple[str, YamlPath]] = set()
    for role in roles:
        owners: dict[str, list[tuple[str, YamlPath]]] = defaultdict(list)
        names: dict[str, set[str]] = defaultdict(set)
        for i, item in enumerate(rubric.items):
            if not item.applies_to(role):
                continue
            if item.rating is not None:
                owners[normalize(item.id)].append((f"item {item.id}", ("items", i, "id")))
                names[normalize(item.name)].add(f"item {item.id}")
            for j, rule in enumerate(item.rules):
                if not rule.applies_to(role):
                    continue
                here = ("items", i, "rules", j)
                owners[normalize(rule.id)].append((f"{item.id}.{rule.id}", here + ("id",)))
                names[normalize(rule.name)].add(f"{item.id}.{rule.id}")
                for a, alias in enumerate(rule.aliases):
                    owners[normalize(alias)].append((f"{item.id}.{rule.id}", here + ("aliases", a)))
        for group, rules in (("total_deductions", rubric.total_deductions), ("vetoes", rubric.vetoes)):
            for j, rule in enumerate(rules):
                if not rule.applies_to(role):
                    continue
                here = (group, j)
                owners[normalize(rule.id)].append((f"{group}.{rule.id}", here + ("id",)))
                names[normalize(rule.name)].add(f"{group}.{rule.id}")
                for a, alias in enumerate(rule.aliases):
                    owners[normalize(alias)].append((f"{group}.{rule.id}", here + ("aliases", a)))
        if rubric.adjustments is not None:
            adj = rubric.adjustments
            owners[normalize(adj.name)].append(("adjustments", ("adjustments", "name")))
            for a, alias in enumerate(adj.aliases):
                owners[normalize(alias)].append(("adjustments", ("adjustments", "aliases", a)))
        for key, places in owners.items():
            targets = {owner for owner, _ in places}
            same_name = names.get(key, set()) - targets
            if same_name:  # an id or alias that is another rule's name
                owner, where = places[0]
                if (key, where) not in reported:
                    reported.add((key, where))
                    yield Problem(where, _("{key} is also the name of {names}; a log row could mean either").format(
                        key=repr(key), names=", ".join(sorted(same_name))), "ambiguous-name")
            if len(targets) > 1:  # one rule naming itself twice is harmless (a repeated id is reported above)
                owner, where = places[-1]
                if (key, where) in reported:
                    continue
                reported.add((key, where))
                others = ", ".join(sorted(targets - {owner})) or owner
                message = _("name {key} already names {others} for role {role}; ids and aliases must each name "
                            "exactly one rule") if role else _("name {key} already names {others}; ids and aliases "
                                                               "must each name exactly one rule")
                yield Problem(where, message.format(key=repr(key), others=others, role=role), "ambiguous-name")


def check_adjustments(rubric: Rubric) -> Iterable[Problem]:
    adj = rubric.adjustments
    if adj is not None and adj.min > adj.max:
        yield Problem(("adjustments", "min"), _("min {min} is above max {max}; swap them").format(
            min=_fmt(adj.min), max=_fmt(adj.max)), "range-order")


def check_adoption(rubric: Rubric) -> Iterable[Problem]:
    """``status: adopted`` says who adopted the rubric and when; who and when say nothing without it."""
    if rubric.status == "adopted":
        missing = [name for name in ("adopted_by", "adopted_on") if getattr(rubric, name) is None]
        if missing:
            yield Problem(("status",), _("an adopted rubric says who adopted it and when: add {fields} (adopted_by: "
                                         "人力资源部 张三, adopted_on: 2026-11-30)").format(fields=", ".join(missing)),
                          "adoption-incomplete")
    else:
        for name in ("adopted_by", "adopted_on"):
            if getattr(rubric, name) is not None:
                yield Problem((name,), _("{field} is set but status is not adopted; add status: adopted, or remove "
                                         "{field}").format(field=name), "adoption-incomplete")


def check_grade_outcome(rubric: Rubric) -> Iterable[Problem]:
    """Grades and outcomes must not contradict each other: the top grade only with the top outcome, the
    bottom outcome only with the bottom grade (优秀 with 发放50%, or 一般 with 调岗或开除, is a contradiction)."""
    grades, outcomes = rubric.grades, rubric.outcomes
    if len(grades) < 2 or len(outcomes) < 2:
        return
    if any(p.code.startswith("band-") for p in check_bands(rubric)):
        return  # the bands themselves are wrong: said already
    last_g, last_o = len(grades) - 1, len(outcomes) - 1
    for gi, grade in enumerate(grades):
        for oi, outcome in enumerate(outcomes):
            low, high = max(_low(grade), _low(outcome)), min(_high(grade), _high(outcome))
            if low >= high:
                continue
            if not ((gi == 0 and oi != 0) or (oi == last_o and gi != last_g) or (gi == last_g and oi == 0)):
                continue
            span = " ≤ ".join(x for x in (None if low == -_INF else _fmt(low), "x") if x) + \
                ("" if high == _INF else f" < {_fmt(high)}")
            yield Problem(("grades", gi), _("grade {grade} contradicts outcome {outcome}: a total {span} is {grade} but "
                                            "{outcome}; make the grade bands follow the outcome bands, or drop the "
                                            "grades").format(grade=grade.label, outcome=outcome.label, span=span),
                          "grade-outcome-conflict", "warning")


def check_adjustment_net(rubric: Rubric) -> Iterable[Problem]:
    adj = rubric.adjustments
    if adj is not None and adj.net_max is not None and adj.net_max < adj.min:
        yield Problem(("adjustments", "net_max"), _("net_max {net} is below min {min}: not even one 奖扣分 would fit; "
                                                    "raise net_max").format(net=_fmt(adj.net_max), min=_fmt(adj.min)),
                      "range-order")


def check_total_deductions_and_vetoes(rubric: Rubric) -> Iterable[Problem]:
    for j, rule in enumerate(rubric.total_deductions):
        here = ("total_deductions", j)
        if isinstance(rule.points, tuple):
            yield Problem(here + ("points",), _("escalating points are for rules inside an item; give a total "
                          "deduction one figure or a range"), "total-deduction-kind")
        if rule.wipe_at is not None:
            yield Problem(here + ("wipe_at",), _("a total deduction has no item to wipe; remove wipe_at"),
                          "total-deduction-kind")
        if isinstance(rule.points, PointRange) and rule.points.min > rule.points.max:
            yield Problem(here + ("points", "min"), _("range {min}-{max} has min above max; swap them").format(
                min=_fmt(rule.points.min), max=_fmt(rule.points.max)), "range-order")
        yield from _unknown_roles(rubric, rule.roles, here)
    grades = [b.label for b in rubric.grades]
    outcomes = [b.label for b in rubric.outcomes]
    for k, veto in enumerate(rubric.vetoes):
        here = ("vetoes", k)
        if veto.total is None and veto.grade is None and veto.outcome is None:
            yield Problem(here, _("veto {id} does nothing: give the total, grade or outcome it forces").format(
                id=veto.id), "veto-no-effect")
        if veto.total is not None and veto.total > rubric.total:
            yield Problem(here + ("total",), _("veto {id} sets the total to {value}, above the declared total "
                          "{total}").format(id=veto.id, value=_fmt(veto.total), total=_fmt(rubric.total)),
                          "veto-total")
        for key, value, labels in (("grade", veto.grade, grades), ("outcome", veto.outcome, outcomes)):
            if value is not None and value not in labels:
                yield Problem(here + (key,), _("{value!r} is not one of the rubric's {key} labels ({labels}){hint}")
                              .format(value=value, key="grades" if key == "grade" else "outcomes",
                                      labels=", ".join(labels) or "none declared",
                                      hint=did_you_mean(value, labels)), "unknown-label")
        yield from _unknown_roles(rubric, veto.roles, here)


def _unknown_roles(rubric: Rubric, roles: Sequence[str], here: YamlPath) -> Iterable[Problem]:
    for k, role in enumerate(roles):
        if role not in rubric.roles:
            yield Problem(here + ("roles", k), _UNKNOWN_ROLE().format(role=repr(role), roles=", ".join(rubric.roles)),
                          "unknown-role")


CHECKS: tuple[Callable[[Rubric], Iterable[Problem]], ...] = (
    check_totals,
    check_item_roles,
    check_item_content,
    check_deduction_points,
    check_metrics,
    check_ratings,
    check_bands,
    check_unique_ids,
    check_names_resolve,
    check_adjustments,
    check_adoption,
    check_grade_outcome,
    check_adjustment_net,
    check_cycle,
    check_total_deductions_and_vetoes,
)


def run_checks(rubric: Rubric) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(rubric)]
