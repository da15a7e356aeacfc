from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
RUBRICS = ROOT / "rubrics"
EXAMPLES = ROOT / "examples"

# A fixed, wide-enough terminal, no colour and English messages (the source language; tests of the Chinese
# ones ask for it), whatever the machine running the tests has.
CLI_ENV = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "KPI_LANG": "en"}
os.environ["KPI_LANG"] = "en"  # also for the kpi processes tests start with os.environ


@pytest.fixture(autouse=True)
def english_messages():
    """Library calls made by a test speak English too, whatever an earlier test or the locale chose."""
    from kpi_cli.i18n import set_language

    set_language("en")
    yield
    set_language("en")


def make_xlsx():  # type: ignore[no-untyped-def]
    """tests/data/make_xlsx.py, which builds the workbook fixtures at test time (no binaries committed)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_xlsx", DATA / "make_xlsx.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env=CLI_ENV)


@pytest.fixture
def invoke(runner: CliRunner):
    """Run ``kpi ARGS`` in-process from the repository root; bugs raise (catch_exceptions=False)."""
    from kpi_cli.cli import app

    def _invoke(*args: str, env: dict[str, str] | None = None):
        old = os.getcwd()
        os.chdir(ROOT)
        try:
            return runner.invoke(app, list(args), catch_exceptions=False, env=env)
        finally:
            os.chdir(old)

    return _invoke
