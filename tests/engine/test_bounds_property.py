"""奖扣分 can never break a form's bounds (issue 12): a property over every shipped rubric.

Whatever a month holds — deductions of any count, any ratings and measured values, 奖扣分 entries of any
size the form allows (1-10 each, either sign) — the result is one of two things:

- refused, with ``adjustment-net`` at the subject's last 奖扣分 row, when the period's net 奖扣分 goes beyond
  the rubric's ±net bound and the rubric says ``over_net: refuse``; or
- a total within [0, the declared total] (满分: 100, or 90 on the 管理员 form), with a counted net 奖扣分
  within ±net bound (capped and said so when the rubric says ``over_net: cap``).

Rubrics without 奖扣分 (kefu, zhongxin, jidu, zhibiao) are given the company's ±1-10 to test their bounds too,
and each rubric is also tried with ``deduct_from: total`` (a row may lose more than its 分值) and
``over_net: cap``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import Record, Subject
from kpi_cli.engine.scoring import Scorer
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.model import Adjustments, DeductionRule, MetricRule, PointRange, Rubric

D = Decimal
RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"
DAY = date(2026, 10, 5)
NAMES = ("guanjia", "guanliyuan", "jidu", "kefu", "zhibiao", "zhongxin")


def _rubric(name: str, deduct_from: str, over_net: str) -> Rubric:
    rubric, problems = load_rubric(RUBRICS / f"{name}.yaml")
    assert rubric is not None, problems
    adjustments = rubric.adjustments or Adjustments(min=D(1), max=D(10))
    return rubric.model_copy(update={"deduct_from": deduct_from,
                                     "adjustments": adjustments.model_copy(update={"over_net": over_net})})


CASES = [(name, deduct_from, over_net) for name in NAMES for deduct_from in ("item", "total")
         for over_net in ("refuse", "cap")]
TENTHS = st.integers(10, 100).map(lambda n: D(n) / 10)  # 1.0 ... 10.0: each 奖扣分 entry within the form's 1-10


@st.composite
def month(draw: st.DrawFn, rubric: Rubric, role: str) -> list[Record]:
    """One subject's records for a month: every rated item rated and every measured item measured (so the month
    can be scored), deductions and 奖扣分 drawn."""
    records: list[Record] = []
    line = 2
    for i, item in enumerate(rubric.items_for(role)):
        index = rubric.items.index(item)
        if item.rating is not None:
            for rater, _ in rubric.weights_for(item):
                bands = item.rating.bands
                if bands:
                    band = draw(st.sampled_from(bands))
                    top = band.max if band.include_max else band.max - D("0.1")
                    score = draw(st.sampled_from([band.min, top]))
                else:
                    score = draw(st.sampled_from([D(0), item.max / 2, item.max]))
                records.append(Record("log.csv", line, "A", DAY, "rating", index, -1, item.name, rater=rater,
                                      score=score))
                line += 1
        for j, rule in enumerate(item.rules):
            if not rule.applies_to(role):
                continue
            if isinstance(rule, MetricRule):
                value = draw(st.sampled_from([D(0), D(50), D(79), D(90), D("97.5"), D(100), D(150)]))
                records.append(Record("log.csv", line, "A", DAY, "metric", index, j, rule.name, value=value))
                line += 1
            elif isinstance(rule, DeductionRule) and draw(st.booleans()):
                points = rule.points
                if isinstance(points, PointRange):
                    points = draw(st.sampled_from([points.min, points.max]))
                elif isinstance(points, tuple):
                    points = None  # escalating: the count decides
                records.append(Record("log.csv", line, "A", DAY, "deduction", index, j, rule.name,
                                      count=draw(st.integers(1, 6)), points=points))
                line += 1
    for _ in range(draw(st.integers(0, 4))):
        sign = draw(st.sampled_from([1, -1]))
        records.append(Record("log.csv", line, "A", DAY, "adjustment", -1, -1, "奖扣分",
                              points=sign * draw(TENTHS), note="表扬或过失"))
        line += 1
    return records


@pytest.mark.parametrize(("name", "deduct_from", "over_net"), CASES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_adjustments_never_break_the_forms_bounds(name: str, deduct_from: str, over_net: str,
                                                  data: st.DataObject) -> None:
    rubric = _rubric(name, deduct_from, over_net)
    role = data.draw(st.sampled_from(rubric.roles))
    records = data.draw(month(rubric, role))
    scorer = Scorer(rubric, Period(2026, "quarter" if rubric.period == "quarter" else "month",
                                   4 if rubric.period == "quarter" else 10),
                    {"A": Subject("A", "甲", "一部", role)})
    for record in records:
        assert scorer.add(record) is None
    sheet, problems = scorer.finish()
    adjustments = [r for r in records if r.kind == "adjustment"]
    net = sum((r.points for r in adjustments if r.points is not None), D(0))
    assert rubric.adjustments is not None
    bound = rubric.adjustments.net_bound
    if abs(net) > bound and over_net == "refuse":
        # beyond the form's ±net for the period: refused at the subject's last 奖扣分 row, no total at all
        assert sheet is None and [p.code for p in problems] == ["adjustment-net"]
        assert problems[0].line == adjustments[-1].line
        return
    assert sheet is not None, [p.format() for p in problems]
    (s,) = sheet.subjects
    assert abs(s.adjustment_total) <= bound
    assert s.adjustment_capped == (abs(net) > bound)
    assert D(0) <= s.total <= rubric.total  # 满分 and 0: never above, never below
