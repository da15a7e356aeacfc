"""Checks of a rubric's bands: grade, outcome and rating bands contiguous and ordered, rules across periods, and
grades that never contradict pay."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from kpi_cli.i18n import N_, _
from kpi_cli.rubric.check_support import Problem, plain_number
from kpi_cli.rubric.model import Band, Rubric, ValueBand
from kpi_cli.rubric.yaml_source import YamlPath


def check_bands(rubric: Rubric) -> Iterable[Problem]:
    yield from interval_problems(rubric.grades, ("grades",), N_("total"), ascending=False)
    yield from interval_problems(rubric.outcomes, ("outcomes",), N_("total"), ascending=False)


def interval_problems(bands: Sequence[Band | ValueBand], path: YamlPath, what: str, *, ascending: bool) -> Iterable[Problem]:
    """Bands listed in order, each starting where the previous one ends, open at both ends."""
    if not bands:
        return
    order = _("lowest first") if ascending else _("highest first")
    what = _(what)
    for k, band in enumerate(bands):
        if band.min is not None and band.max is not None and band.min >= band.max:
            yield Problem(path + (k,), _("band [{min}, {max}) is empty: min must be below max").format(
                min=plain_number(band.min), max=plain_number(band.max)), "band-order")
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
                                                  "leave out its min").format(min=plain_number(seq[0].min), what=what),
                      "band-coverage")
    if seq[-1].max is not None:
        yield Problem(path + (index(len(seq) - 1), "max"), _("the highest band ends at {max}, so a {what} of {max} or "
                                                             "more has no band; leave out its max").format(
            max=plain_number(seq[-1].max), what=what), "band-coverage")
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
            upper=_label(upper, index(n)), min=plain_number(upper.min), lower=_label(lower, index(n - 1)), max=plain_number(lower.max))
        if upper.min < lower.max:
            yield Problem(path + (index(n), "min"), _("bands overlap: {names} (max is exclusive; list them "
                                                      "{order})").format(names=names, order=order), "band-overlap")
        elif upper.min > lower.max:
            # placed at the max: the usual slip is writing 80-89 as max 89
            yield Problem(path + (index(n - 1), "max"), _("gap between bands: {names}, so a {what} in [{max}, {min}) "
                                                          "has no band (max is exclusive: 80-89 is min 80, max "
                                                          "90)").format(names=names, what=what, max=plain_number(lower.max),
                                                                        min=plain_number(upper.min)), "band-gap")


def check_cycle(rubric: Rubric) -> Iterable[Problem]:
    """The roll-up's own bands, and the grades, outcomes and items the rules across periods name."""
    if rubric.rollup is not None:
        for key in ("grades", "outcomes"):
            bands = getattr(rubric.rollup, key)
            if bands is not None:
                yield from interval_problems(bands, ("rollup", key), N_("total"),  # type: ignore[arg-type]
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
            span = " ≤ ".join(x for x in (None if low == -_INF else plain_number(low), "x") if x) + \
                ("" if high == _INF else f" < {plain_number(high)}")
            yield Problem(("grades", gi), _("grade {grade} contradicts outcome {outcome}: a total {span} is {grade} but "
                                            "{outcome}; make the grade bands follow the outcome bands, or drop the "
                                            "grades").format(grade=grade.label, outcome=outcome.label, span=span),
                          "grade-outcome-conflict", "warning")
