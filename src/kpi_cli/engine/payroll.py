"""Performance pay (绩效工资): each person's base × the 发放比例 of their outcome, exactly.

Pure: no I/O.  The input is one :class:`PayInput` per person (from a scored sheet, a closed period or a
roll-up); the result is a frozen :class:`Payroll` or the diagnostics saying why there is none.

Arithmetic: ``amount = base × ratio`` is exact (a base has at most 2 decimals, a ratio at most 6, so
the product has at most 8 and the context below holds it whole); it is rounded half-up to 0.01 元
(分) once, at the end.  Department and overall totals add the rounded amounts, so they are what is
paid and add up against the lines.

Whether a base is needed: an outcome with a 发放比例 above 0 needs one (a person without it is an
error naming them); an outcome whose 发放比例 is 0 pays 0.00 whatever the base; an outcome that
declares no 发放比例 (e.g. 调岗或开除 in a rubric that says nothing about pay there) pays nothing and
is listed without an amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from kpi_cli.i18n import _
from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.results import ScoreSheet

FEN = Decimal("0.01")
ZERO = Decimal(0)
#: 1e9 元 with 2 decimals × a ratio with 6 decimals: 18 digits; sums of a million of them: 25.
MONEY = Context(prec=40, rounding=ROUND_HALF_UP)


def round_fen(value: Decimal) -> Decimal:
    """Half-up to 0.01 元: 3333.335 -> 3333.34, 3333.334 -> 3333.33."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP, context=MONEY)


@dataclass(frozen=True, slots=True)
class PayInput:
    """One person as payroll sees them: who, the outcome reached and its 发放比例, and their base."""

    id: str
    name: str
    department: str
    total: Decimal
    outcome: str | None  # the outcome's label; None when the total falls in no outcome band
    ratio: Decimal | None  # the outcome's 发放比例 (0 to 1); None: the outcome declares none
    base: Decimal | None  # 绩效工资基数 from the roster; None: not given
    file: str = ""  # where the base should have come from (the roster), for messages
    line: int = 0


@dataclass(frozen=True, slots=True)
class PayLine:
    id: str
    name: str
    department: str
    total: Decimal
    outcome: str
    ratio: Decimal | None
    base: Decimal | None
    exact: Decimal | None  # base × ratio, unrounded
    amount: Decimal | None  # rounded half-up to 0.01; None when the outcome declares no 发放比例

    @property
    def rounded(self) -> bool:
        return self.exact is not None and self.amount is not None and self.exact != self.amount


@dataclass(frozen=True, slots=True)
class PayTotal:
    """People, the sum of their bases and of the amounts paid, for a department or overall."""

    department: str  # "" for the overall total
    people: int
    base: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Payroll:
    lines: tuple[PayLine, ...]  # in the order given (a sheet's: best first)
    departments: tuple[PayTotal, ...]  # by department name
    total: PayTotal


def pay_line(person: PayInput) -> PayLine | Diagnostic:
    """One person's line, or the problem that stops it."""
    if person.outcome is None:
        return Diagnostic(person.file, person.line, 0, _("{who}: total {total} falls in no outcome band, so no 发放比例 "
                                                         "applies; fix the rubric's outcomes").format(
            who=_who(person), total=person.total), "no-outcome")
    if person.ratio is None:
        return PayLine(person.id, person.name, person.department, person.total, person.outcome, None, person.base,
                       None, None)
    if person.base is None:
        if person.ratio == ZERO:
            return PayLine(person.id, person.name, person.department, person.total, person.outcome, ZERO, None,
                           ZERO, round_fen(ZERO))
        return Diagnostic(person.file, person.line, 0, _("{who} has no 绩效工资基数 (base) but outcome {outcome} pays "
                                                         "{percent} of it; add the base to the roster").format(
            who=_who(person), outcome=person.outcome, percent=_percent(person.ratio)),
                          "missing-pay-base")
    exact = MONEY.multiply(person.base, person.ratio)
    return PayLine(person.id, person.name, person.department, person.total, person.outcome, person.ratio,
                   person.base, exact, round_fen(exact))


def compute_payroll(people: Iterable[PayInput]) -> tuple[Payroll | None, list[Diagnostic]]:
    """Every person's pay and the totals; None with ALL the problems when any person cannot be paid."""
    lines: list[PayLine] = []
    problems: list[Diagnostic] = []
    for person in people:
        result = pay_line(person)
        if isinstance(result, Diagnostic):
            problems.append(result)
        else:
            lines.append(result)
    if problems:
        return None, problems
    by_department: dict[str, list[PayLine]] = {}
    for line in lines:
        by_department.setdefault(line.department, []).append(line)
    departments = tuple(_total(name, group) for name, group in sorted(by_department.items()))
    return Payroll(tuple(lines), departments, _total("", lines)), []


def pay_inputs(sheet: ScoreSheet) -> list[PayInput]:
    """The people of a scored period, with their outcome's 发放比例 and the base the roster gave."""
    return [PayInput(s.subject.id, s.subject.name, s.subject.department, s.total,
                     s.outcome.label if s.outcome is not None else None,
                     s.outcome.pay if s.outcome is not None else None, s.subject.pay_base,
                     s.subject.file, s.subject.line) for s in sheet.subjects]


def sheet_payroll(sheet: ScoreSheet) -> tuple[Payroll | None, list[Diagnostic]]:
    """The payroll of a scored period; refused when the rubric's outcomes declare no 发放比例 at all."""
    rubric = sheet.rubric
    if not any(b.pay is not None for b in rubric.outcomes):
        return None, [Diagnostic("", 0, 0, _("rubric {rubric} declares no 发放比例 (pay: on its outcomes), so it "
                                             "gives no 绩效工资; add pay: 1, 0.5... to its outcomes").format(
            rubric=rubric.id), "no-pay-ratio")]
    return compute_payroll(pay_inputs(sheet))


def _total(department: str, lines: Sequence[PayLine]) -> PayTotal:
    base = sum((x.base for x in lines if x.base is not None), ZERO)
    amount = sum((x.amount for x in lines if x.amount is not None), ZERO)
    return PayTotal(department, len(lines), round_fen(base), round_fen(amount))


def _who(person: PayInput) -> str:
    return f"{person.id} {person.name}".strip()


def _percent(ratio: Decimal) -> str:
    text = format(MONEY.multiply(ratio, Decimal(100)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"
