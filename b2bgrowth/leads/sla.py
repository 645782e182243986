"""First-touch SLA (issue 3 item 4): how long sales may take to first touch an MQL.

The clock starts when the merged lead was assigned (assigned_at of its identity member, or
of any member); an MQL nobody was assigned starts it when it last became an MQL (its latest
transition to mql), else at created_at. It stops at the first touch on any member at or after
the start. A merged lead in status mql or sql with no such touch is overdue once
now − start > hours. Hours come from the argument, else the setting `lead_sla_hours`
(B2BGROWTH_LEAD_SLA_HOURS), else DEFAULT_SLA_HOURS.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select

from b2bgrowth.leads import dedupe
from b2bgrowth.leads.models import LeadTransition, Touch

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

DEFAULT_SLA_HOURS = 24.0
WAITING = ("mql", "sql")


def sla_hours(ws: Workspace, hours: float | None = None) -> float:
    if hours is None:
        hours = getattr(ws.settings, "lead_sla_hours", None)
    if hours is None:
        raw = os.environ.get("B2BGROWTH_LEAD_SLA_HOURS")
        try:
            hours = float(raw) if raw else DEFAULT_SLA_HOURS
        except ValueError:
            raise ValueError(f"B2BGROWTH_LEAD_SLA_HOURS: {raw!r} is not a number of hours") from None
    hours = float(hours)
    if not hours > 0:
        raise ValueError(f"the first-touch SLA must be a positive number of hours, not {hours:g}")
    return hours


def overdue(ws: Workspace, now: datetime, hours: float | None = None) -> list[dict]:
    """Waiting leads past their first-touch SLA, most overdue first:
    [{"lead_id", "status", "owner", "started_at", "due_at", "hours_overdue"}]."""
    hours = sla_hours(ws, hours)
    merged = dedupe.merged_leads(ws)
    waiting = merged.loc[merged["status"].isin(WAITING)]
    if waiting.empty:
        return []
    member_ids = [m for ids in waiting["member_ids"] for m in ids]
    rows = dedupe.load_leads_by_id(ws, member_ids)
    to_merged = {m: lead for lead, ids in zip(waiting["lead_id"], waiting["member_ids"]) for m in ids}
    rows["merged"] = rows["lead_id"].map(to_merged)
    assigned = rows.dropna(subset=["assigned_at"]).groupby("merged")["assigned_at"].max()
    owner = rows.dropna(subset=["owner"]).sort_values("assigned_at").groupby("merged")["owner"].last()
    with ws.store.read() as session:
        became = session.execute(select(LeadTransition.lead_id, LeadTransition.at)
                                 .where(LeadTransition.lead_id.in_(member_ids), LeadTransition.to_status == "mql")).all()
        touches = session.execute(select(Touch.lead_id, Touch.at).where(Touch.lead_id.in_(member_ids))).all()
    became_mql = pd.DataFrame(became, columns=["lead_id", "at"])
    became_mql["merged"] = became_mql["lead_id"].map(to_merged)
    became_mql = became_mql.groupby("merged")["at"].max()
    touch_frame = pd.DataFrame(touches, columns=["lead_id", "at"])
    touch_frame["merged"] = touch_frame["lead_id"].map(to_merged)
    touch_frame["at"] = pd.to_datetime(touch_frame["at"])
    frame = waiting[["lead_id", "status", "created_at"]].copy()

    def as_time(values) -> pd.Series:
        return pd.to_datetime(pd.Series(values, index=frame.index, dtype="object"), format="ISO8601", errors="coerce")

    frame["start"] = as_time(frame["lead_id"].map(assigned.to_dict())).fillna(as_time(frame["lead_id"].map(became_mql.to_dict()))) \
        .fillna(as_time(frame["created_at"]))
    frame = frame.dropna(subset=["start"])
    # Touched since the clock started → not waiting any more.
    joined = touch_frame.merge(frame[["lead_id", "start"]], left_on="merged", right_on="lead_id", suffixes=("_t", ""))
    touched = set(joined.loc[joined["at"] >= joined["start"], "merged"])
    frame = frame.loc[~frame["lead_id"].isin(touched)]
    frame["due"] = frame["start"] + pd.Timedelta(hours=hours)
    late = frame.loc[frame["due"] < pd.Timestamp(now)]
    out = [{"lead_id": r.lead_id, "status": r.status, "owner": owner.get(r.lead_id),
            "started_at": r.start.to_pydatetime(), "due_at": r.due.to_pydatetime(),
            "hours_overdue": round((pd.Timestamp(now) - r.due).total_seconds() / 3600, 2)}
           for r in late.itertuples()]
    out.sort(key=lambda r: (-r["hours_overdue"], r["lead_id"]))
    return out
