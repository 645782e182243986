"""Model features derived from `account_signals` columns, and how a feature's pull is phrased.

Every feature is numeric, missing inputs become a neutral value plus (where it matters) a
`*_missing` flag, so the standardised linear model can say which way each one pulls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bgrowth.reporting.jsonable import is_missing

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
    from b2bgrowth.success.risk.fallback import fallback_logit

    out["rule_logit"] = fallback_logit(s)
    return out[list(FEATURES)]


# Which input a feature belongs to (missing flags are reported with their feature).
GROUP = {"trend_missing": "usage_trend", "seats_missing": "seat_utilisation", "nps_missing": "nps_last",
         "log_events_prev_30d": "log_events_30d", "tier_CA": "tier", "tier_SMB": "tier", "tier_KA": "tier",
         "support_tickets_90d": "support_tickets_30d"}


RULE_REASON_DEFAULT = "usage and NPS signals"
# The signal columns phrase() reads (a reason's row need not carry the other ~30).
PHRASE_INPUTS = ("usage_trend_30d", "events_30d", "events_prev_30d", "mau", "active_users_prev_30d",
                 "seat_utilisation", "days_since_active", "breadth_30d", "support_tickets_30d", "support_tickets_90d",
                 "nps_last", "detractors_90d", "arr", "days_since_first_paid", "tier", "usage_recorded")


def phrase(group: str, row: dict) -> str:
    """A short English reason for an account from the raw signal values."""
    def v(name, default=None):
        value = row.get(name)
        if is_missing(value):
            return default
        return value

    if group == "usage_trend":
        trend = v("usage_trend_30d")
        if trend is None:
            return "no usage in the previous 30 days to compare"
        word = "down" if trend < 0 else "up"
        return f"usage {word} {abs(round(100 * float(trend)))}% in 30 days"
    if group == "log_events_30d":
        return f"{int(v('events_30d', 0))} events in 30 days (previous 30: {int(v('events_prev_30d', 0))})"
    if group == "active_users_change":
        return f"active users {int(v('mau', 0))} (previous 30 days: {int(v('active_users_prev_30d', 0))})"
    if group == "seat_utilisation":
        u = v("seat_utilisation")
        return "seats unknown" if u is None else f"seat utilisation {round(100 * float(u))}%"
    if group == "days_since_active":
        d = v("days_since_active")
        return "no recorded usage" if d is None else f"no activity for {int(d)} days"
    if group == "breadth_30d":
        return f"{int(v('breadth_30d', 0))} features used in 30 days"
    if group == "support_tickets_30d":
        return f"{int(v('support_tickets_30d', 0))} support tickets in 30 days ({int(v('support_tickets_90d', 0))} in 90)"
    if group == "nps_last":
        n = v("nps_last")
        return "no NPS response" if n is None else f"last NPS {int(n)}"
    if group == "detractors_90d":
        return f"{int(v('detractors_90d', 0))} detractor NPS response(s) in 90 days"
    if group == "log_arr":
        return f"ARR {round(float(v('arr', 0))):,}"
    if group == "log_tenure_days":
        return f"paying for {int(v('days_since_first_paid', 0))} days"
    if group == "rule_logit":  # one row alone; ChurnModel.risk phrases it from the whole frame
        from b2bgrowth.success.risk.fallback import fallback_risk

        reasons = fallback_risk(pd.DataFrame([row]))["reasons"].iloc[0]
        return reasons[0] if reasons else RULE_REASON_DEFAULT
    if group == "tier":
        return f"tier {v('tier', 'unknown')}"
    return group
