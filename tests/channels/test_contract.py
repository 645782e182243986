"""The channel report contract from the CLI and the API: same keys, same numbers (both stores)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from b2bgrowth.auth import service
from b2bgrowth.cli.main import build_app
from tests.channels.test_channel_report import seed

KEYS = ["channel", "leads", "mqls", "sqls", "opportunities", "won", "won_amount", "cost", "cpl", "cost_per_mql",
        "cac", "roi"]


def _cli(ws, *args):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        base += ["--database-url", ws.settings.database_url]
    return CliRunner().invoke(build_app(), base + list(args))


def test_cli_and_api_give_the_same_contract(ws):
    seed(ws)
    out = _cli(ws, "report", "channels", "--from", "2026-01-01", "--to", "2026-01-31", "--json")
    assert out.exit_code == 0, out.output
    cli = json.loads(out.output)
    assert list(cli) == ["channels"] and all(list(row) == KEYS for row in cli["channels"])
    service.create_user(ws, "v", "viewer", "a-long-password-123")
    token = service.create_token(ws, "v")
    from b2bgrowth.web.app import create_app

    with TestClient(create_app(ws)) as client:
        api = client.get("/api/v1/reports/channels", params={"from": "2026-01-01", "to": "2026-01-31"},
                         headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 200 and api.json() == cli
        bad = client.get("/api/v1/reports/channels", params={"from": "2026-02-01", "to": "2026-01-31"},
                         headers={"Authorization": f"Bearer {token}"})
        assert bad.status_code == 422 and "after" in bad.text
        for name, params in (("attribution", {"model": "linear"}), ("pipeline", {}), ("forecast", {}),
                             ("call-cadence", {}), ("growth-model", {})):
            if name not in ("call-cadence", "growth-model"):
                params = {**params, "from": "2026-01-01", "to": "2026-01-31"}
            r = client.get(f"/api/v1/reports/{name}", params=params, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, (name, r.text)
