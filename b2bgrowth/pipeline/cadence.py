"""Call cadence (issue 3 item 8): win rate and revenue by calls before close × company size.

For every closed (won or lost) opportunity — optionally with close_date in [from, to]:
  calls   touches of kind "call" at or before the end of the close day that belong to the
          deal: on any member of its (merged) lead, or on its account
  size    employees of its account, else of its lead: small < 50, mid 50–499, large ≥ 500
          (unknown size → counted in unknown_size, left out of the cells)
  bucket  0, 1-2, 3-4, 5-6, 7-8, 9-12, 13+
  cell    closed, won, win_rate = won ÷ closed, its 95 % Wilson interval
          (statsmodels proportion_confint method="wilson"), revenue = Σ won amount
best bucket per size: the highest Wilson LOWER bound (a high rate on three deals does not
beat a slightly lower rate on three hundred), ties to the higher win rate.
The seeds (HubSpot, quoted in the source book) found about 5 calls best for small companies,
8 for mid-sized and 12 for large ones; the report shows them next to the team's own numbers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.leads.models import Lead, Touch
from b2bgrowth.pipeline.analytics import opportunities

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

BUCKETS = ("0", "1-2", "3-4", "5-6", "7-8", "9-12", "13+")
EDGES = (0, 1, 3, 5, 7, 9, 13)  # lower bound of each bucket
SIZES = ("small", "mid", "large")
SEED_CALLS = {"small": 5, "mid": 8, "large": 12}


def bucket_of(calls: int) -> str:
    return BUCKETS[int(np.searchsorted(EDGES, calls, side="right")) - 1]


def size_of(employees) -> str | None:
    if employees is None or (isinstance(employees, float) and np.isnan(employees)):
        return None
    return "small" if employees < 50 else "mid" if employees < 500 else "large"


def wilson(won: int, n: int) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(won, n, alpha=0.05, method="wilson")
    return float(low), float(high)


def calls_per_opportunity(ws: Workspace, opps: pd.DataFrame) -> pd.Series:
    from b2bgrowth.leads.api import lead_index

    t = Touch.__table__
    with ws.store.engine.connect() as conn:
        calls = pd.DataFrame(conn.execute(select(t.c.touch_id, t.c.at, t.c.lead_id, t.c.account_id)
                                          .where(t.c.kind == "call")).all(),
                             columns=["touch_id", "at", "lead_id", "account_id"])
    index = lead_index(ws)
    calls["lead"] = index.merged_of(calls["lead_id"].to_numpy(dtype=object))
    calls["at"] = pd.to_datetime(calls["at"])
    deals = opps[["opportunity_id", "lead_id", "account_id", "closed_on"]].copy()
    deals["lead"] = index.merged_of(deals["lead_id"].to_numpy(dtype=object))
    by_lead = deals.dropna(subset=["lead"]).merge(calls[["touch_id", "at", "lead"]], on="lead")
    by_account = deals.dropna(subset=["account_id"]).merge(calls[["touch_id", "at", "account_id"]].dropna(),
                                                            on="account_id")
    both = pd.concat([by_lead[["opportunity_id", "touch_id", "at", "closed_on"]],
                      by_account[["opportunity_id", "touch_id", "at", "closed_on"]]])
    both = both[both["at"] < both["closed_on"] + pd.Timedelta(days=1)]
    counted = both.drop_duplicates(["opportunity_id", "touch_id"]).groupby("opportunity_id").size()
    return opps["opportunity_id"].map(counted).fillna(0).astype(int)


def cadence_report(ws: Workspace, start: date | None = None, end: date | None = None) -> dict:
    opps = opportunities(ws)
    opps = opps[opps["status"].isin(["won", "lost"]) & opps["closed_on"].notna()]
    if start is not None:
        opps = opps[opps["closed_on"] >= pd.Timestamp(start)]
    if end is not None:
        opps = opps[opps["closed_on"] < pd.Timestamp(end + timedelta(days=1))]
    opps = opps.copy()
    a, lt = Account.__table__, Lead.__table__
    with ws.store.engine.connect() as conn:
        acct_size = dict(conn.execute(select(a.c.account_id, a.c.employees).where(a.c.employees.is_not(None))).all())
        lead_size = dict(conn.execute(select(lt.c.lead_id, lt.c.employees).where(lt.c.employees.is_not(None))).all())
    employees = opps["account_id"].map(acct_size)
    employees = employees.where(employees.notna(), opps["lead_id"].map(lead_size))
    opps["size"] = [size_of(e) for e in employees]
    opps["calls"] = calls_per_opportunity(ws, opps)
    opps["bucket"] = [bucket_of(c) for c in opps["calls"]]
    opps["won"] = opps["status"] == "won"
    known = opps[opps["size"].notna()]
    cells, best = [], []
    for size in SIZES:
        mine = []
        for bucket in BUCKETS:
            part = known[(known["size"] == size) & (known["bucket"] == bucket)]
            n, won = int(len(part)), int(part["won"].sum())
            low, high = wilson(won, n)
            cell = {"size": size, "bucket": bucket, "closed": n, "won": won, "win_rate": won / n if n else None,
                    "ci_low": low, "ci_high": high, "revenue": round(float(part.loc[part["won"], "amount_rc"].sum()), 4)}
            cells.append(cell)
            if n:
                mine.append(cell)
        top = max(mine, key=lambda c: (c["ci_low"], c["win_rate"]), default=None)
        best.append({"size": size, "bucket": top["bucket"] if top else None,
                     "win_rate": top["win_rate"] if top else None, "ci_low": top["ci_low"] if top else None,
                     "ci_high": top["ci_high"] if top else None, "closed": top["closed"] if top else 0,
                     "seed_calls": SEED_CALLS[size]})
    return {"buckets": list(BUCKETS), "sizes": list(SIZES), "cells": cells, "best": best,
            "seeds": dict(SEED_CALLS), "unknown_size": int(opps["size"].isna().sum())}
