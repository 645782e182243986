"""The planted company of tests/success_usage (accounts A–D, as of 2024-06-30) plus account H with a
hand-made history for the timeline, tasks, opportunities and a lead, and signed-in web clients."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests" / "web"))
sys.path.insert(0, str(ROOT))
from seed_company import seed_users  # noqa: E402
from web_helpers import sign_in  # noqa: E402

from tests.success_usage.planted import PLANTED_AS_OF, add_events, event, plant  # noqa: E402

AS_OF = PLANTED_AS_OF  # 2024-06-30

# Account H ("Hotel"): (subscription_id, mrr, seats, plan, start, end)
H_SUBSCRIPTIONS = [
    ("h1", 100, 2, "basic", "2023-01-01", "2024-01-01"),
    ("h1", 150, 3, "basic", "2024-01-01", "2025-01-01"),   # back to back: changed (MRR and seats)
    ("h2", 50, None, None, "2023-06-01", "2023-09-01"),    # ended
    ("h2", 50, None, None, "2024-03-01", None),            # after a gap: started again
]


def plant_history(ws) -> None:
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.leads.models import Lead
    from b2bgrowth.pipeline.models import Opportunity
    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.success.models import CsTask
    from b2bgrowth.voc.models import NpsResponse

    with ws.store.write(touched=["accounts", "subscriptions", "nps_responses", "cs_tasks", "opportunities",
                                 "leads"]) as s:
        s.add(Account(account_id="H", name="Hotel", tier="SMB", owner="carol"))
        s.flush()
        for sid, mrr, seats, plan, start, end in H_SUBSCRIPTIONS:
            s.add(Subscription(subscription_id=sid, account_id="H", product="X", plan=plan, mrr=mrr, seats=seats,
                               start_date=date.fromisoformat(start), currency="CNY",
                               end_date=date.fromisoformat(end) if end else None))
            s.flush()
        s.add_all([
            NpsResponse(response_id="hn1", account_id="H", score=4, at=datetime(2024, 2, 10, 9), comment="slow"),
            NpsResponse(response_id="hn2", account_id="H", score=9, at=datetime(2024, 6, 1, 9)),
            NpsResponse(response_id="hn3", account_id="H", score=10, at=datetime(2024, 7, 2, 9)),  # after as_of
            CsTask(task_id="TH1", account_id="H", type="detractor", signal_key="detractor:hn1", title="Call back",
                   owner="carol", due_date=date(2024, 2, 14), status="done", comments=[],
                   created_at=datetime(2024, 2, 11, 8), closed_at=datetime(2024, 2, 15, 17)),
            CsTask(task_id="TH2", account_id="H", type="risk", signal_key="risk:H", title="Usage review",
                   owner="carol", due_date=date(2099, 1, 1), status="open", comments=[],
                   created_at=datetime(2024, 6, 20, 8)),
            CsTask(task_id="TA1", account_id="A", type="expansion", signal_key="expansion:A", title="Upsell seats",
                   owner="alice", due_date=date(2099, 1, 1), status="open", comments=[],
                   created_at=datetime(2024, 6, 2, 8)),
            CsTask(task_id="TA2", account_id="A", type="risk", signal_key="risk:A", title="Closed one",
                   owner="alice", due_date=date(2024, 1, 1), status="done", comments=[],
                   created_at=datetime(2024, 1, 2, 8), closed_at=datetime(2024, 1, 3, 8)),
            Lead(lead_id="L1", created_at=datetime(2022, 11, 5, 10), company="Hotel", channel="webinar"),
            Opportunity(opportunity_id="O1", account_id="H", lead_id="L1", name="Hotel first deal", amount=1200,
                        currency="CNY", status="won", close_date=date(2022, 12, 20), stage="won"),
            Opportunity(opportunity_id="O2", account_id="H", name="Hotel add-on", amount=600, currency="CNY",
                        status="lost", close_date=date(2024, 4, 1), stage="lost"),
        ])


@pytest.fixture
def planted(ws):
    plant(ws)
    plant_history(ws)
    # D (first paid 2024-06-01) logs in on 06-03: its first_login milestone (due 06-08) is done
    add_events(ws, [event("D", "D-u1", "2024-06-03", "login")])
    return ws


@pytest.fixture
def app(planted):
    from b2bgrowth.web.app import create_app

    seed_users(planted)
    return create_app(planted)


@pytest.fixture
def client(app):
    def make(role: str = "admin", lang: str | None = "en") -> TestClient:
        c = TestClient(app)
        if lang:
            c.cookies.set("lang", lang)
        assert sign_in(c, role).status_code == 303
        return c

    return make
