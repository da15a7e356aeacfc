"""The printable forms in a real browser: headless Chromium prints them to PDF, poppler reads the PDF back.

Needs Debian's ``chromium`` (the browser), ``poppler-utils`` (pdfinfo, pdftotext: page count and text) and
a Chinese font (``fonts-noto-cjk``); .ci/run installs all three.  Without Chromium the tests are skipped;
with Chromium but without poppler or a Chinese font they fail and say what to install, since a form
printed in boxes (tofu) is no form.

poppler rather than pypdf: it comes from the same apt-get as Chromium, adds no Python dependency, and
reads the CJK text of Chromium's PDFs (through their ToUnicode maps) reliably.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLES, RUBRICS
from kpi_cli.outputs.forms import render_html, render_split
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.fidelity import pending
from kpi_cli.rubric.loader import load_rubric
from kpi_cli.engine.scoring import fmt

FORMS = DATA / "forms"
HOSTILE = "<script>alert(1)</script>"
INSTALL = "apt-get install chromium poppler-utils fonts-noto-cjk (as .ci/run does)"


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


CHROMIUM = _find_chromium()

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=f"headless Chromium is not installed here; {INSTALL}")


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = [tool for tool in ("pdfinfo", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: {INSTALL}")
    if shutil.which("fc-list"):
        chinese = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        if not chinese.strip():
            pytest.fail(f"no Chinese font installed: the forms would print as empty boxes; {INSTALL}")


def print_pdf(html: str, folder: Path, name: str = "forms") -> Path:
    """Print ``html`` with headless Chromium as the user would (file://, A4 from the page's @page rule)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.html"
    source.write_text(html, encoding="utf-8")
    pdf = folder / f"{name}.pdf"
    profile = folder / f"{name}-profile"
    env = dict(os.environ, HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"), XDG_CACHE_HOME=str(folder / "cache"))
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", source.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
    assert pdf.is_file() and pdf.stat().st_size > 0, f"Chromium printed nothing (exit {done.returncode}):\n" \
                                                     f"{done.stderr[-2000:]}"
    return pdf


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, line by line as laid out, all white space removed."""
    pages = int(pdf_info(pdf)["Pages"])
    texts = []
    for n in range(1, pages + 1):
        out = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        texts.append(re.sub(r"\s+", "", out))
    return texts


def _sheet(rubric_id: str, log: Path, roster: Path):
    rubric, problems = load_rubric(RUBRICS / f"{rubric_id}.yaml")
    assert rubric is not None, problems
    run = score_log(log, rubric, roster=roster, keep_records=True)
    assert run.ok, run.diagnostics
    return run.sheet


@pytest.fixture(scope="module")
def guanjia():
    return _sheet("guanjia", FORMS / "guanjia-2026-10.csv", FORMS / "roster.csv")


@pytest.fixture(scope="module")
def printed(guanjia, tmp_path_factory) -> Path:
    return print_pdf(render_html(guanjia, {"考核表": "rubrics/guanjia.yaml"}), tmp_path_factory.mktemp("forms"))


def test_one_a4_page_per_employee_plus_the_summary(guanjia, printed):
    info = pdf_info(printed)
    assert int(info["Pages"]) == len(guanjia.subjects) + 2 == 5  # the summary, 3 forms, the notes of the draft
    assert "A4" in info["Page size"]


def test_the_summary_page_text(printed):
    summary = page_texts(printed)[0]
    assert "物业客服员/管家月度绩效考核表" in summary and "2026年10月·考核汇总" in summary
    for expected in ("张三", "李四", HOSTILE, "98.7", "92", "71", "绩效结果分布", "客服一部", "客服二部", "84.85"):
        assert expected in summary, expected


# rank order: E001 98.7 (发放100%), E003 92 (发放50%), E002 71 (调岗或开除); guanjia has no grades
FORM_PAGES = [("E001", "张三", "98.7", "发放100%"), ("E003", HOSTILE, "92", "发放50%"),
              ("E002", "李四", "71", "调岗或开除")]


@pytest.mark.parametrize(("page", "expected"), list(enumerate(FORM_PAGES, start=2)))
def test_each_form_page_is_complete_and_ready_to_sign(printed, page, expected):
    ident, name, total, outcome = expected
    text = page_texts(printed)[page - 1]
    assert f"被考核人:{name}" in text  # the hostile name is printed as text
    assert f"工号:{ident}" in text and "考核月度:2026年10月" in text
    for heading in ("序号", "考核项目", "考核标准", "违规情况记录", "分值", "得分"):
        assert heading in text, heading
    assert "考核结果" in text and f"总分{total}分" in text and "优秀" not in text
    assert f"☑{outcome}" in text and text.count("☑") == 1 and text.count("□") == 3
    for part in ("奖扣分", "合计", "考核面谈意见", "本人签字(员工确认):", "直接上级审核:", "考核人签字:"):
        assert part in text, part
    others = [n for _, n, *_ in FORM_PAGES if n != name]
    assert not any(other in text for other in others)


def test_the_records_are_printed(printed):
    li = page_texts(printed)[3]
    assert "10-03公共平台被占用−3" in li and "10-15公共平台被占用−3" in li
    assert "管理费收缴率97%低于98%:扣" in li


def test_a_rated_form_prints_its_rater_columns(tmp_path):
    sheet = _sheet("guanliyuan", FORMS / "guanliyuan-2026-10.csv", FORMS / "roster-guanliyuan.csv")
    pdf = print_pdf(render_html(sheet), tmp_path)
    texts = page_texts(pdf)
    assert len(texts) == len(sheet.subjects) + 2 == 4
    assert "自评" in texts[1] and "直接上级" in texts[1] and "总分88.3分" in texts[1]
    assert "☑" not in "".join(texts)  # no outcome bands in this rubric: the grade only


def test_a_form_with_many_records_still_prints_on_one_page(tmp_path):
    sheet = _sheet("guanjia", FORMS / "heavy-2026-10.csv", FORMS / "roster-heavy.csv")
    texts = page_texts(print_pdf(render_html(sheet), tmp_path))
    assert len(texts) == 3  # the summary, the form, the notes
    assert "考核人签字:" in texts[1] and "(明细见kpiexplain)" in texts[1]


def test_a_split_file_prints_one_page_with_only_that_person(guanjia, tmp_path):
    name, html = render_split(guanjia)[1]
    assert name == "E003_script_alert_1_script.html"
    texts = page_texts(print_pdf(html, tmp_path, "E003"))
    assert len(texts) == 2  # the person's form, and the notes behind its ※ marks
    assert f"被考核人:{HOSTILE}" in texts[0] and "张三" not in texts[0] and "考核汇总" not in texts[0]
    assert "原表第2行缺失" in texts[1] and "张三" not in texts[1]


EXAMPLE_MONTHS = [("guanjia", "guanjia-2026-10.csv"), ("kefu", "kefu-2026-10.csv"),
                  ("guanliyuan", "guanliyuan-2026-10.csv"), ("zhongxin", "zhongxin-2026-10.csv"),
                  ("zhibiao", "zhibiao-2026-10.csv"), ("jidu", "jidu-2026Q3.csv")]


@pytest.mark.parametrize(("rubric", "log"), EXAMPLE_MONTHS)
def test_each_example_period_prints_a_page_per_employee_plus_the_summary(rubric, log, tmp_path):
    if not (EXAMPLES / log).is_file():
        pytest.skip(f"examples/{log} is not in this checkout")
    sheet = _sheet(rubric, EXAMPLES / log, EXAMPLES / "roster.csv")
    texts = page_texts(print_pdf(render_html(sheet), tmp_path))
    # the summary, a page per person, and one last page with every note behind the ※ marks (all drafts)
    assert len(texts) == len(sheet.subjects) + 2
    # (a note wraps inside its cell, and the text of a wrapped table row comes out interleaved: its start is whole)
    assert "Reconstructedparts" in texts[-1] and all(re.sub(r"\s+", "", part.note)[:6] in texts[-1]
                                                     for part in pending(sheet.rubric))
    for s, text in zip(sheet.subjects, texts[1:]):
        assert f"被考核人:{s.subject.name}" in text and f"工号:{s.subject.id}" in text
        assert f"总分{fmt(s.total)}分" in text and "本人签字(员工确认):" in text and "考核人签字:" in text
        if s.outcome is not None:
            assert f"☑{s.outcome.label}" in text and text.count("☑") == 1
