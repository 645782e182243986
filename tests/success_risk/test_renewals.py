"""Renewal windows, the quarter forecast by hand, and the point-in-time rule (both stores).

No events anywhere → the fallback rule gives every account the intercept (risk 1/(1+e^2.5) =
0.0759) except a detractor (+1.0 → 1/(1+e^1.5) = 0.1824); too little history → method fallback.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from b2bgrowth.accounts.models import Account
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.success.renewals import quarter_windows, renewal_forecast, renewals
from b2bgrowth.success.risk import risk_at
from b2bgrowth.voc.models import NpsResponse
from tests.revenue.helpers import seed

D = date(2024, 6, 30)
HEALTHY = round(1 / (1 + math.exp(2.5)), 4)     # 0.0759
DETRACTOR = round(1 / (1 + math.exp(1.5)), 4)   # 0.1824


def planted(ws):
    accounts = [{"account_id": a, "owner": o} for a, o in (("A", "ann"), ("B", "bob"), ("C", "ann"), ("D", "bob"))]
    seed(ws, accounts, [
        # sub, account, product, mrr, start, end
        ("S-A", "A", "X", 100, "2023-06-30", "2024-06-30"),   # due exactly D: not in (D, D+N]
        ("S-A2", "A", "X", 100, "2024-06-30", "2024-09-28"),  # due D+90 = 2024-09-28: included (N=90)
        ("S-B", "B", "X", 200, "2023-07-01", "2024-07-01"),   # due D+1: included
        ("S-C", "C", "X", 300, "2023-09-29", "2024-09-29"),   # due D+91: excluded at N=90
        ("S-D", "D", "X", 50, "2023-12-01", None),            # ongoing: never due
    ])
    with ws.store.write(touched=["nps_responses"]) as session:
        session.add(NpsResponse(response_id="n1", at=datetime(2024, 6, 10), account_id="B", score=3))


def test_window_boundaries(ws):
    planted(ws)
    due = renewals(ws, D, 90)
    assert [(r["account_id"], r["subscription_id"], r["due_date"]) for r in due] == [
        ("B", "S-B", "2024-07-01"), ("A", "S-A2", "2024-09-28")]
    b, a = due
    assert b["arr"] == 2400.0 and a["arr"] == 1200.0           # MRR × 12
    assert b["churn_risk"] == DETRACTOR and a["churn_risk"] == HEALTHY
    assert b["likelihood_to_renew"] == round(1 - DETRACTOR, 4)
    assert (b["owner"], a["owner"]) == ("bob", "ann")
    assert [r["account_id"] for r in renewals(ws, D, 91)] == ["B", "A", "C"]
    report = ws.report("renewals", as_of=D, days=90)
    assert [r["subscription_id"] for r in report["renewals"]] == ["S-B", "S-A2"]
    assert set(report["renewals"][0]) >= {"account_id", "subscription_id", "due_date", "arr", "health_score",
                                          "churn_risk", "likelihood_to_renew", "owner"}


def test_quarter_windows():
    assert quarter_windows(D, 3) == [("2024Q3", date(2024, 7, 1), date(2024, 9, 30)),
                                     ("2024Q4", date(2024, 10, 1), date(2024, 12, 31)),
                                     ("2025Q1", date(2025, 1, 1), date(2025, 3, 31))]
    assert quarter_windows(date(2024, 8, 15), 1) == [("2024Q3", date(2024, 8, 16), date(2024, 9, 30))]


def test_forecast_by_hand(ws):
    planted(ws)
    out = renewal_forecast(ws, D, quarters=2, grace=30)
    q3, q4 = out["quarters"]
    # Q3 2024 (Jul 1 – Sep 30): B 2400 (likelihood 1 − 0.1824), A 1200 and C 3600 (1 − 0.0759 each).
    due = 2400 + 1200 + 3600
    expected = 2400 * (1 - DETRACTOR) + (1200 + 3600) * (1 - HEALTHY)   # 1962.24 + 4435.68 = 6397.92
    assert q3["contracts"] == 3 and q3["arr_due"] == due
    assert q3["expected_renewed_arr"] == pytest.approx(round(expected, 2))
    # History: A's chain S-A was due 2024-06-30 … but due + grace > D, so no renewal is known yet:
    # both ratios 1.0 and the forecast GRR = NRR = expected ÷ due.
    assert out["history"] == {"renewed_contracts": 0, "gross_ratio": 1.0, "net_ratio": 1.0}
    assert q3["forecast_grr"] == pytest.approx(round(expected / due, 4))
    assert q3["forecast_nrr"] == q3["forecast_grr"]
    assert q4 == {"quarter": "2024Q4", "from": "2024-10-01", "to": "2024-12-31", "contracts": 0, "arr_due": 0.0,
                  "expected_renewed_arr": 0.0, "expected_churned_arr": 0.0, "forecast_grr": None,
                  "forecast_nrr": None}


def test_forecast_ratios_from_renewals_known(ws):
    planted(ws)
    # As of 2024-08-15: S-A (due 06-30) renewed by S-A2 at the same 100 (gross = net = 1);
    # B (due 07-01) renewed at 250 from 07-10: +25 % net, capped at 100 % gross.
    with ws.store.write(touched=["subscriptions"]) as session:
        session.add(Subscription(subscription_id="S-B2", account_id="B", product="X", mrr=250,
                                 start_date=date(2024, 7, 10), end_date=None, currency="CNY"))
    out = renewal_forecast(ws, date(2024, 8, 15), quarters=1, grace=30)
    # Known chains due in the year up to 08-15 − 30 = 07-16: S-A (100 → 100), S-B (200 → 250).
    # gross = (100 + 200) / 300 = 1.0; net = (100 + 250) / 300 = 1.1667
    assert out["history"] == {"renewed_contracts": 2, "gross_ratio": 1.0, "net_ratio": 1.1667}
    q = out["quarters"][0]
    # Q3 remainder (Aug 16 – Sep 30): A's S-A2 1200 and C 3600, healthy likelihood 0.9241
    assert q["arr_due"] == 4800.0
    assert q["forecast_nrr"] == pytest.approx(round(4800 * (1 - HEALTHY) * 1.1667 / 4800, 4), abs=1e-4)


def test_point_in_time(ws):
    planted(ws)
    before = (renewals(ws, D, 180), renewal_forecast(ws, D), risk_at(ws, D).to_dict("records"))
    with ws.store.write(touched=["accounts", "subscriptions", "nps_responses"]) as session:
        session.add(Account(account_id="E", name="E"))
        session.flush()
        session.add(Subscription(subscription_id="S-E", account_id="E", product="X", mrr=70,
                                 start_date=date(2024, 7, 1), end_date=date(2024, 8, 1), currency="CNY"))
        session.add(Subscription(subscription_id="S-C2", account_id="C", product="X", mrr=90,
                                 start_date=date(2024, 9, 29), end_date=None, currency="CNY"))
        session.add(NpsResponse(response_id="n2", at=datetime(2024, 7, 1), account_id="A", score=0))
    ws.events.ingest([{"event_id": "late-1", "ts": "2024-07-01T09:00:00", "account_id": "A", "user_id": "u1",
                       "event": "support_ticket"}])
    after = (renewals(ws, D, 180), renewal_forecast(ws, D), risk_at(ws, D).to_dict("records"))
    assert after == before


def test_bad_params_are_clear(ws):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="days"):
        ws.report("renewals", as_of=D, days=0)
