"""The accounts capability's public surface: what other capabilities may use of it.

Another capability imports only this module and `b2bgrowth.accounts.models` (the tables, for
reading); everything else in the package is internal and may change without notice
(pyproject.toml's import contracts check it).

- `account_exists`: for other capabilities' account panels;
- segments: an account attribute's value per account, for reports cut by segment;
- the tier rule: thresholds, override and partners (`effective_tier`), the stored rules, and
  the rule applied with an ARR the caller brings (ARR is revenue's: success/tiering.py).
"""

from __future__ import annotations

from b2bgrowth.accounts.lookup import account_exists
from b2bgrowth.accounts.segments import ALL, segment_of_accounts, sort_segments
from b2bgrowth.accounts.tiers import (
    DEFAULT_RULES,
    RULE_TIERS,
    TierRule,
    clear_rules,
    effective_tier,
    load_rules,
    replace_rules,
    rule_frame,
    set_tiers,
    validate_rules,
)

__all__ = [
    "account_exists",
    "ALL", "segment_of_accounts", "sort_segments",
    "DEFAULT_RULES", "RULE_TIERS", "TierRule", "clear_rules", "effective_tier", "load_rules", "replace_rules",
    "rule_frame", "set_tiers", "validate_rules",
]
