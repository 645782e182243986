"""Difference-in-differences against a matched control, for treatments that were not randomised.

1. Treated accounts: the ids given, or every account touched by the campaign (touches.campaign_id).
2. The metric per account per period, as a daily rate (events ÷ days, or Σ value ÷ days):
   the pre window is cut into `pre_periods` equal periods, the post window is one period.
3. Matching: each treated account gets its k nearest untreated accounts (with replacement) by
   Euclidean distance on standardised features — its rate in every pre period, log(1 + employees)
   — within the same tier (exact match on tier when the tier has enough controls).
4. Effect: for treated account i with matches M(i),
      dᵢ = (postᵢ − preᵢ) − mean_{j∈M(i)} (postⱼ − preⱼ)      (pre = mean of the pre periods)
   effect = mean(dᵢ), std error = sd(dᵢ)/√n, interval and p-value from Student's t with n − 1
   degrees of freedom (treating the matched differences as independent).
5. Parallel trends: the gap gₜ = treated − matched in each pre period; per treated account the
   least-squares slope of its gap over the pre periods; a t test that the mean slope is 0.
   A small p-value says the two groups were already drifting apart — do not trust the effect.
   Matching on the same pre periods makes the groups close by construction, so this check is
   weaker than with an unmatched control; it still catches diverging trends within the window.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import duckdb
import numpy as np
from scipy import stats
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments.metrics import _in_list, _lit, as_datetime
from b2bgrowth.experiments.schemas import ExperimentError, MetricSpec

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

Window = tuple[date | datetime | str, date | datetime | str]


def campaign_accounts(ws: Workspace, campaign_id: str) -> list[str]:
    from b2bgrowth.leads.models import Touch

    with ws.store.read() as session:
        ids = session.scalars(
            select(Touch.account_id).where(Touch.campaign_id == campaign_id, Touch.account_id.is_not(None)).distinct()
        ).all()
    if not ids:
        raise ExperimentError(f"campaign_id: no account was touched by campaign {campaign_id!r}")
    return sorted(i for i in ids if i is not None)  # the query leaves None out already


def _metric(metric: MetricSpec | str | Sequence[str]) -> MetricSpec:
    if isinstance(metric, MetricSpec):
        if metric.source != "events" or metric.type == "ratio":
            raise ExperimentError("metric: difference-in-differences reads event metrics (count, mean, proportion)")
        return metric
    names = [metric] if isinstance(metric, str) else list(metric)
    return MetricSpec(name="+".join(names), type="count", events=names)


def _periods(pre: Window, post: Window, pre_periods: int) -> list[tuple[datetime, datetime, str]]:
    pre_start, pre_end = as_datetime(pre[0]), as_datetime(pre[1])
    post_start, post_end = as_datetime(post[0]), as_datetime(post[1])
    if not pre_start < pre_end <= post_start < post_end:
        raise ExperimentError("pre/post: need pre_start < pre_end ≤ post_start < post_end")
    step = (pre_end - pre_start) / pre_periods
    cuts = [(pre_start + step * i, pre_start + step * (i + 1), "pre") for i in range(pre_periods)]
    return cuts + [(post_start, post_end, "post")]


def _rates(ws: Workspace, spec: MetricSpec, periods, account_ids: list[str]) -> np.ndarray:
    """accounts × periods matrix of daily rates."""
    index = {a: i for i, a in enumerate(account_ids)}
    out = np.zeros((len(account_ids), len(periods)))
    value = "1"
    if spec.value_property and spec.type in ("mean", "revenue"):
        value = f"coalesce(try_cast(json_extract_string(properties, {_lit('$.' + spec.value_property)}) AS DOUBLE), 0)"
    cases = ", ".join(
        f"sum({value}) FILTER (WHERE ts >= TIMESTAMP {_lit(str(a))} AND ts < TIMESTAMP {_lit(str(b))})" for a, b, _ in periods
    )
    con = duckdb.connect()
    try:
        ws.events.register_view(con)
        rows = con.execute(
            f"""SELECT account_id, {cases} FROM events
            WHERE event IN ({_in_list(spec.events)}) AND account_id IS NOT NULL
              AND ts >= TIMESTAMP {_lit(str(periods[0][0]))} AND ts < TIMESTAMP {_lit(str(periods[-1][1]))}
            GROUP BY account_id"""
        ).fetchall()
    finally:
        con.close()
    days = np.array([(b - a).total_seconds() / 86400 for a, b, _ in periods])
    for row in rows:
        i = index.get(row[0])
        if i is None:
            continue
        values = np.array([float(v or 0.0) for v in row[1:]])
        if spec.type == "proportion":
            out[i] = (values > 0).astype(float)
        else:
            out[i] = values / days
    return out


def _t_summary(values: np.ndarray, alpha: float) -> dict:
    n = len(values)
    mean = float(values.mean())
    se = float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan")
    if not se > 0:
        return {"estimate": mean, "std_error": se, "ci_low": None, "ci_high": None, "p_value": None}
    q = float(stats.t.ppf(1 - alpha / 2, n - 1))
    p = float(2 * stats.t.sf(abs(mean / se), n - 1))
    return {"estimate": mean, "std_error": se, "ci_low": mean - q * se, "ci_high": mean + q * se, "p_value": p}


def did(
    ws: Workspace,
    treated: str | Iterable[str],
    metric: MetricSpec | str | Sequence[str],
    pre: Window,
    post: Window,
    k: int = 3,
    pre_periods: int = 4,
    alpha: float = 0.05,
    exact_tier: bool = True,
) -> dict:
    """Effect of a non-randomised treatment; `treated` is a campaign id (str) or account ids."""
    spec = _metric(metric)
    if k < 1:
        raise ExperimentError(f"k: at least 1 matched control per treated account, got {k}")
    if pre_periods < 2:
        raise ExperimentError(f"pre_periods: at least 2 to check parallel trends, got {pre_periods}")
    treated_ids = campaign_accounts(ws, treated) if isinstance(treated, str) else sorted(set(map(str, treated)))
    periods = _periods(pre, post, pre_periods)
    with ws.store.read() as session:
        accounts = session.execute(select(Account.account_id, Account.tier, Account.employees)).all()
    ids = [a[0] for a in accounts]
    known = set(ids)
    missing = [t for t in treated_ids if t not in known]
    if missing:
        raise ExperimentError(f"treated: {len(missing)} unknown account id(s), e.g. {missing[:3]}")
    is_treated = np.array([a in set(treated_ids) for a in ids])
    if is_treated.sum() < 2 or (~is_treated).sum() < k:
        raise ExperimentError(f"need ≥ 2 treated and ≥ {k} untreated accounts, got {int(is_treated.sum())} and {int((~is_treated).sum())}")
    tiers = np.array([a[1] or "" for a in accounts])
    employees = np.array([math.log1p(a[2] or 0) for a in accounts])
    rates = _rates(ws, spec, periods, ids)
    pre_rates, post_rate = rates[:, :pre_periods], rates[:, pre_periods]
    features = np.column_stack([pre_rates, employees])
    scale = features.std(axis=0)
    features = (features - features.mean(axis=0)) / np.where(scale > 0, scale, 1.0)

    matches: dict[int, np.ndarray] = {}
    control_idx = np.flatnonzero(~is_treated)
    for i in np.flatnonzero(is_treated):
        pool = control_idx
        if exact_tier:
            same = control_idx[tiers[control_idx] == tiers[i]]
            if len(same) >= k:
                pool = same
        dist = np.linalg.norm(features[pool] - features[i], axis=1)
        matches[i] = pool[np.argsort(dist, kind="stable")[:k]]

    change = post_rate - pre_rates.mean(axis=1)
    treated_rows = sorted(matches)
    d = np.array([change[i] - change[matches[i]].mean() for i in treated_rows])
    result = _t_summary(d, alpha)

    gaps = np.array([[pre_rates[i, p] - pre_rates[matches[i], p].mean() for p in range(pre_periods)] for i in treated_rows])
    t = np.arange(pre_periods) - (pre_periods - 1) / 2
    slopes = gaps @ t / float(t @ t)
    trend = _t_summary(slopes, alpha)
    pre_table = []
    for p, (a, b, _) in enumerate(periods[:pre_periods]):
        treated_mean = float(pre_rates[treated_rows, p].mean())
        control_mean = float(np.mean([pre_rates[matches[i], p].mean() for i in treated_rows]))
        pre_table.append({"start": a.isoformat(), "end": b.isoformat(), "treated": treated_mean,
                          "control": control_mean, "gap": treated_mean - control_mean})
    post_treated = float(post_rate[treated_rows].mean())
    post_control = float(np.mean([post_rate[matches[i]].mean() for i in treated_rows]))
    trend_p = trend["p_value"]
    return {
        "metric": spec.name,
        "unit": "per account per day" if spec.type != "proportion" else "share of accounts active in the period",
        "treated_units": len(treated_rows),
        "k": k,
        "effect": result["estimate"],
        "std_error": result["std_error"],
        "ci_low": result["ci_low"],
        "ci_high": result["ci_high"],
        "p_value": result["p_value"],
        "alpha": alpha,
        "pre": {"start": periods[0][0].isoformat(), "end": periods[pre_periods - 1][1].isoformat()},
        "post": {"start": periods[-1][0].isoformat(), "end": periods[-1][1].isoformat(),
                 "treated": post_treated, "control": post_control},
        "matched": [{"unit_id": ids[i], "controls": [ids[j] for j in matches[i]]} for i in treated_rows],
        "parallel_trends": {
            "pre_periods": pre_table,
            "slope": trend["estimate"],
            "p_value": trend_p,
            "warning": (
                f"pre-period trends differ (p = {trend_p:.2g} < {alpha}): the control may not show what the treated would have done"
                if trend_p is not None and trend_p < alpha else None
            ),
        },
    }


def window(text: str, where: str) -> tuple[datetime, datetime]:
    """'2026-01-01..2026-03-01' → (start, end)."""
    try:
        a, b = text.split("..")
        return as_datetime(a.strip()), as_datetime(b.strip())
    except ValueError:
        raise ExperimentError(f"{where}: expected START..END dates (e.g. 2026-01-01..2026-03-01), got {text!r}") from None


def default_windows(ws: Workspace, campaign_id: str, days: int = 56) -> tuple[Window, Window]:
    """Pre = the `days` before the campaign's start, post = its run (or `days` after the start)."""
    from b2bgrowth.channels.models import Campaign

    with ws.store.read() as session:
        campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.start_date is None:
        raise ExperimentError(f"campaign_id: {campaign_id!r} is unknown or has no start_date; give --pre and --post")
    start = as_datetime(campaign.start_date)
    end = as_datetime(campaign.end_date) + timedelta(days=1) if campaign.end_date else start + timedelta(days=days)
    return (start - timedelta(days=days), start), (start, end)
