"""Seed small, hand-checkable histories through the store's single write path."""

from __future__ import annotations

from datetime import date

from b2bgrowth.accounts.models import Account
from b2bgrowth.revenue.models import ExchangeRate, Subscription


def d(text: str) -> date:
    return date.fromisoformat(text)


def seed(ws, accounts: list[dict], subscriptions: list[tuple], rates: dict[str, float] | None = None) -> None:
    """subscriptions: (subscription_id, account_id, product, mrr, start, end or None[, currency])."""
    with ws.store.write(touched=["accounts", "subscriptions", "exchange_rates"]) as session:
        for a in accounts:
            session.add(Account(name=a.get("name", a["account_id"]), **{k: v for k, v in a.items() if k != "name"}))
        session.flush()
        for code, rate in (rates or {}).items():
            session.add(ExchangeRate(currency=code, rate=rate))
        for sub_id, account_id, product, mrr, start, end, *currency in subscriptions:
            session.add(Subscription(subscription_id=sub_id, account_id=account_id, product=product, mrr=mrr,
                                     start_date=d(start), end_date=d(end) if end else None,
                                     currency=currency[0] if currency else "CNY"))


def revenue(ws, start: str, end: str, period: str = "month", **extra) -> list[dict]:
    return ws.report("revenue", period=period, **{"from": start, "to": end}, **extra)["periods"]


# The worked example of docs/metrics.md (February 2024):
#   A east: X 100 since Dec, adds Y 50 on Feb 10            -> expansion 50
#   B east: X 200 Nov .. Feb 15                              -> churn 200
#   C (no region): X 300 since Oct, 240 from Feb 1 (same id) -> contraction 60
#   D west: X 100 from Feb 5                                 -> new 100
#   E west: paid X 80 Jun..Sep 2023, X 120 from Feb 20       -> reactivation 120
EXAMPLE_ACCOUNTS = [
    {"account_id": "A", "region": "east"}, {"account_id": "B", "region": "east"}, {"account_id": "C"},
    {"account_id": "D", "region": "west"}, {"account_id": "E", "region": "west"},
]
EXAMPLE_SUBSCRIPTIONS = [
    ("a1", "A", "X", 100, "2023-12-01", None),
    ("a2", "A", "Y", 50, "2024-02-10", None),
    ("b1", "B", "X", 200, "2023-11-01", "2024-02-15"),
    ("c1", "C", "X", 300, "2023-10-01", "2024-02-01"),
    ("c1", "C", "X", 240, "2024-02-01", None),
    ("d1", "D", "X", 100, "2024-02-05", None),
    ("e1", "E", "X", 80, "2023-06-01", "2023-09-01"),
    ("e2", "E", "X", 120, "2024-02-20", None),
]


def seed_example(ws) -> None:
    seed(ws, EXAMPLE_ACCOUNTS, EXAMPLE_SUBSCRIPTIONS)
