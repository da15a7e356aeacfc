"""No example person gets a grade and an outcome that contradict each other (issue 12), on any rubric shipped
or given as an example, and no such rubric has bands that could.

A contradiction, as ``kpi validate`` warns of it (grade-outcome-conflict): the top grade with an outcome
below the top one (94.5 优秀 but 发放50%), the worst outcome with a grade above the bottom one (76 一般 but
调岗或开除), or the bottom grade with the top outcome.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kpi_cli.engine.scoring import find_band
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.rubric.model import Band, Rubric

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _runs() -> list[tuple[str, Path, Path, Path]]:
    """(name, rubric, log, roster) for every example log kpi-cli ships."""
    runs = []
    for log in sorted(EXAMPLES.glob("*-20*.csv")):
        name = log.name.split("-")[0]
        runs.append((f"rubrics/{name}", ROOT / "rubrics" / f"{name}.yaml", log, EXAMPLES / "roster.csv"))
    for folder in sorted((EXAMPLES / "kinds").iterdir()):
        runs.append((f"kinds/{folder.name}", folder / "rubric.yaml", folder / "log-2026-10.csv", folder / "roster.csv"))
    for rubric in ("fuwu.yaml", "fuwu-new.yaml"):
        runs.append((f"payroll/{rubric}", EXAMPLES / "payroll" / rubric, EXAMPLES / "payroll" / "log-2026-10.csv",
                     EXAMPLES / "payroll" / "roster.csv"))
    runs.append(("tutorial", EXAMPLES / "tutorial" / "qiantai.yaml", EXAMPLES / "tutorial" / "log-2026-10.csv",
                 EXAMPLES / "tutorial" / "roster.csv"))
    return runs


RUNS = _runs()
RUBRIC_FILES = sorted({rubric for _, rubric, _, _ in RUNS} | set((ROOT / "rubrics").glob("*.yaml")))


def contradiction(rubric: Rubric, grade: Band, outcome: Band) -> bool:
    grades, outcomes = list(rubric.grades), list(rubric.outcomes)
    g, o = grades.index(grade), outcomes.index(outcome)
    top_g, top_o, bottom_g, bottom_o = g == 0, o == 0, g == len(grades) - 1, o == len(outcomes) - 1
    return (top_g and not top_o) or (bottom_o and not bottom_g) or (bottom_g and top_o)


def test_every_example_log_is_covered() -> None:
    # 6 example months of the shipped rubrics, 5 rule kinds, 2 payroll rubrics, the tutorial
    assert len(RUNS) >= 14 and all(log.is_file() and roster.is_file() for _, _, log, roster in RUNS)


@pytest.mark.parametrize(("name", "rubric_file", "log", "roster"), RUNS, ids=[r[0] for r in RUNS])
def test_no_example_person_gets_a_grade_and_an_outcome_that_contradict(name: str, rubric_file: Path, log: Path,
                                                                       roster: Path) -> None:
    rubric, problems = load_rubric(rubric_file)
    assert rubric is not None and problems == [], [p.format() for p in problems]
    run = score_log(log, rubric, roster=roster)
    assert run.ok and run.sheet is not None, [d.format() for d in run.diagnostics]
    both = [s for s in run.sheet.subjects if s.grade is not None and s.outcome is not None]
    bad = [(s.subject.id, s.total, s.grade.label, s.outcome.label) for s in both  # type: ignore[union-attr]
           if contradiction(rubric, s.grade, s.outcome)]  # type: ignore[arg-type]
    assert bad == []


@pytest.mark.parametrize("rubric_file", RUBRIC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_total_could_get_a_contradicting_grade_and_outcome(rubric_file: Path) -> None:
    # every total a person can get, in steps of the rubric's rounding (0, 0.1, ... 100): its grade and its outcome
    rubric, problems = load_rubric(rubric_file)
    assert rubric is not None and not [p for p in problems if p.code == "grade-outcome-conflict"]
    if not (rubric.grades and rubric.outcomes):
        return
    step = Decimal(1).scaleb(-rubric.rounding.decimals)
    steps = int(rubric.total / step)
    bad = []
    for n in range(steps + 1):
        total = step * n
        grade, outcome = find_band(rubric.grades, total), find_band(rubric.outcomes, total)
        if grade is not None and outcome is not None and contradiction(rubric, grade, outcome):
            bad.append((total, grade.label, outcome.label))
    assert bad == []
