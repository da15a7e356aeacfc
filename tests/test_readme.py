"""The README's worked example and quick start stay true."""

from __future__ import annotations

import re
import shlex
from decimal import Decimal

from conftest import EXAMPLES, ROOT
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

README = (ROOT / "README.md").read_text(encoding="utf-8")
TUTORIAL = EXAMPLES / "tutorial"


def _block_after(marker: str, lang: str) -> str:
    start = README.index(marker)
    match = re.compile(rf"```{lang}\n(.*?)```", re.S).search(README, start)
    assert match, f"no ```{lang} block after {marker!r}"
    return match.group(1)


def test_readme_shows_the_tutorial_files_as_they_are():
    assert _block_after("(`examples/tutorial/qiantai.yaml`)", "yaml") == (TUTORIAL / "qiantai.yaml").read_text("utf-8")
    assert _block_after("(`examples/tutorial/roster.csv`)", "csv") == (TUTORIAL / "roster.csv").read_text("utf-8")
    assert _block_after("(`examples/tutorial/log-2026-10.csv`)", "csv") == (
        TUTORIAL / "log-2026-10.csv"
    ).read_text("utf-8")


def test_tutorial_scores_as_computed_by_hand_in_the_readme():
    rubric, diagnostics = load_rubric(TUTORIAL / "qiantai.yaml")
    assert rubric is not None and diagnostics == []
    run = score_log(TUTORIAL / "log-2026-10.csv", rubric, roster=TUTORIAL / "roster.csv")
    assert run.ok, run.diagnostics
    wang, liu = run.sheet.find("A001"), run.sheet.find("A002")
    # 考勤 10 − 2 − 1.5 = 6.5; 收缴 10 × 90/95; 态度 9×0.3 + 8.5×0.7 = 8.65; 奖 +2 → 26.62… → 26.6
    assert [i.score for i in wang.items][0] == Decimal("6.5")
    assert wang.items[2].score == Decimal("8.65")
    assert wang.total == Decimal("26.6") and wang.grade.label == "合格"
    assert wang.to_next_grade == Decimal("0.4")
    # 迟到 ×2 + 1 = 3 ≥ wipe_at 3 → 0; 收缴 98 ≥ 95 → 10; 态度 8×0.3 + 7×0.7 = 7.3 → 17.3
    assert liu.items[0].wiped and liu.items[0].score == 0
    assert liu.items[1].score == 10
    assert liu.total == Decimal("17.3") and liu.grade.label == "不合格"
    assert "26.6" in README and "17.3" in README


def test_readme_commands_run(invoke):
    for line in _block_after("By kpi (", "sh").strip().splitlines():
        args = shlex.split(line)
        assert args[0] == "kpi"
        result = invoke(*args[1:])
        assert result.exit_code == 0, result.output
        assert "26.6" in result.stdout


def test_quick_start_names_files_that_exist():
    quick = README[README.index("## Quick start"):README.index("## Commands")]
    assert "pip install -e \".[test]\" && python -m pytest -q" in quick
    score = next(line for line in quick.splitlines() if "kpi score" in line)
    for word in shlex.split(score.split("kpi score", 1)[1]):
        if word.startswith("examples/"):
            assert (ROOT / word).is_file(), word
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest -q" in ci


def test_the_python_example_prints_what_the_readme_says(monkeypatch, capsys) -> None:
    code = _block_after("## Using kpi-cli from Python", "python")
    expected = _block_after("prints (a test runs this example):", "text")
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    assert capsys.readouterr().out == expected
    report = namespace["report"]
    assert report[:2] == b"PK"  # an xlsx workbook (a zip archive)
