"""A small hand-built lead-to-revenue dataset for the lead, pipeline and channel pages
(TestClient tests here and the browser tests reuse it).

Channels: sem (SEM), expo (Expo), ref (Referral). Costs in 2024: sem 1,000 on 01-15 and
1,000 on 02-15; expo 3,000 on 03-10; ref nothing.
Leads (created, channel, status, owner):
  L1 2024-01-05 sem  mql   sales   张伟 / 华东精密制造有限公司 / Zhang.Wei@Acme.cn / +86 138 0013 8000
  L2 2024-02-10 expo sql   —       same person: " zhang.wei@acme.cn " → merged into L1
                                   (L1 is older: identity L1, channel sem; status = most advanced = sql)
  L3 2024-01-20 sem  customer sales Li Na / Beta Retail Co., Ltd.
  L4 2024-03-01 expo new   —       Wang Fang
  L5 2024-03-15 ref  disqualified —
  L6 2024-02-20 expo mql   ops_owner Chen Jie
Opportunities: O1 (L3, LA2) won 50,000 closed 2024-04-30; O2 (L6, LA1) open 20,000 at 方案演示,
close 2024-07-31; O3 (L1, LA1) lost 10,000 closed 2024-05-15; O4 (L4, LA1) open 8,000 at 需求确认,
close 2024-08-15.
Touches: L1 call 01-06, L2 email 02-11 (shown on L1's timeline: all members), L3 call 02-05,
L3 meeting 03-01.

Channel report, window 2024-01-01 … 2024-06-30 (hand-computed, issue 3 item 6):
  sem:  leads 2 (L1+L2 merged, L3), mqls 2, sqls 2, opportunities 2 (O3, O1), won 1, won_amount 50,000,
        cost 2,000, cpl 1,000, cost_per_mql 1,000, cac 2,000 ÷ 1 account = 2,000, roi (50,000 − 2,000) ÷ 2,000 = 24
  expo: leads 2 (L4, L6), mqls 1, sqls 0, opportunities 2 (O2, O4), won 0, cost 3,000, cpl 1,500,
        cost_per_mql 3,000, cac null, roi (0 − 3,000) ÷ 3,000 = −1
  ref:  leads 1, mqls 0, cost 0, cpl 0, cost_per_mql null, roi null
"""

from __future__ import annotations

from datetime import date, datetime

from b2bgrowth.accounts.models import Account
from b2bgrowth.channels.models import Channel, ChannelCost
from b2bgrowth.leads.models import Lead, Touch
from b2bgrowth.pipeline.models import Opportunity

WINDOW = {"from": "2024-01-01", "to": "2024-06-30"}


def seed_leads(ws) -> None:
    accounts = [
        Account(account_id="LA1", name="华东精密制造有限公司", tier="SMB", region="华东", industry="制造",
                type="direct", owner="sales", employees=30, created_at=datetime(2024, 1, 1)),
        Account(account_id="LA2", name="Beta Retail", tier="KA", region="华南", industry="Retail",
                type="direct", owner="sales", employees=600, created_at=datetime(2024, 1, 1)),
    ]
    channels = [Channel(channel_id="sem", name="SEM", kind="sem"),
                Channel(channel_id="expo", name="Expo", kind="event"),
                Channel(channel_id="ref", name="Referral", kind="referral")]
    costs = [ChannelCost(channel_id="sem", date=date(2024, 1, 15), cost=1000, currency="CNY"),
             ChannelCost(channel_id="sem", date=date(2024, 2, 15), cost=1000, currency="CNY"),
             ChannelCost(channel_id="expo", date=date(2024, 3, 10), cost=3000, currency="CNY")]
    leads = [
        Lead(lead_id="L1", created_at=datetime(2024, 1, 5, 9), name="张伟", company="华东精密制造有限公司",
             email="Zhang.Wei@Acme.cn", phone="+86 138 0013 8000", title="CTO", channel="sem", status="mql",
             owner="sales", industry="制造", employees=30, region="华东", budget="yes", authority="yes",
             need="high", timeline="<3m", assigned_at=datetime(2024, 1, 5, 10)),
        Lead(lead_id="L2", created_at=datetime(2024, 2, 10, 9), name="Zhang Wei", company="Acme",
             email=" zhang.wei@acme.cn ", channel="expo", status="sql"),
        Lead(lead_id="L3", created_at=datetime(2024, 1, 20, 9), name="Li Na", company="Beta Retail Co., Ltd.",
             email="li.na@beta.com", phone="13900001111", channel="sem", status="customer", owner="sales",
             employees=600),
        Lead(lead_id="L4", created_at=datetime(2024, 3, 1, 9), name="Wang Fang", company="Gamma",
             email="wang@gamma.cn", channel="expo", status="new"),
        Lead(lead_id="L5", created_at=datetime(2024, 3, 15, 9), name="Spam Bot", company="Nowhere",
             email="bot@spam.example", channel="ref", status="disqualified"),
        Lead(lead_id="L6", created_at=datetime(2024, 2, 20, 9), name="Chen Jie", company="Delta",
             email="chen@delta.cn", channel="expo", status="mql", owner="ops_owner"),
    ]
    opportunities = [
        Opportunity(opportunity_id="O1", account_id="LA2", lead_id="L3", name="Beta rollout", stage="赢单",
                    amount=50000, currency="CNY", created_at=datetime(2024, 2, 1), close_date=date(2024, 4, 30),
                    status="won", owner="sales"),
        Opportunity(opportunity_id="O2", account_id="LA1", lead_id="L6", name="Delta pilot", stage="方案演示",
                    amount=20000, currency="CNY", created_at=datetime(2024, 3, 1), close_date=date(2024, 7, 31),
                    status="open", owner="sales"),
        Opportunity(opportunity_id="O3", account_id="LA1", lead_id="L1", name="Acme analytics", stage="输单",
                    amount=10000, currency="CNY", created_at=datetime(2024, 2, 15), close_date=date(2024, 5, 15),
                    status="lost", owner="sales"),
        Opportunity(opportunity_id="O4", account_id="LA1", lead_id="L4", name="Gamma trial", stage="需求确认",
                    amount=8000, currency="CNY", created_at=datetime(2024, 3, 2), close_date=date(2024, 8, 15),
                    status="open", owner="ops_owner"),
    ]
    touches = [
        Touch(touch_id="T1", at=datetime(2024, 1, 6, 10), kind="call", lead_id="L1", owner="sales", outcome="intro"),
        Touch(touch_id="T2", at=datetime(2024, 2, 11, 10), kind="email", lead_id="L2", owner="sales",
              outcome="brochure sent"),
        Touch(touch_id="T3", at=datetime(2024, 2, 5, 10), kind="call", lead_id="L3", owner="sales"),
        Touch(touch_id="T4", at=datetime(2024, 3, 1, 10), kind="meeting", lead_id="L3", owner="sales"),
    ]
    with ws.store.write(touched=["accounts", "channels", "channel_costs", "leads", "touches",
                                 "opportunities"]) as session:
        session.add_all(accounts + channels)
        session.flush()
        session.add_all(costs + leads + opportunities + touches)
