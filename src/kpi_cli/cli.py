"""The ``kpi`` command: parse arguments, call the library, print, choose the exit code.

Exit codes: 0 success, 1 problems in the data (rubric, log, roster), 2 usage
errors, 3 a file that cannot be read or written.  Results go to stdout,
diagnostics to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from . import __version__
from .diagnostics import Diagnostic, has_errors
from .periods import Period
from .rubric_loader import DEFAULT_RUBRIC_DIR, available_rubrics, load_rubric, load_rubrics, resolve_rubric_path
from .rubric_model import Rubric

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_IO = 0, 1, 2, 3

app = typer.Typer(
    name="kpi",
    help="Score staff performance appraisals (绩效考核) from YAML rubrics, exactly and explainably.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _State:
    rubrics_dir: Path = DEFAULT_RUBRIC_DIR


state = _State()


def out() -> Console:
    return Console(highlight=False)


def err() -> Console:
    return Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi-cli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    rubrics_dir: Annotated[Path, typer.Option("--rubrics-dir", envvar="KPI_RUBRICS_DIR",
                                              help="Folder where --rubric NAME is looked up.")] = DEFAULT_RUBRIC_DIR,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    state.rubrics_dir = rubrics_dir


def _exit_code(diagnostics: Sequence[Diagnostic]) -> int:
    if any(d.code == "io-error" for d in diagnostics):
        return EXIT_IO
    return EXIT_DATA if has_errors(diagnostics) else EXIT_OK


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    from .render import print_diagnostics

    print_diagnostics(err(), diagnostics)


def load_named_rubric(name: str) -> Rubric:
    """``--rubric NAME|PATH`` -> a valid rubric, or exit with the reasons."""
    path = resolve_rubric_path(name, state.rubrics_dir)
    if path is None:
        known = ", ".join(available_rubrics(state.rubrics_dir)) or "none"
        err().print(f"no rubric {name!r}: not a file, and not in {state.rubrics_dir}/ (found: {known})",
                    soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    rubric, diagnostics = load_rubric(path)
    if rubric is None:
        _report(diagnostics)
        err().print(f"rubric {path} is not valid; run: kpi validate {path}", soft_wrap=True)
        raise typer.Exit(_exit_code(diagnostics))
    return rubric


def parse_period(text: str | None) -> Period | None:
    if text is None:
        return None
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None


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
    loaded, problems = load_rubrics(paths)
    diagnostics = list(problems) + [d for r in loaded for d in r.diagnostics]
    valid = sum(1 for r in loaded if r.rubric is not None)
    n_problems = sum(1 for d in diagnostics if d.is_error)
    if format is OutputFormat.json:
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
        from .render import print_diagnostics

        print_diagnostics(out(), diagnostics, limit=None)
        typer.echo(f"{len(loaded)} files, {valid} rubrics valid, {n_problems} problems")
    raise typer.Exit(_exit_code(diagnostics) if loaded or diagnostics else EXIT_USAGE)


@app.command("rubrics")
def list_rubrics(
    folder: Annotated[Optional[Path], typer.Argument(help="Folder of rubrics (default: --rubrics-dir).")] = None,
) -> None:
    """List the rubrics found: id, title, period, total, number of items."""
    from .render import rubrics_table

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

    out().print(rubric_form(load_named_rubric(name)))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the rubric format (for editors)."""
    from .rubric_schema import rubric_json_schema

    typer.echo(json.dumps(rubric_json_schema(), ensure_ascii=False, indent=2))


def _run(log: Path, rubric_name: str, roster: Path | None, period: str | None, keep: bool | set[str]):
    from .jobs import score_log

    rubric = load_named_rubric(rubric_name)
    run = score_log(log, rubric, roster=roster, period=parse_period(period), keep_records=keep)
    if run.diagnostics:
        _report(run.diagnostics)
    return rubric, run


def _footer(run) -> None:  # type: ignore[no-untyped-def]
    from .render import run_footer

    console = err()
    for line in run_footer(run):
        console.print(line, soft_wrap=True)


LogArg = Annotated[Path, typer.Argument(help="The record log (违规情况记录), CSV.")]
RubricOpt = Annotated[str, typer.Option("--rubric", "-r", help="Rubric id (in --rubrics-dir) or path.")]
RosterOpt = Annotated[Optional[Path], typer.Option("--roster", help="The roster (花名册), CSV: 工号, 姓名, 部门, 岗位.")]
PeriodOpt = Annotated[Optional[str], typer.Option("--period", "-p", help="2026-10 or 2026Q4; default: the period "
                                                  "the log covers.")]


@app.command()
def score(
    log: LogArg,
    rubric: RubricOpt,
    roster: RosterOpt = None,
    period: PeriodOpt = None,
    layout: Annotated[Layout, typer.Option(help="full: a column per item; compact: only the items that lost "
                                           "points; auto: compact when the full table is too wide.")] = Layout.auto,
) -> None:
    """Score everyone for one period: totals, grades, outcomes, ranks."""
    from .render import score_table, summary_text

    _, run = _run(log, rubric, roster, period, keep=False)
    _footer(run)
    if run.sheet is None or not run.ok:
        err().print("not scored: fix the problems above (no partial results are shown)", soft_wrap=True)
        raise typer.Exit(_exit_code(run.diagnostics) or EXIT_DATA)
    console = out()
    console.print(score_table(run.sheet, console.width, layout.value))
    console.print(summary_text(run.sheet))


@app.command()
def explain(
    log: LogArg,
    rubric: RubricOpt,
    employee: Annotated[str, typer.Option("--employee", "-e", help="The 工号 to explain.")],
    roster: RosterOpt = None,
    period: PeriodOpt = None,
) -> None:
    """The receipt for one person: every record, rule and calculation behind the total."""
    from .render import receipt

    _, run = _run(log, rubric, roster, period, keep={employee})
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
def check(log: LogArg, rubric: RubricOpt, roster: RosterOpt = None, period: PeriodOpt = None) -> None:
    """Check a log (and roster) against a rubric without printing scores."""
    _, run = _run(log, rubric, roster, period, keep=False)
    _footer(run)
    if run.ok:
        typer.echo(f"OK: {run.counts.used} records for {len(run.sheet.subjects)} subjects in {run.period}")  # type: ignore[union-attr]
    raise typer.Exit(EXIT_OK if run.ok else (_exit_code(run.diagnostics) or EXIT_DATA))


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
