"""The language of a run, and typer's own words in it: help pages, usage lines, usage errors.

The language is decided before the command line is parsed (``--lang`` anywhere before the command,
``KPI_LANG``, kpi.toml ``language``, the locale; see :func:`kpi_cli.i18n.choose_language`), so that the
help of every command and every usage error is already in it.  typer builds its click commands afresh
for each run, with the English help strings of the source (marked ``N_``); :class:`KpiGroup` translates
them in that fresh tree.  typer's own words go through the same catalog.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typer
import typer.core
from typer.core import TyperCommand, TyperGroup

from kpi_cli.i18n import N_, _, choose_language, normalize_language, set_language

# typer's (click's) own words, marked here so that they are in the catalog.
TYPER_WORDS = (
    N_("Show this message and exit."), N_("Usage: "), N_("Options"), N_("Arguments"), N_("Commands"),
    N_("default: {default}"), N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
    N_("Missing command."), N_("No such command {name!r}."),
)
typer.core._ = _  # typer.core's gettext: section titles, [default: ...], [required], "No such command"


def _option_value(args: Sequence[str], name: str) -> str | None:
    """The value of ``name VALUE`` or ``name=VALUE`` among ``args`` (before a ``--``), else None."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1:]
    return None


def config_language(args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> str | None:
    """``language`` in the kpi.toml of this run (``--config``, ``KPI_CONFIG``, ./kpi.toml), if it says one.

    Only this key is read here, quickly; the file is checked in full by the commands that use it.
    """
    given = _option_value(args, "--config") or env.get("KPI_CONFIG")
    path = Path(given) if given else (cwd or Path.cwd()) / "kpi.toml"
    try:
        import tomllib

        value = tomllib.loads(path.read_bytes().decode("utf-8-sig")).get("language")
    except (OSError, ValueError):  # no file, or one the command will report
        return None
    return value if isinstance(value, str) else None


def language_for_run(args: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    option = _option_value(args, "--lang")
    return choose_language(option if normalize_language(option) else None, config_language(args, env), env)


def check_language(value: str | None) -> str | None:
    """``--lang`` / ``KPI_LANG``: zh or en (zh_CN, en_US... are understood)."""
    if value is not None and normalize_language(value) is None:
        raise typer.BadParameter(_("{value} is not a language kpi speaks: use zh or en").format(value=repr(value)))
    return value


def translate_help(command: Any) -> None:
    """Translate the help of ``command`` and everything under it, in place (a fresh tree for each run)."""
    if getattr(command, "help", None):
        command.help = _(command.help)
        command.short_help = " ".join(command.help.split("\n\n")[0].split())
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


def _usage(text: str) -> str:
    english = "Usage: "
    return _(english) + text[len(english):] if text.startswith(english) else text


class _Translated:
    """What the group and its commands share: a translated usage line and --help option."""

    def get_usage(self, ctx: Any) -> str:
        return _usage(super().get_usage(ctx))  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class KpiCommand(_Translated, TyperCommand):
    pass


class KpiGroup(_Translated, TyperGroup):
    """The ``kpi`` group: chooses the language of the run before anything is parsed or printed."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        set_language(language_for_run(args))
        translate_help(self)
        return super().main(args, *rest, **extra)


def use_translated_commands(app: typer.Typer) -> None:
    """Every command of ``app`` that does not ask for its own class gets :class:`KpiCommand`."""
    for command in app.registered_commands:
        if command.cls is None or command.cls is TyperCommand:
            command.cls = KpiCommand
