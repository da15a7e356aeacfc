"""JSON: the whole scored period with the records behind it, in a documented, stable shape.

Shape (``"schema": "kpi-cli/score/1"``; new keys may be added, none removed or renamed)::

    {
      "schema": "kpi-cli/score/1",
      "provenance": {"tool", "version", "run_at", "rubric": {"id", "title", "file", "sha256"},
                     "period", "inputs": [{"role", "file", "sha256", "bytes"}], "rows": {...}},
      "rubric": {"id", "title", "period", "total", "decimals",
                 "items": [{"id", "name", "max"}],
                 "status": "draft" | "adopted" | null, "draft": bool,
                 "reconstructed": [{"path", "what", "note"}]},   (the parts to mark until adopted)
      "period": {"id": "2026-10", "kind": "month", "label": "2026年10月"},
      "summary": {"count", "mean", "min", "max", "grades": {label: n}, "outcomes": {label: n}},
      "subjects": [{
        "rank", "department_rank", "id", "name", "department", "role",
        "items": [{"id", "name", "max", "score", "raw", "deducted", "occurrences",
                   "wiped", "floored", "capped"}],
        "adjustments": [{"points", "reason", "file", "line"}],
        "item_total", "adjustment_total", "raw_total", "total",
        "grade": label | null,
        "outcome": {"label", "pay", "action"} | null,
        "records": [{"item", "rule", "kind", "kind_label", "date", "count", "points", "change", "value",
                     "rater", "score", "effect", "note", "file", "sheet", "line"}],
        "adjustment_recorded",   (the net 奖扣分 as recorded; adjustment_total is what counted)
        "bounded": "cap" | "floor" | null   (the total capped at the declared total, or floored at 0)
      }]
    }

Every figure is the exact decimal written as a string ("36.8", "-3", "0.5",
"86.49473684210526315789473684"; never "≈...": only a record's "effect", the calculation in
words as on screen, may say ≈), so nothing is lost to binary
floating point and ``Decimal(s)`` gives the value back; ``total`` (and the summary's
min and max, which are totals) carry the rubric's decimals ("95.0" when it keeps
one).  Counts, ranks and line numbers are JSON integers; dates are ISO 8601 strings.
Text is kept as it is; control characters are \\u-escaped (C1 and bidi controls too,
which JSON would allow raw), so the file is safe to print.  Keys keep this order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from decimal import Decimal
from json.encoder import encode_basestring  # the C one where there is one (ensure_ascii=False's quoting)

from kpi_cli.rubric.fidelity import is_draft, pending
from kpi_cli.rubric.yaml_source import format_path
from kpi_cli.outputs.provenance import Provenance
from kpi_cli.engine.results import ScoreSheet, SubjectScore
from kpi_cli.outputs.exporters.common import KIND_NAMES, RecordLine, exact, fixed, record_lines
from kpi_cli.outputs.safe_text import json_safe, json_text

SCHEMA = "kpi-cli/score/1"


def _num(value: Decimal | None) -> str | None:
    return None if value is None else exact(value)


def _total(value: Decimal | None, decimals: int) -> str | None:
    return None if value is None else fixed(value, decimals)


RECORD_KEYS = ("item", "rule", "kind", "kind_label", "date", "count", "points", "change", "value", "rater", "score",
               "effect", "note", "file", "sheet", "line")


def _record_values(x: RecordLine, rubric_raters: list[str]) -> tuple[object, ...]:
    """A record's values, in the order of :data:`RECORD_KEYS`: text, integers and None only."""
    r = x.record
    return (
        x.item,
        x.rule,
        r.kind,
        KIND_NAMES.get(r.kind, r.kind),
        r.date.isoformat(),
        r.count if r.kind == "deduction" else None,
        _num(r.points),
        _num(x.change),
        _num(r.value),
        rubric_raters[r.rater] if r.kind == "rating" and 0 <= r.rater < len(rubric_raters) else None,
        _num(r.score),
        x.effect,
        r.note,
        r.file,
        r.sheet,
        r.line,
    )


def _record(x: RecordLine, rubric_raters: list[str]) -> dict[str, object]:
    return dict(zip(RECORD_KEYS, _record_values(x, rubric_raters)))


class _Indented(str):
    """JSON text already indented for the place it goes (see :func:`_record_text`): :func:`indented` writes it
    as it is."""


#: Where a record sits in json_chunks: a subject is written at 4 spaces, its keys at 6, its records at 8.
RECORD_PAD = " " * 8
_RECORD_TEMPLATE = ("{{\n" + ",\n".join(f'{RECORD_PAD}  "{key}": {{}}' for key in RECORD_KEYS) + "\n" + RECORD_PAD
                    + "}}")


def _record_text(x: RecordLine, rubric_raters: list[str]) -> _Indented:
    """What ``indented(_record(x, ...), RECORD_PAD)`` writes, without making the dict first (a record is most of a
    report's text: 300,000 of them in a month of 10,000 people)."""
    return _Indented(_RECORD_TEMPLATE.format(*[
        encode_basestring(v) if type(v) is str else ("null" if v is None else int.__repr__(v))  # type: ignore[arg-type]
        for v in _record_values(x, rubric_raters)]))


def _subject(s: SubjectScore, records: list[dict[str, object]], decimals: int) -> dict[str, object]:
    return {
        "rank": s.rank,
        "department_rank": s.department_rank,
        "id": s.subject.id,
        "name": s.subject.name,
        "department": s.subject.department,
        "role": s.subject.role,
        "items": [{
            "id": i.id, "name": i.name, "max": _num(i.max), "score": _num(i.score), "raw": _num(i.raw),
            "deducted": _num(i.deducted), "occurrences": i.occurrences, "wiped": i.wiped, "floored": i.floored,
            "capped": i.capped,
        } for i in s.items],
        "adjustments": [{"points": _num(a.points), "reason": a.reason, "file": a.record.file, "line": a.record.line}
                        for a in s.adjustments],
        "item_total": _num(s.item_total),
        "adjustment_total": _num(s.adjustment_total),  # as counted: within the net bound
        "raw_total": _num(s.raw_total),
        "total": _total(s.total, decimals),
        "grade": s.grade.label if s.grade else None,
        "outcome": None if s.outcome is None else {
            "label": s.outcome.label, "pay": _num(s.outcome.pay), "action": s.outcome.action,
        },
        "records": records,
        "adjustment_recorded": _num(s.adjustment_recorded),  # as recorded (differs when capped at the net bound)
        "bounded": s.bounded or None,  # "cap": above 满分, capped; "floor": below 0, floored
    }


def _head(sheet: ScoreSheet, provenance: Provenance) -> dict[str, object]:
    """Everything but the subjects."""
    rubric = sheet.rubric
    summary = sheet.summary
    decimals = rubric.rounding.decimals
    return {
        "schema": SCHEMA,
        "provenance": provenance.as_dict(),
        "rubric": {
            "id": rubric.id, "title": rubric.title, "period": rubric.period, "total": _num(rubric.total),
            "decimals": rubric.rounding.decimals,
            "items": [{"id": i.id, "name": i.name, "max": _num(i.max)} for i in rubric.items],
            "status": rubric.status, "draft": is_draft(rubric),
            "reconstructed": [{"path": format_path(p.path), "what": p.what, "note": p.note} for p in pending(rubric)],
        },
        "period": {"id": str(sheet.period), "kind": sheet.period.kind, "label": sheet.period.label},
        "summary": {
            "count": summary.count, "mean": _num(summary.mean), "min": _total(summary.minimum, decimals),
            "max": _total(summary.maximum, decimals), "grades": dict(summary.per_grade), "outcomes": dict(summary.per_outcome),
        },
        "subjects": [],
    }


def _subjects(sheet: ScoreSheet, record: Any = _record) -> Iterator[dict[str, object]]:
    """Each subject with its records (each made by ``record``), one at a time (record_lines gives them subject by
    subject)."""
    raters = [r.name for r in sheet.rubric.raters]
    decimals = sheet.rubric.rounding.decimals
    lines = iter(record_lines(sheet))
    pending = next(lines, None)
    for s in sheet.subjects:
        records: list[Any] = []
        while pending is not None and pending.subject is s:
            records.append(record(pending, raters))
            pending = next(lines, None)
        yield _subject(s, records, decimals)


def to_dict(sheet: ScoreSheet, provenance: Provenance) -> dict[str, object]:
    whole = _head(sheet, provenance)
    whole["subjects"] = list(_subjects(sheet))
    return whole


_KEYS: dict[str, str] = {}  # a key's JSON text (keys repeat in every subject and record)


def indented(value: object, pad: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` as if nested at indentation ``pad``, the same text.

    The standard library's encoder is in C only without ``indent``; with it, every value goes through a
    chain of Python generators, which made it most of the JSON export's time.  This does the same for the
    types a report holds (dict with text keys, list, str, int, bool, None) and hands anything else to
    ``json.dumps`` (tests compare both on every example)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is _Indented:
        return value  # type: ignore[return-value]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict and all(type(k) is str for k in value):  # type: ignore[attr-defined]
        if not value:
            return "{}"
        inner = pad + "  "
        parts = []
        for k, v in value.items():  # type: ignore[attr-defined]
            vkind = type(v)  # the scalars inline: a record is 16 of them
            if vkind is str:
                text = encode_basestring(v)
            elif v is None:
                text = "null"
            elif vkind is int:
                text = int.__repr__(v)
            else:
                text = indented(v, inner)
            key = _KEYS.get(k)
            if key is None:
                key = encode_basestring(k)
                if len(_KEYS) < 1000:
                    _KEYS[k] = key
            parts.append(f"{inner}{key}: {text}")
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + ",\n".join(inner + indented(v, inner) for v in value) + "\n" + pad + "]"  # type: ignore[attr-defined]
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def json_chunks(sheet: ScoreSheet, provenance: Provenance) -> Iterator[bytes]:
    """The document in pieces, a subject at a time: the same bytes as one ``json_text(indent=2)`` of
    :func:`to_dict`, without ever holding the whole of it (300,000 records are some 200 MB of text)."""
    head = json_text(_head(sheet, provenance), indent=2)
    empty = '"subjects": []\n}'
    assert head.endswith(empty)
    first = True
    for subject in _subjects(sheet, _record_text):
        text = json_safe(indented(subject, "    "))  # two levels deeper
        start = head[:-len(empty)] + '"subjects": [\n    ' if first else ",\n    "
        yield (start + text).encode("utf-8")
        first = False
    yield (head + "\n").encode("utf-8") if first else b"\n  ]\n}\n"


def to_json(sheet: ScoreSheet, provenance: Provenance) -> bytes:
    return b"".join(json_chunks(sheet, provenance))
