"""The effect of a variant against the baseline, its variance and its Welch degrees of freedom.

absolute: Δ = m_b − m_a,           Var = v_b/n_b + v_a/n_a
relative: Δ = (m_b − m_a) ÷ u_a,   Var = v_b/(u_a²·n_b) + v_a·u_b²/(u_a⁴·n_a)   (delta method)
where u is the unadjusted mean (= m without CUPED).
Welch–Satterthwaite: df = (v_b/n_b + v_a/n_a)² ÷ [v_b²/(n_b²(n_b−1)) + v_a²/(n_a²(n_a−1))].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from b2bgrowth.experiments.stats.moments import ArmSummary

Difference = Literal["relative", "absolute"]


class EffectUndefined(ValueError):
    """The data cannot give this effect (zero baseline for a relative effect, zero variance)."""


@dataclass(frozen=True)
class Effect:
    estimate: float
    variance: float
    dof: float
    n_total: int

    @property
    def std_error(self) -> float:
        return math.sqrt(self.variance)


def welch_satterthwaite_df(var_a: float, n_a: int, var_b: float, n_b: float) -> float:
    numerator = (var_b / n_b + var_a / n_a) ** 2
    denominator = var_b**2 / (n_b**2 * (n_b - 1)) + var_a**2 / (n_a**2 * (n_a - 1))
    if denominator <= 0:
        raise EffectUndefined("both arms have zero variance")
    return numerator / denominator


def relative_delta_variance(var_a: float, n_a: int, u_a: float, var_b: float, n_b: int, u_b: float) -> float:
    """Delta-method variance of m_b/u_a − 1 with independent arms."""
    return var_b / (u_a**2 * n_b) + var_a * u_b**2 / (u_a**4 * n_a)


def compare(a: ArmSummary, b: ArmSummary, difference: Difference) -> Effect:
    """Effect of arm b against baseline arm a."""
    dof = welch_satterthwaite_df(a.variance, a.n, b.variance, b.n)
    if difference == "absolute":
        estimate = b.mean - a.mean
        variance = b.variance / b.n + a.variance / a.n
    else:
        if a.unadjusted_mean == 0:
            raise EffectUndefined("the baseline mean is 0, so a relative effect is undefined (use \"difference\": \"absolute\")")
        estimate = (b.mean - a.mean) / a.unadjusted_mean
        variance = relative_delta_variance(a.variance, a.n, a.unadjusted_mean, b.variance, b.n, b.unadjusted_mean)
    if not variance > 0:
        raise EffectUndefined("the effect has zero variance (every unit has the same value)")
    return Effect(estimate=estimate, variance=variance, dof=dof, n_total=a.n + b.n)
