"""kpi.toml: found, read strictly, paths relative to its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.cli.project_config import Config, find_config, fill, load_config, load_project_config, needs_period
from kpi_cli.errors import ConfigNotValid


def write(folder: Path, text: str) -> Path:
    path = folder / "kpi.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_config_paths_are_relative_to_its_folder(tmp_path: Path) -> None:
    path = write(tmp_path, '''
rubrics_dir = "rubrics"
rubric = "guanjia"
roster = "data/roster.csv"
log = "logs/{period}.csv"
period = "last-month"
output_dir = "reports"
filename = "{rubric}-{period}.xlsx"
format = "xlsx"
''')
    config, problems = load_config(path)
    assert problems == []
    assert config == Config(path, tmp_path / "rubrics", "guanjia", tmp_path / "data" / "roster.csv",
                            "logs/{period}.csv", "last-month", tmp_path / "reports", "{rubric}-{period}.xlsx",
                            "xlsx")
    assert config.log_path(period="2026-10", rubric="guanjia") == tmp_path / "logs" / "2026-10.csv"
    with pytest.raises(KeyError):
        config.log_path(period=None, rubric="guanjia")


def test_empty_config_is_valid(tmp_path: Path) -> None:
    config, problems = load_config(write(tmp_path, "# nothing yet\n"))
    assert problems == [] and config == Config(tmp_path / "kpi.toml")
    assert config.log_path(period="2026-10", rubric="x") is None


def test_rubric_path_is_relative_to_the_config_but_an_id_is_kept(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, 'rubric = "forms/mine.yaml"\n'))
    assert config is not None and config.rubric == str(tmp_path / "forms" / "mine.yaml")
    config, _ = load_config(write(tmp_path, 'rubric = "guanjia"\n'))
    assert config is not None and config.rubric == "guanjia"


def test_braces_in_the_folder_name_do_not_matter(tmp_path: Path) -> None:
    folder = tmp_path / "a{b}"
    folder.mkdir()
    config, _ = load_config(write(folder, 'log = "{period}.csv"\n'))
    assert config is not None
    assert config.log_path(period="2026-10", rubric="x") == folder / "2026-10.csv"


def test_every_problem_is_reported_with_its_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '''rubric = "guanjia"
roster = 3
  logg = "x.csv"
filename = "{rubrik}.xlsx"
format = "pdf"
period = "next-month"
output_dir = ""
[score]
quiet = true
''')
    config, problems = load_config(path)
    assert config is None
    name = str(path)
    assert [(d.file, d.line, d.column, d.code) for d in problems] == [
        (name, 2, 1, "config-type"),
        (name, 3, 3, "config-unknown-key"),
        (name, 4, 1, "config-pattern"),
        (name, 5, 1, "config-format"),
        (name, 6, 1, "config-period"),
        (name, 7, 1, "config-type"),
        (name, 8, 2, "config-unknown-key"),
    ]
    messages = [d.message for d in problems]
    assert messages[0] == "roster must be a non-empty text in quotes"
    assert messages[1] == ("unknown key 'logg' (did you mean 'log'?); known keys: rubrics_dir, rubric, roster, log, "
                           "period, output_dir, filename, format, language, database")
    assert messages[2] == "filename: unknown placeholder {rubrik}; only {period}, {rubric} are filled in"
    assert messages[3] == "format must be one of table, csv, json, xlsx, markdown, not 'pdf'"
    assert messages[4].startswith("period: 'next-month' is not a period")
    assert messages[6].startswith("unknown table 'score'")
    assert problems[0].format() == f"{name}:2:1: roster must be a non-empty text in quotes (config-type)"


def test_invalid_toml_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, 'rubric = "guanjia"\nroster = roster.csv\n')
    config, problems = load_config(path)
    assert config is None
    assert [(d.line, d.column, d.code) for d in problems] == [(2, 10, "config")]
    assert problems[0].message == "not valid TOML: Invalid value"


def test_unreadable_config_is_an_io_error(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path / "missing.toml")
    assert config is None and [d.code for d in problems] == ["io-error"]


def test_find_config(tmp_path: Path) -> None:
    assert find_config(None, tmp_path) is None
    path = write(tmp_path, "")
    assert find_config(None, tmp_path) == path
    assert find_config(tmp_path / "other.toml", tmp_path) == tmp_path / "other.toml"  # given: taken as is
    assert find_config("", tmp_path) == path  # KPI_CONFIG= (empty) means not given


def test_patterns() -> None:
    assert fill("{rubric}-{period}.xlsx", period="2026-10", rubric="guanjia") == "guanjia-2026-10.xlsx"
    assert needs_period("logs/{period}.csv") and not needs_period("logs/all.csv")
    with pytest.raises(KeyError):
        fill("logs/{period}.csv", period=None, rubric="guanjia")


def test_load_project_config(tmp_path: Path) -> None:
    assert load_project_config(None, tmp_path) is None  # no ./kpi.toml: no config, not an error
    path = write(tmp_path, 'rubric = "guanjia"\n')
    assert load_project_config(None, tmp_path) == Config(path, rubric="guanjia")
    assert load_project_config(path, Path("/nonexistent")) == Config(path, rubric="guanjia")
    write(tmp_path, 'rubric = 3\n')
    with pytest.raises(ConfigNotValid) as caught:
        load_project_config(None, tmp_path)
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{path}:1:1: rubric must be a non-empty text in quotes (config-type)"]
    with pytest.raises(ConfigNotValid) as caught:
        load_project_config(tmp_path / "nope.toml")
    assert [d.code for d in caught.value.diagnostics] == ["io-error"]
