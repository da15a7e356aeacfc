"""``kpi template``: an empty log and roster with the Chinese headers, for Excel."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from kpi_cli.i18n import N_, _, os_reason
from kpi_cli.cli.boundary import exit_code, report
from kpi_cli.cli.main import app
from kpi_cli.cli.shared import refuse_overwriting_inputs
from kpi_cli.diagnostics import Diagnostic


def _project_inputs() -> list[tuple[str, Path | str | None]]:
    """What this folder's kpi.toml (or KPI_CONFIG's) reads, which ``--force`` may not overwrite either."""
    from kpi_cli.cli.project_config import find_config, load_config

    path = find_config(os.environ.get("KPI_CONFIG"))
    if path is None:
        return []
    config, _ = load_config(path)
    inputs: list[tuple[str, Path | str | None]] = [(N_("kpi.toml"), path)]
    if config is not None:
        inputs.append((N_("roster"), config.roster))
        if config.log is not None:
            try:
                inputs.append((N_("log"), config.log_path(period=None, rubric="")))
            except KeyError:  # a log named by its period: not one file
                pass
    return inputs


@app.command(help=N_("Write an empty record log and roster with the right (Chinese) headers, for Excel."))
def template(
    folder: Annotated[Path, typer.Argument(help=N_("Where to write the files."))] = Path("."),
    force: Annotated[bool, typer.Option(help=N_("Overwrite existing files."))] = False,
) -> None:
    """Write an empty record log and roster with the right (Chinese) headers, for Excel."""
    from kpi_cli.inputs.templates import template_files
    from kpi_cli.outputs.atomic import write_all

    files = template_files(folder)
    existing = [p for p, _ in files if p.exists()]
    if existing and not force:
        problems = [Diagnostic(str(p), 0, 0, "already exists; use --force to overwrite", "exists") for p in existing]
        report(problems)
        raise typer.Exit(exit_code(problems))
    refuse_overwriting_inputs([(N_("the template"), p) for p, _ in files], _project_inputs(), "--force")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_all(files)  # both or neither
    except OSError as exc:
        problems = [Diagnostic(str(exc.filename or folder), 0, 0, _("cannot write: {reason}").format(reason=os_reason(exc)), "io-error")]
        report(problems)
        raise typer.Exit(exit_code(problems)) from None
    for path, _data in files:
        typer.echo(_("wrote {path}").format(path=path))
