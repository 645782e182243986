"""A lead's account: the company it belongs to when that company is already an account.

In To-B one account has many buyers: an upsell, a new department, a subsidiary. Without a link
sales cannot see on the lead that the company already pays, and the account 360 timeline sees
only the leads that became its opportunities. `leads.account_id` is that link (nullable).

How it is set (every write on the one write path, `ws.store.write(touched=["leads"])`):
- import: the `account_id` column of the leads file (interchange; an unknown account rejects
  the file, naming the row);
- the capture API: `account_id` in POST /api/v1/leads (422 when the account does not exist);
- the lead page and `b2bgrowth leads link LEAD ACCOUNT` / `leads unlink LEAD` (`link`, `unlink`);
- a won opportunity of the lead with an account links the lead to that account when the lead
  has none (`link_won_opportunities`: the recompute step "lead_account_links", and callable
  inside the importer's / board's transaction).

Merged leads (leads/dedupe.py): the merged lead's account is its identity member's, else the
first member's (identity order) that has one. So `link` writes the identity member (the merged
lead_id) and `unlink` clears every member: afterwards the merged lead has no account.

"Existing customer" = the account pays now: a subscription row with start_date ≤ today <
end_date (or no end) and MRR > 0 (the account's own rows; a parent's or child's do not count).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from b2bgrowth.contract import RecomputeStep

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


class AccountLinkError(ValueError):
    """A link that cannot be made; `status` is the HTTP answer (404 unknown lead, 422 unknown account)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def _cached(ws: Workspace, what: str, entities: tuple[str, ...], compute, day: date | None = None):
    # Kept by ws.cache: keyed on the workspace id in the database, so a reset under the same URL
    # (whose revisions restart) never finds the old value.
    key = ws.cache.key(f"account_links.{what}", entities=entities, extra=day)
    return ws.cache.get_or_compute(f"account_links.{what}", key, compute)


# -- reading ---------------------------------------------------------------------------------------
def accounts_by_id(ws: Workspace) -> dict[str, dict]:
    """account_id → {"account_id", "name", "tier"} for every account (kept per accounts revision)."""
    from b2bgrowth.accounts.models import Account

    def compute():
        with ws.store.read() as session:
            rows = session.execute(select(Account.account_id, Account.name, Account.tier)).all()
        return {a: {"account_id": a, "name": n, "tier": t} for a, n, t in rows}

    return _cached(ws, "accounts", ("accounts",), compute)


def paying_accounts(ws: Workspace, on: date | None = None) -> frozenset[str]:
    """Accounts with a subscription row active on `on` (default today) and MRR > 0."""
    from b2bgrowth.revenue.models import Subscription

    on = on or date.today()

    def compute():
        with ws.store.read() as session:
            rows = session.execute(
                select(Subscription.account_id).distinct()
                .where(Subscription.start_date <= on, or_(Subscription.end_date.is_(None), Subscription.end_date > on),
                       Subscription.mrr > 0)).scalars().all()
        return frozenset(r for r in rows if r)

    return _cached(ws, "paying", ("subscriptions",), compute, on)


def account_summary(ws: Workspace, account_id: str | None, on: date | None = None,
                    known: tuple | None = None) -> dict | None:
    """What the lead page shows: {"account_id", "name", "tier", "paying", "exists"} (None without a
    link). `known` = (accounts_by_id(ws), paying_accounts(ws, on)) when the caller has them (a page
    of rows asks once)."""
    if not isinstance(account_id, str) or not account_id:
        return None
    accounts, paying = known or (accounts_by_id(ws), paying_accounts(ws, on))
    found = accounts.get(account_id)
    return {"account_id": account_id, "name": found["name"] if found else None,
            "tier": found["tier"] if found else None, "exists": found is not None,
            "paying": account_id in paying}


def suggestions(ws: Workspace, company: str | None, limit: int = 10) -> list[dict]:
    """Accounts whose normalised name equals the normalised company (the dedupe's company rule:
    NFKC, lower-case, legal suffixes such as 有限公司 / Ltd removed, spaces and punctuation dropped)."""
    from b2bgrowth.leads.normalize import company_keys, normalize_company

    key = normalize_company(company)
    if not key:
        return []

    def compute():
        accounts = list(accounts_by_id(ws).values())
        keys = company_keys([a["name"] for a in accounts]).to_pylist()
        index: dict[str, list[dict]] = {}
        for account, k in zip(accounts, keys):
            if k:
                index.setdefault(k, []).append(account)
        return index

    index = _cached(ws, "name_index", ("accounts",), compute)
    return sorted(index.get(key, []), key=lambda a: a["account_id"])[:limit]


# -- writing ---------------------------------------------------------------------------------------
def _merged(ws: Workspace, lead_id: str) -> tuple[str, list[str]]:
    from b2bgrowth.leads.dedupe import DedupeError, members_of, merged_id_of

    try:
        merged_id = merged_id_of(ws, lead_id)
        return merged_id, members_of(ws, merged_id)
    except DedupeError:
        raise AccountLinkError(f"lead {lead_id!r} does not exist", status=404) from None


def link(ws: Workspace, lead_id: str, account_id: str) -> dict:
    """Link the merged lead containing `lead_id` to `account_id` (written on its identity member)."""
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.leads.models import Lead

    account_id = (account_id or "").strip()
    if not account_id:
        raise AccountLinkError("account_id: an account is required")
    merged_id, _ = _merged(ws, lead_id)
    with ws.store.write(touched=["leads"]) as session:
        if session.get(Account, account_id) is None:
            raise AccountLinkError(f"account_id: account {account_id!r} does not exist")
        lead = session.get(Lead, merged_id)
        if lead is None:
            raise AccountLinkError(f"lead {lead_id!r} does not exist", status=404)
        lead.account_id = account_id
    return {"lead_id": merged_id, "account_id": account_id}


def unlink(ws: Workspace, lead_id: str) -> dict:
    """Remove the account of the merged lead containing `lead_id` (cleared on every member)."""
    from b2bgrowth.leads.models import Lead

    merged_id, members = _merged(ws, lead_id)
    with ws.store.write(touched=["leads"]) as session:
        session.execute(update(Lead).where(Lead.lead_id.in_(members)).values(account_id=None))
    return {"lead_id": merged_id, "account_id": None}


def link_won_opportunities(session: Session) -> int:
    """Inside a write transaction: every lead without an account that has a won opportunity with
    an account gets that account (the earliest-closed such opportunity, then the smallest id).
    Returns the number of leads linked (the caller adds "leads" to `touched` when > 0)."""
    from b2bgrowth.leads.models import Lead
    from b2bgrowth.store.base import model_class

    # The pipeline's table, looked up by name: pipeline imports leads (its api), not the reverse.
    Opportunity = model_class("Opportunity")
    rows = session.execute(
        select(Opportunity.lead_id, Opportunity.account_id, Opportunity.close_date, Opportunity.opportunity_id)
        .join(Lead, Lead.lead_id == Opportunity.lead_id)
        .where(Opportunity.status == "won", Opportunity.account_id.is_not(None), Lead.account_id.is_(None))).all()
    chosen: dict[str, tuple] = {}
    for lead_id, account_id, close_date, opportunity_id in rows:
        rank = (close_date is None, close_date or date.min, opportunity_id)
        if lead_id not in chosen or rank < chosen[lead_id][0]:
            chosen[lead_id] = (rank, account_id)
    for lead_id, (_, account_id) in sorted(chosen.items()):
        session.execute(update(Lead).where(Lead.lead_id == lead_id, Lead.account_id.is_(None))
                        .values(account_id=account_id))
    return len(chosen)


def link_won(ws: Workspace) -> int:
    """link_won_opportunities in a transaction of its own (bumps "leads" only when it linked)."""
    touched: list[str] = []
    with ws.store.write(touched=touched) as session:
        linked = link_won_opportunities(session)
        if linked:
            touched.append("leads")
    return linked


def _step(ws: Workspace, as_of: date | None = None) -> dict:
    return {"linked": link_won(ws)}


RECOMPUTE_STEP = RecomputeStep("lead_account_links", _step, order=20)
