"""outputs/atomic.write_all and the names of split forms: several files, all or nothing (issue 11, class 10)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import DATA
from kpi_cli.engine.results import Subject
from kpi_cli.outputs.atomic import write_all
from kpi_cli.outputs.forms import split_file_name

EXPORT = DATA / "export"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_file_is_written(tmp_path: Path) -> None:
    write_all([(tmp_path / "a.txt", b"A"), (tmp_path / "b.txt", b"B")])
    assert _files(tmp_path) == {"a.txt": b"A", "b.txt": b"B"}
    write_all([(tmp_path / "a.txt", b"A2"), (tmp_path / "b.txt", b"B2"), (tmp_path / "c.txt", b"C")])
    assert _files(tmp_path) == {"a.txt": b"A2", "b.txt": b"B2", "c.txt": b"C"}


def test_a_failure_while_staging_changes_nothing(tmp_path: Path) -> None:
    write_all([(tmp_path / "a.txt", b"old")])
    with pytest.raises(OSError) as caught:
        write_all([(tmp_path / "a.txt", b"new"), (tmp_path / "missing" / "b.txt", b"B")])
    assert caught.value.filename == str(tmp_path / "missing" / "b.txt")  # the target, not a temporary name
    assert _files(tmp_path) == {"a.txt": b"old"}


def test_a_name_too_long_changes_nothing(tmp_path: Path) -> None:
    write_all([(tmp_path / "a.txt", b"old")])
    with pytest.raises(OSError):
        write_all([(tmp_path / "a.txt", b"new"), (tmp_path / ("张" * 90 + ".html"), b"x")])  # 270 bytes > 255
    assert _files(tmp_path) == {"a.txt": b"old"}


def test_a_failure_while_replacing_rolls_back_what_was_replaced(tmp_path: Path) -> None:
    write_all([(tmp_path / "a.txt", b"old a"), (tmp_path / "c.txt", b"old c")])
    (tmp_path / "b.txt").mkdir()  # a folder where a file must go: its replace fails, after a.txt was replaced
    with pytest.raises(OSError):
        write_all([(tmp_path / "a.txt", b"new a"), (tmp_path / "new.txt", b"new"), (tmp_path / "b.txt", b"B"),
                   (tmp_path / "c.txt", b"new c")])
    assert {p.name for p in tmp_path.iterdir()} == {"a.txt", "b.txt", "c.txt"}  # new.txt taken back, no .tmp
    assert (tmp_path / "a.txt").read_bytes() == b"old a" and (tmp_path / "c.txt").read_bytes() == b"old c"


def test_a_replaced_file_keeps_its_mode_and_a_hard_link_keeps_the_old_bytes(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    (tmp_path / "other-name").hardlink_to(target)
    write_all([(target, b"new")])
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    assert (tmp_path / "other-name").read_bytes() == b"old"


def _name(id_: str, name: str) -> str:
    return split_file_name(SimpleNamespace(subject=Subject(id_, name)))  # type: ignore[arg-type]


@pytest.mark.parametrize(("id_", "name", "expected"), [
    ("E001", "张三", "E001_张三.html"),
    ("CON", "", "_CON.html"), ("nul", "", "_nul.html"), ("COM1", "", "_COM1.html"), ("lpt9", "", "_lpt9.html"),
    ("AUX", "王芳", "AUX_王芳.html"),  # AUX_王芳 is not a device name
    ("E002", "张三. ", "E002_张三.html"), ("E003", "..", "E003.html"), ("", "...", "form.html"),
    ("E004", "a/../../etc/passwd", "E004_a_etc_passwd.html"), ("E005", "王\x1b[31m芳\u202e", "E005_王_31m芳.html"),
])
def test_split_names_are_safe_on_every_system(id_: str, name: str, expected: str) -> None:
    assert _name(id_, name) == expected


def test_a_90_character_name_is_cut_to_a_name_every_file_system_takes() -> None:
    name = _name("000101", "张" * 90)
    assert name.startswith("000101_张") and name.endswith(".html")
    assert len(name.encode("utf-8")) <= 120 and not name[:-5].endswith((".", " "))


def test_forms_split_with_a_90_character_name_writes_everything(invoke, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    text = (EXPORT / "roster.csv").read_text(encoding="utf-8").replace("王芳", "王" * 90)
    roster.write_text(text, encoding="utf-8")
    result = invoke("forms", str(EXPORT / "log-2026-10.csv"), "--rubric", str(EXPORT / "mini.yaml"), "--roster",
                    str(roster), "-o", str(tmp_path / "f.html"), "--split", str(tmp_path / "people"))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "people").iterdir())
    assert len(names) == 3 and all(len(n.encode("utf-8")) <= 120 for n in names)


def test_forms_that_cannot_write_one_file_leave_every_target_unchanged(invoke, tmp_path: Path) -> None:
    args = [str(EXPORT / "log-2026-10.csv"), "--rubric", str(EXPORT / "mini.yaml"), "--roster",
            str(EXPORT / "roster.csv"), "-o", str(tmp_path / "f.html"), "--split", str(tmp_path / "people")]
    assert invoke("forms", *args).exit_code == 0
    people = tmp_path / "people"
    last = sorted(people.iterdir())[-1]
    last.unlink()
    last.mkdir()  # the last split file cannot be replaced: a folder is in its way
    before = {p: p.read_bytes() for p in [tmp_path / "f.html", *people.iterdir()] if p.is_file()}
    shutil.copy(EXPORT / "roster.csv", tmp_path / "roster.csv")
    changed = (tmp_path / "roster.csv").read_text(encoding="utf-8").replace("翠湖花园", "翠湖花园二期")
    (tmp_path / "roster.csv").write_text(changed, encoding="utf-8")
    args[4] = str(tmp_path / "roster.csv")  # (the forms would differ)
    result = invoke("forms", *args)
    assert result.exit_code == 3 and "no form was written, the previous files are unchanged" in result.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert not [p for p in tmp_path.rglob("*.tmp")]
