"""How names typed by people are compared: 考核项目, raters, headers.

Case, surrounding and repeated spaces, full-width vs half-width forms
(ＡＢＣ１２, （）, ：) and invisible characters (U+200B...) do not matter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches

from kpi_cli.i18n import _


def normalize(text: str) -> str:
    """Compared names ignore case, width, spaces around and repeated, and invisible characters (zero-width
    spaces, soft hyphens, BOMs, direction marks: ``迟\u200b到`` is 迟到)."""
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def quoted(text: str, limit: int = 40) -> str:
    """``repr`` of a cell for a message, at most ``limit`` characters of it (a 1 MB cell is not printed whole)."""
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    options = list(dict.fromkeys(choices))
    if len(word) > 200:  # no name is that long; difflib would only take time over it
        return ""
    close = get_close_matches(word, options, n=1, cutoff=0.5)
    if not close:
        norm = normalize(word)
        close = [c for c in options if norm and (norm in normalize(c) or normalize(c) in norm)][:1]
    if not close:
        return ""
    return _(" (did you mean {name}?)").format(name=repr(close[0]))
