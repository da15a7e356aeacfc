"""Which records an amendment added, removed or changed (pure).

A record is compared by what it says, not where it stands: the same event on another line (rows
inserted above it) is unchanged.  Records that differ are paired as *changed* when they are about
the same person, day, rule and rater; what is left is *added* or *removed*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kpi_cli.engine.results import Record, ScoreSheet
from kpi_cli.engine.scoring import fmt
from kpi_cli.rubric.model import Rubric


@dataclass(frozen=True, slots=True)
class RecordChange:
    subject: str
    change: str  # added | removed | changed
    old_location: str  # file:line, "" when added
    new_location: str  # "" when removed
    old_text: str
    new_text: str


def sheet_records(sheet: ScoreSheet) -> Iterator[Record]:
    """Every record kept behind a scored sheet (score it with ``keep_records=True``)."""
    for s in sheet.subjects:
        for item in s.items:
            yield from item.records
        for adjustment in s.adjustments:
            yield adjustment.record


def describe(record: Record, rubric: Rubric) -> str:
    """``2026-10-17 服务质量/违反工作流程 ×1 1.5分 报修单未登记``: the record as a person reads it."""
    if record.kind == "adjustment":
        what = rubric.adjustments.name if rubric.adjustments is not None else "奖扣分"
    elif 0 <= record.item < len(rubric.items):
        item = rubric.items[record.item]
        rule = item.rules[record.rule].name if 0 <= record.rule < len(item.rules) else ""
        what = f"{item.name}/{rule}" if rule else item.name
    else:
        what = record.label
    parts = [record.date.isoformat(), what]
    if record.kind == "deduction":
        parts.append(f"×{record.count}")
        if record.points is not None:
            parts.append(f"{fmt(record.points)}分")
    elif record.kind == "adjustment" and record.points is not None:
        parts.append(f"{'+' if record.points > 0 else ''}{fmt(record.points)}分")
    if record.value is not None:
        parts.append(f"={fmt(record.value)}")
    if 0 <= record.rater < len(rubric.raters):
        parts.append(rubric.raters[record.rater].name)
    if record.score is not None:
        parts.append(f"{fmt(record.score)}分")
    if record.note:
        parts.append(record.note)
    return " ".join(parts)


def _content(r: Record) -> tuple[object, ...]:
    return (r.subject, r.date, r.kind, r.item, r.rule, r.count, r.points, r.value, r.rater, r.score, r.note)


def _pairing(r: Record) -> tuple[object, ...]:
    return (r.subject, r.date, r.kind, r.item, r.rule, r.rater)


def diff_records(old: Iterable[Record], new: Iterable[Record], old_rubric: Rubric, new_rubric: Rubric
                 ) -> list[RecordChange]:
    """The changes from ``old`` to ``new`` records, by person, then by where they stand."""
    remaining: dict[tuple[object, ...], list[Record]] = defaultdict(list)
    for r in old:
        remaining[_content(r)].append(r)
    added: list[Record] = []
    for r in new:
        same = remaining.get(_content(r))
        if same:
            same.pop(0)
        else:
            added.append(r)
    removed = [r for group in remaining.values() for r in group]
    by_pair: dict[tuple[object, ...], list[Record]] = defaultdict(list)
    for r in sorted(removed, key=lambda x: (x.file, x.sheet, x.line)):
        by_pair[_pairing(r)].append(r)
    changes: list[tuple[tuple[object, ...], RecordChange]] = []
    for r in added:
        partners = by_pair.get(_pairing(r))
        if partners:
            o = partners.pop(0)
            changes.append((_at(r), RecordChange(r.subject, "changed", o.location, r.location,
                                                 describe(o, old_rubric), describe(r, new_rubric))))
        else:
            changes.append((_at(r), RecordChange(r.subject, "added", "", r.location, "", describe(r, new_rubric))))
    for group in by_pair.values():
        changes.extend((_at(o), RecordChange(o.subject, "removed", o.location, "", describe(o, old_rubric), ""))
                       for o in group)
    return [c for _, c in sorted(changes, key=lambda x: x[0])]


def _at(r: Record) -> tuple[object, ...]:
    return (r.subject, r.date, r.line)
