"""Planted accounts and hand-built signal frames for the playbook tests."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from b2bgrowth.accounts.models import Account
from b2bgrowth.success.playbooks.rules import Inputs
from b2bgrowth.voc.models import NpsResponse


def plant_accounts(ws) -> None:
    with ws.store.write(touched=["accounts"]) as s:
        s.add_all([Account(account_id="A", name="甲公司", owner="王磊", type="direct"),
                   Account(account_id="B", name="Beta Ltd", owner="Li Na", type="direct")])


def plant_nps(ws, rows) -> None:
    with ws.store.write(touched=["nps_responses"]) as s:
        s.add_all([NpsResponse(response_id=r, account_id=a, at=at, score=score) for r, a, at, score in rows])


def inputs(usage_trend=None, seats=None, red_due: date | None = None, overdue=(), chains=(), nps=None) -> Inputs:
    """Signals for accounts A and B: A's usage trend / seat utilisation / red renewal as given."""
    signals = pd.DataFrame({
        "account_id": ["A", "B"], "usage_trend_30d": [usage_trend, 0.0], "seat_utilisation": [seats, 0.2],
        "days_to_renewal": [30 if red_due else None, None], "next_due_date": [red_due, None]})
    health = pd.DataFrame({"account_id": ["A", "B"], "health_color": ["red" if red_due else "green", "green"],
                           "health_score": [20.0, 80.0]})
    overdue_frame = pd.DataFrame(list(overdue), columns=["account_id", "milestone_id", "name", "due_date"])
    chain_frame = pd.DataFrame(list(chains), columns=["account_id", "subscription_id", "due_date"])
    nps_frame = nps if nps is not None else pd.DataFrame(columns=["response_id", "account_id", "at", "score"])
    return Inputs(signals=signals, health=health, overdue=overdue_frame, chains=chain_frame, nps=nps_frame)


NOON = datetime(2024, 6, 20, 12)
