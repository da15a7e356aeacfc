"""kpi diff: who changes total, grade, outcome or pay when a rubric changes (what-if, nothing stored)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES

PAY = "examples/payroll"
ARGS = (f"{PAY}/log-2026-10.csv", "--rubric", f"{PAY}/fuwu.yaml", "--rubric", f"{PAY}/fuwu-new.yaml",
        "--roster", f"{PAY}/roster.csv")


def test_what_if_golden(invoke) -> None:  # type: ignore[no-untyped-def]
    """fuwu-new.yaml: 迟到 costs 3 instead of 2; 全额发放 and 优秀 need 98 instead of 95 (发放50% and 良好 are 90-98).

    K001 王芳: 100 − 2 = 98 (优秀, 全额发放, 3000 × 1 = 3000.00) → 100 − 3 = 97 < 98: 良好, 发放50%,
               3000 × 0.5 = 1500.00
    K002 李娜: 100 − 2×2 − 1.5 = 94.5 → 100 − 2×3 − 1.5 = 92.5; 发放50% both, 6666.67 × 0.5 = 3333.335 → 3333.34
    K003 张伟: 100 − 5 − 2 = 93 → 100 − 5 − 3 = 92; 发放50% both, 2500.55 × 0.5 = 1250.275 → 1250.28
    K004 赵敏: 旷工 10 + 投诉 2×5 = 80 both (no 迟到): unchanged
    K005 钱进: 100 − 2×10 − 2 = 78 → 100 − 20 − 3 = 77; 调岗 both, no 发放比例
    """
    result = invoke("diff", *ARGS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["people"], data["unchanged"]) == (5, 1)
    rows = [(c["id"], c["changed"], c["old"]["total"], c["new"]["total"], c["old"]["outcome"], c["new"]["outcome"],
             c["old"]["pay"], c["new"]["pay"]) for c in data["changes"]]
    assert rows == [
        ("K001", ["total", "grade", "outcome", "pay"], "98", "97", "全额发放", "发放50%", "3000.00", "1500.00"),
        ("K002", ["total"], "94.5", "92.5", "发放50%", "发放50%", "3333.34", "3333.34"),
        ("K003", ["total"], "93", "92", "发放50%", "发放50%", "1250.28", "1250.28"),
        ("K005", ["total"], "78", "77", "调岗", "调岗", None, None),
    ]


def test_what_if_table(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("diff", *ARGS)
    assert result.exit_code == 0, result.output
    assert "98 → 97" in result.stdout and "3000.00 →" in result.stdout and "1500.00" in result.stdout
    assert "K004" not in result.stdout
    assert "4 of 5 people change (total, grade, outcome or pay); 1 unchanged" in result.stdout


def test_what_if_csv_is_injection_safe(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    roster = tmp_path / "roster.csv"
    roster.write_text((EXAMPLES / "payroll" / "roster.csv").read_text(encoding="utf-8").replace(
        "王芳", "=HYPERLINK(\"http://x\")"), encoding="utf-8")
    out = tmp_path / "diff.csv"
    result = invoke("diff", *ARGS[:5], "--roster", str(roster), "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == "K001,\"'=HYPERLINK(\"\"http://x\"\")\",翠湖花园,total grade outcome pay,98,97,优秀,良好,全额发放,发放50%," \
                       "1,0.5,3000.00,1500.00"


def test_what_if_refusals(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    once = invoke("diff", *ARGS[:3])
    assert once.exit_code == 2 and "give --rubric twice" in once.output
    kinds = invoke("diff", ARGS[0], "--rubric", f"{PAY}/fuwu.yaml", "--rubric", "rubrics/jidu.yaml")
    assert kinds.exit_code == 2 and "cannot be compared" in kinds.output
    own = invoke("diff", *ARGS, "--format", "csv", "--output", f"{PAY}/roster.csv")
    assert own.exit_code == 2 and "is an input of this run" in own.output
    bad_log = tmp_path / "log.csv"
    bad_log.write_text("工号,日期,考核项目\nK001,2026-10-01,不存在\n", encoding="utf-8")
    bad = invoke("diff", str(bad_log), *ARGS[1:])
    assert bad.exit_code == 1 and "not compared" in bad.output
