"""Sign-off of one person's result for a period: 待确认 → 员工已确认 → 上级已审核 → 已锁定 (pure).

Each step is taken by one signer (``--as employee|supervisor|hr``), in this order only.  Every other
move is refused with a message saying why and what to do.  While an appeal (申诉) is open nobody
signs: the appeal is resolved first (an amendment, or a rejection with a reason).  Going back is
never a sign-off: an amendment that changes a person's figures returns them to 待确认 (they signed
other figures), and HR reopening a locked period returns its locked people to 上级已审核; both are
recorded with their reason.
"""

from __future__ import annotations

from kpi_cli.i18n import N_, _

PENDING, CONFIRMED, REVIEWED, LOCKED = "pending", "confirmed", "reviewed", "locked"
STATES = (PENDING, CONFIRMED, REVIEWED, LOCKED)
LABELS = {PENDING: "待确认", CONFIRMED: "员工已确认", REVIEWED: "上级已审核", LOCKED: "已锁定"}
SIGNERS = ("employee", "supervisor", "hr")
#: signer -> (the state it signs from, the state it leads to)
STEPS = {"employee": (PENDING, CONFIRMED), "supervisor": (CONFIRMED, REVIEWED), "hr": (REVIEWED, LOCKED)}
SIGNER_LABELS = {"employee": N_("the employee"), "supervisor": N_("the supervisor"), "hr": N_("HR")}


def label(state: str) -> str:
    return LABELS[state]


def sign(current: str, signer: str, open_appeal: int | None = None) -> tuple[str | None, str | None]:
    """``(new state, None)`` when ``signer`` may sign now, else ``(None, why not)``."""
    if signer not in STEPS:
        return None, _("unknown signer {signer}: use employee, supervisor or hr").format(signer=signer)
    if current == LOCKED:
        return None, _("already 已锁定 (locked): nothing more can be signed; HR can reopen the period with a reason "
                       "(kpi reopen)")
    if open_appeal is not None:
        return None, _("appeal #{number} is open: it must be resolved (kpi amend --appeal {number}, or kpi "
                       "reject-appeal {number} --reason ...) before anyone signs").format(number=open_appeal)
    before, after = STEPS[signer]
    if current == before:
        return after, None
    if STATES.index(current) > STATES.index(before):
        return None, _("already {state}: {signer} has signed this result").format(
            state=LABELS[current], signer=_(SIGNER_LABELS[signer]))
    first = next(s for s, (frm, _to) in STEPS.items() if frm == current)
    return None, _("the state is {state}: {who} signs first (--as {first})").format(
        state=LABELS[current], who=_(SIGNER_LABELS[first]), first=first)
