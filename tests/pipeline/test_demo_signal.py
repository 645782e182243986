"""The demo company plants what the lead-to-revenue reports should find (SQLite; seed 42, size S)."""

from __future__ import annotations

from b2bgrowth.demo.generator import generate_company


def test_demo_plants_call_optimum_duplicates_and_history(sqlite_ws):
    ws = sqlite_ws
    summary = generate_company(ws, "S", seed=42, events=0)
    assert summary.counts["opportunity_stage_changes"] > summary.counts["opportunities"]
    best = {b["size"]: b["bucket"] for b in ws.report("call-cadence")["best"]}
    # planted optimum 5 / 8 / 12 calls → buckets 5-6, 7-8, 9-12
    assert best == {"small": "5-6", "mid": "7-8", "large": "9-12"}
    from b2bgrowth.leads.merged import merged_leads

    merged = merged_leads(ws)
    assert len(merged) < summary.counts["leads"]  # some leads are the same person
    models = {r["segment"]: r["model"] for r in ws.report("growth-model")["segments"]}
    assert models["KA"] == "missile" and models["SMB"] in ("r2r", "hacker")
    rows = ws.report("channels", **{"from": "2025-01-01", "to": "2025-12-31"})["channels"]
    assert {r["channel"] for r in rows} >= {"sem", "referral"}
    by = {r["channel"]: r for r in rows}
    # referral converts better than SEM in the demo (the conversion model has signal to learn)
    assert by["referral"]["won"] / by["referral"]["leads"] > by["sem"]["won"] / by["sem"]["leads"]
