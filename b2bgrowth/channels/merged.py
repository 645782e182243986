"""Merged leads, as the channel and attribution reports see them.

The leads capability (b2bgrowth/leads/dedupe.py) merges duplicate leads: one row per merged
lead (lead_id, created_at, channel, status = most advanced, member_ids) and a map member
lead_id → merged lead_id. Until that module exists every lead is its own merged lead, so
these reports already run (and give the same answer on data without duplicates).
"""

from __future__ import annotations

import pandas as pd

from b2bgrowth.leads.models import Lead

# new < mql < sql < opportunity < customer; nurture and disqualified reach nothing.
STATUS_RANK = {"new": 0, "mql": 1, "sql": 2, "opportunity": 3, "customer": 4, "nurture": -1, "disqualified": -1}


def merged_leads(ws) -> pd.DataFrame:
    """lead_id, created_at, channel, status (one row per merged lead)."""
    try:
        from b2bgrowth.leads import dedupe
    except ImportError:
        dedupe = None
    if dedupe is not None and hasattr(dedupe, "merged_leads"):
        return dedupe.merged_leads(ws)
    t = Lead.__table__
    with ws.store.engine.connect() as conn:
        rows = conn.execute(t.select().with_only_columns(t.c.lead_id, t.c.created_at, t.c.channel, t.c.status)).all()
    frame = pd.DataFrame(rows, columns=["lead_id", "created_at", "channel", "status"])
    frame["member_ids"] = frame["lead_id"].map(lambda x: [x])
    return frame


def member_to_lead(ws) -> dict[str, str]:
    """member lead_id → merged lead_id (identity until leads are de-duplicated)."""
    try:
        from b2bgrowth.leads import dedupe
    except ImportError:
        dedupe = None
    if dedupe is not None and hasattr(dedupe, "member_to_lead"):
        return dedupe.member_to_lead(ws)
    t = Lead.__table__
    with ws.store.engine.connect() as conn:
        return {r: r for r in conn.execute(t.select().with_only_columns(t.c.lead_id)).scalars()}
