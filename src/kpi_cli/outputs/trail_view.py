"""The paper trail for people: the audit of a period, an amendment's changes, the list of appeals.

Every line is a rich ``Text`` built from plain strings (never markup); control characters in data are
shown as visible escapes (:func:`~kpi_cli.outputs.safe_text.printable`), so a name cannot move the cursor
or change the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.text import Text

from kpi_cli.engine.record_diff import RecordChange
from kpi_cli.engine.signoff import LABELS
from kpi_cli.engine.whatif import Change, Comparison, Standing
from kpi_cli.engine.scoring import fmt
from kpi_cli.i18n import N_, _
from kpi_cli.ledger.appeals import Appeal
from kpi_cli.ledger.audit import Audit, SignEvent, VersionEntry
from kpi_cli.outputs.safe_text import printable

KIND = {"close": N_("close"), "amend": N_("amendment")}
CHANGE = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed")}
APPEAL_STATE = {"open": N_("open"), "amended": N_("resolved by an amendment"), "rejected": N_("rejected")}
ACTION = {"reset": N_("back to 待确认"), "reopen": N_("reopened"), "employee": N_("employee signs"),
          "supervisor": N_("supervisor signs"), "hr": N_("HR signs")}


def _word(table: dict[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


def clean(text: str | None) -> str:
    return printable(text or "")


def _line(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def _pay(s: Standing) -> str:
    if s.amount is not None:
        return f"{s.amount:.2f}"
    return "—" if s.ratio is None else f"{fmt(s.ratio * 100)}%"


def change_text(c: Change) -> str:
    """``K002 李娜: 总分 94.5 → 96 · 等级 良好 → 优秀 · ...``."""
    who = f"{c.id} {c.name}".strip()
    if c.old is None:
        return _("{who}: new (not in the previous version): total {total}").format(
            who=who, total=fmt(c.new.total)) if c.new else who
    if c.new is None:
        return _("{who}: no longer in this version (total was {total})").format(who=who, total=fmt(c.old.total))
    o, n = c.old, c.new
    parts = []
    for field, label, old, new in (("total", _("total"), fmt(o.total), fmt(n.total)),
                                   ("grade", _("grade"), o.grade or "—", n.grade or "—"),
                                   ("outcome", _("outcome"), o.outcome or "—", n.outcome or "—"),
                                   ("pay", _("pay"), _pay(o), _pay(n))):
        if field in c.fields:
            parts.append(f"{label} {old} → {new}")
    return f"{who}: " + " · ".join(parts)


def record_text(c: RecordChange) -> str:
    word = _word(CHANGE, c.change)
    if c.change == "added":
        return f"{word} {c.new_location}: {c.new_text}"
    if c.change == "removed":
        return f"{word} {c.old_location}: {c.old_text}"
    return f"{word} {c.old_location} → {c.new_location}: {c.old_text} → {c.new_text}"


def changes_lines(people: Comparison, records: Iterable[RecordChange], indent: str = "  ") -> Iterator[Text]:
    by_subject: dict[str, list[RecordChange]] = {}
    for r in records:
        by_subject.setdefault(r.subject, []).append(r)
    shown: set[str] = set()
    for c in people.changes:
        shown.add(c.id)
        yield _line(indent + change_text(c))
        for r in by_subject.get(c.id, ()):
            yield _line(indent + "    " + record_text(r))
    for subject, rs in by_subject.items():
        if subject not in shown:
            yield _line(indent + _("{id}: records only, no figure changed").format(id=subject))
            for r in rs:
                yield _line(indent + "    " + record_text(r))


def version_head(v: VersionEntry) -> Text:
    text = _("v{number} {kind} · {at} · by {by} · {people} people · log {log} (sha256 {log_sha}) · rubric {rubric} "
             "(sha256 {rubric_sha})").format(number=v.number, kind=_word(KIND, v.kind), at=v.at, by=v.by,
                                            people=v.subjects, log=v.log_file, log_sha=v.log_sha256[:12],
                                            rubric=v.rubric_file, rubric_sha=v.rubric_sha256[:12])
    return _line(text, "bold")


def audit_lines(audit: Audit) -> Iterator[Text]:
    ref = audit.ref
    yield _line(_("audit of {rubric} {period} · current version v{version}").format(
        rubric=ref.rubric_id, period=ref.period, version=ref.version), "bold")
    for v in audit.versions:
        yield version_head(v)
        if v.reason:
            yield _line("  " + _("reason: {reason}").format(reason=v.reason))
        if v.people is not None:
            if not v.records_known and v.note:
                yield _line(f"  {v.note}")
            if not v.people.changes and not v.records:
                yield _line("  " + _("no total, grade, outcome or pay changed"))
            yield from changes_lines(v.people, v.records)
    yield _line(_("appeals (申诉)"), "bold")
    if not audit.appeals:
        yield _line("  " + _("none"))
    for a in audit.appeals:
        yield _line("  " + appeal_text(a))
    yield _line(_("sign-off"), "bold")
    if not audit.events:
        yield _line("  " + _("nobody has signed: everyone is 待确认"))
    for e in audit.events:
        yield _line("  " + event_text(e, audit.names.get(e.subject_id, "")))


def event_text(e: SignEvent, name: str) -> str:
    why = " · " + _("reason: {reason}").format(reason=e.reason) if e.reason else ""
    return _("{at} {id} {name}: {action} → {state} (v{version}) by {by}").format(
        at=e.at, id=e.subject_id, name=name, action=_word(ACTION, e.action), state=LABELS.get(e.state, e.state),
        version=e.version, by=e.by) + why


def appeal_text(a: Appeal) -> str:
    text = _("#{number} {rubric} {period} {id} {name} (v{version}) · {at} by {by}: {reason} · {state}").format(
        number=a.number, rubric=a.rubric_id, period=a.period, id=a.subject_id, name=a.name, version=a.version,
        at=a.opened_at, by=a.opened_by, reason=a.reason, state=_word(APPEAL_STATE, a.state))
    if a.state == "amended":
        text += " " + _("v{version} ({at}, {by}): {resolution}").format(
            version=a.resolved_version, at=a.resolved_at, by=a.resolved_by, resolution=a.resolution)
    elif a.state == "rejected":
        text += " " + _("({at}, {by}): {resolution}").format(at=a.resolved_at, by=a.resolved_by,
                                                           resolution=a.resolution)
    return text


def appeals_lines(appeals: Iterable[Appeal]) -> Iterator[Text]:
    any_ = False
    for a in appeals:
        any_ = True
        yield _line(appeal_text(a))
    if not any_:
        yield _line(_("no appeals"))
