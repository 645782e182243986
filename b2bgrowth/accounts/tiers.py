"""Account tiers: KA (key accounts), CA (commercial accounts), SMB.

An account's tier is its manual override (`tier` column of the accounts file, kept in
`Account.tier_override`) when set, else the default rule on company size:

    KA   employees ≥ 1000  or  annual revenue ≥ 1,000,000,000
    CA   employees ≥ 100   or  annual revenue ≥   100,000,000
    SMB  otherwise (also when both are unknown)

Annual revenue is compared as written, in the account's currency (the accounts file defaults
to CNY). The rule exists twice — in Python for single accounts and as one SQL UPDATE for the
whole table — built from the same thresholds below.
"""

from __future__ import annotations

from sqlalchemy import case, func, or_, update
from sqlalchemy.orm import Session

from b2bgrowth.accounts.models import Account

# (tier, minimum employees, minimum annual revenue), largest first.
THRESHOLDS = (
    ("KA", 1000, 1_000_000_000),
    ("CA", 100, 100_000_000),
)
FALLBACK_TIER = "SMB"


def default_tier(employees: int | None, annual_revenue: float | None) -> str:
    for tier, min_employees, min_revenue in THRESHOLDS:
        if (employees is not None and employees >= min_employees) or (
            annual_revenue is not None and annual_revenue >= min_revenue
        ):
            return tier
    return FALLBACK_TIER


def effective_tier(tier_override: str | None, employees: int | None, annual_revenue: float | None) -> str:
    return tier_override or default_tier(employees, annual_revenue)


def _tier_expression():
    rule = case(
        *(
            (or_(Account.employees >= min_employees, Account.annual_revenue >= min_revenue), tier)
            for tier, min_employees, min_revenue in THRESHOLDS
        ),
        else_=FALLBACK_TIER,
    )
    return func.coalesce(Account.tier_override, rule)


def apply_tiers(target) -> int:
    """Set Account.tier for every account whose tier is not what the rule says; returns how many.

    `target` is a Session inside a write transaction, or a Workspace (own transaction,
    bumping the accounts revision only when a tier changed).
    """
    if isinstance(target, Session):
        return _apply(target)
    touched: list[str] = []
    # Store.write reads `touched` when the transaction commits.
    with target.store.write(touched=touched) as session:
        changed = _apply(session)
        if changed:
            touched.append("accounts")
    return changed


def _apply(session: Session) -> int:
    wanted = _tier_expression()
    stmt = (
        update(Account)
        .where(Account.tier.is_distinct_from(wanted))
        .values(tier=wanted)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount or 0
