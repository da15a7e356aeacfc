"""Shared fixtures of the export tests: the small rubric in tests/data/export, scored once."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kpi_cli.inputs.score_run import ScoreRun, score_log
from kpi_cli.outputs.provenance import Provenance, build_provenance
from kpi_cli.rubric.loader import load_rubric

EXPORT = Path(__file__).resolve().parent / "data" / "export"
RUBRIC = EXPORT / "mini.yaml"
ROSTER = EXPORT / "roster.csv"
LOG = EXPORT / "log-2026-10.csv"
BAD_LOG = EXPORT / "log-bad.csv"
RUN_AT = datetime(2026, 11, 1, 1, 5, tzinfo=timezone.utc)
INJECTION = '=HYPERLINK("http://x","点我")'

# Hand-computed (mini.yaml: 考勤 10, 迟到 −2 each; 服务 10, 有效投诉 −4; 奖扣分 signed):
#   G01 王芳   考勤 10 − 2 = 8, 服务 10, 奖扣 +1          → 19  优秀  发放100%  rank 1
#   G03 @张伟  考勤 10, 服务 10, 奖扣 −3                 → 17  合格  发放50%   rank 2
#   G02 =HYP.. 考勤 10 − 2×2 = 6, 服务 10 − 4 = 6        → 12  合格  发放50%   rank 3


def scored(keep_records: bool = True) -> ScoreRun:
    rubric, problems = load_rubric(RUBRIC)
    assert rubric is not None, problems
    run = score_log(LOG, rubric, roster=ROSTER, keep_records=keep_records)
    assert run.ok, run.diagnostics
    return run


def provenance(run: ScoreRun) -> Provenance:
    assert run.sheet is not None
    return build_provenance(rubric_id="mini", rubric_title=run.sheet.rubric.title, rubric_path=RUBRIC,
                            period=str(run.sheet.period), inputs=[("log", LOG), ("roster", ROSTER)],
                            rows=(("read", run.counts.read), ("used", run.counts.used)), now=RUN_AT)
