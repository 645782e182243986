"""Adjusted p-values for many comparisons (metrics × variants).

Holm (1979) step-down, controls the family-wise error rate:
    sort p ascending; p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)).
Benjamini–Hochberg (1995) step-up, controls the false discovery rate:
    p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j).
Both return the adjusted values in the input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

Correction = Literal["holm", "bh"]


def holm(p_values: Sequence[float]) -> list[float]:
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i], reverse=True)
    adjusted = [0.0] * m
    running = 1.0
    for position, i in enumerate(order):
        rank = m - position  # 1-based rank in ascending order
        running = min(running, min(1.0, m * p_values[i] / rank))
        adjusted[i] = running
    return adjusted


def adjust(p_values: Sequence[float], method: Correction) -> list[float]:
    return holm(p_values) if method == "holm" else benjamini_hochberg(p_values)
