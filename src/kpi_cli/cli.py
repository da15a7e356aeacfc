"""The ``kpi`` command: parse arguments, call the library, print, choose the exit code.

Exit codes: 0 success, 1 problems in the data (rubric, log, roster), 2 usage
errors, 3 a file that cannot be read or written.  Results go to stdout,
diagnostics to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import __version__
from .diagnostics import Diagnostic, has_errors
from .errors import ConfigNotValid, JobError, RubricNotValid, UsageError
from .periods import Period, PeriodKind, resolve_period

if TYPE_CHECKING:
    from rich.console import Console

    from .jobs import ScoreRun
    from .rubric_model import Rubric

# Start-up time: `kpi --help` and `kpi validate` must not pay for what they do not use, so only
# light modules are imported here; rich, pydantic (rubric_loader, rubric_model), the scoring
# engine, exporters, openpyxl and jinja2 are imported inside the commands that need them.
# tests/test_startup.py keeps it that way.

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_IO = 0, 1, 2, 3
DEFAULT_RUBRIC_DIR = Path("rubrics")  # = rubric_loader.DEFAULT_RUBRIC_DIR (not imported: it pulls pydantic)

app = typer.Typer(
    name="kpi",
    help="Score staff performance appraisals (绩效考核) from YAML rubrics, exactly and explainably.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain (click) help and usage errors: typer draws them with rich only by importing typer.rich_utils
    # (rich.markdown, markdown_it, pygments...), which made `kpi --help` about twice as slow.
    rich_markup_mode=None,
)


class _State:
    rubrics_dir: Path = DEFAULT_RUBRIC_DIR
    rubrics_dir_given: bool = False  # --rubrics-dir / KPI_RUBRICS_DIR: then kpi.toml's rubrics_dir is not used


state = _State()


def _no_color() -> bool:
    """NO_COLOR (no-color.org): no colour and no other terminal codes either."""
    return bool(os.environ.get("NO_COLOR"))


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, color_system=None if _no_color() else "auto")


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, color_system=None if _no_color() else "auto")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi-cli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    rubrics_dir: Annotated[Optional[Path], typer.Option("--rubrics-dir", envvar="KPI_RUBRICS_DIR", show_default=False,
                                                        help="Folder where --rubric NAME is looked up "
                                                        "(default: rubrics, or rubrics_dir in kpi.toml).")] = None,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    state.rubrics_dir = rubrics_dir if rubrics_dir is not None else DEFAULT_RUBRIC_DIR
    state.rubrics_dir_given = rubrics_dir is not None


def _exit_code(diagnostics: Sequence[Diagnostic]) -> int:
    if any(d.code == "not-found" for d in diagnostics):  # a path given that does not exist: a usage error
        return EXIT_USAGE
    if any(d.code == "io-error" for d in diagnostics):
        return EXIT_IO
    return EXIT_DATA if has_errors(diagnostics) else EXIT_OK


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    from .diagnostic_output import print_diagnostics

    print_diagnostics(err(), diagnostics)


@contextmanager
def _boundary() -> Iterator[None]:
    """The one place where the library's errors (kpi_cli.errors) become messages and exit codes."""
    try:
        yield
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.param_hint) from None
    except ConfigNotValid as exc:  # a kpi.toml that cannot be read: 3; one with errors: a usage error
        _report(exc.diagnostics)
        raise typer.Exit(EXIT_IO if _exit_code(exc.diagnostics) == EXIT_IO else EXIT_USAGE) from None
    except RubricNotValid as exc:
        _report(exc.diagnostics)
        err().print(str(exc), soft_wrap=True)
        raise typer.Exit(_exit_code(exc.diagnostics)) from None
    except JobError as exc:  # RubricNotFound
        err().print(str(exc), soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None


def load_named_rubric(name: str) -> tuple[Path, Rubric]:
    """``--rubric NAME|PATH`` -> its file and the valid rubric, or exit with the reasons."""
    from .rubric_loader import load_named_rubric as load

    with _boundary():
        return load(name, state.rubrics_dir)


def parse_period(text: str | None, kind: PeriodKind | None = None) -> Period | None:
    """``2026-10``, ``2026Q4``, or ``last-month`` / ``this-month`` / ``last-quarter`` / ``this-quarter``."""
    if text is None:
        return None
    try:
        return resolve_period(text, kind)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None


def _rubric_and_period(name: str, period: str | None) -> tuple[Path, Rubric, Period | None]:
    path, rubric = load_named_rubric(name)
    return path, rubric, parse_period(period, rubric.period)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class Layout(str, Enum):
    auto = "auto"
    full = "full"
    compact = "compact"


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Rubric files or folders (searched for *.yaml, *.yml).")],
    format: Annotated[OutputFormat, typer.Option("--format", help="text for people, json for machines.")] =
    OutputFormat.text,
) -> None:
    """Check rubric files; print every problem as path:line:col: message."""
    from .rubric_loader import load_rubrics

    loaded, problems = load_rubrics(paths)
    diagnostics = list(problems) + [d for r in loaded for d in r.diagnostics]
    valid = sum(1 for r in loaded if r.rubric is not None)
    n_problems = sum(1 for d in diagnostics if d.is_error)
    if format is OutputFormat.json:
        import json

        payload = {
            "files": len(loaded),
            "valid": valid,
            "problems": n_problems,
            "rubrics": [{"file": r.path, "id": r.rubric.id if r.rubric else None, "valid": r.rubric is not None}
                        for r in loaded],
            "diagnostics": [d.as_dict() for d in diagnostics],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if diagnostics:  # (no console, hence no rich, for nothing to print)
            from .diagnostic_output import print_diagnostics

            print_diagnostics(out(), diagnostics, limit=None)
        typer.echo(f"{len(loaded)} files, {valid} rubrics valid, {n_problems} problems")
    raise typer.Exit(_exit_code(diagnostics) if loaded or diagnostics else EXIT_USAGE)


@app.command("rubrics")
def list_rubrics(
    folder: Annotated[Optional[Path], typer.Argument(help="Folder of rubrics (default: --rubrics-dir).")] = None,
) -> None:
    """List the rubrics found: id, title, period, total, number of items."""
    from .render import rubrics_table
    from .rubric_loader import load_rubrics

    loaded, problems = load_rubrics([folder or state.rubrics_dir])
    diagnostics = list(problems) + [d for r in loaded for d in r.diagnostics]
    out().print(rubrics_table((r.path, r.rubric) for r in loaded if r.rubric is not None))
    if has_errors(diagnostics):
        _report(diagnostics)
    raise typer.Exit(_exit_code(diagnostics))


@app.command()
def show(name: Annotated[str, typer.Argument(help="Rubric id (in --rubrics-dir) or path.")]) -> None:
    """Print a rubric as its blank form: items, maxima, rules and points, bands."""
    from .render import rubric_form

    out().print(rubric_form(load_named_rubric(name)[1]))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the rubric format (for editors)."""
    import json

    from .rubric_schema import rubric_json_schema

    typer.echo(json.dumps(rubric_json_schema(), ensure_ascii=False, indent=2))


PROGRESS_MIN_BYTES = 8 << 20  # a progress bar for logs of 8 MB and more (about 100 000 rows)


@contextmanager
def _progress(log: Path, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr while a long log is read: only on a terminal, never with --quiet or NO_COLOR."""
    console = err()
    lines = None
    if not (quiet or _no_color() or not console.is_terminal or console.is_dumb_terminal):
        from .tables import estimate_lines

        lines = estimate_lines(log, PROGRESS_MIN_BYTES)  # None for .xlsx and small logs
    if lines is None:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("reading {task.description}"), BarColumn(), TaskProgressColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task(log.name, total=lines)
        yield lambda line: bar.update(task, completed=min(line, lines))


def _run(log: Path, rubric: Rubric, roster: Path | None, period: Period | None, keep: bool | set[str],
         quiet: bool = False, *, encoding: str | None = None, sheet: str | None = None,
         roster_sheet: str | None = None, errors: Path | None = None) -> ScoreRun:
    from .jobs import score_log

    with _progress(log, quiet) as progress:
        run = score_log(log, rubric, roster=roster, period=period, keep_records=keep, progress=progress,
                        encoding=encoding, sheet=sheet, roster_sheet=roster_sheet)
    shown = [d for d in run.diagnostics if d.is_error] if quiet else run.diagnostics
    if shown:
        _report(shown)
    if errors is not None:
        _write_errors(errors, run.diagnostics, quiet)
    return run


def _write_errors(path: Path, diagnostics: Sequence[Diagnostic], quiet: bool) -> None:
    """--errors FILE: every diagnostic as CSV (UTF-8 with BOM), for fixing the log in Excel."""
    from .tables import write_errors_csv

    problem = write_errors_csv(path, diagnostics)
    if problem is not None:
        _report([problem])
        raise typer.Exit(EXIT_IO)
    if not quiet:
        err().print(f"wrote {len(diagnostics)} problems to {path}", soft_wrap=True, markup=False)


def _check_encoding(value: str | None) -> str | None:
    if value is not None:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            raise typer.BadParameter(f"unknown encoding {value!r}: use utf-8, gb18030 or utf-16") from None
    return value


def _footer(run: ScoreRun) -> None:
    from .render import run_footer

    console = err()
    for line in run_footer(run):
        console.print(line, soft_wrap=True)


LogArg = Annotated[Path, typer.Argument(help="The record log (违规情况记录): .csv, .tsv or .xlsx.")]
RubricOpt = Annotated[str, typer.Option("--rubric", "-r", help="Rubric id (in --rubrics-dir) or path.")]
RosterOpt = Annotated[Optional[Path], typer.Option("--roster", help="The roster (花名册), .csv, .tsv or .xlsx: 工号, "
                                                  "姓名, 部门, 岗位.")]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", callback=_check_encoding, help="Force the encoding "
                                                    "of CSV/TSV files (utf-8, gb18030, utf-16); default: a BOM, "
                                                    "else UTF-8, else GB18030.")]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help="The worksheet of an .xlsx log "
                                                 "(default: the first).")]
RosterSheetOpt = Annotated[Optional[str], typer.Option("--roster-sheet", help="The worksheet of an .xlsx roster "
                                                       "(default: the first).")]
ErrorsOpt = Annotated[Optional[Path], typer.Option("--errors", help="Write every problem to FILE as CSV (file, line, "
                                                   "column, sheet, level, code, message), to fix them in Excel.")]
PeriodOpt = Annotated[Optional[str], typer.Option("--period", "-p", help="2026-10, 2026Q4, last-month, this-month, "
                                                  "last-quarter or this-quarter; default: the period the log covers.")]


class ExportFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    markdown = "markdown"


@app.command()
def score(
    log: Annotated[Optional[Path], typer.Argument(help="The record log (违规情况记录), CSV; default: log in kpi.toml.",
                                                  show_default=False)] = None,
    rubric: Annotated[Optional[str], typer.Option("--rubric", "-r", help="Rubric id (in --rubrics-dir) or path; "
                                                  "default: rubric in kpi.toml.")] = None,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    layout: Annotated[Layout, typer.Option(help="full: a column per item; compact: only the items that lost "
                                           "points; auto: compact when the full table is too wide.")] = Layout.auto,
    format: Annotated[Optional[ExportFormat], typer.Option("--format", show_default=False, help="table, csv, json, "
                                                           "xlsx or markdown (default: from the --output extension, "
                                                           "else table).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE (atomically: "
                                                   "the old file stays until the new one is complete); - for stdout.")]
    = None,
    config: Annotated[Optional[Path], typer.Option("--config", envvar="KPI_CONFIG", help="The project file "
                                                   "(default: ./kpi.toml if there is one).")] = None,
    today: Annotated[Optional[str], typer.Option("--today", envvar="KPI_TODAY", help="The date last-month etc. count "
                                                 "from, YYYY-MM-DD (default: today).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors (for cron).")] = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Score everyone for one period: totals, grades, outcomes, ranks; print them or write a report."""
    from .report import render_report, write_report
    from .score_job import resolve_score_options

    with _boundary():  # kpi.toml, the rubric, the period, the log, the output: checked before any reading
        job = resolve_score_options(log=log, rubric=rubric, roster=roster, period=period, output=output, config=config,
                                    format=None if format is None else format.value, today=today,
                                    rubrics_dir=state.rubrics_dir if state.rubrics_dir_given else None)
    plan = job.plan
    run = _run(job.log, job.rubric, job.roster, job.period, keep=job.keep_records, quiet=quiet, encoding=encoding,
               sheet=sheet, roster_sheet=roster_sheet, errors=errors)
    if not quiet:
        _footer(run)
    if run.sheet is None or not run.ok:
        what = "no report written" if plan.path is not None else "no partial results are shown"
        err().print(f"not scored: fix the problems above ({what})", soft_wrap=True)
        raise typer.Exit(_exit_code(run.diagnostics) or EXIT_DATA)
    if plan.path is None and plan.format == "table":
        from .render import score_table, summary_text

        console = out()
        console.print(score_table(run.sheet, console.width, layout.value))
        console.print(summary_text(run.sheet))
        return
    plan = job.plan_for(run.sheet.period)  # the period the log covers is known now
    try:
        data, _ = render_report(plan, run, rubric_path=job.rubric_path, log=job.log, roster=job.roster,
                                width=160 if plan.path is not None else out().width, layout=layout.value)
    except OSError as exc:
        _report([Diagnostic(str(exc.filename or job.log), 0, 0, f"cannot read: {exc.strerror or exc}", "io-error")])
        raise typer.Exit(EXIT_IO) from None
    if plan.path is None:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            typer.echo(data.decode("utf-8"), nl=False)
        else:
            stream.write(data)
            stream.flush()
        return
    try:
        write_report(plan, data)
    except OSError as exc:
        _report([Diagnostic(str(plan.path), 0, 0, f"cannot write the report: {exc.strerror or exc}; the previous "
                            "file, if any, is unchanged", "io-error")])
        raise typer.Exit(EXIT_IO) from None
    if not quiet:
        err().print(f"wrote {plan.path} ({plan.format}, {len(run.sheet.subjects)} subjects, {run.sheet.period})",
                    soft_wrap=True, markup=False)


@app.command()
def explain(
    log: LogArg,
    rubric: RubricOpt,
    employee: Annotated[str, typer.Option("--employee", "-e", help="The 工号 to explain.")],
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    roster_sheet: RosterSheetOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """The receipt for one person: every record, rule and calculation behind the total."""
    from .render import receipt

    _, the_rubric, chosen = _rubric_and_period(rubric, period)
    run = _run(log, the_rubric, roster, chosen, keep={employee}, encoding=encoding, sheet=sheet,
               roster_sheet=roster_sheet, errors=errors)
    _footer(run)
    if run.sheet is None or not run.ok:
        err().print("not scored: fix the problems above", soft_wrap=True)
        raise typer.Exit(_exit_code(run.diagnostics) or EXIT_DATA)
    result = run.sheet.find(employee)
    if result is None:
        err().print(f"{employee} was not scored: not on the roster for this rubric, and not in the log",
                    soft_wrap=True)
        raise typer.Exit(EXIT_DATA)
    out().print(receipt(run.sheet, result))


@app.command()
def check(log: LogArg, rubric: RubricOpt, roster: RosterOpt = None, period: PeriodOpt = None,
          encoding: EncodingOpt = None, sheet: SheetOpt = None, roster_sheet: RosterSheetOpt = None,
          errors: ErrorsOpt = None) -> None:
    """Check a log (and roster) against a rubric without printing scores."""
    _, the_rubric, chosen = _rubric_and_period(rubric, period)
    run = _run(log, the_rubric, roster, chosen, keep=False, encoding=encoding, sheet=sheet, roster_sheet=roster_sheet,
               errors=errors)
    _footer(run)
    if run.ok:
        typer.echo(f"OK: {run.counts.used} records for {len(run.sheet.subjects)} subjects in {run.period}")  # type: ignore[union-attr]
    raise typer.Exit(EXIT_OK if run.ok else (_exit_code(run.diagnostics) or EXIT_DATA))


@app.command()
def forms(
    log: LogArg,
    rubric: RubricOpt,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The HTML document to print: a summary "
                                                   "page, then one A4 form per person; - for stdout.")] = None,
    split: Annotated[Optional[Path], typer.Option("--split", help="Also write one file per person into this folder "
                                                  "(工号_姓名.html), each with only that person's form.")] = None,
) -> None:
    """Printable appraisal forms (考核表): one A4 page per person with signature lines, and a summary."""
    from .html_forms import render_html, write_forms
    from .report import run_provenance

    if output is None and split is None:
        err().print("nothing to write: give --output FILE.html and/or --split FOLDER", soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    rubric_path, the_rubric, chosen = _rubric_and_period(rubric, period)
    run = _run(log, the_rubric, roster, chosen, keep=True)
    _footer(run)
    if run.sheet is None or not run.ok:
        err().print("no forms written: fix the problems above (no partial forms are printed)", soft_wrap=True)
        raise typer.Exit(_exit_code(run.diagnostics) or EXIT_DATA)
    sheet = run.sheet
    try:
        provenance = run_provenance(run, rubric_path=rubric_path, log=log, roster=roster)
    except OSError as exc:
        _report([Diagnostic(str(exc.filename or log), 0, 0, f"cannot read: {exc.strerror or exc}", "io-error")])
        raise typer.Exit(EXIT_IO) from None
    to_stdout = output is not None and str(output) == "-"
    written, problems = write_forms(sheet, output=None if to_stdout else output, split=split, provenance=provenance)
    if problems:
        _report(problems)
        raise typer.Exit(_exit_code(problems))
    n = len(sheet.subjects)
    if to_stdout:
        typer.echo(render_html(sheet, provenance), nl=False)
    elif output is not None:
        typer.echo(f"wrote {output}: a summary page and {n} forms")
    if split is not None:
        typer.echo(f"wrote {n} forms to {split}, one file per person", err=to_stdout)


@app.command()
def template(
    folder: Annotated[Path, typer.Argument(help="Where to write the files.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite existing files.")] = False,
) -> None:
    """Write an empty record log and roster with the right (Chinese) headers, for Excel."""
    from .templates import write_templates

    written, problems = write_templates(folder, force=force)
    if problems:
        _report(problems)
        raise typer.Exit(_exit_code(problems))
    for path in written:
        typer.echo(f"wrote {path}")


# `kpi --help` lists each command with the whole first paragraph of its help (click would cut it with "...").
for _command in app.registered_commands:
    if _command.short_help is None and _command.callback is not None and _command.callback.__doc__:
        _command.short_help = " ".join(_command.callback.__doc__.split("\n\n")[0].split())
