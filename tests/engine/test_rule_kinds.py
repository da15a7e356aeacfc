"""Rule kinds real forms need (issue 12): each example in examples/kinds/ scored and checked by hand.

Every case writes its arithmetic out; the engine must agree to the last digit.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from pathlib import Path

from kpi_cli.engine.results import ScoreSheet
from kpi_cli.engine.scoring import EXACT, WIDE
from kpi_cli.inputs.score_run import ScoreRun, score_log
from kpi_cli.rubric.loader import load_rubric

ROOT = Path(__file__).resolve().parents[2]
KINDS = ROOT / "examples" / "kinds"
DATA = Path(__file__).resolve().parents[1] / "data" / "kinds"
D = Decimal


def run_kind(kind: str, log: Path | None = None, roster: Path | None = None) -> ScoreRun:
    folder = KINDS / kind
    rubric, problems = load_rubric(folder / "rubric.yaml")
    assert rubric is not None and problems == [], [p.format() for p in problems]
    return score_log(log or folder / "log-2026-10.csv", rubric, roster=roster or folder / "roster.csv")


def sheet_of(kind: str) -> ScoreSheet:
    run = run_kind(kind)
    assert run.ok, [d.format() for d in run.diagnostics]
    assert run.sheet is not None
    return run.sheet


# --- a rule limited to a role inside its item; raters and weights per item ----------------------------------


def test_roles_and_item_raters_golden() -> None:
    sheet = sheet_of("roles")
    k01, k02 = sheet.find("K01"), sheet.find("K02")
    assert k01 is not None and k02 is not None
    # K01 (园区): 走访不足 ×2 → 10 − 2 × 2 = 6
    #   业务水平, its own raters: 直接上级 9 × 0.6 + 物业经理 7 × 0.4 = 5.4 + 2.8 = 8.2
    #   服务态度, the rubric's raters: 8 × 0.5 + 9 × 0.3 + 10 × 0.2 = 4 + 2.7 + 2 = 8.7
    #   total 6 + 8.2 + 8.7 = 22.9
    assert [i.score for i in k01.items] == [D(6), D("8.2"), D("8.7")]
    assert k01.total == D("22.9")
    # K02 (前台): 沟通不足 ×1 → 10 − 2 = 8; 业务水平 8 × 0.6 + 10 × 0.4 = 4.8 + 4 = 8.8; 服务态度 10 → 26.8
    assert [i.score for i in k02.items] == [D(8), D("8.8"), D(10)]
    assert k02.total == D("26.8")
    # only the item's raters take part, with the item's weights
    assert [(r.rater, r.weight) for r in k01.items[1].ratings] == [("直接上级", D("0.6")), ("物业经理", D("0.4"))]


def test_a_rule_of_another_role_is_refused_at_its_cell(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "roles" / "log-2026-10.csv").read_text("utf-8")
                   + "K02,2026-10-21,走访不足,1,,,,,\nK01,2026-10-21,goutong_buzu,1,,,,,\n", "utf-8")
    run = run_kind("roles", log)
    assert run.sheet is None
    got = [(d.line, d.code, d.message) for d in run.diagnostics]
    assert got == [
        (14, "not-for-role", "业主走访 / 走访户数不够 does not apply to role 前台客服助理 (only to 园区客服助理)"),
        (15, "not-for-role", "业主走访 / 前台主动沟通不足 does not apply to role 园区客服助理 (only to 前台客服助理)"),
    ]


def test_a_rating_by_a_rater_who_does_not_rate_the_item_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "roles" / "log-2026-10.csv").read_text("utf-8")
                   + "K01,2026-10-31,业务水平,,,,间接上级,9,\n", "utf-8")
    run = run_kind("roles", log)
    assert run.sheet is None
    assert [(d.line, d.code) for d in run.diagnostics] == [(14, "rater-not-for-item")]
    assert "间接上级 does not rate 业务水平; its raters are 直接上级、物业经理" in run.diagnostics[0].message


def test_a_missing_rating_names_only_the_items_raters(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    lines = (KINDS / "roles" / "log-2026-10.csv").read_text("utf-8").splitlines(keepends=True)
    log.write_text("".join(line for line in lines if not line.startswith("K01,2026-10-31,业务水平,,,,物业经理")),
                   "utf-8")
    run = run_kind("roles", log)
    assert [d.code for d in run.diagnostics] == ["missing-rating"]
    assert "no rating of 业务水平 by 物业经理;" in run.diagnostics[0].message


def test_kefu_zoufang_rules_are_limited_to_their_role(tmp_path: Path) -> None:
    # the shipped kefu form: 业主走访 rule 1 is 园区's (2205 马晓丽), rule 2 前台's (000202 吴刚)
    rubric, _ = load_rubric(ROOT / "rubrics" / "kefu.yaml")
    assert rubric is not None
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注\n"
                   "000202,2026-10-16,走访不足,1,,,,,\n"
                   "2205,2026-10-16,沟通不足,1,,,,,\n", "utf-8")
    run = score_log(log, rubric, roster=ROOT / "examples" / "roster.csv")
    assert [(d.line, d.code) for d in run.diagnostics if d.is_error] == [(2, "not-for-role"), (3, "not-for-role")]


def test_kefu_department_ranked_last_costs_every_member(tmp_path: Path) -> None:
    # the shipped kefu form: 培训管理 "部门考核排名最后,一次扣5分" is one event for a whole department (team: repeat).
    # 翠湖花园项目部 has two members on this form (000201 周婷 园区, 000202 吴刚 前台; its 管家 are not scored by it):
    #   000201: 100 − 5 (排名最后) − 2 (迟到) = 93;  000202: 100 − 5 = 95;  the other departments keep 100
    rubric, _ = load_rubric(ROOT / "rubrics" / "kefu.yaml")
    assert rubric is not None
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注\n"
                   "部门:翠湖花园项目部,2026-10-31,排名最后,1,,,,,10月部门考核第5名(共5名)\n"
                   "000201,2026-10-08,迟到,1,,,,,\n"
                   + "".join(f"{x},2026-10-31,收缴率,,,96,,,\n" for x in ("000201", "000203", "2205")), "utf-8")
    run = score_log(log, rubric, roster=ROOT / "examples" / "roster.csv")  # 收缴率 96 ≥ 95: nothing lost
    assert run.ok and run.sheet is not None, [d.format() for d in run.diagnostics if d.is_error]
    totals = {s.subject.id: s.total for s in run.sheet.subjects}
    assert totals == {"000201": D(93), "000202": D(95), "000203": D(100), "000204": D(100), "2205": D(100),
                      "2206": D(100)}
    peixun = next(i for i in run.sheet.find("000202").items if i.id == "peixun")  # type: ignore[union-attr]
    assert peixun.score == D(0) and peixun.occurrences == 1


# --- escalating deductions, a wipe that counts one rule, a proportional score with a floor ----------------------


def test_escalation_rule_wipe_and_floor_golden() -> None:
    sheet = sheet_of("counts")
    q01, q02, q03 = (sheet.find(x) for x in ("Q01", "Q02", "Q03"))
    assert q01 is not None and q02 is not None and q03 is not None
    # Q01: 迟到 ×1 then ×2 = 3 occurrences: 1 + 2 + 5 = 8; 早退 1 → 考勤 10 − 9 = 1
    #      收缴 90% of 100: 20 × 90 / 100 = 18 → total 19
    assert [i.score for i in q01.items] == [D(1), D(18)] and q01.total == D(19)
    assert [(c.rule, c.count, c.costs) for c in q01.items[0].rule_counts] == [("迟到", 3, (D(1), D(2), D(5)))]
    # Q02: 旷工 ×1 −4 (1 < its wipe_at 2: no wipe, though the item has 3 occurrences), 早退 ×2 −2 → 10 − 6 = 4
    #      收缴 79.5 < zero_below 80 → 0 → total 4
    assert [i.score for i in q02.items] == [D(4), D(0)] and not q02.items[0].wiped and q02.total == D(4)
    # Q03: 旷工 ×2 ≥ 2 → 考勤 wiped to 0; 收缴 80 is not below 80: 20 × 80 / 100 = 16 → total 16
    assert q03.items[0].wiped and [i.score for i in q03.items] == [D(0), D(16)] and q03.total == D(16)


def test_counted_rules_score_alike_on_the_hot_path_and_the_full_path(tmp_path: Path) -> None:
    # The same escalating rows many times over: without records kept, repeated rows take the log reader's
    # cached path; with records kept every row is parsed.  Both must count every occurrence.
    folder = KINDS / "counts"
    rubric, _ = load_rubric(folder / "rubric.yaml")
    assert rubric is not None
    log = tmp_path / "log.csv"
    rows = ["工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注"]
    rows += ["Q01,2026-10-03,迟到,,,,,,"] * 2 + ["Q01,2026-10-04,旷工,,,,,,"] + ["Q02,2026-10-05,早退,,,,,,"] * 3
    rows += [f"{q},2026-10-31,收缴完成率,,,100,,," for q in ("Q01", "Q02", "Q03")]
    log.write_text("\n".join(rows) + "\n", "utf-8")
    totals = []
    for keep in (False, True):
        run = score_log(log, rubric, roster=folder / "roster.csv", keep_records=keep)
        assert run.ok and run.sheet is not None, run.diagnostics
        totals.append([(s.subject.id, s.total) for s in run.sheet.subjects])
    # Q01: 迟到 1 + 2, 旷工 4 → 10 − 7 = 3, + 20 = 23; Q02: 早退 3 × 1 → 7 + 20 = 27; Q03: 30
    assert totals[0] == totals[1] == [("Q03", D(30)), ("Q02", D(27)), ("Q01", D(23))]


def test_escalating_rules_take_no_points_in_the_log(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "counts" / "log-2026-10.csv").read_text("utf-8") + "Q01,2026-10-21,迟到,1,2,,,,\n", "utf-8")
    run = run_kind("counts", log)
    assert run.sheet is None
    assert [(d.line, d.code) for d in run.diagnostics] == [(12, "points-not-allowed")]
    assert "迟到 costs 1/2/5 points for its 1st, 2nd... occurrence" in run.diagnostics[0].message


def test_two_escalating_rules_with_the_same_item_count_score_apart(tmp_path: Path) -> None:
    # Subjects with the same occurrences in an item but spread over its escalating rules differently:
    # A: 迟到 ×2 → 1 + 2 = 3; B: 迟到 ×1 + 早退 ×1 → 1 + 1 = 2.  Scored without records (the item memo on).
    rubric_file = tmp_path / "r.yaml"
    rubric_file.write_text("id: two\ntitle: t\nperiod: month\nroles: [前台]\ntotal: 10\nitems:\n"
                           "  - id: kaoqin\n    name: 考勤\n    max: 10\n    rules:\n"
                           "      - {id: chidao, name: 迟到, points: [1, 2, 5]}\n"
                           "      - {id: zaotui, name: 早退, points: [1, 3]}\n", "utf-8")
    rubric, problems = load_rubric(rubric_file)
    assert rubric is not None, problems
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,部门,岗位\nA,甲,一部,前台\nB,乙,一部,前台\n", "utf-8")
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数\nA,2026-10-01,迟到,2\nB,2026-10-01,迟到,1\nB,2026-10-02,早退,1\n", "utf-8")
    run = score_log(log, rubric, roster=roster, keep_records=False)
    assert run.ok and run.sheet is not None, run.diagnostics
    assert [(s.subject.id, s.total) for s in run.sheet.subjects] == [("B", D(8)), ("A", D(7))]


# --- deductions from the total; 一票否决 ------------------------------------------------------------------------


def test_total_deductions_and_vetoes_golden() -> None:
    sheet = sheet_of("veto")
    g01, g02, g03, g04 = (sheet.find(x) for x in ("G01", "G02", "G03", "G04"))
    assert g01 is not None and g02 is not None and g03 is not None and g04 is not None
    # G01: 服务规范 60 − 2 × 5 = 50; 收缴 40 × 95 / 100 = 38; 有效投诉 ×1 off the total −5 → 50 + 38 − 5 = 83
    assert [i.score for i in g01.items] == [D(50), D(38)] and g01.total_deducted == D(5) and g01.total == D(83)
    assert (g01.grade.label, g01.outcome.label) == ("合格", "发放50%")  # type: ignore[union-attr]
    # G02: 投诉 ×3 = −15 off the total (no item is touched): 60 + 40 − 15 = 85
    assert [i.score for i in g02.items] == [D(60), D(40)] and g02.total == D(85)
    # G03: 100 by the items, but 重大安全责任事故 (veto total 0) → 0, so 不合格 and 调岗或开除
    assert g03.raw_total == D(100) and g03.total == D(0) and g03.veto is not None
    assert (g03.grade.label, g03.outcome.label) == ("不合格", "调岗或开除")  # type: ignore[union-attr]
    # G04: 伪造考核记录 forces 不合格 and 调岗或开除; the total 100 stands
    assert g04.total == D(100) and g04.veto is not None and g04.veto.id == "weizao_jilu"
    assert (g04.grade.label, g04.outcome.label) == ("不合格", "调岗或开除")  # type: ignore[union-attr]
    assert g04.next_grade is None
    # the summary counts the forced grades and outcomes
    assert dict(sheet.summary.per_outcome) == {"全额发放": 0, "发放50%": 2, "调岗或开除": 2}


def test_the_first_veto_listed_wins(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "veto" / "log-2026-10.csv").read_text("utf-8")
                   + "G04,2026-10-26,重大安全责任事故,,,,,,\n", "utf-8")
    run = run_kind("veto", log)
    assert run.ok and run.sheet is not None
    g04 = run.sheet.find("G04")
    assert g04 is not None and g04.veto is not None and g04.veto.id == "anquan_shigu" and g04.total == D(0)
    assert len(g04.veto_records) == 2


def test_a_veto_row_takes_no_count_or_points(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "veto" / "log-2026-10.csv").read_text("utf-8")
                   + "G01,2026-10-26,重大安全责任事故,2,5,,,,\n", "utf-8")
    run = run_kind("veto", log)
    assert run.sheet is None
    assert [(d.line, d.code) for d in run.diagnostics] == [(11, "count-not-allowed"), (11, "points-not-allowed")]


def test_zhongxin_fee_complaint_comes_off_the_units_total(tmp_path: Path) -> None:
    # U01 客户服务中心 with no other records: 收费完成率 100 → 40, every other item full → 100;
    # 收费投诉 ×2 off the total: 100 − 2 × 5 = 90.  环境处 (U05) has no such rule: refused at the cell.
    rubric, _ = load_rubric(ROOT / "rubrics" / "zhongxin.yaml")
    assert rubric is not None
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,部门,岗位\nU01,翠湖花园客户服务中心,翠湖花园项目部,客户服务中心\n", "utf-8")
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注\n"
                   "U01,2026-10-31,收费完成率,,,100,,,\n"
                   "U01,2026-10-10,收费投诉,2,,,,,\n", "utf-8")
    run = score_log(log, rubric, roster=roster)
    assert run.ok and run.sheet is not None, run.diagnostics
    u01 = run.sheet.find("U01")
    assert u01 is not None and u01.item_total == D(100) and u01.total_deducted == D(10) and u01.total == D(90)


# --- not applicable for a person and item -------------------------------------------------------------------


def test_not_applicable_golden() -> None:
    sheet = sheet_of("na")
    n01, n02, n03 = (sheet.find(x) for x in ("N01", "N02", "N03"))
    assert n01 is not None and n02 is not None and n03 is not None
    # N01: every item applies: 考勤 40 − 2 = 38; 收缴 40 × 90 / 100 = 36; 业务水平 16 → 90
    assert [i.score for i in n01.items] == [D(38), D(36), D(16)] and n01.total == D(90)
    assert n01.rescaled_from is None
    # N02: 收缴 marked 物业费收缴.不适用 (rescale): 考勤 40 − 3 × 2 = 34, 业务水平 18 → 52 of the 60 that apply,
    #      rescaled to 100: 52 × 100 / 60 = 86.666… → 86.7
    assert n02.items[1].not_applicable == "rescale" and n02.rescaled_from == D(60)
    assert n02.raw_total == EXACT.divide(D(52) * 100, D(60)) and n02.total == D("86.7")  # the engine's 34 digits
    # N03: no rating of 业务水平 at all (a new hire), policy full → 20; 40 + 40 + 20 = 100
    assert n03.items[2].not_applicable == "full" and n03.items[2].score == D(20) and n03.total == D(100)


def test_not_applicable_and_a_record_for_the_same_item_conflict(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "na" / "log-2026-10.csv").read_text("utf-8") + "N02,2026-10-31,收缴率,,,90,,,\n", "utf-8")
    run = run_kind("na", log)
    assert run.sheet is None
    assert [(d.line, d.code) for d in run.diagnostics if d.is_error] == [(6, "not-applicable-conflict")]


def test_an_item_without_a_policy_is_never_not_applicable(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "na" / "log-2026-10.csv").read_text("utf-8") + "N01,2026-10-31,考勤纪律.不适用,,,,,,\n",
                   "utf-8")
    run = run_kind("na", log)
    assert [(d.line, d.code) for d in run.diagnostics if d.is_error] == [(9, "unknown-rule")]


# --- one event that costs several people ----------------------------------------------------------------------


def test_team_records_golden() -> None:
    sheet = sheet_of("team")
    # T01-T03 (翠湖花园前台) each: 卫生 6 / 3 = 2 (shared), 设备损坏 5 / 3 = 1.666… (shared), 培训 2 (repeated)
    #   → 10 − 2 − 5/3 − 2 = 13/3 = 4.333… → 4.3;  T04 (金域华府前台): its own 培训 row −2 → 8
    for ident in ("T01", "T02", "T03"):
        found = sheet.find(ident)
        assert found is not None
        with localcontext(WIDE):  # the engine sums exactly (60 digits) after its 34-digit division
            expected = D(10) - D(2) - EXACT.divide(D(5), D(3)) - D(2)
        assert found.items[0].score == expected and found.total == D("4.3")
        assert found.items[0].occurrences == 3
    t04 = sheet.find("T04")
    assert t04 is not None and t04.total == D(8)


def test_team_rows_are_checked(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text((KINDS / "team" / "log-2026-10.csv").read_text("utf-8")
                   + "部门:碧水湾前台,2026-10-21,设备损坏,1,,,,,\n", "utf-8")
    run = run_kind("team", log)
    assert [(d.line, d.code) for d in run.diagnostics if d.is_error] == [(6, "empty-team")]
    rubric, _ = load_rubric(KINDS / "team" / "rubric.yaml")
    assert rubric is not None
    no_roster = score_log(KINDS / "team" / "log-2026-10.csv", rubric)
    assert [(d.line, d.code) for d in no_roster.diagnostics if d.is_error] == [
        (2, "team-without-roster"), (3, "team-without-roster"), (4, "team-without-roster")]


def test_team_records_alike_with_and_without_kept_records() -> None:
    rubric, _ = load_rubric(KINDS / "team" / "rubric.yaml")
    assert rubric is not None
    totals = []
    for keep in (False, True):
        run = score_log(KINDS / "team" / "log-2026-10.csv", rubric, roster=KINDS / "team" / "roster.csv",
                        keep_records=keep)
        assert run.ok and run.sheet is not None
        totals.append([(s.subject.id, s.items[0].score) for s in run.sheet.subjects])
    assert totals[0] == totals[1]
