"""The onboarding report from CLI and API, the tier / milestone commands, and the pages (roles, forms, errors)."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from b2bgrowth.accounts.models import Account
from b2bgrowth.cli.main import build_app
from b2bgrowth.web.app import create_app

from .planted import add_accounts, add_subscription
from .test_onboarding import plant

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import PASSWORDS, seed_users  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def run(settings, *args):
    argv = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        argv += ["--database-url", settings.database_url]
    return CliRunner().invoke(build_app(), [*argv, *args])


@pytest.fixture
def client_for(ws):
    seed_users(ws)
    app = create_app(ws)
    clients = []

    def make(role: str) -> TestClient:
        c = TestClient(app)
        token = CSRF.search(c.get("/login").text).group(1)
        c.post("/login", data={"login": role, "password": PASSWORDS[role], "csrf_token": token}, follow_redirects=False)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


def csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def test_onboarding_report_cli_and_api_agree(ws, settings, client_for):
    plant(ws)
    result = run(settings, "report", "onboarding", "--as-of", "2024-04-20", "--json")
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    api = client_for("viewer").get("/api/v1/reports/onboarding", params={"as_of": "2024-04-20"}).json()
    assert cli == api
    assert cli["summary"] == {"accounts": 2, "completion_rate": round(2 / 6, 4), "overdue": 2, "accounts_overdue": 2}
    n1 = next(a for a in cli["accounts"] if a["account_id"] == "N1")
    assert (n1["days_since_first_paid"], n1["milestones_done"], n1["milestones_overdue"]) == (50, 2, 1)
    bad = client_for("viewer").get("/api/v1/reports/onboarding", params={"as_of": "2024-13-01"})
    assert bad.status_code in (400, 422)


def test_tier_and_milestone_commands(ws, settings):
    add_accounts(ws, {"account_id": "A", "employees": 150})
    add_subscription(ws, "a", "A", date(2024, 1, 1), None, 20_000)  # ARR 240,000
    assert run(settings, "success", "tiers", "apply").exit_code == 0
    shown = json.loads(run(settings, "success", "tiers", "show", "--json").stdout)
    assert shown["is_default"] and shown["accounts_per_tier"] == {"CA": 1}
    result = run(settings, "success", "tiers", "set", "CA", "--min-arr", "300000", "--min-employees", "none")
    assert result.exit_code == 0, result.output
    with ws.store.read() as session:
        assert session.get(Account, "A").tier == "SMB"  # 240k < 300k and employees no longer count
    bad = run(settings, "success", "tiers", "set", "CA", "--min-arr", "lots")
    assert bad.exit_code == 1 and "--min-arr: not a number" in bad.output
    assert run(settings, "success", "tiers", "set", "SMB", "--min-arr", "1").exit_code == 1
    assert run(settings, "success", "tiers", "reset").exit_code == 0
    result = run(settings, "success", "milestone", "kickoff", "--name", "Kick-off", "--kind", "event",
                 "--event", "kickoff_call", "--target-days", "14")
    assert result.exit_code == 0, result.output
    listed = json.loads(run(settings, "success", "milestones", "--json").stdout)["milestones"]
    assert [m["milestone_id"] for m in listed][-1] == "kickoff"
    missing = run(settings, "success", "milestone", "x", "--name", "X")
    assert missing.exit_code == 1 and "needs --kind, --target-days" in missing.output
    stages = json.loads(run(settings, "success", "stages", "--as-of", "2024-02-01", "--json").stdout)
    assert stages["counts"] == {"onboarding": 1}  # A paid from 2024-01-01: day 31


def test_pages_and_roles(ws, client_for):
    plant(ws)
    viewer, admin = client_for("viewer"), client_for("admin")
    page = viewer.get("/success/onboarding", params={"as_of": "2024-04-20"})
    assert page.status_code == 200 and 'data-account="N1"' in page.text and 'data-status="overdue"' in page.text
    assert viewer.get("/success/onboarding", params={"as_of": "nope"}).status_code == 200  # error shown, not a 500
    assert viewer.get("/success/tiers").status_code == 200
    assert 'name="KA_min_arr"' not in viewer.get("/success/tiers").text  # read-only for non-admins
    token = csrf(viewer, "/success/tiers")
    assert viewer.post("/success/tiers", data={"csrf_token": token, "KA_min_arr": "1"}).status_code == 403
    # Admin: a bad number is a 422 with the reason; a good form saves and re-tiers.
    token = csrf(admin, "/success/tiers")
    bad = admin.post("/success/tiers", data={"csrf_token": token, "KA_min_arr": "abc"})
    assert bad.status_code == 422 and "KA ARR" in bad.text and "abc" in bad.text  # reason names field and value
    form = {"csrf_token": token, "KA_min_arr": "5,000,000", "KA_min_employees": "1000", "KA_min_annual_revenue": "",
            "CA_min_arr": "100000", "CA_min_employees": "", "CA_min_annual_revenue": ""}
    saved = admin.post("/success/tiers", data=form, follow_redirects=False)
    assert saved.status_code == 303
    rules = admin.get("/api/v1/success/tier-rules").json()["rules"]
    assert rules[0]["min_arr"] == 5_000_000 and rules[1]["min_employees"] is None
    # Milestone editor.
    token = csrf(admin, "/success/onboarding/milestones")
    bad = admin.post("/success/onboarding/milestones", data={"csrf_token": token, "milestone_id": "x", "name": "X",
                                                              "kind": "event", "target_days": "7"})
    assert bad.status_code == 422 and "needs an event name" in bad.text
    ok = admin.post("/success/onboarding/milestones", data={
        "csrf_token": token, "milestone_id": "dash", "name": "First dashboard", "kind": "event", "event": "dashboard",
        "threshold": "1", "target_days": "20", "active": "1"}, follow_redirects=False)
    assert ok.status_code == 303
    assert "dash" in [m["milestone_id"] for m in viewer.get("/api/v1/success/milestones").json()["milestones"]]
    token = csrf(viewer, "/success/onboarding/milestones")
    assert viewer.post("/success/onboarding/milestones", data={"csrf_token": token, "milestone_id": "dash",
                                                               "action": "remove"}).status_code == 403
