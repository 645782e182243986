"""analyze(): a planted experiment with a known effect, CUPED, SRM, segments, ratio metrics, ROI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.analysis import _ratio_arm, analyze
from b2bgrowth.experiments.models import ExperimentAssignment
from b2bgrowth.experiments.schemas import ExperimentError, ExperimentUpdate, MetricSet

from .planted import START, planted_experiment

AS_OF = START + timedelta(days=31)


def _block(result, name):
    return next(b for b in result["metrics"] if b["metric"] == name)


def test_known_effect_recovered_and_cuped_narrows(ws):
    truth = planted_experiment(ws, effect=2.0)
    exp = registry.get_experiment(ws, "onboarding")
    # the same metric without CUPED, to compare interval widths on the same data
    metrics = exp.metrics.model_dump()
    metrics["secondary"].append({"name": "logins_raw", "type": "count", "events": ["login"], "window_days": 30, "cuped": False})
    registry.update_experiment(ws, "onboarding", ExperimentUpdate(metrics=MetricSet.model_validate(metrics),
                                                                  roi={"metric": "logins", "cost_per_treated_unit": 10.0}))
    result = analyze(ws, "onboarding", as_of=AS_OF)

    assert result["units"] == {"total": 600, "by_variant": {"control": 300, "treatment": 300}}
    assert result["srm_p_value"] == pytest.approx(1.0) and result["srm_warning"] is None
    logins = _block(result, "logins")
    assignments = {r.unit_id: r.variant for r in _rows(ws)}
    for v in logins["variants"]:  # per-variant sums equal the planted post counts
        assert v["sum"] == sum(post for unit, (_, post) in truth.items() if assignments[unit] == v["name"])
        assert v["mean"] == pytest.approx(v["sum"] / 300)
    (cuped,) = logins["results"]
    (raw,) = _block(result, "logins_raw")["results"]
    assert cuped["cuped"] and cuped["theta"] > 0.5 and not raw["cuped"]
    assert cuped["ci_low"] < 2.0 < cuped["ci_high"]
    assert raw["ci_low"] < 2.0 < raw["ci_high"]
    assert cuped["ci_high"] - cuped["ci_low"] < 0.7 * (raw["ci_high"] - raw["ci_low"])
    assert cuped["verdict"] == "better" and cuped["p_value"] < 1e-6
    # the unadjusted effect is exactly the difference of means
    means = {v["name"]: v["mean"] for v in logins["variants"]}
    assert raw["effect"] == pytest.approx(means["treatment"] - means["control"], abs=1e-12)
    # Holm over 4 p-values: the smallest is multiplied by 4
    family = sorted(r["p_value"] for b in result["metrics"] for r in b["results"])
    assert min(r["p_value_holm"] for b in result["metrics"] for r in b["results"]) == pytest.approx(min(1.0, 4 * family[0]))
    # segments: one row per tier for the primary metric; tier A has 20 per arm → warned
    tiers = {s["value"]: s for s in logins["segments"] if s["by"] == "tier"}
    assert {k: v["n"] for k, v in tiers.items()} == {"A": 40, "B": 150, "C": 410}
    assert tiers["A"]["warning"] and tiers["C"]["warning"] is None
    # ROI: logins have no money value → a note; give them one
    assert "value_per_unit" in result["roi"]["note"]


def test_roi(ws):
    planted_experiment(ws, effect=2.0)
    metrics = registry.get_experiment(ws, "onboarding").metrics.model_dump()
    metrics["primary"][0]["value_per_unit"] = 50.0
    registry.update_experiment(ws, "onboarding", ExperimentUpdate(metrics=MetricSet.model_validate(metrics)))
    result = analyze(ws, "onboarding", as_of=AS_OF, segments=False)
    effect = _block(result, "logins")["results"][0]["effect"]
    (roi,) = result["roi"]["variants"]
    # incremental = effect × 50 per login × 300 treated; cost = 10 × 300 = 3000
    assert roi["incremental_value"] == pytest.approx(effect * 50 * 300)
    assert roi["cost"] == 3000 and roi["net"] == pytest.approx(effect * 15000 - 3000)
    assert roi["roi"] == pytest.approx((effect * 15000 - 3000) / 3000)


def _rows(ws):
    with ws.store.read() as session:
        return session.scalars(select(ExperimentAssignment)).all()


def test_srm_flagged_on_planted_imbalance(ws):
    planted_experiment(ws)
    drop = [r.unit_id for r in _rows(ws) if r.variant == "treatment"][:120]
    with ws.store.write(touched=["experiments"]) as session:
        session.execute(delete(ExperimentAssignment).where(ExperimentAssignment.unit_id.in_(drop)))
    result = analyze(ws, "onboarding", as_of=AS_OF, segments=False)
    # 300 vs 180 against 50/50: e = 240 each, χ² = 2·60²/240 = 30, 1 df → p = 4.3e-8
    assert result["srm_p_value"] == pytest.approx(4.3205e-8, rel=1e-3)
    assert "sample-ratio mismatch" in result["srm_warning"]


def test_ratio_delta_method_by_hand():
    # units y = [1, 2, 3], d = [2, 2, 4]: Σy = 6, Σy² = 14, Σd = 8, Σd² = 24, Σyd = 18
    # R = 6/8 = 0.75; var_y = (14 − 36/3)/2 = 1; var_d = (24 − 64/3)/2 = 4/3; cov = (18 − 48/3)/2 = 1
    # n·Var(R) = (1 − 2·0.75·1 + 0.75²·4/3) ÷ (8/3)² = 0.25 ÷ 64/9 = 0.03515625
    arm = _ratio_arm(3, {"sum": 6, "sum_squares": 14, "den_sum": 8, "den_sum_squares": 24, "num_den_sum": 18})
    assert arm.mean == 0.75 and arm.variance == pytest.approx(0.03515625, abs=1e-12)


def test_ratio_metric_in_analysis(ws):
    planted_experiment(ws)
    result = analyze(ws, "onboarding", as_of=AS_OF, segments=False)
    ratio = _block(result, "reports_per_login")
    # reports were planted at 0.5 per post login in both arms: no effect
    (r,) = ratio["results"]
    assert r["ci_low"] < 0 < r["ci_high"] and r["cuped"] is False
    for v in ratio["variants"]:
        assert 0.4 < v["mean"] < 0.6


def test_not_started_or_unknown(ws):
    from b2bgrowth.experiments.schemas import ExperimentCreate

    registry.create_experiment(ws, ExperimentCreate(key="draft-one", metrics={"primary": [{"name": "x", "events": ["login"]}]}), by="t")
    with pytest.raises(ExperimentError, match="has not started"):
        analyze(ws, "draft-one")
    with pytest.raises(KeyError):
        analyze(ws, "missing")
