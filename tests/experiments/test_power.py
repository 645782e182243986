"""Sample size, MDE, power and duration, by hand and against statsmodels."""

import math

import pytest
from statsmodels.stats.power import NormalIndPower

from b2bgrowth.experiments.stats import Design, minimum_detectable_effect, plan, power_at, sample_size_per_arm

Z_975, Z_80 = 1.959963985, 0.841621234


def test_sample_size_for_a_mean_by_hand_and_statsmodels():
    design = Design("mean", baseline=100.0, std_dev=40.0, difference="relative")
    # δ = 10% of 100 = 10; n = (1.96 + 0.8416)² · 2·40² / 10² = 7.8489 · 32 = 251.16 → 252
    assert sample_size_per_arm(design, 0.10) == math.ceil((Z_975 + Z_80) ** 2 * 2 * 1600 / 100) == 252
    reference = NormalIndPower().solve_power(effect_size=10 / 40, alpha=0.05, power=0.8, ratio=1)
    assert reference == pytest.approx(251.16, abs=0.05)
    assert power_at(design, 0.10, 252) == pytest.approx(NormalIndPower().power(10 / 40, 252, 0.05), rel=1e-9)


def test_sample_size_for_a_proportion():
    design = Design("proportion", baseline=0.10, difference="absolute")
    # p_b = 0.12: n = (z + z)² (0.09 + 0.1056) / 0.02² = 7.8489 · 0.1956 / 0.0004 = 3838.3 → 3839
    assert sample_size_per_arm(design, 0.02) == math.ceil((Z_975 + Z_80) ** 2 * (0.09 + 0.12 * 0.88) / 0.0004) == 3839
    pooled_sd = math.sqrt((0.09 + 0.1056) / 2)
    assert power_at(design, 0.02, 3839) == pytest.approx(NormalIndPower().power(0.02 / pooled_sd, 3839, 0.05), rel=1e-9)


def test_mde_for_the_accounts_you_have():
    design = Design("mean", baseline=50.0, std_dev=20.0, difference="absolute")
    # 60 accounts per arm: δ = 2.8016 · 20 · sqrt(2/60) = 10.23
    mde = minimum_detectable_effect(design, 60)
    assert mde == pytest.approx((Z_975 + Z_80) * 20 * math.sqrt(2 / 60), rel=1e-7)
    proportion = Design("proportion", baseline=0.2, difference="relative")
    relative_mde = minimum_detectable_effect(proportion, 400)
    assert sample_size_per_arm(proportion, relative_mde) in (400, 401)
    assert minimum_detectable_effect(Design("proportion", baseline=0.5), 2) is None


def test_plan_warns_when_underpowered_and_estimates_duration():
    design = Design("proportion", baseline=0.10, difference="relative")
    result = plan(design, mde=0.2, available_units=1000, arrivals_per_day=50)
    assert result["sample_size_per_arm"] == 3839 and result["total_sample_size"] == 7678
    assert result["duration_days"] == math.ceil(7678 / 50) == 154
    assert result["power_at_available"] < 0.8
    assert any(w.startswith("underpowered") for w in result["warnings"])
    assert result["mde_at_available"] == pytest.approx(minimum_detectable_effect(design, 500))
    fine = plan(Design("mean", baseline=100, std_dev=10), mde=0.05, available_units=10_000)
    assert fine["warnings"] == [] and fine["power_at_available"] > 0.99
