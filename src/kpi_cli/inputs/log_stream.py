"""Stream the rows of a record log into the scorers of the periods they belong to.

The per-row path is built for logs of millions of rows.  A row whose cells have
been seen before costs a few cached lookups:

- each distinct 工号 is looked up on the roster once (a :class:`_Slot`);
- each distinct date text is parsed once, into the number of its period;
- each distinct (role, rule, count, points, value, rater, score) combination is
  worked out once by the same parsers the full path uses, into a *plan*: for a
  plain deduction, the item, the points (as integer millionths) and the occurrences;
- the slot keeps, per period, the list the plan adds to.

Any row the caches do not cover (a new combination, a rating, a metric value, an
adjustment, a row with a problem, a subject whose records are kept) goes through
:meth:`RowParser.parse` and :meth:`Scorer.add`, which locate every problem exactly.
Ratings and metric values learnt from a parsed row are remembered too, so later
rows with the same cells only need a :class:`Record` made.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter
from typing import Any

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.engine.periods import Period
from kpi_cli.engine.results import Record, Subject
from kpi_cli.engine.scoring import MICRO, Scorer
from kpi_cli.inputs.records import RowParser
from kpi_cli.inputs.table_rows import MAX_PROBLEMS, too_many_problems
from kpi_cli.inputs.values import clean_id, parse_date
from kpi_cli.rubric.model import Rubric

_PLAN_COLUMNS = ("rule", "count", "points", "value", "rater", "score")
_FILE, _LINE, _SUBJECT, _NOTE, _SHEET = (Record._fields.index(n) for n in ("file", "line", "subject", "note", "sheet"))
_MAX_CACHED = 50_000  # entries per cache: the caches, and so memory, stop growing with the log


class _Slot:
    """A subject on the hot path: its id, role, the plans for its role, and per period its sums."""

    __slots__ = ("id", "role", "plans", "sums")

    def __init__(self, ident: str, role: str | None, plans: dict[tuple[str, ...], tuple[int, int, int] | None]):
        self.id = ident
        self.role = role
        self.plans = plans
        # by period number: the sums to add to; None outside the chosen period; _PENDING not yet needed
        self.sums: list[list[int] | tuple[()] | None] = []


_NO_SLOT = _Slot("", None, {})  # a 工号 the hot path cannot take: every lookup misses
_UNSEEN = object()
_PENDING: tuple[()] = ()  # the hot path's "+=" on it fails, so the row takes the path that makes the sums


class LogStream:
    """Feeds rows to one :class:`Scorer` per period; counts and diagnostics are kept here."""

    def __init__(self, rubric: Rubric, parser: RowParser, positions: dict[str, int],
                 subjects: dict[str, Subject] | None, period: Period | None,
                 keep_records: bool | Collection[str], file: str, sheet: str = "") -> None:
        self.rubric = rubric
        self.parser = parser
        self.subjects = subjects
        self.period = period
        self.keep = keep_records
        self.file = file
        self.sheet = sheet
        self.scorers: dict[Period, Scorer] = {}
        if period is not None:
            self.scorers[period] = Scorer(rubric, period, subjects, keep_records=keep_records)
        self.diagnostics: list[Diagnostic] = []
        self.used = self.outside = self.errors = self.slow = 0
        self.employee_at = positions["employee"]
        self.date_at = positions["date"]
        self.note_at = positions.get("note", -1)
        self.present = [name for name in _PLAN_COLUMNS if name in positions]
        rule_columns = [positions[name] for name in self.present]
        if len(rule_columns) == 1:  # itemgetter of one index returns the cell itself: ask twice for a tuple
            rule_columns.append(rule_columns[0])
        self.plan_cells = itemgetter(*rule_columns)
        self.learn_cells = itemgetter(self.date_at, *rule_columns)  # a learnt record carries its date
        self.slots: dict[str, _Slot] = {}
        self.dates: dict[str, int] = {}  # date text -> period number, for valid dates only
        # (role, rule cells) -> a metric value or rating parsed before; its cells say all but the row's place
        self.values: dict[tuple[str | None, tuple[str, ...]], Record] = {}
        self.role_plans: dict[str | None, dict[tuple[str, ...], tuple[int, int, int] | None]] = {}
        self.learnt: dict[tuple[str | None, tuple[str, ...]], tuple[Record, int]] = {}
        self.period_numbers: dict[Period, int] = {}
        self.periods: list[Period] = []
        self.items = len(rubric.items)
        self.need = max(positions[name] for name in ("employee", "date", *self.present)) + 1

    @property
    def read(self) -> int:
        return self.used + self.outside + self.errors

    def feed(self, rows: Iterable[tuple[int, list[str]]], problems: list[Diagnostic]) -> None:
        """Read every row; ``problems`` is the table's own list (refused cells), reported in line order."""
        slots, dates = self.slots, self.dates
        employee_at, date_at, plan_cells, items = self.employee_at, self.date_at, self.plan_cells, self.items
        used = 0
        rows = iter(rows)
        try:
            for line, cells in rows:
                try:
                    slot = slots[cells[employee_at]]
                    item, points, occurrences = slot.plans[plan_cells(cells)]
                    sums = slot.sums[dates[cells[date_at]]]
                    sums[item] += points  # type: ignore[index]
                    sums[item + items] += occurrences  # type: ignore[index]
                    used += 1
                except (KeyError, IndexError, TypeError):
                    if problems:
                        self.diagnostics.extend(problems)
                        problems.clear()
                    self._row(line, cells)
                    if len(self.diagnostics) >= MAX_PROBLEMS:
                        self._stop(line, rows, problems)
                        break
        finally:
            self.used += used
        self.diagnostics.extend(problems)
        problems.clear()

    def _stop(self, line: int, rows: Iterable[tuple[int, list[str]]], problems: list[Diagnostic]) -> None:
        """Too many problems: the rows after ``line`` are counted as in error, not checked (bounded memory)."""
        rest = 0
        for _line, _cells in rows:
            rest += 1
            problems.clear()  # the reader's problems with rows that are not checked are not kept either
        self.errors += rest
        self.diagnostics.append(too_many_problems(self.file, line, self.sheet))

    def release(self) -> None:
        """Let go of the caches once every row is read: a slot per 工号 holds its sums until then (at 150,000
        people, tens of megabytes the scorer's results can use instead)."""
        self.slots = {}
        self.role_plans = {}
        self.learnt = {}
        self.values = {}

    # ----------------------------------------------------------------------------------------- off the hot path

    def _row(self, line: int, cells: list[str]) -> None:
        slot = self._slot(cells[self.employee_at]) if len(cells) > self.employee_at else _NO_SLOT
        key = None
        if slot is not _NO_SLOT and len(cells) >= self.need:
            number = self._date(cells[self.date_at])
            if number is not None:
                rule_cells = self.plan_cells(cells)
                plan = slot.plans.get(rule_cells, _UNSEEN)
                if plan is _UNSEEN:
                    plan = self._plan(slot, rule_cells)
                if plan is not None:
                    self._deduction(slot, plan, number)
                    return
                known = self.values.get((slot.role, rule_cells))
                if known is not None:  # a value or rating seen before: only its subject and line are new
                    scorer = self._scorer(self.periods[number])
                    if scorer is None:
                        self.outside += 1
                        return
                    conflict = scorer.add_shared(known, slot.id, line)
                    if conflict is not None:
                        self.errors += 1
                        self.diagnostics.append(conflict)
                    else:
                        self.used += 1
                    return
                key = (slot.role, self.learn_cells(cells))
                learnt = self.learnt.get(key)
                if learnt is not None:
                    record, number = learnt
                    note = cells[self.note_at].strip() if 0 <= self.note_at < len(cells) else ""
                    values = list(record)  # the learnt record with this row's place, subject and note
                    values[_FILE], values[_LINE], values[_SUBJECT], values[_NOTE], values[_SHEET] = (
                        self.file, line, slot.id, note, self.sheet)
                    self._add(Record._make(values), self.periods[number])
                    return
        self.slow += 1
        parsed = self.parser.parse(self.file, line, cells, self.sheet)
        if isinstance(parsed, list):
            self.errors += 1
            self.diagnostics.extend(parsed)
            return
        number = self._number(Period.containing(parsed.date, self.rubric.period))
        if key is not None and parsed.kind in ("metric", "rating") and len(self.learnt) < _MAX_CACHED:
            self.learnt[key] = (parsed, number)
            if not parsed.team and len(self.values) < _MAX_CACHED:  # the same cells on any valid date
                self.values[(key[0], self.plan_cells(cells))] = parsed
        self._add(parsed, self.periods[number])

    def _add(self, record: Record, row_period: Period) -> None:
        scorer = self._scorer(row_period)
        if scorer is None:
            self.outside += 1
            return
        conflict = scorer.add(record)
        if conflict is not None:
            self.errors += 1
            self.diagnostics.append(conflict)
        else:
            self.used += 1

    def _deduction(self, slot: _Slot, plan: tuple[int, int, int], number: int) -> None:
        item, points, occurrences = plan
        while len(slot.sums) <= number:
            slot.sums.append(_PENDING)
        sums = slot.sums[number]
        if sums is _PENDING:
            sums = slot.sums[number] = self._sums(slot, self.periods[number])
        if sums is None:
            self.outside += 1
            return
        sums[item] += points
        sums[item + self.items] += occurrences
        self.used += 1

    def _sums(self, slot: _Slot, row_period: Period) -> list[int] | None:
        scorer = self._scorer(row_period)
        return None if scorer is None else scorer.micro_sums(slot.id)

    def _scorer(self, row_period: Period) -> Scorer | None:
        """The period's scorer; None for a row outside the chosen period."""
        scorer = self.scorers.get(row_period)
        if scorer is None and self.period is None:
            scorer = self.scorers[row_period] = Scorer(self.rubric, row_period, self.subjects,
                                                       keep_records=self.keep)
        return scorer

    def _number(self, row_period: Period) -> int:
        number = self.period_numbers.get(row_period)
        if number is None:
            number = self.period_numbers[row_period] = len(self.periods)
            self.periods.append(row_period)
        return number

    def _slot(self, raw: str) -> _Slot:
        """The slot of a 工号 the hot path may take (known, records not kept), else ``_NO_SLOT``."""
        slot = self.slots.get(raw)
        if slot is not None:
            return slot
        slot = _NO_SLOT
        try:
            ident = clean_id(raw)
        except ValueError:  # an odd digit: the full path says so
            ident = ""
        keep = self.keep if isinstance(self.keep, bool) else ident in self.keep
        if ident and not keep:
            role: str | None = None
            if self.subjects is not None:
                subject = self.subjects.get(ident)
                role = subject.role if subject is not None else None
                if subject is None:
                    ident = ""
            if ident:
                slot = _Slot(ident, role, self.role_plans.setdefault(role, {}))
        if slot is not _NO_SLOT or len(self.slots) < 2 * _MAX_CACHED:
            # a slot is one per person scored, whose tally is kept anyway: always cached (at 150,000 people a
            # third of them missed the hot path when it was capped at 100,000); texts refused are capped
            self.slots[raw] = slot
        return slot

    def _date(self, raw: str) -> int | None:
        """The number of the period of a valid date text (cached), else None."""
        number = self.dates.get(raw)
        if number is None:
            try:
                day = parse_date(raw.strip())
            except ValueError:
                return None
            number = self._number(Period.containing(day, self.rubric.period))
            if len(self.dates) < _MAX_CACHED:
                self.dates[raw] = number
        return number

    def _plan(self, slot: _Slot, cells: Sequence[str]) -> tuple[int, int, int] | None:
        """(item, points in millionths, occurrences) when the rule cells make a plain deduction, else None."""
        values: dict[str, Any] = dict.fromkeys(_PLAN_COLUMNS, "")
        values.update(zip(self.present, cells))
        deduction = self.parser.deduction_plan(slot.role, **values)
        plan = None  # not a plain deduction (or finer than a millionth of a point): the full path
        if deduction is not None:
            item, points, occurrences = deduction
            micro = points * MICRO
            if micro == micro.to_integral_value():
                plan = (item, int(micro), occurrences)
        if len(slot.plans) < _MAX_CACHED:
            slot.plans[tuple(cells)] = plan
        return plan
