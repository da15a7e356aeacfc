"""Rule kinds real forms need (issue 12): each example in examples/kinds/ scored and checked by hand.

Every case writes its arithmetic out; the engine must agree to the last digit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kpi_cli.engine.results import ScoreSheet
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
