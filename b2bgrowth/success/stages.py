"""Lifecycle stage rules (pure): the base stage from payment history, at_risk from health and risk.

Kept apart from lifecycle.py (which reads the stores and applies the stages in `recompute`) so
that health, which needs the base stage to choose a scorecard, and lifecycle, which needs
health, do not import each other.
"""

from __future__ import annotations

import pandas as pd

ONBOARDING_DAYS = 90
MATURE_DAYS = 365
AT_RISK_CHURN = 0.5
PAYING_STAGES = ("onboarding", "adopting", "mature")


def base_stage(paying: bool, ever_paid: bool, days_since_first_paid: int | None) -> str:
    if not ever_paid:
        return "prospect"
    if not paying:
        return "churned"
    if days_since_first_paid is None or days_since_first_paid < ONBOARDING_DAYS:
        return "onboarding"
    if days_since_first_paid < MATURE_DAYS:
        return "adopting"
    return "mature"


def lifecycle_stage(base: str, health_color: str | None, churn_risk: float | None) -> str:
    if base not in PAYING_STAGES:
        return base
    red = health_color == "red"
    risky = churn_risk is not None and not pd.isna(churn_risk) and churn_risk >= AT_RISK_CHURN
    return "at_risk" if red or risky else base
