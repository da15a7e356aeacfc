"""What ``kpi score`` is asked to do, resolved: options, kpi.toml and defaults merged into one :class:`ScoreJob`.

For every setting the command-line option wins (its environment variable,
``KPI_RUBRICS_DIR`` / ``KPI_CONFIG`` / ``KPI_TODAY``, arrives as the same
option: typer reads it), then kpi.toml, then the default.  Resolving finds and
loads the rubric, works out the period (relative periods count from ``today``),
fills the log's ``{period}`` pattern, plans the output (format and file) and
refuses an output that is one of the inputs.  Nothing here prints or exits:
problems are raised as :mod:`kpi_cli.errors` for the command line to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpi_cli.i18n import N_, _
from kpi_cli.cli.project_config import Config, fill, load_project_config
from kpi_cli.engine.periods import Period, PeriodKind, resolve_period
from kpi_cli.errors import UsageError
from kpi_cli.outputs.exporters import (
    BINARY,
    EXTENSIONS,
    FORMATS,
    format_for,
    needs_records,
)
from kpi_cli.outputs.atomic import input_overwritten
from kpi_cli.outputs.report import STDOUT, OutputPlan
from kpi_cli.rubric.loader import DEFAULT_RUBRIC_DIR, load_named_rubric
from kpi_cli.rubric.model import Rubric


@dataclass(frozen=True)
class ScoreJob:
    """Everything a ``kpi score`` run needs, checked; build it with :func:`resolve_score_options`."""

    rubric: Rubric
    rubric_path: Path
    log: Path
    roster: Path | None
    period: Period | None  # None: the one period the log covers, known once it is read
    plan: OutputPlan  # its file name may hold "{period}" while ``period`` is None: see plan_for
    rubrics_dir: Path
    config: Config | None = None
    format: str | None = None  # --format as given
    output: Path | str | None = None  # --output as given

    @property
    def inputs(self) -> list[tuple[str, Path | str | None]]:
        """What this run reads, which no output may overwrite: the log, the roster, the rubric, kpi.toml."""
        return [(N_("log"), self.log), (N_("roster"), self.roster), (N_("rubric"), self.rubric_path),
                (N_("kpi.toml"), self.config.path if self.config is not None else None)]

    @property
    def keep_records(self) -> bool:
        """Whether the report lists the records behind the figures (then they are kept in memory)."""
        return needs_records(self.plan.format)

    def plan_for(self, period: Period) -> OutputPlan:
        """The output plan once the period is known (kpi.toml's file name may contain it)."""
        if self.period is not None:
            return self.plan
        return plan_output(format=self.format, output=self.output, config=self.config, rubric_id=self.rubric.id,
                           period=str(period))


def parse_today(text: str | date | None) -> date | None:
    """``--today`` / ``KPI_TODAY``: ``2026-11-01``."""
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(_("{text} is not a date: write 2026-11-01").format(text=repr(text)), "--today") from None


def choose_period(text: str | None, kind: PeriodKind | None, today: date | None = None) -> Period | None:
    """``--period`` (or kpi.toml's ``period``) for a rubric scored by ``kind``; None when not given."""
    if text is None:
        return None
    try:
        return resolve_period(text, kind, today)
    except ValueError as exc:
        raise UsageError(str(exc), "--period") from None


def resolve_score_options(
    *,
    log: Path | None = None,
    rubric: str | None = None,
    roster: Path | None = None,
    period: str | None = None,
    format: str | None = None,
    output: Path | str | None = None,
    config: Path | str | None = None,
    today: str | date | None = None,
    rubrics_dir: Path | None = None,
    cwd: Path | None = None,
) -> ScoreJob:
    """Merge the options of ``kpi score`` with kpi.toml (``config``, else ``cwd``/kpi.toml) and the defaults.

    ``None`` means "not given" for every option.  Raises
    :class:`~kpi_cli.errors.ConfigNotValid` (kpi.toml), :class:`~kpi_cli.errors.RubricNotFound`,
    :class:`~kpi_cli.errors.RubricNotValid`, or :class:`~kpi_cli.errors.UsageError` with the
    option to blame (a missing rubric or log, a period, a format or output that cannot work,
    an output that would overwrite an input).
    """
    settings = load_project_config(config, cwd)
    day = parse_today(today)
    if rubrics_dir is None:
        if settings is None:
            rubrics_dir = DEFAULT_RUBRIC_DIR
        else:  # relative to kpi.toml, like every path in it: "rubrics" beside it when not given
            rubrics_dir = settings.rubrics_dir if settings.rubrics_dir is not None \
                else settings.folder / DEFAULT_RUBRIC_DIR
    rubric_name = rubric or (settings.rubric if settings is not None else None)
    if rubric_name is None:
        raise UsageError(_("give the rubric (or rubric = \"...\" in kpi.toml)"), "--rubric")
    rubric_path, the_rubric = load_named_rubric(rubric_name, rubrics_dir)
    chosen = choose_period(period or (settings.period if settings is not None else None), the_rubric.period, day)
    if log is None and settings is not None:
        try:
            log = settings.log_path(period=None if chosen is None else str(chosen), rubric=the_rubric.id)
        except KeyError:
            raise UsageError(_("log = {log} in {path} needs the period: give --period, "
                             "or period = \"last-month\" in kpi.toml").format(log=repr(settings.log), path=settings.path),
                             "--period") from None
    if log is None:
        raise UsageError(_("give the record log file (or log = \"...\" in kpi.toml)"), "LOG")
    if roster is None and settings is not None:
        roster = settings.roster
    try:
        plan = plan_output(format=format, output=output, config=settings, rubric_id=the_rubric.id,
                           period="{period}" if chosen is None else str(chosen))
    except ValueError as exc:
        raise UsageError(str(exc), "--format / --output") from None
    job = ScoreJob(the_rubric, rubric_path, log, roster, chosen, plan, Path(rubrics_dir), settings, format, output)
    problem = input_overwritten([(N_("the report"), plan.path or "-")], job.inputs)
    if problem:
        raise UsageError(problem, "--output")
    return job


DEFAULT_FILENAME = "{rubric}-{period}"


def plan_output(
    *,
    format: str | None,
    output: Path | str | None,
    config: Config | None,
    rubric_id: str,
    period: str,
) -> OutputPlan:
    """Where the report goes and in which format.

    ``--output`` wins over kpi.toml's ``output_dir`` / ``filename``; ``-`` is stdout.
    The format is ``--format``, else the output file's extension, else kpi.toml's
    ``format``, else ``table``.  When ``--format`` is given on the command line and
    the file name comes from kpi.toml, the name's extension follows the format.
    Raises ValueError for a combination that cannot work.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(_("unknown format {format}; use one of {formats}").format(format=repr(format),
                                                                                  formats=", ".join(FORMATS)))
    path: Path | None = None
    make_folder = False
    if output is not None:
        path = None if str(output) == STDOUT else Path(output)
    elif config is not None and (config.output_dir is not None or config.filename is not None):
        chosen = format or config.format
        pattern = config.filename or DEFAULT_FILENAME + EXTENSIONS[chosen or "xlsx"]
        name = fill(pattern, period=period, rubric=rubric_id)
        if format is not None and format_for(name) != format:
            name = str(Path(name).with_suffix(EXTENSIONS[format]))
        folder = config.output_dir if config.output_dir is not None else config.folder
        path = folder / name
        make_folder = config.output_dir is not None
    if path is not None:
        named = format_for(path)
        if format is not None and named not in (None, "table", format):  # -o report.xlsx --format csv (.txt: any)
            raise ValueError(_("--format {format} does not match the file name {path}, which ends in {suffix}: "
                               "name the file {suggestion} or drop --format").format(
                format=format, path=path, suffix=path.suffix, suggestion=path.with_suffix(EXTENSIONS[format]).name))
        chosen = format or named or (config.format if config is not None else None)
        if chosen is None:
            known = ", ".join(sorted(EXTENSIONS.values()))
            raise ValueError(_("cannot tell the format of {path} from its extension ({known}); give --format").format(
                path=path, known=known))
        return OutputPlan(chosen, path, make_folder)
    chosen = format or (config.format if config is not None else None) or "table"
    if chosen in BINARY:
        raise ValueError(_("{format} is a binary format and cannot be printed; give --output FILE.{format}").format(
            format=chosen))
    return OutputPlan(chosen, None)
