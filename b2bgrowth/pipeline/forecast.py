"""Forecast of open opportunities by close month (issue 3 item 5).

weighted       Σ amount × the default probability of the opportunity's stage
               (a stage missing from the list counts 0)
history_based  Σ amount × p, p learned from the team's closed opportunities:
               p(stage s, age a) = won ÷ closed among closed opportunities that reached s
               (see analytics.furthest_open_order) and were still open at age a
               (cycle days ≥ a) — "deals like this one, at this point, ended won this often";
               with fewer than MIN_HISTORY such deals the age condition is dropped, and with
               fewer still the stage's default probability is used.
age a = as_of − created (days). Months are close_date months in [from, to]; open
opportunities without a close date are left out (counted in "undated").
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.pipeline.analytics import furthest_open_order, opportunities
from b2bgrowth.pipeline.stages import load_stages

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

MIN_HISTORY = 5


def history_probabilities(ws: Workspace, opps: pd.DataFrame, stages, as_of: date) -> pd.Series:
    """p for every open opportunity (index aligned with opps[open])."""
    order = {s.name: s.order for s in stages}
    default = {s.name: s.probability for s in stages}
    furthest = furthest_open_order(ws, opps, stages)
    closed_mask = opps["status"].isin(["won", "lost"]).to_numpy()
    c_reach = furthest.to_numpy()[closed_mask]
    c_cycle = opps["cycle_days"].to_numpy(dtype=float)[closed_mask]
    c_won = (opps["status"].to_numpy()[closed_mask] == "won")
    open_opps = opps[opps["status"] == "open"]
    ages = (pd.Timestamp(as_of) - open_opps["created"]).dt.days.to_numpy(dtype=float)
    out = []
    for stage, age in zip(open_opps["stage"].to_numpy(), ages):
        o = order.get(stage)
        if o is None:
            out.append(0.0)
            continue
        like = c_reach >= o
        aged = like & (np.nan_to_num(c_cycle, nan=-1) >= (0 if np.isnan(age) else age))
        if aged.sum() >= MIN_HISTORY:
            out.append(float(c_won[aged].mean()))
        elif like.sum() >= MIN_HISTORY:
            out.append(float(c_won[like].mean()))
        else:
            out.append(float(default.get(stage, 0.0)))
    return pd.Series(out, index=open_opps.index, dtype=float)


def forecast_report(ws: Workspace, start: date, end: date, segment: str | None = "tier",
                    as_of: date | None = None) -> dict:
    if start > end:
        raise ValueError(f"from ({start.isoformat()}) is after to ({end.isoformat()})")
    as_of = as_of or date.today()
    stages = load_stages(ws)
    probability = {s.name: s.probability for s in stages}
    opps = opportunities(ws, segment)
    open_opps = opps[opps["status"] == "open"].copy()
    open_opps["p_history"] = history_probabilities(ws, opps, stages, as_of)
    open_opps["p_stage"] = open_opps["stage"].map(probability).fillna(0.0).astype(float)
    undated = int(open_opps["closed_on"].isna().sum())
    open_opps = open_opps.dropna(subset=["closed_on"])
    open_opps["month"] = open_opps["closed_on"].dt.strftime("%Y-%m")
    first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
    open_opps = open_opps[(open_opps["month"] >= first) & (open_opps["month"] <= last)]
    open_opps["weighted"] = open_opps["amount_rc"] * open_opps["p_stage"]
    open_opps["history_based"] = open_opps["amount_rc"] * open_opps["p_history"]
    months = [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]

    def sums(frame: pd.DataFrame) -> dict:
        return {"open_opportunities": int(len(frame)), "pipeline_amount": round(float(frame["amount_rc"].sum()), 4),
                "weighted": round(float(frame["weighted"].sum()), 4),
                "history_based": round(float(frame["history_based"].sum()), 4)}

    def by(column: str) -> list[dict]:
        keys = open_opps[column].astype(object).where(open_opps[column].notna(), None)
        rows = []
        for (key, month), part in open_opps.assign(_k=keys.fillna("\0")).groupby(["_k", "month"], sort=True):
            row = sums(part)
            del row["open_opportunities"]
            rows.append({column: None if key == "\0" else key, "month": month, **row})
        return rows

    return {
        "months": [{"month": m, **sums(open_opps[open_opps["month"] == m])} for m in months],
        "by_owner": by("owner"), "by_segment": by("segment"), "undated": undated, "as_of": as_of.isoformat(),
    }
