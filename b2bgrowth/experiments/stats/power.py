"""Planning a two-arm comparison (normal approximation, equal allocation, two-sided α).

Per arm: n = (z_{1−α/2} + z_{power})² · (σ_a² + σ_b²) ÷ δ²   (rounded up)
  δ = MDE in absolute units (relative MDE × baseline mean);
  σ² = the metric's per-unit variance; for a proportion p_a(1−p_a) and p_b(1−p_b), p_b = p_a + δ.
Power at n per arm: Φ(|δ|/se − z_{1−α/2}) + Φ(−|δ|/se − z_{1−α/2}), se = sqrt((σ_a² + σ_b²)/n)
  (the same quantity as statsmodels' NormalIndPower with ratio 1).
MDE at n per arm: δ = (z_{1−α/2} + z_{power}) · se(δ), solved for δ when σ_b depends on it.
Each further variant is another comparison against the same baseline arm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import optimize, stats

from b2bgrowth.experiments.stats.effect import Difference
from b2bgrowth.experiments.stats.moments import MetricType

SMALL_ARM = 30  # below this per arm the normal approximation and CLT are shaky


@dataclass(frozen=True)
class Design:
    metric: MetricType
    baseline: float  # the control mean, or its conversion rate for a proportion
    std_dev: float | None = None  # per-unit standard deviation (means only)
    difference: Difference = "relative"
    alpha: float = 0.05
    power: float = 0.8
    arms: int = 2

    def absolute(self, mde: float) -> float:
        return mde * self.baseline if self.difference == "relative" else mde

    def in_design_units(self, delta: float) -> float:
        return delta / self.baseline if self.difference == "relative" else delta

    def variance_sum(self, delta: float) -> float:
        if self.metric == "proportion":
            p_a, p_b = self.baseline, self.baseline + delta
            return p_a * (1 - p_a) + p_b * (1 - p_b)
        return 2.0 * self.std_dev**2

    @property
    def z_alpha(self) -> float:
        return float(stats.norm.ppf(1 - self.alpha / 2))

    @property
    def z_power(self) -> float:
        return float(stats.norm.ppf(self.power))


def sample_size_per_arm(design: Design, mde: float) -> int:
    delta = design.absolute(mde)
    if delta == 0:
        raise ValueError("mde must not be 0")
    return math.ceil((design.z_alpha + design.z_power) ** 2 * design.variance_sum(delta) / delta**2)


def power_at(design: Design, mde: float, n_per_arm: int) -> float:
    delta = abs(design.absolute(mde))
    se = math.sqrt(design.variance_sum(design.absolute(mde)) / n_per_arm)
    z = design.z_alpha
    return float(stats.norm.cdf(delta / se - z) + stats.norm.cdf(-delta / se - z))


def minimum_detectable_effect(design: Design, n_per_arm: int) -> float | None:
    """Smallest increase detectable with the design's power, in the design's units (None if
    even the largest possible increase of a proportion is not detectable)."""
    k = design.z_alpha + design.z_power
    if design.metric == "mean":
        return design.in_design_units(k * math.sqrt(design.variance_sum(0.0) / n_per_arm))
    ceiling = 1.0 - design.baseline

    def gap(delta: float) -> float:
        return delta - k * math.sqrt(design.variance_sum(delta) / n_per_arm)

    if gap(ceiling) < 0:
        return None
    return design.in_design_units(optimize.brentq(gap, 1e-15, ceiling, xtol=1e-14, rtol=1e-14))


def plan(
    design: Design,
    mde: float | None = None,
    available_units: int | None = None,
    arrivals_per_day: float | None = None,
) -> dict:
    """Everything the planner shows: sample size, MDE for the accounts at hand, power,
    duration, and warnings when the design is underpowered or the arms are tiny."""
    out: dict = {"alpha": design.alpha, "power": design.power, "arms": design.arms, "difference": design.difference}
    warnings: list[str] = []
    if mde is not None:
        per_arm = sample_size_per_arm(design, mde)
        out.update(mde=mde, sample_size_per_arm=per_arm, total_sample_size=per_arm * design.arms)
        if arrivals_per_day:
            out["duration_days"] = math.ceil(per_arm * design.arms / arrivals_per_day)
        if per_arm < SMALL_ARM:
            warnings.append(f"only {per_arm} units per arm: below {SMALL_ARM} the normal approximation is rough")
    if available_units is not None:
        per_arm_available = available_units // design.arms
        out["available_units"] = available_units
        out["available_per_arm"] = per_arm_available
        if per_arm_available < 2:
            warnings.append(f"{available_units} units cannot fill {design.arms} arms with 2 units each")
        else:
            mde_available = minimum_detectable_effect(design, per_arm_available)
            out["mde_at_available"] = mde_available
            if mde_available is None:
                warnings.append("underpowered: no effect on this proportion is detectable with the units available")
            if mde is not None:
                achieved = power_at(design, mde, per_arm_available)
                out["power_at_available"] = achieved
                if achieved < design.power:
                    warnings.append(
                        f"underpowered: {per_arm_available} units per arm give {achieved:.0%} power for an MDE of "
                        f"{mde:g}; {out['sample_size_per_arm']} per arm are needed for {design.power:.0%}"
                    )
            if per_arm_available < SMALL_ARM:
                warnings.append(
                    f"only {per_arm_available} units per arm: stratify by tier and consider CUPED to cut variance"
                )
    if arrivals_per_day and mde is None and available_units is not None:
        out["duration_days"] = math.ceil(available_units / arrivals_per_day)
    out["warnings"] = warnings
    return out
