"""The fallback churn risk: a transparent rule, used when the history is too thin to learn from.

    logit = −2.5 + Σ weight_i · x_i          churn_risk = 1 / (1 + e^(−logit))

| term | x (0 when the input is missing) | weight |
|---|---|---|
| usage_decline | −usage_trend_30d clipped to [0, 1] (a 45 % drop → 0.45) | 2.0 |
| low_seat_use | (0.5 − seat_utilisation) ÷ 0.5 clipped to [0, 1] (no seats known → 0) | 1.5 |
| inactive | days_since_active ÷ 30 clipped to [0, 2]; an account with no recorded usage at all counts 2 when the workspace had recorded usage for any account by as_of (the signal `usage_recorded`; for a frame without it, when any row of the frame has usage) | 1.0 |
| detractor | 1 if detractors_90d > 0, or else nps_last ≤ 6 | 1.0 |
| support_load | support_tickets_30d ÷ 5 clipped to [0, 1] | 0.8 |

A healthy account (every x = 0) sits at 1/(1+e^2.5) ≈ 0.076; every term at its maximum gives
logit −2.5 + 2 + 1.5 + 2 + 1 + 0.8 = 4.8 → 0.992. The reasons are the terms with a positive
contribution, largest first, at most three, phrased from the inputs ("usage down 45% in 30 days").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bgrowth.reporting.jsonable import is_missing
from b2bgrowth.success.risk.phrases import signal_phrase
from b2bgrowth.voc.api import is_detractor

INTERCEPT = -2.5
WEIGHTS = {"usage_decline": 2.0, "low_seat_use": 1.5, "inactive": 1.0, "detractor": 1.0, "support_load": 0.8}


def _column(signals: pd.DataFrame, name: str) -> np.ndarray:
    if name not in signals.columns:
        return np.full(len(signals), np.nan)
    return pd.to_numeric(signals[name], errors="coerce").to_numpy(dtype="float64")


def fallback_terms(signals: pd.DataFrame) -> pd.DataFrame:
    """The x of each term per account (same index as `signals`)."""
    trend = _column(signals, "usage_trend_30d")
    utilisation = _column(signals, "seat_utilisation")
    since = _column(signals, "days_since_active")
    events_30d = np.nan_to_num(_column(signals, "events_30d"))
    events_prev = np.nan_to_num(_column(signals, "events_prev_30d"))
    detractors = np.nan_to_num(_column(signals, "detractors_90d"))
    nps_last = _column(signals, "nps_last")
    tickets = np.nan_to_num(_column(signals, "support_tickets_30d"))

    if "usage_recorded" in signals.columns:  # account_signals says it per row (the workspace's state)
        usage_known = signals["usage_recorded"].fillna(False).to_numpy(dtype=bool)
    else:  # a frame from elsewhere: judge by the frame itself
        usage_known = bool(((events_30d + events_prev) > 0).any()) or bool(np.isfinite(since).any())
    inactive = np.clip(np.nan_to_num(since / 30.0), 0.0, 2.0)
    never_used = ~np.isfinite(since) & (events_30d == 0)
    inactive = np.where(never_used & usage_known, 2.0, inactive)
    with np.errstate(invalid="ignore"):
        detractor = ((detractors > 0) | is_detractor(np.nan_to_num(nps_last, nan=99))).astype(float)
    return pd.DataFrame({
        "usage_decline": np.clip(np.nan_to_num(-trend), 0.0, 1.0),
        "low_seat_use": np.clip(np.nan_to_num((0.5 - utilisation) / 0.5), 0.0, 1.0),
        "inactive": inactive,
        "detractor": detractor,
        "support_load": np.clip(tickets / 5.0, 0.0, 1.0),
    }, index=signals.index)


def fallback_logit(signals: pd.DataFrame) -> np.ndarray:
    """The rule's log-odds per row (the learned model also takes it as one feature)."""
    return INTERCEPT + (fallback_terms(signals) * pd.Series(WEIGHTS)).sum(axis=1).to_numpy()


# Terms worded exactly as the learned model words the same signal (phrases.signal_phrase): a term
# fires only when its signal is present (decline: trend < 0; low seats: utilisation < 0.5).
_SAME_PHRASE = {"usage_decline": "usage_trend", "low_seat_use": "seat_utilisation", "inactive": "days_since_active"}


def _reason(term: str, row: dict) -> str:
    if term in _SAME_PHRASE:
        return signal_phrase(_SAME_PHRASE[term], row)

    def value(name):
        v = row.get(name)
        return None if is_missing(v) else v

    if term == "detractor":
        n = value("detractors_90d")
        if n:
            return f"{int(n)} detractor NPS response(s) in 90 days"
        return f"last NPS {int(value('nps_last'))} (detractor)"
    tickets = int(value("support_tickets_30d") or 0)
    return f"{tickets} support tickets in 30 days"


def fallback_risk(signals: pd.DataFrame) -> pd.DataFrame:
    """[account_id, churn_risk, reasons, method="fallback"] for every row of `signals`."""
    terms = fallback_terms(signals)
    contributions = terms * pd.Series(WEIGHTS)
    logit = INTERCEPT + contributions.sum(axis=1).to_numpy()
    risk = 1.0 / (1.0 + np.exp(-logit))
    names = list(contributions.columns)
    values = contributions.to_numpy()
    needed = [c for c in ("usage_trend_30d", "seat_utilisation", "days_since_active", "detractors_90d", "nps_last",
                          "support_tickets_30d") if c in signals.columns]
    records = signals[needed].to_dict("records")
    top = np.argsort(-values, axis=1, kind="stable")[:, :3]
    reasons = []
    for i, row in enumerate(records):
        reasons.append([_reason(names[j], row) for j in top[i] if values[i, j] > 0])
    return pd.DataFrame({"account_id": signals["account_id"].astype(str).to_numpy() if len(signals) else [],
                         "churn_risk": np.round(risk, 4), "reasons": reasons,
                         "method": "fallback"})
