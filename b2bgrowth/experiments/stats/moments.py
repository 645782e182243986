"""Per-arm moments from the sufficient statistics an analyst can paste: n, Σx, Σx².

mean = Σx ÷ n; variance = (Σx² − (Σx)²/n) ÷ (n − 1) for means and p(1 − p) for proportions
(p = Σx ÷ n), exactly as GrowthBook's gbstats SampleMeanStatistic / ProportionStatistic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MetricType = Literal["mean", "proportion"]


@dataclass(frozen=True)
class Moments:
    """Sufficient statistics of one arm for one metric (or for its pre-period covariate)."""

    n: int
    sum: float
    sum_squares: float
    kind: MetricType = "mean"

    @property
    def mean(self) -> float:
        return self.sum / self.n if self.n else 0.0

    @property
    def variance(self) -> float:
        if self.kind == "proportion":
            p = self.mean
            return p * (1.0 - p)
        if self.n <= 1:
            return 0.0
        return (self.sum_squares - self.sum**2 / self.n) / (self.n - 1)

    def __add__(self, other: Moments) -> Moments:
        """Pool two arms into one sample (used for CUPED's θ)."""
        kind = self.kind if self.kind == other.kind else "mean"
        return Moments(self.n + other.n, self.sum + other.sum, self.sum_squares + other.sum_squares, kind)


def covariance(n: int, x: Moments, y: Moments, sum_of_products: float) -> float:
    """Covariance of two per-unit quantities observed on the same n units.

    Two proportions use the population form Σxy/n − x̄ȳ so that it matches p(1 − p);
    anything else uses the unbiased sample form (Σxy − ΣxΣy/n) ÷ (n − 1).
    """
    if n <= 1:
        return 0.0
    if x.kind == "proportion" and y.kind == "proportion":
        return sum_of_products / n - x.sum * y.sum / n**2
    return (sum_of_products - x.sum * y.sum / n) / (n - 1)


@dataclass(frozen=True)
class ArmSummary:
    """What an effect needs from one arm: n, the (possibly CUPED-adjusted) mean and variance,
    and the unadjusted mean that a relative effect divides by."""

    n: int
    mean: float
    variance: float
    unadjusted_mean: float

    @classmethod
    def from_moments(cls, m: Moments) -> ArmSummary:
        return cls(n=m.n, mean=m.mean, variance=m.variance, unadjusted_mean=m.mean)
