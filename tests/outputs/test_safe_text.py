"""outputs/safe_text: the one helper where data meets the terminal."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from kpi_cli.outputs.safe_text import UNSAFE_RE, console, is_printable, plain, printable


def test_controls_become_visible_escapes() -> None:
    assert printable("王\x1b[31m芳") == "王\\x1b[31m芳"
    assert printable("a\x07b\x7fc\x9bd") == "a\\x07b\\x7fc\\x9bd"
    assert printable("\u202eevil\u2066") == "\\u202eevil\\u2066"
    assert printable("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert printable("第一行\r\n第二行\t完", lines=False) == "第一行\\r\\n第二行\\t完"
    assert printable("[/bold]王芳") == "[/bold]王芳"  # markup is not a control: it stays, and is never parsed


def _render(renderable: object) -> str:
    buffer = io.StringIO()
    console(file=buffer, width=80, color_system=None).print(renderable)
    return buffer.getvalue()


def test_a_console_never_reads_markup_nor_emoji_codes() -> None:
    assert _render("[/bold]王芳 :smile: [red]x[/red]") == "[/bold]王芳 :smile: [red]x[/red]\n"
    assert _render(plain("[/]")) == "[/]\n"


def test_the_console_net_escapes_controls_in_plain_strings() -> None:
    assert _render("x\x1b]0;title\x07y") == "x\\x1b]0;titley\n"  # (rich drops BEL itself)
    assert _render("\x9b2J\u202e") == "\\x9b2J\\u202e\n"


def test_colours_still_work_on_a_terminal() -> None:
    buffer = io.StringIO()
    console(file=buffer, width=80, force_terminal=True, color_system="standard").print(plain("王\x1b芳", "red"))
    out = buffer.getvalue()
    assert out.startswith("\x1b[31m") and "王\\x1b芳" in out


@given(st.text())
def test_printable_text_has_no_control_left(text: str) -> None:
    shown = printable(text)
    assert is_printable(shown)
    assert "\n" not in printable(text, lines=False)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("[]/\\:\x1b\x9b\u202e")))
def test_any_text_renders_without_error_or_control(text: str) -> None:
    shown = _render(plain(text))
    assert UNSAFE_RE.search(shown) is None
