"""Cohort matrix and LTV/CAC (hand-computed)."""

from __future__ import annotations

from datetime import date

import pytest

from b2bgrowth.channels.models import Channel, ChannelCost
from tests.revenue.helpers import seed

ACCOUNTS = [{"account_id": a} for a in ("P", "Q", "R")]
SUBSCRIPTIONS = [
    ("p", "P", "X", 100, "2024-01-05", None),             # Jan cohort, stays
    ("q", "Q", "X", 200, "2024-01-20", "2024-03-10"),     # Jan cohort, churns in March
    ("r", "R", "X", 50, "2024-02-03", "2024-03-05"),      # Feb cohort, expands to 100 in March
    ("r", "R", "X", 100, "2024-03-05", None),
]


def test_cohort_retention_matrix(ws):
    seed(ws, ACCOUNTS, SUBSCRIPTIONS)
    cohorts = ws.report("cohorts", **{"from": "2024-01-01", "to": "2024-04-30"})["cohorts"]
    jan, feb = cohorts
    assert (jan["cohort"], jan["segment"], jan["customers"], jan["mrr"]) == ("2024-01", "all", 2, 300.0)
    assert [(c["offset"], c["logo"], c["revenue"]) for c in jan["retention"]] == [
        (0, 1.0, 1.0), (1, 1.0, 1.0), (2, 0.5, pytest.approx(1 / 3, abs=1e-6)), (3, 0.5, pytest.approx(1 / 3, abs=1e-6))]
    assert (feb["cohort"], feb["customers"], feb["mrr"]) == ("2024-02", 1, 50.0)
    assert [(c["offset"], c["logo"], c["revenue"]) for c in feb["retention"]] == [(0, 1.0, 1.0), (1, 1.0, 2.0), (2, 1.0, 2.0)]


def test_ltv_cac_and_payback(ws):
    seed(ws, ACCOUNTS, SUBSCRIPTIONS)
    with ws.store.write(touched=["channels", "channel_costs"]) as session:
        session.add(Channel(channel_id="sem", name="SEM", kind="sem"))
        session.flush()
        session.add(ChannelCost(channel_id="sem", date=date(2024, 2, 10), cost=3000))
    rows = ws.report("ltv", period="month", **{"from": "2024-01-01", "to": "2024-04-30"})["periods"]
    jan, feb, mar, apr = rows
    assert jan["customer_churn_rate"] is None and jan["ltv"] is None  # nobody paying at the start
    # February: churn 0 (P, Q stay) -> LTV undefined; CAC = 3000 / 1 new customer (R).
    assert feb["customer_churn_rate"] == 0.0 and feb["ltv"] is None
    assert feb["arpa"] == pytest.approx(350 / 3, abs=1e-4) and feb["cac"] == 3000.0
    assert feb["cac_payback_months"] == pytest.approx(3000 / (350 / 3), abs=1e-3)
    # March: logo churn 1/3 (Q of P, Q, R); trailing mean of 0 and 1/3; ARPA = 200 / 2.
    assert mar["customer_churn_rate"] == pytest.approx(1 / 6, abs=1e-6)
    assert mar["ltv"] == pytest.approx(600.0, abs=0.01)
    assert mar["cac"] is None and mar["ltv_cac"] is None  # no costs in March
    assert apr["customer_churn_rate"] == pytest.approx(1 / 9, abs=1e-6)  # mean of 0, 1/3, 0
