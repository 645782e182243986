"""`b2bgrowth leads …` commands against the test store (both stores)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from tests.leads.helpers import add_leads, when


def invoke(ws, *args):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        base += ["--database-url", ws.settings.database_url]
    return CliRunner().invoke(build_app(), base + list(args))


def test_dedupe_why_undo_and_hand_off(ws):
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "x@a.com", "status": "mql"},
              {"lead_id": "B", "created_at": when(2), "phone": "+86 139 0000 0000", "email": "X@A.com"},
              {"lead_id": "C", "created_at": when(3), "email": "c@c.com"})
    out = invoke(ws, "leads", "dedupe", "--record", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"leads": 3, "merged_leads": 2, "recorded": 1,
                                      "groups": [{"lead_id": "A", "status": "mql", "member_ids": ["A", "B"]}]}
    why = json.loads(invoke(ws, "leads", "why", "B").stdout)
    assert why == {"lead_id": "A", "why": [{"a": "A", "b": "B", "rule": "email", "value": "x@a.com"}]}
    assert invoke(ws, "leads", "rule", "all", "--owners", "amy,bo").exit_code == 0
    assert json.loads(invoke(ws, "leads", "assign", "--json").stdout) == {"assigned": {"A": "amy"}}
    rejected = invoke(ws, "leads", "reject", "A", "--reason", "no budget", "--by", "amy")
    assert rejected.exit_code == 0 and json.loads(rejected.stdout)["to"] == "nurture"
    bad = invoke(ws, "leads", "transition", "C", "disqualified")
    assert bad.exit_code == 1 and "reason is required" in bad.output
    assert invoke(ws, "leads", "undo-merge", "A", "B").exit_code == 0
    assert json.loads(invoke(ws, "leads", "dedupe", "--json").stdout)["merged_leads"] == 3
    missing = invoke(ws, "leads", "why", "NOPE")
    assert missing.exit_code == 1 and "does not exist" in missing.output
    overdue = json.loads(invoke(ws, "leads", "overdue", "--hours", "1", "--json").stdout)
    assert overdue["hours"] == 1.0 and overdue["leads"] == []  # A is nurture now; nothing waits for sales
    assert invoke(ws, "leads", "form", "trial", "--name", "Trial", "--channel", "seo").exit_code == 0
