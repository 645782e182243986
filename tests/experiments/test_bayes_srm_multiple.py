"""Bayesian chance to win and risk, SRM, Holm and Benjamini–Hochberg."""

import math

import pytest
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests

from b2bgrowth.experiments.stats import Effect, GaussianPrior, bayesian_test, benjamini_hochberg, holm, srm_p_value


def test_flat_prior_chance_to_win_interval_and_risk():
    effect = Effect(estimate=0.02, variance=0.0001, dof=100, n_total=2000)  # sd 0.01
    result = bayesian_test(effect, alpha=0.05)
    assert result.chance_to_win == pytest.approx(stats.norm.cdf(2.0))  # P(Δ > 0) = Φ(0.02/0.01)
    assert (result.ci_low, result.ci_high) == (pytest.approx(0.02 - 1.959964 * 0.01), pytest.approx(0.02 + 1.959964 * 0.01))
    # risk of shipping = E[max(−Δ, 0)] = σφ(μ/σ) − μΦ(−μ/σ) = 0.01·φ(2) − 0.02·Φ(−2)
    assert result.risk == pytest.approx(0.01 * 0.05399097 - 0.02 * 0.02275013, rel=1e-6)
    def density(x):
        return stats.norm.pdf(x, 0.02, 0.01)

    assert result.risk == pytest.approx(integrate.quad(lambda x: -x * density(x), -1, 0)[0], rel=1e-8)
    assert result.risk_baseline == pytest.approx(integrate.quad(lambda x: x * density(x), 0, 1)[0], rel=1e-8)
    # gbstats' form: P(Δ<0)·(−E[Δ | Δ<0])
    truncated = stats.truncnorm.mean(-math.inf, -2.0, loc=0.02, scale=0.01)
    assert result.risk == pytest.approx(-stats.norm.cdf(-2.0) * truncated, rel=1e-8)


def test_lower_is_better_flips_chance_to_win_and_risks():
    effect = Effect(estimate=0.02, variance=0.0001, dof=100, n_total=2000)
    up, down = bayesian_test(effect, 0.05), bayesian_test(effect, 0.05, inverse=True)
    assert down.chance_to_win == pytest.approx(1 - up.chance_to_win)
    assert (down.risk, down.risk_baseline) == (up.risk_baseline, up.risk)


def test_proper_gaussian_prior_shrinks():
    effect = Effect(estimate=0.1, variance=0.04, dof=30, n_total=40)
    result = bayesian_test(effect, 0.05, prior=GaussianPrior(mean=0.0, variance=0.01))
    precision = 1 / 0.04 + 1 / 0.01  # 25 + 100
    assert result.effect == pytest.approx((0.1 / 0.04) / precision) == pytest.approx(0.02)
    assert result.std_error == pytest.approx(math.sqrt(1 / 125))


def test_srm_against_weights_by_hand():
    # 510 vs 490 at 50/50: χ² = 10²/500 + 10²/500 = 0.4 with 1 df
    assert srm_p_value([510, 490]) == pytest.approx(stats.chi2.sf(0.4, 1)) == pytest.approx(0.527089, abs=1e-6)
    # the seeds' 80/20 hold-out: 820 vs 180, expected 800 and 200 → χ² = 0.5 + 2 = 2.5
    assert srm_p_value([820, 180], [0.8, 0.2]) == pytest.approx(stats.chi2.sf(2.5, 1))
    three = srm_p_value([340, 330, 280], [1, 1, 1])
    assert three == pytest.approx(stats.chisquare([340, 330, 280]).pvalue)  # k − 1 = 2 df
    assert srm_p_value([0, 0]) == 1.0


def test_holm_and_benjamini_hochberg_by_hand_and_statsmodels():
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005·4, 0.01·3, 0.03·2, 0.04·1 = 0.02, 0.03, 0.06, 0.04 → running max
    assert holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # BH: 4p/rank = 0.02, 0.02, 0.04, 0.04 → running min from the largest
    assert benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    wide = [0.001, 0.2, 0.04, 0.7, 0.013, 0.049, 0.5, 0.0002]
    assert holm(wide) == pytest.approx(list(multipletests(wide, method="holm")[1]))
    assert benjamini_hochberg(wide) == pytest.approx(list(multipletests(wide, method="fdr_bh")[1]))
