"""Web fixtures for the tasks page and API: the seeded company of tests/web plus planted tasks."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
from seed_company import seed_company, seed_users  # noqa: E402
from web_helpers import sign_in  # noqa: E402

from b2bgrowth.success.models import CsTask  # noqa: E402


def plant_tasks(ws) -> None:
    """T1 open (A1, owner 王磊, due 2020: overdue), T2 open for Li Na due 2099, T3 done."""
    now = datetime(2024, 6, 1, 9)
    with ws.store.write(touched=["cs_tasks"]) as s:
        s.add_all([
            CsTask(task_id="T1", account_id="A1", type="risk", signal_key="risk:usage_down:A1:2020-01",
                   rule_id="usage_down", signal={"drop": "45%", "_subject": "risk:usage_down:A1"},
                   title="Usage down 45% over 30 days", owner="王磊", due_date=date(2020, 1, 8), status="open",
                   comments=[], created_at=now, signal_date=date(2020, 1, 1)),
            CsTask(task_id="T2", account_id="A2", type="renewal", signal_key="renewal:A2:S3:2099-01-01",
                   rule_id="renewal_due", signal={"due_date": "2099-01-01"}, title="Contract due 2099-01-01: renewal",
                   owner="Li Na", due_date=date(2099, 1, 8), status="open", comments=[], created_at=now),
            CsTask(task_id="T3", account_id="A1", type="detractor", signal_key="detractor:r9", rule_id="detractor",
                   signal={"score": 3}, title="Detractor: NPS score 3", owner="王磊", due_date=date(2024, 1, 3),
                   status="done", comments=[], created_at=now),
        ])


@pytest.fixture
def app(ws):
    from b2bgrowth.web.app import create_app

    seed_users(ws)
    seed_company(ws)
    plant_tasks(ws)
    return create_app(ws)


@pytest.fixture
def signed_in(app):
    clients = []

    def make(role: str = "admin", lang: str | None = None) -> TestClient:
        c = TestClient(app)
        if lang:
            c.cookies.set("lang", lang)
        assert sign_in(c, role).status_code == 303
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
