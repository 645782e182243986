"""health_at and the `health` report on the planted company (conftest.plant), both stores."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from b2bgrowth.success.health import health_at
from b2bgrowth.success.scorecards import versions
from b2bgrowth.success.scorecards.default import DEFAULT_DEFINITION
from b2bgrowth.success.scorecards.definition import DefinitionError

from .planted_health import AS_OF

ONE_MEASURE = [{"name": "Usage", "weight": 1, "measures": [
    {"measure": "seats", "signal": "seat_utilisation", "good": 0.5, "poor": 0.1}]}]


def by_account(frame: pd.DataFrame) -> dict:
    return {row["account_id"]: row for row in frame.to_dict("records")}


def test_health_on_planted_company_by_hand(planted):
    h = by_account(health_at(planted, AS_OF))
    assert sorted(h) == ["H1", "H2", "H3"]  # H4 churned before AS_OF: not paying, not scored
    # H1: seats 7/10 = 0.7 good, breadth 5 good, trend 35/3 − 1 = +10.7 → linear clipped 100, NPS 100 good,
    #     0 tickets good, 184 days to renewal good → 100.0
    assert (h["H1"]["health_score"], h["H1"]["health_color"]) == (100.0, "green")
    # H2: 2/10 = 0.2 poor, 1 feature poor, trend null (no previous events) left out, NPS none left out,
    #     6 tickets > 5 poor, 32 days < 60 poor → 0.0 red
    assert (h["H2"]["health_score"], h["H2"]["health_color"]) == (0.0, "red")
    # H3: no seats (utilisation null), breadth 0 poor, trend/NPS/renewal null; tickets 0 good.
    #     present weights 13.333 (breadth) + 15 (tickets) → 15×100 / 28.333 = 52.94 → 52.9 yellow
    assert (h["H3"]["health_score"], h["H3"]["health_color"]) == (52.9, "yellow")
    missing = [m["measure"] for m in h["H3"]["measures"] if m["missing"]]
    assert missing == ["seats", "trend", "nps", "renewal"]
    assert all(row["scorecard_id"] == "default" and row["scorecard_version"] == 0 for row in h.values())


def test_trend_is_score_minus_score_30_days_earlier(planted):
    h = by_account(health_at(planted, AS_OF))
    # H1 as of 2024-05-31: 3 users/10 = 0.3 average 50 (26.667), 1 feature poor (13.333), trend null,
    #   NPS 100 (one 9 on 05-01) good (15), tickets good (15), 214 days good (10):
    #   (26.667×50 + 15×100 + 15×100 + 10×100) / 80 = 66.67 → 66.7; trend 100 − 66.7 = +33.3
    assert h["H1"]["health_trend"] == pytest.approx(33.3)
    # H2 as of 2024-05-31 (paying since 05-01): 0 users poor, 0 features poor, tickets 0 good,
    #   62 days average: (15×100 + 10×50) / 65 = 30.77 → 30.8; trend 0 − 30.8 = −30.8
    assert h["H2"]["health_trend"] == pytest.approx(-30.8)


def test_point_in_time_later_data_changes_nothing(planted):
    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.voc.models import NpsResponse

    before = planted.report("health", as_of=AS_OF)
    with planted.store.write(touched=["subscriptions", "nps_responses"]) as s:
        s.add(Subscription(subscription_id="T9", account_id="H2", product="P", mrr=900, currency="CNY", seats=50,
                           start_date=date(2024, 7, 1), end_date=None))
        s.add(NpsResponse(response_id="HN9", at=datetime(2024, 7, 1, 0, 0), account_id="H2", score=0))
    planted.events.ingest([{"event_id": f"late-{i}", "ts": datetime(2024, 7, 1, 0, 0, i).isoformat(),
                            "account_id": "H2", "user_id": f"late{i}", "event": f"feature{i}"} for i in range(9)])
    after = planted.report("health", as_of=AS_OF)
    assert after == before
    # … while as of the later day the new data shows
    later = by_account(health_at(planted, date(2024, 7, 1)))
    assert later["H2"]["health_score"] != 0.0


def test_versions_each_save_is_new_and_latest_is_live(planted):
    assert versions.get(planted, "default").version == 0  # built-in until saved
    first = versions.save(planted, {**DEFAULT_DEFINITION, "note": "first edit"}, by="admin")
    second = versions.save(planted, {**DEFAULT_DEFINITION, "groups": ONE_MEASURE, "note": "only seats"}, by="ops")
    assert (first.version, second.version) == (1, 2)
    assert versions.get(planted, "default").version == 2
    old = versions.get(planted, "default", 1)
    assert old.created_by == "admin" and len(old.definition.groups) == 5 and old.definition.note == "first edit"
    assert [h["version"] for h in versions.history(planted, "default")] == [2, 1, 0]
    assert versions.history(planted, "default")[0]["created_by"] == "ops"
    # the health figures name the version used: seats only, H1 0.7 ≥ 0.5 good → 100; H2 0.2 average → 50;
    # H3 no seats → nothing present → no score, no colour
    h = by_account(health_at(planted, AS_OF))
    assert {k: (v["health_score"], v["scorecard_version"]) for k, v in h.items() if k != "H3"} == \
        {"H1": (100.0, 2), "H2": (50.0, 2)}
    assert pd.isna(h["H3"]["health_score"]) and h["H3"]["health_color"] is None
    with pytest.raises(versions.UnknownScorecard):
        versions.get(planted, "default", 7)


def test_invalid_definition_is_not_saved(planted):
    with pytest.raises(DefinitionError, match="groups.0.weight"):
        versions.save(planted, {**DEFAULT_DEFINITION, "groups": [{**ONE_MEASURE[0], "weight": -1}]}, by="admin")
    assert versions.history(planted, "default") == [
        {"version": 0, "name": "Default", "created_at": None, "created_by": "built-in", "note": None}]


def test_assignment_by_tier_and_stage_through_the_store(planted):
    versions.save(planted, {"scorecard_id": "ka", "name": "Key accounts", "applies_to": {"tiers": ["KA"]},
                            "groups": ONE_MEASURE}, by="admin")
    versions.save(planted, {"scorecard_id": "new-smb", "name": "Onboarding SMB",
                            "applies_to": {"tiers": ["SMB"], "stages": ["onboarding"]},
                            "groups": ONE_MEASURE, "colors": {"green": 40, "yellow": 20}}, by="admin")
    h = by_account(health_at(planted, AS_OF))
    assert (h["H1"]["scorecard_id"], h["H1"]["scorecard_version"]) == ("ka", 1)
    # H2 is SMB and onboarding (60 days since first payment): 0.2 → average 50 → green under green ≥ 40
    assert (h["H2"]["scorecard_id"], h["H2"]["health_score"], h["H2"]["health_color"]) == ("new-smb", 50.0, "green")
    assert h["H2"]["base_stage"] == "onboarding"
    assert h["H3"]["scorecard_id"] == "default"


def test_hand_built_signals_frame(ws):
    """health_at on a frame the caller built (no events or subscriptions needed)."""
    signals = pd.DataFrame([
        {"account_id": "Z1", "tier": "KA", "base_stage": "mature", "seat_utilisation": 0.65, "breadth_30d": 6,
         "usage_trend_30d": 0.0, "nps_365": 10, "support_tickets_30d": 2, "days_to_renewal": 90},
    ])
    previous = signals.assign(seat_utilisation=0.1)
    row = health_at(ws, AS_OF, signals, previous_signals=previous).iloc[0]
    # seats good 100 (26.667), breadth good 100 (13.333), trend 0 → (0+0.5)/0.6 = 83.33 (20), NPS 10 average 50 (15),
    # 2 tickets average 50 (15), 90 days average 50 (10): (2666.7 + 1333.3 + 1666.7 + 750 + 750 + 500) / 100 = 76.7
    assert row.health_score == 76.7 and row.health_color == "green"
    # 30 days earlier seats were poor: 76.7 − 26.667 = 50.0 → trend +26.7
    assert row.health_trend == pytest.approx(26.7)


def test_report_contract_fields(planted):
    report = planted.report("health", as_of=AS_OF)
    assert report["as_of"] == AS_OF
    assert [a["account_id"] for a in report["accounts"]] == ["H1", "H2", "H3"]
    for a in report["accounts"]:
        assert {"account_id", "health_score", "health_color", "churn_risk", "measures", "reasons"} <= set(a)
        assert 0 <= a["churn_risk"] <= 1 and isinstance(a["reasons"], list)
        assert a["scorecard"] == "default" and a["version"] == 0
    h1 = report["accounts"][0]
    assert (h1["name"], h1["tier"], h1["owner"], h1["arr"], h1["lifecycle_stage"]) == \
        ("Health One", "KA", "csm", 12000.0, "mature")
    # H2 is red, so its stage is at_risk whatever its base stage
    assert report["accounts"][1]["lifecycle_stage"] == "at_risk"
