"""The ``kpi`` command line: the typer app (main), the one error boundary (boundary), what commands share
(shared), and one module per command or group of commands.  See ARCHITECTURE.md."""
# isort: skip_file  (the import order of the command modules is the order of `kpi --help`)

from kpi_cli.cli.main import app
from kpi_cli.cli.language import use_translated_commands
from kpi_cli.cli import validate, rubric_commands, score, explain, check, forms, template, diff  # noqa: F401
from kpi_cli.cli import ledger_commands, ledger_reports  # noqa: F401
from kpi_cli.cli import paper_trail, payroll  # noqa: F401

use_translated_commands(app)

from kpi_cli.cli.boundary import run  # noqa: E402  (the program: `kpi` = kpi_cli.cli:run)

__all__ = ["app", "run"]
