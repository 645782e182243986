"""CUPED and the always-valid confidence sequence, by hand."""

import math

import numpy as np
import pytest
from scipy import stats

from b2bgrowth.experiments.stats import (
    ArmSummary,
    CovariateArm,
    compare,
    confidence_sequence,
    cuped_compare,
    pooled_theta,
    welch_t_test,
)
from b2bgrowth.experiments.stats.moments import Moments
from b2bgrowth.experiments.stats.sequential import e_value, halfwidth, rho

from .samples import moments_of

PRE_A = [10, 12, 9, 14, 11, 8, 13, 10]
POST_A = [12, 15, 10, 17, 13, 9, 16, 11]
PRE_B = [11, 9, 13, 10, 12, 14, 8, 15, 10]
POST_B = [15, 11, 17, 13, 15, 18, 10, 19, 12]


def arm(pre, post):
    return CovariateArm(moments_of(post), moments_of(pre), float(sum(x * y for x, y in zip(pre, post))))


def test_theta_is_pooled_cov_over_pooled_var():
    a, b = arm(PRE_A, POST_A), arm(PRE_B, POST_B)
    pre, post = np.array(PRE_A + PRE_B, float), np.array(POST_A + POST_B, float)
    # Σ(x − x̄)(y − ȳ) ÷ Σ(x − x̄)² over the 17 pooled units
    by_hand = ((pre - pre.mean()) * (post - post.mean())).sum() / ((pre - pre.mean()) ** 2).sum()
    assert pooled_theta(a, b) == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(np.cov(pre, post)[0, 1] / np.var(pre, ddof=1))


def test_cuped_absolute_equals_welch_on_adjusted_values():
    a, b = arm(PRE_A, POST_A), arm(PRE_B, POST_B)
    effect, theta = cuped_compare(a, b, "absolute")
    ya = np.array(POST_A) - theta * np.array(PRE_A)
    yb = np.array(POST_B) - theta * np.array(PRE_B)
    # adjusted mean ȳ − θx̄ and variance var_y + θ²var_x − 2θcov = sample variance of y − θx
    assert effect.estimate == pytest.approx(yb.mean() - ya.mean(), rel=1e-12)
    assert effect.variance == pytest.approx(yb.var(ddof=1) / 9 + ya.var(ddof=1) / 8, rel=1e-10)
    reference = stats.ttest_ind(yb, ya, equal_var=False)
    assert welch_t_test(effect, 0.05).p_value == pytest.approx(reference.pvalue, rel=1e-9)
    plain = compare(ArmSummary.from_moments(a.post), ArmSummary.from_moments(b.post), "absolute")
    assert effect.variance < plain.variance / 3  # the pre-period explains most of the spread


def test_cuped_relative_divides_by_unadjusted_control_mean():
    a, b = arm(PRE_A, POST_A), arm(PRE_B, POST_B)
    effect, theta = cuped_compare(a, b, "relative")
    ya = np.array(POST_A) - theta * np.array(PRE_A)
    yb = np.array(POST_B) - theta * np.array(PRE_B)
    u_a, u_b = np.mean(POST_A), np.mean(POST_B)
    assert effect.estimate == pytest.approx((yb.mean() - ya.mean()) / u_a)
    expected = yb.var(ddof=1) / (u_a**2 * 9) + ya.var(ddof=1) * u_b**2 / (u_a**4 * 8)
    assert effect.variance == pytest.approx(expected, rel=1e-10)
    full, _ = cuped_compare(a, b, "relative", relative_variance="full")
    assert full.estimate == effect.estimate and full.variance != pytest.approx(effect.variance, rel=1e-6)


def test_cuped_on_proportions_uses_population_covariance():
    pre_a, post_a = [1, 0, 1, 0, 0, 1, 0, 0, 1, 0], [1, 0, 1, 1, 0, 1, 0, 0, 0, 0]
    pre_b, post_b = [0, 1, 1, 0, 0, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 1, 1, 0, 1, 0]
    a = CovariateArm(Moments(10, 4, 4, "proportion"), Moments(10, 4, 4, "proportion"), 3)
    b = CovariateArm(Moments(10, 6, 6, "proportion"), Moments(10, 4, 4, "proportion"), 4)
    assert a.product_sum == sum(x * y for x, y in zip(pre_a, post_a))
    assert b.product_sum == sum(x * y for x, y in zip(pre_b, post_b))
    # pooled: n = 20, Σpost = 10, Σpre = 8, Σpost·pre = 7 → cov = 7/20 − 10·8/400 = 0.15, var(pre) = 0.4·0.6
    assert pooled_theta(a, b) == pytest.approx(0.15 / 0.24)
    # arm a: cov = 3/10 − 4·4/100 = 0.14; var = 0.24 + θ²·0.24 − 2θ·0.14
    theta = 0.625
    effect, _ = cuped_compare(a, b, "absolute")
    var_a = 0.24 + theta**2 * 0.24 - 2 * theta * 0.14
    var_b = 0.24 + theta**2 * 0.24 - 2 * theta * (4 / 10 - 6 * 4 / 100)
    assert effect.estimate == pytest.approx((0.6 - theta * 0.4) - (0.4 - theta * 0.4))
    assert effect.variance == pytest.approx(var_b / 10 + var_a / 10)


def test_sequential_rho_width_and_p_value_by_hand():
    # eq. 161: ρ² = (−2 ln 0.05 + ln(1 − 2 ln 0.05)) / 5000 = (5.991465 + 1.944691) / 5000
    assert rho(0.05, 5000) ** 2 == pytest.approx((5.991464547 + 1.944691) / 5000, rel=1e-6)
    r2 = 0.0015872312
    a, b = Moments(200, 30, 30, "proportion"), Moments(220, 44, 44, "proportion")
    effect = compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), "absolute")
    n = 420
    s2 = effect.variance * n  # 0.001364773 × 420
    # eq. 9: h = s·sqrt(2(Nρ²+1)/(N²ρ²) · ln(sqrt(Nρ²+1)/α))
    h = math.sqrt(s2) * math.sqrt(2 * (n * r2 + 1) / (n**2 * r2) * math.log(math.sqrt(n * r2 + 1) / 0.05))
    assert halfwidth(effect.variance, n, 0.05) == pytest.approx(h, rel=1e-6)
    # eq. 155: E = exp(ρ²·N·Δ² / (2·Var·(Nρ²+1))) / sqrt(Nρ²+1); p = min(1, 1/E)
    e = math.exp(r2 * n * 0.05**2 / (2 * effect.variance * (n * r2 + 1))) / math.sqrt(n * r2 + 1)
    assert e_value(0.05, effect.variance, n, 0.05) == pytest.approx(e, rel=1e-6)
    result = confidence_sequence(effect, 0.05)
    assert result.p_value == pytest.approx(min(1, 1 / e), rel=1e-6)
    assert result.ci_low == pytest.approx(0.05 - h, rel=1e-6)
    fixed = welch_t_test(effect, 0.05)
    assert result.ci_low < fixed.ci_low and result.ci_high > fixed.ci_high and result.p_value > fixed.p_value


def test_sequential_p_value_crosses_alpha_where_the_sequence_excludes_zero():
    for estimate in np.linspace(0.001, 0.2, 50):
        h = halfwidth(0.0004, 1000, 0.05)
        p = min(1.0, 1 / e_value(estimate, 0.0004, 1000, 0.05))
        assert (p <= 0.05) == (estimate > h) or abs(estimate - h) < 1e-9
