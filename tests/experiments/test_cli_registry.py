"""`b2bgrowth experiment create/list/show/start/stop/decide/assign/analyze/did --json` contracts."""

from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app

from .planted import CAMPAIGN_START, START, add_accounts, planted_campaign, planted_experiment

runner = CliRunner()
APP = build_app()


def run(ws, *args, input=None):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        base += ["--database-url", ws.settings.database_url]
    return runner.invoke(APP, [*base, "experiment", *args], input=input)


def test_create_start_assign_stop_decide(ws):
    add_accounts(ws, tiers={"A": 6, "B": 10})
    spec = {"key": "cli-test", "hypothesis": "h", "stratify_by": "tier",
            "metrics": {"primary": [{"name": "active", "events": ["login"]}]}}
    created = run(ws, "create", "--json", "--by", "ana", input=json.dumps(spec))
    assert created.exit_code == 0, created.output
    assert json.loads(created.stdout)["created_by"] == "ana"
    preview = json.loads(run(ws, "assign", "cli-test", "--json").stdout)
    assert preview["total"] == {"n": 16, "by_variant": {"control": 8, "treatment": 8}}
    assert [s["by_variant"] for s in preview["strata"]] == [{"control": 3, "treatment": 3}, {"control": 5, "treatment": 5}]
    started = json.loads(run(ws, "start", "cli-test", "--at", "2026-03-01", "--json").stdout)
    assert started["status"] == "running" and started["assigned_units"] == 16
    one = json.loads(run(ws, "assign", "cli-test", "--unit-id", "ACC00001", "--json").stdout)
    assert one["variant"] in ("control", "treatment")
    listed = json.loads(run(ws, "list", "--json", "--status", "running").stdout)
    assert [e["key"] for e in listed["experiments"]] == ["cli-test"]
    assert run(ws, "stop", "cli-test", "--at", "2026-04-01").exit_code == 0
    no_reason = run(ws, "decide", "cli-test", "--decision", "ship", "--reason", " ")
    assert no_reason.exit_code == 1 and "reason" in no_reason.output
    decided = json.loads(run(ws, "decide", "cli-test", "--decision", "iterate", "--reason", "too few accounts", "--json").stdout)
    assert decided["decision"] == "iterate" and decided["status"] == "decided"
    shown = json.loads(run(ws, "show", "cli-test", "--json").stdout)
    assert shown["decision_reason"] == "too few accounts"


def test_errors_name_the_field(ws):
    bad = run(ws, "create", input=json.dumps({"key": "x y"}))
    assert bad.exit_code == 1 and "key" in bad.output and "Traceback" not in bad.output
    assert "not valid JSON" in run(ws, "create", input="{").output
    missing = run(ws, "show", "nope")
    assert missing.exit_code == 1 and "nope" in missing.output
    assert "--status" in run(ws, "list", "--status", "odd").output
    assert "exactly one" in run(ws, "did").output
    assert "--pre" in run(ws, "did", "--accounts", "A,B").output


def test_analyze_json(ws):
    planted_experiment(ws)
    as_of = (START + timedelta(days=31)).isoformat()
    out = run(ws, "analyze", "onboarding", "--as-of", as_of, "--json")
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert set(body) >= {"experiment", "window", "units", "srm_p_value", "srm_warning", "metrics", "roi", "corrections"}
    block = body["metrics"][0]
    assert set(block) >= {"metric", "kind", "type", "variants", "results", "segments"}
    assert set(block["results"][0]) >= {"variant", "effect", "ci_low", "ci_high", "p_value", "cuped"}
    text = run(ws, "analyze", "onboarding", "--as-of", as_of)
    assert text.exit_code == 0 and "logins" in text.stdout


def test_did_json(ws):
    treated = planted_campaign(ws, effect=0.5)
    pre = f"{(CAMPAIGN_START - timedelta(days=56)).date()}..{CAMPAIGN_START.date()}"
    post = f"{CAMPAIGN_START.date()}..{(CAMPAIGN_START + timedelta(days=28)).date()}"
    out = run(ws, "did", "--accounts", ",".join(treated), "--pre", pre, "--post", post, "--json")
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["ci_low"] < 0.5 < body["ci_high"] and len(body["parallel_trends"]["pre_periods"]) == 4
    assert "expected START..END" in run(ws, "did", "--accounts", "A", "--pre", "2026-01-01", "--post", post).output
