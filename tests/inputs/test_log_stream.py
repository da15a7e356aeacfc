"""The per-row hot path (log_stream) gives exactly what the full path gives, and loses nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, RUBRICS
from kpi_cli.inputs.score_run import score_log
from kpi_cli.engine.periods import Period
from kpi_cli.rubric.loader import load_rubric

STREAM = DATA / "stream"


def _rubric(path: Path):
    rubric, problems = load_rubric(path)
    assert rubric is not None, problems
    return rubric


def _figures(run):
    return [(s.subject.id, s.total, tuple((i.id, i.score, i.occurrences, i.wiped) for i in s.items), s.rank)
            for s in run.sheet.subjects]


EXAMPLE_RUNS = [(p.name.split("-")[0], p) for p in sorted(EXAMPLES.glob("*-20*.csv"))]


@pytest.mark.parametrize("rubric_id, log", EXAMPLE_RUNS, ids=[p.name for _, p in EXAMPLE_RUNS])
def test_hot_path_and_full_path_agree_on_every_example(rubric_id, log):
    rubric = _rubric(RUBRICS / f"{rubric_id}.yaml")
    fast = score_log(log, rubric, roster=EXAMPLES / "roster.csv", keep_records=False)
    full = score_log(log, rubric, roster=EXAMPLES / "roster.csv", keep_records=True)  # every row parsed in full
    assert fast.ok and full.ok
    assert _figures(fast) == _figures(full)
    assert fast.counts == full.counts


def test_every_row_is_used_or_reported_in_line_order():
    run = score_log(STREAM / "log.csv", _rubric(STREAM / "rubric.yaml"), roster=STREAM / "roster.csv",
                    period=Period.parse("2026-10"), keep_records=False)
    errors = [(d.line, d.code) for d in run.diagnostics if d.is_error]
    # the unknown 工号 is reported on both of its rows, though the second is a cached miss;
    # the second rating of 002 by 上级 conflicts; 2026-02-30 is not a date
    assert errors == [(9, "unknown-employee"), (10, "unknown-employee"), (14, "duplicate-record"),
                      (16, "bad-date")]
    # 16 rows: 1 outside the period (2026-09-30), 4 in error, 11 used
    assert (run.counts.read, run.counts.used, run.counts.outside_period, run.counts.errors) == (16, 11, 1, 4)
    assert run.sheet is None


def test_sums_are_exact_beyond_a_millionth():
    log = STREAM / "log.csv"
    lines = log.read_text("utf-8").splitlines()
    clean = "\n".join(line for n, line in enumerate(lines, start=1) if n not in (9, 10, 14, 16)) + "\n"
    path = Path(__file__).resolve().parents[1] / "data" / "stream" / "_clean.csv"
    try:
        path.write_text(clean, "utf-8")
        rubric = _rubric(STREAM / "rubric.yaml")
        run = score_log(path, rubric, roster=STREAM / "roster.csv", period=Period.parse("2026-10"),
                        keep_records=False)
        assert run.ok, run.diagnostics
        by_id = {s.subject.id: s for s in run.sheet.subjects}
        # 001: 迟到 2 + 2, 流程 1.25 → 10 − 5.25 = 4.75; 态度 8 → 12.75 → 12.8
        assert by_id["001"].items[0].score == Decimal("4.75") and by_id["001"].total == Decimal("12.8")
        # 003: 流程 0.5000001 + 1.0000001 (finer than a millionth: the exact path), 迟到 ×2 = 4
        #      → 10 − 5.5000002 = 4.4999998; occurrences 1 + 1 + 2 = 4 < 5; 态度 8 → 12.4999998 → 12.5
        assert by_id["003"].items[0].score == Decimal("4.4999998")
        assert by_id["003"].items[0].occurrences == 4
        assert by_id["003"].total == Decimal("12.5")
        # 002: 迟到 2 → 8; 态度 8; 奖扣 +3 → 19
        assert by_id["002"].total == Decimal("19.0")
    finally:
        path.unlink(missing_ok=True)


def test_a_second_value_names_the_line_of_the_first_when_the_record_is_shared(tmp_path: Path) -> None:
    """A value whose cells were seen before is stored as the record of the first row that had them (shared
    between people); a second value for the same person and rule still names the line of that person's own row,
    whichever way each row went, and the full path says the same."""
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注\n"
                   "A001,2026-10-08,收缴率,,,96,,,\n"  # line 2: parsed in full, then shared
                   "A002,2026-10-08,收缴率,,,96,,,\n"  # line 3: A002's value, the shared record
                   "A002,2026-10-09,收缴率,,,97,,,\n"  # line 4: new cells, parsed in full: a second value
                   "A002,2026-10-10,收缴率,,,96,,,\n", encoding="utf-8")  # line 5: shared cells, a second value
    rubric = _rubric(EXAMPLES / "tutorial" / "qiantai.yaml")
    roster = EXAMPLES / "tutorial" / "roster.csv"
    for keep in (False, True):
        run = score_log(log, rubric, roster=roster, keep_records=keep)
        duplicates = [d.format() for d in run.diagnostics if d.code == "duplicate-record"]
        assert duplicates == [f"{log}:{n}: A002 already has a value for 物业费收缴 / 收缴率 at line 3; keep one row (duplicate-record)"
                              for n in (4, 5)], keep
