"""The roster (花名册): who is appraised, in which department and role.

Read from the same kinds of files as the log (CSV, TSV, XLSX; see :mod:`tables`).
A 工号 is kept as text (``000123`` keeps its zeros) with full-width digits made
half-width, so that it matches the log's.
"""

from __future__ import annotations

from pathlib import Path

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.results import Subject
from kpi_cli.inputs.columns import ROSTER_COLUMNS, header_diagnostics, map_header
from kpi_cli.inputs.tables import open_table
from kpi_cli.inputs.values import clean_id, parse_money

_REQUIRED = (("id", "工号"), ("name", "姓名"), ("role", "岗位"))


def load_roster(path: Path | str, *, encoding: str | None = None,
                sheet: str | None = None) -> tuple[list[Subject], list[Diagnostic]]:
    """Every row of the roster as a :class:`Subject`; problems are collected, not raised."""
    table, problems = open_table(path, encoding=encoding, sheet=sheet)
    if table is None:
        return [], problems
    header = map_header(table.header, ROSTER_COLUMNS)
    problems.extend(header_diagnostics(header, table.file, table.header_line, table.sheet))
    if header.missing or header.duplicated:
        return [], problems
    pos = header.positions
    file, sheet_name = table.file, table.sheet
    subjects: list[Subject] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        if table.problems:
            problems.extend(table.problems)
            table.problems.clear()
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in pos.items()}
        ident = clean_id(values.get("id", ""))
        missing = [(label, pos[name]) for name, label in _REQUIRED if not values.get(name)]
        if missing:
            column = missing[0][1] + 1 if sheet_name else 0
            problems.append(Diagnostic(file, line, column, f"roster row has no {', '.join(m[0] for m in missing)}",
                                       "missing-cell", sheet=sheet_name))
            continue
        if ident in seen:
            column = pos["id"] + 1 if sheet_name else 0
            problems.append(Diagnostic(file, line, column, f"工号 {ident} is already on the roster at "
                                       f"{'row' if sheet_name else 'line'} {seen[ident]}", "duplicate-employee",
                                       sheet=sheet_name))
            continue
        base = None
        if values.get("pay_base"):
            try:
                base = parse_money(values["pay_base"])
            except ValueError as exc:
                problems.append(Diagnostic(file, line, pos["pay_base"] + 1, f"绩效工资基数: {exc}", "bad-pay-base",
                                           sheet=sheet_name))
                continue
        seen[ident] = line
        subjects.append(Subject(ident, values["name"], values.get("department", ""), values["role"], file, line,
                                base))
    problems.extend(table.problems)
    return subjects, problems
