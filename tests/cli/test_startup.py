"""Start-up stays quick: `kpi --help` and `kpi validate` do not import what they do not use.

No timing here (timed assertions are flaky); the modules each path imports are checked
instead, in a fresh interpreter, so a top-level import added to cli.py cannot silently
bring back pydantic, the scoring engine, openpyxl or jinja2 to every command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import CLI_ENV, ROOT

# Never needed to parse the command line or print the help.
HEAVY = {
    "openpyxl", "jinja2", "pydantic.main", "yaml", "rich.console", "rich.table",
    "kpi_cli.outputs.exporters", "kpi_cli.outputs.forms", "kpi_cli.inputs.score_run", "kpi_cli.outputs.screen", "kpi_cli.outputs.report",
    "kpi_cli.cli.project_config", "kpi_cli.rubric.loader", "kpi_cli.rubric.model", "kpi_cli.engine.scoring", "kpi_cli.inputs.tables",
}
# What `kpi validate` of valid rubrics does not need: scoring, exports, forms, and (nothing to print
# but the summary line) no rich console.
NOT_FOR_VALIDATE = {
    "openpyxl", "jinja2", "rich.console", "rich.table",
    "kpi_cli.outputs.exporters", "kpi_cli.outputs.forms", "kpi_cli.inputs.score_run", "kpi_cli.outputs.screen", "kpi_cli.outputs.report",
    "kpi_cli.cli.project_config", "kpi_cli.engine.scoring", "kpi_cli.inputs.tables", "kpi_cli.inputs.records",
}


def _modules_after(code: str) -> set[str]:
    """The modules loaded after running ``code`` in a fresh interpreter (its last stdout line)."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **CLI_ENV})
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_nothing_heavy():
    loaded = _modules_after("import kpi_cli.cli")
    assert "typer" in loaded and "kpi_cli.cli" in loaded
    assert HEAVY & loaded == set()


def test_help_imports_nothing_heavy():
    loaded = _modules_after(
        "from kpi_cli.cli import app\n"
        "try:\n    app(['--help'], prog_name='kpi')\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code"
    )
    # plain help (rich_markup_mode=None): typer.rich_utils alone would pull in rich.markdown, markdown_it...
    assert "typer.rich_utils" not in loaded and "rich.markdown" not in loaded
    assert HEAVY & loaded == set()


def test_validate_of_valid_rubrics_loads_only_the_rubric_stack():
    loaded = _modules_after(
        "from kpi_cli.cli import app\n"
        "try:\n    app(['validate', 'rubrics'], prog_name='kpi')\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code"
    )
    assert {"kpi_cli.rubric.loader", "pydantic.main"} <= loaded
    assert NOT_FOR_VALIDATE & loaded == set()


def test_the_cli_default_rubric_folder_is_the_loaders():
    from kpi_cli.cli import main
    from kpi_cli.rubric import loader

    assert main.DEFAULT_RUBRIC_DIR == loader.DEFAULT_RUBRIC_DIR


def test_help_builds_no_command_and_a_run_builds_only_its_own(invoke, monkeypatch):
    """typer would build every command's parameters on every run; kpi builds the one that runs (none for --help)."""
    from kpi_cli.cli import command_registry

    built: list[str] = []
    real = command_registry.build
    monkeypatch.setattr(command_registry, "build", lambda name: built.append(name) or real(name))
    result = invoke("--help")
    assert result.exit_code == 0 and built == []
    for name in command_registry.deferred_names():  # every command listed, with its help's first words
        stub = command_registry.help_stub(name)
        assert f"  {name} " in result.output and stub.help.split()[0] in result.output
    assert invoke("validate", "rubrics").exit_code == 0
    assert built == ["validate"]


def test_the_command_list_is_translated_without_building_the_commands(invoke):
    from kpi_cli.i18n import _, set_language

    result = invoke("--help", env={"KPI_LANG": "zh"})
    set_language("zh")
    assert _("Check rubric files; print every problem as path:line:col: message.") in result.output
    assert "命令" in result.output
