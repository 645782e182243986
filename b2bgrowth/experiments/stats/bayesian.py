"""Bayesian read-out on the effect (GrowthBook's EffectBayesianABTest).

Flat prior: posterior Δ ~ Normal(Δ̂, Var(Δ̂)).  Proper prior Normal(μ₀, τ²) (in the units of
the chosen difference): precision 1/σ² = 1/Var(Δ̂) + 1/τ², mean = σ²·(Δ̂/Var(Δ̂) + μ₀/τ²).
chance to win = P(Δ > 0) = Φ(μ/σ)  (P(Δ < 0) when lower is better)
credible interval = μ ± z_{1−α/2}·σ
risk (expected loss) of shipping the variant    = E[max(−Δ, 0)] = σφ(μ/σ) − μΦ(−μ/σ)
risk of keeping the baseline                     = E[max(Δ, 0)]  = σφ(μ/σ) + μΦ(μ/σ)
(the two swap when lower is better).  These equal gbstats' P(·)·E[truncated normal] forms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

from b2bgrowth.experiments.stats.effect import Effect


@dataclass(frozen=True)
class GaussianPrior:
    mean: float = 0.0
    variance: float = 1.0


@dataclass(frozen=True)
class BayesianResult:
    effect: float
    std_error: float
    ci_low: float
    ci_high: float
    chance_to_win: float
    risk: float
    risk_baseline: float


def posterior(effect: Effect, prior: GaussianPrior | None = None) -> tuple[float, float]:
    """(mean, standard deviation) of the posterior of the effect."""
    if prior is None:
        return effect.estimate, effect.std_error
    precision = 1.0 / effect.variance + 1.0 / prior.variance
    mean = (effect.estimate / effect.variance + prior.mean / prior.variance) / precision
    return mean, math.sqrt(1.0 / precision)


def expected_losses(mu: float, sigma: float) -> tuple[float, float]:
    """(E[max(Δ,0)], E[max(−Δ,0)]) for Δ ~ Normal(mu, sigma²)."""
    z = mu / sigma
    density = sigma * stats.norm.pdf(z)
    return density + mu * stats.norm.cdf(z), density - mu * stats.norm.cdf(-z)


def bayesian_test(
    effect: Effect, alpha: float, inverse: bool = False, prior: GaussianPrior | None = None
) -> BayesianResult:
    mu, sigma = posterior(effect, prior)
    upside, downside = expected_losses(mu, sigma)
    chance_up = float(stats.norm.sf(0.0, mu, sigma))
    z = float(stats.norm.ppf(1.0 - alpha / 2.0))
    return BayesianResult(
        effect=mu,
        std_error=sigma,
        ci_low=mu - z * sigma,
        ci_high=mu + z * sigma,
        chance_to_win=1.0 - chance_up if inverse else chance_up,
        # Losing with the variant means Δ < 0 (or Δ > 0 when lower is better), and vice versa.
        risk=float(upside if inverse else downside),
        risk_baseline=float(downside if inverse else upside),
    )
