"""Diagnostics for people, on a rich console.

Kept apart from :mod:`render` (which pulls in the scoring engine and rich tables) so
that ``kpi validate`` and the error paths of every command start quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kpi_cli.i18n import _
from kpi_cli.diagnostics import Diagnostic

if TYPE_CHECKING:
    from rich.console import Console

MAX_SHOWN_DIAGNOSTICS = 50
ALWAYS_SHOWN = frozenset({"too-many-problems", "line-too-long"})


def print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic], limit: int | None = MAX_SHOWN_DIAGNOSTICS) -> None:
    from kpi_cli.outputs.safe_text import plain

    shown = diagnostics if limit is None else diagnostics[:limit]
    for d in shown:
        console.print(plain(d.format(), "red" if d.is_error else "yellow", lines=False), soft_wrap=True)
    if limit is not None and len(diagnostics) > limit:
        console.print(_("... and {n} more problems (use --errors FILE to list them all)").format(
            n=len(diagnostics) - limit), soft_wrap=True)
        for d in diagnostics[limit:]:  # that reading stopped is never hidden behind the cap
            if d.code in ALWAYS_SHOWN:
                console.print(plain(d.format(), "red", lines=False), soft_wrap=True)
