"""No command overwrites its own input (issue 11, class 5): one guard, outputs.atomic.input_overwritten.

Every output (score --output and its provenance sidecar, --errors, forms --output and every --split file,
stdout appended to a file) is compared with every input (log, roster, rubric, kpi.toml) as a file: through
symlinks, hard links (same inode) and any spelling of the path.  A refusal is a usage error (2), before
anything is read or written, and the input is byte-identical afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT

EXPORT = DATA / "export"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    for name in ("log-2026-10.csv", "roster.csv", "mini.yaml"):
        shutil.copy(EXPORT / name, tmp_path / name)
    return {"log": tmp_path / "log-2026-10.csv", "roster": tmp_path / "roster.csv", "rubric": tmp_path / "mini.yaml"}


def _args(files: dict[str, Path]) -> list[str]:
    return [str(files["log"]), "--rubric", str(files["rubric"]), "--roster", str(files["roster"])]


def _refused(result, files: dict[str, Path], before: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert "is an input of this run" in result.stderr and "Traceback" not in result.stderr
    assert {k: p.read_bytes() for k, p in files.items()} == before


def _snapshot(files: dict[str, Path]) -> dict[str, bytes]:
    return {k: p.read_bytes() for k, p in files.items()}


@pytest.mark.parametrize("which", ["log", "roster", "rubric"])
@pytest.mark.parametrize("command", [("forms", "--output"), ("check", "--errors"), ("score", "--errors"),
                                     ("score", "--output"), ("forms", "--split")])
def test_every_writing_option_refuses_an_input(invoke, files, which: str, command: tuple[str, str]) -> None:
    name, option = command
    before = _snapshot(files)
    target = files[which] if option != "--split" else files[which].parent
    if option == "--split":  # a split file that is an input: a link named like the form it would write
        (files["log"].parent / "G01_王芳.html").symlink_to(files[which])
    extra = ["--format", "csv"] if (name, option) == ("score", "--output") else []
    _refused(invoke(name, *_args(files), option, str(target), *extra), files, before)


def test_explain_errors_file_refuses_the_log(invoke, files) -> None:
    before = _snapshot(files)
    _refused(invoke("explain", *_args(files), "-e", "G01", "--errors", str(files["log"])), files, before)


def test_other_spellings_symlinks_and_hard_links_are_the_same_file(invoke, files, tmp_path: Path) -> None:
    before = _snapshot(files)
    log = files["log"]
    (tmp_path / "sub").mkdir()
    spelled = tmp_path / "sub" / ".." / "." / log.name
    linked = tmp_path / "link.html"
    linked.symlink_to(log)
    hard = tmp_path / "hard.csv"
    os.link(log, hard)
    for target in (spelled, linked, hard):
        _refused(invoke("forms", *_args(files), "--output", str(target)), files, before)
        _refused(invoke("check", *_args(files), "--errors", str(target)), files, before)
    _refused(invoke("score", *_args(files), "--output", str(hard)), files, before)
    old = os.getcwd()
    os.chdir(tmp_path)  # a relative spelling
    try:
        from kpi_cli.outputs.atomic import input_overwritten

        assert input_overwritten([("x", Path(log.name))], [("log", log)])
        assert input_overwritten([("x", Path("sub/../" + log.name))], [("log", hard)])
        assert input_overwritten([("x", Path("other.csv"))], [("log", log)]) is None
    finally:
        os.chdir(old)


def test_kpi_toml_is_an_input_too(invoke, files, tmp_path: Path) -> None:
    config = tmp_path / "kpi.toml"
    config.write_text(f'rubric = "{files["rubric"]}"\nroster = "roster.csv"\nlog = "log-2026-10.csv"\n',
                      encoding="utf-8")
    before = config.read_bytes()
    result = invoke("score", "--config", str(config), "--output", str(config), "--format", "csv")
    assert result.exit_code == 2 and "the kpi.toml" in result.stderr
    result = invoke("score", "--config", str(config), "--errors", str(config))
    assert result.exit_code == 2 and "is an input of this run" in result.stderr
    assert config.read_bytes() == before


def test_the_csv_sidecar_may_not_be_an_input(invoke, files, tmp_path: Path) -> None:
    sidecar = tmp_path / "r.csv.provenance.json"
    sidecar.symlink_to(files["roster"])
    before = _snapshot(files)
    _refused(invoke("score", *_args(files), "--output", str(tmp_path / "r.csv")), files, before)
    assert not (tmp_path / "r.csv").exists()


def test_stdout_appended_to_the_log_is_refused(files) -> None:
    before = _snapshot(files)
    with open(files["log"], "ab") as out:
        done = subprocess.run([sys.executable, "-m", "kpi_cli", "score", *_args(files), "--format", "csv"],
                              stdout=out, stderr=subprocess.PIPE, cwd=ROOT, timeout=60,
                              env={**os.environ, "NO_COLOR": "1", "KPI_LANG": "en"})
    assert done.returncode == 2, done.stderr.decode()
    assert b"stdout is an input of this run (the log" in done.stderr
    assert _snapshot(files) == before


def test_template_force_refuses_a_file_kpi_toml_reads(invoke, tmp_path: Path) -> None:
    config = tmp_path / "kpi.toml"
    config.write_text('rubric = "mini"\nroster = "roster-template.csv"\n', encoding="utf-8")
    roster = tmp_path / "roster-template.csv"
    roster.write_text("工号,姓名,部门,岗位\nG01,王芳,翠湖花园,管家\n", encoding="utf-8")
    before = roster.read_bytes()
    result = invoke("template", str(tmp_path), "--force", env={"KPI_CONFIG": str(config)})
    assert result.exit_code == 2 and "is an input of this run (the roster" in result.stderr
    assert roster.read_bytes() == before and not (tmp_path / "log-template.csv").exists()  # neither was written
    assert invoke("template", str(tmp_path / "new"), env={"KPI_CONFIG": str(config)}).exit_code == 0


# --- the ledger (issue 11, class 5): SQLite writes a database into any file it is given, an empty one included

@pytest.mark.parametrize("which", ["log", "roster", "rubric"])
@pytest.mark.parametrize("spelling", ["plain", "symlink", "hardlink"])
def test_close_refuses_a_ledger_that_is_an_input(invoke, files, tmp_path: Path, which: str, spelling: str) -> None:
    if which != "rubric":  # an empty input: SQLite would take it for a new database and fill it
        files[which].write_bytes(b"")
    before = _snapshot(files)
    db = files[which]
    if spelling == "symlink":
        (tmp_path / "ledger.db").symlink_to(db)
        db = tmp_path / "ledger.db"
    elif spelling == "hardlink":
        os.link(db, tmp_path / "ledger.db")
        db = tmp_path / "ledger.db"
    result = invoke("close", *_args(files), "--db", str(db))
    _refused(result, files, before)
    assert "--db" in result.stderr


def test_amend_refuses_a_ledger_that_is_an_input(invoke, files) -> None:
    files["roster"].write_bytes(b"")
    before = _snapshot(files)
    result = invoke("amend", "2026-10", "--rubric", str(files["rubric"]), "--log", str(files["log"]), "--reason",
                    "x", "--roster", str(files["roster"]), "--db", str(files["roster"]))
    _refused(result, files, before)


def test_reading_commands_never_turn_an_empty_file_into_a_ledger(invoke, files, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    score = invoke("score", *_args(files), "--db", str(empty))  # the change since the last period: no ledger
    assert score.exit_code == 0, score.output
    forms = invoke("forms", *_args(files), "--db", str(empty), "--output", str(tmp_path / "f.html"))
    assert forms.exit_code == 0, forms.output
    for command in (("periods",), ("history", "G01"), ("payroll", "2026-10", "--rubric", str(files["rubric"]))):
        result = invoke(*command, "--db", str(empty))
        assert result.exit_code != 0 and "no ledger at" in result.stderr, result.output
    assert empty.read_bytes() == b""


# --- two outputs of one run that are one file: the second would silently replace the first

def test_forms_output_inside_split_with_a_persons_name_is_refused(invoke, files, tmp_path: Path) -> None:
    split = tmp_path / "forms"
    split.mkdir()
    (split / "G01_王芳.html").write_text("OLD", encoding="utf-8")
    result = invoke("forms", *_args(files), "--output", str(split / "G01_王芳.html"), "--split", str(split))
    assert result.exit_code == 3 and "two files of this run are one file" in result.stderr, result.output
    assert sorted(p.name for p in split.iterdir()) == ["G01_王芳.html"]
    assert (split / "G01_王芳.html").read_text(encoding="utf-8") == "OLD"


def test_score_errors_file_and_report_may_not_be_one_file(invoke, files, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = invoke("score", *_args(files), "-o", str(target), "--errors", str(tmp_path / "." / "out.csv"))
    assert result.exit_code == 2 and "--errors and --output name one file" in result.stderr, result.output
    assert not target.exists()
