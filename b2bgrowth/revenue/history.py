"""One account's revenue figures, computed from its own rows (always fresh): MRR history and
movements, current MRR, subscription rows — what the account page's revenue panel shows — and
every account's MRR / ARR today (the accounts list, the tier rule's ARR)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from b2bgrowth.revenue.facts import UNITS, compute_movements, from_day, load_subscription_rows

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def _movements(ws: Workspace, account_id: str):
    return compute_movements(load_subscription_rows(ws, account_id))


def account_mrr_history(ws: Workspace, account_id: str) -> list[dict]:
    """The account's MRR (reporting currency) from each day it changed: [{"date", "mrr"}]."""
    return [{"date": from_day(day).isoformat(), "mrr": round(after / UNITS, 4)}
            for day, after in zip(*(_movements(ws, account_id)[c] for c in ("day", "after")))]


def account_movements(ws: Workspace, account_id: str) -> list[dict]:
    """Every movement of the account: [{"date", "kind", "amount", "mrr_before", "mrr_after"}]."""
    frame = _movements(ws, account_id)
    return [
        {"date": from_day(day).isoformat(), "kind": kind, "amount": round(abs(delta) / UNITS, 4),
         "mrr_before": round(before / UNITS, 4), "mrr_after": round(after / UNITS, 4)}
        for day, kind, delta, before, after in zip(frame["day"], frame["kind"], frame["delta"], frame["before"],
                                                   frame["after"])
    ]


def mrr_history_until(ws: Workspace, account_id: str, today: date | None = None) -> list[dict]:
    """The account's MRR history up to today (the account page's chart).

    Contracts carry their end dates, so the raw history also holds changes scheduled for the
    future (a term ending next month). A history chart must not show those as if they had
    happened: the line stops at today, at today's level.
    """
    today = today or date.today()
    points = [p for p in account_mrr_history(ws, account_id) if p["date"] <= today.isoformat()]
    if points and points[-1]["date"] < today.isoformat():
        points.append({"date": today.isoformat(), "mrr": points[-1]["mrr"]})
    return points


def current_mrr(ws: Workspace, on: date | None = None, account_id: str | None = None) -> dict[str, float]:
    """account_id → MRR on day `on` (default today) in the reporting currency: rows with
    start ≤ on < end and mrr > 0, converted with revenue.currency.convert; a row whose currency
    has no rate is left out (the accounts list and page must not fail on one odd row).
    Accounts without paying rows are absent (MRR 0)."""
    from sqlalchemy import or_, select

    from b2bgrowth.revenue.currency import convert, rates_in
    from b2bgrowth.revenue.models import Subscription

    on = on or date.today()
    query = select(Subscription.account_id, Subscription.mrr, Subscription.currency).where(
        Subscription.start_date <= on, or_(Subscription.end_date.is_(None), Subscription.end_date > on),
        Subscription.mrr > 0)
    if account_id is not None:
        query = query.where(Subscription.account_id == account_id)
    reporting = ws.settings.reporting_currency
    with ws.store.read() as session:
        rows = session.execute(query).all()
        rates = rates_in(session, reporting) if rows else {}
    if not rows:
        return {}
    converted = convert([float(m) for _, m, _ in rows], [c for _, _, c in rows], rates, reporting, missing="omit")
    out: dict[str, float] = {}
    for (account, _, _), mrr in zip(rows, converted):
        if mrr == mrr:  # NaN: no rate, left out
            out[account] = out.get(account, 0.0) + float(mrr)
    return out


def current_arr(session, reporting_currency: str, on: date | None = None) -> dict[str, float]:
    """account_id → MRR on `on` (default today) × 12 in the reporting currency, read with an open
    session (the tier rule's ARR, accounts/tiers.py; a row whose currency has no rate is left out,
    an import must not fail on it)."""
    from sqlalchemy import func, or_, select

    from b2bgrowth.revenue.currency import convert, rates_in
    from b2bgrowth.revenue.models import Subscription

    on = on or date.today()
    rows = session.execute(
        select(Subscription.account_id, Subscription.currency, func.sum(Subscription.mrr))
        .where(Subscription.start_date <= on, or_(Subscription.end_date.is_(None), Subscription.end_date > on))
        .group_by(Subscription.account_id, Subscription.currency)
    ).all()
    rows = [r for r in rows if r[2] is not None]
    if not rows:
        return {}
    # No rate: the row is left out (NaN; documented), an import must not fail on it.
    converted = convert([float(r[2]) for r in rows], [r[1] for r in rows], rates_in(session, reporting_currency),
                        reporting_currency, missing="omit")
    arr: dict[str, float] = {}
    for (account_id, _, _), mrr in zip(rows, converted):
        if mrr == mrr:
            arr[account_id] = arr.get(account_id, 0.0) + mrr * 12
    return arr


def account_subscriptions(ws: Workspace, account_id: str, today: date | None = None) -> list[dict]:
    """The account's subscription rows as written (own currency), oldest first, each with its
    status on `today`: future (starts later), ended (end ≤ today) or active."""
    from sqlalchemy import select

    from b2bgrowth.revenue.models import Subscription

    today = today or date.today()
    with ws.store.read() as session:
        rows = session.execute(select(Subscription).where(Subscription.account_id == account_id)
                               .order_by(Subscription.start_date, Subscription.subscription_id)).scalars().all()
        return [
            {"subscription_id": s.subscription_id, "product": s.product, "plan": s.plan, "mrr": s.mrr,
             "currency": s.currency, "seats": s.seats, "start_date": s.start_date, "end_date": s.end_date,
             "status": "future" if s.start_date > today else (
                 "ended" if s.end_date is not None and s.end_date <= today else "active")}
            for s in rows
        ]


def account_revenue(ws: Workspace, account_id: str, today: date | None = None) -> dict:
    """What the account page shows of revenue, as of today: current_mrr, arr (= MRR × 12),
    subscriptions (account_subscriptions) and history (mrr_history_until)."""
    today = today or date.today()
    mrr = current_mrr(ws, today, account_id=account_id).get(account_id, 0.0)
    return {"current_mrr": mrr, "arr": mrr * 12, "subscriptions": account_subscriptions(ws, account_id, today),
            "history": mrr_history_until(ws, account_id, today)}
