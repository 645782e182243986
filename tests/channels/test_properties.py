"""Invariants on random data (Hypothesis): every attribution model hands out exactly the
channel report's leads and won amount, and the channel report's ratios follow its counts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.settings import Settings
from b2bgrowth.workspace import Workspace
from tests.channels.helpers import put

CHANNELS = ["sem", "seo", "event"]
STATUSES = ["new", "mql", "sql", "opportunity", "customer", "nurture", "disqualified"]

lead_st = st.tuples(st.sampled_from(CHANNELS), st.sampled_from(STATUSES), st.integers(0, 40))
opp_st = st.tuples(st.integers(0, 30), st.sampled_from(["open", "won", "lost"]), st.integers(1, 10_000),
                   st.sampled_from(["A1", "A2", None]))
touch_st = st.tuples(st.integers(0, 30), st.integers(0, 40), st.sampled_from(["C1", "C2", None]))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(leads=st.lists(lead_st, min_size=1, max_size=12), opps=st.lists(opp_st, max_size=10),
       touches=st.lists(touch_st, max_size=20))
def test_credit_is_conserved(tmp_path_factory, leads, opps, touches):
    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("h") / "data", secret_key="test-secret-key-0123456789"))
    try:
        base = datetime(2026, 1, 1, 9)
        put(ws, "Channel", *({"channel_id": c, "name": c} for c in CHANNELS))
        put(ws, "Account", {"account_id": "A1", "name": "a1"}, {"account_id": "A2", "name": "a2"})
        put(ws, "Campaign", {"campaign_id": "C1", "name": "c1", "channel_id": "event"},
            {"campaign_id": "C2", "name": "c2", "channel_id": None})
        put(ws, "ChannelCost", {"channel_id": "event", "date": base.date(), "cost": 1000.0})
        put(ws, "Lead", *({"lead_id": f"L{i}", "created_at": base + timedelta(days=day), "channel": ch, "status": s}
                          for i, (ch, s, day) in enumerate(leads)))
        if opps:
            put(ws, "Opportunity", *({"opportunity_id": f"O{k}", "lead_id": f"L{i % len(leads)}", "status": status,
                                      "amount": float(amount), "account_id": acct,
                                      "close_date": (base + timedelta(days=25)).date()}
                                     for k, (i, status, amount, acct) in enumerate(opps)))
        if touches:
            put(ws, "Touch", *({"touch_id": f"T{k}", "lead_id": f"L{i % len(leads)}", "kind": "call",
                                "at": base + timedelta(days=day), "campaign_id": camp}
                               for k, (i, day, camp) in enumerate(touches)))
        window = {"from": "2026-01-01", "to": "2026-01-31"}
        channels = ws.report("channels", **window)["channels"]
        total_leads = sum(r["leads"] for r in channels)
        total_won = sum(r["won_amount"] for r in channels)
        for row in channels:
            assert row["mqls"] <= row["leads"] and row["sqls"] <= row["mqls"] and row["won"] <= row["opportunities"]
            if row["leads"]:
                assert row["cpl"] == pytest.approx(row["cost"] / row["leads"])
            else:
                assert row["cpl"] is None
        for model in ("first_touch", "last_touch", "linear", "position_based"):
            result = ws.report("attribution", model=model, **window)
            assert sum(r["leads"] for r in result["channels"]) == pytest.approx(total_leads)
            assert sum(r["won_revenue"] for r in result["channels"]) == pytest.approx(total_won)
            assert sum(r["won_revenue"] for r in result["campaigns"]) == pytest.approx(total_won)
    finally:
        ws.close()
