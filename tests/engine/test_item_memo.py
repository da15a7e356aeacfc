"""The memo of item results (scoring.ItemMemo) changes nothing: the same sheet with and without it."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from conftest import EXAMPLES, ROOT, RUBRICS
from kpi_cli.engine import scoring
from kpi_cli.engine.periods import Period
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

CASES = [(RUBRICS / f"{name}.yaml", EXAMPLES / f"{name}-{period}.csv", EXAMPLES / "roster.csv")
         for name, period in (("guanjia", "2026-10"), ("kefu", "2026-10"), ("guanliyuan", "2026-10"),
                              ("zhongxin", "2026-10"), ("zhibiao", "2026-10"), ("jidu", "2026Q3"))]
CASES += [(folder / "rubric.yaml", folder / "log-2026-10.csv", folder / "roster.csv")
          for folder in sorted((EXAMPLES / "kinds").iterdir()) if (folder / "rubric.yaml").exists()]


def _without_records(sheet):  # type: ignore[no-untyped-def]
    return [dataclasses.replace(s, items=tuple(dataclasses.replace(i, records=()) for i in s.items),
                                adjustments=()) for s in sheet.subjects]


def _scored(rubric, log, roster, monkeypatch, memo: bool):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as m:
        if not memo:
            m.setattr(scoring.ItemMemo, "enabled", False, raising=False)
            m.setattr(scoring.ItemMemo, "__init__", _disabled)
        run = score_log(log, rubric, roster=roster, keep_records=False)
    assert run.ok, [d.format() for d in run.diagnostics]
    return run.sheet


def _disabled(self, rubric):  # type: ignore[no-untyped-def]
    self.enabled = False


@pytest.mark.parametrize("rubric_file, log, roster", CASES, ids=[c[1].stem for c in CASES])
def test_every_example_scores_the_same_with_and_without_the_memo(rubric_file, log, roster, monkeypatch):
    rubric, problems = load_rubric(rubric_file)
    assert rubric is not None, problems
    with_memo = _scored(rubric, log, roster, monkeypatch, memo=True)
    without = _scored(rubric, log, roster, monkeypatch, memo=False)
    assert _without_records(with_memo) == _without_records(without)
    assert with_memo.summary == without.summary


def test_a_generated_month_of_500_people_scores_the_same(tmp_path, monkeypatch):
    rubric, _ = load_rubric(RUBRICS / "guanjia.yaml")
    generate.generate(rubric, 5_000, 500, Period.parse("2026-10"), 1, tmp_path, seed=7)
    with_memo = _scored(rubric, tmp_path / "log.csv", tmp_path / "roster.csv", monkeypatch, memo=True)
    without = _scored(rubric, tmp_path / "log.csv", tmp_path / "roster.csv", monkeypatch, memo=False)
    assert _without_records(with_memo) == _without_records(without)
    shared = {id(i) for s in with_memo.subjects for i in s.items}
    assert len(shared) < sum(len(s.items) for s in with_memo.subjects) / 4  # results are shared, not remade


@pytest.mark.parametrize("name", ["guanjia", "kefu", "guanliyuan", "zhongxin", "zhibiao", "jidu"])
def test_shipped_rubrics_use_the_memo(name):
    """A rubric field the memo does not know turns it off (correct, but slow for thousands of people): when a
    new field is added, add it to scoring._MEMO_FIELDS if an item's result still depends only on its records
    (and the role), else make ItemMemo.key account for it."""
    rubric, _ = load_rubric(RUBRICS / f"{name}.yaml")
    assert scoring.ItemMemo(rubric).enabled
