"""CLI commands (run, rules, rule, task actions, report tasks --json) and rule settings validation."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.success.playbooks.config import RuleError, load_rules, save_rule
from tests.success_playbooks.planted import plant_accounts, plant_nps  # noqa: E402

runner = CliRunner()
app = build_app()


def cli(ws, *args):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if not ws.store.is_sqlite:
        base += ["--database-url", ws.store.url]
    return runner.invoke(app, [*base, *args])


def test_cli_run_report_and_task_actions(ws):
    plant_accounts(ws)
    plant_nps(ws, [("R1", "B", datetime(2024, 6, 20, 12), 2)])
    result = cli(ws, "success", "playbooks", "run", "--as-of", "2024-06-30", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["created"] >= 1 and out["signals"]["detractor"] == 1
    report = json.loads(cli(ws, "report", "tasks", "--json", "--type", "detractor", "--as-of", "2024-06-30").output)
    (task,) = report["tasks"]
    assert (task["signal_key"], task["owner"], task["due_date"]) == ("detractor:R1", "Li Na", "2024-07-02")
    tid = task["task_id"]
    assert cli(ws, "success", "task", "comment", tid, "打过电话", "--by", "csm").exit_code == 0
    assert cli(ws, "success", "task", "assign", tid, "王磊").exit_code == 0
    assert cli(ws, "success", "task", "snooze", tid, "--until", "2099-01-01").exit_code == 0
    assert cli(ws, "success", "task", "done", tid).exit_code == 0
    bad = cli(ws, "success", "task", "done", tid)
    assert bad.exit_code == 1 and "reopen it first" in bad.output
    assert "not a date" in cli(ws, "success", "task", "snooze", tid, "--until", "soon").output
    final = json.loads(cli(ws, "report", "tasks", "--json", "--owner", "王磊", "--status", "done").output)["tasks"][0]
    assert [c["kind"] for c in final["comments"]] == ["comment", "assign", "snooze", "status"]
    assert final["comments"][0] == {**final["comments"][0], "author": "csm", "text": "打过电话"}


def test_cli_rules(ws):
    assert cli(ws, "success", "playbooks", "rule", "seat_utilisation", "--param", "threshold=0.8", "--due-days", "10").exit_code == 0
    rules = json.loads(cli(ws, "success", "playbooks", "rules", "--json").output)["rules"]
    seats = next(r for r in rules if r["rule_id"] == "seat_utilisation")
    assert (seats["params"], seats["due_days"], seats["version"]) == ({"threshold": 0.8}, 10, 1)
    bad = cli(ws, "success", "playbooks", "rule", "nope")
    assert bad.exit_code == 1 and "unknown rule 'nope'" in bad.output


def test_rule_settings_validation(ws):
    with pytest.raises(RuleError, match="unknown parameter 'x'"):
        save_rule(ws, "detractor", params={"x": 1})
    with pytest.raises(RuleError, match="not a number"):
        save_rule(ws, "detractor", params={"days": "ten"})
    with pytest.raises(RuleError, match="due_days = 400"):
        save_rule(ws, "detractor", due_days=400)
    saved = save_rule(ws, "detractor", params={"days": "60"}, by="admin")
    again = save_rule(ws, "detractor", enabled=False)
    assert (saved.params, saved.version, again.version, again.enabled, again.params["days"]) == (
        {"max_score": 6, "days": 60}, 1, 2, False, 60)
    assert all(r.version == 0 for r in load_rules(ws) if r.spec.rule_id != "detractor")
