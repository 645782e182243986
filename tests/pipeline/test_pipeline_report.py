"""Pipeline win rate, deal size, cycle and stage-to-stage conversion, by hand (both stores)."""

from __future__ import annotations

import pytest

from tests.channels.helpers import d, dt, put


def seed(ws):
    put(ws, "Account", {"account_id": "A1", "name": "A1", "tier": "KA"}, {"account_id": "A2", "name": "A2", "tier": "SMB"})
    put(ws, "Opportunity",
        {"opportunity_id": "P1", "account_id": "A1", "owner": "张伟", "created_at": dt("2026-01-01 09:00"),
         "close_date": d("2026-01-31"), "status": "won", "stage": "赢单", "amount": 30000.0},   # cycle 30
        {"opportunity_id": "P2", "account_id": "A1", "owner": "张伟", "created_at": dt("2026-01-10 09:00"),
         "close_date": d("2026-02-19"), "status": "won", "stage": "赢单", "amount": 10000.0},   # cycle 40
        {"opportunity_id": "P3", "account_id": "A2", "owner": "王芳", "created_at": dt("2026-01-05 09:00"),
         "close_date": d("2026-01-25"), "status": "lost", "stage": "输单", "amount": 5000.0},
        {"opportunity_id": "P4", "account_id": "A2", "owner": "王芳", "created_at": dt("2026-01-05 09:00"),
         "close_date": d("2026-03-15"), "status": "won", "stage": "赢单", "amount": 2000.0},    # closes after the window
        {"opportunity_id": "P5", "account_id": "A2", "owner": "王芳", "created_at": dt("2026-01-20 09:00"),
         "close_date": d("2026-03-10"), "status": "open", "stage": "商务谈判", "amount": 10000.0})
    put(ws, "OpportunityStageChange",
        {"opportunity_id": "P3", "from_stage": None, "to_stage": "需求确认", "at": dt("2026-01-05 09:00"), "by": None},
        {"opportunity_id": "P3", "from_stage": "需求确认", "to_stage": "方案演示", "at": dt("2026-01-10 09:00"), "by": None},
        {"opportunity_id": "P3", "from_stage": "方案演示", "to_stage": "输单", "at": dt("2026-01-25 09:00"), "by": None},
        {"opportunity_id": "P5", "from_stage": None, "to_stage": "需求确认", "at": dt("2026-01-20 09:00"), "by": None},
        {"opportunity_id": "P5", "from_stage": "需求确认", "to_stage": "商务谈判", "at": dt("2026-02-01 09:00"), "by": None})


def test_win_rate_deal_size_cycle(ws):
    seed(ws)
    r = ws.report("pipeline", **{"from": "2026-01-01", "to": "2026-02-28"})
    # closed in the window: P1 won, P2 won, P3 lost (P4 closes in March)
    assert r["overall"] == {"closed": 3, "won": 2, "lost": 1, "win_rate": pytest.approx(2 / 3),
                            "won_amount": 40000.0, "avg_deal_size": 20000.0,  # (30000 + 10000) / 2
                            "avg_cycle_days": 35.0, "median_cycle_days": 35.0}  # (30 + 40) / 2
    owners = {row["owner"]: row for row in r["by_owner"]}
    assert owners["张伟"]["win_rate"] == 1.0 and owners["王芳"]["win_rate"] == 0.0
    assert owners["王芳"]["avg_deal_size"] is None and owners["王芳"]["avg_cycle_days"] is None
    tiers = {row["segment"]: row for row in r["by_segment"]}
    assert (tiers["KA"]["closed"], tiers["KA"]["won"], tiers["SMB"]["closed"], tiers["SMB"]["won"]) == (2, 2, 1, 0)
    assert r["open"] == {"count": 1, "amount": 10000.0}


def test_stage_to_stage_conversion(ws):
    seed(ws)
    stages = ws.report("pipeline", **{"from": "2026-01-01", "to": "2026-02-28"})["stages"]
    # created in the window: P1..P5. Furthest open stage: P1 P2 P4 won (pass all), P3 方案演示, P5 商务谈判.
    # reached 需求确认 5, 方案演示 5, 商务谈判 4 (P3 stopped), 合同审批 3, won 3
    got = [(s["stage"], s["reached"], s["advanced"], s["conversion"]) for s in stages]
    assert got == [("需求确认", 5, 5, 1.0), ("方案演示", 5, 4, 0.8), ("商务谈判", 4, 3, 0.75),
                   ("合同审批", 3, 3, 1.0), ("won", 3, None, None)]


def test_segment_must_exist(ws):
    seed(ws)
    with pytest.raises(ValueError, match="segment"):
        ws.report("pipeline", **{"from": "2026-01-01", "to": "2026-02-28", "segment": "no_such_thing"})
