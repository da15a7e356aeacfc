"""``kpi audit --format json`` and ``kpi appeals --format json``: the paper trail for scripts.

Keys are English and stable (never translated); every figure is an exact decimal string (``"94.5"``,
pay ``"3333.34"``), never a float; codes (``close``/``amend``, ``added``/``removed``/``changed``,
``pending``/``confirmed``/``reviewed``/``locked``, ``open``/``amended``/``rejected``) are the ledger's own, with
the Chinese state label beside the sign-off state.  Text is data: it is written as JSON strings, escaped
by ``json.dumps`` (no markup, control characters as ``\\u`` escapes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from kpi_cli.engine.record_diff import RecordChange
from kpi_cli.engine.signoff import LABELS
from kpi_cli.engine.whatif import Change, Standing
from kpi_cli.ledger.appeals import Appeal
from kpi_cli.ledger.audit import Audit, SignEvent, VersionEntry

AUDIT_SCHEMA = "kpi-audit/1"
APPEALS_SCHEMA = "kpi-appeals/1"


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _standing(s: Standing | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"total": _num(s.total), "grade": s.grade, "outcome": s.outcome, "ratio": _num(s.ratio),
            "pay": _num(s.amount)}


def _change(c: Change, records: list[RecordChange]) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "department": c.department, "fields": list(c.fields),
            "old": _standing(c.old), "new": _standing(c.new), "records": [_record(r) for r in records]}


def _record(r: RecordChange) -> dict[str, Any]:
    return {"change": r.change, "old_location": r.old_location or None, "new_location": r.new_location or None,
            "old": r.old_text or None, "new": r.new_text or None}


def _version(v: VersionEntry) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": v.number, "kind": v.kind, "reason": v.reason, "by": v.by, "at": v.at, "people": v.subjects,
        "rubric": {"file": v.rubric_file, "sha256": v.rubric_sha256},
        "log": {"file": v.log_file, "sha256": v.log_sha256}, "roster": v.roster_file,
    }
    if v.people is None:  # the close: nothing to compare with
        return out
    by_subject: dict[str, list[RecordChange]] = {}
    for r in v.records:
        by_subject.setdefault(r.subject, []).append(r)
    changed = [_change(c, by_subject.pop(c.id, [])) for c in v.people.changes]
    changed.extend({"id": subject, "name": None, "department": None, "fields": [], "old": None, "new": None,
                    "records": [_record(r) for r in rs]} for subject, rs in by_subject.items())
    out.update({"records_known": v.records_known, "records_note": v.note, "unchanged": v.people.unchanged,
                "changes": changed})
    return out


def _event(e: SignEvent, name: str) -> dict[str, Any]:
    return {"id": e.subject_id, "name": name, "action": e.action, "state": e.state,
            "state_label": LABELS.get(e.state, e.state), "version": e.version, "reason": e.reason, "by": e.by,
            "at": e.at}


def appeal_dict(a: Appeal) -> dict[str, Any]:
    return {"number": a.number, "rubric": a.rubric_id, "period": str(a.period), "id": a.subject_id, "name": a.name,
            "version": a.version, "reason": a.reason, "opened_by": a.opened_by, "opened_at": a.opened_at,
            "state": a.state, "resolution": a.resolution, "resolved_by": a.resolved_by,
            "resolved_at": a.resolved_at, "resolved_version": a.resolved_version}


def audit_dict(audit: Audit) -> dict[str, Any]:
    ref = audit.ref
    return {
        "schema": AUDIT_SCHEMA, "rubric": ref.rubric_id, "period": str(ref.period), "current_version": ref.version,
        "versions": [_version(v) for v in audit.versions],
        "appeals": [appeal_dict(a) for a in audit.appeals],
        "signoffs": [_event(e, audit.names.get(e.subject_id, "")) for e in audit.events],
        "states": {k: {"state": s.state, "state_label": LABELS.get(s.state, s.state), "at": s.at or None,
                       "by": s.by or None} for k, s in sorted(audit.states.items())},
    }


def appeals_dict(appeals: Iterable[Appeal]) -> dict[str, Any]:
    return {"schema": APPEALS_SCHEMA, "appeals": [appeal_dict(a) for a in appeals]}


def to_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
