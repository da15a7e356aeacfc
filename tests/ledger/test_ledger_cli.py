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
    early = invoke("close", str(DATA / "2026-07.csv"), "--rubric", RUBRIC, "--roster", str(DATA / "roster.csv"),
                   "--db", db_url, "--period", "2026-07")
    assert early.exit_code == 1 and "rows read" not in early.stderr  # refused before the log is read
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
    # each month as closed: its grade, rank and version (the lean roll-up read once printed "-, 第0名")
    assert "2026-07: 总分 97.5 (优秀, 第2名, 版本 1)" in receipt.stdout
    assert "2026-09: 总分 100 (优秀, 第1名, 版本 1)" in receipt.stdout
    explained = invoke("explain", "--rollup", "2026Q3", "-r", str(present), "-e", "A004", "--db", db_url)
    assert explained.exit_code == 0 and explained.stdout == receipt.stdout
    xlsx = tmp_path / "q3.xlsx"
    assert invoke("rollup", "2026Q3", "-r", str(present), "--db", db_url, "-o", str(xlsx)).exit_code == 0
    # a workbook is never poured onto the terminal, and a file name that says no format is asked about
    binary = invoke("rollup", "2026Q3", "-r", str(present), "--db", db_url, "--format", "xlsx")
    assert binary.exit_code == 2 and binary.stdout == "" and "cannot be printed" in binary.stderr
    unnamed = invoke("rollup", "2026Q3", "-r", str(present), "--db", db_url, "-o", str(tmp_path / "q3.pdf"))
    assert unnamed.exit_code == 2 and "cannot tell the format of q3.pdf" in unnamed.stderr
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[2]][:8] == [1, "A004", "陈静", "二部", 97.5, None, 100, 98.8]


def test_a_corrupt_ledger_file_is_a_message_not_a_traceback(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "kpi.db"
    bad.write_text("not a database, just text\n" * 50, encoding="utf-8")
    result = _close(invoke, str(bad), "2026-07")
    assert result.exit_code == 3
    assert f"the ledger {bad} cannot be used: the file is not a SQLite database" in result.stderr
    assert "Traceback" not in result.output
    assert invoke("periods", "--db", str(tmp_path / "none.db")).exit_code == 1
    assert not (tmp_path / "none.db").exists()


OCTOBER = "工号,日期,考核项目,次数,扣分,备注\nA003,2026-10-12,违纪,5,,\nA001,2026-10-03,迟到,3,,\n"


def test_score_explain_and_forms_show_the_ledger(invoke, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for month in ("2026-07", "2026-08", "2026-09"):
        assert _close(invoke, db_url, month, "--quiet").exit_code == 0
    log = tmp_path / "2026-10.csv"
    log.write_text(OCTOBER, encoding="utf-8")
    roster = str(DATA / "roster.csv")
    score = invoke("score", str(log), "-r", RUBRIC, "--roster", roster, "--db", db_url)
    assert score.exit_code == 0, score.output
    # October by hand: A001 40 − 3×5 = 25 + 60 = 85 (was 100); A003 40 + 60 − 5×10 = 50 (was 70);
    # A002 and A004 100 (were 95 and 100)
    assert "与上期 2026-09 相比" in score.stdout and "升 1 人, 降 2 人, 持平 1 人, 上期无 0 人" in score.stdout
    assert "A001 王芳: 100 → 85 (−15, 优秀 → 合格)" in score.stdout
    assert "A003 张伟: 70 → 50 (−20, 合格 → 不及格)" in score.stdout
    # A002: 优秀 in August, September and October: 3 in a row; A003: 5 违纪 in the new quarter Q4
    assert "跨期规则 A002 刘洋: 连续3个月优秀 → 评优候选 (2026-08, 2026-09, 2026-10)" in score.stdout
    assert "跨期规则 A003 张伟: 季度内2次以上违纪 → 书面警告 (2026-10)" in score.stdout

    explain = invoke("explain", str(log), "-r", RUBRIC, "--roster", roster, "-e", "A003", "--db", db_url)
    assert "上期 2026-09: 70 (合格) → 本期 50 (−20)" in explain.stdout
    assert "趋势 ▁▅█▅  30 → 55 → 70 → 50" in explain.stdout

    html = tmp_path / "forms.html"
    forms = invoke("forms", str(log), "-r", RUBRIC, "--roster", roster, "-o", str(html), "--db", db_url)
    assert forms.exit_code == 0, forms.output
    text = html.read_text(encoding="utf-8")
    assert text.count('class="trend-chart"') == 4  # everyone has closed periods before October
    assert "⚑ 连续3个月优秀 → 评优候选 (2026-08, 2026-09, 2026-10)" in text
    assert ">26-07</text>" in text and ">50</text>" in text

    without = invoke("score", str(log), "-r", RUBRIC, "--roster", roster, "--db", str(tmp_path / "none.db"))
    assert without.exit_code == 0 and "与上期" not in without.stdout
    assert not (tmp_path / "none.db").exists()


def test_the_monthly_cron_close_with_kpi_toml(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """README "Running the year": kpi close --quiet with a kpi.toml closes last month into kpi.db beside it."""
    import os
    import shutil

    from kpi_cli.cli import app

    (tmp_path / "logs").mkdir()
    shutil.copy(DATA / "2026-09.csv", tmp_path / "logs" / "2026-09.csv")
    shutil.copy(DATA / "roster.csv", tmp_path / "roster.csv")
    shutil.copy(DATA / "yuedu.yaml", tmp_path / "yuedu.yaml")
    (tmp_path / "kpi.toml").write_text('rubric = "yuedu.yaml"\nroster = "roster.csv"\nlog = "logs/{period}.csv"\n'
                                       'period = "last-month"\noutput_dir = "reports"\n'
                                       'filename = "{rubric}-{period}.csv"\n', encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        env = {"KPI_TODAY": "2026-10-01", "USER": "cron"}
        closed = runner.invoke(app, ["close", "--quiet"], env=env, catch_exceptions=False)
        assert closed.exit_code == 0 and closed.output == ""
        scored = runner.invoke(app, ["score", "--quiet"], env=env, catch_exceptions=False)
        assert scored.exit_code == 0 and (tmp_path / "reports" / "yuedu-2026-09.csv").exists()
        listed = runner.invoke(app, ["periods"], env=env, catch_exceptions=False)
        assert "yuedu" in listed.stdout and "2026-09" in listed.stdout and "cron" in listed.stdout
        again = runner.invoke(app, ["close", "--quiet"], env=env, catch_exceptions=False)
        assert again.exit_code == 1 and "already closed" in again.stderr
    finally:
        os.chdir(old)
    assert (tmp_path / "kpi.db").exists()
