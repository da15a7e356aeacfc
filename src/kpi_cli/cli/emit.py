"""Where the output of ``kpi diff`` and ``kpi payroll`` goes: stdout or a file written atomically, never an input."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import typer

from kpi_cli.i18n import N_, _, os_reason
from kpi_cli.cli.boundary import EXIT_IO, EXIT_USAGE, report
from kpi_cli.cli.main import err
from kpi_cli.diagnostics import Diagnostic


def emit(data: bytes, output: Path | None, inputs: Iterable[Path | str], *, binary: bool = False,
         what: str = N_("report"), said: str | None = None) -> None:
    """Write ``data`` to ``output`` (atomically) or to stdout; refuse to overwrite any of ``inputs``.

    ``said`` is the line printed once a file is written (default: "wrote PATH")."""
    from kpi_cli.outputs.atomic import input_overwritten

    problem = input_overwritten([(N_("the report"), "-" if output is None else output)],
                                [(N_("input"), source) for source in inputs])
    if problem:  # the one guard of every command that writes (outputs/atomic.py)
        err().print(problem, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    if output is None or str(output) == "-":
        if binary:
            err().print(_("a binary {what} cannot be printed; give --output FILE").format(what=_(what)), soft_wrap=True,
                        markup=False)
            raise typer.Exit(EXIT_USAGE)
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            typer.echo(data.decode("utf-8"), nl=False)
        else:
            stream.write(data)
            stream.flush()
        return
    from kpi_cli.outputs.atomic import write_atomic

    try:
        write_atomic(output, data)
    except OSError as exc:
        report([Diagnostic(str(output), 0, 0, _("cannot write the {what}: {reason}; the previous file, if any, is "
                                                "unchanged").format(what=_(what), reason=os_reason(exc)), "io-error")])
        raise typer.Exit(EXIT_IO) from None
    err().print(said or _("wrote {path}").format(path=output), soft_wrap=True, markup=False)
