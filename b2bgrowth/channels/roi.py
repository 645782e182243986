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

import pandas as pd
from sqlalchemy import select

from b2bgrowth.channels.merged import STATUS_RANK, member_to_lead, merged_leads
from b2bgrowth.channels.models import ChannelCost
from b2bgrowth.pipeline.models import Opportunity
from b2bgrowth.revenue.currency import load_rates, rate_for

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
    chosen["rank"] = chosen["status"].map(STATUS_RANK).fillna(-1).astype(int)
    return chosen


def opportunities_frame(ws, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Opportunities with `lead` (the merged lead id) and `amount_rc` (reporting currency)."""
    t = Opportunity.__table__
    cols = ["opportunity_id", "lead_id", "account_id", "amount", "currency", "status", *columns]
    with ws.store.engine.connect() as conn:
        rows = conn.execute(select(*[t.c[c] for c in dict.fromkeys(cols)])).all()
    opps = pd.DataFrame(rows, columns=list(dict.fromkeys(cols)))
    reporting = ws.settings.reporting_currency
    rates = load_rates(ws)
    currencies = opps["currency"].fillna(reporting).str.upper()
    factor = currencies.map({c: rate_for(rates, c, reporting, "opportunities") for c in currencies.unique()})
    opps["amount_rc"] = opps["amount"].astype(float).fillna(0.0) * factor.astype(float)
    m2l = member_to_lead(ws)
    opps["lead"] = opps["lead_id"].map(m2l)
    # an opportunity whose lead_id names no lead (yet) still belongs to that id
    opps["lead"] = opps["lead"].fillna(opps["lead_id"])
    return opps


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
    channel_of = pd.Series(leads["channel"].to_numpy(), index=leads["lead_id"].to_numpy())
    opps = opportunities_frame(ws)
    opps = opps[opps["lead"].isin(channel_of.index)].copy()
    opps["channel"] = opps["lead"].map(channel_of)
    won = opps[opps["status"] == "won"].copy()
    won["customer"] = won["account_id"].where(won["account_id"].notna(), "lead:" + won["lead"].astype(str))
    costs = channel_costs(ws, start, end)

    def by_channel(frame: pd.DataFrame, value) -> dict:
        if frame.empty:
            return {}
        key = frame["channel"].astype(object).fillna("\0none")
        return {k: value(g) for k, g in frame.groupby(key, sort=False)}

    lead_counts = by_channel(leads, len)
    mqls = by_channel(leads, lambda g: int((g["rank"] >= STATUS_RANK["mql"]).sum()))
    sqls = by_channel(leads, lambda g: int((g["rank"] >= STATUS_RANK["sql"]).sum()))
    opp_counts = by_channel(opps, len)
    won_counts = by_channel(won, len)
    won_amount = by_channel(won, lambda g: float(g["amount_rc"].sum()))
    customers = by_channel(won, lambda g: int(g["customer"].nunique()))

    names = set(lead_counts) | set(costs)
    rows = []
    for key in sorted(names, key=lambda k: (k == "\0none", k)):
        cost = float(costs.get(key, 0.0))
        amount = float(won_amount.get(key, 0.0))
        n_leads, n_mqls = int(lead_counts.get(key, 0)), int(mqls.get(key, 0))
        rows.append({
            "channel": None if key == "\0none" else key,
            "leads": n_leads, "mqls": n_mqls, "sqls": int(sqls.get(key, 0)),
            "opportunities": int(opp_counts.get(key, 0)), "won": int(won_counts.get(key, 0)),
            "won_amount": round(amount, 4), "cost": round(cost, 4),
            "cpl": ratio(cost, n_leads), "cost_per_mql": ratio(cost, n_mqls),
            "cac": ratio(cost, customers.get(key, 0)), "roi": ratio(amount - cost, cost),
        })
    return rows

