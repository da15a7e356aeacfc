"""Issue 11 (full disks, paths): an output that is a device or a pipe (``-o /dev/null``, ``--errors /dev/full``,
a named pipe) is written through, never replaced by a renamed temporary file.  Before, as root, ``kpi score -o
/dev/full`` renamed a regular file over the device (for the whole machine) and exited 0; now the device stays a
device, a full one is exit 3, and no ``.provenance.json`` sidecar is put beside it."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from conftest import DATA
from kpi_cli.outputs.atomic import is_special, write_all, write_atomic

EXPORT = DATA / "export"
ARGS = [str(EXPORT / "log-2026-10.csv"), "--rubric", str(EXPORT / "mini.yaml"), "--roster", str(EXPORT / "roster.csv")]


def _device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (1, 3) or /dev/full (1, 7) in a test folder; needs root (else skip)."""
    path = folder / name
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def _still_a_device(path: Path) -> bool:
    return stat.S_ISCHR(os.stat(path).st_mode)


def test_a_pipe_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_all([(fifo, [b"a,", b"b\n"])])
    reader.join(10)
    assert got == [b"a,b\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file, no backup


def test_regular_files_and_folders_are_not_special(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    assert not is_special(tmp_path / "f") and not is_special(tmp_path) and not is_special(tmp_path / "missing")


def test_a_null_device_stays_a_device(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    write_atomic(null, b"gone")
    write_all([(null, b"gone too")])
    assert _still_a_device(null) and sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_full_device_is_a_full_disk(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    with pytest.raises(OSError) as caught:
        write_atomic(full, b"x" * 10)
    assert caught.value.errno == 28  # ENOSPC
    assert _still_a_device(full)


@pytest.mark.parametrize("command", [("score", "--format", "csv", "-o"), ("score", "--format", "xlsx", "-o"),
                                     ("check", "--errors"), ("forms", "--output")])
def test_every_writer_reports_a_full_device_with_exit_3(invoke, tmp_path: Path, command: tuple[str, ...]) -> None:
    full = _device(tmp_path, "full", 7)
    args = list(ARGS)
    if command[0] == "check":  # an errors file needs a problem
        args[0] = str(EXPORT / "log-bad.csv")
    result = invoke(command[0], *args, *command[1:], str(full))
    assert result.exit_code == 3, result.output
    assert "the disk is full" in result.stderr and "Traceback" not in result.output
    assert _still_a_device(full) and sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_a_csv_report_to_a_null_device_has_no_sidecar(invoke, tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    result = invoke("score", *ARGS, "--format", "csv", "-o", str(null))
    assert result.exit_code == 0, result.output
    assert _still_a_device(null) and sorted(p.name for p in tmp_path.iterdir()) == ["null"]
