"""The ``kpi`` application: the typer app, global options and the consoles every command prints to.

Start-up time: `kpi --help` and `kpi validate` must not pay for what they do not use, so only light
modules are imported at the top of the cli modules; rich, pydantic, the engine, the exporters, openpyxl
and jinja2 are imported inside the commands that need them (tests/cli/test_startup.py keeps it so).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kpi_cli import __version__

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_RUBRIC_DIR = Path("rubrics")  # = rubric_loader.DEFAULT_RUBRIC_DIR (not imported: it pulls pydantic)

app = typer.Typer(
    name="kpi",
    help="Score staff performance appraisals (绩效考核) from YAML rubrics, exactly and explainably.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (click) help and usage errors: typer draws them with rich only by importing typer.rich_utils
    # (rich.markdown, markdown_it, pygments...), which made `kpi --help` about twice as slow.
    rich_markup_mode=None,
)


class _State:
    rubrics_dir: Path = DEFAULT_RUBRIC_DIR
    rubrics_dir_given: bool = False  # --rubrics-dir / KPI_RUBRICS_DIR: then kpi.toml's rubrics_dir is not used


state = _State()


def _no_color() -> bool:
    """NO_COLOR (no-color.org): no colour and no other terminal codes either."""
    return bool(os.environ.get("NO_COLOR"))


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, color_system=None if _no_color() else "auto")


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, color_system=None if _no_color() else "auto")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi-cli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    rubrics_dir: Annotated[Optional[Path], typer.Option("--rubrics-dir", envvar="KPI_RUBRICS_DIR", show_default=False,
                                                        help="Folder where --rubric NAME is looked up "
                                                        "(default: rubrics, or rubrics_dir in kpi.toml).")] = None,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    state.rubrics_dir = rubrics_dir if rubrics_dir is not None else DEFAULT_RUBRIC_DIR
    state.rubrics_dir_given = rubrics_dir is not None


def short_help_from_docstrings() -> None:
    """`kpi --help` lists each command with the whole first paragraph of its help (click would cut it)."""
    for command in app.registered_commands:
        if command.short_help is None and command.callback is not None and command.callback.__doc__:
            command.short_help = " ".join(command.callback.__doc__.split("\n\n")[0].split())
