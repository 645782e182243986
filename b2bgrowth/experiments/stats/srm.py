"""Sample-ratio mismatch: Pearson χ² goodness of fit of the observed unit counts against the
configured weights; expected_i = w_i/Σw · Σn, statistic Σ(n_i − e_i)²/e_i, k − 1 degrees of freedom."""

from __future__ import annotations

from collections.abc import Sequence

from scipy import stats


def srm_p_value(counts: Sequence[int], weights: Sequence[float] | None = None) -> float:
    total = sum(counts)
    if total == 0 or len(counts) < 2:
        return 1.0
    weights = list(weights) if weights is not None else [1.0] * len(counts)
    weight_total = sum(weights)
    expected = [w / weight_total * total for w in weights]
    statistic = sum((o - e) ** 2 / e for o, e in zip(counts, expected))
    return float(stats.chi2.sf(statistic, len(counts) - 1))
