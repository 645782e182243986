"""The experiments JSON API: 200 / 201 / 404 / 422 / 403 / 401, never 500."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from b2bgrowth.experiments import service as registry

from .planted import START, planted_experiment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import seed_users  # noqa: E402

NEW = {"key": "pricing-page", "hypothesis": "A clearer price table converts more trials",
       "metrics": {"primary": [{"name": "trial", "type": "proportion", "events": ["start_trial"]}]}}


@pytest.fixture
def api(ws):
    from b2bgrowth.web.app import create_app

    seed_users(ws)
    planted_experiment(ws)
    app = create_app(ws)

    from clients import bearer_client

    return lambda role: bearer_client(app, ws, role)


def test_list_get_create(api, ws):
    viewer, ops = api("viewer"), api("ops")
    listed = viewer.get("/api/v1/experiments")
    assert listed.status_code == 200 and [e["key"] for e in listed.json()["experiments"]] == ["onboarding"]
    assert viewer.get("/api/v1/experiments?status=running").json()["experiments"][0]["assigned_units"] == 600
    assert viewer.get("/api/v1/experiments?status=odd").status_code == 422
    one = viewer.get("/api/v1/experiments/onboarding")
    assert one.status_code == 200 and one.json()["variants"][0] == {"name": "control", "weight": 0.5}
    missing = viewer.get("/api/v1/experiments/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]

    assert viewer.post("/api/v1/experiments", json=NEW).status_code == 403
    assert api("csm").post("/api/v1/experiments", json=NEW).status_code == 403
    created = ops.post("/api/v1/experiments", json=NEW)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "draft" and created.json()["created_by"] == "ops"
    again = ops.post("/api/v1/experiments", json=NEW)
    assert again.status_code == 422 and "already exists" in again.text
    bad = ops.post("/api/v1/experiments", json={**NEW, "key": "Bad Key", "variants": [{"name": "only", "weight": 1}]})
    assert bad.status_code == 422 and "key" in bad.text and "variants" in bad.text
    assert TestClient(ops.app).get("/api/v1/experiments").status_code == 401


def test_assignment_logs_exposure(api, ws):
    viewer = api("viewer")
    unit = "ACC00001"
    first = viewer.get(f"/api/v1/experiments/onboarding/assignment?unit_id={unit}")
    assert first.status_code == 200, first.text
    from b2bgrowth.experiments.assignment import stored_variant

    assert first.json()["variant"] == stored_variant(ws, "onboarding", unit)
    # a unit outside the frozen population takes the hash path and is enrolled
    newcomer = viewer.get("/api/v1/experiments/onboarding/assignment?unit_id=late-arrival").json()
    assert stored_variant(ws, "onboarding", "late-arrival") == newcomer["variant"]
    con = duckdb.connect()
    ws.events.register_view(con)
    rows = con.execute("SELECT account_id, json_extract_string(properties, '$.variant') FROM events WHERE event = '$exposure' ORDER BY 1").fetchall()
    assert rows == [(unit, first.json()["variant"]), ("late-arrival", newcomer["variant"])]
    assert viewer.get("/api/v1/experiments/onboarding/assignment").status_code == 422  # unit_id missing
    assert viewer.get("/api/v1/experiments/nope/assignment?unit_id=x").status_code == 404
    registry.create_experiment(ws, registry.ExperimentCreate(key="draft-x"), by="t")
    draft = viewer.get("/api/v1/experiments/draft-x/assignment?unit_id=x")
    assert draft.status_code == 422 and "draft" in draft.json()["detail"]


def test_results(api, ws):
    viewer = api("viewer")
    as_of = (START + timedelta(days=31)).isoformat()
    ok = viewer.get(f"/api/v1/experiments/onboarding/results?as_of={as_of}")
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["units"]["total"] == 600 and body["metrics"][0]["metric"] == "logins"
    assert body["metrics"][0]["results"][0]["verdict"] == "better"
    assert viewer.get("/api/v1/experiments/nope/results").status_code == 404
    assert viewer.get("/api/v1/experiments/onboarding/results?as_of=yesterday").status_code == 422
    assert viewer.get("/api/v1/experiments/onboarding/results?alpha=2").status_code == 422
    registry.create_experiment(ws, registry.ExperimentCreate(key="draft-y"), by="t")
    assert viewer.get("/api/v1/experiments/draft-y/results").status_code == 422
