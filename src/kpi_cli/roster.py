"""The roster (花名册): who is appraised, in which department and role."""

from __future__ import annotations

from pathlib import Path

from .columns import ROSTER_COLUMNS, map_header
from .diagnostics import WARNING, Diagnostic
from .results import Subject
from .tables import open_table


def load_roster(path: Path | str, **table_options: object) -> tuple[list[Subject], list[Diagnostic]]:
    """Every row of the roster as a :class:`Subject`; problems are collected, not raised."""
    table, problems = open_table(path, **table_options)  # type: ignore[arg-type]
    if table is None:
        return [], problems
    header = map_header(table.header, ROSTER_COLUMNS)
    if header.missing:
        return [], [Diagnostic(table.file, table.header_line, 0, f"missing column {', '.join(header.missing)}; "
                               f"found: {', '.join(header.found) or 'nothing'}", "missing-column", sheet=table.sheet)]
    if header.unknown:
        problems.append(Diagnostic(table.file, table.header_line, 0, f"ignored unknown column "
                                   f"{', '.join(header.unknown)}", "unknown-column", WARNING, sheet=table.sheet))
    pos = header.positions
    subjects: list[Subject] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in pos.items()}
        ident, name, role = values.get("id", ""), values.get("name", ""), values.get("role", "")
        missing = [label for label, v in (("工号", ident), ("姓名", name), ("岗位", role)) if not v]
        if missing:
            problems.append(Diagnostic(table.file, line, 0, f"roster row has no {', '.join(missing)}",
                                       "missing-cell", sheet=table.sheet))
            continue
        if ident in seen:
            problems.append(Diagnostic(table.file, line, 0, f"工号 {ident} is already on the roster at line "
                                       f"{seen[ident]}", "duplicate-employee", sheet=table.sheet))
            continue
        seen[ident] = line
        subjects.append(Subject(ident, name, values.get("department", ""), role, table.file, line))
    problems.extend(table.problems)
    return subjects, problems
