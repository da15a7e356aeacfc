"""What every rubric check yields (Problem) and the small helpers several checks share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from kpi_cli.i18n import _
from kpi_cli.rubric.model import Rubric
from kpi_cli.rubric.yaml_source import YamlPath


class Problem(NamedTuple):
    path: YamlPath
    message: str
    code: str
    level: str = "error"


def unknown_role_message() -> str:  # (one message, said in two places)
    return _("role {role} is not one of the rubric's roles ({roles}); correct the spelling or add it to roles: at "
             "the top")


def plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def unknown_roles(rubric: Rubric, roles: Sequence[str], here: YamlPath) -> Iterable[Problem]:
    for k, role in enumerate(roles):
        if role not in rubric.roles:
            yield Problem(here + ("roles", k), unknown_role_message().format(role=repr(role), roles=", ".join(rubric.roles)),
                          "unknown-role")
