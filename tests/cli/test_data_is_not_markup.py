"""Data is never markup, never a terminal code (issue 11, class 4).

Roster names, departments and notes that look like rich markup (``[/bold]王芳``, ``[/]``,
``翠湖[b]花园``), HTML or Markdown print literally from every command; ESC and the other C0/C1
controls and bidi overrides in a file never reach stdout or stderr: they show as ``\\x1b``,
``\\u202e``.  The corpus is tests/data/bad/output/.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_forms_to_stdout_and_validate_json_carry_no_control_character(invoke) -> None:
    page = invoke("forms", *CONTROLS, "--output", "-")
    _clean(page)
    if page.exit_code == 0:
        assert "\\x1b]0;pwned\\x07" in page.stdout
    listing = invoke("validate", "--format", "json", f"{BAD}/rubric_markup_invalid.yaml")
    _clean(listing)
    import json

    messages = [d["message"] for d in json.loads(listing.stdout)["diagnostics"]]
    assert any("[/]kind\u202e:" in m for m in messages)  # the JSON string holds the very text, \u-escaped


def test_the_errors_file_is_safe_in_excel(invoke, tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "log.csv"
    log.write_text("工号,日期,考核项目,次数,扣分,数值,评分人,评分,备注\nG01,2026-10-03,=HYPERLINK(\"http://x\"),1,,,,,"
                   "\nG01,2026-10-04,迟到\x1b[2J,1,,,,,\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"
    result = invoke("check", str(log), "--rubric", MINI, "--errors", str(errors))
    assert result.exit_code == 1
    _clean(result)
    text = errors.read_text(encoding="utf-8-sig")
    assert not UNSAFE.search(text) and "\\x1b[2J" in text
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row if cell)


_HOSTILE_TEXT = st.lists(st.sampled_from(list("[]/\\:*_`|<>&\"'=+-@#!()~$王芳翠湖 ab1")
                                         + ["\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x00", "\r", "[/]", "[/bold]",
                                            "[b]", ":smile:", "[link=http://x]"]),
                         min_size=1, max_size=8).map("".join)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_HOSTILE_TEXT, department=_HOSTILE_TEXT, note=_HOSTILE_TEXT)
def test_generated_names_and_notes_never_crash_nor_reach_the_terminal(invoke, tmp_path_factory, name: str,
                                                                     department: str, note: str) -> None:
    import csv
    import io

    folder = tmp_path_factory.mktemp("hostile")
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["工号", "姓名", "部门", "岗位"], ["G01", name, department, "管家"]])
    (folder / "roster.csv").write_text(buffer.getvalue(), encoding="utf-8")
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["工号", "日期", "考核项目", "次数", "扣分", "数值", "评分人", "评分", "备注"],
                                  ["G01", "2026-10-03", "迟到", "1", "", "", "", "", note]])
    (folder / "log.csv").write_text(buffer.getvalue(), encoding="utf-8")
    args = (str(folder / "log.csv"), "--rubric", MINI, "--roster", str(folder / "roster.csv"))
    for command in (("score",), ("score", "--format", "markdown"), ("score", "--format", "csv"),
                    ("explain", "-e", "G01"), ("check",)):
        result = invoke(*command[:1], *args, *command[1:])
        assert result.exit_code in (0, 1), result.output
        _clean(result)
