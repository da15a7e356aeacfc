"""The language of a run, and typer's own words in it: help pages, usage lines, usage errors.

The language is decided before the command line is parsed (``--lang`` anywhere before the command,
``KPI_LANG``, kpi.toml ``language``, the locale; see :func:`kpi_cli.i18n.choose_language`), so that the
help of every command and every usage error is already in it.  typer builds its click commands afresh
for each run, with the English help strings of the source (marked ``N_``); :class:`KpiGroup` translates
them in that fresh tree.  typer's own words go through the same catalog.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import re

import typer
import typer.core
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # typer's own click
from typer.core import TyperCommand, TyperGroup

from kpi_cli.cli.command_registry import LazyCommands, defer_commands, help_stub
from kpi_cli.i18n import N_, _, choose_language, normalize_language, set_language

# typer's (click's) own words, marked here so that they are in the catalog.
TYPER_WORDS = (
    N_("Show this message and exit."), N_("Usage: "), N_("Options"), N_("Arguments"), N_("Commands"),
    N_("default: {default}"), N_("required"), N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"),
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
        data = path.read_bytes()
        import tomllib  # only when there is a file (most runs have none)

        value = tomllib.loads(data.decode("utf-8-sig")).get("language")
    except (OSError, ValueError, RecursionError):  # no file, or one the command will report
        return None
    return value if isinstance(value, str) else None


def language_for_run(args: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    option = _option_value(args, "--lang")
    return choose_language(option if normalize_language(option) else None, config_language(args, env), env)


def _lang_anywhere(args: list[str]) -> list[str]:
    """``--lang zh`` is a global option, but ``kpi score ... --lang zh`` works too: after the command it is
    taken out of the arguments (the language was chosen from it already, see :func:`language_for_run`)."""
    if "--lang" not in args and not any(a.startswith("--lang=") for a in args):
        return args
    end = args.index("--") if "--" in args else len(args)
    command = next((i for i, a in enumerate(args[:end]) if not a.startswith("-") and (i == 0 or args[i - 1] not in
                                                                                    _GLOBAL_WITH_VALUE)), end)
    out, i = args[:command + 1], command + 1
    while i < len(args):
        arg = args[i]
        if i < end and arg == "--lang" and i + 1 < len(args):
            check_language(args[i + 1]) if normalize_language(args[i + 1]) else _bad_language(args[i + 1])
            i += 2
            continue
        if i < end and arg.startswith("--lang="):
            _bad_language(arg[len("--lang="):]) if not normalize_language(arg[len("--lang="):]) else None
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


_GLOBAL_WITH_VALUE = ("--lang", "--rubrics-dir")


def _bad_language(value: str) -> None:
    typer.echo(_("Error: {message}").format(message=_("Invalid value for {name}: {problem}").format(
        name="'--lang'", problem=_("{value} is not a language kpi speaks: use zh or en").format(value=repr(value)))),
        err=True)
    sys.exit(2)


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
    commands = getattr(command, "commands", {})
    for name in list(commands):
        if not isinstance(commands, LazyCommands) or commands.is_built(name):
            translate_help(commands[name])


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


# click's usage errors, in English in typer: each is recognised by its shape and said again in the language
# of the run.  An error of another shape is shown as it is (the bad-input tests under zh would catch it).
_CLICK_MESSAGES = [
    (r"Missing option (?P<name>.+?)\.", N_("Missing option {name}.")),
    (r"Missing argument (?P<name>.+?)\.", N_("Missing argument {name}.")),
    (r"Missing parameter:? (?P<name>.+?)\.?", N_("Missing parameter {name}.")),
    (r"Missing command\.", N_("Missing command.")),
    (r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)", N_("No such option: {name} (did you "
                                                                            "mean {options}?)")),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"No such command (?P<name>.+?)\. Did you mean (?P<options>.+)\?", N_("No such command {name}. Did you mean "
                                                                      "{options}?")),
    (r"No such command (?P<name>.+?)\.", N_("No such command {name}.")),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", N_("Got unexpected extra arguments ({args}): they belong "
                                                             "to no option; quote a value that has spaces")),
    (r"Option (?P<name>.+) requires an argument\.", N_("Option {name} requires a value.")),
    (r"Option (?P<name>.+) requires (?P<n>\d+) arguments\.", N_("Option {name} requires {n} values.")),
    (r"Option (?P<name>.+) does not take a value\.", N_("Option {name} does not take a value.")),
    (r"Invalid value for (?P<name>.+?): (?P<problem>.*)", N_("Invalid value for {name}: {problem}")),
    (r"Invalid value: (?P<problem>.*)", N_("Invalid value: {problem}")),
    (r"(?:Value error, )?(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"(?:Value error, )?Value (?P<value>.+) is not a valid (?P<type>\w+)\.", N_("{value} is not a valid {type}.")),
    (r"(?:Value error, )?(?P<value>.+) is not a valid (?P<type>\w+)\.?", N_("{value} is not a valid {type}.")),
    (r"(?:File|Directory|Path) (?P<path>.+) does not exist\.", N_("{path} does not exist.")),
    (r"Could not open file (?P<path>.+?): (?P<problem>.*)", N_("Could not open file {path}: {problem}")),
]


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Compiled when a usage error is shown (not at every start)."""
    return [(re.compile(pattern, re.S), message) for pattern, message in _CLICK_MESSAGES]

_NESTED = {"problem"}  # a part that is itself one of click's messages (Invalid value for X: <message>)


def translate_click_message(text: str) -> str:
    """One of click's (typer's) English usage messages in the language of the run."""
    for pattern, message in _patterns():
        m = pattern.fullmatch(text.strip())
        if m:
            parts = {k: translate_click_message(v) if k in _NESTED else v for k, v in m.groupdict().items()}
            return _(message).format(**parts)
    return text


def show_usage_error(error: ClickException) -> None:
    """Like click's ``show()``, with every word in the language of the run."""
    if isinstance(error, NoArgsIsHelpError):
        error.show()
        return
    ctx = getattr(error, "ctx", None)
    if isinstance(error, UsageError) and ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(command=ctx.command_path,
                                                                 option=ctx.help_option_names[0]) + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    typer.echo(_("Error: {message}").format(message=translate_click_message(error.format_message())), err=True,
               color=getattr(ctx, "color", None))


class KpiCommand(_Translated, TyperCommand):
    pass


class KpiGroup(_Translated, TyperGroup):
    """The ``kpi`` group: chooses the language of the run before anything is parsed or printed.

    Its commands are built on first use (cli/command_registry.py), translated as they are built."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands, translate_help)

    def list_commands(self, ctx: Any) -> list[str]:
        """In the order they were registered (as typer's, which builds them all to list them)."""
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands in the help, from their registrations: none of them is built for it."""
        commands = self.commands
        if not isinstance(commands, LazyCommands):  # pragma: no cover (always lazy, see __init__)
            return super().format_commands(ctx, formatter)
        shown = []
        for name in self.list_commands(ctx):
            command = commands[name] if commands.is_built(name) else help_stub(name)
            if not commands.is_built(name):
                translate_help(command)
            if not command.hidden:
                shown.append((name, command))
        if shown:
            limit = formatter.width - 6 - max(len(name) for name, _command in shown)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in shown])

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        set_language(language_for_run(args))
        translate_help(self)  # the group's own help; its commands as they are built
        args = _lang_anywhere(args)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        # What typer's standalone mode does, with click's messages said in the language of the run.
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except ClickException as error:
            show_usage_error(error)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def use_translated_commands(app: typer.Typer) -> None:
    """Every command of ``app`` that does not ask for its own class gets :class:`KpiCommand`; all of them are
    built on first use (cli/command_registry.py)."""
    defer_commands(app, KpiCommand)
