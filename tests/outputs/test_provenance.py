"""Provenance: hashes of the rubric and the inputs, the version and an injectable time of the run."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kpi_cli import __version__
from kpi_cli.outputs.provenance import build_provenance, file_sha256, run_time

NOW = datetime(2026, 11, 1, 1, 5, tzinfo=timezone.utc)


def test_file_sha256_matches_hashlib(tmp_path: Path) -> None:
    data = "工号,日期\n".encode() * 100_000  # more than one read chunk
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    assert file_sha256(path) == (hashlib.sha256(data).hexdigest(), len(data))


def test_build_provenance(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_bytes(b"id: r\n")
    (tmp_path / "log.csv").write_bytes(b"a\n")
    (tmp_path / "roster.csv").write_bytes(b"b\n")
    p = build_provenance(rubric_id="r", rubric_title="T", rubric_path=tmp_path / "r.yaml", period="2026-10",
                         inputs=[("log", tmp_path / "log.csv"), ("roster", tmp_path / "roster.csv")],
                         rows=(("read", 1), ("used", 1)), now=NOW)
    assert p.rubric_sha256 == hashlib.sha256(b"id: r\n").hexdigest()
    assert [(f.role, f.sha256, f.size) for f in p.inputs] == [
        ("log", hashlib.sha256(b"a\n").hexdigest(), 2), ("roster", hashlib.sha256(b"b\n").hexdigest(), 2)]
    assert p.run_at_text == "2026-11-01T01:05:00Z"
    assert p.as_dict() == {
        "tool": "kpi-cli",
        "version": __version__,
        "run_at": "2026-11-01T01:05:00Z",
        "rubric": {"id": "r", "title": "T", "file": str(tmp_path / "r.yaml"),
                   "sha256": hashlib.sha256(b"id: r\n").hexdigest()},
        "period": "2026-10",
        "inputs": [
            {"role": "log", "file": str(tmp_path / "log.csv"), "sha256": hashlib.sha256(b"a\n").hexdigest(),
             "bytes": 2},
            {"role": "roster", "file": str(tmp_path / "roster.csv"), "sha256": hashlib.sha256(b"b\n").hexdigest(),
             "bytes": 2},
        ],
        "rows": {"read": 1, "used": 1},
    }
    labels = [label for label, _ in p.lines()]
    assert labels == ["生成工具 (tool)", "生成时间 (run at, UTC)", "考核表 (rubric)", "考核表文件 (rubric file)",
                      "考核表 SHA-256", "考核周期 (period)", "记录表 (log)", "记录表 (log) SHA-256", "花名册 (roster)",
                      "花名册 (roster) SHA-256", "记录行数 (rows)"]


def test_missing_input_raises_oserror(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_bytes(b"id: r\n")
    with pytest.raises(OSError):
        build_provenance(rubric_id="r", rubric_title="T", rubric_path=tmp_path / "r.yaml", period="2026-10",
                         inputs=[("log", tmp_path / "gone.csv")], now=NOW)


def test_run_time_is_injectable() -> None:
    assert run_time(NOW) == NOW
    assert run_time(datetime(2026, 11, 1, 1, 5)) == NOW  # a naive time is taken as UTC
    local = NOW.astimezone(timezone(timedelta(hours=8)))
    assert run_time(local) == NOW
    assert run_time(None, {"SOURCE_DATE_EPOCH": "1793495100"}) == NOW  # 2026-11-01T01:05:00Z
    before = datetime.now(timezone.utc).replace(microsecond=0)
    now = run_time(None, {})
    assert now.tzinfo is not None and before <= now <= datetime.now(timezone.utc)
