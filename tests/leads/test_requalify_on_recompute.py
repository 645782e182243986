"""Nurture leads whose engagement crosses the MQL threshold again return to MQL on recompute."""

from datetime import date, datetime, timedelta

from b2bgrowth.leads.models import Lead, LeadTransition, Touch
from b2bgrowth.reporting.derived import recompute_all


def test_recompute_moves_reengaged_nurture_leads_back_to_mql(ws):
    now = datetime.now().replace(microsecond=0)
    with ws.store.write(touched=["leads", "touches"]) as s:
        s.add(Lead(lead_id="N1", created_at=now - timedelta(days=90), name="Li", email="li@a.cn", status="nurture"))
        s.add(Lead(lead_id="N2", created_at=now - timedelta(days=90), name="Wu", email="wu@b.cn", status="nurture"))
        # N1: four demos today = 4 × 10 points, no decay = 40 ≥ the default threshold 30.
        for i in range(4):
            s.add(Touch(touch_id=f"T{i}", at=now, kind="demo", lead_id="N1"))
        # N2: one call today = 5 points < 30: stays in nurture.
        s.add(Touch(touch_id="T9", at=now, kind="call", lead_id="N2"))

    timings = recompute_all(ws)

    assert "step:nurture_requalification" in timings
    with ws.store.read() as s:
        assert s.get(Lead, "N1").status == "mql"
        assert s.get(Lead, "N2").status == "nurture"
        moved = s.query(LeadTransition).filter_by(lead_id="N1").one()
        assert (moved.from_status, moved.to_status) == ("nurture", "mql")
        assert "reached the MQL threshold 30" in moved.reason


def test_a_past_as_of_recompute_moves_nothing(ws):
    now = datetime.now().replace(microsecond=0)
    with ws.store.write(touched=["leads", "touches"]) as s:
        s.add(Lead(lead_id="N1", created_at=now, name="Li", email="li@a.cn", status="nurture"))
        for i in range(4):
            s.add(Touch(touch_id=f"T{i}", at=now, kind="demo", lead_id="N1"))
    recompute_all(ws, as_of=date.today() - timedelta(days=30))
    with ws.store.read() as s:
        assert s.get(Lead, "N1").status == "nurture"
