"""Hand-off: transitions, reasons, accept / reject, nurture requalification (issue 3 item 4)."""

from __future__ import annotations

from datetime import datetime

import pytest

from b2bgrowth.leads import dedupe
from b2bgrowth.leads import handoff as lifecycle
from tests.leads.helpers import add_leads, when

T = datetime(2024, 2, 1, 10, 0)


def status_of(ws, lead_id):
    merged = dedupe.merged_leads(ws)
    return merged.set_index("lead_id").loc[dedupe.merged_id_of(ws, lead_id), "status"]


def test_full_path_is_timestamped(ws):
    add_leads(ws, {"lead_id": "L1", "created_at": when(1), "email": "a@b.com"})
    for i, to in enumerate(("mql", "sql", "opportunity", "customer")):
        lifecycle.transition(ws, "L1", to, by="ops", now=T.replace(hour=10 + i))
    assert status_of(ws, "L1") == "customer"
    assert [(h["from"], h["to"], h["at"].hour, h["by"]) for h in lifecycle.history(ws, "L1")] == [
        ("new", "mql", 10, "ops"), ("mql", "sql", 11, "ops"), ("sql", "opportunity", 12, "ops"),
        ("opportunity", "customer", 13, "ops")]


def test_disallowed_moves_name_what_is_allowed(ws):
    add_leads(ws, {"lead_id": "L1", "created_at": when(1), "email": "a@b.com", "status": "customer"},
              {"lead_id": "L2", "created_at": when(1), "email": "c@b.com", "status": "new"})
    with pytest.raises(lifecycle.LifecycleError, match="customer; it may move to nothing"):
        lifecycle.transition(ws, "L1", "mql", by="ops")
    with pytest.raises(lifecycle.LifecycleError, match="may move to mql, sql, nurture, disqualified, not opportunity"):
        lifecycle.transition(ws, "L2", "opportunity", by="ops")
    with pytest.raises(lifecycle.LifecycleError, match="not one of"):
        lifecycle.transition(ws, "L2", "won", by="ops")
    with pytest.raises(lifecycle.LifecycleError, match="does not exist") as err:
        lifecycle.transition(ws, "NOPE", "mql", by="ops")
    assert err.value.status == 404


def test_disqualify_needs_a_reason_and_keeps_it(ws):
    add_leads(ws, {"lead_id": "L1", "created_at": when(1), "email": "a@b.com"})
    with pytest.raises(lifecycle.LifecycleError, match="reason is required"):
        lifecycle.transition(ws, "L1", "disqualified", by="sales", reason="   ")
    lifecycle.transition(ws, "L1", "disqualified", by="sales", reason="student, no budget", now=T)
    assert status_of(ws, "L1") == "disqualified"
    assert dedupe.load_leads_by_id(ws, ["L1"])["disqualification_reason"].tolist() == ["student, no budget"]
    assert lifecycle.history(ws, "L1")[-1]["reason"] == "student, no budget"


def test_accept_and_reject_only_from_mql(ws):
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@b.com", "status": "mql"},
              {"lead_id": "R", "created_at": when(1), "email": "r@b.com", "status": "mql"},
              {"lead_id": "N", "created_at": when(1), "email": "n@b.com", "status": "new"})
    lifecycle.accept(ws, "A", by="sales", now=T)
    assert status_of(ws, "A") == "sql"
    with pytest.raises(lifecycle.LifecycleError, match="reason is required"):
        lifecycle.reject(ws, "R", by="sales", reason="")
    lifecycle.reject(ws, "R", by="sales", reason="wrong region", now=T)
    assert status_of(ws, "R") == "nurture"
    assert lifecycle.history(ws, "R")[-1] | {"at": None} == {
        "lead_id": "R", "from": "mql", "to": "nurture", "at": None, "by": "sales", "reason": "wrong region"}
    with pytest.raises(lifecycle.LifecycleError, match="is new, not mql"):
        lifecycle.accept(ws, "N", by="sales")


def test_transition_moves_every_member_of_a_merged_lead(ws):
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "x@b.com", "status": "new"},
              {"lead_id": "B", "created_at": when(2), "email": "X@B.com", "status": "mql"})
    # Merged status is mql (most advanced); accepting it makes both rows sql.
    lifecycle.accept(ws, "B", by="sales", now=T)
    assert dedupe.load_leads_by_id(ws, ["A", "B"]).sort_values("lead_id")["status"].tolist() == ["sql", "sql"]
    assert lifecycle.history(ws, "B")[-1]["lead_id"] == "A"  # recorded on the merged lead


def test_nurture_returns_to_mql_when_engagement_crosses_the_threshold(ws):
    add_leads(ws, {"lead_id": "N1", "created_at": when(1), "email": "1@b.com", "status": "nurture"},
              {"lead_id": "N2", "created_at": when(1), "email": "2@b.com", "status": "nurture"},
              {"lead_id": "N3", "created_at": when(1), "email": "3@b.com", "status": "nurture"},
              {"lead_id": "S1", "created_at": when(1), "email": "4@b.com", "status": "sql"})
    # Threshold 50: N1 at 50 (reaches it) and N2 at 49.9 (does not); N3 has no score; S1 is not nurture.
    moved = lifecycle.requalify_nurture(ws, {"N1": 50, "N2": 49.9, "S1": 90}, threshold=50, now=T)
    assert moved == ["N1"]
    assert [status_of(ws, x) for x in ("N1", "N2", "N3", "S1")] == ["mql", "nurture", "nurture", "sql"]
    assert lifecycle.history(ws, "N1")[-1]["reason"] == "engagement 50 reached the MQL threshold 50"
