"""Weighted and history-based forecast by close month, by hand (both stores)."""

from __future__ import annotations

import pytest

from tests.channels.helpers import d, dt, put


def open_deals(ws):
    put(ws, "Opportunity",
        {"opportunity_id": "F1", "stage": "商务谈判", "amount": 10000.0, "status": "open", "owner": "a",
         "created_at": dt("2026-02-25 09:00"), "close_date": d("2026-03-10")},
        {"opportunity_id": "F2", "stage": "商务谈判", "amount": 20000.0, "status": "open", "owner": "b",
         "created_at": dt("2026-01-11 09:00"), "close_date": d("2026-03-20")},
        {"opportunity_id": "F3", "stage": "需求确认", "amount": 1000.0, "status": "open", "owner": "a",
         "created_at": dt("2026-02-25 09:00"), "close_date": d("2026-04-05")},
        {"opportunity_id": "F4", "stage": "需求确认", "amount": 7.0, "status": "open"})  # no close date


def test_weighted_by_default_probabilities(ws):
    open_deals(ws)
    r = ws.report("forecast", **{"from": "2026-03-01", "to": "2026-05-31", "as_of": "2026-03-02"})
    # default probabilities 商务谈判 0.6, 需求确认 0.1; no closed history → history-based uses them too
    assert r["months"] == [
        {"month": "2026-03", "open_opportunities": 2, "pipeline_amount": 30000.0, "weighted": 18000.0,  # 6000 + 12000
         "history_based": 18000.0},
        {"month": "2026-04", "open_opportunities": 1, "pipeline_amount": 1000.0, "weighted": 100.0,
         "history_based": 100.0},
        {"month": "2026-05", "open_opportunities": 0, "pipeline_amount": 0.0, "weighted": 0.0, "history_based": 0.0}]
    assert r["undated"] == 1
    owners = {(row["owner"], row["month"]): row["weighted"] for row in r["by_owner"]}
    assert owners == {("a", "2026-03"): 6000.0, ("a", "2026-04"): 100.0, ("b", "2026-03"): 12000.0}


def test_history_based_uses_deals_still_open_at_that_age(ws):
    open_deals(ws)
    # 3 won after 10 days, 5 lost after 100 days, all of which reached 商务谈判
    won = [{"opportunity_id": f"W{i}", "stage": "赢单", "amount": 1.0, "status": "won",
            "created_at": dt("2025-06-01 09:00"), "close_date": d("2025-06-11")} for i in range(3)]
    lost = [{"opportunity_id": f"L{i}", "stage": "输单", "amount": 1.0, "status": "lost",
             "created_at": dt("2025-06-01 09:00"), "close_date": d("2025-09-09")} for i in range(5)]
    put(ws, "Opportunity", *won, *lost)
    put(ws, "OpportunityStageChange", *({"opportunity_id": f"L{i}", "from_stage": None, "to_stage": "商务谈判",
                                         "at": dt("2025-06-02 09:00"), "by": None} for i in range(5)))
    r = ws.report("forecast", **{"from": "2026-03-01", "to": "2026-04-30", "as_of": "2026-03-02"})
    march, april = r["months"]
    # F1 age 5: all 8 closed deals were open at day 5 → 3/8 → 10000 × 0.375 = 3750
    # F2 age 50: only the 5 lost ones lasted 50 days → 0/5 → 0
    assert march["history_based"] == pytest.approx(3750.0)
    assert march["weighted"] == 18000.0
    # F3 (需求确认, age 5): all 8 reached it and were open at day 5 → 1000 × 3/8
    assert april["history_based"] == pytest.approx(375.0)
