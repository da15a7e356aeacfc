"""The one boundary where the library's errors and diagnostics become messages and exit codes.

Exit codes: 0 success, 1 problems in the data (rubric, log, roster), 2 usage errors, 3 a file that
cannot be read or written (stdout too: ``kpi score --format csv > /dev/full``), 128 + the signal's
number when interrupted: 130 Ctrl-C (SIGINT), 129 SIGHUP, 143 SIGTERM.  Results go to stdout,
diagnostics to stderr.  :func:`run` is the program (``kpi``): it turns those signals into an exception,
so that every ``finally`` (the temporary files of outputs/atomic) runs before the process ends.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import typer

from kpi_cli.cli.main import err
from kpi_cli.diagnostics import Diagnostic, has_errors
from kpi_cli.errors import ConfigNotValid, JobError, LedgerError, RubricNotValid, UsageError

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_IO = 0, 1, 2, 3
EXIT_SIGNAL = 128  # + the signal's number
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


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


class Interrupted(BaseException):
    """A signal (Ctrl-C, SIGTERM, SIGHUP) arrived: raised where the program was, so every ``finally`` runs.

    A BaseException, like KeyboardInterrupt: no ``except Exception`` swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: object) -> None:
    for other in SIGNALS:  # one interrupt is enough: a second Ctrl-C must not cut the clean-up short
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While inside, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted` (the previous handlers come back after)."""
    previous = {}
    for signum in SIGNALS:
        try:
            previous[signum] = signal.signal(signum, _interrupt)
        except (ValueError, OSError):  # not the main thread, or not allowed here
            pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _say(text: str) -> None:
    """A last message on stderr, which may itself be gone."""
    try:
        err().print(text, soft_wrap=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """stdout failed: point it at the null device, so Python's own flush at exit does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def run(args: Sequence[str] | None = None) -> NoReturn:
    """The ``kpi`` program: the typer app, with signals, Ctrl-C and a stdout that cannot be written handled.

    - SIGINT (Ctrl-C), SIGTERM, SIGHUP: the files being written are left as they were (their temporary
      files removed), a message says so, and the exit code is 128 + the signal's number (130, 143, 129);
    - stdout cannot be written (a full disk, ``> /dev/full``): a message, exit 3, no traceback;
      a closed pipe (``kpi score | head``): exit 1 quietly, as click does.
    """
    from kpi_cli.cli import app
    from kpi_cli.i18n import _, os_reason

    code: int = EXIT_OK
    try:
        with signals_interrupt():  # (an interrupt may also land while the handlers are put back: caught below)
            try:
                app(args=None if args is None else list(args), prog_name="kpi")
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_DATA)
            sys.stdout.flush()
    except Interrupted as exc:
        # Writers abandoned half-way (openpyxl's streaming worksheet) complain when collected; their files are
        # temporary and already removed, so that is noise, not news.
        sys.unraisablehook = lambda unraisable: None
        code = EXIT_SIGNAL + exc.signum
        name = signal.Signals(exc.signum).name
        _say(_("kpi: interrupted by {signal}: stopped; no file was changed by halves (exit {code})").format(
            signal=name, code=code))
    except OSError as exc:
        _silence_stdout()
        if exc.errno == errno.EPIPE:
            code = EXIT_DATA
        else:
            code = EXIT_IO
            _say(_("kpi: cannot write the output{where}: {reason}").format(
                where=f" ({exc.filename})" if exc.filename else " (stdout)", reason=os_reason(exc)))
    sys.exit(code)
