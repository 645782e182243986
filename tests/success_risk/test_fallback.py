"""The fallback rule, computed by hand (formula in b2bgrowth/success/risk/fallback.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from b2bgrowth.success.risk.fallback import fallback_risk


def signals(**columns):
    base = {"account_id": ["A"], "usage_trend_30d": [np.nan], "seat_utilisation": [np.nan],
            "days_since_active": [np.nan], "events_30d": [0], "events_prev_30d": [0], "detractors_90d": [0],
            "nps_last": [np.nan], "support_tickets_30d": [0]}
    base.update({k: [v] if not isinstance(v, list) else v for k, v in columns.items()})
    return pd.DataFrame(base)


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_healthy_account_sits_at_the_intercept():
    out = fallback_risk(signals(usage_trend_30d=0.1, seat_utilisation=0.8, days_since_active=0, events_30d=50,
                                events_prev_30d=45, nps_last=9))
    # every term 0 → logit −2.5 → 1/(1+e^2.5) = 0.0759
    assert out.loc[0, "churn_risk"] == pytest.approx(round(sigmoid(-2.5), 4))
    assert out.loc[0, "reasons"] == []
    assert out.loc[0, "method"] == "fallback"


def test_declining_account_by_hand():
    out = fallback_risk(signals(usage_trend_30d=-0.45, seat_utilisation=0.2, days_since_active=15, events_30d=11,
                                events_prev_30d=20, detractors_90d=1, nps_last=3, support_tickets_30d=2))
    # usage_decline 0.45×2.0 = 0.9; low_seat_use (0.5−0.2)/0.5 = 0.6 ×1.5 = 0.9; inactive 15/30 = 0.5 ×1.0 = 0.5;
    # detractor 1×1.0 = 1.0; support 2/5 = 0.4 ×0.8 = 0.32 → logit −2.5 + 3.62 = 1.12 → 0.7540
    assert out.loc[0, "churn_risk"] == pytest.approx(round(sigmoid(1.12), 4))
    # top three: detractor 1.0, then the two 0.9 ties in column order (usage before seats)
    assert out.loc[0, "reasons"] == ["1 detractor NPS response(s) in 90 days", "usage down 45% in 30 days",
                                     "seat utilisation 20%"]


def test_no_usage_counts_only_when_the_workspace_records_usage():
    frame = signals(account_id=["A", "B"], usage_trend_30d=[np.nan, 0.0], seat_utilisation=[np.nan, np.nan],
                    days_since_active=[np.nan, 1], events_30d=[0, 10], events_prev_30d=[0, 10],
                    detractors_90d=[0, 0], nps_last=[np.nan, np.nan], support_tickets_30d=[0, 0])
    out = fallback_risk(frame)
    # A: inactive capped at 2 → logit −0.5; B: 1/30 day inactive → −2.5 + 0.0333
    assert out.loc[0, "churn_risk"] == pytest.approx(round(sigmoid(-0.5), 4))
    assert out.loc[0, "reasons"] == ["no recorded usage"]
    assert out.loc[1, "churn_risk"] == pytest.approx(round(sigmoid(-2.5 + 1 / 30), 4))
    # A workspace with no usage data at all: nobody is penalised for it.
    alone = fallback_risk(frame.iloc[[0]])
    assert alone.loc[0, "churn_risk"] == pytest.approx(round(sigmoid(-2.5), 4))


def test_empty_frame():
    out = fallback_risk(signals().iloc[0:0])
    assert list(out.columns) == ["account_id", "churn_risk", "reasons", "method"] and out.empty


def test_never_used_account_alone_scores_as_in_the_whole_frame():
    # B never sent an event; A did, so the workspace records usage: B's inactive term is 2
    # → logit −2.5 + 2×1.0 = −0.5 → 0.3775, whether B is scored with A or alone (account 360).
    both = signals(account_id=["A", "B"], days_since_active=[3, np.nan], events_30d=[40, 0], events_prev_30d=[40, 0],
                   usage_trend_30d=[0.0, np.nan], seat_utilisation=[np.nan, np.nan], detractors_90d=[0, 0],
                   nps_last=[np.nan, np.nan], support_tickets_30d=[0, 0], usage_recorded=[True, True])
    whole = fallback_risk(both).set_index("account_id")
    alone = fallback_risk(both.iloc[[1]].reset_index(drop=True)).set_index("account_id")
    assert whole.loc["B", "churn_risk"] == alone.loc["B", "churn_risk"] == pytest.approx(round(sigmoid(-0.5), 4))
    assert whole.loc["B", "reasons"] == alone.loc["B", "reasons"] == ["no recorded usage"]
    # Without the usage_recorded signal a frame is judged by itself: B alone shows no usage anywhere,
    # so its inactive term is 0 → the intercept, 0.0759.
    bare = both.drop(columns="usage_recorded")
    assert fallback_risk(bare.iloc[[1]].reset_index(drop=True)).loc[0, "churn_risk"] == pytest.approx(
        round(sigmoid(-2.5), 4))
    assert fallback_risk(bare).set_index("account_id").loc["B", "churn_risk"] == pytest.approx(round(sigmoid(-0.5), 4))
    # A workspace with no usage recorded by the day: nobody is penalised for "never used".
    none_yet = both.assign(usage_recorded=[False, False])
    assert fallback_risk(none_yet).set_index("account_id").loc["B", "churn_risk"] == pytest.approx(
        round(sigmoid(-2.5), 4))
