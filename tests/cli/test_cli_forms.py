"""`kpi forms`: the printable appraisal forms as an HTML document, and one file per person."""

from __future__ import annotations

import re

LOG = "tests/data/forms/guanjia-2026-10.csv"
ROSTER = "tests/data/forms/roster.csv"


def test_forms_writes_the_document(invoke, tmp_path):
    out = tmp_path / "report.html"
    result = invoke("forms", LOG, "--rubric", "guanjia", "--roster", ROSTER, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}: a summary page and 3 forms\n"
    assert "rows read 16: used 16, outside the period 0, in error 0" in result.stderr
    html = out.read_text("utf-8")
    assert html.count('<section class="page form"') == 3 and html.count('<section class="page summary"') == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    # the provenance of the run: the files and their SHA-256
    assert "考核表文件 (rubric file)" in html and "rubrics/guanjia.yaml" in html
    assert re.search(r"记录表 \(log\) SHA-256</dt><dd>[0-9a-f]{64}</dd>", html)


def test_forms_split_writes_one_file_per_person(invoke, tmp_path):
    folder = tmp_path / "people"
    result = invoke("forms", LOG, "-r", "guanjia", "--roster", ROSTER, "--split", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 3 forms to {folder}, one file per person\n"
    assert sorted(p.name for p in folder.iterdir()) == [
        "E001_张三.html", "E002_李四.html", "E003_script_alert_1_script.html"]
    li = (folder / "E002_李四.html").read_text("utf-8")
    assert "李四" in li and "张三" not in li and "考核汇总" not in li


def test_forms_to_stdout(invoke):
    result = invoke("forms", LOG, "-r", "guanjia", "--roster", ROSTER, "--output", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")


def test_forms_needs_somewhere_to_write(invoke):
    result = invoke("forms", LOG, "-r", "guanjia", "--roster", ROSTER)
    assert result.exit_code == 2
    assert "nothing to write: give --output FILE.html and/or --split FOLDER" in result.stderr
    assert result.stdout == ""


def test_forms_refuses_data_with_problems(invoke, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目\nE001,2026-10-08,没有这一项\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = invoke("forms", str(log), "-r", "guanjia", "--roster", ROSTER, "-o", str(out))
    assert result.exit_code == 1
    assert "no forms written: fix the problems above" in result.stderr
    assert not out.exists()


def test_forms_reports_a_file_it_cannot_write(invoke, tmp_path):
    out = tmp_path / "missing" / "report.html"
    result = invoke("forms", LOG, "-r", "guanjia", "--roster", ROSTER, "-o", str(out))
    assert result.exit_code == 3
    assert f"{out}: cannot write: no such file or folder; no form was written, the previous files are unchanged (io-error)" in result.stderr
