"""POST /api/v1/events: auth, validation (422 naming index and field), limits, and kill -9 after a 200."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import httpx
import pytest
from event_samples import make_events
from fastapi.testclient import TestClient

from b2bgrowth.auth import service
from b2bgrowth.events.store import EventStore
from b2bgrowth.settings import Settings
from b2bgrowth.web.app import create_app
from b2bgrowth.workspace import Workspace

SECRET = "test-secret-key-0123456789"


def _token(ws, role: str) -> dict:
    service.create_user(ws, f"{role}-bot", role, "Correct-Horse-Battery-9")
    return {"Authorization": f"Bearer {service.create_token(ws, f'{role}-bot')}"}


@pytest.fixture
def api(sqlite_ws):
    with TestClient(create_app(sqlite_ws)) as client:
        yield client, sqlite_ws


def test_batch_is_accepted_and_duplicates_are_counted(api):
    client, ws = api
    ops = _token(ws, "ops")
    response = client.post("/api/v1/events", json={"events": make_events(["a", "b", "a"])}, headers=ops)
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 2, "duplicates": 1}
    response = client.post("/api/v1/events", json={"events": make_events(["b", "c"])}, headers=_token(ws, "admin"))
    assert response.json() == {"accepted": 1, "duplicates": 1}
    assert ws.events.count() == 3


def test_only_admin_and_ops_may_send_events(api):
    client, ws = api
    body = {"events": make_events(["a"])}
    assert client.post("/api/v1/events", json=body).status_code == 401
    for role in ("viewer", "sales"):
        response = client.post("/api/v1/events", json=body, headers=_token(ws, role))
        assert response.status_code == 403 and role in response.json()["detail"]
    assert ws.events.count() == 0


def test_a_bad_event_rejects_the_batch_naming_index_and_field(api):
    client, ws = api
    events = make_events(["a", "b", "c"])
    events[1]["ts"] = "31/12/2024"
    events[2]["properties"] = [1, 2]
    response = client.post("/api/v1/events", json={"events": events}, headers=_token(ws, "ops"))
    assert response.status_code == 422
    body = response.json()
    assert [(e["index"], e["event_id"], e["field"]) for e in body["errors"]] == [(1, "b", "ts"), (2, "c", "properties")]
    assert "events[1].ts" in body["detail"] and "nothing from this batch was stored" in body["detail"]
    assert ws.events.count() == 0


def test_malformed_and_oversized_bodies(api):
    client, ws = api
    ops = _token(ws, "ops")
    bad_json = client.post("/api/v1/events", content=b"{not json", headers={**ops, "content-type": "application/json"})
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["detail"]
    wrong_shape = client.post("/api/v1/events", json=[{"event_id": "a"}], headers=ops)
    assert wrong_shape.status_code == 422 and '"events"' in wrong_shape.json()["detail"]
    too_many = client.post("/api/v1/events", json={"events": make_events(range(10_001))}, headers=ops)
    assert too_many.status_code == 413 and "10000" in too_many.json()["detail"]
    assert ws.events.count() == 0


SERVER = r"""
import sys, uvicorn
from b2bgrowth.settings import Settings
from b2bgrowth.web.app import create_app
from b2bgrowth.workspace import Workspace

ws = Workspace(Settings(data_dir=sys.argv[1], secret_key=sys.argv[3], events_flush_rows=int(sys.argv[4])))
uvicorn.run(create_app(ws), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _start_server(data_dir, flush_rows: int) -> tuple[subprocess.Popen, str]:
    from live_servers import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(data_dir), str(port), SECRET, str(flush_rows)])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/api/v1/openapi.json", timeout=1)
            return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("server did not start")


def test_events_acknowledged_over_http_survive_kill_9(tmp_path):
    data_dir = tmp_path / "data"
    ws = Workspace(Settings(data_dir=data_dir, secret_key=SECRET))
    ops = _token(ws, "ops")
    ws.close()
    first = make_events([f"a{i}" for i in range(3000)])
    second = make_events([f"b{i}" for i in range(3000)], day="2024-03-05")

    # flush_rows 4000: the second server's batch triggers a flush to Parquet just before the 200.
    for batch, expected in ((first, {"accepted": 3000, "duplicates": 0}), (first + second, {"accepted": 3000, "duplicates": 3000})):
        process, url = _start_server(data_dir, flush_rows=4000)
        try:
            response = httpx.post(url + "/api/v1/events", json={"events": batch}, headers=ops, timeout=60)
        finally:
            os.kill(process.pid, signal.SIGKILL)  # right after the 200: no shutdown, no flush on close
            process.wait()
        assert response.status_code == 200, response.text
        assert response.json() == expected

    store = EventStore(data_dir / "events")
    con = duckdb.connect()
    ids = [r[0] for r in store.relation(con).select("event_id").fetchall()]
    assert len(ids) == 6000 and set(ids) == {e["event_id"] for e in first + second}
    store.close()
