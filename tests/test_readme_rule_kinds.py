"""The README's rule kinds section shows the example rubrics as they are, with figures kpi agrees with."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import EXAMPLES, ROOT
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Rule kinds real forms need"):README.index("## The record log and the roster")]

# kind folder -> (工号, total computed by hand in the README)
CASES = {
    "roles": [("K01", "22.9")],
    "counts": [("Q01", "19"), ("Q02", "4"), ("Q03", "16")],
    "team": [("T01", "4.3"), ("T04", "8")],
    "na": [("N02", "86.7"), ("N03", "100")],
    "veto": [("G01", "83"), ("G02", "85"), ("G03", "0"), ("G04", "100")],
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_readme_excerpt_is_in_the_example_and_the_hand_figures_hold(kind: str) -> None:
    folder = EXAMPLES / "kinds" / kind
    marker = f"(`examples/kinds/{kind}/rubric.yaml`)"
    text = (folder / "rubric.yaml").read_text("utf-8")
    start = SECTION.index(marker)
    end = SECTION.find("\n### ", start)
    blocks = re.findall(r"```yaml\n(.*?)```", SECTION[start:end if end > 0 else None], re.S)
    assert blocks and all(block in text for block in blocks)
    rubric, problems = load_rubric(folder / "rubric.yaml")
    assert rubric is not None, problems
    run = score_log(folder / "log-2026-10.csv", rubric, roster=folder / "roster.csv")
    assert run.ok and run.sheet is not None, run.diagnostics
    text = SECTION[SECTION.index(marker):]
    for employee, total in CASES[kind]:
        found = run.sheet.find(employee)
        assert found is not None and found.total == Decimal(total)
        assert f"**{total}**" in text
