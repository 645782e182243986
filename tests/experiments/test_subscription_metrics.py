"""Subscription metrics: MRR change and renewal per unit, with currency conversion, by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.analysis import analyze
from b2bgrowth.experiments.assignment import stored_assignments
from b2bgrowth.experiments.schemas import ExperimentCreate
from b2bgrowth.revenue.models import ExchangeRate, Subscription

from .planted import START, add_accounts

D0 = START.date()


def test_mrr_change_and_renewal(ws):
    add_accounts(ws, tiers={"A": 4})
    with ws.store.write(touched=["subscriptions", "exchange_rates"]) as session:
        session.add(ExchangeRate(currency="USD", rate=7.0))
        session.add_all([
            # ACC00001: 100/month all along             → change 0,    still paying
            Subscription(subscription_id="S1", start_date=D0 - timedelta(days=60), account_id="ACC00001", mrr=100, currency="CNY"),
            # ACC00002: 100 until day 10 (churn)         → change −100, not paying
            Subscription(subscription_id="S2", start_date=D0 - timedelta(days=60), end_date=D0 + timedelta(days=10),
                         account_id="ACC00002", mrr=100, currency="CNY"),
            # ACC00003: 100 + an add-on of 10 USD × 7 from day 5 → change +70, paying
            Subscription(subscription_id="S3", start_date=D0 - timedelta(days=60), account_id="ACC00003", mrr=100, currency="CNY"),
            Subscription(subscription_id="S4", start_date=D0 + timedelta(days=5), account_id="ACC00003", mrr=10, currency="USD"),
            # ACC00004: never paid                       → change 0,    not paying
        ])
    registry.create_experiment(ws, ExperimentCreate(
        key="subs", stratify_by=None,
        metrics={"primary": [{"name": "mrr_change", "type": "mean", "source": "mrr_change", "window_days": 30}],
                 "secondary": [{"name": "paying", "type": "proportion", "source": "renewal", "window_days": 30}]},
    ), by="t")
    registry.start(ws, "subs", at=START)
    variant = {a["unit_id"]: a["variant"] for a in stored_assignments(ws, "subs")}
    change = {"ACC00001": 0.0, "ACC00002": -100.0, "ACC00003": 70.0, "ACC00004": 0.0}
    paying = {"ACC00001": 1.0, "ACC00002": 0.0, "ACC00003": 1.0, "ACC00004": 0.0}
    result = analyze(ws, "subs", as_of=START + timedelta(days=40), segments=False)
    assert result["units"]["by_variant"] == {"control": 2, "treatment": 2}  # blocked: 2 + 2
    for block, truth in (("mrr_change", change), ("paying", paying)):
        means = {v["name"]: v["mean"] for v in next(b for b in result["metrics"] if b["metric"] == block)["variants"]}
        for name in ("control", "treatment"):
            expected = sum(truth[u] for u, v in variant.items() if v == name) / 2
            assert means[name] == pytest.approx(expected), (block, name)
