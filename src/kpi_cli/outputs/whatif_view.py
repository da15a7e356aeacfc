"""A comparison of two scorings (``kpi diff``) as a terminal table, CSV or JSON.

Data is never markup: every cell of the terminal table is a rich ``Text``; CSV text cells that a
spreadsheet would take for a formula get a leading apostrophe; numbers are exact and plain.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from rich.table import Table
from rich.text import Text

from kpi_cli.engine.scoring import fmt
from kpi_cli.engine.whatif import Change, Comparison, Standing
from kpi_cli.i18n import _
from kpi_cli.outputs.exporters.common import neutralise

HEADERS = ("工号", "姓名", "部门", "总分", "等级", "绩效结果", "绩效工资")
SCHEMA = "kpi-cli/diff/1"


def _pay(s: Standing) -> str:
    if s.amount is not None:
        return f"{s.amount:.2f}"
    if s.ratio is not None:
        return f"{fmt(s.ratio * 100)}%"
    return "—"


def _values(s: Standing | None) -> tuple[str, str, str, str]:
    if s is None:
        return ("—", "—", "—", "—")
    return (fmt(s.total), s.grade or "—", s.outcome or "—", _pay(s))


def _cells(c: Change) -> list[str]:
    old, new = _values(c.old), _values(c.new)
    shown = [o if o == n else f"{o} → {n}" for o, n in zip(old, new)]
    return [c.id, c.name, c.department, *shown]


def comparison_table(comparison: Comparison, title: str) -> Table:
    table = Table(title=Text(title), show_lines=False)
    for heading in HEADERS:
        table.add_column(heading, overflow="fold")
    for change in comparison.changes:
        table.add_row(*(Text(cell) for cell in _cells(change)))
    return table


def comparison_summary(comparison: Comparison) -> str:
    return (_("{n} of {people} people change (total, grade, outcome or pay); {unchanged} unchanged").format(
                n=len(comparison.changes), people=comparison.people, unchanged=comparison.unchanged))


def comparison_csv(comparison: Comparison) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["工号", "姓名", "部门", "变化", "原总分", "新总分", "原等级", "新等级", "原绩效结果", "新绩效结果",
                     "原发放比例", "新发放比例", "原绩效工资", "新绩效工资"])
    for c in comparison.changes:
        o, n = c.old, c.new
        writer.writerow([neutralise(c.id), neutralise(c.name), neutralise(c.department), " ".join(c.fields),
                         _num(o and o.total), _num(n and n.total), neutralise((o and o.grade) or ""),
                         neutralise((n and n.grade) or ""), neutralise((o and o.outcome) or ""),
                         neutralise((n and n.outcome) or ""), _num(o and o.ratio), _num(n and n.ratio),
                         _money(o and o.amount), _money(n and n.amount)])
    return buffer.getvalue().encode("utf-8-sig")


def comparison_json(comparison: Comparison, old: str, new: str, period: str) -> bytes:
    def side(s: Standing | None) -> dict[str, object] | None:
        if s is None:
            return None
        return {"total": fmt(s.total), "grade": s.grade, "outcome": s.outcome,
                "pay_ratio": None if s.ratio is None else fmt(s.ratio),
                "pay": None if s.amount is None else f"{s.amount:.2f}"}

    data = {"schema": SCHEMA, "old": old, "new": new, "period": period, "people": comparison.people,
            "unchanged": comparison.unchanged,
            "changes": [{"id": c.id, "name": c.name, "department": c.department, "changed": list(c.fields),
                         "old": side(c.old), "new": side(c.new)} for c in comparison.changes]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _num(value: Decimal | None) -> str:
    return "" if value is None else fmt(value)


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"
