"""MQL assignment rules (round robin, region / industry / tier) and the first-touch SLA."""

from __future__ import annotations

from datetime import datetime

import pytest

from b2bgrowth.accounts.models import Account
from b2bgrowth.leads import assignment, sla
from b2bgrowth.leads import handoff as lifecycle
from b2bgrowth.leads.assignment import RuleIn
from tests.leads.helpers import add_leads, add_touches, when


def mql(lead_id, day, **extra):
    return {"lead_id": lead_id, "created_at": when(day), "email": f"{lead_id}@x.com", "status": "mql", **extra}


def test_round_robin_continues_across_runs(ws):
    assignment.set_rule(ws, RuleIn(rule_id="all", owners=["amy", "bo", "cy"]))
    add_leads(ws, mql("M1", 1), mql("M2", 2), mql("M3", 3), mql("M4", 4),
              {"lead_id": "N1", "created_at": when(1), "email": "n@x.com", "status": "new"})
    # Oldest first: M1→amy, M2→bo, M3→cy, M4→amy (position 4 mod 3 = 1st). N1 is not an MQL.
    assert assignment.assign_mqls(ws) == {"M1": "amy", "M2": "bo", "M3": "cy", "M4": "amy"}
    add_leads(ws, mql("M5", 5))
    # Already-assigned MQLs are left alone; the rule continues at position 4 → bo.
    assert assignment.assign_mqls(ws) == {"M5": "bo"}
    assert assignment.rules(ws)[0]["position"] == 5


def test_rules_by_region_industry_and_tier_in_priority_order(ws):
    with ws.store.write(touched=["accounts"]) as s:
        s.add(Account(account_id="A1", name="华东精密制造有限公司", tier="KA"))
    assignment.set_rule(ws, RuleIn(rule_id="ka", field="tier", value="ka", owners=["kim"], priority=1))
    assignment.set_rule(ws, RuleIn(rule_id="north", field="region", value="华北", owners=["nia", "ned"], priority=2))
    assignment.set_rule(ws, RuleIn(rule_id="retail", field="industry", value="Retail", owners=["rae"], priority=3))
    add_leads(ws,
              mql("T1", 1, company="华东精密制造 (中国) 有限公司", name="王", region="华北"),  # tier KA wins (priority 1)
              mql("R1", 2, region=" 华北 "),                                                # region → nia
              mql("R2", 3, region="华北", industry="retail"),                               # region first → ned
              mql("I1", 4, industry="RETAIL"),                                              # industry → rae
              mql("Z1", 5, region="华南"))                                                  # nothing matches
    assert assignment.assign_mqls(ws, now=datetime(2024, 2, 1)) == {
        "T1": "kim", "R1": "nia", "R2": "ned", "I1": "rae"}


def test_rule_validation(ws):
    with pytest.raises(ValueError, match="field must be one of"):
        RuleIn(rule_id="x", field="country", value="cn", owners=["a"])
    with pytest.raises(assignment.AssignmentError, match="needs a value"):
        assignment.set_rule(ws, RuleIn(rule_id="x", field="region", owners=["a"]))


def test_overdue_first_touch(ws):
    assignment.set_rule(ws, RuleIn(rule_id="all", owners=["amy"]))
    add_leads(ws, mql("M1", 1), mql("M2", 1), mql("M3", 1), mql("M4", 2),
              {"lead_id": "Q1", "created_at": when(1), "email": "q@x.com", "status": "new"})
    assignment.assign_mqls(ws, now=datetime(2024, 1, 3, 8, 0))   # clock starts 2024-01-03 08:00 for M1..M4
    add_touches(ws, {"touch_id": "T1", "at": datetime(2024, 1, 3, 9, 0), "kind": "call", "lead_id": "M1"},
                {"touch_id": "T0", "at": datetime(2024, 1, 2, 9, 0), "kind": "call", "lead_id": "M2"})
    now = datetime(2024, 1, 4, 20, 0)
    # Due 2024-01-04 08:00 with 24 h. M1 touched after assignment → fine; M2's touch predates the
    # clock → still overdue; M3, M4 untouched → overdue by 12 h. Q1 is new: not waiting for sales.
    rows = sla.overdue(ws, now)
    assert [(r["lead_id"], r["owner"], r["hours_overdue"]) for r in rows] == [
        ("M2", "amy", 12.0), ("M3", "amy", 12.0), ("M4", "amy", 12.0)]
    # With a 48-hour SLA nothing is due before 2024-01-05 08:00.
    assert sla.overdue(ws, now, hours=48) == []
    # Accepting does not stop the clock; a touch does.
    lifecycle.accept(ws, "M3", by="amy")
    add_touches(ws, {"touch_id": "T3", "at": datetime(2024, 1, 4, 10, 0), "kind": "email", "lead_id": "M3"})
    assert [r["lead_id"] for r in sla.overdue(ws, now)] == ["M2", "M4"]


def test_unassigned_mql_clock_starts_when_it_became_mql(ws):
    add_leads(ws, {"lead_id": "U1", "created_at": when(1), "email": "u@x.com", "status": "new"})
    lifecycle.transition(ws, "U1", "mql", by="system", now=datetime(2024, 1, 10, 0, 0))
    # Became MQL 01-10 00:00, 24 h SLA → due 01-11 00:00; at 01-11 06:00 it is 6 h over.
    rows = sla.overdue(ws, datetime(2024, 1, 11, 6, 0))
    assert [(r["lead_id"], r["owner"], r["hours_overdue"]) for r in rows] == [("U1", None, 6.0)]


def test_sla_hours_must_be_positive(ws, monkeypatch):
    with pytest.raises(ValueError, match="positive number of hours"):
        sla.sla_hours(ws, 0)
    monkeypatch.setenv("B2BGROWTH_LEAD_SLA_HOURS", "8")
    assert sla.sla_hours(ws) == 8.0
