"""What a printed form shows of a closed period's paper trail: the sign-off state, who signed and when,
and an open appeal (申诉中) — so that a form printed after closing never looks blank and final when it
is not."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kpi_cli.engine.signoff import LABELS


@dataclass(frozen=True)
class Signature:
    by: str
    at: str  # the date: 2026-11-03


@dataclass(frozen=True)
class FormTrail:
    state: str  # 待确认, 员工已确认, 上级已审核, 已锁定
    version: int  # the ledger version the form's figures must match
    signatures: dict[str, Signature] = field(default_factory=dict)  # employee | supervisor | hr
    appeal: str | None = None  # "申诉中 #1(2026-11-02):reason"
    differs: bool = False  # the form's total is not the ledger's: the form was printed from another log


def form_trails(trail: object, totals: dict[str, Decimal]) -> dict[str, FormTrail]:
    """Per 工号, from :func:`kpi_cli.ledger.appeals.period_trail`'s result; ``totals``: the forms' own totals."""
    out: dict[str, FormTrail] = {}
    for subject, person in trail.people.items():  # type: ignore[attr-defined]
        signatures = {signer: Signature(by, at[:10]) for signer, (by, at) in person.signatures.items()}
        appeal = None
        if person.appeal is not None:
            number, at, reason = person.appeal
            appeal = f"申诉中 #{number}({at[:10]}):{reason}"
        out[subject] = FormTrail(LABELS[person.state], trail.version, signatures, appeal,  # type: ignore[attr-defined]
                                 subject in totals and totals[subject] != person.total)
    return out
