"""The project file ``kpi.toml``: what a monthly job needs, so the command stays short.

Example (every key is optional; relative paths are relative to the folder of
the kpi.toml, not to the current folder, so ``--config /srv/kpi/kpi.toml``
works from anywhere)::

    rubrics_dir = "rubrics"                  # where rubric = NAME is looked up (default: rubrics beside kpi.toml)
    rubric = "guanjia"                       # a rubric id, or a path to a .yaml file
    roster = "roster.csv"                    # 花名册
    log = "logs/{period}.csv"                # the record log; {period} and {rubric} are filled in
    period = "last-month"                    # 2026-10, 2026Q4, this-month, last-month, this-quarter, last-quarter
    output_dir = "reports"                   # created if missing
    filename = "{rubric}-{period}.xlsx"      # the report's name; its extension gives the format
    format = "xlsx"                          # table, csv, json, xlsx or markdown (default: from filename)
    language = "zh"                          # zh or en: messages and help (--lang and KPI_LANG win)
    database = "kpi.db"                      # the ledger (kpi close...): a file, or postgresql://host/db

Keys are checked strictly: an unknown key, a value of the wrong type or an
unknown ``{placeholder}`` is an error at ``kpi.toml:LINE``.  Options given on the
command line override the file.
"""

from __future__ import annotations

import os
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kpi_cli.diagnostics import Diagnostic
from kpi_cli.errors import ConfigNotValid
from kpi_cli.i18n import _, normalize_language, os_reason
from kpi_cli.names import did_you_mean
from kpi_cli.outputs.exporters import FORMATS, format_for
from kpi_cli.outputs.safe_text import UNSAFE_OR_BREAK_RE, printable

CONFIG_NAME = "kpi.toml"
KEYS = ("rubrics_dir", "rubric", "roster", "log", "period", "output_dir", "filename", "format", "language", "database")
PLACEHOLDERS = ("period", "rubric")
PATH_KEYS = ("rubrics_dir", "rubric", "roster", "log", "output_dir", "filename")
_WINDOWS_DEVICE = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$")
RUBRIC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Config:
    path: Path
    rubrics_dir: Path | None = None
    rubric: str | None = None
    roster: Path | None = None
    log: str | None = None  # a pattern, relative to the config's folder: see log_path
    period: str | None = None
    output_dir: Path | None = None
    filename: str | None = None
    format: str | None = None
    database: str | None = None  # the ledger: a path (relative to the folder) or a URL, as written

    @property
    def folder(self) -> Path:
        return self.path.parent

    def log_path(self, *, period: str | None, rubric: str) -> Path | None:
        """The log for a period; raises KeyError when the pattern needs {period} and none is known."""
        if self.log is None:
            return None
        return self.folder / os.path.expanduser(fill(self.log, period=period, rubric=rubric))


def fill(pattern: str, *, period: str | None, rubric: str) -> str:
    """``logs/{period}.csv`` -> ``logs/2026-10.csv``; raises KeyError when {period} is needed but unknown."""
    values = {"rubric": rubric}
    if period is not None:
        values["period"] = period
    return pattern.format_map(values)


def needs_period(pattern: str) -> bool:
    return any(field == "period" for _, field, _, _ in string.Formatter().parse(pattern) if field is not None)


def find_config(explicit: Path | str | None, cwd: Path | None = None) -> Path | None:
    """``--config`` / ``KPI_CONFIG`` when given, else ``./kpi.toml`` if there is one."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit)
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_project_config(explicit: Path | str | None, cwd: Path | None = None) -> Config | None:
    """The kpi.toml of this run (see :func:`find_config`), or None when there is none.

    Raises :class:`~kpi_cli.errors.ConfigNotValid` with every problem when it cannot be
    read or is not valid.
    """
    path = find_config(explicit, cwd)
    if path is None:
        return None
    config, problems = load_config(path)
    if config is None:
        raise ConfigNotValid(path, problems)
    return config


def _position(text: str, key: str) -> tuple[int, int]:
    """Line and column of ``key = ...`` or ``[key]`` in the file (0, 0 when not found)."""
    pattern = re.compile(rf'^(\s*(?:\[\s*)?)(["\']?){re.escape(key)}\2\s*(?:=|\])')
    for number, line in enumerate(text.splitlines(), start=1):
        if m := pattern.match(line):
            return number, len(m.group(1)) + 1
    return 0, 0


def _check_pattern(value: str) -> str | None:
    try:
        parsed = [(f, spec, conversion) for _, f, spec, conversion in string.Formatter().parse(value) if f is not None]
    except ValueError as exc:
        return _("not a valid pattern ({reason}); write {period} or {rubric}, and {braces} for a literal brace").format(
            reason=exc, period="{period}", rubric="{rubric}", braces="{{ }}")
    for field, spec, conversion in parsed:
        if spec or conversion:  # {period!r}, {period:>300}: quotes or hundreds of spaces in a file name
            shown = "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            return _("{shown} is not a plain placeholder: write {{period}} or {{rubric}}, without ! or :").format(
                shown=shown)
    fields = [f for f, _, _ in parsed]
    unknown = [f for f in fields if f not in PLACEHOLDERS]
    if unknown:
        return _("unknown placeholder {placeholder}; only {known} are filled in").format(
            placeholder="{" + unknown[0] + "}", known=", ".join("{" + p + "}" for p in PLACEHOLDERS))
    return None


def load_config(path: Path | str) -> tuple[Config | None, list[Diagnostic]]:
    """Read and check a kpi.toml; ``None`` with every problem when it is not valid."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, [Diagnostic(name, 0, 0, _("cannot read the config file: {reason}").format(
            reason=os_reason(exc)), "io-error")]
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        return None, [Diagnostic(name, 0, 0, _("cannot decode the config file as UTF-8 ({reason})").format(
            reason=exc.reason), "config")]
    except RecursionError:  # arrays or tables nested thousands deep: tomllib recurses once per level
        return None, [Diagnostic(name, 0, 0, _("not valid TOML: arrays or tables nested too deeply"), "config")]
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = column = 0
        if m := re.search(r"\(at line (\d+), column (\d+)\)", message):
            line, column = int(m.group(1)), int(m.group(2))
            message = message[:m.start()].strip()
        return None, [Diagnostic(name, line, column, _("not valid TOML: {reason}").format(reason=message), "config")]

    problems: list[Diagnostic] = []
    values: dict[str, str] = {}
    for key, value in data.items():
        line, column = _position(text, key)
        if key not in KEYS:
            what = _("unknown table {key}{hint}; known keys: {keys}") if isinstance(value, dict) \
                else _("unknown key {key}{hint}; known keys: {keys}")
            problems.append(Diagnostic(name, line, column, what.format(key=repr(key), hint=did_you_mean(key, KEYS),
                                                                       keys=", ".join(KEYS)), "config-unknown-key"))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(Diagnostic(name, line, column, _("{key} must be a non-empty text in quotes").format(key=key),
                                       "config-type"))
            continue
        if key in PATH_KEYS and (bad := UNSAFE_OR_BREAK_RE.search(value)):
            problems.append(Diagnostic(name, line, column, _("{key} holds a control character ({char}) that no file "
                                                             "name can hold: remove it").format(
                key=key, char=printable(bad.group(), lines=False)), "config-path"))
            continue
        if key == "filename" and _WINDOWS_DEVICE.match(Path(value.strip()).name.split(".")[0]):
            problems.append(Diagnostic(name, line, column, _("filename: {name} is a device on Windows (CON, PRN, AUX, "
                                                             "NUL, COM1-9, LPT1-9), not a file: choose another "
                                                             "name").format(name=repr(value.strip())), "config-path"))
            continue
        if key in ("log", "filename"):
            problem = _check_pattern(value)
            if problem:
                problems.append(Diagnostic(name, line, column, _("{key}: {problem}").format(key=key, problem=problem),
                                           "config-pattern"))
                continue
        if key == "format" and value not in FORMATS:
            problems.append(Diagnostic(name, line, column, _("format must be one of {formats}, not {value}").format(
                formats=", ".join(FORMATS), value=repr(value)),
                                       "config-format"))
            continue
        if key == "language" and normalize_language(value) is None:
            problems.append(Diagnostic(name, line, column, _("language must be zh or en, not {value}").format(value=repr(value)),
                                       "config-language"))
            continue
        if key == "period":
            from kpi_cli.engine.periods import resolve_period

            try:
                resolve_period(value)
            except ValueError as exc:
                problems.append(Diagnostic(name, line, column, _("period: {problem}").format(problem=exc), "config-period"))
                continue
        values[key] = value.strip()
    if "format" in values and "filename" in values:
        said = format_for(values["filename"])
        if said is not None and said != values["format"]:
            line, column = _position(text, "filename")
            problems.append(Diagnostic(name, line, column, _("filename {filename} is a {said} file but format is "
                                                             "{format}: make them agree, or leave format out").format(
                filename=repr(values["filename"]), said=said, format=repr(values["format"])), "config-format"))
    if problems:
        return None, problems

    config_path = Path(path)
    base = config_path.parent

    def where(key: str) -> Path | None:
        value = values.get(key)
        return None if value is None else base / os.path.expanduser(value)

    rubric = values.get("rubric")
    if rubric is not None and (rubric.endswith(RUBRIC_SUFFIXES) or "/" in rubric or os.sep in rubric):
        rubric = str(base / os.path.expanduser(rubric))
    return Config(config_path, where("rubrics_dir"), rubric, where("roster"), values.get("log"), values.get("period"),
                  where("output_dir"), values.get("filename"), values.get("format"), values.get("database")), []
