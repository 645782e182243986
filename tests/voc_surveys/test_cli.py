"""`b2bgrowth survey …` end to end on the seed.py company (both stores)."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app


def run(ws, *args):
    base = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        base += ["--database-url", ws.settings.database_url]
    return CliRunner().invoke(build_app(), base + list(args))


def test_create_add_open_remind_close(company, tmp_path):
    assert run(company, "survey", "create", "Q1 NPS", "--id", "q1", "--closes", "2099-12-31").exit_code == 0
    preview = run(company, "survey", "add", "q1", "--tier", "KA", "--preview", "--json")
    assert json.loads(preview.stdout)["contacts"] == 3
    added = run(company, "survey", "add", "q1", "--tier", "KA", "--role", "decision_maker,manager")
    assert added.exit_code == 0 and "added 2 recipients (1 without a channel)" in added.stdout   # C1, C3
    assert run(company, "survey", "remind", "q1").exit_code == 1                                # still a draft
    assert run(company, "survey", "open", "q1").exit_code == 0
    out = tmp_path / "due.csv"
    reminded = run(company, "survey", "remind", "q1", "--after-days", "0", "--csv", str(out),
                   "--base-url", "https://cs.example.cn")
    assert reminded.exit_code == 0, reminded.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert sorted(r["contact_id"] for r in rows) == ["C1", "C3"]
    assert all(r["link"].startswith("https://cs.example.cn/s/") and r["reminders"] == "1" for r in rows)
    listed = json.loads(run(company, "survey", "recipients", "q1", "--json").stdout)["recipients"]
    assert {r["reminders"] for r in listed} == {1}
    report = json.loads(run(company, "report", "survey", "--survey", "q1", "--json").stdout)["survey"]
    assert (report["recipients"], report["responded"], report["response_rate"]) == (2, 0, 0.0)
    assert run(company, "survey", "close", "q1").exit_code == 0
    assert "closed" in run(company, "survey", "list").stdout


def test_errors_name_what_is_wrong(company):
    bad = run(company, "survey", "add", "nope", "--tier", "KA")
    assert bad.exit_code == 1 and "no survey 'nope'" in bad.output
    run(company, "survey", "create", "x", "--id", "x")
    wrong = run(company, "survey", "add", "x", "--tier", "XX")
    assert wrong.exit_code == 1 and "filter tier: 'XX'" in wrong.output
