"""Checks of what bounds a total: 奖扣分 and its net bound, adoption of a draft, deductions from the total and vetoes."""

from __future__ import annotations

from collections.abc import Iterable

from kpi_cli.i18n import _
from kpi_cli.names import did_you_mean
from kpi_cli.rubric.check_support import Problem, plain_number, unknown_roles
from kpi_cli.rubric.model import PointRange, Rubric


def check_adjustments(rubric: Rubric) -> Iterable[Problem]:
    adj = rubric.adjustments
    if adj is not None and adj.min > adj.max:
        yield Problem(("adjustments", "min"), _("min {min} is above max {max}; swap them").format(
            min=plain_number(adj.min), max=plain_number(adj.max)), "range-order")


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


def check_adjustment_net(rubric: Rubric) -> Iterable[Problem]:
    adj = rubric.adjustments
    if adj is not None and adj.net_max is not None and adj.net_max < adj.min:
        yield Problem(("adjustments", "net_max"), _("net_max {net} is below min {min}: not even one 奖扣分 would fit; "
                                                    "raise net_max").format(net=plain_number(adj.net_max), min=plain_number(adj.min)),
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
                min=plain_number(rule.points.min), max=plain_number(rule.points.max)), "range-order")
        yield from unknown_roles(rubric, rule.roles, here)
    grades = [b.label for b in rubric.grades]
    outcomes = [b.label for b in rubric.outcomes]
    for k, veto in enumerate(rubric.vetoes):
        here = ("vetoes", k)
        if veto.total is None and veto.grade is None and veto.outcome is None:
            yield Problem(here, _("veto {id} does nothing: give the total, grade or outcome it forces").format(
                id=veto.id), "veto-no-effect")
        if veto.total is not None and veto.total > rubric.total:
            yield Problem(here + ("total",), _("veto {id} sets the total to {value}, above the declared total "
                          "{total}").format(id=veto.id, value=plain_number(veto.total), total=plain_number(rubric.total)),
                          "veto-total")
        for key, value, labels in (("grade", veto.grade, grades), ("outcome", veto.outcome, outcomes)):
            if value is not None and value not in labels:
                yield Problem(here + (key,), _("{value!r} is not one of the rubric's {key} labels ({labels}){hint}")
                              .format(value=value, key="grades" if key == "grade" else "outcomes",
                                      labels=", ".join(labels) or "none declared",
                                      hint=did_you_mean(value, labels)), "unknown-label")
        yield from unknown_roles(rubric, veto.roles, here)
