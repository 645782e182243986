"""The channel report, formula by formula, on a hand-made window (both stores)."""

from __future__ import annotations

import pytest

from tests.channels.helpers import d, dt, put

FROM, TO = "2026-01-01", "2026-01-31"


def seed(ws):
    put(ws, "Channel", *({"channel_id": c, "name": c.upper()} for c in ("sem", "seo", "event", "referral")))
    put(ws, "Account", *({"account_id": a, "name": a} for a in ("A1", "A2", "A3")))
    put(ws, "ChannelCost",
        {"channel_id": "sem", "date": d("2026-01-05"), "cost": 600.0},
        {"channel_id": "sem", "date": d("2026-01-20"), "cost": 400.0},
        {"channel_id": "sem", "date": d("2025-12-31"), "cost": 999.0},   # before the window
        {"channel_id": "seo", "date": d("2026-01-10"), "cost": 300.0},
        {"channel_id": "event", "date": d("2026-01-15"), "cost": 500.0})  # cost, no leads
    put(ws, "Lead",
        {"lead_id": "L1", "created_at": dt("2026-01-02 10:00"), "channel": "sem", "status": "customer"},
        {"lead_id": "L2", "created_at": dt("2026-01-03 10:00"), "channel": "sem", "status": "sql"},
        {"lead_id": "L3", "created_at": dt("2026-01-31 23:00"), "channel": "sem", "status": "mql"},
        {"lead_id": "L4", "created_at": dt("2026-01-10 10:00"), "channel": "sem", "status": "nurture"},
        {"lead_id": "L5", "created_at": dt("2026-02-01 00:00"), "channel": "sem", "status": "customer"},
        {"lead_id": "L6", "created_at": dt("2026-01-15 10:00"), "channel": "seo", "status": "new"},
        {"lead_id": "L7", "created_at": dt("2026-01-16 10:00"), "channel": "seo", "status": "opportunity"},
        {"lead_id": "L8", "created_at": dt("2026-01-05 10:00"), "channel": "referral", "status": "new"})
    put(ws, "Opportunity",
        {"opportunity_id": "O1", "lead_id": "L1", "account_id": "A1", "status": "won", "amount": 10000.0},
        {"opportunity_id": "O2", "lead_id": "L1", "account_id": "A1", "status": "won", "amount": 5000.0},
        {"opportunity_id": "O3", "lead_id": "L2", "account_id": "A2", "status": "lost", "amount": 3000.0},
        {"opportunity_id": "O4", "lead_id": "L7", "status": "won", "amount": 2000.0},
        {"opportunity_id": "O5", "lead_id": "L5", "account_id": "A3", "status": "won", "amount": 99999.0},
        {"opportunity_id": "O6", "lead_id": "L3", "status": "open", "amount": 1000.0})


def by_channel(ws):
    result = ws.report("channels", **{"from": FROM, "to": TO})
    assert set(result) == {"channels"}
    return {row["channel"]: row for row in result["channels"]}


def test_every_formula_by_hand(ws):
    seed(ws)
    rows = by_channel(ws)
    assert list(rows) == ["event", "referral", "sem", "seo"]  # sorted; event has cost but no leads
    keys = ["channel", "leads", "mqls", "sqls", "opportunities", "won", "won_amount", "cost", "cpl",
            "cost_per_mql", "cac", "roi"]
    assert all(list(r) == keys for r in rows.values())
    sem = rows["sem"]
    # leads L1 L2 L3 L4 (L3 at 23:00 on the last day is in; L5 on Feb 1 is out)
    assert (sem["leads"], sem["mqls"], sem["sqls"]) == (4, 3, 2)  # mql: L1 L2 L3 (L4 nurture reaches nothing); sql: L1 L2
    assert (sem["opportunities"], sem["won"], sem["won_amount"]) == (4, 2, 15000.0)  # O1 O2 O3 O6; won O1+O2
    assert sem["cost"] == 1000.0                        # 600 + 400 (the 999 on Dec 31 is outside)
    assert sem["cpl"] == 250.0                          # 1000 / 4
    assert sem["cost_per_mql"] == pytest.approx(1000 / 3)  # 333.33
    assert sem["cac"] == 1000.0                         # 1000 / 1 distinct account (A1 twice)
    assert sem["roi"] == 14.0                           # (15000 - 1000) / 1000
    seo = rows["seo"]
    assert (seo["leads"], seo["mqls"], seo["sqls"], seo["opportunities"], seo["won"]) == (2, 1, 1, 1, 1)
    assert seo["won_amount"] == 2000.0 and seo["cost"] == 300.0
    assert seo["cpl"] == 150.0 and seo["cost_per_mql"] == 300.0  # 300/2, 300/1
    assert seo["cac"] == 300.0                          # won O4 has no account: its lead L7 is the customer
    assert seo["roi"] == pytest.approx(1700 / 300)      # (2000 - 300) / 300 = 5.667
    event = rows["event"]
    assert (event["leads"], event["mqls"], event["won"], event["cost"]) == (0, 0, 0, 500.0)
    assert event["cpl"] is None and event["cost_per_mql"] is None and event["cac"] is None
    assert event["roi"] == -1.0                         # (0 - 500) / 500
    referral = rows["referral"]
    assert referral["cost"] == 0.0 and referral["cpl"] == 0.0  # 0 / 1 lead
    assert referral["cost_per_mql"] is None and referral["cac"] is None and referral["roi"] is None


def test_window_edges_and_bad_window(ws):
    seed(ws)
    rows = {r["channel"]: r for r in ws.report("channels", **{"from": "2026-02-01", "to": "2026-02-01"})["channels"]}
    assert list(rows) == ["sem"] and rows["sem"]["leads"] == 1 and rows["sem"]["won_amount"] == 99999.0
    assert rows["sem"]["cost"] == 0.0 and rows["sem"]["roi"] is None
    with pytest.raises(Exception, match="after"):
        ws.report("channels", **{"from": "2026-02-02", "to": "2026-02-01"})


def test_costs_in_other_currency_are_converted(ws):
    seed(ws)
    put(ws, "ExchangeRate", {"currency": "USD", "rate": 7.0})
    put(ws, "ChannelCost", {"channel_id": "seo", "date": d("2026-01-11"), "cost": 100.0, "currency": "USD"})
    assert by_channel(ws)["seo"]["cost"] == 1000.0  # 300 + 100 × 7


def test_merged_leads_count_once_under_the_identity_members_channel(ws):
    seed(ws)
    # L9 (seo, Jan 20) is L1 (sem, Jan 2) again: the same e-mail in another case. The merged lead is
    # L1's identity (earliest): channel sem, status customer; L9's won opportunity O9 counts under sem.
    put(ws, "Lead", {"lead_id": "L9", "created_at": dt("2026-01-20 10:00"), "channel": "seo", "status": "sql",
                     "email": " Wang.Wei@Example.COM "})
    with ws.store.write(touched=["leads"]) as session:
        from b2bgrowth.leads.models import Lead
        session.get(Lead, "L1").email = "wang.wei@example.com"
    put(ws, "Opportunity", {"opportunity_id": "O9", "lead_id": "L9", "account_id": "A2", "status": "won",
                            "amount": 1000.0})
    rows = by_channel(ws)
    sem, seo = rows["sem"], rows["seo"]
    assert (sem["leads"], sem["mqls"], sem["sqls"]) == (4, 3, 2)       # unchanged: L9 is not a new lead
    assert (sem["opportunities"], sem["won"], sem["won_amount"]) == (5, 3, 16000.0)  # + O9
    assert sem["cac"] == 500.0                                         # 1000 / 2 accounts (A1, A2)
    assert sem["roi"] == 15.0                                          # (16000 - 1000) / 1000
    assert (seo["leads"], seo["won"]) == (2, 1)                        # L9 does not count under seo
