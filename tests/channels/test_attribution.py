"""Each attribution model on a hand case (both stores).

Lead LA (channel content) has touches E (campaign CE, channel event), S (campaign CS, channel
sem), C (no campaign → the lead's channel, content), S (CS again), then one more touch after
the window and after the close (ignored). Its won opportunity is 100. Lead LB (seo) has no
touches: its source is its only touch; won 50.
"""

from __future__ import annotations

import numpy as np
import pytest

from b2bgrowth.channels.attribution import weights
from tests.channels.helpers import d, dt, put

EXPECTED_LA = {  # channel → share of LA's one lead and 100 revenue
    "first_touch": {"event": 1.0},
    "last_touch": {"sem": 1.0},
    "linear": {"event": 0.25, "sem": 0.5, "content": 0.25},  # 1/4 each, S twice
    "position_based": {"event": 0.4, "sem": 0.5, "content": 0.1},  # 40 | 20/2=10, 10 | 40 → S 10+40
}


def seed(ws):
    put(ws, "Channel", *({"channel_id": c, "name": c} for c in ("content", "event", "sem", "seo")))
    put(ws, "Campaign", {"campaign_id": "CE", "name": "expo", "channel_id": "event"},
        {"campaign_id": "CS", "name": "search", "channel_id": "sem"})
    put(ws, "Lead", {"lead_id": "LA", "created_at": dt("2026-01-05 09:00"), "channel": "content", "status": "customer"},
        {"lead_id": "LB", "created_at": dt("2026-01-06 09:00"), "channel": "seo", "status": "customer"})
    put(ws, "Touch",
        {"touch_id": "T1", "at": dt("2026-01-06 10:00"), "kind": "event", "lead_id": "LA", "campaign_id": "CE"},
        {"touch_id": "T2", "at": dt("2026-01-07 10:00"), "kind": "email", "lead_id": "LA", "campaign_id": "CS"},
        {"touch_id": "T3", "at": dt("2026-01-08 10:00"), "kind": "call", "lead_id": "LA"},
        {"touch_id": "T4", "at": dt("2026-01-09 10:00"), "kind": "demo", "lead_id": "LA", "campaign_id": "CS"},
        {"touch_id": "T5", "at": dt("2026-02-05 10:00"), "kind": "event", "lead_id": "LA", "campaign_id": "CE"})
    put(ws, "Opportunity",
        {"opportunity_id": "OA", "lead_id": "LA", "status": "won", "amount": 100.0, "close_date": d("2026-01-20")},
        {"opportunity_id": "OB", "lead_id": "LB", "status": "won", "amount": 50.0, "close_date": d("2026-01-21")})


@pytest.mark.parametrize("model", list(EXPECTED_LA))
def test_models_by_hand(ws, model):
    seed(ws)
    result = ws.report("attribution", model=model, **{"from": "2026-01-01", "to": "2026-01-31"})
    assert result["model"] == model
    got = {r["channel"]: r for r in result["channels"]}
    expected = dict(EXPECTED_LA[model])
    assert set(got) == set(expected) | {"seo"}
    for channel, share in expected.items():
        assert got[channel]["won_revenue"] == pytest.approx(100 * share)
        assert got[channel]["leads"] == pytest.approx(share)
        assert got[channel]["won"] == pytest.approx(share)
    assert got["seo"]["won_revenue"] == 50.0 and got["seo"]["leads"] == 1.0  # LB: its source only
    # credit is conserved: 2 leads, 2 won, 150 revenue
    assert sum(r["leads"] for r in got.values()) == pytest.approx(2)
    assert sum(r["won_revenue"] for r in got.values()) == pytest.approx(150)
    campaigns = {(r["campaign_id"], r["channel"]): r["won_revenue"] for r in result["campaigns"]}
    if model == "position_based":
        assert campaigns == pytest.approx({("CE", "event"): 40.0, ("CS", "sem"): 50.0, (None, "content"): 10.0,
                                           (None, "seo"): 50.0})


def test_touch_after_close_counts_for_the_lead_not_the_revenue(ws):
    seed(ws)
    # window to Feb 28: T5 (Feb 5, CE/event) joins LA's lead path (5 touches) but not OA's (closed Jan 20)
    result = ws.report("attribution", model="last_touch", **{"from": "2026-01-01", "to": "2026-02-28"})
    got = {r["channel"]: r for r in result["channels"]}
    assert got["event"]["leads"] == 1.0 and got["event"]["won_revenue"] == 0.0
    assert got["sem"]["won_revenue"] == 100.0 and got["sem"]["leads"] == 0.0


def test_position_weights_sum_to_one():
    for n in range(1, 9):
        w = weights(np.arange(n), np.full(n, n), "position_based")
        assert w.sum() == pytest.approx(1.0)
    assert list(weights(np.arange(4), np.full(4, 4), "position_based")) == pytest.approx([0.4, 0.1, 0.1, 0.4])


def test_unknown_model_is_refused(ws):
    with pytest.raises(Exception, match="model"):
        ws.report("attribution", model="u_shaped", **{"from": "2026-01-01", "to": "2026-01-31"})


def test_a_duplicate_leads_touches_join_the_merged_path(ws):
    seed(ws)
    with ws.store.write(touched=["leads"]) as session:
        from b2bgrowth.leads.models import Lead
        session.get(Lead, "LA").phone = "13800000000"
    # LA2 is LA again (+86 phone); its touch T6 (Jan 10, campaign CE → event) is the last before OA closes
    put(ws, "Lead", {"lead_id": "LA2", "created_at": dt("2026-01-07 09:00"), "channel": "sem", "status": "new",
                     "phone": "+86 138-0000-0000"})
    put(ws, "Touch", {"touch_id": "T6", "at": dt("2026-01-10 10:00"), "kind": "event", "lead_id": "LA2",
                      "campaign_id": "CE"})
    result = ws.report("attribution", model="last_touch", **{"from": "2026-01-01", "to": "2026-01-31"})
    got = {r["channel"]: r for r in result["channels"]}
    assert got["event"]["won_revenue"] == 100.0 and got["event"]["leads"] == 1.0
    assert sum(r["leads"] for r in got.values()) == pytest.approx(2)  # LA2 is not a third lead
    linear = ws.report("attribution", model="linear", **{"from": "2026-01-01", "to": "2026-01-31"})
    shares = {r["channel"]: r["won_revenue"] for r in linear["channels"]}
    assert shares == pytest.approx({"event": 40.0, "sem": 40.0, "content": 20.0, "seo": 50.0})  # 5 touches: E S C S E
