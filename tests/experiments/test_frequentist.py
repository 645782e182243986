"""Welch's t, absolute and relative effects, by hand and against scipy."""

import math

import pytest
from scipy import stats

from b2bgrowth.experiments.stats import ArmSummary, compare, welch_t_test
from b2bgrowth.experiments.stats.effect import EffectUndefined
from b2bgrowth.experiments.stats.moments import Moments

from .samples import moments_of

CONTROL = [3, 5, 4, 6, 7]  # n = 5:  Σ = 25, Σ² = 135
TREATED = [6, 8, 5, 9, 7, 10, 4]  # n = 7:  Σ = 49, Σ² = 371


def test_moments_by_hand():
    a, b = moments_of(CONTROL), moments_of(TREATED)
    assert (a.n, a.sum, a.sum_squares) == (5, 25, 135)
    assert a.mean == 5 and a.variance == pytest.approx((135 - 25**2 / 5) / 4) == 2.5
    assert b.mean == 7 and b.variance == pytest.approx((371 - 49**2 / 7) / 6) == pytest.approx(28 / 6)


def test_absolute_effect_small_samples_by_hand_and_scipy():
    a, b = moments_of(CONTROL), moments_of(TREATED)
    effect = compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), "absolute")
    var_a, var_b = 2.5, 28 / 6
    se2 = var_b / 7 + var_a / 5  # 0.666… + 0.5
    df = se2**2 / (var_b**2 / (7**2 * 6) + var_a**2 / (5**2 * 4))
    assert effect.estimate == 2
    assert effect.variance == pytest.approx(7 / 6)
    assert effect.dof == pytest.approx(df) == pytest.approx(9.96610, abs=1e-5)

    result = welch_t_test(effect, alpha=0.05)
    t = 2 / math.sqrt(7 / 6)
    assert result.p_value == pytest.approx(2 * stats.t.sf(t, df), rel=1e-12)
    half = stats.t.ppf(0.975, df) * math.sqrt(7 / 6)
    assert (result.ci_low, result.ci_high) == (pytest.approx(2 - half), pytest.approx(2 + half))

    reference = stats.ttest_ind(TREATED, CONTROL, equal_var=False)
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-10)
    assert reference.df == pytest.approx(effect.dof, rel=1e-10)
    low, high = reference.confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == (pytest.approx(low, rel=1e-10), pytest.approx(high, rel=1e-10))
    from_stats = stats.ttest_ind_from_stats(7, math.sqrt(28 / 6), 7, 5, math.sqrt(2.5), 5, equal_var=False)
    assert result.p_value == pytest.approx(from_stats.pvalue, rel=1e-10)


def test_relative_effect_delta_method_by_hand():
    a, b = moments_of(CONTROL), moments_of(TREATED)
    effect = compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), "relative")
    # (7 − 5)/5 ; 4.666…/(5²·7) + 2.5·7²/(5⁴·5)
    assert effect.estimate == pytest.approx(0.4)
    assert effect.variance == pytest.approx((28 / 6) / (25 * 7) + 2.5 * 49 / (625 * 5))
    assert effect.variance == pytest.approx(0.0266667 + 0.0392, abs=1e-7)
    result = welch_t_test(effect, alpha=0.10)
    half = stats.t.ppf(0.95, effect.dof) * math.sqrt(effect.variance)
    assert result.ci_low == pytest.approx(0.4 - half)
    assert result.p_value == pytest.approx(2 * stats.t.sf(0.4 / math.sqrt(effect.variance), effect.dof))


def test_proportions_use_p_times_one_minus_p():
    a = Moments(200, 30, 30, "proportion")  # p = 0.15
    b = Moments(220, 44, 44, "proportion")  # p = 0.20
    assert a.variance == pytest.approx(0.15 * 0.85) and b.variance == pytest.approx(0.2 * 0.8)
    effect = compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), "absolute")
    assert effect.estimate == pytest.approx(0.05)
    assert effect.variance == pytest.approx(0.16 / 220 + 0.1275 / 200) == pytest.approx(0.001364773, abs=1e-9)
    relative = compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), "relative")
    assert relative.estimate == pytest.approx(1 / 3)
    assert relative.variance == pytest.approx(0.16 / (0.15**2 * 220) + 0.1275 * 0.2**2 / (0.15**4 * 200))
    reference = stats.ttest_ind_from_stats(0.2, math.sqrt(0.16), 220, 0.15, math.sqrt(0.1275), 200, equal_var=False)
    assert welch_t_test(effect, 0.05).p_value == pytest.approx(reference.pvalue, rel=1e-10)


def test_zero_baseline_makes_relative_effect_undefined():
    a = Moments(10, 0, 0, "proportion")
    b = Moments(10, 2, 2, "proportion")
    with pytest.raises(EffectUndefined, match="baseline mean is 0"):
        compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), "relative")
