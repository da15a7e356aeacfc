"""A workbook's archive checked before openpyxl opens it: declared sizes, member counts and compression ratios
(zip bombs, shared-string bombs) refused with a located message."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.i18n import _
from kpi_cli.inputs.table_rows import (
    io_error,
    problem,
)

# ---------------------------------------------------------------------------------------------------- limits

#: A member of the archive may inflate to at most this many times its compressed size (a sheet Excel writes is
#: 5-20 times; a zip bomb is 1000 times) once it is larger than ``_RATIO_FROM``.
MAX_RATIO = 100
_RATIO_FROM = 1 << 20
#: The shared strings are held in memory by openpyxl: at most 64 MB of XML (a million distinct notes).
MAX_SHARED_STRINGS = 64 << 20
#: Any one member, and all of them together, uncompressed.
MAX_MEMBER = 1 << 30
MAX_TOTAL = 2 << 30
MAX_MEMBERS = 10_000


def archive_problem(name: str, path: Path | str) -> Diagnostic | None:
    """Why the workbook's archive is refused before it is opened (a zip bomb, huge shared strings), or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return None  # damaged: openpyxl's own message says so
    except OSError as exc:
        return io_error(name, exc)
    if len(infos) > MAX_MEMBERS:
        return _refused(name, _("it holds {count} files, more than the {most} a workbook has").format(
            count=f"{len(infos):,}", most=f"{MAX_MEMBERS:,}"))
    total = 0
    for info in infos:
        size, packed = info.file_size, max(1, info.compress_size)
        total += size
        what = info.filename
        if size > MAX_MEMBER:
            return _refused(name, _("its part {part} would inflate to {size}, more than {most}").format(
                part=what, size=_mb(size), most=_mb(MAX_MEMBER)))
        if size > _RATIO_FROM and size > MAX_RATIO * packed:
            return _refused(name, _("its part {part} would inflate to {size}, more than {ratio} times its {packed} "
                                    "in the file (a part Excel writes inflates 5 to 20 times): a zip bomb?").format(
                part=what, size=_mb(size), ratio=MAX_RATIO, packed=_mb(packed)))
        if info.filename.lower().endswith("sharedstrings.xml") and size > MAX_SHARED_STRINGS:
            return _refused(name, _("its shared strings would take {size}, more than {most}").format(
                size=_mb(size), most=_mb(MAX_SHARED_STRINGS)))
    if total > MAX_TOTAL:
        return _refused(name, _("it would inflate to {size}, more than {most}").format(size=_mb(total),
                                                                                        most=_mb(MAX_TOTAL)))
    return None


def _refused(name: str, why: str) -> Diagnostic:
    return problem(name, _("workbook refused before reading it: {why}; save the log from Excel again, or as CSV "
                           "UTF-8").format(why=why),
                   "workbook-too-big")


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB" if size >= 1 << 20 else f"{max(1, size >> 10):,} KB"


# ---------------------------------------------------------------------------------------------------- XLSX
