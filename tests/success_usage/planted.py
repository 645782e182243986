"""A small planted company for customer-success tests (usable by every issue-4 helper).

    from tests.success_usage.planted import plant, PLANTED_AS_OF, event
    plant(ws)                        # the default company below
    plant(ws, events=[event("A", "A-c1", "2024-06-01", "login")])   # or your own events

Default company (as of PLANTED_AS_OF = 2024-06-30):
  A  "Acme"   KA, owner alice  sub a1: 1000/month, 10 seats, 2024-01-01 .. 2025-01-01 (due 2025-01-01)
  B  "Beta"   CA, owner bob    sub b1:  500/month,  4 seats, 2023-07-01 .. 2024-07-15 (due in 15 days)
  C  "Gamma"  SMB, owner alice sub c1:  200/month, no seats, 2023-01-01 .. 2024-03-01 (churned: not paying)
  D  "Delta"  SMB, no owner    sub d1:  300/month,  5 seats, 2024-06-01 .. open (no due date)
Contacts: A-c1 (decision_maker, user id = contact id), A-c2 (user, email u2@acme.test is the user id),
          A-c3 (champion role, attribute user_id "acme-x"), B-c1 (decision_maker), B-c2 (user).
NPS: A-c1 10 on 2024-05-01, A-c2 5 on 2024-06-20 (A: nps_365 = (1 − 1)/2 × 100 = 0, detractors_90d 1,
     nps_last 5); B-c1 3 on 2023-05-01 (older than 365 days: nps_365 null, nps_last 3).
Events: see DEFAULT_EVENTS (hand-counted expectations live in test_usage_features.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pyarrow as pa

from b2bgrowth.accounts.models import Account, Contact
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.voc.models import NpsResponse

PLANTED_AS_OF = date(2024, 6, 30)

ACCOUNTS = [
    {"account_id": "A", "name": "Acme", "tier_override": "KA", "tier": "KA", "owner": "alice", "region": "east",
     "industry": "software"},
    {"account_id": "B", "name": "Beta", "tier_override": "CA", "tier": "CA", "owner": "bob", "region": "west"},
    {"account_id": "C", "name": "Gamma", "tier": "SMB", "owner": "alice"},
    {"account_id": "D", "name": "Delta", "tier": "SMB"},
]
# (subscription_id, account_id, mrr, seats, start, end or None)
SUBSCRIPTIONS = [
    ("a1", "A", 1000, 10, "2024-01-01", "2025-01-01"),
    ("b1", "B", 500, 4, "2023-07-01", "2024-07-15"),
    ("c1", "C", 200, None, "2023-01-01", "2024-03-01"),
    ("d1", "D", 300, 5, "2024-06-01", None),
]
CONTACTS = [
    {"contact_id": "A-c1", "account_id": "A", "name": "Ann", "role": "decision_maker"},
    {"contact_id": "A-c2", "account_id": "A", "name": "Bo", "role": "user", "email": "U2@acme.test"},
    {"contact_id": "A-c3", "account_id": "A", "name": "Cy", "role": "champion", "attributes": {"user_id": "acme-x"}},
    {"contact_id": "B-c1", "account_id": "B", "name": "Dee", "role": "decision_maker"},
    {"contact_id": "B-c2", "account_id": "B", "name": "Eve", "role": "user"},
]
NPS = [
    ("n1", "A", "A-c1", 10, "2024-05-01T10:00:00"),
    ("n2", "A", "A-c2", 5, "2024-06-20T10:00:00"),
    ("n3", "B", "B-c1", 3, "2023-05-01T10:00:00"),
]


def event(account_id: str | None, user_id: str | None, day: str, name: str, hour: int = 12,
          event_id: str | None = None) -> dict:
    return {"event_id": event_id, "ts": datetime.fromisoformat(day) + timedelta(hours=hour),
            "account_id": account_id, "user_id": user_id, "event": name}


def _default_events() -> list[dict]:
    ev: list[dict] = []
    # A, as of 2024-06-30:
    #   A-c1 on every day 2024-06-01 .. 06-30 (30 days), "login" + "report" each day (60 events)
    for i in range(30):
        day = (date(2024, 6, 1) + timedelta(days=i)).isoformat()
        ev += [event("A", "A-c1", day, "login"), event("A", "A-c1", day, "report", hour=13)]
    #   u2@acme.test on 06-25 and 06-30: "export" (2 events)
    ev += [event("A", "u2@acme.test", "2024-06-25", "export"), event("A", "u2@acme.test", "2024-06-30", "export")]
    #   acme-x on 06-28: one "support_ticket"
    ev += [event("A", "acme-x", "2024-06-28", "support_ticket")]
    #   A-old on 2024-05-10 .. 05-19 (10 days): "login" (previous window), dormant in June
    for i in range(10):
        ev.append(event("A", "A-old", (date(2024, 5, 10) + timedelta(days=i)).isoformat(), "login"))
    #   one event without a user on 06-30 ("sync")
    ev.append(event("A", None, "2024-06-30", "sync"))
    #   a support ticket 60 days back (2024-05-01): in 90 days, not in 30
    ev.append(event("A", "A-c1", "2024-05-01", "support_ticket"))
    # B: B-c2 "login" on 2024-05-05 only (prev window), nothing in the last 30 days
    ev.append(event("B", "B-c2", "2024-05-05", "login"))
    # C: churned, events in February 2024 only
    ev.append(event("C", "C-u", "2024-02-10", "login"))
    # Web traffic without an account: never in any rollup
    ev.append(event(None, None, "2024-06-30", "page_view"))
    # Later than the as-of date (must change nothing as of 2024-06-30)
    ev.append(event("A", "A-c1", "2024-07-01", "login", hour=0))
    for n, e in enumerate(ev, start=1):
        e["event_id"] = e["event_id"] or f"P{n:05d}"
    return ev


DEFAULT_EVENTS = _default_events()


def events_table(events: list[dict]) -> pa.Table:
    return pa.table({
        "event_id": pa.array([e["event_id"] for e in events], pa.string()),
        "ts": pa.array([e["ts"] for e in events], pa.timestamp("us")),
        "account_id": pa.array([e["account_id"] for e in events], pa.string()),
        "user_id": pa.array([e["user_id"] for e in events], pa.string()),
        "event": pa.array([e["event"] for e in events], pa.string()),
        "properties": pa.array(["{}"] * len(events), pa.string()),
    })


def add_events(ws, events: list[dict]) -> int:
    """Store events through the bulk path (ws.events.ingest_arrow); returns rows accepted."""
    for n, e in enumerate(events, start=1):
        e["event_id"] = e.get("event_id") or f"X{id(events):x}-{n}"
    return ws.events.ingest_arrow(events_table(events))


def plant(ws, accounts=ACCOUNTS, subscriptions=SUBSCRIPTIONS, contacts=CONTACTS, nps=NPS,
          events: list[dict] | None = None) -> None:
    """Write the planted company through the store's write path, then its events."""
    with ws.store.write(touched=["accounts", "contacts", "subscriptions", "nps_responses"]) as session:
        for a in accounts:
            session.add(Account(**a))
        session.flush()
        for c in contacts:
            session.add(Contact(**c))
        for sub_id, account_id, mrr, seats, start, end in subscriptions:
            session.add(Subscription(subscription_id=sub_id, account_id=account_id, product="X", mrr=mrr,
                                     seats=seats, start_date=date.fromisoformat(start),
                                     end_date=date.fromisoformat(end) if end else None, currency="CNY"))
        session.flush()
        for response_id, account_id, contact_id, score, at in nps:
            session.add(NpsResponse(response_id=response_id, account_id=account_id, contact_id=contact_id,
                                    score=score, at=datetime.fromisoformat(at)))
    add_events(ws, [dict(e) for e in (DEFAULT_EVENTS if events is None else events)])
