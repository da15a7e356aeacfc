"""Three hand-computed months (tests/data/ledger), their rules across periods and their quarter.

The months (yuedu.yaml: 考勤 40, 迟到 −5 each; 劳动纪律 60, 违纪 −10 each; 优秀 ≥90, 合格 60–90, 不及格 <60):

            2026-07                 2026-08                  2026-09
  A001 王芳 100 优秀                95 (迟到1) 优秀           100 优秀
  A002 刘洋 80 (迟到2 违纪1) 合格    90 (违纪1) 优秀           95 (迟到1) 优秀
  A003 张伟 30 (违纪5 迟到4) 不及格  55 (违纪4 迟到1) 不及格     70 (违纪3) 合格
  A004 陈静 95 + 2.5 奖 = 97.5 优秀 — (not on the roster)       100 优秀
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpi_cli.engine.periods import Period
from kpi_cli.engine.rollup import Span
from kpi_cli.ledger.queries import history, list_periods
from kpi_cli.ledger.rollups import rollup
from kpi_cli.rubric.cycle import Rollup

from ledger.ledger_support import DATA, close_month, close_quarter, open_db, rubric

D = Decimal


def _flags(closed, subject):  # type: ignore[no-untyped-def]
    return {f.rule: f.periods for f in closed.flags.get(subject, ())}


def test_three_months_close_with_their_rules_across_periods(db_url: str) -> None:
    ledger = open_db(db_url)
    july, august, september = close_quarter(ledger)
    # July: A003 has 5 违纪 in the quarter so far (≥ 2); A002 has 1 (< 2: the edge of at_least)
    assert _flags(july, "A003") == {"duoci_weiji": ("2026-07",)}
    assert "A002" not in july.flags
    # August: A003 不及格 in July and August: 2 in a row; A002 1 + 1 = 2 违纪 in the quarter
    assert _flags(august, "A003") == {"lianxu_bujige": ("2026-07", "2026-08"), "duoci_weiji": ("2026-07", "2026-08")}
    assert _flags(august, "A002") == {"duoci_weiji": ("2026-07", "2026-08")}
    # A001 优秀 twice in a row: not yet 3
    assert "lianxu_youxiu" not in _flags(august, "A001")
    # September: A001 优秀 3 in a row; A004 优秀 in July and September but August is a gap: no streak;
    # A002 优秀 in August and September only (80 in July): 2 < 3; A003 合格 (70) ends the 不及格 run
    assert _flags(september, "A001") == {"lianxu_youxiu": ("2026-07", "2026-08", "2026-09")}
    assert "A004" not in september.flags
    assert "lianxu_youxiu" not in _flags(september, "A002")
    assert _flags(september, "A003") == {"duoci_weiji": ("2026-07", "2026-08", "2026-09")}
    listed = list_periods(ledger, "yuedu")
    assert [(str(c.period), c.subjects, c.rows_read, c.version, c.closed_by) for c in listed] == [
        ("2026-07", 4, 6, 1, "邓丽华"), ("2026-08", 3, 4, 1, "邓丽华"), ("2026-09", 4, 2, 1, "邓丽华")]
    ledger.dispose()


def test_history_keeps_exact_figures_ranks_and_flags(db_url: str) -> None:
    ledger = open_db(db_url)
    close_quarter(ledger)
    a004 = history(ledger, "A004")
    assert [(str(r.period), r.total, r.raw_total, r.adjustment_total, r.grade, r.rank) for r in a004] == [
        ("2026-07", D("97.5"), D("97.5"), D("2.5"), "优秀", 2), ("2026-09", D("100"), D("100"), D("0"), "优秀", 1)]
    a003 = history(ledger, "A003", "yuedu")
    assert [r.total for r in a003] == [D(30), D(55), D(70)]
    assert [(i.id, i.score, i.occurrences) for i in a003[0].items] == [("kaoqin", D(20), 4), ("jilv", D(10), 5)]
    assert [f.rule for f in a003[1].flags] == ["duoci_weiji", "lianxu_bujige"]
    assert history(ledger, "nobody") == []
    ledger.dispose()


@pytest.mark.parametrize("method, missing, weights, expected", [
    # mean, present: A001 (100+95+100)/3 = 98.33… → 98.3; A002 (80+90+95)/3 = 88.33… → 88.3 良好;
    # A003 (30+55+70)/3 = 51.66… → 51.7 不及格; A004 (97.5+100)/2 = 98.75 → 98.8 (half-up)
    ("mean", "present", {}, {"A001": ("98.3", "优秀"), "A002": ("88.3", "良好"), "A003": ("51.7", "不及格"),
                             "A004": ("98.8", "优秀")}),
    # zero: A004 (97.5 + 0 + 100)/3 = 65.83… → 65.8 不及格 (the others as above)
    ("mean", "zero", {}, {"A001": ("98.3", "优秀"), "A002": ("88.3", "良好"), "A003": ("51.7", "不及格"),
                          "A004": ("65.8", "不及格")}),
    # weighted, September counts twice: A001 (100+95+2×100)/4 = 98.75 → 98.8; A002 (80+90+190)/4 = 90 → 优秀 (edge);
    # A003 (30+55+140)/4 = 56.25 → 56.3; A004 present: (97.5 + 2×100)/3 = 99.166… → 99.2
    ("weighted", "present", {9: D(2)}, {"A001": ("98.8", "优秀"), "A002": ("90", "优秀"), "A003": ("56.3", "不及格"),
                                        "A004": ("99.2", "优秀")}),
    # sum of item scores: A001 100+95+100 = 295; A004 with zero: 97.5 + 0 + 100 = 197.5
    ("sum", "zero", {}, {"A001": ("295", "优秀"), "A002": ("265", "优秀"), "A003": ("155", "优秀"),
                         "A004": ("197.5", "优秀")}),
])
def test_quarter_rollup(db_url: str, method: str, missing: str, weights: dict, expected: dict) -> None:
    ledger = open_db(db_url)
    close_quarter(ledger)
    base = rubric()
    rule = Rollup.model_validate({**base.rollup.model_dump(by_alias=True), "method": method, "missing": missing,
                                  "weights": weights})
    sheet, problems = rollup(ledger, base.model_copy(update={"rollup": rule}), Span.parse("2026Q3"))
    assert problems == [] and sheet is not None
    assert {s.subject_id: (s.total, s.grade.label) for s in sheet.subjects} == \
        {k: (D(v[0]), v[1]) for k, v in expected.items()}
    assert all(s.total.as_tuple().exponent == -1 for s in sheet.subjects)  # rounding: {decimals: 1}
    ledger.dispose()


def test_quarter_rollup_refuses_a_missing_month_by_default(db_url: str) -> None:
    ledger = open_db(db_url)
    close_quarter(ledger)
    sheet, problems = rollup(ledger, rubric(), Span.parse("2026Q3"))
    assert sheet is None
    assert [p.code for p in problems] == ["rollup-missing"]
    assert "A004 陈静 has no result for 2026-08" in problems[0].message


def test_rollup_refuses_a_month_not_closed_and_says_which(db_url: str) -> None:
    ledger = open_db(db_url)
    close_month(ledger, "2026-07")
    close_month(ledger, "2026-09")
    sheet, problems = rollup(ledger, rubric(), Span.parse("2026Q3"))
    assert sheet is None
    assert problems[0].message.startswith("2026-08 not closed for rubric yuedu")
    nothing, why = rollup(ledger, rubric(), Span.parse("2025"))
    assert nothing is None and why[0].code == "rollup-nothing-closed"


def test_span_periods() -> None:
    assert [str(p) for p in Span.parse("2026Q3").periods("month")] == ["2026-07", "2026-08", "2026-09"]
    assert [str(p) for p in Span.parse("2026H2").periods("quarter")] == ["2026Q3", "2026Q4"]
    assert len(Span.parse("2026").periods("month")) == 12
    assert Span.parse("2026").periods("quarter")[-1] == Period(2026, "quarter", 4)
    for bad in ("2026H3", "2026Q5", "26Q1", "2026-13"):
        with pytest.raises(ValueError):
            Span.parse(bad)


def test_jidu_quarter_is_fed_from_guanjia_months(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same 管家 month closed as October, November and December: the 范本's quarter is each person's
    monthly total (the mean of three equal totals), graded with jidu's bands (优秀 ≥90, 良好 80-89...)."""
    from kpi_cli.inputs.score_run import score_log
    from kpi_cli.ledger.closing import CloseSource, close_period
    from kpi_cli.rubric.loader import load_rubric

    root = DATA.parents[2]
    guanjia, _ = load_rubric(root / "rubrics" / "guanjia.yaml")
    jidu, _ = load_rubric(root / "rubrics" / "jidu.yaml")
    october = (root / "examples" / "guanjia-2026-10.csv").read_text(encoding="utf-8-sig").replace("-31,", "-30,")
    roster = root / "examples" / "roster.csv"
    ledger = open_db(db_url)
    monthly = {}
    for month in ("10", "11", "12"):
        log = tmp_path / f"2026-{month}.csv"
        log.write_text(october.replace("2026-10-", f"2026-{month}-"), encoding="utf-8")
        run = score_log(log, guanjia, roster=roster, period=Period.parse(f"2026-{month}"), keep_records=False)
        assert run.ok and run.sheet is not None
        monthly = {s.subject.id: s.total for s in run.sheet.subjects}
        c = run.counts
        close_period(ledger, run.sheet, CloseSource.of(root / "rubrics" / "guanjia.yaml", log, roster, read=c.read,
                                                       used=c.used, outside=c.outside_period, errors=c.errors),
                     by="test")
    sheet, problems = rollup(ledger, jidu, Span.parse("2026Q4"))
    assert problems == [] and sheet is not None and sheet.source_id == "guanjia"
    assert {s.subject_id: s.total for s in sheet.subjects} == monthly
    bands = {b.label: b for b in jidu.grades}
    for s in sheet.subjects:
        assert s.grade is not None and s.grade.label in bands and bands[s.grade.label].contains(s.total)
    september, why = rollup(ledger, jidu, Span.parse("2026Q3"))
    assert september is None and why[0].code == "rollup-nothing-closed"
    ledger.dispose()
