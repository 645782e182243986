"""Scoring: signals → measure points → a 0–100 health score with each measure's contribution.

    effective weight w_m = group weight × measure weight ÷ Σ measure weights of its group
    score               = Σ_present w_m × points_m ÷ Σ_present w_m
    contribution_m      = w_m × points_m ÷ Σ_present w_m        (present measures add up to the score)

A measure whose signal is missing (null, NaN) is left out: its weight drops from the
denominator, so the remaining measures are renormalised; it stays in the breakdown with
`missing: true`, no points and share 0. An account with no measure present has no score.

Scorecard choice (`choose`): among the scorecards whose applies_to matches the account's tier
and stage (an empty list matches anything), the most specific wins (tier and stage > one of
them); ties go to the scorecard id first in alphabetical order; with none matching, `default`.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

from b2bgrowth.success.scorecards.definition import (
    DEFAULT_ID, RATING_POINTS, LinearMeasure, ScorecardDefinition, ThresholdMeasure,
)


def measure_points(measure, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points 0–100 and rating (good/average/poor; None for linear) per value; NaN stays NaN."""
    v = np.asarray(values, dtype="float64")
    if isinstance(measure, LinearMeasure):
        fraction = (v - measure.zero_at) / (measure.full_at - measure.zero_at)
        points = np.clip(fraction, 0.0, 1.0) * 100.0
        return points, np.full(v.shape, None, dtype=object)
    assert isinstance(measure, ThresholdMeasure)
    with np.errstate(invalid="ignore"):
        if measure.direction == "higher_better":
            good, poor = v >= measure.good, v < measure.poor
        else:
            good, poor = v <= measure.good, v > measure.poor
    rating = np.where(good, "good", np.where(poor, "poor", "average")).astype(object)
    points = np.where(good, RATING_POINTS["good"], np.where(poor, RATING_POINTS["poor"], RATING_POINTS["average"]))
    missing = ~np.isfinite(v)
    rating[missing] = None
    return np.where(missing, np.nan, points), rating


def _number(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out if math.isfinite(out) else math.nan


def score_frame(definition: ScorecardDefinition, signals: pd.DataFrame) -> pd.DataFrame:
    """One row per row of `signals`: health_score (1 decimal), health_color, measures (list of dicts).

    A signal column absent from the frame counts as missing for every account.
    """
    n = len(signals)
    weights = definition.effective_weights()
    per_measure = []
    for group in definition.groups:
        for m in group.measures:
            if m.signal in signals.columns:
                raw = np.array([_number(x) for x in signals[m.signal].to_numpy(dtype=object)], dtype="float64")
            else:
                raw = np.full(n, np.nan)
            points, rating = measure_points(m, raw)
            per_measure.append((group.name, m, raw, points, rating))
    present_weight = np.zeros(n)
    weighted = np.zeros(n)
    for _group, m, _raw, points, _rating in per_measure:
        present = np.isfinite(points)
        present_weight += np.where(present, weights[m.measure], 0.0)
        weighted += np.where(present, weights[m.measure] * np.nan_to_num(points), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(present_weight > 0, weighted / present_weight, np.nan)
    rounded = np.round(score, 1)
    measures = []
    for i in range(n):
        rows = []
        for group_name, m, raw, points, rating in per_measure:
            present = bool(np.isfinite(points[i]))
            w = weights[m.measure]
            share = w / present_weight[i] if present else 0.0
            rows.append({
                "measure": m.measure, "label": m.label or m.measure, "group": group_name, "signal": m.signal,
                "value": float(raw[i]) if np.isfinite(raw[i]) else None,
                "rating": rating[i], "score": round(float(points[i]), 1) if present else None,
                "weight": round(w, 4), "share": round(share, 4),
                "contribution": round(share * float(points[i]), 2) if present else None,
                "missing": not present,
            })
        measures.append(rows)
    colors = [definition.colors.color(None if np.isnan(s) else float(s)) for s in rounded]
    return pd.DataFrame({
        "health_score": pd.Series(rounded, index=signals.index, dtype="float64"),
        "health_color": pd.Series(colors, index=signals.index, dtype=object),
        "measures": pd.Series(measures, index=signals.index, dtype=object),
    })


def choose(scorecards: Iterable[ScorecardDefinition], tier: str | None, stage: str | None) -> ScorecardDefinition:
    """The scorecard for an account of this tier and stage (rules in the module docstring)."""
    cards = list(scorecards)
    matching = [
        c for c in cards if c.applies_to.specificity
        and (not c.applies_to.tiers or tier in c.applies_to.tiers)
        and (not c.applies_to.stages or stage in c.applies_to.stages)
    ]
    if matching:
        return sorted(matching, key=lambda c: (-c.applies_to.specificity, c.scorecard_id))[0]
    for c in cards:
        if c.scorecard_id == DEFAULT_ID:
            return c
    raise LookupError(f"no {DEFAULT_ID!r} scorecard among {[c.scorecard_id for c in cards]}")
