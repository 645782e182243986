"""A tiny planted company for tiers, lifecycle stages and onboarding (hand-computed expectations)."""

from __future__ import annotations

from datetime import date, datetime

from b2bgrowth.accounts.models import Account
from b2bgrowth.revenue.models import ExchangeRate, Subscription


def add_accounts(ws, *accounts: dict) -> None:
    with ws.store.write(touched=["accounts"]) as session:
        for a in accounts:
            session.add(Account(**{"name": a["account_id"], "type": "direct", **a}))


def add_subscription(ws, sub_id: str, account_id: str, start: date, end: date | None, mrr: float,
                     currency: str = "CNY", seats: int | None = 10) -> None:
    with ws.store.write(touched=["subscriptions"]) as session:
        session.add(Subscription(subscription_id=sub_id, account_id=account_id, start_date=start, end_date=end,
                                 mrr=mrr, currency=currency, seats=seats, product="Core"))


def add_rate(ws, currency: str, rate: float) -> None:
    with ws.store.write(touched=["exchange_rates"]) as session:
        session.add(ExchangeRate(currency=currency, rate=rate))


def add_events(ws, rows: list[tuple]) -> None:
    """rows: (account_id, user_id, event, datetime or 'YYYY-MM-DD HH:MM')."""
    records = []
    for i, (account_id, user_id, event, ts) in enumerate(rows):
        if isinstance(ts, str):
            ts = datetime.fromisoformat(ts)
        records.append({"event_id": f"{account_id}-{event}-{user_id}-{ts.isoformat()}-{i}", "ts": ts.isoformat(),
                        "account_id": account_id, "user_id": user_id, "event": event, "properties": {}})
    ws.events.ingest(records)
    ws.events.flush()  # other processes (a CLI run) read only flushed Parquet
