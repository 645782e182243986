"""Channel ROI (issue 3 item 6), exactly as the issue defines it.

For a window [from, to] and per channel, over MERGED leads created in the window whose
channel it is (the merged lead's channel = its earliest member's, see leads/dedupe.py):

    leads          merged leads
    mqls           of them, most advanced status ≥ mql   (nurture / disqualified reach nothing)
    sqls           of them, status ≥ sql
    opportunities  their opportunities (of every member), any status
    won            their won opportunities;  won_amount = Σ amount (reporting currency)
    cost           Σ channel costs dated in the window
    cpl            cost ÷ leads
    cost_per_mql   cost ÷ mqls
    cac            cost ÷ distinct accounts of the won opportunities (a won opportunity
                   without an account counts its merged lead as the customer)
    roi            (won_amount − cost) ÷ cost

A ratio is None (JSON null) when its denominator is 0. A channel with cost in the window but
no leads still appears; so do leads whose channel is not in the registry (and leads without
a channel, as channel null). Worked examples: docs/lead-to-revenue.md.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select

from b2bgrowth.channels.merged import STATUS_RANK, attach_merged, merged_leads, read_frame
from b2bgrowth.channels.models import ChannelCost
from b2bgrowth.pipeline.models import Opportunity
from b2bgrowth.revenue.currency import load_rates, rate_for

NONE = "\0none"  # group key of leads without a channel (JSON null)
COLUMNS = ("channel", "leads", "mqls", "sqls", "opportunities", "won", "won_amount", "cost",
           "cpl", "cost_per_mql", "cac", "roi")


def ratio(numerator: float, denominator: float) -> float | None:
    return None if not denominator else float(numerator) / float(denominator)


def window_leads(ws, start: date, end: date) -> pd.DataFrame:
    """Merged leads created on a day in [start, end]: lead_id, channel, status, rank."""
    leads = merged_leads(ws)
    created = pd.to_datetime(leads["created_at"])
    lo, hi = pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))
    chosen = leads.loc[(created >= lo) & (created < hi), ["lead_id", "channel", "status"]].copy()
    # a hash lookup on the distinct statuses (mapping a million strings one by one is slow)
    position = pd.Index(list(STATUS_RANK)).get_indexer(chosen["status"].to_numpy(dtype=object))
    chosen["rank"] = np.where(position >= 0, np.array(list(STATUS_RANK.values()))[position], -1)
    return chosen


def opportunities_frame(ws, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Opportunities with `lead` (the merged lead id) and `amount_rc` (reporting currency)."""
    t = Opportunity.__table__
    cols = ["opportunity_id", "lead_id", "account_id", "amount", "currency", "status", *columns]
    cols = list(dict.fromkeys(cols))
    opps = read_frame(ws, select(*[t.c[c] for c in cols]), cols)
    reporting = ws.settings.reporting_currency
    rates = load_rates(ws)
    currencies = opps["currency"].fillna(reporting).str.upper()
    factor = currencies.map({c: rate_for(rates, c, reporting, "opportunities") for c in currencies.unique()})
    opps["amount_rc"] = opps["amount"].astype(float).fillna(0.0) * factor.astype(float)
    # an opportunity whose lead_id names no lead (yet) still belongs to that id
    return attach_merged(ws, opps)


def channel_costs(ws, start: date, end: date) -> dict[str, float]:
    t = ChannelCost.__table__
    with ws.store.engine.connect() as conn:
        rows = conn.execute(select(t.c.channel_id, t.c.cost, t.c.currency)
                            .where(t.c.date >= start, t.c.date <= end)).all()
    reporting = ws.settings.reporting_currency
    rates = load_rates(ws)
    out: dict[str, float] = {}
    for channel_id, cost, currency in rows:
        out[channel_id] = out.get(channel_id, 0.0) + float(cost or 0) * rate_for(rates, currency, reporting,
                                                                                 "channel_costs")
    return out


def channel_report(ws, start: date, end: date) -> list[dict]:
    if start > end:
        raise ValueError(f"from ({start.isoformat()}) is after to ({end.isoformat()})")
    leads = window_leads(ws, start, end)
    leads["channel"] = leads["channel"].astype(object).fillna(NONE)
    opps = opportunities_frame(ws)
    opps = opps.merge(leads[["lead_id", "channel"]].rename(columns={"lead_id": "lead"}), on="lead", how="inner")
    won = opps[opps["status"] == "won"]
    customer = won["account_id"].astype(object).where(won["account_id"].notna(), "lead:" + won["lead"].astype(str))
    costs = channel_costs(ws, start, end)

    lead_stats = pd.DataFrame({
        "channel": leads["channel"].to_numpy(), "leads": 1,
        "mqls": (leads["rank"] >= STATUS_RANK["mql"]).to_numpy(dtype=int),
        "sqls": (leads["rank"] >= STATUS_RANK["sql"]).to_numpy(dtype=int),
    }).groupby("channel").sum()
    opp_counts = opps.groupby("channel").size()
    won_stats = pd.DataFrame({"channel": won["channel"].to_numpy(), "won": 1,
                              "won_amount": won["amount_rc"].to_numpy(dtype=float)}).groupby("channel").sum()
    customers = pd.DataFrame({"channel": won["channel"].to_numpy(), "c": customer.to_numpy()}) \
        .groupby("channel")["c"].nunique()

    def get(series, key, default=0):
        return series.get(key, default) if len(series) else default

    rows = []
    for key in sorted(set(lead_stats.index) | set(costs), key=lambda k: (k == NONE, k)):
        cost = float(costs.get(key, 0.0))
        amount = float(get(won_stats["won_amount"], key, 0.0))
        n_leads = int(get(lead_stats["leads"], key))
        n_mqls = int(get(lead_stats["mqls"], key))
        rows.append({
            "channel": None if key == NONE else key,
            "leads": n_leads, "mqls": n_mqls, "sqls": int(get(lead_stats["sqls"], key)),
            "opportunities": int(get(opp_counts, key)), "won": int(get(won_stats["won"], key)),
            "won_amount": round(amount, 4), "cost": round(cost, 4),
            "cpl": ratio(cost, n_leads), "cost_per_mql": ratio(cost, n_mqls),
            "cac": ratio(cost, int(get(customers, key))), "roi": ratio(amount - cost, cost),
        })
    return rows
