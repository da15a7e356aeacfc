"""The main job: a record log + a roster + a rubric -> a scored period.

This is the library entry point behind ``kpi score``, ``kpi explain`` and
``kpi check``: it reads the files (streaming the log), feeds the pure engine and
collects every diagnostic.  It never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from .columns import LOG_COLUMNS, header_diagnostics, map_header
from .diagnostics import Diagnostic, has_errors
from .periods import Period
from .records import RowParser
from .results import ScoreSheet, Subject
from .roster import load_roster
from .rubric_index import RubricIndex
from .rubric_model import Rubric
from .scoring import Scorer
from .tables import open_table
from .values import clean_id, parse_date


@dataclass(frozen=True)
class RowCounts:
    """read = used + outside_period + errors."""

    read: int = 0
    used: int = 0
    outside_period: int = 0
    errors: int = 0


@dataclass(frozen=True)
class ScoreRun:
    sheet: ScoreSheet | None  # None whenever there is any error: never a partial table
    diagnostics: tuple[Diagnostic, ...]
    counts: RowCounts
    period: Period | None
    notes: tuple[str, ...]  # facts the user should see (no roster, roster members not covered...)

    @property
    def ok(self) -> bool:
        return self.sheet is not None and not has_errors(self.diagnostics)


def score_log(
    log: Path | str,
    rubric: Rubric,
    *,
    roster: Path | str | None = None,
    period: Period | None = None,
    keep_records: bool | Collection[str] = True,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    roster_sheet: str | None = None,
) -> ScoreRun:
    """Score ``log`` for one period with ``rubric``.

    ``period`` None: the one period the log covers.  ``keep_records``: keep the
    records behind each figure (True), for some subjects only (a set of ids), or
    not at all (False; memory then stays flat however long the log).
    ``progress``: called with the line reached every 8192 rows (for a progress bar).
    ``encoding``: force the text encoding of CSV/TSV files (log and roster); ``sheet``, ``roster_sheet``:
    the worksheet to read in an .xlsx log or roster (default: the first).
    """
    diagnostics: list[Diagnostic] = []
    notes: list[str] = []
    subjects: dict[str, Subject] | None = None
    skipped: dict[str, str] = {}
    if period is not None and period.kind != rubric.period:
        diagnostics.append(Diagnostic(str(log), 0, 0, f"period {period} is a {period.kind}, but rubric {rubric.id} "
                                      f"is scored by {rubric.period}", "period-kind"))
        return ScoreRun(None, tuple(diagnostics), RowCounts(), period, ())
    if roster is not None:
        members, roster_problems = load_roster(roster, encoding=encoding, sheet=roster_sheet)
        diagnostics.extend(roster_problems)
        subjects = {s.id: s for s in members if s.role in rubric.roles}
        skipped = {s.id: s.role or "" for s in members if s.role not in rubric.roles}
        if skipped:
            notes.append(f"{len(skipped)} roster members are in roles rubric {rubric.id} does not cover; not scored")
        if members and not subjects:
            diagnostics.append(Diagnostic(str(roster), 0, 0, f"nobody on the roster has a role rubric {rubric.id} "
                                          f"covers ({', '.join(rubric.roles)})", "no-subjects"))
        if not members and has_errors(roster_problems):  # unreadable: check the log without it, score nothing
            subjects = None
            notes.append("the roster could not be read: the log's 工号 were not checked against it")
    else:
        if rubric.role_specific:
            diagnostics.append(Diagnostic(str(log), 0, 0, f"rubric {rubric.id} has items for some roles only; give "
                                          "--roster so each person's role is known", "roster-required"))
            return ScoreRun(None, tuple(diagnostics), RowCounts(), period, ())
        notes.append("no roster given: the people scored are those who appear in the log, without names or roles")

    table, problems = open_table(log, encoding=encoding, sheet=sheet)
    diagnostics.extend(problems)
    if table is None:
        return ScoreRun(None, tuple(diagnostics), RowCounts(), period, tuple(notes))
    header = map_header(table.header, LOG_COLUMNS)
    diagnostics.extend(header_diagnostics(header, table.file, table.header_line, table.sheet))
    if header.missing or header.duplicated:
        return ScoreRun(None, tuple(diagnostics), RowCounts(), period, tuple(notes))

    parser = RowParser(rubric, header.positions, subjects, index=RubricIndex(rubric), skipped_roles=skipped)
    scorers: dict[Period, Scorer] = {}
    if period is not None:
        scorers[period] = Scorer(rubric, period, subjects, keep_records=keep_records)
    fast = _FastPath(parser, header.positions, subjects, rubric, keep_records)
    read = used = outside = errors = 0
    month_cache: dict[tuple[int, int], Period] = {}
    table_problems = table.problems  # cells the table refused (rows not yielded): reported in line order
    need, employee_at, date_rule_cells = fast.need, fast.employee_at, fast.date_rule_cells
    subject_plans, row_plans = fast.subjects, fast.rows
    missing = _MISSING

    def scorer_for(row_period: Period) -> Scorer | None:
        """The period's scorer; None for a row outside the chosen period."""
        scorer = scorers.get(row_period)
        if scorer is None and period is None:
            scorer = scorers[row_period] = Scorer(rubric, row_period, subjects, keep_records=keep_records)
        return scorer

    for line, cells in table.rows:
        read += 1
        if table_problems:
            diagnostics.extend(table_problems)
            table_problems.clear()
        if progress is not None and not read & 8191:
            progress(line)
        # The hot path: a plain deduction for a known subject on a valid date, every lookup cached.
        if len(cells) >= need:
            slot = subject_plans.get(cells[employee_at], missing)
            if slot is missing:
                slot = fast.plan_subject(cells[employee_at])
            if slot is not None:
                key = (slot.role, date_rule_cells(cells))
                plan = row_plans.get(key, missing)
                if plan is missing:
                    plan = fast.plan_row(key)
                if plan is not None:
                    row_period = plan[3]
                    if slot.period is not row_period:
                        sink = slot.sinks.get(row_period, missing)
                        if sink is missing:
                            scorer = scorer_for(row_period)
                            sink = slot.sinks[row_period] = None if scorer is None else \
                                scorer.deduction_sink(slot.id)
                        slot.period, slot.sink = row_period, sink
                    sink = slot.sink
                    if sink is None:
                        outside += 1
                    else:
                        item = plan[0]
                        sink[0][item] += plan[1]
                        sink[1][item] += plan[2]
                        used += 1
                    continue
        # Everything else: parsed in full, with every problem located.
        parsed = parser.parse(table.file, line, cells, table.sheet)
        if isinstance(parsed, list):
            errors += 1
            diagnostics.extend(parsed)
            continue
        key_month = (parsed.date.year, parsed.date.month)
        row_period = month_cache.get(key_month)
        if row_period is None:
            row_period = month_cache[key_month] = Period.containing(parsed.date, rubric.period)
        scorer = scorer_for(row_period)
        if scorer is None:
            outside += 1
            continue
        conflict = scorer.add(parsed)
        if conflict is not None:
            errors += 1
            diagnostics.append(conflict)
        else:
            used += 1
    diagnostics.extend(table.problems)
    counts = RowCounts(read + table.rejected, used, outside, errors + table.rejected)

    if period is None:
        if len(scorers) > 1:
            seen = ", ".join(str(p) for p in sorted(scorers))
            diagnostics.append(Diagnostic(table.file, 0, 0, f"the log covers several periods ({seen}); choose one "
                                          "with --period", "several-periods"))
            return ScoreRun(None, tuple(diagnostics), counts, None, tuple(notes))
        if not scorers:
            if not has_errors(diagnostics):
                diagnostics.append(Diagnostic(table.file, 0, 0, "the log has no records, so its period is unknown; "
                                              "give --period", "no-period"))
            return ScoreRun(None, tuple(diagnostics), counts, None, tuple(notes))
        period = next(iter(scorers))
    scorer = scorers[period]
    if has_errors(diagnostics):
        return ScoreRun(None, tuple(diagnostics), counts, period, tuple(notes))
    sheet, problems = scorer.finish()
    diagnostics.extend(problems)
    return ScoreRun(sheet, tuple(diagnostics), counts, period, tuple(notes))


_MISSING = object()


class _Slot:
    """A subject on the hot path: its id, role, and per period the sums to add deductions to."""

    __slots__ = ("id", "role", "sinks", "period", "sink")

    def __init__(self, ident: str, role: str | None) -> None:
        self.id = ident
        self.role = role
        self.sinks: dict[Period, tuple[list[Decimal], list[int]] | None] = {}  # None: outside the period
        self.period: Period | None = None  # the last period added to, and its sink
        self.sink: tuple[list[Decimal], list[int]] | None = None


class _FastPath:
    """Caches for the per-row hot path of :func:`score_log`.

    Each distinct 工号, date text and (role, rule cells) combination is worked out once, by
    the same parsers the full path uses; a row is taken on the hot path only when all three
    say "valid plain deduction", so both paths always agree.
    """

    def __init__(self, parser: RowParser, positions: dict[str, int], subjects: dict[str, Subject] | None,
                 rubric: Rubric, keep_records: bool | Collection[str]) -> None:
        self.parser = parser
        self.rubric = rubric
        self.subjects_map = subjects
        self.keep = keep_records
        self.employee_at = positions["employee"]
        names = ("date", "rule", "count", "points", "value", "rater", "score")
        self.present = [name for name in names if name in positions]
        self.date_rule_cells: Callable[[list[str]], tuple[str, ...]] = itemgetter(
            *(positions[name] for name in self.present))  # at least date and rule: always a tuple
        self.need = max(positions[name] for name in ("employee", *self.present)) + 1
        self.subjects: dict[str, _Slot | None] = {}
        self.periods: dict[Period, Period] = {}  # one object per period, compared by identity on the hot path
        self.rows: dict[tuple[str | None, tuple[str, ...]], tuple[int, Decimal, int, Period] | None] = {}

    def plan_subject(self, raw: str) -> _Slot | None:
        """The slot of a 工号 the hot path may take: known, and its records not kept."""
        plan: _Slot | None = None
        ident = clean_id(raw)
        keep = self.keep if isinstance(self.keep, bool) else ident in self.keep
        if ident and not keep:
            if self.subjects_map is None:
                plan = _Slot(ident, None)
            elif ident in self.subjects_map:
                plan = _Slot(ident, self.subjects_map[ident].role)
        if len(self.subjects) < 1_000_000:
            self.subjects[raw] = plan
        return plan

    def plan_row(self, key: tuple[str | None, tuple[str, ...]]) -> tuple[int, Decimal, int, Period] | None:
        """(item, points deducted, occurrences, period) when the cells make a valid plain deduction."""
        role, cells = key
        values = dict.fromkeys(("date", "rule", "count", "points", "value", "rater", "score"), "")
        values.update(zip(self.present, cells))
        plan: tuple[int, Decimal, int, Period] | None = None
        try:
            day = parse_date(values.pop("date").strip())
        except ValueError:
            day = None
        if day is not None:
            deduction = self.parser.deduction_plan(role, **values)
            if deduction is not None:
                row_period = Period.containing(day, self.rubric.period)
                plan = (*deduction, self.periods.setdefault(row_period, row_period))
        if len(self.rows) < 200_000:
            self.rows[key] = plan
        return plan
