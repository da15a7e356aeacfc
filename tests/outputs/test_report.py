"""report.py: the provenance a report (or the printed forms) records about the run that made it."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_support import LOG, ROSTER, RUBRIC, RUN_AT, scored

from kpi_cli.outputs.provenance import file_sha256
from kpi_cli.outputs.report import run_provenance


def test_run_provenance_records_rubric_inputs_period_and_rows() -> None:
    run = scored()
    provenance = run_provenance(run, rubric_path=RUBRIC, log=LOG, roster=ROSTER, now=RUN_AT)
    assert (provenance.rubric_id, provenance.rubric_path, provenance.period) == ("mini", str(RUBRIC), "2026-10")
    assert provenance.rubric_sha256 == file_sha256(RUBRIC)[0]
    assert [(f.role, f.path, f.sha256) for f in provenance.inputs] == [
        ("log", str(LOG), file_sha256(LOG)[0]), ("roster", str(ROSTER), file_sha256(ROSTER)[0])]
    # the log of tests/data/export: 5 rows, all used (see export_support)
    assert provenance.rows == (("read", 5), ("used", 5), ("outside_period", 0), ("errors", 0))
    assert provenance.run_at == RUN_AT
    assert [f.role for f in run_provenance(run, rubric_path=RUBRIC, log=LOG, roster=None).inputs] == ["log"]


def test_run_provenance_raises_when_an_input_is_gone(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        run_provenance(scored(), rubric_path=RUBRIC, log=tmp_path / "gone.csv", roster=None)
