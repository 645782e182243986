"""Accounts pages: /accounts (search, filters, pagination; htmx live search) and /accounts/{id}.

Pages never compute figures: the list's current MRR is the account figure "current_mrr" that the
revenue capability registers (WebRegistry.add_account_figure; 0 for every account without it);
the account page shows the account's own record and contacts, and every figure in panels the
capabilities own (WebRegistry.add_account_panel: revenue's MRR/ARR/subscriptions, voc's NPS,
success's health, usage, users, onboarding, tasks, timeline), rendered in place or by HTMX.
"""

from __future__ import annotations

import logging
from datetime import date
from math import ceil
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Query, Request
from markupsafe import Markup
from sqlalchemy import and_, func, or_, select

from b2bgrowth.accounts.models import ACCOUNT_TYPES, TIERS, Account, Contact
from b2bgrowth.accounts.tiers import PARTNER_TIER
from b2bgrowth.auth.security import mask_personal
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.templating import render

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
PER_PAGE = 25


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_accounts(ws: Workspace, q: str, tier: str, type_: str, region: str, page: int, current_mrr=None):
    """The matching accounts by current MRR (largest first), then name and id; one page of them.
    `current_mrr(ws, on)` → {account_id: MRR} (the "current_mrr" account figure; None: all 0)."""
    conditions = []
    if q:
        pattern = _like(q.strip())
        conditions.append(or_(func.lower(Account.name).like(pattern, escape="\\"),
                              func.lower(Account.account_id).like(pattern, escape="\\")))
    if tier:
        conditions.append(Account.tier == tier)
    if type_:
        conditions.append(Account.type == type_)
    if region:
        conditions.append(Account.region == region)
    query = select(Account.account_id).order_by(Account.name, Account.account_id)
    if conditions:
        query = query.where(and_(*conditions))
    mrr = current_mrr(ws, date.today()) if current_mrr is not None else {}
    with ws.store.read() as session:
        ids = list(session.scalars(query))
        # Sorted by MRR in a stable sort, so equal MRRs keep the database's name order.
        ids.sort(key=lambda a: -mrr.get(a, 0.0))
        total = len(ids)
        pages = max(1, ceil(total / PER_PAGE))
        page = min(max(page, 1), pages)
        shown = ids[(page - 1) * PER_PAGE: page * PER_PAGE]
        found = {a.account_id: a for a in session.scalars(select(Account).where(Account.account_id.in_(shown)))} \
            if shown else {}
        accounts = [dict(_account_dict(found[a]), current_mrr=mrr.get(a, 0.0)) for a in shown]
        regions = [r for (r,) in session.execute(
            select(Account.region).where(Account.region.is_not(None)).distinct().order_by(Account.region))]
    return accounts, total, page, pages, regions


def _account_dict(a: Account) -> dict:
    return {
        "account_id": a.account_id, "name": a.name, "tier": a.tier, "type": a.type, "industry": a.industry,
        "region": a.region, "owner": a.owner, "employees": a.employees, "annual_revenue": a.annual_revenue,
        "currency": a.currency, "parent_account_id": a.parent_account_id, "created_at": a.created_at,
        "lifecycle_stage": a.lifecycle_stage, "tier_override": a.tier_override, "attributes": a.attributes or {},
    }


@router.get("/accounts")
def accounts_list(
    request: Request, ws: WorkspaceDep, user: PageUser,
    q: str = Query("", max_length=200), tier: str = "", type: str = "", region: str = "",
    page: int = Query(1, ge=1),
):
    figures = getattr(request.app.state, "account_figures", {})
    accounts, total, page, pages, regions = search_accounts(ws, q, tier, type, region, page,
                                                            figures.get("current_mrr"))
    context = dict(
        accounts=accounts, total=total, page=page, pages=pages, q=q, tier=tier, type=type, region=region,
        tiers=(*TIERS, PARTNER_TIER), types=ACCOUNT_TYPES, regions=regions, currency=ws.settings.reporting_currency,
    )
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "accounts-results":
        return render(request, "accounts/_results.html", **context)
    return render(request, "accounts/list.html", **context)


def _panels(request: Request, ws: Workspace, user, account_id: str) -> list[dict]:
    """The capabilities' panels this role may see; a panel with `render` is put in place."""
    out = []
    for p in getattr(request.app.state, "account_panels", []):
        if not p.visible_to(user.role):
            continue
        html = None
        if p.render is not None:
            try:
                response = p.render(request, ws, user, account_id)
                if response.status_code == 200:
                    html = Markup(response.body.decode("utf-8"))
            except Exception:  # the card then loads its route like any other panel
                log.exception("account panel %s failed in place for account %s", p.key, account_id)
        out.append({"key": p.key, "title": p.title, "url": p.url(account_id), "wide": p.wide, "html": html})
    return out


@router.get("/accounts/{account_id}")
def account_page(account_id: str, request: Request, ws: WorkspaceDep, user: PageUser):
    with ws.store.read() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise HTTPException(404, f"no account with id {account_id!r}")
        parent = session.get(Account, account.parent_account_id) if account.parent_account_id else None
        children = session.execute(
            select(Account.account_id, Account.name).where(Account.parent_account_id == account_id)
            .order_by(Account.name)).all()
        contacts = session.execute(
            select(Contact).where(Contact.account_id == account_id).order_by(Contact.name, Contact.contact_id)
        ).scalars().all()
    contact_rows = [
        mask_personal({"contact_id": c.contact_id, "name": c.name, "title": c.title, "role": c.role,
                       "email": c.email, "phone": c.phone, "wechat": c.wechat}, user.role)
        for c in contacts
    ]
    return render(
        request, "accounts/detail.html",
        account=_account_dict(account), parent=parent, children=children, contacts=contact_rows,
        currency=ws.settings.reporting_currency, panels=_panels(request, ws, user, account_id),
    )


def register_web(web) -> None:
    web.add_router(router)
    web.add_nav("/accounts", "Accounts", order=20)
