"""Churn risk per paying account: a learned model when the history allows, a rule otherwise.

    risk_at(ws, as_of, signals=None) -> DataFrame [account_id, churn_risk (0–1), reasons (top 3 str),
                                                   method ∈ {model, fallback}]

One row per account paying on `as_of` (the rows of `account_signals(ws, as_of)`, or of the
`signals` frame the caller already has). See docs/customer-success.md §Churn risk and renewals.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from b2bgrowth.success.risk.fallback import fallback_risk

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

__all__ = ["risk_at", "fallback_risk"]


def risk_at(ws: Workspace, as_of: date, signals: pd.DataFrame | None = None) -> pd.DataFrame:
    if signals is None:
        from b2bgrowth.success.signals import account_signals

        signals = account_signals(ws, as_of)
    from b2bgrowth.success.risk.model import model_at

    model = model_at(ws, as_of)
    if model.status != "trained":
        return fallback_risk(signals)
    return model.risk(signals)
