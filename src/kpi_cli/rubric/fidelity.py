"""What of a rubric is the company's rule and what is reconstructed (重建).

A part of a rubric that the source form does not give (a lost 分值, an invented
weight, grade bands the form never had) carries ``reconstructed: "why"``.  Until
the company adopts the rubric (``status: adopted`` with ``adopted_by`` and
``adopted_on``), every output a person reads says that it holds such parts:
:func:`pending` lists them, :func:`is_draft` says whether to mark the output.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kpi_cli.i18n import _
from kpi_cli.rubric.model import Rubric
from kpi_cli.rubric.yaml_source import YamlPath


class Reconstructed(NamedTuple):
    """One reconstructed part: where it is in the YAML, what it is (in the forms' words), and the note."""

    path: YamlPath
    what: str
    note: str


def reconstructed_parts(rubric: Rubric) -> tuple[Reconstructed, ...]:
    """Every part that carries a ``reconstructed`` note, in the order of the file."""
    return tuple(_walk(rubric))


def _walk(rubric: Rubric) -> Iterator[Reconstructed]:
    def part(obj: object, path: YamlPath, what: str) -> Iterator[Reconstructed]:
        note = getattr(obj, "reconstructed", None)
        if note:
            yield Reconstructed(path, what, note)

    yield from part(rubric, (), _("rubric {id}").format(id=rubric.id))
    yield from part(rubric.rounding, ("rounding",), _("rounding of the total"))
    for k, rater in enumerate(rubric.raters):
        yield from part(rater, ("raters", k), _("rater {name}").format(name=rater.name))
    if rubric.adjustments is not None:
        yield from part(rubric.adjustments, ("adjustments",), rubric.adjustments.name)
    for i, item in enumerate(rubric.items):
        here: YamlPath = ("items", i)
        yield from part(item, here, _("item {name}").format(name=item.name))
        for j, rule in enumerate(item.rules):
            yield from part(rule, here + ("rules", j), _("rule {name}").format(name=rule.name))
            for b, band in enumerate(getattr(rule, "bands", ())):
                yield from part(band, here + ("rules", j, "bands", b),
                                _("{rule}, band {n}").format(rule=rule.name, n=b + 1))
        for key, weight in (item.weights or {}).items():
            who = next((r.name for r in rubric.raters if r.id == key), key)
            yield from part(weight, here + ("weights", key),
                            _("{item}, weight of {rater}").format(item=item.name, rater=who))
        if item.rating is not None:
            yield from part(item.rating, here + ("rating",), _("{item}, rating").format(item=item.name))
            for b, rband in enumerate(item.rating.bands):
                yield from part(rband, here + ("rating", "bands", b),
                                _("{item}, rating band {label}").format(item=item.name, label=rband.label))
    for j, total_rule in enumerate(rubric.total_deductions):
        yield from part(total_rule, ("total_deductions", j),
                        _("deduction from the total {name}").format(name=total_rule.name))
    for k, veto in enumerate(rubric.vetoes):
        yield from part(veto, ("vetoes", k), _("veto {name}").format(name=veto.name))
    for b, band in enumerate(rubric.grades):
        yield from part(band, ("grades", b), _("grade {label}").format(label=band.label))
    for b, band in enumerate(rubric.outcomes):
        yield from part(band, ("outcomes", b), _("outcome {label}").format(label=band.label))
    if rubric.rollup is not None:
        yield from part(rubric.rollup, ("rollup",), _("roll-up of periods (rollup)"))
    for k, rule in enumerate(rubric.across_periods):
        yield from part(rule, ("across_periods", k), _("rule across periods {name}").format(name=rule.name))


def is_adopted(rubric: Rubric) -> bool:
    return rubric.status == "adopted"


def pending(rubric: Rubric) -> tuple[Reconstructed, ...]:
    """The reconstructed parts an output must mark: all of them until the rubric is adopted, then none."""
    return () if is_adopted(rubric) else reconstructed_parts(rubric)


def is_draft(rubric: Rubric) -> bool:
    """Outputs carry the 草案 mark: the rubric says ``status: draft``, or it is not adopted and holds
    reconstructed parts."""
    return rubric.status == "draft" or bool(pending(rubric))


def marked(rubric: Rubric, part: object) -> str | None:
    """The note an output shows beside ``part`` (an item, rule, rater or band), or None."""
    if is_adopted(rubric):
        return None
    return getattr(part, "reconstructed", None) or None


def draft_note(rubric: Rubric) -> str | None:
    """One line for a footer or an export: the rubric is a draft, with how many reconstructed parts."""
    if not is_draft(rubric):
        return None
    n = len(pending(rubric))
    if n:
        return _("rubric {id} is a draft with {n} reconstructed parts (marked 重建, not in the source form) until "
                 "the company adopts it (status: adopted)").format(id=rubric.id, n=n)
    return _("rubric {id} is a draft: not adopted by the company yet (status: adopted)").format(id=rubric.id)
