"""Account health as of a day: the live scorecards applied to account_signals.

    health_at(ws, as_of, signals=None) -> DataFrame [account_id, scorecard_id, scorecard_version,
        health_score (0–100, 1 decimal), health_color (green|yellow|red), health_trend, measures, base_stage]

One row per account paying on `as_of` (the rows of `account_signals(ws, as_of)`, or of the
`signals` frame given). Each account is scored by the scorecard `choose` picks for its tier and
base stage (onboarding / adopting / mature: at_risk comes from health, so it cannot choose).
health_trend = score − the score the same scorecard gives the account's signals as of
as_of − 30 days (null when it was not paying or had no measure then). The live (latest) version
of each scorecard is used and named in every row.

The report `health` (health.py) adds churn_risk and reasons (b2bgrowth.success.risk.risk_at) and
the lifecycle stage (b2bgrowth.success.stages.lifecycle_stage); fields in docs/metrics.md. The
scores live here, apart from the report, because the churn model's backtest compares itself with
them and the report in turn reads the churn model.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.success.scorecards import versions
from b2bgrowth.success.scorecards.scoring import choose, score_frame

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

TREND_DAYS = 30
COLUMNS = ["account_id", "scorecard_id", "scorecard_version", "health_score", "health_color", "health_trend",
           "measures", "base_stage"]


def _account_signals(ws: Workspace, as_of: date) -> pd.DataFrame:
    from b2bgrowth.success.signals import account_signals

    return account_signals(ws, as_of)


def base_stages(signals: pd.DataFrame) -> pd.Series:
    """The base lifecycle stage per row: a `base_stage` column if the frame has one, else T's rule."""
    if "base_stage" in signals.columns:
        return signals["base_stage"].astype(object)
    from b2bgrowth.success.stages import base_stage

    days = signals["days_since_first_paid"] if "days_since_first_paid" in signals.columns else pd.Series(
        [None] * len(signals), index=signals.index)
    return pd.Series([base_stage(True, True, None if pd.isna(d) else int(d)) for d in days],
                     index=signals.index, dtype=object)


def _score(cards, signals: pd.DataFrame, chosen: pd.Series, breakdown: bool = True) -> pd.DataFrame:
    """score_frame per scorecard over the rows that chose it; index as `signals`."""
    parts = []
    for card in cards:
        rows = signals[chosen == card.scorecard_id]
        if len(rows):
            parts.append(score_frame(card.definition, rows, breakdown=breakdown))
    if not parts:
        return pd.DataFrame({"health_score": pd.Series(dtype="float64"), "health_color": pd.Series(dtype=object),
                             "measures": pd.Series(dtype=object)})
    return pd.concat(parts).reindex(signals.index)


def health_at(ws: Workspace, as_of: date, signals: pd.DataFrame | None = None,
              previous_signals: pd.DataFrame | None = None, breakdown: bool = True) -> pd.DataFrame:
    """Health per paying account (see the module docstring). `previous_signals` (as of
    as_of − 30 days) is computed when not given; with neither available the trend is null.
    breakdown=False leaves `measures` None (scores only: the churn backtest's use)."""
    if signals is None:
        signals = _account_signals(ws, as_of)
    if signals.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    signals = signals.reset_index(drop=True)
    cards = versions.live(ws)
    by_id = {card.scorecard_id: card for card in cards}
    stages = base_stages(signals)
    tiers = signals["tier"] if "tier" in signals.columns else pd.Series([None] * len(signals))
    pick: dict[tuple[str | None, str | None], str] = {}
    chosen = pd.Series([pick.setdefault((t, s), choose([c.definition for c in cards], t, s).scorecard_id)
                        for t, s in zip(tiers.where(tiers.notna(), None), stages)], index=signals.index)
    scored = _score(cards, signals, chosen, breakdown)
    out = pd.DataFrame({
        "account_id": signals["account_id"].astype(str),
        "scorecard_id": chosen,
        "scorecard_version": chosen.map(lambda i: by_id[i].version).astype("int64"),
        "health_score": scored["health_score"].astype("float64"),
        "health_color": scored["health_color"],
        "health_trend": np.nan,
        "measures": scored["measures"],
        "base_stage": stages,
    })
    if previous_signals is None:
        previous_signals = _account_signals(ws, as_of - timedelta(days=TREND_DAYS))
    if previous_signals is not None and not previous_signals.empty:
        # Like with like: the account's scorecard today scores its signals of 30 days ago.
        previous = previous_signals[previous_signals["account_id"].astype(str).isin(out["account_id"])]
        previous = previous.reset_index(drop=True)
        then_chosen = previous["account_id"].astype(str).map(dict(zip(out["account_id"], out["scorecard_id"])))
        then = _score(cards, previous, then_chosen, breakdown=False)
        past = dict(zip(previous["account_id"].astype(str), then["health_score"]))
        out["health_trend"] = (out["health_score"] - out["account_id"].map(past).astype("float64")).round(1)
    return out[COLUMNS]
