"""A hand-built company for the survey tests: four accounts, eight contacts (one without an account).

  account  tier  stage       type     owner   contacts (role, channel)
  A1       KA    mature      direct   王磊     C1 decision_maker e-mail · C2 user WeChat (prefers English) · C3 manager none
  A2       CA    adopting    channel  Li Na    C4 decision_maker phone · C5 user e-mail
  A3       SMB   onboarding  direct   王磊     C6 user e-mail
  A4       SMB   at_risk     isv      Li Na    C7 purchaser e-mail
  —                                           C8 user e-mail (no account)
"""

from __future__ import annotations

from datetime import datetime

from b2bgrowth.accounts.models import Account, Contact

T0 = datetime(2025, 2, 1, 9, 0)


def seed(ws) -> None:
    with ws.store.write(touched=["accounts", "contacts"]) as s:
        s.add_all([
            Account(account_id="A1", name="华东精密制造", tier="KA", lifecycle_stage="mature", type="direct", owner="王磊"),
            Account(account_id="A2", name="Northwind", tier="CA", lifecycle_stage="adopting", type="channel", owner="Li Na"),
            Account(account_id="A3", name="蓝港物流", tier="SMB", lifecycle_stage="onboarding", type="direct", owner="王磊"),
            Account(account_id="A4", name="杭州云帆", tier="SMB", lifecycle_stage="at_risk", type="isv", owner="Li Na"),
        ])
        s.flush()
        s.add_all([
            Contact(contact_id="C1", account_id="A1", name="张伟", role="decision_maker", email="zw@a1.example.cn"),
            Contact(contact_id="C2", account_id="A1", name="Alice", role="user", wechat="alice_a1",
                    attributes={"language": "en-US"}),
            Contact(contact_id="C3", account_id="A1", name="李娜", role="manager"),
            Contact(contact_id="C4", account_id="A2", name="Bob", role="decision_maker", phone="13800000004"),
            Contact(contact_id="C5", account_id="A2", name="Carol", role="user", email="carol@a2.example.com"),
            Contact(contact_id="C6", account_id="A3", name="王芳", role="user", email="wf@a3.example.cn"),
            Contact(contact_id="C7", account_id="A4", name="赵强", role="purchaser", email="zq@a4.example.cn"),
            Contact(contact_id="C8", account_id=None, name="Dana", role="user", email="dana@example.com"),
        ])


def tokens(ws, survey_id: str) -> dict[str, str]:
    """contact_id → token."""
    from b2bgrowth.voc.surveys.service import recipients

    return {r["contact_id"]: r["token"] for r in recipients(ws, survey_id)}
