"""kpi rollup --output goes through the one guard (outputs.atomic.input_overwritten): never the ledger itself,
the rubric or kpi.toml (issue 11, class 5)."""

from __future__ import annotations

from pathlib import Path

from ledger.ledger_support import DATA, ROSTERS

RUBRIC = str(DATA / "yuedu.yaml")


def test_rollup_refuses_to_write_over_the_ledger_or_the_rubric(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "kpi.db"
    present = tmp_path / "present.yaml"
    present.write_text(Path(RUBRIC).read_text(encoding="utf-8").replace("missing: refuse", "missing: present"),
                       encoding="utf-8")
    for month in ("2026-07", "2026-08", "2026-09"):
        closed = invoke("close", str(DATA / f"{month}.csv"), "--rubric", RUBRIC, "--roster",
                        str(ROSTERS.get(month, DATA / "roster.csv")), "--db", str(db), "--by", "邓丽华", "--quiet")
        assert closed.exit_code == 0, closed.output
    before = db.read_bytes(), present.read_bytes()
    for target in (db, tmp_path / "sub" / ".." / "kpi.db", present):
        refused = invoke("rollup", "2026Q3", "-r", str(present), "--db", str(db), "-o", str(target), "--format", "csv")
        assert refused.exit_code == 2, refused.output
        assert "is an input of this run" in refused.stderr
    assert (db.read_bytes(), present.read_bytes()) == before
    assert invoke("rollup", "2026Q3", "-r", str(present), "--db", str(db), "-o", str(tmp_path / "q3.csv")).exit_code == 0
