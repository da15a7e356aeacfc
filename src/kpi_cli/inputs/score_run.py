"""The main job: a record log + a roster + a rubric -> a scored period.

This is the library entry point behind ``kpi score``, ``kpi explain`` and
``kpi check``: it reads the files (streaming the log), feeds the pure engine and
collects every diagnostic.  It never prints.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
import functools
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_cli.diagnostics import Diagnostic, has_errors
from kpi_cli.engine.periods import Period, kind_word
from kpi_cli.engine.results import ScoreSheet, Subject
from kpi_cli.i18n import _
from kpi_cli.inputs.columns import LOG_COLUMNS, header_diagnostics, map_header
from kpi_cli.inputs.log_stream import LogStream
from kpi_cli.inputs.records import RowParser
from kpi_cli.inputs.roster import covered, load_roster
from kpi_cli.inputs.table_rows import Table
from kpi_cli.inputs.tables import open_table
from kpi_cli.rubric.fidelity import draft_note
from kpi_cli.rubric.index import RubricIndex
from kpi_cli.rubric.model import Rubric


@dataclass(frozen=True)
class RowCounts:
    """read = used + outside_period + errors + joined.

    ``read`` counts the data lines of the file (every line after the header that is not blank; in a workbook,
    every row after the header that is not empty), so a quote left open cannot hide the rows it swallowed;
    ``errors`` counts every line of a refused row; ``joined`` the lines after the first of rows whose cells
    span lines (accepted with ``multiline_cells``).
    """

    read: int = 0
    used: int = 0
    outside_period: int = 0
    errors: int = 0
    joined: int = 0


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


def _collector_paused(function: Callable[..., ScoreRun]) -> Callable[..., ScoreRun]:
    """Run ``function`` with the cyclic garbage collector paused: a large month makes millions of small objects
    that live until the end (sums, records, results) and hold no reference cycles, and every full collection
    walked all of them again (measured: 2.0 of 11.0 s CPU at 50,000 people and 1M rows).  Memory is freed by
    reference counting as before; the collector's state is restored afterwards."""

    @functools.wraps(function)
    def paused(*args: Any, **kwargs: Any) -> ScoreRun:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_collector_paused
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
    multiline_cells: bool = False,
    ignore_columns: Sequence[str] = (),
) -> ScoreRun:
    """Score ``log`` for one period with ``rubric``.

    ``period`` None: the one period the log covers.  ``keep_records``: keep the
    records behind each figure (True), for some subjects only (a set of ids), or
    not at all (False; memory then stays flat however long the log).
    ``progress``: called with the line reached every 8192 rows (for a progress bar).
    ``encoding``: force the text encoding of CSV/TSV files (log and roster); ``sheet``, ``roster_sheet``:
    the worksheet to read in an .xlsx log or roster (default: the first).  ``multiline_cells``: accept cells
    of CSV/TSV files that span lines (refused by default: a quote left open).  ``ignore_columns``: log headings
    to leave out, besides the rubric's ``ignore_columns`` (any other unknown heading is an error).
    """
    diagnostics: list[Diagnostic] = []
    notes: list[str] = [note for note in (draft_note(rubric),) if note]
    subjects: dict[str, Subject] | None = None
    skipped: dict[str, str] = {}
    if period is not None and period.kind != rubric.period:
        diagnostics.append(Diagnostic(str(log), 0, 0, _("period {period} is a {kind}, but rubric {rubric} is scored by "
                                                        "{rubric_kind}").format(
            period=period, kind=kind_word(period.kind), rubric=rubric.id, rubric_kind=kind_word(rubric.period)), "period-kind"))
        return ScoreRun(None, tuple(diagnostics), RowCounts(), period, ())
    if roster is not None:
        members, roster_problems = load_roster(roster, encoding=encoding, sheet=roster_sheet,
                                               multiline_cells=multiline_cells, ignore_columns=rubric.ignore_columns)
        diagnostics.extend(roster_problems)
        subjects, skipped, role_problems = covered(members, rubric.roles, rubric.id)
        diagnostics.extend(role_problems)
        if skipped:
            notes.append(_("{n} roster members are in roles rubric {rubric} does not cover; not scored").format(
                             n=len(skipped), rubric=rubric.id))
        if members and not subjects:
            diagnostics.append(Diagnostic(str(roster), 0, 0, _("nobody on the roster has a role rubric {rubric} covers "
                                                               "({roles})").format(
                rubric=rubric.id, roles=", ".join(rubric.roles)), "no-subjects"))
        if not members and has_errors(roster_problems):  # unreadable: check the log without it, score nothing
            subjects = None
            notes.append(_("the roster could not be read: the log's 工号 were not checked against it"))
    else:
        if rubric.role_specific:
            diagnostics.append(Diagnostic(str(log), 0, 0, _("rubric {rubric} has items for some roles only; give "
                                                            "--roster so each person's role is known").format(
                rubric=rubric.id), "roster-required"))
            return ScoreRun(None, tuple(diagnostics), RowCounts(), period, ())
        notes.append(_("no roster given: the people scored are those who appear in the log, without names or roles"))

    table, problems = open_table(log, encoding=encoding, sheet=sheet, multiline_cells=multiline_cells)
    diagnostics.extend(problems)
    if table is None:
        return ScoreRun(None, tuple(diagnostics), RowCounts(), period, tuple(notes))
    if table.sheet:
        notes.append(_("sheet read: {sheet}").format(sheet=table.sheet))
    header = map_header(table.header, LOG_COLUMNS, (*rubric.ignore_columns, *ignore_columns))
    diagnostics.extend(header_diagnostics(header, table.file, table.header_line, table.sheet))
    if header.missing or header.duplicated:  # no row can be read: each is counted, as in error
        unread = sum(1 for _row in table.rows)
        lines = table.lines if table.lines >= 0 else unread
        return ScoreRun(None, tuple(diagnostics), RowCounts(read=lines, errors=lines), period, tuple(notes))

    parser = RowParser(rubric, header.positions, subjects, index=RubricIndex(rubric), skipped_roles=skipped)
    stream = LogStream(rubric, parser, header.positions, subjects, period, keep_records, table.file, table.sheet)
    rows: Iterable[tuple[int, list[str]]] = table.rows
    if progress is not None:
        rows = _reporting(rows, progress)
    stream.feed(rows, table.problems)
    stream.release()
    diagnostics.extend(stream.diagnostics)
    scorers = stream.scorers
    counts = _counts(stream, table, diagnostics)

    if period is None:
        if len(scorers) > 1:
            seen = ", ".join(str(p) for p in sorted(scorers))
            diagnostics.append(Diagnostic(table.file, 0, 0, _("the log covers several periods ({seen}); choose one "
                                                              "with --period").format(seen=seen), "several-periods"))
            return ScoreRun(None, tuple(diagnostics), counts, None, tuple(notes))
        if not scorers:
            if not has_errors(diagnostics):
                diagnostics.append(Diagnostic(table.file, 0, 0, _("the log has no records, so its period is unknown; "
                                                                  "give --period"), "no-period"))
            return ScoreRun(None, tuple(diagnostics), counts, None, tuple(notes))
        period = next(iter(scorers))
    scorer = scorers[period]
    if has_errors(diagnostics):
        return ScoreRun(None, tuple(diagnostics), counts, period, tuple(notes))
    sheet, problems = scorer.finish()
    diagnostics.extend(problems)
    return ScoreRun(sheet, tuple(diagnostics), counts, period, tuple(notes))


def _counts(stream: LogStream, table: Table, diagnostics: list[Diagnostic]) -> RowCounts:
    """The footer's counts; lines of the file that no category holds would be a bug, said as an error."""
    counted = stream.read + table.rejected + table.joined
    read = table.lines if table.lines >= 0 else counted
    if read != counted:
        diagnostics.append(Diagnostic(table.file, 0, 0, _("{read} data lines were read but {counted} are "
                                                              "accounted for: this is a bug in kpi; please report "
                                                              "it").format(read=read, counted=counted), "uncounted-lines"))
    return RowCounts(read, stream.used, stream.outside, stream.errors + table.rejected, table.joined)


def _reporting(rows: Iterable[tuple[int, list[str]]], progress: Callable[[int], None]
               ) -> Iterator[tuple[int, list[str]]]:
    """The rows, calling ``progress`` with the line reached every 8192 rows."""
    for count, row in enumerate(rows, start=1):
        if not count & 8191:
            progress(row[0])
        yield row
