"""Resolve the names a log uses (考核项目/考核标准, raters) to the rubric's rules.

A row may name a rule by its id, its Chinese name or an alias, or qualified as
``item.rule`` (``考勤管理.迟到``, ``kaoqin.chidao``) where a name occurs in two
items.  Rated items are named by their own id or name; adjustments by the
adjustments' name or aliases.  Names are compared with :func:`names.normalize`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal, NamedTuple

from kpi_cli.i18n import _
from kpi_cli.names import did_you_mean, normalize, quoted
from kpi_cli.rubric.model import DeductionRule, MetricRule, Rater, Rubric

TargetKind = Literal["deduction", "metric", "rating", "adjustment", "total", "veto", "na"]

#: What follows an item's id or name to mark it not applicable for a person: 物业费收缴.不适用
NOT_APPLICABLE_WORDS = ("不适用", "na", "n/a")



class Unresolved(str):
    """Why a name does not resolve to a rule: the message for people (it is the str) and its diagnostic code."""

    code: str

    def __new__(cls, message: str, code: str) -> Unresolved:
        self = super().__new__(cls, message)
        self.code = code
        return self

class Target(NamedTuple):
    """What a log row is about."""

    kind: TargetKind
    item: int  # index into rubric.items; -1 for adjustments, total deductions and vetoes
    rule: int  # index into item.rules (total: rubric.total_deductions, veto: rubric.vetoes); -1 for ratings, adjustments
    label: str  # 考勤管理 / 迟到, for messages and reports


class RubricIndex:
    """Name lookups for one rubric, built once."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self._names: dict[str, list[Target]] = defaultdict(list)
        self._display: list[str] = []
        for i, item in enumerate(rubric.items):
            if item.rating is not None:
                target = Target("rating", i, -1, item.name)
                self._add(target, item.id, item.name)
            for j, rule in enumerate(item.rules):
                kind: TargetKind = "metric" if isinstance(rule, MetricRule) else "deduction"
                assert isinstance(rule, (DeductionRule, MetricRule))
                target = Target(kind, i, j, f"{item.name} / {rule.name}")
                self._add(target, rule.id, rule.name, *rule.aliases)
                for item_key in (item.id, item.name):
                    for rule_key in (rule.id, rule.name, *rule.aliases):
                        self._add(target, f"{item_key}.{rule_key}", display=False)
        for i, item in enumerate(rubric.items):
            if item.not_applicable is not None:
                target = Target("na", i, -1, f"{item.name} / 不适用")
                for item_key in (item.id, item.name):
                    self._add(target, *(f"{item_key}.{word}" for word in NOT_APPLICABLE_WORDS), display=False)
                self._display.append(f"{item.name}.不适用")
        for j, rule in enumerate(rubric.total_deductions):
            self._add(Target("total", -1, j, f"扣总分 / {rule.name}"), rule.id, rule.name, *rule.aliases)
        for k, veto in enumerate(rubric.vetoes):
            self._add(Target("veto", -1, k, f"一票否决 / {veto.name}"), veto.id, veto.name, *veto.aliases)
        if rubric.adjustments is not None:
            adj = rubric.adjustments
            self._add(Target("adjustment", -1, -1, adj.name), adj.name, *adj.aliases, "adjustment")
        self._raters: dict[str, int] = {}
        for k, rater in enumerate(rubric.raters):
            for key in (rater.id, rater.name, *rater.aliases):
                self._raters[normalize(key)] = k
        self._cache: dict[tuple[str, str | None], Target | str] = {}

    def _add(self, target: Target, *keys: str, display: bool = True) -> None:
        for key in keys:
            found = self._names[normalize(key)]
            if target not in found:
                found.append(target)
            if display:
                self._display.append(key)

    def resolve(self, name: str, role: str | None) -> Target | Unresolved:
        """The target named by ``name`` for a subject of ``role``, or a message saying why not."""
        cache_key = (name, role)
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        result = self._resolve(name, role)
        if len(self._cache) < 100_000:
            self._cache[cache_key] = result
        return result

    def _resolve(self, name: str, role: str | None) -> Target | Unresolved:
        key = normalize(name)
        if not key:
            return Unresolved(_("no 考核项目 (rule) given"), "missing-cell")
        found = self._names.get(key, [])
        if not found:
            return Unresolved(_("unknown rule {name}{hint}").format(name=quoted(name),
                                                                    hint=did_you_mean(name, self._display)),
                              "unknown-rule")
        applicable = [t for t in found if self._applies(t, role)]
        if not applicable:
            first = found[0]
            if first.kind in ("total", "veto"):
                roles = (self.rubric.total_deductions if first.kind == "total" else self.rubric.vetoes)[first.rule].roles
            else:
                item = self.rubric.items[first.item]
                roles = item.roles if not item.applies_to(role) else item.rules[first.rule].roles
            return Unresolved(_("{rule} does not apply to role {role} (only to {roles})").format(
                rule=first.label, role=role, roles=", ".join(roles)), "not-for-role")
        if len(applicable) > 1:
            options = "; ".join(self._qualified(t) for t in applicable)
            return Unresolved(_("{name} is ambiguous here; write one of: {options}").format(name=quoted(name),
                                                                                            options=options),
                              "ambiguous-rule")
        return applicable[0]

    def applies(self, target: Target, role: str | None) -> bool:
        """Whether ``target`` applies to a subject of ``role`` (its item's and its own roles)."""
        return self._applies(target, role)

    def _applies(self, target: Target, role: str | None) -> bool:
        if target.kind == "total":
            return self.rubric.total_deductions[target.rule].applies_to(role)
        if target.kind == "veto":
            return self.rubric.vetoes[target.rule].applies_to(role)
        if target.item < 0:
            return True
        item = self.rubric.items[target.item]
        return item.applies_to(role) and (target.rule < 0 or item.rules[target.rule].applies_to(role))

    def _qualified(self, target: Target) -> str:
        if target.item < 0:
            return target.label
        item = self.rubric.items[target.item]
        return f"{item.name}.{item.rules[target.rule].name}" if target.rule >= 0 else item.name

    def rater(self, name: str) -> int | str:
        """Index of the rater called ``name``, or a message."""
        k = self._raters.get(normalize(name))
        if k is not None:
            return k
        if not self.rubric.raters:
            return _("this rubric has no raters")
        names = [r.name for r in self.rubric.raters]
        return _("unknown rater {name}{hint}; the raters are {raters}").format(
            name=quoted(name), hint=did_you_mean(name, names), raters=", ".join(names))

    @property
    def raters(self) -> tuple[Rater, ...]:
        return self.rubric.raters
