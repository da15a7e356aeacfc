"""Markdown and HTML injection (issue 11, class 11): names and notes are text in the .md report and the forms.

The Markdown report of tests/data/bad/output (names like ``<img src=x onerror=alert(1)>``,
``[点我](http://evil.example/x)``, ``*粗体* _斜_ `code` | 管道``) is rendered by a CommonMark renderer with
tables (markdown-it-py, which rich brings): no element but the table's and the headings' may come out of it,
and every name reads as typed.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import DATA
from kpi_cli.inputs.score_run import score_log
from kpi_cli.outputs.exporters.markdown_export import escape, to_markdown
from kpi_cli.outputs.forms import render_html
from kpi_cli.outputs.provenance import build_provenance
from kpi_cli.rubric.loader import load_rubric

BAD = DATA / "bad" / "output"
MINI = DATA / "export" / "mini.yaml"
HOSTILE = ["<img src=x onerror=alert(1)>", "[点我](http://evil.example/x)", "*粗体* _斜_ `code` | 管道 \\\\",
           "[/bold]王芳", ":smile: [link=http://x]张伟[/link]", "[bold red]金域[/bold red]"]
ALLOWED = {"h1", "h2", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "code", "br"}


@pytest.fixture(scope="module")
def sheet():  # type: ignore[no-untyped-def]
    rubric, problems = load_rubric(MINI)
    assert rubric is not None, problems
    run = score_log(BAD / "log_markup.csv", rubric, roster=BAD / "roster_markup.csv", keep_records=True)
    assert run.ok and run.sheet is not None, run.diagnostics
    return run.sheet


def _provenance(sheet):  # type: ignore[no-untyped-def]
    return build_provenance(rubric_id="mini", rubric_title=sheet.rubric.title, rubric_path=MINI, period="2026-10",
                            inputs=[("log", BAD / "log_markup.csv")])


def test_markdown_renders_every_name_as_text(sheet) -> None:  # type: ignore[no-untyped-def]
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(to_markdown(sheet, _provenance(sheet))
                                                                       .decode("utf-8"))
    tags = set(re.findall(r"<([a-z0-9]+)", html))
    assert tags <= ALLOWED, tags - ALLOWED  # no a, img, script, em, strong...
    cells = [unescape(c) for c in re.findall(r"<td>(.*?)</td>", html)]
    for name in HOSTILE[:2] + HOSTILE[3:]:
        assert name in cells, name
    assert "*粗体* _斜_ `code` | 管道 \\\\" in cells


@pytest.mark.parametrize("text", HOSTILE + ["www.evil.example", "a@b.example", "$x^2$", "~~删~~", "&lt;b&gt;"])
def test_escape_keeps_text_text(text: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(f"| x |\n|---|\n| "
                                                                                         f"{escape(text)} |\n")
    assert re.findall(r"<([a-z0-9]+)", html) == ["table", "thead", "tr", "th", "tbody", "tr", "td"], html
    assert unescape(re.search(r"<td>(.*)</td>", html).group(1)) == text  # type: ignore[union-attr]


def test_the_forms_escape_names_and_notes(sheet) -> None:  # type: ignore[no-untyped-def]
    page = render_html(sheet, _provenance(sheet))
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="http://evil' not in page and 'href="javascript' not in page
    assert "[点我](http://evil.example/x)" in unescape(page) and "[/bold]王芳" in page
