"""Data is never markup, never a terminal code (issue 11, class 4).

Roster names, departments and notes that look like rich markup (``[/bold]王芳``, ``[/]``,
``翠湖[b]花园``), HTML or Markdown print literally from every command; ESC and the other C0/C1
controls and bidi overrides in a file never reach stdout or stderr: they show as ``\\x1b``,
``\\u202e``.  The corpus is tests/data/bad/output/.
"""

from __future__ import annotations

import re

import pytest

BAD = "tests/data/bad/output"
MINI = "tests/data/export/mini.yaml"
MARKUP = (f"{BAD}/log_markup.csv", "--rubric", MINI, "--roster", f"{BAD}/roster_markup.csv")
CONTROLS = (f"{BAD}/log_controls.csv", "--rubric", MINI, "--roster", f"{BAD}/roster_controls.csv")
# What must never be printed: C0 controls but tab and line feed, DEL, C1, bidi controls, line separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _clean(result) -> str:  # type: ignore[no-untyped-def]
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "MarkupError" not in text, text
    assert not UNSAFE.search(text), repr(UNSAFE.search(text))
    return text


@pytest.mark.parametrize("extra", [(), ("--layout", "full"), ("--layout", "compact"), ("--format", "markdown"),
                                   ("--format", "csv"), ("--format", "json")])
def test_score_prints_markup_literally(invoke, extra: tuple[str, ...]) -> None:
    result = invoke("score", *MARKUP, *extra)
    assert result.exit_code == 0, result.output
    text = _clean(result).replace("\\", "")  # (markdown escapes them: \\[/\\])
    assert "[/]" in text and "[/bold]" in text


@pytest.mark.parametrize(("employee", "literal"), [("G01", "[/bold]王芳"), ("G01", "翠湖[b]花园"), ("G01", "[/]"),
                                                   ("G02", "[bold red]金域[/bold red]"), ("G02", "[/bold] [i]"),
                                                   ("G03", "<script>alert(1)</script>"),
                                                   ("G04", ":smile: [link=http://x]张伟[/link]")])
def test_explain_prints_names_and_notes_literally(invoke, employee: str, literal: str) -> None:
    result = invoke("explain", *MARKUP, "--employee", employee)
    assert result.exit_code == 0, result.output
    assert literal in _clean(result)


def test_an_unknown_employee_with_markup_is_named_literally(invoke) -> None:
    result = invoke("explain", *MARKUP, "--employee", "[/]\x1b[2J")
    assert result.exit_code == 1
    assert "[/]\\x1b[2J was not scored" in _clean(result)


def test_check_and_forms_do_not_crash(invoke, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("check", *MARKUP).exit_code == 0
    html = tmp_path / "forms.html"
    result = invoke("forms", *MARKUP, "--output", str(html))
    assert result.exit_code == 0, result.output
    _clean(result)
    page = html.read_text(encoding="utf-8")
    assert "[/bold]王芳" in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


@pytest.mark.parametrize("command", [("score",), ("score", "--layout", "full"), ("check",), ("score", "--format",
                                     "markdown"), ("score", "--format", "csv"), ("score", "--format", "json")])
def test_control_characters_never_reach_the_output(invoke, command: tuple[str, ...]) -> None:
    result = invoke(*command, *CONTROLS)
    assert result.exit_code in (0, 1)  # scored, or refused with located messages: never a traceback
    _clean(result)


@pytest.mark.parametrize("employee", ["G01", "G02"])
def test_explain_shows_control_characters_as_escapes(invoke, employee: str) -> None:
    result = invoke("explain", *CONTROLS, "--employee", employee)
    text = _clean(result)
    if result.exit_code == 0:
        assert "\\x1b]0;pwned\\x07" in text or "\\u202e" in text


def test_show_and_validate_print_rubric_wording_literally(invoke) -> None:
    shown = invoke("show", f"{BAD}/rubric_markup.yaml")
    assert shown.exit_code == 0
    text = _clean(shown)
    assert "[/bold]管家考核 [b]翠湖[/b] \\x1b]0;pwned\\x07" in text
    assert "[/]考勤管理" in text and "\\x1b[31m晚到" in text and "\\u202e" in text
    assert _clean(invoke("validate", f"{BAD}/rubric_markup.yaml")).endswith("1 rubrics valid, 0 problems\n")
    invalid = invoke("validate", f"{BAD}/rubric_markup_invalid.yaml")
    assert invalid.exit_code == 1
    text = _clean(invalid)
    assert "unknown key '[/bold]extra\\x1b]0;x\\x07'" in text and "'[/]kind\\u202e'" in text
    listed = invoke("rubrics", BAD)
    assert "markup" in _clean(listed)
