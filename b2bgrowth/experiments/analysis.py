"""`analyze(ws, key)`: every metric of an experiment per variant, from the store and the events.

Per metric and non-control variant: the absolute effect (mean_b − mean_a) with its Welch
interval and p-value, the relative effect, Bayesian chance to win — CUPED-adjusted when the
pre-period carries information (θ ≠ 0). Ratio metrics (Σnum ÷ Σden per arm) use the delta
method: Var(R) ≈ [var_y − 2R·cov(y,d) + R²·var_d] ÷ (n·d̄²). SRM over the unit counts, effects
by segment (tier, industry, region) for the primary metrics, Holm and Benjamini–Hochberg
adjusted p-values over metrics × variants, and the ROI of the treatment. The arithmetic is
the stats package's (compare, cuped_compare, welch_t_test, bayesian_test, srm_p_value, holm …).

`sequential=True` replaces Welch's fixed-horizon interval and p-value by the always-valid
confidence sequence (stats/sequential.py, tuned by `tuning` = N*) for every metric and segment,
so that looking at a running experiment every day does not inflate the false-positive rate.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from b2bgrowth.experiments.metrics import SEGMENT_FIELDS, as_datetime, build_unit_values, load_units, variant_sums
from b2bgrowth.experiments.schemas import ExperimentError, ExperimentPublic, MetricSpec
from b2bgrowth.experiments.service import get_experiment
from b2bgrowth.experiments.stats import (
    ArmSummary,
    CovariateArm,
    EffectUndefined,
    Moments,
    bayesian_test,
    benjamini_hochberg,
    compare,
    confidence_sequence,
    cuped_compare,
    holm,
    srm_p_value,
    welch_t_test,
)
from b2bgrowth.experiments.stats.sequential import DEFAULT_TUNING

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

SRM_THRESHOLD = 0.001
MIN_SEGMENT_UNITS = 30  # per variant; below it a segment's interval is not worth reading
MONEY_TYPES = ("revenue",)


def _moments(n: int, s: dict, spec: MetricSpec, pre: bool = False) -> Moments:
    kind = "proportion" if spec.type == "proportion" else "mean"
    if pre:
        return Moments(n, s["pre_sum"], s["pre_sum_squares"], kind)
    return Moments(n, s["sum"], s["sum_squares"], kind)


def _ratio_arm(n: int, s: dict) -> ArmSummary:
    """Delta method: the arm's ratio R and n·Var(R), so that compare()'s v/n is Var(R)."""
    if s["den_sum"] <= 0 or n < 2:
        raise EffectUndefined("the ratio's denominator is 0 in an arm")
    ratio = s["sum"] / s["den_sum"]
    mean_d = s["den_sum"] / n
    var_y = (s["sum_squares"] - s["sum"] ** 2 / n) / (n - 1)
    var_d = (s["den_sum_squares"] - s["den_sum"] ** 2 / n) / (n - 1)
    cov = (s["num_den_sum"] - s["sum"] * s["den_sum"] / n) / (n - 1)
    variance = (var_y - 2 * ratio * cov + ratio**2 * var_d) / mean_d**2
    return ArmSummary(n=n, mean=ratio, variance=max(variance, 0.0), unadjusted_mean=ratio)


def arm_mean(n: int, s: dict, spec: MetricSpec) -> float | None:
    if spec.type == "ratio":
        return s["sum"] / s["den_sum"] if s["den_sum"] else None
    return s["sum"] / n if n else None


def _interval(effect, alpha: float, sequential: int | None):
    """Welch's fixed-horizon test, or the confidence sequence tuned at `sequential` units."""
    return welch_t_test(effect, alpha) if sequential is None else confidence_sequence(effect, alpha, sequential)


def compare_arms(spec: MetricSpec, control: tuple[int, dict], arm: tuple[int, dict], alpha: float,
                 sequential: int | None = None) -> dict:
    """Effect of `arm` against `control` for one metric; errors become an "error" field.
    `sequential`: None for Welch's interval, else the tuning N* of the always-valid sequence."""
    (n_a, s_a), (n_b, s_b) = control, arm
    out: dict = {"cuped": False, "theta": 0.0}
    try:
        if n_a < 2 or n_b < 2:
            raise EffectUndefined("fewer than 2 units in an arm")
        if spec.type == "ratio":
            a, b = _ratio_arm(n_a, s_a), _ratio_arm(n_b, s_b)
            absolute, relative = compare(a, b, "absolute"), _maybe(lambda: compare(a, b, "relative"))
        else:
            post_a, post_b = _moments(n_a, s_a, spec), _moments(n_b, s_b, spec)
            theta = 0.0
            if spec.cuped:
                cov_a = CovariateArm(post_a, _moments(n_a, s_a, spec, pre=True), s_a["product_sum"])
                cov_b = CovariateArm(post_b, _moments(n_b, s_b, spec, pre=True), s_b["product_sum"])
                absolute, theta = cuped_compare(cov_a, cov_b, "absolute")
                relative = _maybe(lambda: cuped_compare(cov_a, cov_b, "relative")[0])
            if theta == 0.0:
                a, b = ArmSummary.from_moments(post_a), ArmSummary.from_moments(post_b)
                absolute, relative = compare(a, b, "absolute"), _maybe(lambda: compare(a, b, "relative"))
            out.update(cuped=theta != 0.0, theta=theta)
        test = _interval(absolute, alpha, sequential)
        bayes = bayesian_test(absolute, alpha, inverse=spec.lower_is_better)
        out.update(
            effect=test.effect, ci_low=test.ci_low, ci_high=test.ci_high, std_error=test.std_error,
            p_value=test.p_value, dof=test.dof, chance_to_win=bayes.chance_to_win,
        )
        if relative is not None:
            rel = _interval(relative, alpha, sequential)
            out.update(relative_effect=rel.effect, relative_ci_low=rel.ci_low, relative_ci_high=rel.ci_high)
        significant = test.ci_low > 0 or test.ci_high < 0
        better = (test.effect < 0) if spec.lower_is_better else (test.effect > 0)
        out["verdict"] = ("better" if better else "worse") if significant else "flat"
    except EffectUndefined as exc:
        out.update(effect=None, ci_low=None, ci_high=None, p_value=None, error=str(exc), verdict="undefined")
    return out


def _maybe(fn):
    try:
        return fn()
    except EffectUndefined:
        return None


def _by_variant(rows: list[dict], segment=None) -> dict[str, dict]:
    return {r["variant"]: r for r in rows if segment is None or r.get("segment") == segment}


def _metric_block(exp: ExperimentPublic, i: int, spec: MetricSpec, kind: str, rows: dict[str, dict], alpha: float,
                  sequential: int | None = None) -> dict:
    control = exp.control
    variants, results = [], []
    empty = {"sum": 0.0, "sum_squares": 0.0, "pre_sum": 0.0, "pre_sum_squares": 0.0, "product_sum": 0.0,
             "den_sum": 0.0, "den_sum_squares": 0.0, "num_den_sum": 0.0}
    arms = {v.name: (rows[v.name]["n"], rows[v.name]["metrics"][i]) if v.name in rows else (0, empty) for v in exp.variants}
    for v in exp.variants:
        n, s = arms[v.name]
        variants.append({"name": v.name, "n": n, "mean": arm_mean(n, s, spec), "sum": s["sum"]})
    for v in exp.variants[1:]:
        results.append({"variant": v.name, **compare_arms(spec, arms[control], arms[v.name], alpha, sequential)})
    return {"metric": spec.name, "kind": kind, "type": spec.type, "source": spec.source,
            "lower_is_better": spec.lower_is_better, "window_days": spec.window_days, "variants": variants, "results": results}


def _segments(exp, values, primary: list[tuple[int, MetricSpec]], metrics: list[MetricSpec], alpha: float,
              sequential: int | None = None) -> dict[int, list]:
    out: dict[int, list] = {i: [] for i, _ in primary}
    if not primary:
        return out
    for field in SEGMENT_FIELDS:
        rows = variant_sums(values, metrics, by=field)
        for value in sorted({r["segment"] for r in rows if r["segment"] is not None}):
            per_variant = _by_variant(rows, value)
            counts = [per_variant.get(v.name, {"n": 0})["n"] for v in exp.variants]
            warning = None
            if min(counts) < MIN_SEGMENT_UNITS:
                warning = f"too small: {min(counts)} units in the smallest arm (< {MIN_SEGMENT_UNITS}); read as a hint, not a result"
            for i, spec in primary:
                block = _metric_block(exp, i, spec, "primary", per_variant, alpha, sequential)
                out[i].append({"by": field, "value": value, "n": sum(counts), "results": block["results"], "warning": warning})
    return out


def _roi(exp: ExperimentPublic, blocks: list[dict]) -> dict:
    roi = exp.roi
    name = roi.metric or next((b["metric"] for b in blocks if b["kind"] == "primary"), None)
    block = next((b for b in blocks if b["metric"] == name), None)
    if block is None:
        return {"metric": None, "note": "no metric to value"}
    spec = next(m for m in exp.metrics.all() if m.name == name)
    value = spec.value_per_unit
    if value is None and (spec.type in MONEY_TYPES or spec.source == "mrr_change"):
        value = 1.0
    out: dict[str, Any] = {"metric": name, "value_per_unit": value, "cost_per_treated_unit": roi.cost_per_treated_unit,
           "currency": roi.currency, "variants": []}
    if value is None:
        out["note"] = f"metric {name} has no value_per_unit: set one to value its effect in money"
        return out
    counts = {v["name"]: v["n"] for v in block["variants"]}
    for r in block["results"]:
        n = counts.get(r["variant"], 0)
        cost = roi.cost_per_treated_unit * n
        entry = {"variant": r["variant"], "treated_units": n, "cost": cost}
        if r.get("effect") is not None:
            gain = r["effect"] * value * n
            entry.update(
                incremental_value=gain, incremental_low=r["ci_low"] * value * n, incremental_high=r["ci_high"] * value * n,
                net=gain - cost, roi=(gain - cost) / cost if cost else None,
            )
        out["variants"].append(entry)
    return out


def analyze(ws: Workspace, key: str, as_of: datetime | None = None, alpha: float = 0.05, segments: bool = True,
            sequential: bool = False, tuning: int = DEFAULT_TUNING) -> dict:
    """The analysis; `sequential` swaps every interval and p-value for the always-valid confidence
    sequence tuned at `tuning` total units (N*, eq. 161), safe to read while the test runs."""
    if sequential and not (isinstance(tuning, int) and tuning >= 1):
        raise ExperimentError(f"tuning: a whole number of units, at least 1, got {tuning!r}")
    seq = tuning if sequential else None
    exp = get_experiment(ws, key)
    if exp.status == "draft":
        raise ExperimentError(f"status: experiment {key!r} has not started; nothing to analyse")
    if not exp.metrics.all():
        raise ExperimentError(f"metrics: experiment {key!r} declares no metric")
    as_of = as_datetime(as_of) if as_of is not None else (exp.stopped_at or datetime.now().replace(microsecond=0))
    metrics = exp.metrics.all()
    kinds = [k for k, _ in exp.metrics.with_kind()]
    con = duckdb.connect()
    try:
        units = load_units(ws, key, exp.unit, as_of)
        values = build_unit_values(ws, con, units, exp.unit, metrics, as_of, [v.name for v in exp.variants])
    finally:
        con.close()
    rows = _by_variant(variant_sums(values, metrics))
    blocks = [_metric_block(exp, i, spec, kinds[i], rows, alpha, seq) for i, spec in enumerate(metrics)]
    if segments:
        primary = [(i, m) for i, m in enumerate(metrics) if kinds[i] == "primary"]
        for i, segs in _segments(exp, values, primary, metrics, alpha, seq).items():
            blocks[i]["segments"] = segs
    counts = [rows.get(v.name, {"n": 0})["n"] for v in exp.variants]
    srm = srm_p_value(counts, [v.weight for v in exp.variants])
    _correct(blocks)
    return {
        "experiment": exp.model_dump(mode="json"),
        "window": {"start": exp.started_at.isoformat() if exp.started_at else None, "as_of": as_of.isoformat()},
        "alpha": alpha,
        "sequential": {"tuning": tuning} if sequential else None,
        "units": {"total": sum(counts), "by_variant": dict(zip([v.name for v in exp.variants], counts))},
        "srm_p_value": srm,
        "srm_warning": (
            f"sample-ratio mismatch: unit counts {counts} do not fit the weights (p = {srm:.2g} < {SRM_THRESHOLD}); "
            "the assignment or the data is broken — do not trust the effects"
            if srm < SRM_THRESHOLD else None
        ),
        "metrics": blocks,
        "roi": _roi(exp, blocks),
        "corrections": {"family": sum(1 for b in blocks for r in b["results"] if r.get("p_value") is not None),
                        "methods": ["holm", "bh"]},
    }


def _correct(blocks: list[dict]) -> None:
    """Holm and BH over every (metric, variant) p-value; written back as p_value_holm / p_value_bh."""
    family = [r for b in blocks for r in b["results"] if r.get("p_value") is not None]
    p = [r["p_value"] for r in family]
    for r, h, bh in zip(family, holm(p), benjamini_hochberg(p)):
        r["p_value_holm"], r["p_value_bh"] = h, bh
