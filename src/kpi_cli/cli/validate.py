"""``kpi validate``: check rubric files and folders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi_cli.i18n import N_, _
from kpi_cli.cli.boundary import EXIT_USAGE, exit_code
from kpi_cli.cli.main import app, out
from kpi_cli.cli.shared import OutputFormat


@app.command(help=N_("Check rubric files; print every problem as path:line:col: message."))
def validate(
    paths: Annotated[list[Path], typer.Argument(help=N_("Rubric files or folders (searched for *.yaml, *.yml)."))],
    format: Annotated[OutputFormat, typer.Option("--format", help=N_("text for people, json for machines."))] =
    OutputFormat.text,
) -> None:
    from kpi_cli.rubric.fidelity import draft_note, reconstructed_parts
    from kpi_cli.rubric.loader import load_rubrics

    loaded, problems = load_rubrics(paths)
    diagnostics = list(problems) + [d for r in loaded for d in r.diagnostics]
    valid = sum(1 for r in loaded if r.rubric is not None)
    n_problems = sum(1 for d in diagnostics if d.is_error)
    if format is OutputFormat.json:

        payload = {
            "files": len(loaded),
            "valid": valid,
            "problems": n_problems,
            "rubrics": [{"file": r.path, "id": r.rubric.id if r.rubric else None, "valid": r.rubric is not None,
                         "status": r.rubric.status if r.rubric else None,
                         "reconstructed": len(reconstructed_parts(r.rubric)) if r.rubric else None}
                        for r in loaded],
            "diagnostics": [d.as_dict() for d in diagnostics],
        }
        from kpi_cli.outputs.safe_text import json_text

        typer.echo(json_text(payload, indent=2))
    else:
        if diagnostics:  # (no console, hence no rich, for nothing to print)
            from kpi_cli.outputs.diagnostic_text import print_diagnostics

            print_diagnostics(out(), diagnostics, limit=None)
        for r in loaded:  # a draft says so, with the count of its reconstructed parts
            note = draft_note(r.rubric) if r.rubric is not None else None
            if note:
                typer.echo(_("{path}: {note}").format(path=r.path, note=note))
        typer.echo(_("{files} files, {valid} rubrics valid, {problems} problems").format(
            files=len(loaded), valid=valid, problems=n_problems))
    raise typer.Exit(exit_code(diagnostics) if loaded or diagnostics else EXIT_USAGE)
