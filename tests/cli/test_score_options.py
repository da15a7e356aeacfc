"""resolve_score_options: options, kpi.toml and defaults merged into one ScoreJob, or a usage error to report."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest

from kpi_cli.errors import ConfigNotValid, RubricNotFound, RubricNotValid, UsageError
from kpi_cli.engine.periods import Period
from kpi_cli.outputs.report import OutputPlan
from kpi_cli.rubric.loader import DEFAULT_RUBRIC_DIR
from kpi_cli.cli.score_options import ScoreJob, choose_period, parse_today, resolve_score_options

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "export" / "mini.yaml"  # id: mini, scored by month
INVALID = DATA / "rubrics" / "invalid" / "total_mismatch.yaml"

OCT, SEP = Period(2026, "month", 10), Period(2026, "month", 9)


def rubrics(folder: Path) -> Path:
    """A rubrics folder holding mini.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(MINI, folder / "mini.yaml")
    return folder


def project(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kpi.toml"
    path.write_text(text, encoding="utf-8")
    return path


FULL = '''rubrics_dir = "toml-rubrics"
rubric = "mini"
roster = "toml-roster.csv"
log = "logs/{period}.csv"
period = "2026-09"
output_dir = "reports"
filename = "{rubric}-{period}.xlsx"
'''


def resolve(tmp_path: Path, **options) -> ScoreJob:
    """Resolve with ``tmp_path`` as the current folder (its kpi.toml, if any, is found there)."""
    return resolve_score_options(cwd=tmp_path, **options)


# what comes from where ----------------------------------------------------------------------------------------


def test_options_alone_without_kpi_toml(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    job = resolve(tmp_path, log=log, rubric=str(MINI))
    assert job == ScoreJob(job.rubric, MINI, log, None, None, OutputPlan("table", None), DEFAULT_RUBRIC_DIR)
    assert job.rubric.id == "mini"
    assert job.keep_records is False  # a table lists no records


def test_kpi_toml_gives_everything(tmp_path: Path) -> None:
    rubrics(tmp_path / "toml-rubrics")
    config = project(tmp_path, FULL)
    job = resolve(tmp_path)  # ./kpi.toml, found in the current folder
    assert job.config is not None and job.config.path == config
    assert job.rubrics_dir == tmp_path / "toml-rubrics"
    assert job.rubric_path == tmp_path / "toml-rubrics" / "mini.yaml"
    assert job.roster == tmp_path / "toml-roster.csv"
    assert job.period == SEP
    assert job.log == tmp_path / "logs" / "2026-09.csv"  # {period} filled in
    assert job.plan == OutputPlan("xlsx", tmp_path / "reports" / "mini-2026-09.xlsx", make_folder=True)
    assert job.keep_records is True  # the workbook lists the records


def test_options_win_over_kpi_toml(tmp_path: Path) -> None:
    rubrics(tmp_path / "toml-rubrics")
    option_rubrics = rubrics(tmp_path / "option-rubrics")
    project(tmp_path, FULL)
    log, roster = tmp_path / "given.csv", tmp_path / "given-roster.csv"
    job = resolve(tmp_path, rubrics_dir=option_rubrics, period="2026-10", log=log, roster=roster, format="csv")
    assert job.rubric_path == option_rubrics / "mini.yaml"
    assert (job.period, job.log, job.roster) == (OCT, log, roster)
    # the file name still comes from kpi.toml, its extension follows --format
    assert job.plan == OutputPlan("csv", tmp_path / "reports" / "mini-2026-10.csv", make_folder=True)
    assert resolve(tmp_path, output=tmp_path / "r.md").plan == OutputPlan("markdown", tmp_path / "r.md")
    assert resolve(tmp_path, output="-", format="json").plan == OutputPlan("json", None)


def test_the_rubric_option_wins_over_kpi_toml(tmp_path: Path) -> None:
    project(tmp_path, 'rubric = "nosuch"\nlog = "log.csv"\n')
    assert resolve(tmp_path, rubric=str(MINI)).rubric_path == MINI


def test_an_explicit_config_wins_over_the_one_in_the_current_folder(tmp_path: Path) -> None:
    project(tmp_path, 'rubric = "nosuch"\n')
    other = tmp_path / "other"
    other.mkdir()
    config = project(other, f'rubric = "{MINI}"\nlog = "log.csv"\n')
    job = resolve(tmp_path, config=config)
    assert (job.rubric_path, job.log) == (MINI, other / "log.csv")


def test_rubrics_dir_option_then_kpi_toml_then_default(tmp_path: Path) -> None:
    # --rubrics-dir (or KPI_RUBRICS_DIR: typer passes it as the same option) > kpi.toml > rubrics/
    rubrics(tmp_path / "toml-rubrics")
    project(tmp_path, 'rubrics_dir = "toml-rubrics"\nlog = "log.csv"\n')
    assert resolve(tmp_path, rubric="mini").rubrics_dir == tmp_path / "toml-rubrics"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(RubricNotFound) as caught:  # the option is not a fallback: kpi.toml's folder is not tried
        resolve(tmp_path, rubric="mini", rubrics_dir=empty)
    assert str(caught.value) == f"no rubric 'mini': not a file, and not in {empty}/ (found: none)"
    no_config = tmp_path / "no-config"
    no_config.mkdir()
    with pytest.raises(RubricNotFound) as caught:
        resolve(no_config, rubric="mini", log=Path("log.csv"))
    assert str(caught.value).startswith(f"no rubric 'mini': not a file, and not in {DEFAULT_RUBRIC_DIR}/")


def test_relative_period_counts_from_today(tmp_path: Path) -> None:
    project(tmp_path, f'rubric = "{MINI}"\nlog = "logs/{{period}}.csv"\nperiod = "last-month"\n')
    job = resolve(tmp_path, today="2027-01-15")
    assert (job.period, job.log) == (Period(2026, "month", 12), tmp_path / "logs" / "2026-12.csv")
    assert resolve(tmp_path, today=date(2026, 11, 1)).period == OCT
    assert resolve(tmp_path, today="2027-01-15", period="this-month").period == Period(2027, "month", 1)


# the log pattern needs a period ------------------------------------------------------------------------------


def test_log_pattern_needs_a_period(tmp_path: Path) -> None:
    config = project(tmp_path, f'rubric = "{MINI}"\nlog = "logs/{{period}}.csv"\n')
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path)
    assert str(caught.value) == ("log = 'logs/{period}.csv' in " f"{config} needs the period: give --period, "
                                 'or period = "last-month" in kpi.toml')
    assert caught.value.param_hint == "--period"
    assert resolve(tmp_path, period="2026-10").log == tmp_path / "logs" / "2026-10.csv"
    assert resolve(tmp_path, log=Path("x.csv")).log == Path("x.csv")  # a log given: no pattern to fill


def test_log_pattern_without_period_placeholder_needs_none(tmp_path: Path) -> None:
    project(tmp_path, f'rubric = "{MINI}"\nlog = "logs/{{rubric}}.csv"\n')
    job = resolve(tmp_path)
    assert (job.period, job.log) == (None, tmp_path / "logs" / "mini.csv")


def test_output_file_name_waits_for_the_period(tmp_path: Path) -> None:
    project(tmp_path, f'rubric = "{MINI}"\nlog = "log.csv"\noutput_dir = "out"\nfilename = "{{period}}.json"\n')
    job = resolve(tmp_path)
    assert job.plan.path == tmp_path / "out" / "{period}.json"
    assert job.plan_for(OCT) == OutputPlan("json", tmp_path / "out" / "2026-10.json", make_folder=True)
    known = resolve(tmp_path, period="2026-09")
    assert known.plan_for(OCT) is known.plan  # the period was given: the plan does not change


# output that is an input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["log", "roster", "rubric"])
def test_output_that_is_an_input_is_refused(tmp_path: Path, which: str) -> None:
    log, roster = tmp_path / "log.csv", tmp_path / "roster.csv"
    log.write_text("x"), roster.write_text("x")
    target = {"log": log, "roster": roster, "rubric": MINI}[which]
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=log, roster=roster, rubric=str(MINI), output=target, format="csv")
    assert str(caught.value).startswith(f"the report {target} is an input of this run (the {which}, ")
    assert caught.value.param_hint == "--output"


def test_output_that_is_an_input_by_another_spelling_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("x")
    (tmp_path / "sub").mkdir()
    with pytest.raises(UsageError, match="is an input of this run"):
        resolve(tmp_path, log=log, rubric=str(MINI), output=tmp_path / "sub" / ".." / "log.csv")


def test_output_named_by_kpi_toml_that_is_the_log_is_refused(tmp_path: Path) -> None:
    project(tmp_path, f'rubric = "{MINI}"\nlog = "data.csv"\noutput_dir = "."\nfilename = "data.csv"\n')
    with pytest.raises(UsageError, match="data.csv is an input of this run"):
        resolve(tmp_path)


# format from the extension ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt", "records"), [
    ("r.csv", "csv", False), ("r.json", "json", True), ("r.xlsx", "xlsx", True), ("r.md", "markdown", False),
    ("r.markdown", "markdown", False), ("r.txt", "table", False), ("R.XLSX", "xlsx", True),
])
def test_format_from_the_extension(tmp_path: Path, name: str, fmt: str, records: bool) -> None:
    job = resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), output=tmp_path / name)
    assert job.plan == OutputPlan(fmt, tmp_path / name)
    assert job.keep_records is records


def test_format_option_names_the_format_of_a_file_whose_extension_does_not(tmp_path: Path) -> None:
    job = resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), output=tmp_path / "r.dat", format="json")
    assert job.plan == OutputPlan("json", tmp_path / "r.dat")
    job = resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), output=tmp_path / "r.txt", format="csv")
    assert job.plan == OutputPlan("csv", tmp_path / "r.txt")  # .txt holds any text


@pytest.mark.parametrize(("name", "fmt", "suggestion"), [("r.xlsx", "csv", "r.csv"), ("r.csv", "json", "r.json"),
                                                          ("月报.md", "xlsx", "月报.xlsx")])
def test_format_option_against_the_extension_is_a_usage_error(tmp_path: Path, name: str, fmt: str,
                                                                suggestion: str) -> None:
    # CSV written into a file named .xlsx opens in Excel as a damaged workbook: refused before anything is read
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), output=Path(name), format=fmt)
    assert str(caught.value) == (f"--format {fmt} does not match the file name {name}, which ends in "
                                 f"{Path(name).suffix}: name the file {suggestion} or drop --format")


def test_unknown_extension_and_binary_to_stdout_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), output=Path("r.pdf"))
    assert str(caught.value) == ("cannot tell the format of r.pdf from its extension "
                                 "(.csv, .json, .md, .txt, .xlsx); give --format")
    assert caught.value.param_hint == "--format / --output"
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), format="xlsx")
    assert str(caught.value) == "xlsx is a binary format and cannot be printed; give --output FILE.xlsx"


# other usage problems -------------------------------------------------------------------------------------


def test_missing_rubric_and_missing_log(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv")
    assert (str(caught.value), caught.value.param_hint) == ('give the rubric (or rubric = "..." in kpi.toml)',
                                                            "--rubric")
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, rubric=str(MINI))
    assert (str(caught.value), caught.value.param_hint) == ('give the record log file (or log = "..." in kpi.toml)',
                                                            "LOG")


def test_bad_today_and_bad_period(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), today="2026-13-01")
    assert (str(caught.value), caught.value.param_hint) == ("'2026-13-01' is not a date: write 2026-11-01", "--today")
    with pytest.raises(UsageError) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI), period="last-quarter")
    assert str(caught.value) == "last-quarter is a quarter, but the rubric is scored by month; use last-month"
    assert caught.value.param_hint == "--period"


def test_the_config_is_checked_first(tmp_path: Path) -> None:
    config = project(tmp_path, 'ouput_dir = "x"\n')
    with pytest.raises(ConfigNotValid) as caught:
        resolve(tmp_path, today="not a date")  # kpi.toml's problems come before the options'
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{config}:1:1: unknown key 'ouput_dir' (did you mean 'output_dir'?); known keys: rubrics_dir, rubric, "
        "roster, log, period, output_dir, filename, format, language, database (config-unknown-key)"]
    with pytest.raises(ConfigNotValid) as caught:
        resolve(tmp_path, config=tmp_path / "nope.toml")
    assert [d.code for d in caught.value.diagnostics] == ["io-error"]


def test_an_invalid_rubric_carries_its_problems(tmp_path: Path) -> None:
    with pytest.raises(RubricNotValid) as caught:
        resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(INVALID))
    assert str(caught.value) == f"rubric {INVALID} is not valid; run: kpi validate {INVALID}"
    assert caught.value.diagnostics and all(d.file == str(INVALID) for d in caught.value.diagnostics)


def test_the_job_is_frozen(tmp_path: Path) -> None:
    job = resolve(tmp_path, log=tmp_path / "log.csv", rubric=str(MINI))
    with pytest.raises(dataclasses.FrozenInstanceError):
        job.log = Path("other.csv")  # type: ignore[misc]


def test_helpers() -> None:
    assert parse_today(None) is None and parse_today("2026-11-01") == date(2026, 11, 1)
    assert choose_period(None, "month") is None
    assert choose_period("2026Q4", "quarter") == Period(2026, "quarter", 4)
    assert choose_period("last-quarter", "quarter", date(2027, 1, 1)) == Period(2026, "quarter", 4)
