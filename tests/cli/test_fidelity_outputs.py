"""Every output a person reads says that a rubric is a draft with reconstructed parts, until it is adopted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, RUBRICS
from kpi_cli.inputs.score_run import score_log
from kpi_cli.outputs.forms import render_html
from kpi_cli.i18n import set_language
from kpi_cli.rubric.loader import load_rubric

ROSTER = "examples/roster.csv"
BANNER = "草案 · 含重建内容 21 处（标【重建】，说明见 kpi show guanjia）：公司采用前不是公司制度"


def adopted_copy(tmp_path: Path, name: str = "guanjia") -> Path:
    """The shipped rubric, adopted by a company."""
    text = (RUBRICS / f"{name}.yaml").read_text(encoding="utf-8")
    text = text.replace("status: draft ", "status: adopted\nadopted_by: 人力资源部 张三\nadopted_on: 2026-11-30\n#")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_counts_the_reconstructed_parts_of_each_rubric(invoke) -> None:
    result = invoke("validate", "rubrics")
    assert result.exit_code == 0
    counts = dict(re.findall(r"rubrics/(\w+)\.yaml: rubric \w+ is a draft with (\d+) reconstructed parts", result.stdout))
    # guanjia: missing_rating, 3 rater weights, 奖扣分, row 1 name + 4 rule figures, rows 2/4/5/6, row 3 分值 and
    # its rule, the 业务水平 rating, 3 rules across periods, the rollup = 1 + 3 + 1 + 5 + 4 + 2 + 1 + 3 + 1 = 21
    # zhongxin: the total, the 收费投诉 deduction from the total, 4 grades = 1 + 1 + 4 = 6
    # kefu: the period, 部门考核排名最后 placed under 培训管理, 联系单's name, 快递管理's 应得分 and its cut rule,
    # the role of rows 9 and 12, 4 grades = 1 + 1 + 1 + 2 + 2 + 4 = 11
    assert counts == {"guanjia": "21", "guanliyuan": "8", "jidu": "16", "kefu": "11", "zhibiao": "19",
                      "zhongxin": "6"}
    assert result.stdout.endswith("6 files, 6 rubrics valid, 0 problems\n")


def test_an_adopted_rubric_is_no_draft(invoke, tmp_path: Path) -> None:
    path = adopted_copy(tmp_path)
    result = invoke("validate", str(path))
    assert result.stdout == "1 files, 1 rubrics valid, 0 problems\n"
    show = invoke("--lang", "zh", "show", str(path))
    assert "已采用：人力资源部 张三，2026-11-30" in show.stdout
    assert "adopted: 人力资源部 张三, 2026-11-30" in invoke("show", str(path)).stdout  # English: through the catalog
    assert "草案" not in show.stdout and "重建" not in show.stdout
    score = invoke("score", "examples/guanjia-2026-10.csv", "--rubric", str(path), "--roster", ROSTER)
    assert "draft" not in score.stderr


def test_show_marks_the_draft_each_reconstructed_part_and_lists_the_notes(invoke) -> None:
    out = invoke("--lang", "zh", "show", "guanjia").stdout
    assert out.splitlines()[1] == BANNER
    english = invoke("show", "guanjia").stdout.splitlines()
    assert english[1].startswith("draft · 21 reconstructed parts (marked 【重建】, listed by kpi show guanjia)")
    assert "直接上级×50% 【重建】 + 间接上级×30% 【重建】 + 物业经理×20% 【重建】" in out
    assert "客户接待与投诉处理 【重建】" in out and "档案管理 【重建】" not in out
    assert "奖扣分: 每次 ±1-10分, 当期合计不超过 ±10分 (超出时拒绝计分), 须注明原因 【重建】" in out
    assert "各项扣完为止, 合计不超过满分 100, 不低于0" in out
    assert "【重建】说明（不是原表内容）：" in out
    assert "12. 考核项目 管理费收缴 (items[2]): 原表第3行的分值缺失" in out
    kefu = invoke("show", "kefu").stdout
    assert "扣分从合计中扣除 (不按项扣完为止), 合计不超过满分 100, 不低于0" in kefu


def test_the_score_footer_says_draft(invoke) -> None:
    result = invoke("score", "examples/kefu-2026-10.csv", "--rubric", "kefu", "--roster", ROSTER)
    assert ("rubric kefu is a draft with 11 reconstructed parts (marked 重建, not in the source form) until the "
            "company adopts it (status: adopted)") in result.stderr
    chinese = invoke("--lang", "zh", "score", "examples/kefu-2026-10.csv", "--rubric", "kefu", "--roster", ROSTER)
    assert "考核表 kefu 是草案，含重建内容 11 处" in chinese.stderr


def test_explain_marks_the_affected_lines(invoke) -> None:
    out = invoke("--lang", "zh", "explain", "examples/kefu-2026-10.csv", "--rubric", "kefu", "--roster", ROSTER,
                 "--employee", "000204").stdout
    assert "草案 · 含重建内容 11 处" in out
    assert "等级: 不及格 【重建】 (< 70)" in out  # kefu's grades are not on the form
    # 自我管理 (10): 有效投诉 −10 + 争吵 −5; deducted from the total: 10 − 15 = −5
    assert "10 − 15 = -5: 扣分从合计中扣除 (不按项扣完为止)" in out


@pytest.mark.parametrize(("name", "log"), [("guanjia", "guanjia-2026-10.csv"), ("guanliyuan", "guanliyuan-2026-10.csv")])
def test_every_printed_page_carries_the_draft_mark(name: str, log: str) -> None:
    rubric, _ = load_rubric(RUBRICS / f"{name}.yaml")
    assert rubric is not None
    run = score_log(EXAMPLES / log, rubric, roster=EXAMPLES / "roster.csv", keep_records=True)
    assert run.sheet is not None
    set_language("zh")
    html = render_html(run.sheet)
    pages = re.findall(r'<section class="page [^"]*".*?</section>', html, re.S)
    assert len(pages) == len(run.sheet.subjects) + 2  # the summary, the forms, the notes
    for page in pages:
        assert '<p class="draft">草案 · 含重建内容' in page and "说明见末页「重建内容说明」" in page
        assert '<b class="draft-mark">草案 · 含重建内容</b>' in page  # and in the footer
    form = pages[1]
    if name == "guanjia":  # the reconstructed rows are marked ※ (the banner says what ※ means)
        assert '<td class="name">客户接待与投诉处理 ※</td>' in form and '<td class="name">档案管理</td>' in form
        assert "直接上级×50% ※" in form
    else:
        assert '<td class="name">客户投诉处理 ※</td>' in form and '<td class="name">爱岗敬业</td>' in form


def test_an_adopted_rubric_prints_no_mark(tmp_path: Path) -> None:
    rubric, problems = load_rubric(adopted_copy(tmp_path))
    assert rubric is not None, problems
    run = score_log(EXAMPLES / "guanjia-2026-10.csv", rubric, roster=EXAMPLES / "roster.csv", keep_records=True)
    assert run.sheet is not None
    html = render_html(run.sheet)
    assert "草案" not in html and "※" not in html


def test_markdown_and_xlsx_exports_carry_the_note(invoke, tmp_path: Path) -> None:
    import openpyxl

    md = tmp_path / "r.md"
    xlsx = tmp_path / "r.xlsx"
    for path in (md, xlsx):
        result = invoke("--lang", "zh", "score", "examples/kefu-2026-10.csv", "--rubric", "kefu", "--roster", ROSTER,
                        "-o", str(path))
        assert result.exit_code == 0, result.stderr
    note = "草案 · 含重建内容 11 处（标【重建】，说明见 kpi show kefu）：公司采用前不是公司制度"
    assert md.read_text(encoding="utf-8").splitlines()[2] == f"> **{note}**"  # under the title, above the table
    book = openpyxl.load_workbook(xlsx, read_only=True)
    about = [tuple(c.value for c in row) for row in book["生成信息"].iter_rows(min_row=2, max_row=3)]
    assert about[1] == ("考核表状态 (status)", note)
    assert book.properties.description == note
    # and what each 【重建】 stands for: a sheet in the workbook, a last section in the markdown
    notes = [tuple(c.value for c in row) for row in book["重建内容说明"].iter_rows()]
    assert len(notes) == 1 + 11 and notes[0] == ("序号 (no.)", "重建部分 (part)", "位置 (path)", "说明 (note)")
    assert notes[3] == (3, "考核项目 联系单/工作跟进", "items[5]", "原表此行（第6行）的序号和考核内容缺失，名称为重建")
    md_lines = md.read_text(encoding="utf-8").splitlines()
    section = md_lines.index("## 重建内容说明 (reconstructed parts)")
    assert md_lines[section + 6] == "| 3 | 考核项目 联系单/工作跟进 | items\\[5\\] | 原表此行（第6行）的序号和考核内容缺失，名称为重建 |"


def test_json_export_lists_the_reconstructed_parts(invoke, tmp_path: Path) -> None:
    import json

    out = tmp_path / "r.json"
    result = invoke("score", "examples/kefu-2026-10.csv", "--rubric", "kefu", "--roster", ROSTER, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["rubric"]["status"], doc["rubric"]["draft"], len(doc["rubric"]["reconstructed"])) == ("draft", True, 11)
    assert doc["rubric"]["reconstructed"][2] == {"path": "items[5]", "what": "item 联系单/工作跟进",
                                                 "note": "原表此行（第6行）的序号和考核内容缺失，名称为重建"}
    sunhao = next(s for s in doc["subjects"] if s["id"] == "000204")
    # 自我管理 10 − 15 = −5 (deduct_from: total); 100 − 37 = 63; nothing bounded
    assert next(i for i in sunhao["items"] if i["id"] == "ziwo")["score"] == "-5"
    assert (sunhao["total"], sunhao["bounded"], sunhao["adjustment_recorded"]) == ("63.0", None, "0")
