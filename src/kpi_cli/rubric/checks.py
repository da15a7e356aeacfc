"""Checks that span fields of a rubric, beyond what the schema says.

Each check is a pure function ``(rubric) -> iterable of Problem``; the loader
runs them all and places each problem at its YAML path.  Add a check by
writing a function and listing it in :data:`CHECKS`.  The checks of bands (grades, outcomes, ratings,
rules across periods) are in :mod:`kpi_cli.rubric.band_checks`, those of what bounds a total (奖扣分,
adoption, deductions from the total, vetoes) in :mod:`kpi_cli.rubric.total_checks`; what they share in
:mod:`kpi_cli.rubric.check_support`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from kpi_cli.i18n import N_, _
from kpi_cli.names import did_you_mean, normalize
from kpi_cli.rubric.index import NOT_APPLICABLE_WORDS
from kpi_cli.rubric.model import DeductionRule, MetricRule, PointRange, Rubric
from kpi_cli.rubric.yaml_source import YamlPath
from kpi_cli.rubric.check_support import unknown_role_message, Problem, plain_number
from kpi_cli.rubric.band_checks import interval_problems, check_bands, check_cycle, check_grade_outcome
from kpi_cli.rubric.total_checks import (check_adjustment_net, check_adjustments, check_adoption,
                                         check_total_deductions_and_vetoes)


def check_totals(rubric: Rubric) -> Iterable[Problem]:
    if any(role not in rubric.roles for item in rubric.items for role in item.roles):
        return  # the per-role sums are meaningless until check_item_roles' problem is fixed
    roles: Sequence[str | None] = rubric.roles if rubric.role_specific else (None,)
    for role in roles:
        items = rubric.items_for(role)
        total = sum((item.max for item in items), Decimal(0))
        if total != rubric.total:
            parts = " + ".join(f"{item.name} {plain_number(item.max)}" for item in items)
            message = _("item maxima for role {role} add up to {sum} ({parts}), not the declared total {total}; "
                        "correct an item's max or the total") if role else \
                _("item maxima add up to {sum} ({parts}), not the declared total {total}; correct an item's max or "
                  "the total")
            yield Problem(("total",), message.format(role=role, sum=plain_number(total), parts=parts,
                                                     total=plain_number(rubric.total)), "total-mismatch")


def check_item_roles(rubric: Rubric) -> Iterable[Problem]:
    for i, item in enumerate(rubric.items):
        for j, role in enumerate(item.roles):
            if role not in rubric.roles:
                yield Problem(("items", i, "roles", j), unknown_role_message().format(role=repr(role),
                                                                                roles=", ".join(rubric.roles)),
                              "unknown-role")
        for j, rule in enumerate(item.rules):
            for k, role in enumerate(rule.roles):
                here = ("items", i, "rules", j, "roles", k)
                if role not in rubric.roles:
                    yield Problem(here, unknown_role_message().format(role=repr(role), roles=", ".join(rubric.roles)),
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
                        min=plain_number(points.min), max=plain_number(points.max)), "range-order")
                elif points.default is not None and not points.min <= points.default <= points.max:
                    yield Problem(here + ("default",), _("default {default} is outside {min}-{max}; it must lie "
                                                         "between min and max").format(
                        default=plain_number(points.default), min=plain_number(points.min), max=plain_number(points.max)), "range-default")
                highest, where = points.max, here + ("max",)
            elif isinstance(points, tuple):  # escalating: the dearest occurrence must fit the item
                k = max(range(len(points)), key=lambda n: points[n])
                highest, where = points[k], here + (k,)
            else:
                highest, where = points, here
            if rubric.deduct_from == "total":
                if highest > rubric.total:
                    yield Problem(where, _("rule {rule} deducts {points} points, more than the total {total}").format(
                        rule=rule.id, points=plain_number(highest), total=plain_number(rubric.total)), "points-above-max")
            elif highest > item.max:
                yield Problem(where, _("rule {rule} deducts {points} points, more than the item's maximum {max}; if the "
                                       "form deducts from the total (not per item), say deduct_from: total").format(
                    rule=rule.id, points=plain_number(highest), max=plain_number(item.max)), "points-above-max")


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
                                      floor=plain_number(rule.zero_below), target=plain_number(rule.target)), "metric-zero-below")
            if rule.points is not None and rule.points > item.max:
                yield Problem(here + ("points",), _("deducts {points} points, more than the item's maximum "
                                                    "{max}").format(points=plain_number(rule.points), max=plain_number(item.max)),
                              "points-above-max")
            if rule.scoring == "bands":
                yield from interval_problems(rule.bands, here + ("bands",), N_("value"), ascending=True)
                for k, band in enumerate(rule.bands):
                    if band.points > item.max:
                        yield Problem(here + ("bands", k, "points"), _("band gives {points} points, more than the "
                                                                       "item's maximum {max}").format(
                            points=plain_number(band.points), max=plain_number(item.max)), "points-above-max")


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
            parts = " + ".join(plain_number(r.weight) for r in rubric.raters)
            yield Problem(("raters",), _("rater weights add up to {sum} ({parts}), not exactly 1; change them so "
                                         "that they add up to 1").format(sum=plain_number(weight), parts=parts), "weights")
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
            parts = " + ".join(f"{key} {plain_number(w)}" for key, w in own.items())
            yield Problem(here, _("the weights of item {item} add up to {sum} ({parts}), not exactly 1; change them "
                                  "so that they add up to 1").format(item=item.id, sum=plain_number(total), parts=parts),
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
                    band=band.label, max=plain_number(band.max), item_max=plain_number(item.max)), "points-above-max")


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
