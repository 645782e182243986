"""A small hand-checkable company for web and browser tests (numbers below are what pages show).

Current MRR (today, CNY):
  A1 华东精密制造有限公司  1,500 (S1 renewal row) + 500 (S2 second product) = 2,000
  A2 Northwind Trading      100 USD × 7.0 = 700 (a future row from 2099 does not count)
  A3 Blue Harbor Logistics  0 (churned 2023-06-01)
  A4 杭州云帆科技            0 (trial, mrr 0 is not paying)
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from b2bgrowth.accounts.models import Account, Contact
from b2bgrowth.auth.models import User
from b2bgrowth.auth.security import hash_password
from b2bgrowth.revenue.models import ExchangeRate, Subscription
from b2bgrowth.voc.models import NpsResponse

PASSWORDS = {"admin": "admin-pass-123", "ops": "ops-pass-1234", "viewer": "viewer-pass-1", "csm": "csm-pass-1234"}


@cache
def _hash(password: str) -> str:
    # argon2 is slow on purpose (~0.25 s here); hash each test password once per test run.
    return hash_password(password)


def seed_users(ws) -> dict[str, str]:
    """One user per role in PASSWORDS, login = role (what service.create_user stores)."""
    with ws.store.write(touched=["users"]) as s:
        for role, password in PASSWORDS.items():
            s.add(User(login=role, role=role, display_name=f"{role.title()} User", password_hash=_hash(password),
                       active=True, created_at=datetime(2024, 1, 1)))
    return dict(PASSWORDS)


def seed_company(ws, extra_accounts: int = 0) -> None:
    accounts = [
        Account(account_id="A1", name="华东精密制造有限公司", industry="制造", employees=1200, annual_revenue=5.0e8,
                region="华东", type="direct", tier="KA", owner="王磊", created_at=datetime(2022, 11, 3),
                attributes={"crm_id": "SF-001"}),
        Account(account_id="A2", name="Northwind Trading", industry="Retail", employees=300, annual_revenue=8.0e7,
                region="华南", type="channel", tier="CA", owner="Li Na", created_at=datetime(2023, 2, 1)),
        Account(account_id="A3", name="Blue Harbor Logistics", industry="Logistics", employees=80,
                region="华北", type="direct", tier="SMB", owner="王磊", created_at=datetime(2022, 5, 1)),
        Account(account_id="A4", name="杭州云帆科技", industry="软件", employees=40, region="华东",
                type="isv", tier="SMB", owner="Li Na", parent_account_id="A1", created_at=datetime(2024, 3, 1)),
    ]
    for i in range(extra_accounts):
        accounts.append(Account(account_id=f"X{i:03d}", name=f"Extra Company {i:03d}", region="西南",
                                type="direct", tier="SMB", industry="Services"))
    contacts = [
        Contact(contact_id="C1", account_id="A1", name="张伟", title="CIO", role="decision_maker",
                email="zhang.wei@hdjm.example.cn", phone="13812345678", wechat="zhangwei_hd"),
        Contact(contact_id="C2", account_id="A1", name="Alice Chen", title="IT Manager", role="user",
                email="alice@hdjm.example.cn", phone="+86 139 8765 4321", wechat="alicechen"),
    ]
    subscriptions = [
        Subscription(subscription_id="S1", account_id="A1", product="Analytics", plan="Pro", mrr=1000, currency="CNY",
                     seats=10, start_date=date(2023, 1, 1), end_date=date(2024, 1, 1)),
        Subscription(subscription_id="S1", account_id="A1", product="Analytics", plan="Pro", mrr=1500, currency="CNY",
                     seats=15, start_date=date(2024, 1, 1), end_date=None),
        Subscription(subscription_id="S2", account_id="A1", product="Connect", plan="Basic", mrr=500, currency="CNY",
                     seats=5, start_date=date(2024, 6, 1), end_date=None),
        Subscription(subscription_id="S3", account_id="A2", product="Analytics", plan="Team", mrr=100, currency="USD",
                     seats=3, start_date=date(2023, 3, 1), end_date=None),
        Subscription(subscription_id="S4", account_id="A2", product="Connect", plan="Team", mrr=1000, currency="CNY",
                     seats=3, start_date=date(2099, 1, 1), end_date=None),
        Subscription(subscription_id="S5", account_id="A3", product="Analytics", plan="Basic", mrr=300, currency="CNY",
                     seats=2, start_date=date(2022, 6, 1), end_date=date(2023, 6, 1)),
        Subscription(subscription_id="S6", account_id="A4", product="Analytics", plan="Trial", mrr=0, currency="CNY",
                     seats=2, start_date=date(2024, 3, 1), end_date=None),
    ]
    responses = [
        NpsResponse(response_id="N1", at=datetime(2024, 3, 10, 9, 0), account_id="A1", contact_id="C1", score=9,
                    comment="报表很好用，希望增加导出功能"),
        NpsResponse(response_id="N2", at=datetime(2024, 9, 2, 15, 30), account_id="A1", contact_id="C2", score=6,
                    comment="Too slow when <b>filtering</b> large tables"),
        NpsResponse(response_id="N3", at=datetime(2024, 5, 5, 11, 0), account_id="A2", contact_id=None, score=10,
                    comment="Great support"),
    ]
    with ws.store.write(touched=["accounts", "contacts", "subscriptions", "exchange_rates", "nps_responses"]) as s:
        s.add_all(accounts)
        s.flush()
        s.add_all(contacts + subscriptions + responses)
        s.add(ExchangeRate(currency="USD", rate=7.0))
