"""The printable forms (html_forms): structure, escaping, ticked outcome, rated columns, split files.

Fixtures: tests/data/forms/ (a roster of three, one of them named ``<script>alert(1)</script>``,
and logs for the guanjia and guanliyuan rubrics).  The browser check is test_forms_browser.py.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, RUBRICS
from kpi_cli.outputs import forms as html_forms
from kpi_cli.outputs.forms import form_page, page_fit, summary_page
from kpi_cli.outputs.forms import render_form, render_html, render_split, split_file_name, write_forms
from kpi_cli.inputs.score_run import score_log
from kpi_cli.rubric.loader import load_rubric

FORMS = DATA / "forms"
HOSTILE = "<script>alert(1)</script>"


def _sheet(rubric_id: str, log: str, roster: str):
    rubric, problems = load_rubric(RUBRICS / f"{rubric_id}.yaml")
    assert rubric is not None, problems
    run = score_log(FORMS / log, rubric, roster=FORMS / roster, keep_records=True)
    assert run.ok, run.diagnostics
    return run.sheet


@pytest.fixture(scope="module")
def guanjia():
    return _sheet("guanjia", "guanjia-2026-10.csv", "roster.csv")


@pytest.fixture(scope="module")
def guanliyuan():
    return _sheet("guanliyuan", "guanliyuan-2026-10.csv", "roster-guanliyuan.csv")


@pytest.fixture(scope="module")
def document(guanjia) -> str:
    return render_html(guanjia, {"考核表": "rubrics/guanjia.yaml"})


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _pages(html: str) -> list[str]:
    """The ``<section class="page ...">`` blocks, in order."""
    return re.findall(r'<section class="page [^"]*".*?</section>', html, re.S)


def _form_of(html: str, employee: str) -> str:
    return next(p for p in _pages(html) if f'data-employee="{employee}"' in p)


def _row(form: str, item: str) -> str:
    """The item table row of ``item`` in a form."""
    return next(r for r in re.findall(r'<tr class="item">.*?</tr>', form, re.S)
                if re.search(f'<td class="name">{re.escape(item)}( ※)?</td>', r))  # ※: a reconstructed item


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", " ".join(_parse(fragment).text)).strip()


# ---- the document -------------------------------------------------------------------------------------------


def test_a_summary_page_then_one_form_page_per_employee_best_first(document):
    pages = _pages(document)
    assert len(pages) == 1 + 3 + 1  # the summary, three forms, the notes of the draft rubric
    assert 'id="summary"' in pages[0] and 'id="reconstructed-notes"' in pages[-1]
    # ranked: E001 98.7, E003 92, E002 71
    assert [re.search(r'data-employee="([^"]+)"', p).group(1) for p in pages[1:-1]] == ["E001", "E003", "E002"]
    sections = [attrs["class"] for tag, attrs in _parse(document).tags if tag == "section"]
    assert sections == ["page summary", "page form", "page form", "page form", "page notes"]


def test_the_document_is_self_contained(document):
    tags = {tag for tag, _ in _parse(document).tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert "<script" not in document
    for fetch in ("http:", "https:", "url(", "@import", "src=", "@font-face"):
        assert fetch not in document
    assert "<style>" in document and "<svg" in document
    assert '<meta charset="utf-8">' in document


def test_print_css_a4_page_breaks_and_a_chinese_font_stack(document):
    css = document[document.index("<style>"):document.index("</style>")]
    assert re.search(r"@page\s*{\s*size:\s*A4", css)
    assert "break-after: page" in css and "page-break-after: always" in css
    stack = re.search(r"html {\s*font-family: ([^;]+);", css).group(1)
    fonts = [f.strip().strip('"') for f in stack.split(",")]
    assert fonts[0] == "Noto Sans CJK SC" and "Microsoft YaHei" in fonts and "PingFang SC" in fonts
    assert "WenQuanYi Zen Hei" in fonts and fonts[-1] == "sans-serif"


def test_a_hostile_name_is_escaped_and_shown_as_text(document):
    assert HOSTILE not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert HOSTILE in _text(_form_of(document, "E003"))
    assert HOSTILE in _text(_pages(document)[0])  # the ranking
    # a note with markup is text too
    assert "<b>未归档" not in document
    assert "装修资料 &lt;b&gt;未归档&lt;/b&gt; &amp; 未扫描" in document


def test_the_header_of_a_form(document):
    text = _text(_form_of(document, "E002"))
    assert "物业客服员/管家月度绩效考核表" in text
    for expected in ("岗位: 物业客服员", "被考核人: 李四", "工号: E002", "部门: 客服一部", "考核月度: 2026年10月"):
        assert expected in text


def test_the_item_table_columns_and_the_raters_of_a_rated_rubric(document):
    form = _form_of(document, "E001")
    head = _text(form[form.index("<thead>"):form.index("</thead>")])
    # guanjia rates 业务水平 by its three raters: a column each
    assert head == "序号 考核项目 考核标准 违规情况记录 分值 直接上级 间接上级 物业经理 得分"


def test_the_records_are_listed_with_date_rule_points_and_note(document):
    text = _text(_form_of(document, "E002"))
    assert "10-03 公共平台被占用 −3 3栋21层平台堆放杂物" in text
    assert "10-15 公共平台被占用 −3 5栋8层平台堆放杂物" in text
    # the metric: 97% is below 98% → the 20 points of 管理费收缴 are lost
    assert "管理费收缴率 97% 低于98%: 扣20分" in text
    # only the 直接上级 rated 业务水平: reweighted (missing_rating: reweight)
    assert "无间接上级、物业经理评分, 权重按其余评分人分配" in text


def test_adjustments_with_their_reasons_and_the_total(document):
    form = _form_of(document, "E001")
    text = _text(form)
    # items 15+12+20+10+10+(12−2)+(14×0.5+13×0.3+14×0.2 = 13.7)+6 = 96.7; 奖扣分 +2 → 98.7
    assert "10-20 +2 拾金不昧" in text
    assert "各项得分 96.7 + 奖扣分 2 = 98.7" in text
    assert re.search(r'<span class="big total">98.7</span>', form)
    assert 'class="big grade"' not in form  # guanjia has no grades: the form has none, the outcome is the result
    assert '<td class="num">13.7</td>' not in form  # the 业务水平 score is the 得分 cell...
    assert '<td class="num score lost">13.7</td>' in form  # ...marked as short of its 15
    ratings = re.findall(r'<td class="num">(\d+)</td>', _row(form, "业务水平"))
    assert ratings == ["7", "15", "14", "13", "14"]  # 序号, 分值, then 直接上级 14, 间接上级 13, 物业经理 14


@pytest.mark.parametrize(("employee", "ticked"), [("E001", "发放100%"), ("E003", "发放50%"), ("E002", "调岗或开除")])
def test_exactly_the_outcome_box_of_the_total_is_ticked(document, employee, ticked):
    form = _form_of(document, employee)
    boxes = re.findall(r'<span class="box( on)?"><span class="mark">(.)</span>([^<]+)</span>', form)
    assert [label for _, _, label in boxes] == ["发放100%", "发放50%", "发放0%", "调岗或开除"]
    assert [(label, mark) for on, mark, label in boxes if on] == [(ticked, "☑")]
    assert all(mark == "□" for on, mark, _ in boxes if not on)
    assert f"☑ {ticked}" in _text(form)


def test_every_form_has_the_interview_area_and_the_signature_lines(document):
    for page in _pages(document)[1:-1]:
        text = _text(page)
        assert "考核面谈意见" in text
        for who in ("本人签字(员工确认):", "直接上级审核:", "考核人签字:"):
            assert who in text
        assert text.count("日期:") == 3
        assert "隐私和保密原则" in text


def test_a_rubric_without_outcomes_shows_the_grade_only_and_rated_columns(guanliyuan):
    html = render_html(guanliyuan)
    assert "☑" not in html and "□" not in html and "绩效浮动比例" not in html
    form = _form_of(html, "G001")
    head = _text(form[form.index("<thead>"):form.index("</thead>")])
    assert head == "序号 考核项目 考核标准 违规情况记录 分值 自评 直接上级 得分"
    row = _row(form, "沟通协调")
    # 沟通协调: 自评 10, 直接上级 9 → 10×0.3 + 9×0.7 = 9.3
    assert re.findall(r'<td class="num[^"]*">([\d.]+)</td>', row) == ["2", "10", "10", "9", "9.3"]
    assert "合格 9-10分 · 部分合格 3-9分(不含9分)" in _text(row)
    assert "10-31 直接上级 与工程部协调不及时" in _text(row)
    text = _text(form)
    assert "评分项得分 = 自评×30% + 直接上级×70%" in text
    # 90×0.3 + 89×0.7 = 89.3; 奖扣分 −1 → 88.3 ≥ 81: 优秀
    assert "各项得分 89.3 − 奖扣分 1 = 88.3" in text
    assert re.search(r'<span class="big grade">优秀 ※</span>', form)  # guanliyuan's grades are reconstructed
    assert "<th class=\"grade\">等级</th>" in form


# ---- the summary page ----------------------------------------------------------------------------------------


def test_the_summary_ranking_grades_chart_and_departments(document):
    summary = _pages(document)[0]
    text = _text(summary)
    assert "2026年10月 · 考核汇总" in text
    ranking = summary[summary.index('<table class="ranking">'):summary.index("</table>", summary.index("ranking"))]
    rows = [_text(r) for r in re.findall(r"<tr>.*?</tr>", ranking[ranking.index("<tbody>"):], re.S)]
    assert rows == [
        "1 E001 张三 客服一部 管家 +2 98.7 发放100% 1",
        f"2 E003 {HOSTILE} 客服二部 管家 92 发放50% 1",
        "3 E002 李四 客服一部 物业客服员 71 调岗或开除 2",
    ]
    # (98.7 + 92 + 71) / 3 = 87.233… → 87.23
    assert "考核人数 3 平均分 87.23 最低分 71 最高分 98.7" in text
    counts = re.findall(r'<tr><td class="num">([^<]+)</td><td class="num">[^<]+</td><td class="num">(\d+)</td></tr>',
                        summary)
    assert counts == [("发放100%", "1"), ("发放50%", "1"), ("发放0%", "0"), ("调岗或开除", "1")]
    # 客服一部: (98.7 + 71) / 2 = 84.85, 71 – 98.7; 客服二部: 92
    departments = summary[summary.index('<table class="departments">'):]
    assert "<tr><td>客服一部</td><td class=\"num\">2</td><td class=\"num\">84.85</td>" in departments
    assert "71 – 98.7" in departments and "92 – 92" in departments
    assert "考核表" in text and "rubrics/guanjia.yaml" in text  # the provenance


def test_the_chart_is_an_inline_svg_with_a_bar_per_grade_or_outcome(document, guanliyuan):
    # guanjia has no grades: one bar per outcome (1, 1, 0, 1 people)
    svg = document[document.index("<svg"):document.index("</svg>")]
    bars = [(attrs["height"], attrs["y"]) for tag, attrs in _parse(svg + "</svg>").tags if tag == "rect"]
    assert len(bars) == 4  # 发放100% 发放50% 发放0% 调岗或开除
    heights = [float(h) for h, _ in bars]
    assert heights[2] == 0 and heights[0] > 0
    assert heights[0] == pytest.approx(heights[1]) == pytest.approx(heights[3])
    assert "<title>发放100%: 1</title>" in svg and "绩效结果分布 (人数)" in svg
    # guanliyuan has grades: one bar per grade
    html = render_html(guanliyuan)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert sum(1 for tag, _ in _parse(svg + "</svg>").tags if tag == "rect") == 4 and "等级分布 (人数)" in svg


def test_chart_geometry():
    chart = summary_page.bar_chart("t", [("a", 0), ("b", 7), ("c", 3)])
    assert [b.count for b in chart.bars] == [0, 7, 3]
    assert [t for t, _ in chart.ticks] == [0, 2, 4, 6, 8]  # steps of 2 up to 8 ≥ 7
    assert chart.bars[0].height == 0 and chart.bars[1].y < chart.bars[2].y
    assert all(b.y + b.height == pytest.approx(chart.baseline, abs=0.1) for b in chart.bars)
    assert summary_page.bar_chart("t", []) is None


def test_provenance_objects_with_lines_are_shown():
    class P:
        def lines(self):
            return [("生成工具 (tool)", "kpi-cli 0.1.0"), ("考核表 SHA-256", "ab" * 32)]

    assert summary_page.provenance_rows(P()) == (("生成工具 (tool)", "kpi-cli 0.1.0"), ("考核表 SHA-256", "ab" * 32))
    assert summary_page.provenance_rows({"记录": "log.csv", "花名册": None}) == (("记录", "log.csv"),)
    assert summary_page.provenance_rows(None) == ()


# ---- one page per person, however many records ----------------------------------------------------------------


def test_a_form_with_many_records_is_fitted_on_one_page_by_grouping_then_cutting(guanjia):
    draft = _sheet("guanjia", "heavy-2026-10.csv", "roster-heavy.csv")
    # adopted: no 草案 line under the title, so the rows get the room this test measures
    adopted = draft.rubric.model_copy(update={"status": "adopted", "adopted_by": "人力资源部", "adopted_on": None})
    sheet = dataclasses.replace(draft, rubric=adopted)
    # the draft, with its 草案 line, has less room: still one page, and the cut rows still add up
    form = form_page.build_form(draft, draft.subjects[0])
    assert sum(page_fit.row_mm(row, draft.rubric) for row in form.rows) + page_fit.row_mm(form.adjustments, draft.rubric) \
        <= page_fit.rows_budget(draft.rubric, draft.subjects[0], draft.period.label)
    assert sum(-Decimal(x.points[1:]) for x in form.rows[0].lines if x.points) == Decimal(-18)
    form = form_page.build_form(sheet, sheet.subjects[0])
    heights = [page_fit.row_mm(row, sheet.rubric) for row in form.rows]
    budget = page_fit.rows_budget(sheet.rubric, sheet.subjects[0], sheet.period.label)
    assert sum(heights) + page_fit.row_mm(form.adjustments, sheet.rubric) <= budget
    lines = [line for row in form.rows for line in row.lines]
    # records grouped by rule with their dates (the notes give way)...
    assert any(line.date == "10-01、10-16" and line.text == "公共平台被占用×2" and line.points == "−6" for line in lines)
    # ...and what still does not fit is summed up, never silently dropped
    cut = [line for line in lines if line.text.startswith("另有")]
    assert cut and all(line.points.startswith("−") for line in cut)
    first = form.rows[0]
    shown = sum(-Decimal(x.points[1:]) for x in first.lines if x.points)
    # row 1: six records of 3 points = −18, however they are shown
    assert shown == Decimal(-18)


def test_a_form_that_fits_is_not_cut(document):
    assert "另有" not in document


# ---- one file per person ---------------------------------------------------------------------------------------


def test_split_file_names_are_the_id_and_a_safe_name(guanjia):
    names = [name for name, _ in render_split(guanjia)]
    assert names == ["E001_张三.html", "E003_script_alert_1_script.html", "E002_李四.html"]
    s = guanjia.subjects[0]
    for ident, name, expected in [("../../etc", "x", "etc_x.html"), ("A/1", "王 五", "A_1_王_五.html"),
                                  ("E9", "", "E9.html"), ("", "..", "form.html")]:
        subject = type(s.subject)(ident, name, "", "管家")
        assert split_file_name(type(s)(subject, (), (), s.total, s.total, None, None, None)) == expected


def test_each_split_file_holds_only_its_own_form(guanjia):
    files = dict(render_split(guanjia))
    for name, html in files.items():
        pages = _pages(html)  # the person's form and the notes behind its ※ marks
        assert len(pages) == 2 and 'class="page form"' in pages[0] and 'class="page notes"' in pages[1]
        assert 'id="summary"' not in html and "考核汇总" not in html
    mine = files["E001_张三.html"]
    assert "张三" in mine and "李四" not in mine and "&lt;script&gt;" not in mine and "92" not in _text(mine)
    assert files["E003_script_alert_1_script.html"].count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # title + form
    assert render_form(guanjia, guanjia.subjects[0]) == mine


def test_write_forms_writes_the_document_and_the_split_folder(guanjia, tmp_path):
    written, problems = write_forms(guanjia, output=tmp_path / "report.html", split=tmp_path / "people",
                                    provenance={"考核表": "guanjia"})
    assert problems == []
    assert written[0] == tmp_path / "report.html"
    assert sorted(p.name for p in (tmp_path / "people").iterdir()) == [
        "E001_张三.html", "E002_李四.html", "E003_script_alert_1_script.html"]
    assert (tmp_path / "report.html").read_text("utf-8") == render_html(guanjia, {"考核表": "guanjia"})
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_write_forms_reports_a_folder_it_cannot_write(guanjia, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    written, problems = write_forms(guanjia, output=tmp_path / "missing" / "report.html")
    assert written == [] and [p.code for p in problems] == ["io-error"]
    assert problems[0].file == str(tmp_path / "missing" / "report.html")
    written, problems = write_forms(guanjia, split=blocker / "people")
    assert written == [] and [p.code for p in problems] == ["io-error"]


def test_jinja2_is_imported_only_to_render():
    import subprocess
    import sys

    code = "import sys, kpi_cli.cli, kpi_cli.outputs.forms; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_templates_are_package_data():
    folder = Path(html_forms.__file__).parent / html_forms.TEMPLATE_DIR
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "form.html.j2", "forms.css", "forms.html.j2", "notes.html.j2", "summary.html.j2"]
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8")
    assert '"outputs/forms/templates/*"' in pyproject
