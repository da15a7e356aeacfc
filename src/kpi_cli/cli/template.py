"""``kpi template``: an empty log and roster with the Chinese headers, for Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi_cli.cli.boundary import exit_code, report
from kpi_cli.cli.main import app


@app.command()
def template(
    folder: Annotated[Path, typer.Argument(help="Where to write the files.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite existing files.")] = False,
) -> None:
    """Write an empty record log and roster with the right (Chinese) headers, for Excel."""
    from kpi_cli.inputs.templates import write_templates

    written, problems = write_templates(folder, force=force)
    if problems:
        report(problems)
        raise typer.Exit(exit_code(problems))
    for path in written:
        typer.echo(f"wrote {path}")
