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

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import select

from b2bgrowth.channels.models import ChannelCost
from b2bgrowth.leads.api import STATUS_RANK, lead_index, merged_leads, read_frame
from b2bgrowth.pipeline.models import Opportunity
from b2bgrowth.revenue.api import load_rates, rate_for

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

NONE = "\0none"  # group key of leads without a channel (JSON null)
COLUMNS = ("channel", "leads", "mqls", "sqls", "opportunities", "won", "won_amount", "cost",
           "cpl", "cost_per_mql", "cac", "roi")


def ratio(numerator: float, denominator: float) -> float | None:
    return None if not denominator else float(numerator) / float(denominator)


def window_leads(ws: Workspace, start: date, end: date) -> pd.DataFrame:
    """Merged leads created on a day in [start, end]: lead_id, channel, status, rank."""
    leads = merged_leads(ws)
    created = pd.to_datetime(leads["created_at"])
    lo, hi = pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))
    chosen = leads.loc[(created >= lo) & (created < hi), ["lead_id", "channel", "status"]].copy()
    # a hash lookup on the distinct statuses (mapping a million strings one by one is slow)
    position = pd.Index(list(STATUS_RANK)).get_indexer(chosen["status"].to_numpy(dtype=object))
    chosen["rank"] = np.where(position >= 0, np.array(list(STATUS_RANK.values()))[position], -1)
    return chosen


def opportunity_amounts(ws: Workspace, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Opportunities with `amount_rc`, their amount in the reporting currency."""
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
    return opps


def opportunities_frame(ws: Workspace, columns: tuple[str, ...] = (), index=None) -> pd.DataFrame:
    """Opportunities with `lead` (the merged lead id) and `amount_rc` (reporting currency)."""
    opps = opportunity_amounts(ws, columns)
    # an opportunity whose lead_id names no lead (yet) still belongs to that id
    opps["lead"] = (index or lead_index(ws)).merged_of(opps["lead_id"].to_numpy(dtype=object))
    return opps


def channel_costs(ws: Workspace, start: date, end: date) -> dict[str, float]:
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


# One query over the merged-lead Parquet files the leads capability keeps fresh, so a cold
# CLI run does not first load two million merged leads into pandas. NULL channels group
# together (IS NOT DISTINCT FROM), as the report shows leads without a channel as null.
_CHANNEL_SQL = """
WITH ml AS (
    SELECT lead_id, channel,
           CASE status WHEN 'new' THEN 0 WHEN 'mql' THEN 1 WHEN 'sql' THEN 2
                       WHEN 'opportunity' THEN 3 WHEN 'customer' THEN 4 ELSE -1 END AS rank
    FROM read_parquet($merged)
    WHERE created_at >= $lo AND created_at < $hi
), o AS (
    SELECT coalesce(m.lead_id, o.lead_id) AS lead, o.account_id, o.status, o.amount_rc
    FROM opps o LEFT JOIN read_parquet($members) m ON m.member_id = o.lead_id
), lead_counts AS (
    SELECT channel, count(*) AS leads, count(*) FILTER (WHERE rank >= 1) AS mqls,
           count(*) FILTER (WHERE rank >= 2) AS sqls
    FROM ml GROUP BY channel
), opp_counts AS (
    SELECT ml.channel, count(*) AS opportunities, count(*) FILTER (WHERE o.status = 'won') AS won,
           coalesce(sum(o.amount_rc) FILTER (WHERE o.status = 'won'), 0) AS won_amount,
           count(DISTINCT coalesce(o.account_id, 'lead:' || o.lead)) FILTER (WHERE o.status = 'won') AS customers
    FROM o JOIN ml ON ml.lead_id = o.lead GROUP BY ml.channel
)
SELECT l.channel, l.leads, l.mqls, l.sqls, coalesce(c.opportunities, 0), coalesce(c.won, 0),
       coalesce(c.won_amount, 0), coalesce(c.customers, 0)
FROM lead_counts l LEFT JOIN opp_counts c ON c.channel IS NOT DISTINCT FROM l.channel
"""


def channel_report(ws: Workspace, start: date, end: date) -> list[dict]:
    import duckdb

    from b2bgrowth.leads.api import MERGED_LEADS
    from b2bgrowth.reporting.derived import fresh_folder

    if start > end:
        raise ValueError(f"from ({start.isoformat()}) is after to ({end.isoformat()})")
    folder = fresh_folder(ws, MERGED_LEADS)
    opps = opportunity_amounts(ws)[["lead_id", "account_id", "status", "amount_rc"]]
    con = duckdb.connect()
    try:
        con.register("opps", opps)
        found = con.execute(_CHANNEL_SQL, {
            "merged": str(folder / "merged.parquet"), "members": str(folder / "members.parquet"),
            "lo": datetime.combine(start, time()), "hi": datetime.combine(end + timedelta(days=1), time()),
        }).fetchall()
    finally:
        con.close()
    by_channel = {row[0]: row[1:] for row in found}
    costs = channel_costs(ws, start, end)
    rows = []
    for channel in sorted(set(by_channel) | set(costs), key=lambda c: (c is None, c or "")):
        leads_, mqls_, sqls_, opps_, won_, amount, customers = by_channel.get(channel, (0, 0, 0, 0, 0, 0.0, 0))
        cost = float(costs.get(channel, 0.0))
        amount = float(amount)
        rows.append({
            "channel": channel, "leads": int(leads_), "mqls": int(mqls_), "sqls": int(sqls_),
            "opportunities": int(opps_), "won": int(won_), "won_amount": round(amount, 4), "cost": round(cost, 4),
            "cpl": ratio(cost, leads_), "cost_per_mql": ratio(cost, mqls_), "cac": ratio(cost, customers),
            "roi": ratio(amount - cost, cost),
        })
    return rows
