"""The rubrics shipped in rubrics/ are all valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.rubric.loader import load_rubric, load_rubrics

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "rubrics").glob("*.yaml"))


def test_there_are_six_rubrics() -> None:
    assert len(SHIPPED) >= 6, [p.name for p in SHIPPED]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_rubric_is_valid(path: Path) -> None:
    rubric, diagnostics = load_rubric(path)
    assert [d.format() for d in diagnostics] == []
    assert rubric is not None
    assert rubric.id == path.stem  # `kpi show guanjia` finds rubrics/guanjia.yaml


def test_shipped_rubric_ids_are_unique() -> None:
    loaded, problems = load_rubrics([ROOT / "rubrics"])
    assert problems == []
    assert all(r.rubric is not None for r in loaded)
    assert len({r.rubric.id for r in loaded if r.rubric}) == len(loaded)


def test_kpi_validate_rubrics(invoke) -> None:
    result = invoke("validate", "rubrics/")
    assert result.exit_code == 0, result.output
    n = len(SHIPPED)
    assert result.stdout.splitlines()[-1] == f"{n} files, {n} rubrics valid, 0 problems"
    assert result.stdout.splitlines()[-1] == "6 files, 6 rubrics valid, 0 problems"
