"""Always-valid inference for peeking: asymptotic confidence sequences of Waudby-Smith,
Arnold, Wu, Howard, Ramdas & Sekhon, "Time-uniform central limit theory and asymptotic
confidence sequences", arXiv:2103.06476 (v7), as used by GrowthBook.

ρ (eq. 161, two-sided):  ρ = sqrt( (−2 ln α + ln(1 − 2 ln α)) ÷ N* )
                         N* = the total units at which the sequence is tightest (default 5000).
half-width (eq. 9):      h = s · sqrt( 2(Nρ² + 1) ÷ (N²ρ²) · ln( sqrt(Nρ² + 1) ÷ α ) )
                         N = n_a + n_b, s² = Var(effect) × N.
e-value (eq. 155):       E = exp( ρ²·N·Δ² ÷ (2·Var(effect)·(Nρ² + 1)) ) ÷ sqrt(Nρ² + 1)
p-value:                 min(1, 1/E).   p ≤ α exactly when 0 lies outside [Δ − h, Δ + h].
"""

from __future__ import annotations

import math

from b2bgrowth.experiments.stats.effect import Effect
from b2bgrowth.experiments.stats.frequentist import FrequentistResult

DEFAULT_TUNING = 5000


def rho(alpha: float, tuning: float = DEFAULT_TUNING) -> float:
    log_alpha = math.log(alpha)
    return math.sqrt((-2.0 * log_alpha + math.log(1.0 - 2.0 * log_alpha)) / tuning)


def halfwidth(effect_variance: float, n_total: int, alpha: float, tuning: float = DEFAULT_TUNING) -> float:
    r = rho(alpha, tuning)
    s2 = effect_variance * n_total
    nr2_plus_1 = n_total * r**2 + 1.0
    return math.sqrt(s2) * math.sqrt(2.0 * nr2_plus_1 / (n_total * r) ** 2 * math.log(math.sqrt(nr2_plus_1) / alpha))


def e_value(estimate: float, effect_variance: float, n_total: int, alpha: float, tuning: float = DEFAULT_TUNING) -> float:
    r = rho(alpha, tuning)
    nr2_plus_1 = n_total * r**2 + 1.0
    exponent = r**2 * n_total * estimate**2 / (2.0 * effect_variance * nr2_plus_1)
    # Past ~700 the e-value overflows a float; the p-value is then 0 to machine precision.
    return math.inf if exponent > 700 else math.exp(exponent) / math.sqrt(nr2_plus_1)


def confidence_sequence(effect: Effect, alpha: float, tuning: float = DEFAULT_TUNING) -> FrequentistResult:
    h = halfwidth(effect.variance, effect.n_total, alpha, tuning)
    e = e_value(effect.estimate, effect.variance, effect.n_total, alpha, tuning)
    return FrequentistResult(
        effect=effect.estimate,
        std_error=effect.std_error,
        ci_low=effect.estimate - h,
        ci_high=effect.estimate + h,
        p_value=min(1.0, 1.0 / e),
        dof=effect.dof,
    )
