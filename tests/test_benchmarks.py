"""The benchmark scripts run at a tiny size (no timing is asserted here: see benchmarks/run.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

RUBRICS = ["guanjia", "kefu", "guanliyuan", "zhongxin", "jidu", "zhibiao"]


@pytest.mark.parametrize("rubric_id", RUBRICS)
def test_generated_logs_are_valid_for_every_rubric(rubric_id, tmp_path):
    assert generate.main(["--rubric", rubric_id, "--rows", "600", "--employees", "12", "--months", "2",
                          "--out", str(tmp_path)]) == 0
    rubric, _ = load_rubric(ROOT / "rubrics" / f"{rubric_id}.yaml")
    first = generate.Period.parse("2026-10" if rubric.period == "month" else "2026Q3")
    run = score_log(tmp_path / "log.csv", rubric, roster=tmp_path / "roster.csv", period=first,
                    keep_records=False)
    assert run.ok, [d.format() for d in run.diagnostics[:5]]
    assert run.counts.errors == 0 and run.counts.outside_period > 0  # two periods: the second is left out
    assert run.counts.read == run.counts.used + run.counts.outside_period
    assert len(run.sheet.subjects) == 12


def test_generate_is_reproducible(tmp_path):
    for name in ("a", "b"):
        generate.main(["--rubric", "kefu", "--rows", "300", "--employees", "5", "--out", str(tmp_path / name)])
    assert (tmp_path / "a" / "log.csv").read_bytes() == (tmp_path / "b" / "log.csv").read_bytes()
    assert (tmp_path / "a" / "roster.csv").read_bytes() == (tmp_path / "b" / "roster.csv").read_bytes()


def test_run_quick_prints_every_target(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-peers",
                             "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for target in ("kpi score, 400 people, 20,000 rows", "kpi score, 2,000 people, 20,000 rows", "peak memory",
                   "memory growth", "xlsx export", "json export", ".xlsx log", "kpi --help", "kpi validate rubrics/"):
        assert target in result.stdout
    assert "| people | rows | csv.reader | kpi score |" in result.stdout
    assert "load" in result.stdout  # the machine's load is reported with the figures


@pytest.mark.parametrize("peer", ["pandas", "polars", "duckdb"])
def test_peer_scripts_score_a_small_log(peer, tmp_path):
    pytest.importorskip(peer)
    generate.main(["--rubric", "guanjia", "--rows", "300", "--employees", "20", "--out", str(tmp_path)])
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "peers.py"), peer, str(ROOT / "rubrics" / "guanjia.yaml"),
                    str(tmp_path / "log.csv"), str(tmp_path / "roster.csv"), str(tmp_path / "out.csv")], check=True)
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 21 and "total" in lines[0]  # a header and one row per person on the roster
