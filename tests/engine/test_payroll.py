"""Payroll: base × 发放比例, exact, rounded half-up to 0.01 元 once; totals of what is paid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES
from kpi_cli.engine.payroll import PayInput, compute_payroll, pay_line, round_fen, sheet_payroll
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

D = Decimal
PAY = EXAMPLES / "payroll"


def load_rubric_file(path):  # type: ignore[no-untyped-def]
    rubric, problems = load_rubric(path)
    assert problems == [] and rubric is not None
    return rubric


def person(ident: str, base: str | None, ratio: str | None, outcome: str | None = "x", department: str = "A"
           ) -> PayInput:
    return PayInput(ident, ident.lower(), department, D(90), outcome, None if ratio is None else D(ratio),
                    None if base is None else D(base), "roster.csv", 7)


@pytest.mark.parametrize(("exact", "rounded"), [
    ("3333.335", "3333.34"),  # half-up: the 5 in the third decimal goes up
    ("3333.334999", "3333.33"),
    ("1250.275", "1250.28"),
    ("0.005", "0.01"),
    ("0.004", "0.00"),
    ("2999.995", "3000.00"),  # carries into the 元
])
def test_rounding_of_fen(exact: str, rounded: str) -> None:
    assert str(round_fen(D(exact))) == rounded


def test_the_example_month_by_hand() -> None:
    """examples/payroll: fuwu.yaml scored on log-2026-10.csv with roster.csv.

    K001 王芳  98   全额发放 ratio 1    3000    × 1   = 3000       -> 3000.00
    K002 李娜  94.5 发放50%  ratio 0.5  6666.67 × 0.5 = 3333.335   -> 3333.34 (half-up)
    K003 张伟  93   发放50%  ratio 0.5  2500.55 × 0.5 = 1250.275   -> 1250.28 (half-up)
    K004 赵敏  80   不发放   ratio 0    no base       = 0          -> 0.00 (a 0 ratio needs no base)
    K005 钱进  78   调岗     no ratio   no base       -> no amount (the outcome declares no 发放比例)
    翠湖花园: bases 3000 + 6666.67 = 9666.67; paid 3000.00 + 3333.34 = 6333.34
    金域华府: bases 2500.55; paid 1250.28 + 0.00 = 1250.28
    overall: bases 12167.22; paid 6333.34 + 1250.28 = 7583.62 (the exact amounts add to 7583.61: totals add
    what is paid, the rounded lines)
    """
    rubric = load_rubric_file(PAY / "fuwu.yaml")
    run = score_log(PAY / "log-2026-10.csv", rubric, roster=PAY / "roster.csv")
    assert run.sheet is not None
    payroll, problems = sheet_payroll(run.sheet)
    assert problems == [] and payroll is not None
    assert [(x.id, x.total, x.outcome, x.ratio, x.base, x.exact, x.amount) for x in payroll.lines] == [
        ("K001", D(98), "全额发放", D(1), D(3000), D(3000), D("3000.00")),
        ("K002", D("94.5"), "发放50%", D("0.5"), D("6666.67"), D("3333.335"), D("3333.34")),
        ("K003", D(93), "发放50%", D("0.5"), D("2500.55"), D("1250.275"), D("1250.28")),
        ("K004", D(80), "不发放", D(0), None, D(0), D("0.00")),
        ("K005", D(78), "调岗", None, None, None, None),
    ]
    assert [(t.department, t.people, t.base, t.amount) for t in payroll.departments] == [
        ("翠湖花园", 2, D("9666.67"), D("6333.34")), ("金域华府", 3, D("2500.55"), D("1250.28"))]
    assert (payroll.total.people, payroll.total.base, payroll.total.amount) == (5, D("12167.22"), D("7583.62"))
    assert str(payroll.total.amount) == "7583.62"


def test_a_person_without_a_base_is_an_error_naming_them() -> None:
    payroll, problems = compute_payroll([person("K1", "100", "1"), person("K2", None, "0.5"),
                                         person("K3", None, "1")])
    assert payroll is None
    assert [d.format() for d in problems] == [
        "roster.csv:7: K2 k2 has no 绩效工资基数 (base) but outcome x pays 50% of it; add the base to the roster "
        "(missing-pay-base)",
        "roster.csv:7: K3 k3 has no 绩效工资基数 (base) but outcome x pays 100% of it; add the base to the roster "
        "(missing-pay-base)",
    ]


def test_a_total_in_no_outcome_band_is_an_error() -> None:
    result = pay_line(person("K1", "100", None, outcome=None))
    assert not isinstance(result, type(pay_line(person("K2", "1", "1"))))
    assert result.code == "no-outcome" and "K1" in result.message  # type: ignore[union-attr]


def test_a_rubric_without_any_pay_ratio_is_refused() -> None:
    rubric = load_rubric_file(EXAMPLES / "tutorial" / "qiantai.yaml")
    run = score_log(EXAMPLES / "tutorial" / "log-2026-10.csv", rubric, roster=EXAMPLES / "tutorial" / "roster.csv")
    assert run.sheet is not None
    payroll, problems = sheet_payroll(run.sheet)
    assert payroll is None and [d.code for d in problems] == ["no-pay-ratio"]


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
ratios = st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(money, ratios, st.sampled_from("AB")), min_size=1, max_size=20))
def test_amounts_are_within_half_a_fen_and_totals_add_up(rows: list[tuple[Decimal, Decimal, str]]) -> None:
    people = [PayInput(f"K{i}", "", dept, D(90), "x", ratio, base) for i, (base, ratio, dept) in enumerate(rows)]
    payroll, problems = compute_payroll(people)
    assert problems == [] and payroll is not None
    for line, (base, ratio, _) in zip(payroll.lines, rows):
        assert line.exact == base * ratio  # exact: never rounded before the end
        assert line.amount is not None and abs(line.amount - line.exact) <= D("0.005")
        assert line.amount.as_tuple().exponent == -2
        assert line.amount <= base
    assert sum(t.amount for t in payroll.departments) == payroll.total.amount
    assert payroll.total.amount == sum(x.amount for x in payroll.lines if x.amount is not None)
