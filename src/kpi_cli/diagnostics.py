"""The one diagnostic type of kpi-cli.

Every stage (YAML reading, rubric checks, log reading, scoring) reports problems
as :class:`Diagnostic` values and keeps going, so a user sees all problems of an
input at once.  Exceptions are reserved for bugs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from kpi_cli.i18n import _

ERROR = "error"
WARNING = "warning"


class Diagnostic(NamedTuple):
    """A problem found in an input file.

    ``line`` and ``column`` are 1-based; 0 means "not known" (a whole-file or
    whole-row problem).  ``code`` is a short stable name for the class of problem
    (``duplicate-key``, ``unknown-rule``...), used by tests and ``--format json``.
    ``sheet`` is set for a cell of a workbook: the location is then ``file:Sheet!B7``.
    """

    file: str
    line: int
    column: int
    message: str
    code: str
    level: str = ERROR
    sheet: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    @property
    def location(self) -> str:
        """``path:line:col``, ``path:line`` or ``path``, as far as it is known."""
        if self.sheet:
            cell = f"{column_letter(self.column)}{self.line}" if self.column else f"{self.line}"
            return f"{self.file}:{self.sheet}!{cell}"
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file

    def format(self) -> str:
        """``path:line:col: message (code)``; warnings say so."""
        if self.is_error:
            return _("{location}: {message} ({code})").format(location=self.location, message=self.message,
                                                              code=self.code)
        return _("{location}: warning: {message} ({code})").format(location=self.location, message=self.message,
                                                                    code=self.code)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "sheet": self.sheet,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple[str, int, int]:
    return (d.file, d.line, d.column)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA (spreadsheet column names)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
