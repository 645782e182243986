"""CUPED (Deng, Xu, Kohavi & Walker 2013): remove the part of the metric that the pre-period
value already predicts.

θ = cov(post, pre) ÷ var(pre), both computed on the two compared arms pooled into one sample
(as gbstats' compute_theta does: Σ and Σ² and Σ post·pre of both arms, n = n_a + n_b).
Per arm: adjusted mean = ȳ − θ·x̄; adjusted variance = var_y + θ²·var_x − 2θ·cov(y, x).
The relative effect divides by the control's *unadjusted* mean ȳ_a.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from b2bgrowth.experiments.stats.effect import Difference, Effect, EffectUndefined, compare
from b2bgrowth.experiments.stats.moments import ArmSummary, Moments, covariance

# "issue": Var = v_b/(ȳ_a²n_b) + v_a·ȳ_b²/(ȳ_a⁴n_a) with CUPED-adjusted v (the rule,
#          gbstats ≤ 0.7's frequentist_variance with unadjusted means).
# "full":  the delta method through (ȳ_a, x̄_a) separately, as current gbstats does
#          (frequentist_variance_relative_cuped); see docs/experiments.md.
RelativeVarianceForm = Literal["issue", "full"]


@dataclass(frozen=True)
class CovariateArm:
    """One arm's post-period metric, its pre-period covariate and Σ post·pre."""

    post: Moments
    pre: Moments
    product_sum: float

    @property
    def covariance(self) -> float:
        return covariance(self.post.n, self.post, self.pre, self.product_sum)


def pooled_theta(a: CovariateArm, b: CovariateArm) -> float:
    post = a.post + b.post
    pre = a.pre + b.pre
    if pre.variance <= 0 or post.variance <= 0:
        return 0.0  # nothing to regress on: CUPED leaves the metric as it is
    return covariance(post.n, post, pre, a.product_sum + b.product_sum) / pre.variance


def adjusted_arm(arm: CovariateArm, theta: float) -> ArmSummary:
    variance = arm.post.variance + theta**2 * arm.pre.variance - 2 * theta * arm.covariance
    return ArmSummary(
        n=arm.post.n,
        mean=arm.post.mean - theta * arm.pre.mean,
        variance=variance,
        unadjusted_mean=arm.post.mean,
    )


def cuped_compare(
    a: CovariateArm, b: CovariateArm, difference: Difference, relative_variance: RelativeVarianceForm = "issue"
) -> tuple[Effect, float]:
    """Effect of b against baseline a after CUPED; returns (effect, θ)."""
    theta = pooled_theta(a, b)
    adj_a, adj_b = adjusted_arm(a, theta), adjusted_arm(b, theta)
    effect = compare(adj_a, adj_b, difference)
    if difference == "relative" and relative_variance == "full":
        u_a, u_b = a.post.mean, b.post.mean
        treatment = adj_b.variance / (adj_b.n * u_a**2)
        control = (
            a.post.variance * u_b**2 / u_a**2 - 2 * theta * a.covariance * u_b / u_a + theta**2 * a.pre.variance
        ) / (a.post.n * u_a**2)
        variance = treatment + control
        if not variance > 0:
            raise EffectUndefined("the effect has zero variance after CUPED")
        effect = Effect(estimate=effect.estimate, variance=variance, dof=effect.dof, n_total=effect.n_total)
    return effect, theta
