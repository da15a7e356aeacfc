"""The ``kpi`` command line: the typer app (main), the one error boundary (boundary), what commands share
(shared), and one module per command or group of commands.  See ARCHITECTURE.md."""

from kpi_cli.cli import (  # noqa: F401  (each module registers its commands, in the order of `kpi --help`)
    validate,
    rubric_commands,
    score,
    explain,
    check,
    forms,
    template,
)
from kpi_cli.cli.main import app, short_help_from_docstrings

short_help_from_docstrings()

__all__ = ["app"]
