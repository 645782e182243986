"""Account tiers: KA (key accounts), CA (commercial accounts), SMB — and partners apart.

An account's tier is, in this order:

1. its manual override (`tier` column of the accounts file, kept in `Account.tier_override`);
2. `partner` when the account is a partner (type `isv` or `channel`): partners are not sized
   as KA/CA/SMB customers; every segment report shows them as their own segment;
3. else the first rule (KA, then CA) whose ANY threshold the account's **tree** reaches:

       KA   ARR ≥ 1,000,000   or  employees ≥ 1000  or  annual revenue ≥ 1,000,000,000
       CA   ARR ≥   200,000   or  employees ≥ 100   or  annual revenue ≥   100,000,000
       SMB  otherwise (also when everything is unknown)

   The rules live in the `tier_rules` table (admins edit them: `b2bgrowth success tiers set`,
   page /success/tiers); while it is empty, the defaults above apply. A threshold left empty
   is not used.

ARR = the account's MRR today × 12 in the reporting currency (subscription rows active today,
converted with exchange_rates; a row whose currency has no rate is left out rather than
failing an import). Annual revenue is compared as written, in the account's currency.

Parent / child roll-up (recursive): every account belongs to the tree of its top-most parent
(`rollup_accounts`). The tree is tiered once, on the direct (non-partner) accounts in it:
ARR = the sum over them; employees and annual revenue = the root's own figure or the sum over
the tree, whichever is larger (a group's own headcount usually already counts its
subsidiaries; when it is missing or smaller, the subsidiaries' sum is the floor). Every
direct account of the tree gets that tier, so a subsidiary of a key account is handled as a
key account. A parent id that is not an account, or a cycle, ends the walk (the account is
treated as the top).

Tiers are current values (no history). They are re-applied after an accounts import, when the
rules change, and by `b2bgrowth recompute` (ARR moves with time). ARR is revenue's figure, so the
rule takes it as an input (`rule_frame`, `set_tiers`); applying the rule with today's ARR, and
the rules' CLI and page, are success's (success/tiering.py, tiers_cli.py, web_tiers.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from b2bgrowth.accounts.models import Account
from b2bgrowth.accounts.models import TierRule as TierRuleRow

if TYPE_CHECKING:
    pass

PARTNER_TIER = "partner"
PARTNER_TYPES = ("isv", "channel")
FALLBACK_TIER = "SMB"
RULE_TIERS = ("KA", "CA")  # the tiers a rule can give, largest first


@dataclass(frozen=True)
class TierRule:
    tier: str
    min_arr: float | None = None
    min_employees: int | None = None
    min_annual_revenue: float | None = None

    def matches(self, arr: float | None, employees: float | None, annual_revenue: float | None) -> bool:
        checks = ((arr, self.min_arr), (employees, self.min_employees), (annual_revenue, self.min_annual_revenue))
        return any(value is not None and minimum is not None and not pd.isna(value) and value >= minimum
                   for value, minimum in checks)


DEFAULT_RULES = (
    TierRule("KA", min_arr=1_000_000, min_employees=1000, min_annual_revenue=1_000_000_000),
    TierRule("CA", min_arr=200_000, min_employees=100, min_annual_revenue=100_000_000),
)


def default_tier(employees: int | None, annual_revenue: float | None, arr: float | None = None,
                 rules: tuple[TierRule, ...] | list[TierRule] = DEFAULT_RULES) -> str:
    for rule in rules:
        if rule.matches(arr, employees, annual_revenue):
            return rule.tier
    return FALLBACK_TIER


def effective_tier(tier_override: str | None, employees: int | None, annual_revenue: float | None,
                   arr: float | None = None, account_type: str | None = None,
                   rules: tuple[TierRule, ...] | list[TierRule] = DEFAULT_RULES) -> str:
    if tier_override:
        return tier_override
    if account_type in PARTNER_TYPES:
        return PARTNER_TIER
    return default_tier(employees, annual_revenue, arr, rules)


# -- rules in the store ---------------------------------------------------------------------

def load_rules(ws_or_session) -> list[TierRule]:
    """The rules in order (KA first); the defaults while `tier_rules` is empty."""
    if not isinstance(ws_or_session, Session):
        with ws_or_session.store.read() as session:
            return load_rules(session)
    rows = ws_or_session.execute(select(TierRuleRow).order_by(TierRuleRow.rank)).scalars().all()
    if not rows:
        return list(DEFAULT_RULES)
    return [TierRule(r.tier, _num(r.min_arr), r.min_employees, _num(r.min_annual_revenue)) for r in rows]


def _num(value) -> float | None:
    return None if value is None else float(value)


def validate_rules(rules: list[TierRule]) -> None:
    """ValueError naming the rule and field when a rule set makes no sense."""
    tiers = [r.tier for r in rules]
    if sorted(tiers) != sorted(RULE_TIERS):
        raise ValueError(f"tier rules: need exactly one rule for each of {', '.join(RULE_TIERS)}, got {tiers}")
    by_tier = {r.tier: r for r in rules}
    for rule in rules:
        for field in ("min_arr", "min_employees", "min_annual_revenue"):
            value = getattr(rule, field)
            if value is not None and (pd.isna(value) or value < 0):
                raise ValueError(f"tier rule {rule.tier}: {field} must be a number ≥ 0 or empty, got {value!r}")
    for field in ("min_arr", "min_employees", "min_annual_revenue"):
        big, small = getattr(by_tier["KA"], field), getattr(by_tier["CA"], field)
        if big is not None and small is not None and big < small:
            raise ValueError(f"tier rules: KA {field} ({big:g}) is below CA {field} ({small:g}); KA must be the larger tier")


def replace_rules(session: Session, rules: list[TierRule], by: str | None = None) -> None:
    """Inside a write transaction: validate `rules` and make them the stored rules (KA first).
    Re-tiering the accounts is the caller's (success/tiering.py: save_rules)."""
    validate_rules(rules)
    ordered = sorted(rules, key=lambda r: RULE_TIERS.index(r.tier))
    session.query(TierRuleRow).delete()
    now = datetime.now().replace(microsecond=0)
    session.add_all(TierRuleRow(tier=r.tier, rank=i + 1, min_arr=r.min_arr, min_employees=r.min_employees,
                                min_annual_revenue=r.min_annual_revenue, updated_at=now, updated_by=by)
                    for i, r in enumerate(ordered))
    session.flush()


def clear_rules(session: Session) -> None:
    """Inside a write transaction: empty `tier_rules`, so the documented defaults apply again."""
    session.query(TierRuleRow).delete()
    session.flush()


# -- roll-up ----------------------------------------------------------------------------------

def _roots(parents: dict[str, str | None]) -> dict[str, str]:
    """account_id → top-most parent id (itself for a top account); see the module docstring."""
    root: dict[str, str] = {}
    for start in parents:
        path: list[str] = []
        seen: set[str] = set()
        node = start
        while node not in root:
            seen.add(node)
            path.append(node)
            parent = parents.get(node)
            if not parent or parent not in parents or parent in seen:
                root[node] = node
                break
            node = parent
        top = root[node]
        for member in path:
            root[member] = top
    return root


def rollup_accounts(ws_or_session) -> dict[str, str]:
    """account_id → root parent id for every account (recursive; roots map to themselves)."""
    if not isinstance(ws_or_session, Session):
        with ws_or_session.store.read() as session:
            return rollup_accounts(session)
    rows = ws_or_session.execute(select(Account.account_id, Account.parent_account_id)).all()
    return _roots({a: p for a, p in rows})


# -- applying ---------------------------------------------------------------------------------

def rule_frame(session: Session, arr: Mapping[str, float], rules: list[TierRule] | None = None) -> pd.DataFrame:
    """Per account: the figures the rule saw and the tier it gives, for `arr` = account_id → ARR
    today in the reporting currency (revenue's current_arr; an account absent from it has ARR 0).

    Columns: account_id, type, root_id, arr (own), tree_arr, tree_employees,
    tree_annual_revenue, rule_tier (None for partners), tier_override, tier (wanted), current.
    """
    rules = rules if rules is not None else load_rules(session)
    rows = session.execute(select(Account.account_id, Account.type, Account.parent_account_id, Account.employees,
                                  Account.annual_revenue, Account.tier_override, Account.tier)).all()
    frame = pd.DataFrame(rows, columns=["account_id", "type", "parent", "employees", "annual_revenue",
                                        "tier_override", "current"])
    if frame.empty:
        return frame.assign(root_id=[], arr=[], tree_arr=[], tree_employees=[], tree_annual_revenue=[],
                            rule_tier=[], tier=[])
    roots = _roots(dict(zip(frame["account_id"], frame["parent"])))
    frame["root_id"] = frame["account_id"].map(roots)
    frame["arr"] = frame["account_id"].map(arr).fillna(0.0)
    frame["employees"] = pd.to_numeric(frame["employees"], errors="coerce")
    frame["annual_revenue"] = pd.to_numeric(frame["annual_revenue"], errors="coerce")
    direct = frame[~frame["type"].isin(PARTNER_TYPES)]
    sums = direct.groupby("root_id").agg(tree_arr=("arr", "sum"), sum_employees=("employees", lambda s: s.sum(min_count=1)),
                                         sum_revenue=("annual_revenue", lambda s: s.sum(min_count=1)))
    own = frame.set_index("account_id")[["employees", "annual_revenue"]]
    sums["tree_employees"] = pd.concat([sums["sum_employees"], own["employees"].reindex(sums.index)], axis=1).max(axis=1)
    sums["tree_annual_revenue"] = pd.concat([sums["sum_revenue"], own["annual_revenue"].reindex(sums.index)],
                                            axis=1).max(axis=1)
    sums["rule_tier"] = [default_tier(e, r, a, rules) for a, e, r in
                         zip(sums["tree_arr"], sums["tree_employees"], sums["tree_annual_revenue"])]
    frame = frame.merge(sums[["tree_arr", "tree_employees", "tree_annual_revenue", "rule_tier"]],
                        left_on="root_id", right_index=True, how="left")
    partner = frame["type"].isin(PARTNER_TYPES)
    frame.loc[partner, "rule_tier"] = None
    wanted = frame["rule_tier"].where(~partner, PARTNER_TIER)
    frame["tier"] = frame["tier_override"].where(frame["tier_override"].notna() & (frame["tier_override"] != ""), wanted)
    return frame.drop(columns=["parent"])


def set_tiers(session: Session, arr: Mapping[str, float], rules: list[TierRule] | None = None) -> int:
    """Inside a write transaction: set Account.tier for every account whose tier is not what the
    rules (default: the stored ones) say with `arr` (see rule_frame); returns how many changed."""
    frame = rule_frame(session, arr, rules)
    if frame.empty:
        return 0
    changed = frame[frame["tier"] != frame["current"]]
    if changed.empty:
        return 0
    session.execute(update(Account).execution_options(synchronize_session=False),
                    [{"account_id": a, "tier": t} for a, t in zip(changed["account_id"], changed["tier"])])
    return len(changed)
