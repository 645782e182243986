"""Hand-off: the lead lifecycle (issue 3 item 4).

    new → mql → sql → opportunity → customer, with nurture and disqualified beside them.

A transition acts on a merged lead (dedupe.py): every member row takes the new status, so the
merged status is exactly the one asked for, and one row in lead_transitions records it with
its time, who, and why. Allowed moves (ALLOWED) — anything else is refused with the list:

    new          → mql, sql, nurture, disqualified
    mql          → sql (accept), nurture (reject), disqualified
    sql          → opportunity, nurture, disqualified
    opportunity  → customer, nurture, disqualified
    customer     → (none: a customer is not a lead any more)
    nurture      → mql (engagement crossed the threshold again), sql, disqualified
    disqualified → new, nurture (reopened, with a reason)

Disqualifying and rejecting need a reason (imports may carry one; the app must).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.leads import dedupe
from b2bgrowth.leads.models import LEAD_STATUSES, Lead, LeadTransition

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ALLOWED: dict[str, tuple[str, ...]] = {
    "new": ("mql", "sql", "nurture", "disqualified"),
    "mql": ("sql", "nurture", "disqualified"),
    "sql": ("opportunity", "nurture", "disqualified"),
    "opportunity": ("customer", "nurture", "disqualified"),
    "customer": (),
    "nurture": ("mql", "sql", "disqualified"),
    "disqualified": ("new", "nurture"),
}
NEEDS_REASON = ("disqualified",)


class LifecycleError(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def current(ws: Workspace, lead_id: str) -> tuple[str, list[str], str]:
    """(merged lead_id, member ids, merged status) of the lead containing `lead_id`."""
    try:
        merged_id = dedupe.merged_id_of(ws, lead_id)
    except dedupe.DedupeError:
        raise LifecycleError(f"lead {lead_id!r} does not exist", status=404) from None
    merged = dedupe.merged_leads(ws)
    row = merged.loc[merged["lead_id"] == merged_id].iloc[0]
    return merged_id, list(row["member_ids"]), str(row["status"])


def transition(ws: Workspace, lead_id: str, to_status: str, by: str | None, reason: str | None = None,
               now: datetime | None = None, expect_from: tuple[str, ...] | None = None) -> dict:
    """Move the merged lead containing `lead_id` to `to_status`; returns the recorded transition."""
    if to_status not in LEAD_STATUSES:
        raise LifecycleError(f"status {to_status!r} is not one of {', '.join(LEAD_STATUSES)}")
    reason = (reason or "").strip() or None
    if to_status in NEEDS_REASON and not reason:
        raise LifecycleError(f"a reason is required to move a lead to {to_status}")
    merged_id, members, status = current(ws, lead_id)
    if expect_from is not None and status not in expect_from:
        raise LifecycleError(f"lead {merged_id} is {status}, not {' or '.join(expect_from)}", status=409)
    if to_status not in ALLOWED[status]:
        allowed = ", ".join(ALLOWED[status]) or "nothing"
        raise LifecycleError(f"lead {merged_id} is {status}; it may move to {allowed}, not {to_status}", status=409)
    at = now or _now()
    with ws.store.write(touched=["leads", "lead_transitions"]) as session:
        for lead in session.execute(select(Lead).where(Lead.lead_id.in_(members))).scalars():
            lead.status = to_status
            if to_status in ("disqualified", "nurture") and reason:
                lead.disqualification_reason = reason
        row = LeadTransition(lead_id=merged_id, from_status=status, to_status=to_status, at=at, by=by, reason=reason)
        session.add(row)
    return _as_dict(row)


def accept(ws: Workspace, lead_id: str, by: str | None, now: datetime | None = None) -> dict:
    """Sales accepts an MQL: it becomes an SQL."""
    return transition(ws, lead_id, "sql", by, reason="accepted", now=now, expect_from=("mql",))


def reject(ws: Workspace, lead_id: str, by: str | None, reason: str | None, now: datetime | None = None) -> dict:
    """Sales rejects an MQL, saying why: it goes back to nurture."""
    if not (reason or "").strip():
        raise LifecycleError("a reason is required to reject a lead")
    return transition(ws, lead_id, "nurture", by, reason=reason, now=now, expect_from=("mql",))


def requalify_nurture(ws: Workspace, engagement_scores: dict[str, float], threshold: float, by: str | None = "system",
                      now: datetime | None = None) -> list[str]:
    """Nurture leads whose engagement reaches `threshold` again return to MQL; returns their ids.

    engagement_scores is keyed by merged lead_id (the scoring capability provides it).
    """
    merged = dedupe.merged_leads(ws)
    nurtured = merged.loc[merged["status"] == "nurture", "lead_id"].tolist()
    moved = []
    for lead_id in sorted(nurtured):
        score = engagement_scores.get(lead_id)
        if score is not None and score >= threshold:
            transition(ws, lead_id, "mql", by, reason=f"engagement {score:g} reached the MQL threshold {threshold:g}",
                       now=now)
            moved.append(lead_id)
    return moved


def history(ws: Workspace, lead_id: str) -> list[dict]:
    """Every recorded transition of the merged lead containing `lead_id` (and of its members), oldest first."""
    try:
        ids = dedupe.members_of(ws, lead_id)
    except dedupe.DedupeError:
        ids = [lead_id]
    with ws.store.read() as session:
        rows = session.execute(select(LeadTransition).where(LeadTransition.lead_id.in_(ids))
                               .order_by(LeadTransition.at, LeadTransition.transition_id)).scalars().all()
    return [_as_dict(r) for r in rows]


def _as_dict(row: LeadTransition) -> dict:
    return {"lead_id": row.lead_id, "from": row.from_status, "to": row.to_status, "at": row.at, "by": row.by,
            "reason": row.reason}
