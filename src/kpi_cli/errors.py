"""Why a job cannot start: the few problems the library raises instead of returning.

Problems in the data (a log row, a rubric field) are collected as
:class:`~kpi_cli.diagnostics.Diagnostic` and never raised.  These exceptions are for
what was *asked*: a missing or contradictory option, a rubric that cannot be found
or is not valid, a kpi.toml that cannot be used.  They carry the message (and the
diagnostics, when there are some) and nothing else; the command line is the one
place that turns them into output and an exit code.  Light on purpose: importing
it costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.i18n import _


class JobError(Exception):
    """Base class: the job was not started; ``str(exc)`` is the message for people."""

    diagnostics: tuple[Diagnostic, ...] = ()


class UsageError(JobError):
    """An option (or its kpi.toml key) is missing or wrong; ``param_hint`` names the option, as shown to people."""

    def __init__(self, message: str, param_hint: str | None = None) -> None:
        super().__init__(message)
        self.param_hint = param_hint


class RubricNotFound(JobError):
    """``--rubric NAME`` is neither a file nor a rubric in the rubrics folder."""


class RubricNotValid(JobError):
    """The rubric file was found but has errors (in ``diagnostics``)."""

    def __init__(self, path: Path, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(_("rubric {path} is not valid; run: kpi validate {path}").format(path=path))
        self.path = path
        self.diagnostics = tuple(diagnostics)


class ConfigNotValid(JobError):
    """kpi.toml cannot be read or has errors (in ``diagnostics``)."""

    def __init__(self, path: Path, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(_("{path} is not a valid kpi.toml").format(path=path))
        self.path = path
        self.diagnostics = tuple(diagnostics)


class LedgerError(JobError):
    """The ledger (kpi.db or a PostgreSQL database) refused or cannot serve what was asked.

    ``code`` is stable: ``ledger-unusable`` (cannot open, corrupt, foreign, written by a newer kpi-cli),
    ``no-ledger`` (no database yet), ``conflict``, ``already-closed``, ``not-closed``, ``rollup-refused``.
    """

    def __init__(self, message: str, code: str = "ledger-unusable") -> None:
        super().__init__(message)
        self.code = code
