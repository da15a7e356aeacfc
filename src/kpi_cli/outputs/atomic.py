"""Atomic file writes: the target is either the old file or the complete new one.

The new content goes to a temporary file in the target's own folder (so the
final :func:`os.replace` is a rename on one file system, atomic on POSIX and
Windows), is flushed to disk, and only then renamed over the target.  Whatever
goes wrong before the rename (an exception, Ctrl-C, a full disk), the
temporary file is removed and the previous report is left exactly as it was.
A process killed outright (SIGKILL, power loss) can leave a ``.NAME.*.tmp``
file beside the target, never a half-written target.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO



def is_special(path: Path | str) -> bool:
    """Whether ``path`` is an existing device, FIFO or socket (``/dev/null``, ``/dev/full``, a named pipe): such a
    target is written through, never replaced by a renamed temporary file (as root, a rename over ``/dev/full``
    would have turned the device into a regular file for the whole machine, and hidden the full disk)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _write_through(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` straight into the special file ``path`` (errors such as ENOSPC from /dev/full raise)."""
    with open(path, "wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            for piece in data:
                handle.write(piece)
        handle.flush()


def _mode_for(path: Path) -> int:
    """Keep the mode of the file being replaced; a new file gets the usual 0666 & ~umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(path: Path | str) -> Iterator[BinaryIO]:
    """``with atomic_writer(p) as fh: fh.write(...)``: ``p`` is replaced only if the block succeeds.

    Raises OSError when the folder is missing or not writable (nothing is changed then).
    """
    target = Path(path)
    if is_special(target):
        import io

        buffer = io.BytesIO()
        yield buffer  # type: ignore[misc]
        _write_through(target, buffer.getvalue())
        return
    folder = target.parent
    temp: str | None = None
    try:
        with _signals_held():  # an interrupt can never fall between creating the temporary file and knowing it
            fd, temp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException:
        if temp is not None:
            _unlink(Path(temp))
        raise
    _fsync_folder(folder)


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as handle:
        handle.write(data)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------------------------
# Several files, all or nothing; and the one guard that no output is an input.


def _short(name: str) -> str:
    """The target's name, cut so that ``.NAME.XXXXXXXX.tmp`` stays under the 255 bytes of a file name."""
    while len(name.encode("utf-8")) > 200:
        name = name[:-1]
    return name


def _temp_name(target: Path) -> Path:
    import secrets

    return target.with_name(f".{_short(target.name)}.{secrets.token_hex(4)}.tmp")


def _stage(target: Path, data: bytes | Iterable[bytes], staged: list[tuple[Path, Path]]) -> Path:
    """Write ``data`` to a new temporary file beside ``target``, listed in ``staged`` as soon as it exists
    (signals held in between, so an interrupt can never leave an unlisted temporary file).

    ``data``: the bytes, or pieces of them made as they are written (a large report is never whole in memory)."""
    with _signals_held():
        fd, name = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".tmp", dir=target.parent)
        temp = Path(name)
        staged.append((target, temp))
    with os.fdopen(fd, "wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            for piece in data:
                handle.write(piece)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, _mode_for(target))
    return temp


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _backup(target: Path) -> Path | None:
    """A hard link to the file about to be replaced (a copy where links are not supported); None if none."""
    if not target.exists():
        return None
    backup = _temp_name(target)
    try:
        os.link(target, backup)
    except OSError:
        import shutil

        shutil.copy2(target, backup)
    return backup


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT/SIGTERM/SIGHUP wait while the targets are being replaced (a few renames), then arrive."""
    import signal

    held = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_all(files: list[tuple[Path, bytes | Iterable[bytes]]]) -> None:
    """Write every ``(path, data)``, all or nothing.

    Every file is first written in full to a temporary file beside its target
    (``.NAME.XXXXXXXX.tmp``) and flushed to disk; only when all of them are
    there are the targets replaced, one rename each, with signals held.  If a
    rename fails, the targets already replaced get their previous content back
    (or are removed, if they are new).  Whatever fails (a full disk, a name the
    file system refuses, Ctrl-C, SIGTERM), every target is as it was before,
    and no temporary file is left.  Raises the OSError (nothing changed then).
    """
    _refuse_twice(files)
    special = [(Path(t), d) for t, d in files if is_special(t)]  # /dev/null, a FIFO: written through, last
    files = [(t, d) for t, d in files if not is_special(t)]
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            try:
                _stage(Path(target), data, staged)
            except OSError as exc:  # name the target, not its temporary file
                raise OSError(exc.errno, exc.strerror, str(target)) from exc
        with _signals_held():
            _commit(staged)
    finally:
        for _target, temp in staged:
            _unlink(temp)  # (gone already when committed)
    for folder in {t.parent for t, _ in staged}:
        _fsync_folder(folder)
    for target, data in special:
        _write_through(target, data)


def _refuse_twice(files: list[tuple[Path, bytes | Iterable[bytes]]]) -> None:
    """Two files of one run that are one file (``--output`` inside ``--split`` with a person's name, a link):
    the second would silently replace the first.  Raises OSError before anything is written."""
    seen: list[Path] = []
    for target, _data in files:
        path = Path(target)
        resolved = Path(os.path.normcase(os.path.realpath(path)))
        if any(resolved == other or same_file(path, other) for other in seen):
            from kpi_cli.i18n import _

            raise OSError(None, _("two files of this run are one file"), str(path))  # (no errno: said as is)
        seen.append(resolved)


def _commit(staged: list[tuple[Path, Path]]) -> None:
    done: list[tuple[Path, Path | None]] = []
    backups: list[Path] = []
    try:
        for target, temp in staged:
            backup = _backup(target)
            if backup is not None:
                backups.append(backup)
            os.replace(temp, target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        raise
    finally:
        for backup in backups:
            _unlink(backup)


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two paths are one file: through symlinks, hard links (same inode) and any spelling of the path."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        try:
            return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
        except (OSError, ValueError):
            return False


def stdout_is(path: Path | str) -> bool:
    """Whether stdout is this very file (``kpi score ... >> log.csv``)."""
    import sys

    try:
        out = os.fstat(sys.stdout.fileno())
        other = os.stat(path)
    except (OSError, ValueError, AttributeError):
        return False
    return (out.st_dev, out.st_ino) == (other.st_dev, other.st_ino)


def input_overwritten(outputs: Iterable[tuple[str, Path | str]],
                      inputs: Iterable[tuple[str, Path | str | None]]) -> str | None:
    """THE guard: why an output would overwrite an input of the run, or None.

    ``outputs`` are ``(what, path)``, ``-`` for stdout; ``inputs`` are ``(role, path)`` (``what`` and ``role``
    marked with ``N_`` by the callers: they are translated here)
    (the log, the roster, the rubric, kpi.toml).  Every command that writes asks this
    before it writes anything.
    """
    known = [(role, Path(p)) for role, p in inputs if p is not None and str(p) != "-"]
    for what, path in outputs:
        for role, source in known:
            if (stdout_is(source) if str(path) == "-" else same_file(path, source)):
                from kpi_cli.i18n import _

                shown = "stdout" if str(path) == "-" else str(path)
                return _("{what} {path} is an input of this run (the {role}, {source}): kpi never overwrites its "
                         "inputs; write it elsewhere").format(what=_(what), path=shown, role=_(role), source=source)
    return None
