"""Data is never markup and never a terminal command: the one place text from files meets the screen.

Names, notes, departments and file names come from files that anyone can edit.
Printed as they are, ``[/bold]王芳`` would be rich markup (and crash it), and an
ESC byte, another C0/C1 control character or a bidi override would be a
command to the terminal (colours, window titles, text drawn right to left).

- :func:`printable` shows every such character as a visible escape (``\\x1b``,
  ``\\u202e``), so the text stays readable, the person can find the character
  in the file, and nothing reaches the terminal;
- :func:`plain` makes a rich ``Text`` of it: a ``Text`` is never parsed as
  markup;
- :func:`console` makes the consoles every command prints to: markup and
  emoji codes off, and a last net that escapes whatever control character
  would still reach the output (rich's own colour codes are not touched).

This module imports rich only inside :func:`plain` and :func:`console`, so it
stays cheap for the exporters and the error paths.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# C0 controls but tab and line feed, DEL, C1 controls; the bidi controls (LRM, RLM, ALM, the embeddings,
# overrides and isolates of "Trojan Source") and the line/paragraph separators, which move text around; the
# invisible characters (soft hyphen, zero-width space/joiners, word joiner, invisible operators, BOM), which
# make two texts that look the same differ (``次\u200b数`` is not the heading 次数): shown, they can be found.
_UNSAFE = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
           "\u2066-\u2069\ufeff")
UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
UNSAFE_OR_BREAK_RE = re.compile(f"[{_UNSAFE}\t\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x09:
        return "\\t"
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = True) -> str:
    """``text`` with every control character shown as a visible escape (``\\x1b``, ``\\u202e``).

    ``lines=False`` also shows tabs and line breaks as ``\\t`` / ``\\n``, for what must stay
    on one line (a diagnostic, a file name in a message).
    """
    pattern = UNSAFE_RE if lines else UNSAFE_OR_BREAK_RE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def json_text(payload: object, **kwargs: Any) -> str:
    """``json.dumps(payload, ensure_ascii=False)``, with the C1 and bidi controls JSON allows raw ``\\u``-escaped
    too (the C0 ones always are): the same data, safe to print.  Only inside strings can they occur, where
    ``\\u202e`` and the raw character are the same text."""
    import json

    return json_safe(json.dumps(payload, ensure_ascii=False, **kwargs))


def json_safe(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with the C1 and bidi controls it allows raw ``\\u``-escaped."""
    return UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if UNSAFE_RE.search(text) else text


def is_printable(text: str) -> bool:
    return UNSAFE_RE.search(text) is None


def plain(text: object, style: str | None = None, *, lines: bool = True) -> Text:
    """A rich ``Text`` of data: never markup, control characters escaped."""
    from rich.text import Text

    return Text(printable(str(text), lines=lines), style=style or "")


@lru_cache(maxsize=1)
def _console_class() -> type:
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        """A Console whose strings are never markup and whose output carries no control character from data."""

        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("markup", False)
            kwargs.setdefault("emoji", False)
            kwargs.setdefault("highlight", False)
            super().__init__(**kwargs)

        def render(self, renderable: Any, options: Any = None) -> Any:  # type: ignore[override]
            for segment in super().render(renderable, options):
                if segment.control is None and UNSAFE_RE.search(segment.text):
                    segment = Segment(printable(segment.text), segment.style, segment.control)
                yield segment

    return SafeConsole


def console(**kwargs: Any) -> Console:
    """A rich Console for data: ``markup=False``, ``emoji=False``, ``highlight=False`` and the control net."""
    return _console_class()(**kwargs)  # type: ignore[no-any-return]
