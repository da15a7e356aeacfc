"""The layers import one way: leaves → rubric → engine → inputs → ledger → outputs → cli (ARCHITECTURE.md).

Every import in src/kpi_cli is read with ast, the lazy ones inside functions included, so a wrong-way
import fails here whether it runs at start-up or not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kpi_cli"

#: The order of the layers: a module may import from its own layer and the layers before it.
LAYERS = ("leaf", "rubric", "engine", "inputs", "ledger", "outputs", "cli")
#: Shared leaves at the top of the package: they import nothing else of kpi-cli's but other leaves.
LEAVES = {"diagnostics", "errors", "names", "i18n"}
#: Third-party and standard modules a layer must not import (nothing at all imports click: typer bundles it).
FORBIDDEN = {
    "leaf": {"typer", "rich", "openpyxl", "jinja2", "sqlalchemy", "alembic", "click"},
    "rubric": {"typer", "rich", "openpyxl", "jinja2", "sqlalchemy", "alembic", "click"},
    # the engine is pure: no I/O, nothing that reads or prints
    "engine": {"typer", "rich", "yaml", "openpyxl", "jinja2", "sqlalchemy", "alembic", "click", "csv", "io", "os",
               "pathlib", "shutil", "tempfile", "subprocess", "socket", "sqlite3", "polars", "duckdb", "pandas",
               "pyarrow"},
    "inputs": {"typer", "rich", "jinja2", "sqlalchemy", "alembic", "click"},
    "ledger": {"typer", "rich", "jinja2", "openpyxl", "click"},
    "outputs": {"typer", "sqlalchemy", "alembic", "click"},
    "cli": {"click"},
}


def layer_of(module: str) -> str | None:
    """``kpi_cli.engine.scoring`` -> ``engine``; None for the package itself and ``__main__``."""
    parts = module.split(".")
    if parts[0] != "kpi_cli" or len(parts) == 1 or parts[1] == "__main__":
        return None
    if parts[1] in LEAVES:
        return "leaf"
    if parts[1] in LAYERS:
        return parts[1]
    raise AssertionError(f"{module}: not in a layer; add it to a package or to LEAVES (see ARCHITECTURE.md)")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    path = SRC.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module imported by ``source`` (absolute names), with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # `from kpi_cli import engine` / `from kpi_cli.outputs import wording`: the submodules count too
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names
                      if name.startswith("kpi_cli") and is_module(f"{name}.{alias.name}")]
    return found


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """The wrong-way imports of one module, as ``module:line: message``."""
    layer = layer_of(module)
    if layer is None:
        return []
    rank = LAYERS.index(layer)
    problems = []
    for line, name in imports_of(source, module, is_package):
        top = name.split(".")[0]
        if top in FORBIDDEN[layer]:
            problems.append(f"{module}:{line}: the {layer} layer must not import {name}")
        if top != "kpi_cli" or name == "kpi_cli":
            continue
        target = layer_of(name)
        if target is not None and LAYERS.index(target) > rank:
            problems.append(f"{module}:{line}: {layer} imports {name} from the {target} layer, which comes after it")
    return problems


def all_modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", all_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_flow_one_way(path: Path) -> None:
    module = module_name(path)
    assert violations(path.read_text("utf-8"), module, path.name == "__init__.py") == []


def test_every_module_is_in_a_layer() -> None:
    for path in all_modules():
        layer_of(module_name(path))  # raises for a module outside the layers


@pytest.mark.parametrize(("module", "source", "expected"), [
    # an engine module reaching up to the outputs, lazily inside a function
    ("kpi_cli.engine.scoring", "def f():\n    from kpi_cli.outputs.screen import receipt\n",
     ["kpi_cli.engine.scoring:2: engine imports kpi_cli.outputs.screen from the outputs layer, which comes after it"]),
    # the engine doing I/O or printing
    ("kpi_cli.engine.results", "import os\nfrom rich.text import Text\n",
     ["kpi_cli.engine.results:1: the engine layer must not import os",
      "kpi_cli.engine.results:2: the engine layer must not import rich.text"]),
    # a relative import is resolved before it is judged
    ("kpi_cli.rubric.model", "from ..inputs import values\n",
     ["kpi_cli.rubric.model:1: rubric imports kpi_cli.inputs from the inputs layer, which comes after it",
      "kpi_cli.rubric.model:1: rubric imports kpi_cli.inputs.values from the inputs layer, which comes after it"]),
    ("kpi_cli.outputs.screen", "import click\n", ["kpi_cli.outputs.screen:1: the outputs layer must not import click"]),
    # the right way round is fine
    ("kpi_cli.cli.score", "from kpi_cli.engine.scoring import fmt\nfrom kpi_cli.outputs import screen\n", []),
    ("kpi_cli.engine.scoring", "from kpi_cli.rubric.model import Rubric\nfrom kpi_cli.diagnostics import Diagnostic\n",
     []),
])
def test_the_check_catches_wrong_way_imports(module: str, source: str, expected: list[str]) -> None:
    assert violations(source, module) == expected
