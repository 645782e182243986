"""A small hand-built company for the dashboard tests, on both stores (the `ws` fixture).

Subscriptions (CNY), months of 2024:
  B1 Alpha 甲方科技 (KA, 华东)   P1 1,000 from 01-01 to 03-01, then 1,500 from 03-01 (same id, back to back)
  B2 Beta Retail (SMB, 华南)     P2   400 from 01-15 to 02-15 (then nothing: churn, a renewal due and missed)
  B3 Gamma Logistics (SMB, 华东) P3   700 from 02-10, ongoing
Report figures (hand-computed, SPEC C7):
  Jan: start 0, new 1,400 (B1 1,000 + B2 400), end 1,400, customers 2
  Feb: start 1,400, new 700, churn 400, end 1,700; NRR = GRR = 1,000 ÷ 1,400 = 71.4%; logo churn 50%;
       renewals due 1 (P2), renewed 0 → renewal rate 0%
  Mar: start 1,700, expansion 500, end 2,200, ARR 26,400, customers 2; NRR = 2,200 ÷ 1,700 = 129.4%;
       GRR = (1,000 + 700) ÷ 1,700 = 100%; logo churn 0%; quick ratio null (no losses); no renewals due
NPS: Feb one detractor (3) → −100; Mar a promoter (10) and a passive (7) → 50.
"""

from __future__ import annotations

from datetime import date, datetime

from b2bgrowth.accounts.models import Account
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.voc.models import NpsResponse

RANGE = {"from": "2024-01-01", "to": "2024-03-31"}


def seed(ws) -> None:
    accounts = [
        Account(account_id="B1", name="Alpha 甲方科技", tier="KA", region="华东", industry="制造", type="direct",
                owner="王磊", created_at=datetime(2023, 12, 1)),
        Account(account_id="B2", name="Beta Retail", tier="SMB", region="华南", industry="Retail", type="channel",
                owner="Li Na", created_at=datetime(2023, 12, 1)),
        Account(account_id="B3", name="Gamma Logistics", tier="SMB", region="华东", industry="Logistics",
                type="direct", owner="Li Na", created_at=datetime(2024, 1, 1)),
    ]
    subscriptions = [
        Subscription(subscription_id="P1", account_id="B1", product="Analytics", plan="Pro", mrr=1000,
                     currency="CNY", start_date=date(2024, 1, 1), end_date=date(2024, 3, 1)),
        Subscription(subscription_id="P1", account_id="B1", product="Analytics", plan="Pro", mrr=1500,
                     currency="CNY", start_date=date(2024, 3, 1), end_date=None),
        Subscription(subscription_id="P2", account_id="B2", product="Analytics", plan="Team", mrr=400,
                     currency="CNY", start_date=date(2024, 1, 15), end_date=date(2024, 2, 15)),
        Subscription(subscription_id="P3", account_id="B3", product="Connect", plan="Team", mrr=700,
                     currency="CNY", start_date=date(2024, 2, 10), end_date=None),
    ]
    responses = [
        NpsResponse(response_id="R1", at=datetime(2024, 3, 5, 10, 0), account_id="B1", score=10,
                    comment="Great reports, 报表很好用"),
        NpsResponse(response_id="R2", at=datetime(2024, 3, 20, 16, 30), account_id="B3", score=7,
                    comment="Export is slow <script>alert(1)</script>"),
        NpsResponse(response_id="R3", at=datetime(2024, 2, 10, 9, 0), account_id="B2", score=3,
                    comment="太贵了"),
    ]
    with ws.store.write(touched=["accounts", "subscriptions", "nps_responses"]) as session:
        session.add_all(accounts)
        session.flush()
        session.add_all(subscriptions + responses)
