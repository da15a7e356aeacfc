"""``kpi --lang zh CMD --help`` for every registered command: a clerk who reads no English can use each one.

The commands are walked from the typer app itself, so a command or option added later is checked too: its
help must exist, be in the catalog (shown in Chinese), and the page must hold no English sentence.
"""

from __future__ import annotations

import pytest

from zh_support import CJK, english_lines


def _commands() -> list[tuple[str, ...]]:
    import typer.main

    from kpi_cli.cli import app

    found: list[tuple[str, ...]] = [()]

    def walk(command, path: tuple[str, ...]) -> None:
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found.append((*path, name))
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()


def test_the_walk_finds_the_commands():
    names = {c[0] for c in COMMANDS if c}
    assert {"score", "explain", "check", "forms", "close", "payroll", "amend", "signoff", "appeal"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(c) or "kpi" for c in COMMANDS])
def test_help_is_chinese(invoke, path):
    result = invoke("--lang", "zh", *path, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：kpi"), result.output[:80]
    assert not english_lines(result.output), english_lines(result.output)


@pytest.mark.parametrize("path", [c for c in COMMANDS if c], ids=[" ".join(c) for c in COMMANDS if c])
def test_every_option_and_argument_has_chinese_help(path):
    """Each parameter says what it is for, in Chinese (a help left out, or one not marked N_, shows here)."""
    import typer.main

    from kpi_cli.cli import app
    from kpi_cli.cli.language import translate_help
    from kpi_cli.i18n import set_language

    set_language("zh")
    command = typer.main.get_command(app)
    translate_help(command)
    for name in path:
        command = command.commands[name]
    assert command.help and CJK.search(command.help), f"kpi {' '.join(path)}: {command.help!r}"
    untranslated = [f"{param.name}: {getattr(param, 'help', None)!r}" for param in command.params
                    if not (getattr(param, "help", None) and CJK.search(param.help))]
    assert not untranslated, f"kpi {' '.join(path)}: " + "; ".join(untranslated)
