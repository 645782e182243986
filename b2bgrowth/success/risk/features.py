"""Model features derived from `account_signals` columns, and how a feature's pull is phrased.

Every feature is numeric, missing inputs become a neutral value plus (where it matters) a
`*_missing` flag, so the standardised linear model can say which way each one pulls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bgrowth.success.risk.fallback import fallback_logit, fallback_risk
from b2bgrowth.success.risk.phrases import PHRASE_INPUTS, signal_phrase  # noqa: F401  (PHRASE_INPUTS: public here too)

FEATURES = (
    "usage_trend", "trend_missing", "log_events_30d", "log_events_prev_30d", "active_users_change",
    "seat_utilisation", "seats_missing", "days_since_active", "breadth_30d", "support_tickets_30d",
    "support_tickets_90d", "nps_last", "nps_missing", "detractors_90d", "log_arr", "log_tenure_days",
    "tier_KA", "tier_CA", "tier_SMB", "rule_logit",
)


def _num(signals: pd.DataFrame, name: str) -> pd.Series:
    if name not in signals.columns:
        return pd.Series(np.nan, index=signals.index)
    return pd.to_numeric(signals[name], errors="coerce").astype("float64")


def model_features(signals: pd.DataFrame) -> pd.DataFrame:
    s = signals
    out = pd.DataFrame(index=s.index)
    trend = _num(s, "usage_trend_30d")
    out["usage_trend"] = trend.clip(-1, 2).fillna(0.0)
    out["trend_missing"] = trend.isna().astype(float)
    out["log_events_30d"] = np.log1p(_num(s, "events_30d").fillna(0).clip(lower=0))
    out["log_events_prev_30d"] = np.log1p(_num(s, "events_prev_30d").fillna(0).clip(lower=0))
    mau, prev_users = _num(s, "mau"), _num(s, "active_users_prev_30d")
    with np.errstate(divide="ignore", invalid="ignore"):
        change = mau / prev_users - 1
    out["active_users_change"] = change.where(prev_users > 0).clip(-1, 2).fillna(0.0)
    utilisation = _num(s, "seat_utilisation")
    out["seat_utilisation"] = utilisation.clip(0, 2).fillna(0.0)
    out["seats_missing"] = utilisation.isna().astype(float)
    since = _num(s, "days_since_active")
    out["days_since_active"] = since.clip(0, 120).fillna(120.0)
    out["breadth_30d"] = _num(s, "breadth_30d").fillna(0)
    out["support_tickets_30d"] = _num(s, "support_tickets_30d").fillna(0)
    out["support_tickets_90d"] = _num(s, "support_tickets_90d").fillna(0)
    nps = _num(s, "nps_last")
    out["nps_last"] = nps.fillna(7.5)
    out["nps_missing"] = nps.isna().astype(float)
    out["detractors_90d"] = _num(s, "detractors_90d").fillna(0)
    out["log_arr"] = np.log1p(_num(s, "arr").fillna(0).clip(lower=0))
    out["log_tenure_days"] = np.log1p(_num(s, "days_since_first_paid").fillna(0).clip(lower=0))
    tier = s["tier"].astype(object) if "tier" in s.columns else pd.Series(None, index=s.index, dtype=object)
    for name in ("KA", "CA", "SMB"):
        out[f"tier_{name}"] = (tier == name).astype(float)
    # The fallback rule's log-odds as one more feature (stacking): the model starts from the rule
    # and learns how much to trust it against the other signals.
    out["rule_logit"] = fallback_logit(s)
    return out[list(FEATURES)]


# Which input a feature belongs to (missing flags are reported with their feature).
GROUP = {"trend_missing": "usage_trend", "seats_missing": "seat_utilisation", "nps_missing": "nps_last",
         "log_events_prev_30d": "log_events_30d", "tier_CA": "tier", "tier_SMB": "tier", "tier_KA": "tier",
         "support_tickets_90d": "support_tickets_30d"}


RULE_REASON_DEFAULT = "usage and NPS signals"


def phrase(group: str, row: dict) -> str:
    """A short English reason for an account from the raw signal values."""
    if group == "rule_logit":  # one row alone; ChurnModel.risk phrases it from the whole frame
        reasons = fallback_risk(pd.DataFrame([row]))["reasons"].iloc[0]
        return reasons[0] if reasons else RULE_REASON_DEFAULT
    return signal_phrase(group, row)
