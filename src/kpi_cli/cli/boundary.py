"""The one boundary where the library's errors and diagnostics become messages and exit codes.

Exit codes: 0 success, 1 problems in the data (rubric, log, roster), 2 usage errors, 3 a file that
cannot be read or written.  Results go to stdout, diagnostics to stderr.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import typer

from kpi_cli.cli.main import err
from kpi_cli.diagnostics import Diagnostic, has_errors
from kpi_cli.errors import ConfigNotValid, JobError, LedgerError, RubricNotValid, UsageError

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_IO = 0, 1, 2, 3


def exit_code(diagnostics: Sequence[Diagnostic]) -> int:
    if any(d.code == "not-found" for d in diagnostics):  # a path given that does not exist: a usage error
        return EXIT_USAGE
    if any(d.code == "io-error" for d in diagnostics):
        return EXIT_IO
    return EXIT_DATA if has_errors(diagnostics) else EXIT_OK


def report(diagnostics: Sequence[Diagnostic]) -> None:
    from kpi_cli.outputs.diagnostic_text import print_diagnostics

    print_diagnostics(err(), diagnostics)


@contextmanager
def boundary() -> Iterator[None]:
    """The one place where the library's errors (kpi_cli.errors) become messages and exit codes."""
    try:
        yield
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.param_hint) from None
    except ConfigNotValid as exc:  # a kpi.toml that cannot be read: 3; one with errors: a usage error
        report(exc.diagnostics)
        raise typer.Exit(EXIT_IO if exit_code(exc.diagnostics) == EXIT_IO else EXIT_USAGE) from None
    except RubricNotValid as exc:
        report(exc.diagnostics)
        err().print(str(exc), soft_wrap=True)
        raise typer.Exit(exit_code(exc.diagnostics)) from None
    except LedgerError as exc:  # the database cannot be used: 3; a refusal (already closed...): 1
        err().print(str(exc), soft_wrap=True, markup=False)
        raise typer.Exit(EXIT_IO if exc.code == "ledger-unusable" else EXIT_DATA) from None
    except JobError as exc:  # RubricNotFound
        err().print(str(exc), soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
