"""Issue 11, class 6: every figure a log may hold is scored exactly, by the bulk path and the record path alike.

The reader accepts at most 20 significant digits and 15 decimals (longer figures are refused, located); the
engine sums and multiplies in a 60-digit context and rounds a total once, half-up, as the rubric says.  The
property test computes the expected total with fractions (no decimal context at all) and compares.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.engine.scoring import round_total
from kpi_cli.inputs.score_run import score_log
from kpi_cli.inputs.values import MAX_DECIMALS, MAX_DIGITS, parse_decimal
from kpi_cli.rubric.loader import load_rubric

RUBRIC = """\
id: jingque
title: 精确计算测试
period: month
roles: [管家]
total: 100
rounding: {decimals: 1}
raters:
  - {id: self, name: 自评, weight: 0.123457}
  - {id: boss, name: 直接上级, weight: 0.876543}
items:
  - id: taidu
    name: 服务态度
    max: 50
    rating:
      bands:
        - {label: 合格, min: 0, max: 50}
  - id: jilv
    name: 劳动纪律
    max: 50
    rules:
      - {id: yuyu, name: 用语不规范, points: {min: 0.000001, max: 50}}
"""
W_SELF, W_BOSS = Fraction("0.123457"), Fraction("0.876543")
HEADER = "工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注"


@pytest.fixture(scope="module")
def rubric(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("exact") / "jingque.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    loaded, problems = load_rubric(path)
    assert loaded is not None, problems
    return loaded


def half_up(value: Fraction, decimals: int = 1) -> Fraction:
    scale = 10 ** decimals
    return Fraction(int(value * scale + Fraction(1, 2)), scale)


def decimals_text(draw: st.DrawFn, low: int, high: int) -> str:
    """A figure with up to 15 decimals and at most 20 significant digits, as a person (or a program) writes it."""
    places = draw(st.integers(0, MAX_DECIMALS))
    units = draw(st.integers(low * 10 ** places, high * 10 ** places))
    return format(Decimal(units).scaleb(-places), "f")


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[str], Fraction]:
    s_self = decimals_text(draw, 0, 50)
    s_boss = decimals_text(draw, 0, 50)
    rows = [f"000101,2026-10-31,服务态度,,,,自评,{s_self},", f"000101,2026-10-31,服务态度,,,,直接上级,{s_boss},"]
    deducted = Fraction(0)
    for day in range(1, draw(st.integers(0, 6)) + 1):
        points = decimals_text(draw, 0, 5)
        if Fraction(points) < Fraction("0.000001"):
            points = "0.000001"
        count = draw(st.integers(1, 3))
        rows.append(f"000101,2026-10-{day:02d},用语不规范,{count},{points},,,,")
        deducted += Fraction(points) * count
    rated = min(max(W_SELF * Fraction(s_self) + W_BOSS * Fraction(s_boss), Fraction(0)), Fraction(50))
    raw = rated + max(Fraction(50) - deducted, Fraction(0))
    return rows, raw


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=logs())
def test_totals_are_exact_on_both_paths(rubric, tmp_path: Path, case: tuple[list[str], Fraction]) -> None:  # type: ignore[no-untyped-def]
    rows, raw = case
    log = tmp_path / "log.csv"
    log.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    bulk = score_log(log, rubric, keep_records=False)  # plain deductions summed as millionths where they can be
    full = score_log(log, rubric, keep_records=True)  # every row through the record path
    for run in (bulk, full):
        assert run.ok, [d.format() for d in run.diagnostics]
        [person] = run.sheet.subjects
        assert Fraction(person.raw_total) == raw
        assert Fraction(person.total) == half_up(raw)
    assert bulk.sheet.subjects[0].raw_total == full.sheet.subjects[0].raw_total


def test_a_total_just_below_a_half_is_rounded_once() -> None:
    # 98.949999999999999999999 (21 decimals, exact): half-up to 1 decimal is 98.9; settling it to 20 decimals
    # first (half-even: 98.95) and rounding again would give 99.0
    assert round_total(Decimal("98.949999999999999999999"), 1) == Decimal("98.9")
    assert round_total(Decimal("98.95"), 1) == Decimal("99.0")


def test_a_division_error_is_settled_before_rounding() -> None:
    from kpi_cli.engine.scoring import EXACT, WIDE

    third = EXACT.divide(Decimal(10), Decimal(3))
    sixth = EXACT.divide(Decimal(10), Decimal(6))
    # 10/3 + 10/6 + 0.05 = 5.05 exactly; the divisions' last digits must not make it 5.0499…9 -> 5.0
    total = WIDE.add(WIDE.add(third, sixth), Decimal("0.05"))
    assert round_total(total, 1) == Decimal("5.1")
    assert round_total(WIDE.subtract(Decimal(100), EXACT.divide(Decimal(1), Decimal(3))), 2) == Decimal("99.67")


@pytest.mark.parametrize(("text", "why"), [
    ("1.0500000000000000000000001", "has 25 decimals"),
    ("99.800000000000000000000000000000001", "has 33 decimals"),
    ("123456789012345678901", "has 21 significant digits"),
    ("0.0000000000000001", "has 16 decimals"),
])
def test_figures_longer_than_the_engine_keeps_exact_are_refused(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["1.050000000000001", "12345.123456789012345", "99999999999999999999",
                                  "0.000000000000001", "00000000000000000000000001.5"])
def test_figures_at_the_bounds_are_read_exactly(text: str) -> None:
    value = parse_decimal(text)
    assert Fraction(value) == Fraction(text)
    digits = value.as_tuple().digits
    assert len(digits) - next((i for i, d in enumerate(digits) if d), len(digits)) <= MAX_DIGITS


def test_the_issues_long_decimal_is_refused_in_the_log(tmp_path: Path, rubric) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "log.csv"
    log.write_text(f"{HEADER}\n000101,2026-10-03,用语不规范,1,1.0500000000000000000000001,,,,\n"
                   "000101,2026-10-31,服务态度,,,,自评,30.000000000000000000000000000000000001,\n", encoding="utf-8")
    run = score_log(log, rubric, keep_records=False)
    assert run.sheet is None
    assert [(d.line, d.code) for d in run.diagnostics] == [(2, "bad-points"), (3, "bad-score")]
    assert (run.counts.read, run.counts.errors) == (2, 2)
