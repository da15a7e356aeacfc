"""How a report was made: which rubric, which input files, which period, which kpi-cli, when.

Every export carries a :class:`Provenance`.  The rubric and the inputs are
identified by the SHA-256 of their bytes, so anyone can check that a report
belongs to the files they have (``sha256sum log.csv``), and scoring the same
files again gives the same figures.  The time of the run is the only thing that
differs between two runs; it is injectable (``now=``, or the
``SOURCE_DATE_EPOCH`` convention of reproducible builds) so tests and audits can
pin it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kpi_cli import __version__

TOOL = "kpi-cli"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class InputFile:
    role: str  # log | roster
    path: str  # as given (or as resolved from kpi.toml)
    sha256: str
    size: int


@dataclass(frozen=True)
class Provenance:
    rubric_id: str
    rubric_title: str
    rubric_path: str
    rubric_sha256: str
    period: str
    inputs: tuple[InputFile, ...]
    run_at: datetime  # timezone-aware, UTC
    version: str = __version__
    tool: str = TOOL
    rows: tuple[tuple[str, int], ...] = field(default=())  # read / used / outside_period / errors

    @property
    def run_at_text(self) -> str:
        """``2026-11-01T01:05:00Z``"""
        return self.run_at.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"

    def as_dict(self) -> dict[str, object]:
        """The ``provenance`` object of the JSON export (a stable shape)."""
        return {
            "tool": self.tool,
            "version": self.version,
            "run_at": self.run_at_text,
            "rubric": {"id": self.rubric_id, "title": self.rubric_title, "file": self.rubric_path,
                       "sha256": self.rubric_sha256},
            "period": self.period,
            "inputs": [{"role": f.role, "file": f.path, "sha256": f.sha256, "bytes": f.size} for f in self.inputs],
            "rows": dict(self.rows),
        }

    def lines(self) -> list[tuple[str, str]]:
        """Label / value pairs for the spreadsheet and text exports (labels in Chinese and English)."""
        pairs = [
            ("生成工具 (tool)", f"{self.tool} {self.version}"),
            ("生成时间 (run at, UTC)", self.run_at_text),
            ("考核表 (rubric)", f"{self.rubric_id} · {self.rubric_title}"),
            ("考核表文件 (rubric file)", self.rubric_path),
            ("考核表 SHA-256", self.rubric_sha256),
            ("考核周期 (period)", self.period),
        ]
        names = {"log": "记录表 (log)", "roster": "花名册 (roster)"}
        for f in self.inputs:
            label = names.get(f.role, f.role)
            pairs.append((label, f.path))
            pairs.append((f"{label} SHA-256", f.sha256))
        if self.rows:
            pairs.append(("记录行数 (rows)", ", ".join(f"{k} {v}" for k, v in self.rows)))
        return pairs


def file_sha256(path: Path | str) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks; raises OSError."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def run_time(now: datetime | None = None, environ: Mapping[str, str] | None = None) -> datetime:
    """The time of the run in UTC: ``now`` if given, else ``SOURCE_DATE_EPOCH`` if set, else the clock."""
    if now is not None:
        return now if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def build_provenance(
    *,
    rubric_id: str,
    rubric_title: str,
    rubric_path: Path | str,
    period: str,
    inputs: Iterable[tuple[str, Path | str]],
    rows: Iterable[tuple[str, int]] = (),
    now: datetime | None = None,
) -> Provenance:
    """Hash the rubric file and every ``(role, path)`` input; raises OSError when one cannot be read."""
    rubric_sha, _size = file_sha256(rubric_path)
    files = []
    for role, path in inputs:
        sha, size = file_sha256(path)
        files.append(InputFile(role, str(path), sha, size))
    return Provenance(rubric_id, rubric_title, str(rubric_path), rubric_sha, period, tuple(files),
                      run_time(now), rows=tuple(rows))
