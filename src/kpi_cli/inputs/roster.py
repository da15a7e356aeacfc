"""The roster (花名册): who is appraised, in which department and role.

Read from the same kinds of files as the log (CSV, TSV, XLSX; see :mod:`tables`).
A 工号 is kept as text (``000123`` keeps its zeros) and compared after
:func:`values.clean_id` (full-width digits made half-width, zero-width spaces and
BOMs removed), in the roster as in the log; two rows whose 工号 are the same after
that are an error naming both lines.  A 工号 with an odd digit (``1²``) is refused.

:func:`covered` splits the members by the rubric's roles: a member of a role the
rubric does not know is named in a warning; one whose role only differs from a
known role by spaces, width, case or invisible characters (``管 家``) is an error.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from kpi_cli.i18n import _
from kpi_cli.diagnostics import WARNING, Diagnostic
from kpi_cli.engine.results import Subject
from kpi_cli.inputs.columns import ROSTER_COLUMNS, header_diagnostics, header_key, map_header
from kpi_cli.inputs.table_rows import MAX_PROBLEMS, too_many_problems
from kpi_cli.inputs.tables import open_table
from kpi_cli.inputs.values import clean_id, parse_money

_REQUIRED = (("id", "工号"), ("name", "姓名"), ("role", "岗位"))
_NAMED = 10  # members named in the warning about a role the rubric does not cover


def load_roster(path: Path | str, *, encoding: str | None = None, sheet: str | None = None,
                multiline_cells: bool = False, ignore_columns: Sequence[str] = ()
                ) -> tuple[list[Subject], list[Diagnostic]]:
    """Every row of the roster as a :class:`Subject`; problems are collected, not raised.  ``ignore_columns``:
    headings to leave out (the rubric's), as the message about an unknown heading says."""
    table, problems = open_table(path, encoding=encoding, sheet=sheet, multiline_cells=multiline_cells)
    if table is None:
        return [], problems
    header = map_header(table.header, ROSTER_COLUMNS, ignore_columns)
    problems.extend(header_diagnostics(header, table.file, table.header_line, table.sheet, roster=True))
    if header.missing or header.duplicated:
        return [], problems
    pos = header.positions
    file, sheet_name = table.file, table.sheet
    subjects: list[Subject] = []
    seen: dict[str, tuple[int, str]] = {}
    rows = iter(table.rows)
    for line, cells in rows:
        if table.problems:
            problems.extend(table.problems)
            table.problems.clear()
        if len(problems) >= MAX_PROBLEMS:  # a hostile roster: the rest is not checked (bounded time and memory)
            problems.append(too_many_problems(file, line, sheet_name))
            for _row in rows:
                table.problems.clear()
            table.problems.clear()
            break
        values = {name: _visible(cells[i]) if i < len(cells) else "" for name, i in pos.items()}
        id_column = pos["id"] + 1 if sheet_name else 0
        missing = [(label, pos[name]) for name, label in _REQUIRED if not values.get(name)]
        if missing:
            column = missing[0][1] + 1 if sheet_name else 0
            problems.append(Diagnostic(file, line, column, _("roster row has no {names}").format(
                names=", ".join(m[0] for m in missing)),
                                       "missing-cell", sheet=sheet_name))
            continue
        raw = cells[pos["id"]].strip()
        try:
            ident = clean_id(raw)
        except ValueError as exc:
            problems.append(Diagnostic(file, line, id_column, str(exc), "bad-id", sheet=sheet_name))
            continue
        if ident in seen:
            first_line, first_raw = seen[ident]
            spelled = "" if raw == ident and first_raw == ident else \
                _(" ({here} here, {there} there, the same once invisible characters and widths are ignored)").format(
                    here=repr(raw), there=repr(first_raw))
            message = _("工号 {id} is already on the roster at row {row}{spelled}") if sheet_name \
                else _("工号 {id} is already on the roster at line {row}{spelled}")
            problems.append(Diagnostic(file, line, id_column, message.format(id=ident, row=first_line, spelled=spelled),
                                       "duplicate-employee", sheet=sheet_name))
            continue
        base = None
        if values.get("pay_base"):
            try:
                base = parse_money(values["pay_base"])
            except ValueError as exc:
                problems.append(Diagnostic(file, line, pos["pay_base"] + 1, _("绩效工资基数: {problem}").format(problem=exc), "bad-pay-base",
                                           sheet=sheet_name))
                continue
        seen[ident] = (line, raw)
        subjects.append(Subject(ident, values["name"], values.get("department", ""), values["role"], file, line,
                                base))
    problems.extend(table.problems)
    return subjects, problems


def _visible(text: str) -> str:
    """A roster cell without invisible characters (zero-width spaces, BOMs, control characters), line breaks or
    outer spaces."""
    text = text.strip()
    if text.isprintable() and "  " not in text:
        # no control or format character (Cc, Cf), no separator but the ASCII space, no run of spaces: the
        # cleaning below would change nothing (a name in Chinese takes this way, not only ASCII)
        return text
    text = " ".join(text.split())  # line breaks and tabs (a cell that spans lines) as one space
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc")).strip()


def covered(members: Sequence[Subject], roles: Sequence[str], rubric_id: str
            ) -> tuple[dict[str, Subject], dict[str, str], list[Diagnostic]]:
    """The members the rubric covers (by 工号), the others (工号 -> role) and what to say about the others.

    A role the rubric does not know gets one warning naming its members; a role that is a known one spelled
    differently (spaces, width, case: ``管 家`` for 管家) is an error for each of its members.
    """
    subjects = {s.id: s for s in members if s.role in roles}
    skipped = {s.id: s.role or "" for s in members if s.role not in roles}
    problems: list[Diagnostic] = []
    by_role: dict[str, list[Subject]] = {}
    for s in members:
        if s.role not in roles:
            by_role.setdefault(s.role or "", []).append(s)
    keys = {header_key(role): role for role in roles}
    for role, people in by_role.items():
        known = keys.get(header_key(role))
        if known is not None:
            for s in people:
                problems.append(Diagnostic(s.file, s.line, 0, _("岗位 {role} of {id} {name} is not a role of rubric "
                                                               "{rubric}: did you mean {known}? Correct the 岗位").format(
                    role=repr(role), id=s.id, name=s.name, rubric=rubric_id, known=known),
                                           "unknown-role"))
            continue
        close = difflib.get_close_matches(role, roles, n=1, cutoff=0.75)
        hint = _(" (did you mean {name}?)").format(name=close[0]) if close else ""
        named = ", ".join(f"{s.name} {s.id}" for s in people[:_NAMED])
        more = _(" and {n} more").format(n=len(people) - _NAMED) if len(people) > _NAMED else ""
        first = people[0]
        problems.append(Diagnostic(first.file, first.line, 0, _("岗位 {role}{hint} is not a role of rubric {rubric} "
                                                                "({roles}): {n} not scored: {named}{more}").format(
            role=role, hint=hint, rubric=rubric_id, roles=", ".join(roles), n=len(people), named=named, more=more),
                                   "role-not-covered", WARNING))
    return subjects, skipped, problems
