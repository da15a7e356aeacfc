"""``kpi rubrics``, ``kpi show``, ``kpi schema``: the rubrics themselves, for people and editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kpi_cli.i18n import N_
from kpi_cli.cli.boundary import exit_code, report
from kpi_cli.cli.main import app, out, state
from kpi_cli.cli.shared import load_named_rubric
from kpi_cli.diagnostics import has_errors


@app.command("rubrics", help=N_("List the rubrics found: id, title, period, total, number of items."))
def list_rubrics(
    folder: Annotated[Optional[Path], typer.Argument(help=N_("Folder of rubrics (default: --rubrics-dir)."))] = None,
) -> None:
    from kpi_cli.outputs.screen import rubrics_table
    from kpi_cli.rubric.loader import load_rubrics

    loaded, problems = load_rubrics([folder or state.rubrics_dir])
    diagnostics = list(problems) + [d for r in loaded for d in r.diagnostics]
    out().print(rubrics_table((r.path, r.rubric) for r in loaded if r.rubric is not None))
    if has_errors(diagnostics):
        report(diagnostics)
    raise typer.Exit(exit_code(diagnostics))


@app.command(help=N_("Print a rubric as its blank form: items, maxima, rules and points, bands."))
def show(name: Annotated[str, typer.Argument(help=N_("Rubric id (in --rubrics-dir) or path."))]) -> None:
    from kpi_cli.outputs.screen import rubric_form

    out().print(rubric_form(load_named_rubric(name)[1]))


@app.command(help=N_("Print the JSON Schema of the rubric format (for editors)."))
def schema() -> None:
    import json

    from kpi_cli.rubric.schema import rubric_json_schema

    typer.echo(json.dumps(rubric_json_schema(), ensure_ascii=False, indent=2))
