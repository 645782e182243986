"""Difference-in-differences recovers a planted effect; the parallel-trends check catches a drift."""

from __future__ import annotations

from datetime import timedelta

import pytest

from b2bgrowth.experiments.did import did
from b2bgrowth.experiments.schemas import ExperimentError

from .planted import CAMPAIGN_START as S
from .planted import add_accounts, planted_campaign

PRE = (S - timedelta(days=56), S)
POST = (S, S + timedelta(days=28))


def test_recovers_planted_effect_with_parallel_trends(ws):
    treated = planted_campaign(ws, effect=0.5)
    result = did(ws, treated, "login", PRE, POST, k=3)
    assert result["treated_units"] == len(treated)
    assert result["ci_low"] < 0.5 < result["ci_high"]  # true effect: +0.5 logins per account per day
    assert result["p_value"] < 1e-6
    trends = result["parallel_trends"]
    assert len(trends["pre_periods"]) == 4 and trends["p_value"] > 0.01 and trends["warning"] is None
    # every treated account has 3 untreated controls
    assert all(len(m["controls"]) == 3 and m["unit_id"] not in m["controls"] for m in result["matched"])
    assert not set(c for m in result["matched"] for c in m["controls"]) & set(treated)


def test_no_effect_gives_an_interval_around_zero(ws):
    treated = planted_campaign(ws, effect=0.0, seed=5)
    result = did(ws, treated, "login", PRE, POST)
    assert result["ci_low"] < 0 < result["ci_high"]
    assert result["ci_high"] - result["ci_low"] < 0.2


def test_diverging_pre_trends_are_flagged(ws):
    treated = planted_campaign(ws, effect=0.5, diverge=0.3)
    trends = did(ws, treated, "login", PRE, POST)["parallel_trends"]
    assert trends["p_value"] < 0.001 and "trends differ" in trends["warning"]
    gaps = [p["gap"] for p in trends["pre_periods"]]
    assert gaps == sorted(gaps)  # the treated pull away period after period


def test_campaign_id_selects_touched_accounts(ws):
    from b2bgrowth.leads.models import Touch

    treated = planted_campaign(ws, effect=0.5)
    with ws.store.write(touched=["touches"]) as session:
        for i, account in enumerate(treated):
            session.add(Touch(touch_id=f"T{i}", at=S, kind="campaign", account_id=account, campaign_id="free-sample"))
    result = did(ws, "free-sample", "login", PRE, POST)
    assert result["treated_units"] == len(treated) and result["ci_low"] < 0.5 < result["ci_high"]
    with pytest.raises(ExperimentError, match="no account was touched"):
        did(ws, "nothing", "login", PRE, POST)


def test_bad_windows_and_ids(ws):
    treated = add_accounts(ws, tiers={"A": 10})[:4]
    with pytest.raises(ExperimentError, match="pre/post"):
        did(ws, treated, "login", POST, PRE)
    with pytest.raises(ExperimentError, match="unknown account"):
        did(ws, ["nope", "nada"], "login", PRE, POST)
    with pytest.raises(ExperimentError, match="pre_periods"):
        did(ws, treated, "login", PRE, POST, pre_periods=1)
    with pytest.raises(ExperimentError, match="k: at least 1"):
        did(ws, treated, "login", PRE, POST, k=0)
    # windows may be ISO strings too
    result = did(ws, treated, "login", ("2026-03-06", "2026-05-01"), ("2026-05-01", "2026-05-29"), k=2)
    assert result["effect"] == 0 and result["ci_low"] is None  # no events at all: no interval
