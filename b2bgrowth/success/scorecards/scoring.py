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

from collections.abc import Iterable

import numpy as np
import pandas as pd

from b2bgrowth.success.scorecards.definition import (
    DEFAULT_ID,
    RATING_POINTS,
    LinearMeasure,
    ScorecardDefinition,
    ThresholdMeasure,
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


def _numbers(column: pd.Series) -> np.ndarray:
    """Floats per value; anything not a finite number (None, text, ±inf) becomes NaN."""
    v = pd.to_numeric(pd.Series(column.to_numpy(dtype=object)), errors="coerce").to_numpy(dtype="float64", copy=True)
    v[~np.isfinite(v)] = np.nan
    return v


def score_frame(definition: ScorecardDefinition, signals: pd.DataFrame, breakdown: bool = True) -> pd.DataFrame:
    """One row per row of `signals`: health_score (1 decimal), health_color, measures (list of dicts).

    A signal column absent from the frame counts as missing for every account. breakdown=False
    leaves `measures` None (the churn backtest needs only scores, for ~250k rows at L).
    """
    n = len(signals)
    weights = definition.effective_weights()
    per_measure = []
    for group in definition.groups:
        for m in group.measures:
            raw = _numbers(signals[m.signal]) if m.signal in signals.columns else np.full(n, np.nan)
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
    measures = _breakdowns(per_measure, weights, present_weight, n) if breakdown else [None] * n
    colors = [definition.colors.color(None if np.isnan(s) else float(s)) for s in rounded.tolist()]
    return pd.DataFrame({
        "health_score": pd.Series(rounded, index=signals.index, dtype="float64"),
        "health_color": pd.Series(colors, index=signals.index, dtype=object),
        "measures": pd.Series(measures, index=signals.index, dtype=object),
    })


def _breakdowns(per_measure, weights: dict, present_weight: np.ndarray, n: int) -> list[list[dict]]:
    """Each row's measure dicts. Rounding is done on whole columns (np.round, then .tolist()),
    not per value: at L that was 5.8M round() calls."""
    columns = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for group_name, m, raw, points, rating in per_measure:
            present = np.isfinite(points)
            w = weights[m.measure]
            share = np.where(present, w / np.where(present_weight > 0, present_weight, 1.0), 0.0)
            contribution = np.round(share * np.nan_to_num(points), 2)
            columns.append((
                {"measure": m.measure, "label": m.label or m.measure, "group": group_name, "signal": m.signal,
                 "weight": round(w, 4)},
                [None if v != v else v for v in raw.tolist()],
                rating.tolist(), [None if v != v else v for v in np.round(points, 1).tolist()],
                np.round(share, 4).tolist(), [c if p else None for c, p in zip(contribution.tolist(), present.tolist())],
                present.tolist()))
    out = []
    for i in range(n):
        rows = []
        for fixed, raw, rating, score, share, contribution, present in columns:
            rows.append({"measure": fixed["measure"], "label": fixed["label"], "group": fixed["group"],
                         "signal": fixed["signal"], "value": raw[i], "rating": rating[i], "score": score[i],
                         "weight": fixed["weight"], "share": share[i], "contribution": contribution[i],
                         "missing": not present[i]})
        out.append(rows)
    return out


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
