"""Atomic writes: the target is the old file or the complete new one, never anything in between."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kpi_cli.outputs.atomic import atomic_writer, write_atomic


def test_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


@pytest.mark.parametrize("failure", [RuntimeError("the exporter broke"), KeyboardInterrupt()],
                         ids=["exporter-error", "interrupt"])
def test_failure_inside_the_block_leaves_the_old_file_and_no_temporary(tmp_path: Path, failure) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the previous good report")
    with pytest.raises(type(failure)):
        with atomic_writer(target) as handle:
            handle.write(b"half of a new rep")
            raise failure
    assert target.read_bytes() == b"the previous good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_temporary_file_is_in_the_same_folder(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    with atomic_writer(target) as handle:
        names = [p.name for p in tmp_path.iterdir()]
        assert len(names) == 1 and names[0].startswith(".r.json.") and names[0].endswith(".tmp")
        assert not target.exists()  # nothing at the target until the block is done
        handle.write(b"{}")
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    assert target.read_bytes() == b"{}"


def test_missing_folder_is_an_oserror_and_changes_nothing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_atomic(tmp_path / "no-such-folder" / "r.csv", b"x")
    assert list(tmp_path.iterdir()) == []


def test_target_that_is_a_folder_is_an_oserror(tmp_path: Path) -> None:
    (tmp_path / "r.csv").mkdir()
    with pytest.raises(OSError):
        write_atomic(tmp_path / "r.csv", b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_mode_of_a_replaced_file_is_kept_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_bytes(b"x")
    old.chmod(0o640)
    write_atomic(old, b"y")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.csv", b"z")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_pieces_made_while_writing_fail_midway_leaving_the_old_file(tmp_path: Path) -> None:
    from kpi_cli.outputs.atomic import write_all

    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    def pieces():  # type: ignore[no-untyped-def]
        yield b'{"subjects": ['
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_all([(target, pieces())])
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    write_all([(target, iter([b"new ", b"content"]))])
    assert target.read_bytes() == b"new content"
