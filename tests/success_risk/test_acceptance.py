"""Acceptance: on the demo company (churners' usage fades for 120 days before their contract
ends), the learned churn risk ranks churners well on later snapshots than it was trained on, and
beats health alone; the trained model is point-in-time. SQLite only: the store kind does not
change the model, and generating the company is the slow part (~20 s)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from b2bgrowth.demo.generator import DEMO_TODAY, generate_company
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.success.renewals import renewals
from b2bgrowth.success.risk import risk_at


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory):
    from b2bgrowth.settings import Settings
    from b2bgrowth.workspace import Workspace

    ws = Workspace(Settings(data_dir=tmp_path_factory.mktemp("demo") / "data", secret_key="test-secret-key-0123456789"))
    generate_company(ws, size="S", seed=7, events=60_000)
    yield ws
    ws.close()


def test_model_ranks_churners_and_beats_health_alone(demo_ws, record_property):
    report = demo_ws.report("churn-model", as_of=DEMO_TODAY)
    assert report["status"] == "trained", report["message"]
    bt = report["backtest"]
    model, rule, health = bt["test"]["auc"], bt["fallback"]["auc"], bt["health"] and bt["health"]["auc"]
    line = (f"churn model backtest (cut {bt['cut']}, {bt['test']['examples']} renewals, base rate "
            f"{bt['test']['base_rate']}): AUC model {model}, fallback rule {rule}, health alone {health}; "
            f"precision in the riskiest decile {bt['test']['top_decile_precision']}")
    print("\n" + line)
    record_property("churn_backtest", line)
    assert model > 0.75
    assert health is None or model > health
    assert model > rule - 0.02  # the model is stacked on the rule: never materially worse
    assert bt["test"]["top_decile_precision"] > 2 * bt["test"]["base_rate"]
    cal = bt["test"]["calibration"]
    assert sum(c["examples"] for c in cal) == bt["test"]["examples"]


def test_trained_model_is_point_in_time(demo_ws):
    as_of = date(2026, 6, 30)
    before_risk = risk_at(demo_ws, as_of)
    assert set(before_risk["method"]) == {"model"}
    before_renewals = renewals(demo_ws, as_of, 90)
    account = before_risk["account_id"].iloc[0]
    with demo_ws.store.write(touched=["subscriptions"]) as session:
        session.add(Subscription(subscription_id="LATE-1", account_id=account, product="late", mrr=999,
                                 start_date=date(2026, 7, 1), end_date=date(2026, 8, 1), currency="CNY"))
    demo_ws.events.ingest([{"event_id": f"late-{i}", "ts": datetime(2026, 7, 2, 10, i), "account_id": account,
                            "user_id": "u-late", "event": "support_ticket"} for i in range(5)])
    after_risk = risk_at(demo_ws, as_of)  # the subscriptions revision moved: the model is refitted
    assert after_risk.to_dict("records") == before_risk.to_dict("records")
    assert renewals(demo_ws, as_of, 90) == before_renewals
