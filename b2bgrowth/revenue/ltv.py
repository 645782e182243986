"""LTV, CAC, LTV:CAC and CAC payback per period (docs/metrics.md, "ltv" section).

- customer_churn_rate: mean of logo_churn_rate over the period and the 5 before it (periods
  with an undefined rate are skipped), so one quiet month does not make LTV infinite.
- ltv = ARPA × months per period ÷ customer_churn_rate: revenue per account per period times
  the expected lifetime in periods (1 ÷ churn per period). Monthly, that is ARPA ÷ churn.
- cac = channel costs dated in the period ÷ new customers of the period (null without costs).
  Costs are not tied to accounts, so segmented rows carry cac = null.
- cac_payback_months = cac ÷ ARPA: months of a new customer's MRR that pay back its CAC
  (revenue, not gross margin: the store holds no cost of service).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select

from b2bgrowth.accounts.api import segment_of_accounts
from b2bgrowth.reporting.periods import MONTHS_PER_PERIOD, Period, make_periods, shift_periods
from b2bgrowth.revenue.currency import load_rates, rate_for
from b2bgrowth.revenue.derived import revenue_facts
from b2bgrowth.revenue.metrics import period_metrics, ratio

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

TRAILING_PERIODS = 6


def ltv_periods(ws: Workspace, kind: str, start: date, end: date, segment: str | None) -> list[dict]:
    periods = make_periods(kind, start, end)
    history_start = shift_periods(start, kind, TRAILING_PERIODS - 1)
    history = make_periods(kind, history_start, start - timedelta(days=1)) if history_start < start else []
    movements, chains = revenue_facts(ws)
    segment_of = segment_of_accounts(ws, segment)
    rows = period_metrics(movements, chains, history + periods, segment_of, grace_days=30)
    costs = channel_costs(ws, periods) if segment is None else [None] * len(periods)
    by_segment: dict = {}
    for row in rows:
        by_segment.setdefault(row["segment"], []).append(row)
    out = []
    for index, period in enumerate(periods):
        position = len(history) + index
        for label, series in by_segment.items():
            row = series[position]
            window = [r["logo_churn_rate"] for r in series[max(0, position - TRAILING_PERIODS + 1):position + 1]]
            rates = [r for r in window if r is not None]
            churn = round(float(np.mean(rates)), 6) if rates else None
            arpa = row["arpa"]
            per_period = None if arpa is None else arpa * MONTHS_PER_PERIOD[kind]
            ltv = None if per_period is None or churn is None else ratio(per_period, churn)
            cost = costs[index]
            cac = None if cost is None else ratio(cost, row["new_customers"])
            out.append({
                **period.as_dict(), "segment": label, "arpa": arpa, "customer_churn_rate": churn,
                "ltv": None if ltv is None else round(ltv, 2), "cac": None if cac is None else round(cac, 2),
                "ltv_cac": None if ltv is None or cac is None else ratio(ltv, cac),
                "cac_payback_months": None if cac is None or arpa is None else ratio(cac, arpa),
            })
    out.sort(key=lambda r: r["period_start"])
    return out


def channel_costs(ws: Workspace, periods: list[Period]) -> list[float | None]:
    """Channel costs per period in the reporting currency; None for a period with no cost rows."""
    from b2bgrowth.store.base import model_class

    # The channels capability's table, looked up by name: channels imports revenue (its api: the
    # currency conversion), so revenue does not import channels.
    ChannelCost = model_class("ChannelCost")
    reporting = ws.settings.reporting_currency
    with ws.store.read() as session:
        rows = session.execute(
            select(ChannelCost.date, ChannelCost.currency, func.sum(ChannelCost.cost), func.count())
            .where(ChannelCost.date >= periods[0].start, ChannelCost.date <= periods[-1].end)
            .group_by(ChannelCost.date, ChannelCost.currency)
        ).all()
    rates = load_rates(ws) if rows else {}
    totals: list[float | None] = [None] * len(periods)
    starts = [p.start for p in periods]
    for day, currency, cost, _count in rows:
        index = int(np.searchsorted(np.array(starts, dtype="datetime64[D]"), np.datetime64(day), side="right")) - 1
        rate = rate_for(rates, currency, reporting, f"channel costs of {day}")
        totals[index] = (totals[index] or 0.0) + float(cost) * rate
    return totals
