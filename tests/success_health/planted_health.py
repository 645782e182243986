"""A tiny planted company for the health tests (accounts, subscriptions, events, NPS)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

AS_OF = date(2024, 6, 30)



def plant(ws) -> None:
    """Three paying accounts on AS_OF (2024-06-30), one churned:

    H1 KA, 10 seats, started 2023-01-01 (mature), contract due 2024-12-31 (184 days): 7 users
       active in the last 30 days, 5 features, no tickets, NPS 9 and 10 → NPS 100.
    H2 SMB, 10 seats, started 2024-05-01 (onboarding), contract due 2024-08-01 (32 days): 2 users,
       1 feature, 6 support tickets in the last 30 days; no NPS.
    H3 CA, no seats recorded, started 2023-06-01, ongoing: no events at all.
    H4 churned 2024-03-01 (not paying on AS_OF).
    """
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.voc.models import NpsResponse

    with ws.store.write(touched=["accounts", "subscriptions", "nps_responses"]) as s:
        s.add_all([
            Account(account_id="H1", name="Health One", tier="KA", type="direct", owner="csm"),
            Account(account_id="H2", name="Health Two", tier="SMB", type="direct", owner="Li Na"),
            Account(account_id="H3", name="Health Three", tier="CA", type="direct", owner="王磊"),
            Account(account_id="H4", name="Health Four", tier="SMB", type="direct", owner="王磊"),
        ])
        s.flush()
        s.add_all([
            Subscription(subscription_id="T1", account_id="H1", product="P", mrr=1000, currency="CNY", seats=10,
                         start_date=date(2023, 1, 1), end_date=date(2024, 12, 31)),
            Subscription(subscription_id="T2", account_id="H2", product="P", mrr=200, currency="CNY", seats=10,
                         start_date=date(2024, 5, 1), end_date=date(2024, 8, 1)),
            Subscription(subscription_id="T3", account_id="H3", product="P", mrr=300, currency="CNY",
                         start_date=date(2023, 6, 1), end_date=None),
            Subscription(subscription_id="T4", account_id="H4", product="P", mrr=300, currency="CNY", seats=5,
                         start_date=date(2023, 3, 1), end_date=date(2024, 3, 1)),
            NpsResponse(response_id="HN1", at=datetime(2024, 5, 1, 10), account_id="H1", score=9),
            NpsResponse(response_id="HN2", at=datetime(2024, 6, 1, 10), account_id="H1", score=10),
        ])
    events = []
    base = datetime(2024, 6, 20, 9)
    for u in range(7):
        for k, name in enumerate(("login", "report", "export", "share", "dashboard")):
            events.append({"event_id": f"e1-{u}-{k}", "ts": (base + timedelta(minutes=k)).isoformat(),
                           "account_id": "H1", "user_id": f"h1u{u}", "event": name})
    # H1 was active 45 days earlier too (previous window), with fewer users: 3 users × 1 event.
    for u in range(3):
        events.append({"event_id": f"e1p-{u}", "ts": datetime(2024, 5, 15, 9).isoformat(), "account_id": "H1",
                       "user_id": f"h1u{u}", "event": "login"})
    for u in range(2):
        events.append({"event_id": f"e2-{u}", "ts": base.isoformat(), "account_id": "H2", "user_id": f"h2u{u}",
                       "event": "login"})
    for t in range(6):
        events.append({"event_id": f"e2t-{t}", "ts": (base + timedelta(hours=t)).isoformat(), "account_id": "H2",
                       "user_id": "h2u0", "event": "support_ticket"})
    ws.events.ingest(events)
