"""Scorecard API, editor and portfolio pages over HTTP (TestClient), with roles; and the CLI."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from b2bgrowth.success.scorecards import versions
from b2bgrowth.success.scorecards.default import DEFAULT_DEFINITION
from b2bgrowth.web.app import create_app

from .planted_health import plant


@pytest.fixture
def signed_in(ws):
    from seed_company import seed_users
    from web_helpers import sign_in

    seed_users(ws)
    plant(ws)
    app = create_app(ws)
    clients = []

    def make(role: str) -> TestClient:
        client = TestClient(app)
        assert sign_in(client, role).status_code == 303
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


def csrf(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_api_list_get_put_and_validation(signed_in):
    admin = signed_in("admin")
    token = csrf(admin, "/success/scorecards")
    listed = admin.get("/api/v1/scorecards").json()["scorecards"]
    assert [(c["scorecard_id"], c["version"]) for c in listed] == [("default", 0)]
    body = {**DEFAULT_DEFINITION, "name": "Ours"}
    saved = admin.put("/api/v1/scorecards/default", json=body, headers={"x-csrf-token": token})
    assert saved.status_code == 201 and saved.json()["version"] == 1 and saved.json()["created_by"] == "admin"
    one = admin.get("/api/v1/scorecards/default").json()
    assert one["name"] == "Ours" and [h["version"] for h in one["history"]] == [1, 0]
    assert admin.get("/api/v1/scorecards/default?version=0").json()["name"] == "Default"
    # a GET answer can be PUT back as is (version/history fields are ignored) → version 2
    assert admin.put("/api/v1/scorecards/default", json=one, headers={"x-csrf-token": token}).json()["version"] == 2
    bad = {**body, "groups": [{"name": "g", "weight": 1, "measures": [
        {"measure": "m", "signal": "seat_utilisation", "good": 0.2, "poor": 0.5}]}]}
    answer = admin.put("/api/v1/scorecards/default", json=bad, headers={"x-csrf-token": token})
    assert answer.status_code == 422
    assert "groups.0.measures.0: for higher_better, poor (0.5) must not be above good (0.2)" in answer.json()["detail"]
    for payload in ([1, 2], {"scorecard_id": "other", **{k: v for k, v in body.items() if k != "scorecard_id"}}):
        assert admin.put("/api/v1/scorecards/default", json=payload, headers={"x-csrf-token": token}).status_code == 422
    assert admin.put("/api/v1/scorecards/default", content=b"{nope", headers={"x-csrf-token": token,
                     "content-type": "application/json"}).status_code == 422
    assert admin.get("/api/v1/scorecards/nope").status_code == 404
    assert admin.get("/api/v1/scorecards/default?version=99").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "csm", "ops"])
def test_only_admins_change_scorecards(signed_in, role):
    client = signed_in(role)
    token = csrf(client, "/success/scorecards")
    assert client.get("/api/v1/scorecards").status_code == 200
    assert client.put("/api/v1/scorecards/default", json=DEFAULT_DEFINITION,
                      headers={"x-csrf-token": token}).status_code == 403
    page = client.get("/success/scorecards/default")
    assert page.status_code == 200 and "save-scorecard" not in page.text and "disabled" in page.text
    assert client.post("/success/scorecards/default", data={"csrf_token": token, "name": "x"}).status_code == 403


def test_editor_form_saves_a_new_version_and_shows_errors(signed_in, ws):
    admin = signed_in("admin")
    page = admin.get("/success/scorecards/default")
    assert page.status_code == 200 and 'name="m0_measure" value="seats"' in page.text
    token = csrf(admin, "/success/scorecards/default")
    form = {"csrf_token": token, "name": "Edited", "green": "75", "yellow": "45",
            "g0_name": "Usage", "g0_weight": "3", "g1_name": "", "g1_weight": "",
            "m0_group": "0", "m0_measure": "seats", "m0_signal": "seat_utilisation", "m0_weight": "1",
            "m0_kind": "thresholds", "m0_direction": "higher_better", "m0_good": "0.5", "m0_poor": "0.2",
            "m1_group": "0", "m1_measure": "trend", "m1_signal": "usage_trend_30d", "m1_kind": "linear",
            "m1_zero_at": "-0.5", "m1_full_at": "0", "m2_group": "0", "m2_measure": "", "note": "simpler"}
    saved = admin.post("/success/scorecards/default", data=form, follow_redirects=False)
    assert saved.status_code == 303
    live = versions.get(ws, "default")
    assert (live.version, live.definition.name, live.definition.colors.green, live.created_by) == (1, "Edited", 75, "admin")
    assert [m.measure for m in live.definition.groups[0].measures] == ["seats", "trend"]
    assert live.definition.note == "simpler"
    wrong = admin.post("/success/scorecards/default", data={**form, "m0_good": "0.1", "m1_full_at": "abc"})
    assert wrong.status_code == 422
    assert "Usage › seats: for higher_better, poor (0.2) must not be above good (0.1)" in wrong.text
    assert "Usage › trend › full_at" in wrong.text
    assert 'value="abc"' in wrong.text  # the form keeps what was typed
    assert versions.get(ws, "default").version == 1
    # a new scorecard needs a tier or stage
    new = admin.get("/success/scorecards/ka?new=1")
    assert new.status_code == 200
    answer = admin.post("/success/scorecards/ka", data={**form, "name": "KA"})
    assert answer.status_code == 422 and "name at least one tier or stage" in answer.text
    ok = admin.post("/success/scorecards/ka", data={**form, "name": "KA", "tiers": ["KA"]}, follow_redirects=False)
    assert ok.status_code == 303 and versions.get(ws, "ka").definition.applies_to.tiers == ["KA"]


def test_portfolio_filters_and_my_accounts(signed_in):
    admin = signed_in("admin")
    page = admin.get("/success/portfolio?as_of=2024-06-30")
    assert page.status_code == 200
    rows = re.findall(r'data-account="(\w+)"', page.text)
    assert rows == ["H2", "H3", "H1"]  # health ascending: 0.0, 52.9, 100.0
    assert 'href="/accounts/H1"' in page.text
    red = admin.get("/success/portfolio?as_of=2024-06-30&color=red")
    assert re.findall(r'data-account="(\w+)"', red.text) == ["H2"]
    by_arr = admin.get("/success/portfolio?as_of=2024-06-30&sort=arr&order=desc")
    assert re.findall(r'data-account="(\w+)"', by_arr.text) == ["H1", "H3", "H2"]  # 12,000 · 3,600 · 2,400
    assert re.findall(r'data-account="(\w+)"', admin.get(
        "/success/portfolio?as_of=2024-06-30&tier=CA").text) == ["H3"]
    assert admin.get("/success/portfolio?as_of=yesterday").status_code == 400
    # a CSM sees their own accounts by default (H1's owner is "csm"), all of them on request
    csm = signed_in("csm")
    assert re.findall(r'data-account="(\w+)"', csm.get("/success/portfolio?as_of=2024-06-30").text) == ["H1"]
    assert len(re.findall(r'data-account="(\w+)"', csm.get("/success/portfolio?as_of=2024-06-30&mine=0").text)) == 3


def test_cli_scorecard_commands(planted, tmp_path):
    from typer.testing import CliRunner

    from b2bgrowth.cli.main import build_app

    runner, app = CliRunner(), build_app()
    opts = ["--data-dir", str(planted.settings.data_dir)]
    if not planted.store.is_sqlite:
        opts += ["--database-url", planted.settings.database_url]
    path = tmp_path / "ka.yaml"
    path.write_text("name: Key accounts\napplies_to: {tiers: [KA]}\ngroups:\n  - name: Usage\n    weight: 1\n"
                    "    measures:\n      - {measure: seats, signal: seat_utilisation, good: 0.5, poor: 0.1}\n")
    result = runner.invoke(app, [*opts, "success", "scorecard", "set", "ka", str(path), "--by", "tester"])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, [*opts, "success", "scorecard", "show", "ka"]).output)
    assert (shown["version"], shown["created_by"], shown["applies_to"]["tiers"]) == (1, "tester", ["KA"])
    listed = json.loads(runner.invoke(app, [*opts, "success", "scorecard", "list", "--json"]).output)
    assert [c["scorecard_id"] for c in listed["scorecards"]] == ["default", "ka"]
    path.write_text("name: Key accounts\ngroups: []\n")
    bad = runner.invoke(app, [*opts, "success", "scorecard", "set", "ka", str(path)])
    assert bad.exit_code == 1 and "groups: List should have at least 1 item" in bad.output
    report = json.loads(runner.invoke(app, [*opts, "report", "health", "--as-of", "2024-06-30", "--json"]).output)
    assert [(a["account_id"], a["scorecard"], a["version"]) for a in report["accounts"]] == \
        [("H1", "ka", 1), ("H2", "default", 0), ("H3", "default", 0)]


def test_built_in_scorecard_names_read_in_chinese(signed_in):
    """The default scorecard's name, groups and labels are data in English, marked for the catalog:
    the pages show them in the reader's language; a name an admin typed is shown as typed."""
    viewer = signed_in("viewer")
    viewer.cookies.set("lang", "zh_CN")
    assert "默认" in viewer.get("/success/scorecards").text
    account = json.loads(viewer.get("/api/v1/reports/health?as-of=2024-06-30").text)["accounts"][0]["account_id"]
    panel = viewer.get(f"/success/accounts/{account}/health?as_of=2024-06-30").text
    assert "席位活跃占比" in panel and "采用度" in panel  # "Active share of seats", group "Adoption"
    admin = signed_in("admin")
    token = csrf(admin, "/success/scorecards")
    admin.put("/api/v1/scorecards/default", json={**DEFAULT_DEFINITION, "name": "我们的评分卡"},
              headers={"x-csrf-token": token})
    assert "我们的评分卡" in viewer.get("/success/scorecards").text
