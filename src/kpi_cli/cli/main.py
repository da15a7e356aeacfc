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
from kpi_cli.cli.language import KpiGroup, check_language
from kpi_cli.i18n import N_

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_RUBRIC_DIR = Path("rubrics")  # = rubric_loader.DEFAULT_RUBRIC_DIR (not imported: it pulls pydantic)

app = typer.Typer(
    name="kpi",
    cls=KpiGroup,  # chooses the language of the run, translates help and usage errors
    help=N_("Score staff performance appraisals (绩效考核) from YAML rubrics, exactly and explainably."),
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
    """stdout for results; data printed here is never markup and never a terminal code (outputs/safe_text)."""
    from kpi_cli.outputs.safe_text import console

    return console(color_system=None if _no_color() else "auto")


def err() -> Console:
    """stderr for diagnostics and notes, as safe as :func:`out`."""
    from kpi_cli.outputs.safe_text import console

    return console(stderr=True, color_system=None if _no_color() else "auto")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi-cli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    rubrics_dir: Annotated[Optional[Path], typer.Option("--rubrics-dir", envvar="KPI_RUBRICS_DIR", show_default=False,
                                                        help=N_("Folder where --rubric NAME is looked up "
                                                        "(default: rubrics, or rubrics_dir in kpi.toml)."))] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", envvar="KPI_LANG", callback=check_language, is_eager=True,
                                                show_default=False, help=N_(
                                                    "Language of messages and help: zh (中文) or en (English); "
                                                    "default: language in kpi.toml, else the locale (LANG), "
                                                    "else zh."))] = None,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help=N_("Show the version and exit."))] = None,
) -> None:
    state.rubrics_dir = rubrics_dir if rubrics_dir is not None else DEFAULT_RUBRIC_DIR
    state.rubrics_dir_given = rubrics_dir is not None
