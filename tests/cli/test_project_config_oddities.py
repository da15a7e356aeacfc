"""kpi.toml oddities (issue 11, classes 9 and 13): each is a located config error, never a traceback or a
silent surprise; and the rubrics folder, like every path in kpi.toml, is relative to kpi.toml's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA
from kpi_cli.cli.project_config import load_config

EXPORT = DATA / "export"


def _write(folder: Path, text: str) -> Path:
    path = folder / "kpi.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "shown"), [
    ('filename = "{period!r}.csv"', "{period!r}"), ('filename = "{period:>300}.csv"', "{period:>300}"),
    ('log = "logs/{rubric!s}.csv"', "{rubric!s}"), ('log = "logs/{period:%Y}.csv"', "{period:%Y}"),
    ('filename = "{period!a:^9}.xlsx"', "{period!a:^9}"),
])
def test_placeholders_are_plain_names_only(tmp_path: Path, line: str, shown: str) -> None:
    config, problems = load_config(_write(tmp_path, f'rubric = "mini"\n{line}\n'))
    assert config is None
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 1, "config-pattern")]
    assert f"{shown} is not a plain placeholder" in problems[0].message


@pytest.mark.parametrize(("filename", "fmt", "said"), [("r.csv", "xlsx", "csv"), ("r.xlsx", "csv", "xlsx"),
                                                       ("{period}.json", "markdown", "json")])
def test_a_format_that_contradicts_the_filename_is_an_error(tmp_path: Path, filename: str, fmt: str,
                                                             said: str) -> None:
    config, problems = load_config(_write(tmp_path, f'format = "{fmt}"\nfilename = "{filename}"\n'))
    assert config is None
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 1, "config-format")]
    assert f"is a {said} file but format is '{fmt}'" in problems[0].message


def test_a_format_that_agrees_with_the_filename_is_fine(tmp_path: Path) -> None:
    config, problems = load_config(_write(tmp_path, 'format = "xlsx"\nfilename = "{rubric}-{period}.xlsx"\n'))
    assert problems == [] and config is not None


@pytest.mark.parametrize("key", ["rubrics_dir", "rubric", "roster", "log", "output_dir", "filename"])
@pytest.mark.parametrize(("escape", "shown"), [("\\u0000", "\\x00"), ("\\u001b", "\\x1b"), ("\\u202e", "\\u202e")])
def test_a_control_character_in_a_path_is_located(tmp_path: Path, key: str, escape: str, shown: str) -> None:
    config, problems = load_config(_write(tmp_path, f'period = "2026-10"\n{key} = "a{escape}b.csv"\n'))
    assert config is None
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 1, "config-path")]
    assert f"{key} holds a control character ({shown})" in problems[0].message


def test_a_nul_in_kpi_toml_is_a_usage_error_on_the_command_line(invoke, tmp_path: Path) -> None:
    config = _write(tmp_path, 'rubric = "mini\\u0000.yaml"\nlog = "log.csv"\n')
    result = invoke("score", "--config", str(config))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{config}:1:1: rubric holds a control character (\\x00) that no file name can hold" in result.stderr


def test_xlsx_with_a_csv_filename_never_writes_csv(invoke, tmp_path: Path) -> None:
    for name in ("log-2026-10.csv", "roster.csv", "mini.yaml"):
        shutil.copy(EXPORT / name, tmp_path / name)
    config = _write(tmp_path, 'rubric = "mini.yaml"\nroster = "roster.csv"\nlog = "log-2026-10.csv"\n'
                              'format = "xlsx"\nfilename = "report.csv"\n')
    result = invoke("score", "--config", str(config))
    assert result.exit_code == 2 and "config-format" in result.stderr
    assert not (tmp_path / "report.csv").exists()


def test_rubrics_are_looked_up_beside_kpi_toml(invoke, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "rubrics").mkdir(parents=True)
    shutil.copy(EXPORT / "mini.yaml", project / "rubrics" / "mini.yaml")
    for name in ("log-2026-10.csv", "roster.csv"):
        shutil.copy(EXPORT / name, project / name)
    config = _write(project, 'rubric = "mini"\nroster = "roster.csv"\nlog = "log-2026-10.csv"\n')
    result = invoke("score", "--config", str(config), "--format", "csv")  # run from the repository root
    assert result.exit_code == 0, result.output
    assert "王芳" in result.stdout and result.stdout.splitlines()[0].startswith("\ufeff名次")


# --- m11 red team: more kpi.toml oddities of the same classes

@pytest.mark.parametrize(("key", "value", "char"), [("filename", "a\\nb.csv", "\\n"), ("filename", "a\\tb.csv", "\\t"),
                                                    ("log", "logs/\\n{period}.csv", "\\n")])
def test_a_line_break_or_tab_in_a_path_is_an_error(tmp_path: Path, key: str, value: str, char: str) -> None:
    config, problems = load_config(_write(tmp_path, f'{key} = "{value}"\n'))
    assert config is None and [(p.line, p.code) for p in problems] == [(1, "config-path")]
    assert f"holds a control character ({char})" in problems[0].message


@pytest.mark.parametrize("name", ["CON.csv", "nul.xlsx", "reports/COM1.json", "Lpt9.md", "aux"])
def test_a_windows_device_name_as_filename_is_an_error(tmp_path: Path, name: str) -> None:
    config, problems = load_config(_write(tmp_path, f'filename = "{name}"\n'))
    assert config is None and [(p.line, p.code) for p in problems] == [(1, "config-path")]
    assert "is a device on Windows" in problems[0].message


def test_arrays_nested_thousands_deep_are_a_config_error_not_a_traceback(invoke, tmp_path: Path) -> None:
    path = _write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    config, problems = load_config(path)
    assert config is None and [p.code for p in problems] == ["config"]
    assert "nested too deeply" in problems[0].message
    for command in (("score",), ("close",), ("periods",)):
        result = invoke(*command, "--config", str(path))
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert "not valid TOML: arrays or tables nested too deeply" in result.stderr
