"""The account 360 in headless Chromium, zh-CN and en: every customer-success panel loads its
fragment (HTMX) on the account page, the usage chart draws, the timeline filters. Screenshots.

Planted account W360 (SMB, paying 800/month since 60 days ago, no due date, no NPS) so that the
other browser tests' figures (dashboard MRR, KA filters, renewals, onboarding as of 2023) do not move.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

TEXT = {"zh_CN": {"health": "健康度", "usage": "使用情况", "timeline": "客户动态", "started": "订阅开始"},
        "en": {"health": "Health", "usage": "Usage", "timeline": "Account timeline", "started": "Subscription started"}}
KEYS = ("health", "usage", "users", "tasks", "onboarding", "timeline")


@pytest.fixture
def w360(seeded_ws):
    from b2bgrowth.accounts.models import Account, Contact
    from b2bgrowth.pipeline.models import Opportunity
    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.success.models import CsTask

    with seeded_ws.store.read() as s:
        if s.get(Account, "W360") is not None:
            return "W360"
    today = date.today()
    start = today - timedelta(days=60)
    with seeded_ws.store.write(touched=["accounts", "contacts", "subscriptions", "cs_tasks", "opportunities"]) as s:
        s.add(Account(account_id="W360", name="万象云科技", tier="SMB", tier_override="SMB", owner="赵敏",
                      industry="软件", region="华北", type="direct", created_at=datetime(2024, 1, 5)))
        s.flush()
        s.add_all([
            Contact(contact_id="W-c1", account_id="W360", name="周明", role="decision_maker", title="CIO"),
            Contact(contact_id="W-c2", account_id="W360", name="Lily Chen", role="user", email="lily@wanxiang.example"),
            Subscription(subscription_id="W1", account_id="W360", product="Analytics", plan="Team", mrr=800, seats=8,
                         currency="CNY", start_date=start),
            CsTask(task_id="W360T1", account_id="W360", type="onboarding", rule_id="onboarding_overdue",
                   signal_key="w360:onboarding", signal={"milestone": "First report run"},
                   title="Overdue onboarding milestone", owner="赵敏", due_date=today + timedelta(days=5),
                   status="open", comments=[], created_at=datetime.combine(today - timedelta(days=3), datetime.min.time())),
            Opportunity(opportunity_id="W360O1", account_id="W360", name="万象云 首单", amount=9600, currency="CNY",
                        status="won", close_date=start - timedelta(days=1), stage="won"),
        ])
    events = []
    for i in range(60):
        day = datetime.combine(start + timedelta(days=i + 1), datetime.min.time())
        users = ["W-c1", "lily@wanxiang.example"] + (["w-u3"] if i % 3 == 0 else []) + (["w-u4"] if i > 40 else [])
        for n, u in enumerate(users):
            for k, name in enumerate(("login", "dashboard_view", "export" if i % 5 == 0 else "search")[: 1 + (i + n) % 3]):
                events.append({"event_id": f"w360-{i}-{n}-{k}", "ts": (day + timedelta(hours=9 + k)).isoformat(),
                               "account_id": "W360", "user_id": u, "event": name})
    seeded_ws.events.ingest(events)
    seeded_ws.events.flush()
    return "W360"


def test_account_360_panels(page, live_server, lang, w360, screenshot):
    t = TEXT[lang]
    page.goto(f"{live_server}/accounts/{w360}")
    page.wait_for_selector("#panel-health #health-score", timeout=60_000)  # the first risk model may train
    page.wait_for_selector("#panel-usage .usage-chart canvas")
    page.wait_for_selector("#panel-users #users-table")
    page.wait_for_selector("#panel-tasks #task-W360T1")
    page.wait_for_selector("#panel-onboarding #onboarding-chips")
    page.wait_for_selector("#panel-timeline #timeline-entries")
    for key in KEYS:
        assert "p360-error" not in page.inner_html(f"#panel-{key}"), key
    assert page.inner_text("#panel-health h2") == t["health"] and page.inner_text("#panel-usage h2") == t["usage"]
    assert t["timeline"] in page.inner_text("#panel-timeline h2")
    assert page.locator("#health-measures tbody tr").count() == 6
    assert page.locator("#users-table tbody tr").count() == 4  # W-c1, lily, w-u3, w-u4
    assert page.locator('#decision-makers [data-engaged="yes"]').count() == 1  # 周明 is active
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "success-account360")
    # Filter the timeline to subscriptions (HTMX swaps the card)
    page.click('#panel-timeline a[data-kind="subscription"]')
    page.wait_for_selector('#panel-timeline a.active[data-kind="subscription"]')
    kinds = page.locator("#timeline-entries li").evaluate_all("ls => ls.map(l => l.dataset.kind)")
    assert kinds == ["subscription"] and t["started"] in page.inner_text("#timeline-entries")
    page.evaluate("document.querySelector('#panel-timeline').scrollIntoView()")
    screenshot(page, "success-account360-timeline")
    assert page.js_errors == []


def test_account_360_for_a_viewer(login_as, live_server, lang, w360):
    page = login_as("viewer")
    page.goto(f"{live_server}/accounts/{w360}")
    page.wait_for_selector("#panel-users #users-table", timeout=60_000)
    assert "lily@wanxiang.example" not in page.inner_text("#users-table")
    assert "li***@wanxiang.example" in page.inner_text("#users-table")
    page.wait_for_selector("#panel-tasks #task-W360T1")
    assert page.locator("#panel-tasks form").count() == 0  # read only
    assert page.js_errors == []
