"""`kpi score` writing reports: formats, --output, kpi.toml, relative periods, --quiet, NO_COLOR, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest
from export_support import BAD_LOG, EXPORT, INJECTION, LOG, ROSTER, RUBRIC

ARGS = [str(LOG), "--rubric", str(RUBRIC), "--roster", str(ROSTER)]
BAD_ARGS = [str(BAD_LOG), "--rubric", str(RUBRIC), "--roster", str(ROSTER)]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("name", ["r.csv", "r.json", "r.xlsx", "r.md", "r.markdown", "r.txt"])
def test_format_from_the_extension(invoke, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    result = invoke("score", *ARGS, "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the results are in the file
    assert f"wrote {target} (" in result.stderr
    data = target.read_bytes()
    if name.endswith(".csv"):
        assert csv_rows(data)[1][:3] == ["1", "G01", "王芳"]
    elif name.endswith(".json"):
        doc = json.loads(data)
        assert [s["id"] for s in doc["subjects"]] == ["G01", "G03", "G02"]
        assert doc["subjects"][0]["records"]  # json lists the records behind the figures
        assert doc["provenance"]["inputs"][0]["file"] == str(LOG)
    elif name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book["结果"]["B2"].value == "G01" and book["结果"]["I2"].value == 19
        assert book["违规情况记录"].max_row == 6  # header + the 5 records
    elif name.endswith((".md", ".markdown")):
        assert data.decode().startswith("# 管家月度考核表(导出测试) · 2026年10月\n")
    else:
        assert "王芳" in data.decode() and "生成时间 (run at, UTC)" in data.decode()


def test_format_option_wins_over_the_extension(invoke, tmp_path: Path) -> None:
    target = tmp_path / "report.data"
    result = invoke("score", *ARGS, "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_bytes())["schema"] == "kpi-cli/score/1"


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_text_formats_to_stdout(invoke, fmt: str) -> None:
    result = invoke("score", *ARGS, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "csv":
        assert csv_rows(result.stdout_bytes)[3][2] == "'" + INJECTION
    elif fmt == "json":
        assert json.loads(result.stdout)["subjects"][2]["name"] == INJECTION
    else:
        assert result.stdout.startswith("# ")
    assert "rows read 5: used 5" in result.stderr  # diagnostics and the footer stay on stderr


def test_dash_is_stdout(invoke) -> None:
    result = invoke("score", *ARGS, "--format", "json", "--output", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["period"]["id"] == "2026-10"


def test_default_is_still_the_table(invoke) -> None:
    result = invoke("score", *ARGS)
    assert result.exit_code == 0
    assert "总分" in result.stdout and "王芳" in result.stdout and "生成信息" not in result.stdout


def test_injection_shows_as_text_in_csv_and_xlsx(invoke, tmp_path: Path) -> None:
    assert invoke("score", *ARGS, "-o", str(tmp_path / "r.csv")).exit_code == 0
    assert invoke("score", *ARGS, "-o", str(tmp_path / "r.xlsx")).exit_code == 0
    rows = csv_rows((tmp_path / "r.csv").read_bytes())
    assert rows[3][2] == "'=HYPERLINK(\"http://x\",\"点我\")"
    cell = openpyxl.load_workbook(tmp_path / "r.xlsx")["结果"]["C4"]
    assert cell.value == INJECTION and cell.data_type == "s"


def test_failing_run_leaves_the_previous_report_byte_identical(invoke, tmp_path: Path) -> None:
    for name in ("r.xlsx", "r.csv"):
        target = tmp_path / name
        assert invoke("score", *ARGS, "-o", str(target)).exit_code == 0
        before = target.read_bytes()
        result = invoke("score", *BAD_ARGS, "-o", str(target))
        assert result.exit_code == 1
        assert "unknown rule '不存在的规则'" in result.stderr
        assert "not scored: fix the problems above (no report written)" in result.stderr
        assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.csv.provenance.json", "r.xlsx"]


def test_write_failing_midway_leaves_the_previous_report(invoke, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"last month's good report")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = invoke("score", *ARGS, "-o", str(target))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == (f"{target}: cannot write the report: the disk is full; the "
                                              "previous file, if any, is unchanged (io-error)")
    assert target.read_bytes() == b"last month's good report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]  # no temporary file left behind


def test_quiet_prints_nothing_on_success(invoke, tmp_path: Path) -> None:
    result = invoke("score", *ARGS, "--quiet", "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""
    assert (tmp_path / "r.xlsx").is_file()


def test_quiet_still_reports_errors(invoke, tmp_path: Path) -> None:
    result = invoke("score", *BAD_ARGS, "-q", "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [  # no footer, no notes: errors only
        f"{BAD_LOG}:3: unknown rule '不存在的规则' (unknown-rule)",
        "not scored: fix the problems above (no report written)",
    ]
    assert not (tmp_path / "r.xlsx").exists()


def test_no_color_means_no_escape_codes_even_on_a_terminal(invoke, tmp_path: Path, monkeypatch) -> None:
    import kpi_cli.cli.shared

    monkeypatch.setattr(kpi_cli.cli.shared, "PROGRESS_MIN_BYTES", 0)  # a progress bar even for the small log
    terminal = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": None}
    coloured = invoke("score", *BAD_ARGS, env=terminal)
    assert "\x1b[" in coloured.stderr  # the check is meaningful: a terminal gets colour
    shown = invoke("score", *ARGS, "-o", str(tmp_path / "r.csv"), env=terminal)
    assert shown.exit_code == 0 and "\x1b[" in shown.stderr  # ... and a progress bar
    for args in (BAD_ARGS, ARGS + ["-o", str(tmp_path / "r.csv")]):
        plain = invoke("score", *args, env={**terminal, "NO_COLOR": "1"})
        assert "\x1b" not in plain.stderr and "\x1b" not in plain.stdout
    # not a terminal (the default here): no codes either
    plain = invoke("score", *BAD_ARGS, env={"NO_COLOR": None})
    assert "\x1b" not in plain.stderr


# exit codes -------------------------------------------------------------------------------------------------


def test_exit_0_and_1(invoke) -> None:
    assert invoke("score", *ARGS, "--format", "csv").exit_code == 0
    assert invoke("score", *BAD_ARGS, "--format", "csv").exit_code == 1


@pytest.mark.parametrize(("extra", "message"), [
    (["--format", "pdf"], "'pdf' is not one of"),
    (["--format", "xlsx"], "xlsx is a binary format and cannot be printed; give --output FILE.xlsx"),
    (["--output", "r.pdf"], "cannot tell the format of r.pdf from its extension"),
    (["--period", "next-month"], "'next-month' is not a period"),
    (["--period", "last-quarter"], "last-quarter is a quarter, but the rubric is scored by month; use last-month"),
    (["--today", "2026-13-01"], "'2026-13-01' is not a date: write 2026-11-01"),
    (["--output", str(LOG)], "is an input of this run (the log, "),
])
def test_exit_2_usage(invoke, extra: list[str], message: str) -> None:
    result = invoke("score", *ARGS, *extra)
    assert result.exit_code == 2, result.stderr
    assert message in " ".join(result.stderr.replace("│", " ").split())


def test_exit_2_without_a_rubric_or_a_log(invoke, tmp_path: Path) -> None:
    empty = tmp_path / "kpi.toml"
    empty.write_text("")
    result = invoke("score", str(LOG), "--config", str(empty))
    assert result.exit_code == 2 and "give the rubric" in result.stderr
    result = invoke("score", "--rubric", str(RUBRIC), "--config", str(empty))
    assert result.exit_code == 2 and "give the record log file" in result.stderr


def test_exit_3_unreadable_input_and_unwritable_output(invoke, tmp_path: Path) -> None:
    result = invoke("score", str(tmp_path / "missing.csv"), "--rubric", str(RUBRIC), "-o", str(tmp_path / "r.csv"))
    assert result.exit_code == 3
    assert "cannot read file" in result.stderr
    result = invoke("score", *ARGS, "-o", str(tmp_path / "no-such-folder" / "r.csv"))
    assert result.exit_code == 3
    assert "cannot write the report" in result.stderr
    (tmp_path / "folder.csv").mkdir()
    assert invoke("score", *ARGS, "-o", str(tmp_path / "folder.csv")).exit_code == 3


# kpi.toml and relative periods ------------------------------------------------------------------------------


def project(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "kpi.toml"
    config.write_text(f'''rubric = "{RUBRIC}"
roster = "{ROSTER}"
log = "{EXPORT}/log-{{period}}.csv"
period = "last-month"
output_dir = "reports"
filename = "{{rubric}}-{{period}}.xlsx"
{extra}''', encoding="utf-8")
    return config


def test_config_gives_everything(invoke, tmp_path: Path) -> None:
    config = project(tmp_path)
    result = invoke("score", "--config", str(config), "--today", "2026-11-01", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    book = openpyxl.load_workbook(tmp_path / "reports" / "mini-2026-10.xlsx")  # reports/ was created
    assert book["结果"]["C2"].value == "王芳"


def test_config_from_the_environment_and_the_command_line_overrides_it(invoke, tmp_path: Path) -> None:
    config = project(tmp_path)
    env = {"KPI_CONFIG": str(config), "KPI_TODAY": "2026-11-20"}
    result = invoke("score", "--format", "csv", env=env)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {tmp_path / 'reports' / 'mini-2026-10.csv'} (csv, 3 subjects, 2026-10)" in result.stderr
    result = invoke("score", "--output", "-", "--format", "json", env=env)  # print instead of writing
    assert json.loads(result.stdout)["period"]["id"] == "2026-10"
    result = invoke("score", str(LOG), "--period", "2026-10", "-o", str(tmp_path / "x.md"), env=env)
    assert result.exit_code == 0 and (tmp_path / "x.md").is_file()


def test_option_then_environment_then_kpi_toml_then_default(invoke, tmp_path: Path) -> None:
    # the rubrics folder: --rubrics-dir > KPI_RUBRICS_DIR > rubrics_dir in kpi.toml > rubrics/ (the message names it)
    for name in ("option", "env", "toml"):
        (tmp_path / name).mkdir()
    config = tmp_path / "kpi.toml"
    config.write_text('rubrics_dir = "toml"\nlog = "log.csv"\n', encoding="utf-8")
    args = ["score", "--config", str(config), "--rubric", "mini"]
    env = {"KPI_RUBRICS_DIR": str(tmp_path / "env")}
    for prefix, environ, folder in [(["--rubrics-dir", str(tmp_path / "option")], env, tmp_path / "option"),
                                    ([], env, tmp_path / "env"), ([], None, tmp_path / "toml")]:
        result = invoke(*prefix, *args, env=environ)
        assert result.exit_code == 2
        assert result.stderr == f"no rubric 'mini': not a file, and not in {folder}/ (found: none)\n"
    config.write_text('log = "log.csv"\n', encoding="utf-8")  # no rubrics_dir: rubrics/ beside kpi.toml, not in cwd
    assert invoke(*args).stderr == f"no rubric 'mini': not a file, and not in {tmp_path / 'rubrics'}/ (found: none)\n"
    assert invoke("score", "--rubric", "mini").stderr.startswith(  # no kpi.toml: rubrics/ of the current folder
        "no rubric 'mini': not a file, and not in rubrics/ (found: guanjia, ")
    # the day relative periods count from: --today > KPI_TODAY > the clock
    periods = [json.loads(invoke("score", *ARGS, "-p", "last-month", "--format", "json", *today,
                                 env={"KPI_TODAY": "2026-12-05"}).stdout)["period"]["id"]
               for today in ([], ["--today", "2026-11-20"])]
    assert periods == ["2026-11", "2026-10"]


def test_relative_period_from_today(invoke, tmp_path: Path) -> None:
    # on 2026-12-05, last-month is 2026-11: the October rows are outside it, everyone keeps full marks
    result = invoke("score", *ARGS, "--period", "last-month", "--today", "2026-12-05", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["period"]["id"] == "2026-11" and doc["provenance"]["period"] == "2026-11"
    assert [s["total"] for s in doc["subjects"]] == ["20.0", "20.0", "20.0"]  # mini.yaml keeps 1 decimal
    assert "rows read 5: used 0, outside the period 5" in result.stderr


def test_log_pattern_without_a_period_is_a_usage_error(invoke, tmp_path: Path) -> None:
    config = tmp_path / "kpi.toml"
    config.write_text(f'rubric = "{RUBRIC}"\nlog = "logs/{{period}}.csv"\n')
    result = invoke("score", "--config", str(config))
    assert result.exit_code == 2
    assert "needs the period" in result.stderr


def test_invalid_config_is_a_usage_error_with_its_location(invoke, tmp_path: Path) -> None:
    config = project(tmp_path, 'ouput_dir = "x"\n')
    result = invoke("score", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{config}:7:1: unknown key 'ouput_dir' (did you mean 'output_dir'?)")


def test_missing_config_is_an_io_error(invoke, tmp_path: Path) -> None:
    result = invoke("score", "--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 3
    assert "cannot read the config file" in result.stderr


def test_same_inputs_reproduce_the_same_figures(invoke, tmp_path: Path) -> None:
    first = invoke("score", *ARGS, "--format", "json", env={"SOURCE_DATE_EPOCH": "1793495100"})
    second = invoke("score", *ARGS, "--format", "json", env={"SOURCE_DATE_EPOCH": "1796000000"})
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["provenance"].pop("run_at") == "2026-11-01T01:05:00Z"
    assert b["provenance"].pop("run_at") != "2026-11-01T01:05:00Z"
    assert a == b
