"""Invariants on random pipelines (Hypothesis): groups add up to the whole, conversion never
exceeds 1, and the history-based forecast never exceeds the pipeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.settings import Settings
from b2bgrowth.workspace import Workspace
from tests.channels.helpers import put

STAGES = ["需求确认", "方案演示", "商务谈判", "合同审批"]
opp = st.tuples(st.sampled_from(["open", "won", "lost"]), st.sampled_from(STAGES), st.integers(0, 200),
                st.integers(1, 150), st.integers(1, 100_000), st.sampled_from(["a", "b", None]),
                st.sampled_from(["A1", "A2", None]))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(opp, min_size=1, max_size=25))
def test_groups_add_up(tmp_path_factory, rows):
    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("p") / "data", secret_key="test-secret-key-0123456789"))
    try:
        put(ws, "Account", {"account_id": "A1", "name": "a", "tier": "KA"}, {"account_id": "A2", "name": "b", "tier": "SMB"})
        base = datetime(2026, 1, 1, 9)
        put(ws, "Opportunity", *({
            "opportunity_id": f"O{i}", "status": status,
            "stage": {"won": "赢单", "lost": "输单"}.get(status, stage), "created_at": base + timedelta(days=day),
            "close_date": (base + timedelta(days=day + cycle)).date(), "amount": float(amount), "owner": owner,
            "account_id": account} for i, (status, stage, day, cycle, amount, owner, account) in enumerate(rows)))
        r = ws.report("pipeline", **{"from": "2026-01-01", "to": "2026-12-31"})
        for part in ("by_owner", "by_segment"):
            assert sum(g["closed"] for g in r[part]) == r["overall"]["closed"]
            assert sum(g["won"] for g in r[part]) == r["overall"]["won"]
            assert sum(g["won_amount"] for g in r[part]) == pytest.approx(r["overall"]["won_amount"])
        for s in r["stages"]:
            assert s["conversion"] is None or 0 <= s["conversion"] <= 1
        f = ws.report("forecast", **{"from": "2026-01-01", "to": "2027-06-30", "as_of": date(2026, 6, 1).isoformat()})
        for m in f["months"]:
            assert 0 <= m["weighted"] <= m["pipeline_amount"] + 1e-6
            assert 0 <= m["history_based"] <= m["pipeline_amount"] + 1e-6
        assert sum(x["weighted"] for x in f["by_owner"]) == pytest.approx(sum(m["weighted"] for m in f["months"]))
    finally:
        ws.close()
