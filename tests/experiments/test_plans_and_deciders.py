"""Who decided (decided_by) and the planned run (planned_start / planned_end, "overdue for a decision"),
through the registry, the CLI and the JSON API, on both stores."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.schemas import ExperimentCreate, ExperimentError, ExperimentUpdate, is_overdue

from .planted import START, add_accounts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import seed_users  # noqa: E402

APP = build_app()
SPEC = {"key": "plan-test", "stratify_by": "tier", "metrics": {"primary": [{"name": "active", "events": ["login"]}]}}


def run(ws, *args, input=None, user="mei"):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        base += ["--database-url", ws.settings.database_url]
    return CliRunner().invoke(APP, [*base, "experiment", *args], input=input, env={"USER": user})


def test_overdue_rule():
    end = date(2026, 3, 31)
    assert is_overdue("running", end, date(2026, 4, 1)) is True
    assert is_overdue("running", end, end) is False  # the planned last day itself is still on plan
    assert is_overdue("stopped", end, date(2026, 5, 1)) is False  # stopped: waiting for a decision is shown by status
    assert is_overdue("decided", end, date(2026, 5, 1)) is False
    assert is_overdue("running", None, date(2026, 5, 1)) is False


@given(st.dates(), st.dates())
def test_planned_end_never_before_start(start, end):
    if end >= start:
        made = ExperimentCreate(key="k1", planned_start=start, planned_end=end)
        assert (made.planned_start, made.planned_end) == (start, end)
    else:
        with pytest.raises(ValidationError, match="planned_end"):
            ExperimentCreate(key="k1", planned_start=start, planned_end=end)


def test_registry_records_the_decider_and_the_plan(ws):
    add_accounts(ws, tiers={"A": 4})
    today = date.today()
    created = registry.create_experiment(ws, ExperimentCreate.model_validate(
        {**SPEC, "planned_start": "2026-03-01", "planned_end": (today - timedelta(days=1)).isoformat()}), by="ana")
    assert created.planned_start == date(2026, 3, 1) and created.overdue is False  # a draft is not overdue
    registry.start(ws, "plan-test", at=START)
    running = registry.get_experiment(ws, "plan-test")
    assert running.overdue is True and running.model_dump(mode="json")["overdue"] is True
    # moving the end to today puts it back on plan; an end before the stored start is refused
    assert registry.update_experiment(ws, "plan-test", ExperimentUpdate(planned_end=today)).overdue is False
    with pytest.raises(ExperimentError, match="planned_end: 2026-02-01 is before planned_start 2026-03-01"):
        registry.update_experiment(ws, "plan-test", ExperimentUpdate(planned_end=date(2026, 2, 1)))
    decided = registry.decide(ws, "plan-test", "ship", "clear win", by="王磊")
    assert (decided.decided_by, decided.overdue) == ("王磊", False)
    listed = registry.list_experiments(ws)[0]
    assert (listed.decided_by, listed.planned_end) == ("王磊", today)


def test_cli_plan_options_and_decider(ws):
    add_accounts(ws, tiers={"A": 4})
    bad = run(ws, "create", "--planned-start", "2026-04-01", "--planned-end", "2026-03-01", input=json.dumps(SPEC))
    assert bad.exit_code == 1 and "planned_end: 2026-03-01 is before planned_start 2026-04-01" in bad.output
    typo = run(ws, "create", "--planned-start", "1 April", input=json.dumps(SPEC))
    assert typo.exit_code == 1 and "--planned-start: not an ISO date" in typo.output
    in_file = run(ws, "create", "--json", input=json.dumps({**SPEC, "planned_start": "2026-04-01", "planned_end": "2026-03-01"}))
    assert in_file.exit_code == 1 and "planned_end" in in_file.output
    # the options override the file's dates; --by defaults to $USER
    created = run(ws, "create", "--json", "--planned-end", "2026-06-30",
                  input=json.dumps({**SPEC, "planned_start": "2026-03-01", "planned_end": "2026-04-01"}))
    assert created.exit_code == 0, created.output
    body = json.loads(created.stdout)
    assert (body["planned_start"], body["planned_end"], body["created_by"]) == ("2026-03-01", "2026-06-30", "mei")
    assert run(ws, "start", "plan-test", "--at", "2026-03-01").exit_code == 0
    shown = run(ws, "show", "plan-test")
    assert "planned: 2026-03-01 → 2026-06-30" in shown.output
    if date.today() > date(2026, 6, 30):
        assert "overdue for a decision" in shown.output
    decided = json.loads(run(ws, "decide", "plan-test", "--decision", "ship", "--reason", "won", "--json").stdout)
    assert decided["decided_by"] == "mei"  # $USER
    again = registry.get_experiment(ws, "plan-test")
    assert again.decided_by == "mei"
    listed = json.loads(run(ws, "list", "--json").stdout)["experiments"][0]
    assert (listed["decided_by"], listed["planned_end"], listed["overdue"]) == ("mei", "2026-06-30", False)
    assert "ship by mei" in run(ws, "list").output


def test_cli_decide_by_option(ws):
    add_accounts(ws, tiers={"A": 4})
    run(ws, "create", input=json.dumps(SPEC))
    run(ws, "start", "plan-test")
    out = run(ws, "decide", "plan-test", "--decision", "roll_back", "--reason", "no lift", "--by", "lin", "--json")
    assert json.loads(out.stdout)["decided_by"] == "lin"
    assert "decided:" in run(ws, "show", "plan-test").output and "by lin" in run(ws, "show", "plan-test").output


@pytest.fixture
def api(ws):
    from b2bgrowth.web.app import create_app

    seed_users(ws)
    add_accounts(ws, tiers={"A": 4})
    app = create_app(ws)

    from clients import bearer_client

    return lambda role: bearer_client(app, ws, role)


def test_api_plan_and_decision(api, ws):
    ops, viewer = api("ops"), api("viewer")
    bad = ops.post("/api/v1/experiments", json={**SPEC, "planned_start": "2026-04-01", "planned_end": "2026-03-01"})
    assert bad.status_code == 422 and "planned_end: 2026-03-01 is before planned_start 2026-04-01" in bad.text
    typo = ops.post("/api/v1/experiments", json={**SPEC, "planned_end": "next week"})
    assert typo.status_code == 422 and "planned_end" in typo.text
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    created = ops.post("/api/v1/experiments", json={**SPEC, "planned_start": "2026-03-01", "planned_end": yesterday})
    assert created.status_code == 201, created.text
    assert (created.json()["planned_end"], created.json()["overdue"]) == (yesterday, False)
    registry.start(ws, "plan-test", at=START)
    assert viewer.get("/api/v1/experiments/plan-test").json()["overdue"] is True
    # PATCH: editors may move the plan; the end must not fall before the start; viewers may not
    assert viewer.patch("/api/v1/experiments/plan-test", json={"planned_end": "2099-01-01"}).status_code == 403
    moved = ops.patch("/api/v1/experiments/plan-test", json={"planned_end": "2099-01-01"})
    assert moved.status_code == 200 and moved.json()["overdue"] is False
    refused = ops.patch("/api/v1/experiments/plan-test", json={"planned_end": "2026-01-01"})
    assert refused.status_code == 422 and "planned_end" in refused.text
    assert ops.patch("/api/v1/experiments/nope", json={"planned_end": "2099-01-01"}).status_code == 404
    # decision: the token's user is recorded
    decision = {"decision": "ship", "reason": "conversion +3 pts, guardrails flat"}
    assert viewer.post("/api/v1/experiments/plan-test/decision", json=decision).status_code == 403
    assert ops.post("/api/v1/experiments/plan-test/decision", json={"decision": "maybe", "reason": "x"}).status_code == 422
    assert ops.post("/api/v1/experiments/plan-test/decision", json={"decision": "ship", "reason": ""}).status_code == 422
    assert ops.post("/api/v1/experiments/nope/decision", json=decision).status_code == 404
    done = ops.post("/api/v1/experiments/plan-test/decision", json=decision)
    assert done.status_code == 200, done.text
    assert (done.json()["decided_by"], done.json()["status"], done.json()["overdue"]) == ("ops", "decided", False)
    assert viewer.get("/api/v1/experiments").json()["experiments"][0]["decided_by"] == "ops"
    again = api("admin").post("/api/v1/experiments/plan-test/decision", json={"decision": "roll_back", "reason": "changed my mind"})
    assert again.status_code == 422 and "already decided (ship by ops on" in again.json()["detail"]  # the record stands
    assert registry.get_experiment(ws, "plan-test").decision == "ship"
