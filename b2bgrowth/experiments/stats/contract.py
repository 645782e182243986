"""The stats calculator's JSON contract (issue 5 item 4): validate, compute, answer.

Input  {"engine", "difference", "alpha", "sequential", "sequential_tuning", "weights",
        "metric": {"type", "inverse"?, "allow_negative"?}, "variants": [{"name", "n", "sum",
        "sum_squares", "covariate_sum"?, "covariate_sum_squares"?, "covariate_product_sum"?}]}
        or, to correct for multiple comparisons, "metrics": [{"name", "type", ..., "variants"}].
Output {"srm_p_value", "results": [one per non-baseline variant]} (see docs/experiments.md).
Every problem is a ContractError naming the field, never a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from b2bgrowth.experiments.stats.bayesian import GaussianPrior, bayesian_test
from b2bgrowth.experiments.stats.cuped import CovariateArm, cuped_compare
from b2bgrowth.experiments.stats.effect import EffectUndefined, compare
from b2bgrowth.experiments.stats.frequentist import welch_t_test
from b2bgrowth.experiments.stats.moments import ArmSummary, Moments
from b2bgrowth.experiments.stats.multiple import adjust
from b2bgrowth.experiments.stats.sequential import DEFAULT_TUNING, confidence_sequence
from b2bgrowth.experiments.stats.srm import srm_p_value

COVARIATE_FIELDS = ("covariate_sum", "covariate_sum_squares", "covariate_product_sum")


class ContractError(ValueError):
    """Bad input; the message names the field (e.g. `variants[1].n`)."""


# ---------------------------------------------------------------- field readers

def _number(obj: dict, key: str, where: str, required: bool = True, default: Any = None) -> float | None:
    if key not in obj or obj[key] is None:
        if required:
            raise ContractError(f"{where}{key}: missing (a number is required)")
        return default
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ContractError(f"{where}{key}: must be a finite number, got {value!r}")
    return float(value)


def _choice(obj: dict, key: str, choices: tuple, default: str, where: str = "") -> str:
    value = obj.get(key, default)
    if value is None:
        value = default
    if value not in choices:
        raise ContractError(f"{where}{key}: must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def _flag(obj: dict, key: str, default: bool, where: str = "") -> bool:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ContractError(f"{where}{key}: must be true or false, got {value!r}")
    return value


@dataclass(frozen=True)
class Variant:
    name: str
    moments: Moments
    covariate: CovariateArm | None


@dataclass(frozen=True)
class MetricInput:
    name: str
    type: str
    inverse: bool
    variants: list[Variant]


@dataclass(frozen=True)
class StatsRequest:
    engine: str
    difference: str
    alpha: float
    sequential: bool
    sequential_tuning: float
    weights: list[float] | None
    prior: GaussianPrior | None
    correction: str | None
    cuped_relative_variance: str
    metrics: list[MetricInput]
    multi: bool  # answered with "metrics": [...] rather than "results": [...]


def _variant(raw: Any, index: int, metric_type: str, allow_negative: bool, prefix: str) -> Variant:
    where = f"{prefix}variants[{index}]."
    if not isinstance(raw, dict):
        raise ContractError(f"{prefix}variants[{index}]: must be an object with name, n, sum, sum_squares")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ContractError(f"{where}name: missing (a non-empty string is required)")
    n = _number(raw, "n", where)
    if n != int(n):
        raise ContractError(f"{where}n: must be a whole number of units, got {raw['n']!r}")
    if n <= 1:
        raise ContractError(f"{where}n: must be more than 1 unit for a variance, got {int(n)}")
    n = int(n)
    total = _number(raw, "sum", where)
    if metric_type == "proportion":
        if total < 0:
            raise ContractError(f"{where}sum: a count of conversions cannot be negative, got {total:g}")
        if total > n:
            raise ContractError(f"{where}sum: {total:g} conversions out of n = {n} units; a proportion's sum cannot exceed n")
        squares = _number(raw, "sum_squares", where, required=False, default=total)
    else:
        if total < 0 and not allow_negative:
            raise ContractError(
                f"{where}sum: negative ({total:g}); if the metric can be negative (e.g. MRR change) "
                'set "metric": {"allow_negative": true}'
            )
        squares = _number(raw, "sum_squares", where)
        if squares < 0:
            raise ContractError(f"{where}sum_squares: a sum of squares cannot be negative, got {squares:g}")
        if squares * n < total**2 * (1 - 1e-12) - 1e-9:
            raise ContractError(
                f"{where}sum_squares: {squares:g} is below sum²/n = {total**2 / n:g}, which no data can give"
            )
    moments = Moments(n, total, squares, metric_type)  # type: ignore[arg-type]
    present = [f for f in COVARIATE_FIELDS if raw.get(f) is not None]
    if not present:
        return Variant(name.strip(), moments, None)
    pre_sum = _number(raw, "covariate_sum", where)
    product = _number(raw, "covariate_product_sum", where)
    if metric_type == "proportion" and raw.get("covariate_sum_squares") is None:
        if not 0 <= pre_sum <= n:
            raise ContractError(f"{where}covariate_sum: a pre-period proportion's sum must lie in 0..n, got {pre_sum:g}")
        pre = Moments(n, pre_sum, pre_sum, "proportion")
    else:
        pre_squares = _number(raw, "covariate_sum_squares", where)
        if pre_squares < 0 or pre_squares * n < pre_sum**2 * (1 - 1e-12) - 1e-9:
            raise ContractError(f"{where}covariate_sum_squares: {pre_squares:g} is below covariate_sum²/n")
        pre = Moments(n, pre_sum, pre_squares, "mean")
    return Variant(name.strip(), moments, CovariateArm(moments, pre, product))


def _metric(raw: Any, variants_raw: Any, prefix: str, inverse_default: bool) -> MetricInput:
    if not isinstance(raw, dict):
        raise ContractError(f'{prefix}metric: missing (an object like {{"type": "proportion"}} is required)')
    where = f"{prefix}metric." if prefix == "" else prefix
    metric_type = _choice(raw, "type", ("proportion", "mean"), None, where)  # type: ignore[arg-type]
    inverse = _flag(raw, "inverse", inverse_default, where)
    allow_negative = _flag(raw, "allow_negative", False, where)
    if not isinstance(variants_raw, list) or len(variants_raw) < 2:
        raise ContractError(f"{prefix}variants: a list of at least 2 variants is required (the first is the baseline)")
    variants = [_variant(v, i, metric_type, allow_negative, prefix) for i, v in enumerate(variants_raw)]
    names = [v.name for v in variants]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ContractError(f"{prefix}variants: names must be unique, repeated: {', '.join(duplicates)}")
    with_covariate = [v.covariate is not None for v in variants]
    if any(with_covariate) and not all(with_covariate):
        missing = variants[with_covariate.index(False)].name
        raise ContractError(
            f"{prefix}variants: covariate fields are on some variants but not on {missing!r}; give them for all or none"
        )
    name = raw.get("name") if isinstance(raw.get("name"), str) else "metric"
    return MetricInput(name, metric_type, inverse, variants)


def parse_request(data: Any, lower_is_better: bool = False) -> StatsRequest:
    if not isinstance(data, dict):
        raise ContractError("input: must be a JSON object")
    engine = _choice(data, "engine", ("frequentist", "bayesian"), "frequentist")
    difference = _choice(data, "difference", ("relative", "absolute"), "relative")
    alpha = _number(data, "alpha", "", required=False, default=0.05)
    if not 0 < alpha < 1:
        raise ContractError(f"alpha: must lie strictly between 0 and 1, got {alpha:g}")
    sequential = _flag(data, "sequential", False)
    if sequential and engine == "bayesian":
        raise ContractError('sequential: confidence sequences belong to the frequentist engine; set "engine": "frequentist"')
    tuning = _number(data, "sequential_tuning", "", required=False, default=float(DEFAULT_TUNING))
    if tuning <= 0:
        raise ContractError(f"sequential_tuning: must be a positive number of units, got {tuning:g}")
    correction = _choice(data, "correction", ("none", "holm", "bh"), "none")
    cuped_form = _choice(data, "cuped_relative_variance", ("issue", "full"), "issue")
    prior = None
    if data.get("prior") is not None:
        raw_prior = data["prior"]
        if not isinstance(raw_prior, dict):
            raise ContractError('prior: must be an object {"mean": .., "variance": ..}')
        variance = _number(raw_prior, "variance", "prior.")
        if variance <= 0:
            raise ContractError(f"prior.variance: must be positive, got {variance:g}")
        prior = GaussianPrior(_number(raw_prior, "mean", "prior.", required=False, default=0.0), variance)

    if "metrics" in data:
        raw_metrics = data["metrics"]
        if not isinstance(raw_metrics, list) or not raw_metrics:
            raise ContractError("metrics: must be a non-empty list of metrics, each with its variants")
        metrics = []
        for i, m in enumerate(raw_metrics):
            if not isinstance(m, dict):
                raise ContractError(f"metrics[{i}]: must be an object with type and variants")
            metrics.append(_metric(m, m.get("variants"), f"metrics[{i}].", lower_is_better))
        multi = True
    else:
        metrics = [_metric(data.get("metric"), data.get("variants"), "", lower_is_better)]
        multi = False

    weights = None
    if data.get("weights") is not None:
        raw_weights = data["weights"]
        count = len(metrics[0].variants)
        if not isinstance(raw_weights, list) or len(raw_weights) != count:
            raise ContractError(f"weights: must be a list of {count} numbers, one per variant")
        weights = [_number({"w": w}, "w", f"weights[{i}]") for i, w in enumerate(raw_weights)]
        if any(w <= 0 for w in weights):
            raise ContractError("weights: every weight must be positive")
    return StatsRequest(
        engine, difference, alpha, sequential, tuning, weights, prior,
        None if correction == "none" else correction, cuped_form, metrics, multi,
    )


# ---------------------------------------------------------------- computation

def _compare_one(request: StatsRequest, metric: MetricInput, baseline: Variant, variant: Variant) -> dict:
    row: dict[str, Any] = {"variant": variant.name}
    try:
        if baseline.covariate is not None:
            effect, theta = cuped_compare(
                baseline.covariate, variant.covariate, request.difference, request.cuped_relative_variance  # type: ignore[arg-type]
            )
            row["theta"] = theta
        else:
            effect = compare(ArmSummary.from_moments(baseline.moments), ArmSummary.from_moments(variant.moments), request.difference)  # type: ignore[arg-type]
    except EffectUndefined as exc:
        empty = ("effect", "ci_low", "ci_high", "std_error")
        extra = ("p_value",) if request.engine == "frequentist" else ("chance_to_win", "risk")
        row.update({k: None for k in empty + extra})
        row["error"] = f"{variant.name} vs {baseline.name}: {exc}"
        return row
    if request.engine == "bayesian":
        result = bayesian_test(effect, request.alpha, metric.inverse, request.prior)
        row.update(
            effect=result.effect, ci_low=result.ci_low, ci_high=result.ci_high, std_error=result.std_error,
            chance_to_win=result.chance_to_win, risk=result.risk, risk_baseline=result.risk_baseline,
        )
    else:
        test = confidence_sequence(effect, request.alpha, request.sequential_tuning) if request.sequential else welch_t_test(effect, request.alpha)
        row.update(
            effect=test.effect, ci_low=test.ci_low, ci_high=test.ci_high, std_error=test.std_error,
            p_value=test.p_value, dof=test.dof,
        )
    return row


def run(request: StatsRequest) -> dict:
    blocks = []
    for metric in request.metrics:
        baseline, others = metric.variants[0], metric.variants[1:]
        blocks.append({
            "metric": metric.name,
            "baseline": baseline.name,
            "srm_p_value": srm_p_value([v.moments.n for v in metric.variants], request.weights),
            "results": [_compare_one(request, metric, baseline, v) for v in others],
        })
    if request.correction and request.engine == "frequentist":
        rows = [r for b in blocks for r in b["results"] if r.get("p_value") is not None]
        for row, adjusted in zip(rows, adjust([r["p_value"] for r in rows], request.correction)):  # type: ignore[arg-type]
            row["p_value_adjusted"] = adjusted
    if request.multi:
        return {"srm_p_value": blocks[0]["srm_p_value"], "correction": request.correction, "metrics": blocks}
    single = blocks[0]
    return {"srm_p_value": single["srm_p_value"], "baseline": single["baseline"], "results": single["results"]}


def compute(data: Any, lower_is_better: bool = False) -> dict:
    """Validate the JSON contract and answer it (raises ContractError on bad input)."""
    return run(parse_request(data, lower_is_better))
