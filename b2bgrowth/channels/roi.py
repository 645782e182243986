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

from b2bgrowth.channels.merged import STATUS_RANK, lead_index, merged_leads, read_frame
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


def opportunities_frame(ws, columns: tuple[str, ...] = (), index=None) -> pd.DataFrame:
    """Opportunities with `lead` (the merged lead id) and `amount_rc` (reporting currency)."""
    t = Opportunity.__table__
    cols = ["opportunity_id", "lead_id", "account_id", "amount", "currency", "status", *columns]
    cols = list(dict.fromkeys(cols))
    opps = read_frame(ws, select(*[t.c[c] for c in cols]), cols)
    reporting = ws.settings.reporting_currency
    rates = load_rates(ws)
    # one rate per distinct currency (upper-casing 200k strings one by one costs more than the report)
    codes, currencies = pd.factorize(opps["currency"].astype(object).fillna(reporting))
    rate = np.array([rate_for(rates, str(c).upper(), reporting, "opportunities") for c in currencies] + [1.0])
    opps["amount_rc"] = pd.to_numeric(opps["amount"]).astype(float).fillna(0.0).to_numpy() * rate[codes]
    # an opportunity whose lead_id names no lead (yet) still belongs to that id
    opps["lead"] = (index or lead_index(ws)).merged_of(opps["lead_id"].to_numpy(dtype=object))
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
    index = lead_index(ws)
    lo, hi = np.datetime64(start, "ns"), np.datetime64(end + timedelta(days=1), "ns")
    in_window = (index.created >= lo) & (index.created < hi)
    k = len(index.channel_names)
    codes = index.channel_codes
    n_leads = np.bincount(codes[in_window], minlength=k)
    n_mqls = np.bincount(codes[in_window & (index.rank >= STATUS_RANK["mql"])], minlength=k)
    n_sqls = np.bincount(codes[in_window & (index.rank >= STATUS_RANK["sql"])], minlength=k)

    opps = opportunities_frame(ws, index=index)
    position = index.positions(opps["lead"].to_numpy())
    keep = position >= 0
    keep[keep] = in_window[position[keep]]
    opps = opps[keep]
    code = codes[position[keep]]
    won = (opps["status"] == "won").to_numpy()
    n_opps = np.bincount(code, minlength=k)
    n_won = np.bincount(code[won], minlength=k)
    won_amount = np.bincount(code[won], weights=opps["amount_rc"].to_numpy(dtype=float)[won], minlength=k)
    account = opps["account_id"].to_numpy(dtype=object)[won]
    lead = opps["lead"].to_numpy(dtype=object)[won]
    customer = np.where(pd.isna(account), np.char.add("lead:", lead.astype(str)).astype(object), account)
    customers = pd.DataFrame({"c": code[won], "customer": customer}).drop_duplicates().groupby("c").size()
    costs = channel_costs(ws, start, end)

    names = {name: i for i, name in enumerate(index.channel_names)}
    present = {index.channel_names[i] for i in np.flatnonzero(n_leads)} | set(costs)
    rows = []
    for channel in sorted(present, key=lambda c: (c is None, c or "")):
        c = names.get(channel)
        cost = float(costs.get(channel, 0.0))
        amount = float(won_amount[c]) if c is not None else 0.0
        leads_, mqls_ = (int(n_leads[c]), int(n_mqls[c])) if c is not None else (0, 0)
        rows.append({
            "channel": channel, "leads": leads_, "mqls": mqls_, "sqls": int(n_sqls[c]) if c is not None else 0,
            "opportunities": int(n_opps[c]) if c is not None else 0, "won": int(n_won[c]) if c is not None else 0,
            "won_amount": round(amount, 4), "cost": round(cost, 4),
            "cpl": ratio(cost, leads_), "cost_per_mql": ratio(cost, mqls_),
            "cac": ratio(cost, int(customers.get(c, 0)) if c is not None and len(customers) else 0),
            "roi": ratio(amount - cost, cost),
        })
    return rows
