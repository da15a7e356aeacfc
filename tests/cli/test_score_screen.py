"""The score table on a screen stays short for thousands of people: the best first, a note, and the summary."""

from __future__ import annotations

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

from kpi_cli.outputs.screen import SCREEN_ROWS  # noqa: E402


def test_a_large_table_shows_the_first_rows_and_points_to_output(invoke, tmp_path):
    people = SCREEN_ROWS + 50
    rubric, _ = generate.load_rubric(ROOT / "rubrics" / "guanjia.yaml")
    generate.generate(rubric, 5 * people, people, generate.Period.parse("2026-10"), 1, tmp_path, seed=3)
    result = invoke("score", str(tmp_path / "log.csv"), "--rubric", "guanjia", "--roster",
                    str(tmp_path / "roster.csv"), "--period", "2026-10", "--layout", "compact")
    assert result.exit_code == 0, result.output
    shown = [line for line in result.output.splitlines() if re.match(r"│\s*\d+\s*│\d{6}", line)]
    assert len(shown) == SCREEN_ROWS  # one line per person shown: a 名次 and a 工号
    assert f"showing the first {SCREEN_ROWS} of {people} people" in result.output
    assert "--output" in result.output
    assert f"人数 {people}" in result.output  # the summary still counts everyone


def test_a_small_table_is_shown_whole(invoke):
    result = invoke("score", "examples/guanjia-2026-10.csv", "--rubric", "guanjia", "--roster", "examples/roster.csv")
    assert result.exit_code == 0, result.output
    assert "showing the first" not in result.output
