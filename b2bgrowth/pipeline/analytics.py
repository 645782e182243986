"""Pipeline analytics (issue 3 item 5): win rate, deal size, cycle, stage-to-stage conversion.

Definitions (worked examples in docs/lead-to-revenue.md):
  closed          opportunities with status won or lost and close_date in [from, to]
  win_rate        won ÷ closed
  avg_deal_size   won_amount ÷ won (reporting currency)
  cycle days      close_date − created_at (calendar days) of the WON opportunities; mean and median
  reached(s)      an opportunity reached open stage s when its stage history or current stage
                  shows s or a later open stage, or it was won (a win passes every stage)
  conversion(s)   reached(next stage) ÷ reached(s), over opportunities CREATED in [from, to];
                  the last open stage converts to "won"
By owner (opportunity owner) and by segment (an account attribute; default tier).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import select

from b2bgrowth.leads.api import read_frame
from b2bgrowth.pipeline.models import Opportunity, OpportunityStageChange
from b2bgrowth.pipeline.stages import Stage, load_stages

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def opportunities(ws: Workspace, segment: str | None = None) -> pd.DataFrame:
    """Every opportunity with amount_rc (reporting currency), created (date), segment."""
    from b2bgrowth.accounts.api import segment_of_accounts
    from b2bgrowth.revenue.api import load_rates, rate_for

    t = Opportunity.__table__
    cols = ["opportunity_id", "account_id", "lead_id", "stage", "amount", "currency", "created_at", "close_date",
            "status", "owner"]
    opps = read_frame(ws, select(*[t.c[c] for c in cols]), cols)
    reporting = ws.settings.reporting_currency
    rates = load_rates(ws)
    currencies = opps["currency"].fillna(reporting).str.upper()
    factor = currencies.map({c: rate_for(rates, c, reporting, "opportunities") for c in currencies.unique()})
    opps["amount_rc"] = opps["amount"].astype(float).fillna(0.0) * factor.astype(float)
    opps["created"] = pd.to_datetime(opps["created_at"]).dt.normalize()
    opps["closed_on"] = pd.to_datetime(opps["close_date"])
    opps["cycle_days"] = (opps["closed_on"] - opps["created"]).dt.days
    segment_of = segment_of_accounts(ws, segment) if segment else None
    opps["segment"] = opps["account_id"].map(segment_of) if segment_of is not None else "all"
    return opps


def furthest_open_order(ws: Workspace, opps: pd.DataFrame, stages: list[Stage]) -> pd.Series:
    """Per opportunity, the order of the furthest open stage it reached (won = beyond all; -1 = none)."""
    order = {s.name: s.order for s in stages if not s.is_closed}
    t = OpportunityStageChange.__table__
    with ws.store.engine.connect() as conn:
        history = pd.DataFrame(conn.execute(select(t.c.opportunity_id, t.c.from_stage, t.c.to_stage)).all(),
                               columns=["opportunity_id", "from_stage", "to_stage"])
    seen = pd.concat([
        opps[["opportunity_id", "stage"]].rename(columns={"stage": "s"}),
        history[["opportunity_id", "from_stage"]].rename(columns={"from_stage": "s"}),
        history[["opportunity_id", "to_stage"]].rename(columns={"to_stage": "s"}),
    ])
    seen["o"] = seen["s"].map(order)
    best = seen.dropna(subset=["o"]).groupby("opportunity_id")["o"].max()
    furthest = opps["opportunity_id"].map(best).fillna(-1).astype(int)
    beyond = max(order.values(), default=0) + 1
    return furthest.where(opps["status"].to_numpy() != "won", beyond)


def _ratio(a: float, b: float) -> float | None:
    return None if not b else float(a) / float(b)


def group_metrics(closed: pd.DataFrame) -> dict:
    won = closed[closed["status"] == "won"]
    n_won, n_closed = len(won), len(closed)
    won_amount = float(won["amount_rc"].sum())
    cycles = won["cycle_days"].dropna()
    return {
        "closed": n_closed, "won": n_won, "lost": n_closed - n_won, "win_rate": _ratio(n_won, n_closed),
        "won_amount": round(won_amount, 4), "avg_deal_size": _ratio(won_amount, n_won),
        "avg_cycle_days": float(cycles.mean()) if len(cycles) else None,
        "median_cycle_days": float(cycles.median()) if len(cycles) else None,
    }


def stage_conversion(ws: Workspace, opps: pd.DataFrame, stages: list[Stage]) -> list[dict]:
    open_stages = [s for s in stages if not s.is_closed]
    furthest = furthest_open_order(ws, opps, stages).to_numpy()
    rows = []
    steps = [*open_stages, Stage("won", max((s.order for s in open_stages), default=0) + 1, 1.0, True)]
    reached = [int((furthest >= s.order).sum()) for s in steps]
    for i, s in enumerate(steps):
        advanced = reached[i + 1] if i + 1 < len(steps) else None
        rows.append({"stage": s.name, "order": s.order, "probability": s.probability, "is_closed": s.is_closed,
                     "reached": reached[i], "advanced": advanced,
                     "conversion": _ratio(advanced, reached[i]) if advanced is not None else None})
    return rows


def _label_sort(values) -> list:
    return sorted(values, key=lambda v: (v is None or (isinstance(v, float) and np.isnan(v)), str(v)))


def pipeline_report(ws: Workspace, start: date, end: date, segment: str | None = "tier") -> dict:
    if start > end:
        raise ValueError(f"from ({start.isoformat()}) is after to ({end.isoformat()})")
    stages = load_stages(ws)
    opps = opportunities(ws, segment)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))
    closed = opps[opps["status"].isin(["won", "lost"]) & (opps["closed_on"] >= lo) & (opps["closed_on"] < hi)]
    created = opps[(opps["created"] >= lo) & (opps["created"] < hi)]
    open_now = opps[opps["status"] == "open"]

    def grouped(column: str, label: str) -> list[dict]:
        keys = closed[column].astype(object).where(closed[column].notna(), None)
        out = []
        for value in _label_sort(set(keys)):
            part = closed[keys.map(lambda k, v=value: k == v)]
            out.append({label: value, **group_metrics(part)})
        return out

    return {
        "overall": group_metrics(closed),
        "by_owner": grouped("owner", "owner"),
        "by_segment": grouped("segment", "segment"),
        "stages": stage_conversion(ws, created, stages),
        "open": {"count": int(len(open_now)), "amount": round(float(open_now["amount_rc"].sum()), 4)},
    }
