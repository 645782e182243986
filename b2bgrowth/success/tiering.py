"""Applying the tier rule with each account's ARR today.

The rule is the accounts capability's (accounts/tiers.py: thresholds, override, partners,
parent roll-up, the stored rules); ARR is revenue's (revenue's current_arr: MRR today × 12 in
the reporting currency). Success, which reads both, puts them together: `apply_tiers` re-tiers
every account after an accounts import and on `b2bgrowth recompute`; `save_rules` / `reset_rules`
change the rules and re-tier (the `success tiers …` commands and the /success/tiers page).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from b2bgrowth.accounts.api import TierRule, clear_rules, replace_rules, rule_frame, set_tiers, validate_rules

DEFAULT_REPORTING_CURRENCY = "CNY"  # Settings.reporting_currency's default


def tier_frame(session: Session, reporting_currency: str, rules: list[TierRule] | None = None,
               on: date | None = None) -> pd.DataFrame:
    """accounts' rule_frame with the ARR of day `on` (default today); see its columns."""
    from b2bgrowth.revenue.api import current_arr

    return rule_frame(session, current_arr(session, reporting_currency, on), rules)


def apply_tiers(target, on: date | None = None, reporting_currency: str | None = None) -> int:
    """Set Account.tier for every account whose tier is not what the rules say; returns how many.

    `target` is a Session inside a write transaction (pass the workspace's reporting currency;
    default CNY, the product default), or a Workspace (own transaction, bumping the accounts
    revision only when a tier changed). `on` is the day whose ARR counts (default today).
    """
    if isinstance(target, Session):
        return _apply(target, reporting_currency or DEFAULT_REPORTING_CURRENCY, on)
    touched: list[str] = []
    # Store.write reads `touched` when the transaction commits.
    with target.store.write(touched=touched) as session:
        changed = _apply(session, target.settings.reporting_currency, on)
        if changed:
            touched.append("accounts")
    return changed


def save_rules(ws, rules: list[TierRule], by: str | None = None) -> int:
    """Replace the rules and re-tier every account; returns how many accounts changed tier."""
    validate_rules(rules)
    touched = ["tier_rules"]
    with ws.store.write(touched=touched) as session:
        replace_rules(session, rules, by)
        changed = _apply(session, ws.settings.reporting_currency)
        if changed:
            touched.append("accounts")
    return changed


def reset_rules(ws, by: str | None = None) -> int:
    """Back to the documented defaults (empties the table); returns accounts re-tiered."""
    touched = ["tier_rules"]
    with ws.store.write(touched=touched) as session:
        clear_rules(session)
        changed = _apply(session, ws.settings.reporting_currency)
        if changed:
            touched.append("accounts")
    return changed


def _apply(session: Session, reporting_currency: str, on: date | None = None) -> int:
    from b2bgrowth.revenue.api import current_arr

    return set_tiers(session, current_arr(session, reporting_currency, on))
