"""The paper trail on SQLite and PostgreSQL: a month closed, appealed, amended, signed and paid.

The month is examples/payroll (fuwu.yaml, roster.csv, log-2026-10.csv); the figures are computed by hand in
tests/engine/test_payroll.py.  李娜 (K002) appeals her 违反工作流程 record (1.5 points): without it her total is
100 − 2×2 = 96 → 优秀, 全额发放, 6666.67 × 1 = 6666.67 instead of 3333.34.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def month(tmp_path: Path) -> Path:
    folder = tmp_path / "month"
    shutil.copytree(EXAMPLES / "payroll", folder)
    fixed = folder / "log-2026-10-fixed.csv"
    fixed.write_text("".join(line for line in (folder / "log-2026-10.csv").read_text(encoding="utf-8")
                             .splitlines(keepends=True) if "违反工作流程" not in line), encoding="utf-8")
    return folder


@pytest.fixture
def kpi(invoke, db_url: str, month: Path):  # type: ignore[no-untyped-def]
    """``kpi ARGS --db URL``; closes the month first."""
    def run(*args: str):  # type: ignore[no-untyped-def]
        return invoke(*args, "--db", db_url)

    closed = run("close", str(month / "log-2026-10.csv"), "--rubric", str(month / "fuwu.yaml"), "--roster",
                 str(month / "roster.csv"), "--by", "人事小王")
    assert closed.exit_code == 0, closed.output
    return run


def rubric(month: Path) -> tuple[str, str]:
    return ("--rubric", str(month / "fuwu.yaml"))


def test_closed_appealed_amended_signed_and_paid(kpi, month: Path) -> None:  # type: ignore[no-untyped-def]
    paid = kpi("payroll", "2026-10", *rubric(month), "--format", "json")
    assert paid.exit_code == 0, paid.output
    data = json.loads(paid.stdout)
    assert [(x["id"], x["amount"]) for x in data["lines"]] == [
        ("K001", "3000.00"), ("K002", "3333.34"), ("K003", "1250.28"), ("K004", "0.00"), ("K005", None)]
    assert data["total"] == {"department": None, "people": 5, "base": "12167.22", "amount": "7583.62"}

    opened = kpi("appeal", "2026-10", "K002", "--reason", "报修单已登记,扣分有误", "--by", "李娜")
    assert opened.exit_code == 0 and "appeal #1 opened: fuwu 2026-10 K002 李娜 (version 1)" in opened.stdout
    assert "#1 fuwu 2026-10 K002 李娜 (v1)" in kpi("appeals", "--open").stdout
    refused = kpi("signoff", "2026-10", "K002", "--as", "employee", "--by", "李娜")
    assert refused.exit_code == 1 and "appeal #1 is open" in refused.output

    amended = kpi("amend", "2026-10", *rubric(month), "--log", str(month / "log-2026-10-fixed.csv"), "--reason",
                  "申诉#1成立: 报修单已登记", "--appeal", "1", "--by", "张经理")
    assert amended.exit_code == 0, amended.output
    log = month / "log-2026-10.csv"
    assert amended.stdout.splitlines()[1:] == [
        "  K002 李娜: total 94.5 → 96 · grade 良好 → 优秀 · outcome 发放50% → 全额发放 · pay 3333.34 → 6666.67",
        f"      removed {log}:4: 2026-10-17 服务质量/违反工作流程 ×1 1.5分 报修单未登记",
        "appeal #1 resolved by version 2",
    ]
    assert kpi("appeals", "--open").stdout.strip() == "no appeals"

    paid = json.loads(kpi("payroll", "2026-10", *rubric(month), "--format", "json").stdout)
    assert paid["version"] == 2 and paid["lines"][1]["id"] == "K002" and paid["lines"][1]["amount"] == "6666.67"
    assert paid["total"]["amount"] == "10916.95"  # 3000.00 + 6666.67 + 1250.28 + 0.00

    for signer, by in (("employee", "李娜"), ("supervisor", "张主管"), ("hr", "人事小王")):
        signed = kpi("signoff", "2026-10", "K002", "--as", signer, "--by", by)
        assert signed.exit_code == 0, signed.output
    assert "已锁定" in signed.stdout

    trail = kpi("audit", "2026-10", *rubric(month)).stdout
    lines = [re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", x) for x in trail.splitlines()]
    assert lines[0] == "audit of fuwu 2026-10 · current version v2"
    assert lines[1].startswith(f"v1 close · TIME · by 人事小王 · 5 people · log {log} (sha256 ")
    assert lines[2].startswith(f"v2 amendment · TIME · by 张经理 · 5 people · log {month / 'log-2026-10-fixed.csv'}")
    assert lines[3:] == [
        "  reason: 申诉#1成立: 报修单已登记",
        "  K002 李娜: total 94.5 → 96 · grade 良好 → 优秀 · outcome 发放50% → 全额发放 · pay 3333.34 → 6666.67",
        f"      removed {log}:4: 2026-10-17 服务质量/违反工作流程 ×1 1.5分 报修单未登记",
        "appeals (申诉)",
        "  #1 fuwu 2026-10 K002 李娜 (v1) · TIME by 李娜: 报修单已登记,扣分有误 · resolved by an amendment v2 (TIME, "
        "张经理): 申诉#1成立: 报修单已登记",
        "sign-off",
        "  TIME K002 李娜: employee signs → 员工已确认 (v2) by 李娜",
        "  TIME K002 李娜: supervisor signs → 上级已审核 (v2) by 张主管",
        "  TIME K002 李娜: HR signs → 已锁定 (v2) by 人事小王",
    ]


def test_amendments_are_refused_without_reason_change_or_while_locked(kpi, month: Path) -> None:  # type: ignore
    args = ("amend", "2026-10", *rubric(month), "--log")
    blank = kpi(*args, str(month / "log-2026-10-fixed.csv"), "--reason", "  ")
    assert blank.exit_code == 1 and "an amendment needs a reason" in blank.output
    same = kpi(*args, str(month / "log-2026-10.csv"), "--reason", "重算")
    assert same.exit_code == 1 and "the amendment changes nothing" in same.output
    no_appeal = kpi(*args, str(month / "log-2026-10-fixed.csv"), "--reason", "x", "--appeal", "7")
    assert no_appeal.exit_code == 1 and "appeal #7 is not an open appeal of fuwu 2026-10" in no_appeal.output
    for signer in ("employee", "supervisor", "hr"):
        assert kpi("signoff", "2026-10", "K001", "--as", signer, "--by", "x").exit_code == 0
    locked = kpi(*args, str(month / "log-2026-10-fixed.csv"), "--reason", "更正")
    assert locked.exit_code == 1 and "fuwu 2026-10 is locked (已锁定) for 1 people (K001)" in locked.output
    assert "kpi reopen 2026-10 --rubric fuwu" in locked.output
    assert kpi("reopen", "2026-10", "--reason", " ").exit_code == 1
    reopened = kpi("reopen", "2026-10", "--reason", "李娜的记录有误", "--by", "人事小王")
    assert reopened.exit_code == 0 and "1 people back to 上级已审核 (K001)" in reopened.stdout
    assert kpi("reopen", "2026-10", "--reason", "again").exit_code == 1  # nobody is locked any more
    done = kpi(*args, str(month / "log-2026-10-fixed.csv"), "--reason", "更正", "--by", "张经理")
    assert done.exit_code == 0, done.output
    assert "version 2" in done.stdout
    trail = kpi("audit", "2026-10").stdout
    assert "reopened → 上级已审核 (v1) by 人事小王 · reason: 李娜的记录有误" in trail
    assert kpi("periods").exit_code == 0


def test_record_changes_when_the_log_was_corrected_in_place(kpi, month: Path) -> None:  # type: ignore
    """The clerk edits the closed log itself, then moves it away: the close kept the log as it was, so the
    very first amendment still shows the record that changed, with the original file:line."""
    log = month / "log-2026-10.csv"
    original = log.read_text(encoding="utf-8")
    log.write_text(original.replace("K003,2026-10-20,迟到,1,,", "K003,2026-10-20,迟到,2,,"), encoding="utf-8")
    corrected = month / "corrected.csv"
    log.rename(corrected)  # the original path no longer exists at all
    first = kpi("amend", "2026-10", *rubric(month), "--log", str(corrected), "--reason", "张伟迟到2次")
    assert first.exit_code == 0, first.output
    assert "K003 张伟: total 93 → 91" in first.stdout
    assert f"changed {log}:6 → {corrected}:6: 2026-10-20 考勤管理/迟到 ×1 2分 → 2026-10-20 考勤管理/迟到 ×2 2分" \
        in first.stdout
    assert "unknown" not in first.stdout
    trail = kpi("audit", "2026-10", *rubric(month)).stdout
    assert f"changed {log}:6 → {corrected}:6" in trail
    corrected.write_text(original, encoding="utf-8")
    second = kpi("amend", "2026-10", *rubric(month), "--log", str(corrected), "--reason", "撤回: 只迟到1次")
    assert second.exit_code == 0, second.output
    assert f"changed {corrected}:6 → {corrected}:6: 2026-10-20 考勤管理/迟到 ×2 2分 → 2026-10-20 考勤管理/迟到 ×1 2分" \
        in second.stdout


def test_a_period_closed_without_its_log_kept_says_the_record_changes_are_unknown(kpi, month: Path,
                                                                                  db_url: str) -> None:  # type: ignore
    """A ledger closed by an earlier kpi-cli holds no copy of the log: when the log was then edited in place,
    the first amendment still compares the figures and says that the record-level changes are unknown."""
    from sqlalchemy import create_engine, delete

    from kpi_cli.ledger.trail_schema import files
    from kpi_cli.ledger.url import ledger_url

    engine = create_engine(ledger_url(db_url))
    with engine.begin() as connection:
        connection.execute(delete(files))  # as closed before the close kept its inputs
    engine.dispose()
    log = month / "log-2026-10.csv"
    original = log.read_text(encoding="utf-8")
    log.write_text(original.replace("K003,2026-10-20,迟到,1,,", "K003,2026-10-20,迟到,2,,"), encoding="utf-8")
    first = kpi("amend", "2026-10", *rubric(month), "--log", str(log), "--reason", "张伟迟到2次")
    assert first.exit_code == 0, first.output
    assert "K003 张伟: total 93 → 91" in first.stdout
    assert "record-level changes are unknown" in first.stdout


def test_the_close_keeps_the_log_and_roster_it_scored(kpi, month: Path, db_url: str) -> None:  # type: ignore
    import hashlib
    import zlib

    from sqlalchemy import create_engine, select

    from kpi_cli.ledger import schema
    from kpi_cli.ledger.trail_schema import files
    from kpi_cli.ledger.url import ledger_url

    engine = create_engine(ledger_url(db_url))
    with engine.connect() as connection:
        version = connection.execute(select(schema.versions)).one()
        kept = {row.sha256: zlib.decompress(row.content) for row in connection.execute(select(files))}
    engine.dispose()
    log, roster = (month / "log-2026-10.csv").read_bytes(), (month / "roster.csv").read_bytes()
    assert version.log_sha256 == hashlib.sha256(log).hexdigest()
    assert version.roster_sha256 == hashlib.sha256(roster).hexdigest()
    assert kept == {version.log_sha256: log, version.roster_sha256: roster}


def test_appeals_and_signoff_refusals(kpi, month: Path) -> None:  # type: ignore[no-untyped-def]
    assert kpi("appeal", "2026-10", "K999", "--reason", "x").exit_code == 1
    assert kpi("appeal", "2026-10", "K001", "--reason", "").exit_code == 1
    assert kpi("appeal", "2026-11", "K001", "--reason", "x").exit_code == 1  # not closed
    assert kpi("appeal", "2026-10", "K001", "--reason", "扣分有误", "--by", "王芳").exit_code == 0
    again = kpi("appeal", "2026-10", "K001", "--reason", "再次申诉")
    assert again.exit_code == 1 and "already has an open appeal for fuwu 2026-10: #1" in again.output
    assert kpi("reject-appeal", "1", "--reason", "").exit_code == 1
    rejected = kpi("reject-appeal", "1", "--reason", "考勤记录与打卡机一致", "--by", "张主管")
    assert rejected.exit_code == 0, rejected.output
    twice = kpi("reject-appeal", "1", "--reason", "x")
    assert twice.exit_code == 1 and "appeal #1 is already resolved (rejected" in twice.output
    assert kpi("reject-appeal", "9", "--reason", "x").exit_code == 1
    listed = kpi("appeals").stdout
    assert "rejected (" in listed and "考勤记录与打卡机一致" in listed
    hr_first = kpi("signoff", "2026-10", "K001", "--as", "hr")
    assert hr_first.exit_code == 1 and "cannot sign as hr: the state is 待确认: the employee signs first" in hr_first.output
    assert kpi("signoff", "2026-10", "K001", "--as", "employee").exit_code == 0
    assert kpi("signoff", "2026-10", "K001", "--as", "employee").exit_code == 1
    assert kpi("signoff", "2026-10", "K001", "--as", "boss").exit_code == 2
    assert kpi("signoff", "2026-10", "K404", "--as", "employee").exit_code == 1


def test_payroll_refuses_people_without_a_base_and_is_injection_safe(invoke, db_url: str, month: Path,
                                                                     tmp_path: Path) -> None:
    roster = month / "roster.csv"
    roster.write_text(roster.read_text(encoding="utf-8").replace("K002,李娜,翠湖花园,客服员,6666.67",
                                                                 "K002,=cmd|' /C calc'!A0,翠湖花园,客服员,")
                      .replace("王芳", "@SUM(1)"), encoding="utf-8")
    closed = invoke("close", str(month / "log-2026-10.csv"), *rubric(month), "--roster", str(roster), "--db", db_url)
    assert closed.exit_code == 0, closed.output
    refused = invoke("payroll", "2026-10", *rubric(month), "--db", db_url)
    assert refused.exit_code == 1
    assert "K002 =cmd|' /C calc'!A0 has no 绩效工资基数 (base) but outcome 发放50% pays 50% of it" in refused.output
    roster.write_text(roster.read_text(encoding="utf-8").replace("客服员,\nK003", "客服员,100\nK003"), encoding="utf-8")
    fixed = invoke("amend", "2026-10", *rubric(month), "--log", str(month / "log-2026-10.csv"), "--roster",
                   str(roster), "--reason", "补录李娜的绩效工资基数", "--db", db_url)
    assert fixed.exit_code == 0, fixed.output
    out = tmp_path / "pay.csv"
    paid = invoke("payroll", "2026-10", *rubric(month), "--output", str(out), "--db", db_url)
    assert paid.exit_code == 0, paid.output
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[1] == "K001,'@SUM(1),翠湖花园,98,全额发放,1,3000.00,3000.00"
    assert rows[2] == "K002,'=cmd|' /C calc'!A0,翠湖花园,94.5,发放50%,0.5,100.00,50.00"
    assert rows[-1] == "合计,5,5600.55,4300.28"  # 3000 + 100 + 2500.55; 3000.00 + 50.00 + 1250.28 + 0.00

    xlsx = tmp_path / "pay.xlsx"
    assert invoke("payroll", "2026-10", *rubric(month), "--output", str(xlsx), "--db", db_url).exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(xlsx)["绩效工资"]
    assert ws["B2"].value == "@SUM(1)" and ws["B2"].data_type == "s"
    assert ws["H3"].value == 50 and ws["H3"].number_format == "¥#,##0.00"
    assert ws["F3"].value == 0.5 and ws["F3"].number_format == "0%"
    own = invoke("payroll", "2026-10", *rubric(month), "--output", str(month / "fuwu.yaml"), "--format", "csv",
                 "--db", db_url)
    assert own.exit_code == 2 and "is an input of this run" in own.output


def test_printed_forms_show_the_signoff_state_and_an_open_appeal(kpi, month: Path, tmp_path: Path) -> None:  # type: ignore
    assert kpi("signoff", "2026-10", "K001", "--as", "employee", "--by", "王芳").exit_code == 0
    assert kpi("appeal", "2026-10", "K003", "--reason", "投诉不属实 <b>", "--by", "张伟").exit_code == 0
    html = tmp_path / "forms.html"
    printed = kpi("forms", str(month / "log-2026-10.csv"), *rubric(month), "--roster", str(month / "roster.csv"),
                  "--output", str(html))
    assert printed.exit_code == 0, printed.output
    text = html.read_text(encoding="utf-8")
    k001 = text[text.index('data-employee="K001"'):text.index('data-employee="K002"')]
    assert "签字状态:<b>员工已确认</b>(台账第1版)" in k001 and "✓ 王芳" in k001
    assert re.search(r"日期: \d{4}-\d\d-\d\d</div>", k001)
    k003 = text[text.index('data-employee="K003"'):text.index('data-employee="K004"')]
    assert re.search(r'<span class="appeal">申诉中 #1\(\d{4}-\d\d-\d\d\):投诉不属实 &lt;b&gt;</span>', k003)
    assert "签字状态:<b>待确认</b>" in k003 and "✓" not in k003
    assert "不一致" not in text
    fixed = kpi("forms", str(month / "log-2026-10-fixed.csv"), *rubric(month), "--roster", str(month / "roster.csv"),
                "--output", str(html))
    assert fixed.exit_code == 0 and "other totals than version 1 of the ledger for K002" in fixed.output
    assert "本表总分与台账第1版不一致" in html.read_text(encoding="utf-8")


def test_payroll_of_a_quarter_from_the_rollup_outcome(invoke, db_url: str, month: Path) -> None:
    """Q3 = mean of July, August, September, each the example month (same records, dates moved): the means
    are the monthly totals.  The roll-up's own outcomes: 全额 ≥95 (1), 发放80% 90-95 (0.8), 不发放 <90 (0).
    The base is each person's latest in the quarter: 王芳's rises to 3200 in September.

    K001 98   全额    3200    × 1   = 3200       -> 3200.00
    K002 94.5 发放80% 6666.67 × 0.8 = 5333.336   -> 5333.34
    K003 93   发放80% 2500.55 × 0.8 = 2000.44    -> 2000.44
    K004 80, K005 78: 不发放, ratio 0, no base needed -> 0.00
    total 3200.00 + 5333.34 + 2000.44 = 10533.78
    """
    rubric_file = month / "fuwu-q.yaml"
    rubric_file.write_text((month / "fuwu.yaml").read_text(encoding="utf-8") + (
        "rollup:\n  method: mean\n  missing: refuse\n  rounding: {decimals: 1}\n  outcomes:\n"
        "    - {label: 全额, min: 95, pay: 1}\n    - {label: 发放80%, min: 90, max: 95, pay: 0.8}\n"
        "    - {label: 不发放, max: 90, pay: 0}\n"), encoding="utf-8")
    log = (month / "log-2026-10.csv").read_text(encoding="utf-8")
    roster = (month / "roster.csv").read_text(encoding="utf-8")
    for m in ("07", "08", "09"):
        (month / f"log-{m}.csv").write_text(log.replace("2026-10-", f"2026-{m}-"), encoding="utf-8")
        (month / f"roster-{m}.csv").write_text(roster.replace("客服员,3000", "客服员,3200") if m == "09" else roster,
                                               encoding="utf-8")
        closed = invoke("close", str(month / f"log-{m}.csv"), "--rubric", str(rubric_file), "--roster",
                        str(month / f"roster-{m}.csv"), "--db", db_url)
        assert closed.exit_code == 0, closed.output
    paid = invoke("payroll", "2026Q3", "--rubric", str(rubric_file), "--format", "json", "--db", db_url)
    assert paid.exit_code == 0, paid.output
    data = json.loads(paid.stdout)
    assert [(x["id"], x["total"], x["outcome"], x["pay_ratio"], x["base"], x["amount"]) for x in data["lines"]] == [
        ("K001", "98", "全额", "1", "3200.00", "3200.00"),
        ("K002", "94.5", "发放80%", "0.8", "6666.67", "5333.34"),
        ("K003", "93", "发放80%", "0.8", "2500.55", "2000.44"),
        ("K004", "80", "不发放", "0", None, "0.00"),
        ("K005", "78", "不发放", "0", None, "0.00"),
    ]
    assert data["total"]["amount"] == "10533.78"


def test_a_ledger_of_issue_13_is_upgraded_and_keeps_its_periods(db_url: str, month: Path, invoke) -> None:  # type: ignore
    """A ledger at revision 0001_ledger with a closed period (no 绩效工资基数 column yet) is upgraded in place on
    first use: the period stays, its bases are unknown, so payroll names the people who need one."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from kpi_cli.ledger.store import _config, known_revisions
    from kpi_cli.ledger.url import ledger_url

    engine = create_engine(ledger_url(db_url))
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001_ledger")
        connection.execute(text("INSERT INTO ledger_periods (id, rubric_id, period, kind, closed_by, closed_at) "
                                "VALUES (1, 'fuwu', '2026-10', 'month', 'old', '2026-11-01T00:00:00Z')"))
        connection.execute(text(
            "INSERT INTO ledger_versions (id, period_id, number, kind, created_by, created_at, kpi_version, "
            "rubric_file, rubric_sha256, rubric_text, log_file, log_sha256, log_bytes, rows_read, rows_used, "
            "rows_outside, rows_error, subjects) VALUES (1, 1, 1, 'close', 'old', '2026-11-01T00:00:00Z', '0.1', "
            "'fuwu.yaml', 'x', '', 'log.csv', 'y', 1, 2, 2, 0, 0, 2)"))
        connection.execute(text(
            "INSERT INTO ledger_results (version_id, subject_id, name, department, role, total, raw_total, "
            "adjustment_total, grade, outcome, pay, rank, department_rank) VALUES "
            "(1, 'K001', '王芳', '翠湖花园', '客服员', '98', '98', '0', '优秀', '全额发放', '1', 1, 1), "
            "(1, 'K004', '赵敏', '金域华府', '客服员', '80', '80', '0', '合格', '不发放', '0', 2, 1)"))
    engine.dispose()
    paid = invoke("payroll", "2026-10", *rubric(month), "--db", db_url)
    assert paid.exit_code == 1
    assert "K001 王芳 has no 绩效工资基数 (base) but outcome 全额发放 pays 100% of it" in paid.output
    assert "K004" not in paid.output  # 发放比例 0: no base needed
    engine = create_engine(ledger_url(db_url))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == known_revisions()[1]
    engine.dispose()


def test_audit_and_appeals_as_json_carry_exact_figures_and_file_lines(kpi, month: Path) -> None:  # type: ignore
    """K002's 违反工作流程 record (1.5 points) removed: 94.5 → 96.0, pay 6666.67 × 0.5 = 3333.34 → 6666.67."""
    assert kpi("appeal", "2026-10", "K002", "--reason", "报修单已登记", "--by", "李娜").exit_code == 0
    fixed = month / "log-2026-10-fixed.csv"
    assert kpi("amend", "2026-10", *rubric(month), "--log", str(fixed), "--reason", "申诉#1成立", "--appeal", "1",
               "--by", "张经理").exit_code == 0
    assert kpi("signoff", "2026-10", "K002", "--as", "employee", "--by", "李娜").exit_code == 0
    shown = kpi("audit", "2026-10", *rubric(month), "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert (data["schema"], data["rubric"], data["period"], data["current_version"]) == ("kpi-audit/1", "fuwu",
                                                                                        "2026-10", 2)
    close, amendment = data["versions"]
    assert (close["version"], close["kind"], close["by"], close["people"]) == (1, "close", "人事小王", 5)
    assert close["log"]["file"] == str(month / "log-2026-10.csv") and "changes" not in close
    assert (amendment["kind"], amendment["reason"], amendment["by"]) == ("amend", "申诉#1成立", "张经理")
    assert (amendment["records_known"], amendment["unchanged"]) == (True, 4)
    assert amendment["changes"] == [{
        "id": "K002", "name": "李娜", "department": "翠湖花园", "fields": ["total", "grade", "outcome", "pay"],
        "old": {"total": "94.5", "grade": "良好", "outcome": "发放50%", "ratio": "0.5", "pay": "3333.34"},
        "new": {"total": "96.0", "grade": "优秀", "outcome": "全额发放", "ratio": "1", "pay": "6666.67"},
        "records": [{"change": "removed", "old_location": f"{month / 'log-2026-10.csv'}:4", "new_location": None,
                     "old": "2026-10-17 服务质量/违反工作流程 ×1 1.5分 报修单未登记", "new": None}]}]
    assert [(a["number"], a["state"], a["resolved_version"]) for a in data["appeals"]] == [(1, "amended", 2)]
    assert [(e["id"], e["action"], e["state"], e["state_label"], e["version"]) for e in data["signoffs"]] == [
        ("K002", "employee", "confirmed", "员工已确认", 2)]
    assert data["states"]["K002"]["state"] == "confirmed"

    listed = json.loads(kpi("appeals", "--format", "json").stdout)
    assert listed["schema"] == "kpi-appeals/1"
    assert [(a["number"], a["id"], a["name"], a["reason"], a["state"], a["resolution"]) for a in listed["appeals"]] \
        == [(1, "K002", "李娜", "报修单已登记", "amended", "申诉#1成立")]
    assert json.loads(kpi("appeals", "--open", "--format", "json").stdout)["appeals"] == []
