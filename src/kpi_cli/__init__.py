"""kpi-cli: score staff performance appraisals (绩效考核) from YAML rubrics.

The library behind the ``kpi`` command.  The entry points, importable from ``kpi_cli`` itself::

    from kpi_cli import load_rubric, score_log, run_provenance, export

    rubric, problems = load_rubric("rubrics/guanjia.yaml")      # (Rubric | None, [Diagnostic])
    run = score_log("log.csv", rubric, roster="roster.csv")      # ScoreRun: sheet, diagnostics, counts
    data = export("xlsx", run.sheet, run_provenance(run, rubric_path="rubrics/guanjia.yaml", log="log.csv",
                                                    roster="roster.csv"))

They are imported on first use (PEP 562), so ``import kpi_cli`` and ``kpi --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: name -> the module that defines it (see ARCHITECTURE.md for the layers)
_ENTRY_POINTS = {
    "Diagnostic": "kpi_cli.diagnostics",
    "load_rubric": "kpi_cli.rubric.loader",
    "load_rubrics": "kpi_cli.rubric.loader",
    "Rubric": "kpi_cli.rubric.model",
    "Period": "kpi_cli.engine.periods",
    "resolve_period": "kpi_cli.engine.periods",
    "ScoreSheet": "kpi_cli.engine.results",
    "SubjectScore": "kpi_cli.engine.results",
    "score_log": "kpi_cli.inputs.score_run",
    "ScoreRun": "kpi_cli.inputs.score_run",
    "export": "kpi_cli.outputs.exporters",
    "FORMATS": "kpi_cli.outputs.exporters",
    "run_provenance": "kpi_cli.outputs.report",
    "render_html": "kpi_cli.outputs.forms",
}

__all__ = ["__version__", *_ENTRY_POINTS]

if TYPE_CHECKING:
    from kpi_cli.diagnostics import Diagnostic
    from kpi_cli.engine.periods import Period, resolve_period
    from kpi_cli.engine.results import ScoreSheet, SubjectScore
    from kpi_cli.inputs.score_run import ScoreRun, score_log
    from kpi_cli.outputs.exporters import FORMATS, export
    from kpi_cli.outputs.forms import render_html
    from kpi_cli.outputs.report import run_provenance
    from kpi_cli.rubric.loader import load_rubric, load_rubrics
    from kpi_cli.rubric.model import Rubric


def __getattr__(name: str) -> Any:
    module = _ENTRY_POINTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kpi_cli' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_ENTRY_POINTS))
