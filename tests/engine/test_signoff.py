"""Sign-off: 待确认 → 员工已确认 → 上级已审核 → 已锁定, one signer per step, in order; every other move refused."""

from __future__ import annotations

import pytest

from kpi_cli.engine.signoff import CONFIRMED, LOCKED, PENDING, REVIEWED, SIGNERS, STATES, sign

LEGAL = {(PENDING, "employee"): CONFIRMED, (CONFIRMED, "supervisor"): REVIEWED, (REVIEWED, "hr"): LOCKED}

REFUSALS = {
    (PENDING, "supervisor"): "the state is 待确认: the employee signs first (--as employee)",
    (PENDING, "hr"): "the state is 待确认: the employee signs first (--as employee)",
    (CONFIRMED, "employee"): "already 员工已确认: the employee has signed this result",
    (CONFIRMED, "hr"): "the state is 员工已确认: the supervisor signs first (--as supervisor)",
    (REVIEWED, "employee"): "already 上级已审核: the employee has signed this result",
    (REVIEWED, "supervisor"): "already 上级已审核: the supervisor has signed this result",
    **{(LOCKED, s): "already 已锁定 (locked): nothing more can be signed; HR can reopen the period with a reason "
                    "(kpi reopen)" for s in SIGNERS},
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("signer", SIGNERS)
def test_every_move(state: str, signer: str) -> None:
    """All 4 × 3 moves: the three legal ones lead to the next state, the nine others are refused with why."""
    new, why = sign(state, signer)
    if (state, signer) in LEGAL:
        assert (new, why) == (LEGAL[state, signer], None)
    else:
        assert new is None and why == REFUSALS[state, signer]


@pytest.mark.parametrize("state", [PENDING, CONFIRMED, REVIEWED])
@pytest.mark.parametrize("signer", SIGNERS)
def test_nobody_signs_while_an_appeal_is_open(state: str, signer: str) -> None:
    new, why = sign(state, signer, open_appeal=3)
    assert new is None and why == ("appeal #3 is open: it must be resolved (kpi amend --appeal 3, or kpi "
                                   "reject-appeal 3 --reason ...) before anyone signs")


def test_unknown_signer() -> None:
    assert sign(PENDING, "boss") == (None, "unknown signer boss: use employee, supervisor or hr")
