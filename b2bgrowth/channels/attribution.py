"""Attribution of leads and won revenue to channels and campaigns (issue 3 item 7).

Cohort: the MERGED leads created in [from, to] — the same leads the channel report counts —
and their won opportunities (any close date). Each lead is one unit of credit; each won
opportunity is its amount (reporting currency) and one "won" unit of credit.

Touch path:
  - a lead's path = the touches of all its members, at or before the end of `to`, ordered by
    (at, touch_id); a won opportunity's path = the same touches at or before its close date;
  - a touch's channel = the channel of its campaign (campaigns.channel_id) when it names a
    campaign that has one, otherwise the merged lead's channel; its campaign = its campaign_id;
  - an empty path is the lead's own source: one touch with the lead's channel and campaign.

Models, for a path of n touches (weights sum to 1):
  first_touch     1 to the first touch
  last_touch      1 to the last touch
  linear          1/n each
  position_based  n = 1: 1; n = 2: 0.5 each; n ≥ 3: 0.4 first, 0.4 last, 0.2/(n−2) each middle one
Credits of touches with the same channel (campaign) add up. Worked example: docs/lead-to-revenue.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import select

from b2bgrowth.channels.models import Campaign
from b2bgrowth.channels.roi import opportunities_frame, window_leads
from b2bgrowth.leads.models import Lead, Touch

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

MODELS = ("first_touch", "last_touch", "linear", "position_based")
NONE_KEY = "\0none"


def weights(position: np.ndarray, n: np.ndarray, model: str) -> np.ndarray:
    """Credit of the touch at 0-based `position` in a path of `n` touches."""
    position, n = np.asarray(position), np.asarray(n)
    if model == "first_touch":
        return (position == 0).astype(float)
    if model == "last_touch":
        return (position == n - 1).astype(float)
    if model == "linear":
        return 1.0 / n
    if model == "position_based":
        ends = (position == 0) | (position == n - 1)
        middle = 0.2 / np.maximum(n - 2, 1)
        return np.where(n == 1, 1.0, np.where(n == 2, 0.5, np.where(ends, 0.4, middle)))
    raise ValueError(f"unknown attribution model {model!r}; use one of {', '.join(MODELS)}")


def _touch_paths(ws: Workspace, leads: pd.DataFrame) -> pd.DataFrame:
    """Touches of the cohort's merged leads: lead, at, touch_id, channel, campaign_id."""
    from b2bgrowth.leads.api import lead_index

    t, c = Touch.__table__, Campaign.__table__
    with ws.store.engine.connect() as conn:
        rows = conn.execute(select(t.c.touch_id, t.c.at, t.c.lead_id, t.c.campaign_id)
                            .where(t.c.lead_id.is_not(None))).all()
        campaign_channel = dict(conn.execute(select(c.c.campaign_id, c.c.channel_id)).all())
    touches = pd.DataFrame(rows, columns=["touch_id", "at", "lead_id", "campaign_id"])
    touches["lead"] = lead_index(ws).merged_of(touches["lead_id"].to_numpy(dtype=object))
    lead_channel = pd.Series(leads["channel"].to_numpy(), index=leads["lead_id"].to_numpy())
    touches = touches[touches["lead"].isin(lead_channel.index)].copy()
    from_campaign = touches["campaign_id"].map(campaign_channel)
    touches["channel"] = from_campaign.where(from_campaign.notna(), touches["lead"].map(lead_channel))
    touches["at"] = pd.to_datetime(touches["at"])
    return touches.sort_values(["lead", "at", "touch_id"], kind="stable")


def _credit(paths: pd.DataFrame, unit: str, model: str, value: pd.Series | None = None) -> pd.DataFrame:
    """paths: one row per touch with a `path` key; returns rows channel, campaign_id, credit."""
    position = paths.groupby("path", sort=False).cumcount().to_numpy()
    n = paths.groupby("path", sort=False)["path"].transform("size").to_numpy()
    w = weights(position, n, model)
    scale = paths[value.name].to_numpy(dtype=float) if value is not None else 1.0
    return pd.DataFrame({"channel": paths["channel"].astype(object).fillna(NONE_KEY).to_numpy(),
                         "campaign_id": paths["campaign_id"].astype(object).fillna(NONE_KEY).to_numpy(),
                         unit: w * scale})


def attribution_report(ws: Workspace, model: str, start: date, end: date) -> dict:
    if model not in MODELS:
        raise ValueError(f"unknown attribution model {model!r}; use one of {', '.join(MODELS)}")
    leads = window_leads(ws, start, end)
    lead_t = Lead.__table__
    with ws.store.engine.connect() as conn:
        lead_campaign = dict(conn.execute(select(lead_t.c.lead_id, lead_t.c.campaign_id)
                                          .where(lead_t.c.campaign_id.is_not(None))).all())
    source = pd.DataFrame({"lead": leads["lead_id"].to_numpy(), "channel": leads["channel"].to_numpy(),
                           "campaign_id": leads["lead_id"].map(lead_campaign).to_numpy(),
                           "at": pd.NaT, "touch_id": ""})
    touches = _touch_paths(ws, leads)
    end_ts = pd.Timestamp(end + timedelta(days=1))

    # Leads: one path per merged lead.
    lead_paths = touches[touches["at"] < end_ts]
    lead_paths = pd.concat([lead_paths, source[~source["lead"].isin(lead_paths["lead"])]], ignore_index=True)
    lead_paths["path"] = lead_paths["lead"]
    lead_credit = _credit(lead_paths.sort_values(["path", "at", "touch_id"], kind="stable", na_position="first"),
                          "leads", model)

    # Won opportunities: one path per opportunity, touches up to its close date.
    opps = opportunities_frame(ws, ("close_date",))
    won = opps[(opps["status"] == "won") & opps["lead"].isin(leads["lead_id"])][
        ["opportunity_id", "lead", "amount_rc", "close_date"]]
    joined = won.merge(touches, on="lead", how="inner")
    close_end = pd.to_datetime(joined["close_date"]) + pd.Timedelta(days=1)
    joined = joined[joined["close_date"].isna() | (joined["at"] < close_end)]
    bare = won[~won["opportunity_id"].isin(joined["opportunity_id"])].merge(source, on="lead", how="left")
    won_paths = pd.concat([joined, bare], ignore_index=True)
    won_paths["path"] = won_paths["opportunity_id"]
    won_paths = won_paths.sort_values(["path", "at", "touch_id"], kind="stable", na_position="first")
    revenue_credit = _credit(won_paths, "won_revenue", model, won_paths["amount_rc"])
    count_credit = _credit(won_paths, "won", model)

    credits = pd.concat([lead_credit, revenue_credit, count_credit], ignore_index=True).fillna(
        {"leads": 0.0, "won_revenue": 0.0, "won": 0.0})
    # a touch that earns nothing under this model (a middle one under first_touch) is no row
    credits = credits[(credits[["leads", "won", "won_revenue"]] != 0).any(axis=1)]
    return {"model": model, "channels": _rows(credits, ["channel"]),
            "campaigns": _rows(credits, ["campaign_id", "channel"])}


def _rows(credits: pd.DataFrame, keys: list[str]) -> list[dict]:
    if credits.empty:
        return []
    summed = credits.groupby(keys, sort=True)[["leads", "won", "won_revenue"]].sum().reset_index()
    out = []
    for record in summed.to_dict("records"):
        row = {k: (None if record[k] == NONE_KEY else record[k]) for k in keys}
        row.update(leads=round(float(record["leads"]), 6), won=round(float(record["won"]), 6),
                   won_revenue=round(float(record["won_revenue"]), 4))
        out.append(row)
    out.sort(key=lambda r: tuple((r[k] is None, r[k] or "") for k in keys))
    return out


__all__ = ["MODELS", "attribution_report", "weights"]
