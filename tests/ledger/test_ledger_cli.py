"""kpi close / periods / history / rollup from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from ledger.ledger_support import DATA, ROSTERS

RUBRIC = str(DATA / "yuedu.yaml")


def _close(invoke, db: str, month: str, *extra: str):  # type: ignore[no-untyped-def]
    roster = str(ROSTERS.get(month, DATA / "roster.csv"))
    return invoke("close", str(DATA / f"{month}.csv"), "--rubric", RUBRIC, "--roster", roster, "--db", db,
                  "--by", "邓丽华", *extra)


def test_close_periods_history_rollup(invoke, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _close(invoke, db_url, "2026-07")
    assert first.exit_code == 0, first.output
    assert "closed yuedu 2026-07: 4 people, by 邓丽华" in first.stdout
    assert "A003 张伟: 季度内2次以上违纪 → 书面警告 (2026-07)" in first.stdout
    again = _close(invoke, db_url, "2026-07")
    assert again.exit_code == 1
    assert "yuedu 2026-07 is already closed (by 邓丽华" in again.stderr and "kpi amend 2026-07" in again.stderr
    assert "Traceback" not in again.output
    for month in ("2026-08", "2026-09"):
        assert _close(invoke, db_url, month, "--quiet").stdout == ""
    listed = invoke("periods", "--db", db_url)
    assert listed.exit_code == 0
    assert "3 closed periods" in listed.stdout and "邓丽华" in listed.stdout

    history = invoke("history", "A003", "--db", db_url)
    assert history.exit_code == 0, history.output
    out = history.stdout
    assert "张伟 (A003)" in out and "+25" in out and "+15" in out  # 30 → 55 → 70
    assert "连续2个月不及格 → 调岗或开除 (2026-07, 2026-08)" in " ".join(out.split())
    assert "趋势 ▁▅█  30 → 70 (3 期)" in out
    assert "劳动纪律: 2026-07 ×5, 2026-08 ×4, 2026-09 ×3" in out
    assert invoke("history", "Z999", "--db", db_url).exit_code == 1

    refused = invoke("rollup", "2026Q3", "--rubric", RUBRIC, "--db", db_url)
    assert refused.exit_code == 1
    assert "A004 陈静 has no result for 2026-08" in refused.stderr

    present = tmp_path / "present.yaml"
    present.write_text(Path(RUBRIC).read_text(encoding="utf-8").replace("missing: refuse", "missing: present"),
                       encoding="utf-8")
    csv = invoke("rollup", "2026Q3", "--rubric", str(present), "--db", db_url, "--format", "csv")
    assert csv.exit_code == 0, csv.output
    assert csv.stdout.splitlines()[1:3] == ["1,A004,陈静,二部,97.5,,100,98.8,优秀,全额,1",
                                            "2,A001,王芳,一部,100,95,100,98.3,优秀,全额,1"]
    receipt = invoke("rollup", "2026Q3", "--rubric", str(present), "--db", db_url, "--employee", "A004")
    assert "计算: (97.5 + 100) / 2 = 98.75" in receipt.stdout
    assert "2026-08: 无结果 (不计入)" in receipt.stdout
    xlsx = tmp_path / "q3.xlsx"
    assert invoke("rollup", "2026Q3", "-r", str(present), "--db", db_url, "-o", str(xlsx)).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[2]][:8] == [1, "A004", "陈静", "二部", 97.5, None, 100, 98.8]


def test_a_corrupt_ledger_file_is_a_message_not_a_traceback(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "kpi.db"
    bad.write_text("not a database, just text\n" * 50, encoding="utf-8")
    result = _close(invoke, str(bad), "2026-07")
    assert result.exit_code == 3
    assert f"the ledger {bad} cannot be used: file is not a database" in result.stderr
    assert "Traceback" not in result.output
    assert invoke("periods", "--db", str(tmp_path / "none.db")).exit_code == 1
    assert not (tmp_path / "none.db").exists()
