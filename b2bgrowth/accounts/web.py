"""Accounts pages: /accounts (search, filters, pagination; htmx live search) and /accounts/{id}."""

from __future__ import annotations

from datetime import date
from math import ceil

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import and_, case, func, or_, select

from b2bgrowth.accounts.models import ACCOUNT_TYPES, TIERS, Account, Contact
from b2bgrowth.accounts.tiers import PARTNER_TIER
from b2bgrowth.auth.security import mask_personal
from b2bgrowth.revenue.history import account_mrr_history
from b2bgrowth.revenue.models import ExchangeRate, Subscription
from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.web.deps import PageUser, WorkspaceDep
from b2bgrowth.web.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 25


def current_mrr_query(reporting_currency: str, on: date):
    """account_id → MRR on day `on` in the reporting currency (SPEC C7: start ≤ d < end, mrr > 0).

    Rows in a currency without a rate are left out rather than guessed.
    """
    rate = case((Subscription.currency == reporting_currency, 1.0), else_=ExchangeRate.rate)
    return (
        select(Subscription.account_id.label("account_id"), func.sum(Subscription.mrr * rate).label("mrr"))
        .select_from(Subscription)
        .outerjoin(ExchangeRate, ExchangeRate.currency == Subscription.currency)
        .where(
            Subscription.start_date <= on,
            or_(Subscription.end_date.is_(None), Subscription.end_date > on),
            Subscription.mrr > 0,
        )
        .group_by(Subscription.account_id)
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_accounts(ws, q: str, tier: str, type_: str, region: str, page: int):
    mrr = current_mrr_query(ws.settings.reporting_currency, date.today()).subquery()
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
    where = and_(*conditions) if conditions else None
    current = func.coalesce(mrr.c.mrr, 0.0)
    query = select(Account, current.label("current_mrr")).outerjoin(mrr, mrr.c.account_id == Account.account_id)
    count_query = select(func.count()).select_from(Account)
    if where is not None:
        query = query.where(where)
        count_query = count_query.where(where)
    with ws.store.read() as session:
        total = session.execute(count_query).scalar_one()
        pages = max(1, ceil(total / PER_PAGE))
        page = min(max(page, 1), pages)
        rows = session.execute(
            query.order_by(current.desc(), Account.name, Account.account_id)
            .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        ).all()
        regions = [r for (r,) in session.execute(
            select(Account.region).where(Account.region.is_not(None)).distinct().order_by(Account.region))]
    accounts = [dict(_account_dict(a), current_mrr=float(m or 0)) for a, m in rows]
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
    accounts, total, page, pages, regions = search_accounts(ws, q, tier, type, region, page)
    context = dict(
        accounts=accounts, total=total, page=page, pages=pages, q=q, tier=tier, type=type, region=region,
        tiers=(*TIERS, PARTNER_TIER), types=ACCOUNT_TYPES, regions=regions, currency=ws.settings.reporting_currency,
    )
    if request.headers.get("hx-request") and request.headers.get("hx-target") == "accounts-results":
        return render(request, "accounts/_results.html", **context)
    return render(request, "accounts/list.html", **context)


def mrr_history(ws, account_id: str, today: date | None = None) -> list[dict]:
    """The account's MRR history up to today.

    Contracts carry their end dates, so the raw history also holds changes scheduled for the
    future (a term ending next month). A history chart must not show those as if they had
    happened: the line stops at today, at today's level.
    """
    today = today or date.today()
    points = [p for p in account_mrr_history(ws, account_id) if p["date"] <= today.isoformat()]
    if points and points[-1]["date"] < today.isoformat():
        points.append({"date": today.isoformat(), "mrr": points[-1]["mrr"]})
    return points


@router.get("/accounts/{account_id}")
def account_page(account_id: str, request: Request, ws: WorkspaceDep, user: PageUser):
    today = date.today()
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
        subscriptions = session.execute(
            select(Subscription).where(Subscription.account_id == account_id)
            .order_by(Subscription.start_date, Subscription.subscription_id)
        ).scalars().all()
        responses = session.execute(
            select(NpsResponse).where(NpsResponse.account_id == account_id).order_by(NpsResponse.at.desc())
        ).scalars().all()
        current = session.execute(
            current_mrr_query(ws.settings.reporting_currency, today).where(Subscription.account_id == account_id)
        ).first()
    contact_rows = [
        mask_personal({"contact_id": c.contact_id, "name": c.name, "title": c.title, "role": c.role,
                       "email": c.email, "phone": c.phone, "wechat": c.wechat}, user.role)
        for c in contacts
    ]
    subscription_rows = [
        {"subscription_id": s.subscription_id, "product": s.product, "plan": s.plan, "mrr": s.mrr,
         "currency": s.currency, "seats": s.seats, "start_date": s.start_date, "end_date": s.end_date,
         "status": "future" if s.start_date > today else ("ended" if s.end_date is not None and s.end_date <= today else "active")}
        for s in subscriptions
    ]
    contact_names = {c.contact_id: c.name for c in contacts}
    nps_rows = [
        {"response_id": r.response_id, "at": r.at, "score": r.score, "comment": r.comment,
         "contact": contact_names.get(r.contact_id) or r.contact_id}
        for r in responses
    ]
    scores = [r.score for r in responses]
    nps = (100.0 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)) if scores else None
    return render(
        request, "accounts/detail.html",
        account=_account_dict(account), parent=parent, children=children, contacts=contact_rows,
        subscriptions=subscription_rows, responses=nps_rows, nps=nps,
        current_mrr=float(current[1]) if current else 0.0, currency=ws.settings.reporting_currency,
        history=mrr_history(ws, account_id),
        panels=[{"key": p.key, "title": p.title, "url": p.url(account_id), "wide": p.wide}
                for p in getattr(request.app.state, "account_panels", []) if p.visible_to(user.role)],
    )
