"""The commands of ``kpi``, built only when they are used.

typer turns every registered command into a click command on every run: it reads each function's
signature and evaluates its annotations, which for the ~20 commands of ``kpi`` cost more than importing
typer itself.  A run uses one command (``kpi --help`` none), so :func:`defer_commands` takes the
registrations off the app, and :class:`LazyCommands` (the group's ``commands``) builds a command the
first time it is looked up, in the language of the run.  ``kpi --help`` lists the commands from their
registrations (name, help, hidden) without building any (:func:`help_stub`).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

import typer
import typer.main

if TYPE_CHECKING:
    from typer.models import CommandInfo


class _Registry:
    """What :func:`defer_commands` took off the app: name -> registration, and how typer builds them."""

    infos: dict[str, CommandInfo] = {}
    pretty_exceptions_short: bool = True
    rich_markup_mode: Any = None


def command_name(info: CommandInfo) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]


def defer_commands(app: typer.Typer, command_class: type) -> None:
    """Take the commands registered on ``app`` off it; the group builds them on first use (with
    ``command_class`` unless a command asks for its own class)."""
    for info in app.registered_commands:
        if info.cls is None or info.cls is typer.core.TyperCommand:
            info.cls = command_class
    _Registry.infos = {**_Registry.infos, **{command_name(info): info for info in app.registered_commands}}
    _Registry.pretty_exceptions_short = app.pretty_exceptions_short
    _Registry.rich_markup_mode = app.rich_markup_mode
    app.registered_commands = []


def deferred_names() -> list[str]:
    return list(_Registry.infos)


def help_stub(name: str) -> Any:
    """A parameterless command carrying only what a list of commands shows: name, help, hidden."""
    info = _Registry.infos[name]
    text = inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback)
    return typer.core.TyperCommand(name=name, help=text, short_help=info.short_help, hidden=info.hidden,
                                   deprecated=info.deprecated)


def build(name: str) -> Any:
    return typer.main.get_command_from_info(_Registry.infos[name],
                                            pretty_exceptions_short=_Registry.pretty_exceptions_short,
                                            rich_markup_mode=_Registry.rich_markup_mode)


class LazyCommands(MutableMapping[str, Any]):
    """A group's ``commands``: every deferred name is a key; a command is built when it is looked up, and
    passed to ``on_build`` (which translates its help) before it is returned."""

    def __init__(self, built: MutableMapping[str, Any], on_build: Any) -> None:
        self._built = dict(built)
        self._on_build = on_build

    def is_built(self, name: str) -> bool:
        return name in self._built

    def __getitem__(self, name: str) -> Any:
        command = self._built.get(name)
        if command is None:
            if name not in _Registry.infos:
                raise KeyError(name)
            command = self._built[name] = build(name)
            self._on_build(command)
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("kpi's commands cannot be removed")

    def __iter__(self) -> Iterator[str]:
        yield from self._built
        yield from (name for name in _Registry.infos if name not in self._built)

    def __len__(self) -> int:
        return len(set(self._built) | set(_Registry.infos))

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in _Registry.infos
