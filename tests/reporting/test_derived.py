"""Derived tables: cached as Parquet, recomputed by themselves when the data changes; CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.reporting.derived import is_fresh, recompute_all
from b2bgrowth.revenue.models import Subscription
from tests.revenue.helpers import d, revenue, seed_example


def test_recompute_then_reports_follow_writes(ws):
    seed_example(ws)
    assert not is_fresh(ws, "revenue_facts")
    calls = []
    timings = recompute_all(ws, progress=lambda label, done, total: calls.append((label, done, total)))
    # Every registered derived table is brought up to date, revenue_facts among them.
    tables = [name for name in timings if not name.startswith("step:")]
    assert "revenue_facts" in tables and calls[-1] == ("done", len(tables), len(tables))
    assert is_fresh(ws, "revenue_facts")
    assert list((ws.settings.derived_dir / "revenue_facts").glob("*/movements.parquet"))
    assert revenue(ws, "2024-02-01", "2024-02-29")[0]["mrr_end"] == 610.0
    with ws.store.write(touched=["subscriptions"]) as session:
        session.add(Subscription(subscription_id="z", account_id="A", product="Z", mrr=40, start_date=d("2024-02-11")))
    assert not is_fresh(ws, "revenue_facts")
    assert revenue(ws, "2024-02-01", "2024-02-29")[0]["mrr_end"] == 650.0  # stale cache recomputed by itself
    assert len(list((ws.settings.derived_dir / "revenue_facts").iterdir())) == 1  # old version removed


def test_cli_recompute_and_report_json(ws):
    seed_example(ws)
    runner = CliRunner()
    app = build_app()
    base = ["--data-dir", str(ws.settings.data_dir)]
    if not ws.store.is_sqlite:
        base += ["--database-url", ws.store.url]
    result = runner.invoke(app, base + ["recompute", "--as-of", "2024-03-01"])
    assert result.exit_code == 0, result.output
    assert "revenue_facts: up to date" in result.output
    result = runner.invoke(app, base + ["report", "revenue", "--period", "month", "--from", "2024-02-01", "--to",
                                        "2024-02-29", "--segment", "region", "--renewal-grace-days", "10", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["periods"]
    assert [r["segment"] for r in rows] == ["east", "west", None] and rows[0]["period_start"] == "2024-02-01"
    bad = runner.invoke(app, base + ["recompute", "--as-of", "yesterday"])
    assert bad.exit_code != 0 and "--as-of" in bad.output
    missing = runner.invoke(app, base + ["report", "revenue", "--from", "2024-01-01", "--to", "2024-01-31",
                                         "--segment", "colour", "--json"])
    assert missing.exit_code != 0 and "colour" in missing.output and "Traceback" not in missing.output


def test_recompute_on_an_empty_store(ws):
    timings = recompute_all(ws)
    assert "revenue_facts" in timings
