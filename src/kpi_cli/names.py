"""How names typed by people are compared: 考核项目, raters, headers.

Case, surrounding and repeated spaces, and full-width vs half-width forms
(ＡＢＣ１２, （）, ：) do not matter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches

from kpi_cli.i18n import _


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    options = list(dict.fromkeys(choices))
    close = get_close_matches(word, options, n=1, cutoff=0.5)
    if not close:
        norm = normalize(word)
        close = [c for c in options if norm and (norm in normalize(c) or normalize(c) in norm)][:1]
    if not close:
        return ""
    return _(" (did you mean {name}?)").format(name=repr(close[0]))
