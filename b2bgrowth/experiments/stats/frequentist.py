"""Fixed-horizon Welch t test: two-sided p-value and (1 − α) interval from Student's t with the
Welch–Satterthwaite degrees of freedom carried by the Effect."""

from __future__ import annotations

from dataclasses import dataclass

from scipy import stats

from b2bgrowth.experiments.stats.effect import Effect


@dataclass(frozen=True)
class FrequentistResult:
    effect: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    dof: float


def welch_t_test(effect: Effect, alpha: float) -> FrequentistResult:
    se = effect.std_error
    t_stat = effect.estimate / se
    p_value = 2.0 * stats.t.sf(abs(t_stat), effect.dof)
    halfwidth = float(stats.t.ppf(1.0 - alpha / 2.0, effect.dof)) * se
    return FrequentistResult(
        effect=effect.estimate,
        std_error=se,
        ci_low=effect.estimate - halfwidth,
        ci_high=effect.estimate + halfwidth,
        p_value=min(1.0, float(p_value)),
        dof=effect.dof,
    )
