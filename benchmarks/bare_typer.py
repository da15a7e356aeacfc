"""A do-nothing typer app with ``kpi validate``'s signature (a ``list[Path]`` argument, an enum option).

``benchmarks/run.py`` times it beside ``kpi validate rubrics/``: what typer alone costs to parse those
arguments (typer coerces every value through pydantic), the floor the CLI layer cannot go below.
"""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Format(str, Enum):
    text = "text"
    json = "json"


app = typer.Typer(add_completion=False)


@app.command()
def validate(paths: Annotated[list[Path], typer.Argument()],
             format: Annotated[Format, typer.Option("--format")] = Format.text) -> None:
    """Parse the arguments, do nothing."""


@app.command()
def other() -> None:
    """A second command, so that typer makes a group as kpi's."""


if __name__ == "__main__":
    app()
