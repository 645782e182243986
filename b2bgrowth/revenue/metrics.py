"""Period metrics of revenue and retention (docs/metrics.md defines each one).

Inputs are the dated facts (movements, renewal chains) and the periods; every figure is a
vectorised sum over (segment, period) cells, so the cost grows with the number of movements
and periods, not with accounts × days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from b2bgrowth.accounts.api import ALL, sort_segments
from b2bgrowth.reporting.periods import Period
from b2bgrowth.revenue.facts import KINDS, UNITS, to_day

COLUMNS = (
    "period_start", "period_end", "segment", "mrr_start", "new", "expansion", "contraction", "churn",
    "reactivation", "mrr_end", "arr", "customers", "new_customers", "churned_customers",
    "reactivated_customers", "arpa", "grr", "nrr", "logo_churn_rate", "revenue_churn_rate", "quick_ratio",
    "renewals_due", "renewals_renewed", "renewal_rate", "renewal_rate_arr",
)


def ratio(numerator: float, denominator: float) -> float | None:
    """A ratio, or None (JSON null) when it is undefined."""
    if denominator == 0 or np.isnan(denominator) or np.isnan(numerator):
        return None
    return round(float(numerator) / float(denominator), 6)


def money(units: float) -> float:
    return round(float(units) / UNITS, 4)


class Cells:
    """Sums into a (segment, period) grid."""

    def __init__(self, segments: int, periods: int):
        self.shape = (segments, periods)

    def add(self, segment: np.ndarray, period: np.ndarray, weights=None) -> np.ndarray:
        flat = segment * self.shape[1] + period
        return np.bincount(flat, weights=weights, minlength=self.shape[0] * self.shape[1]).reshape(self.shape)


def segment_codes(account_ids: pd.Series, segment_of: dict | None, labels: list) -> np.ndarray:
    if segment_of is None:
        return np.zeros(len(account_ids), dtype=np.int64)
    index = {label: i for i, label in enumerate(labels)}
    codes, accounts = pd.factorize(account_ids)
    per_account = np.array([index[segment_of.get(a)] for a in accounts], dtype=np.int64)
    return per_account[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def segment_labels(movements: pd.DataFrame, chains: pd.DataFrame, segment_of: dict | None) -> list:
    if segment_of is None:
        return [ALL]
    accounts = set(movements["account_id"].unique()) | set(chains["account_id"].unique())
    return sort_segments(segment_of.get(a) for a in accounts)


def period_metrics(movements: pd.DataFrame, chains: pd.DataFrame, periods: list[Period],
                   segment_of: dict | None, grace_days: int) -> list[dict]:
    labels = segment_labels(movements, chains, segment_of)
    n_seg, n_per = len(labels), len(periods)
    cells = Cells(n_seg, n_per)
    starts = np.array([to_day(p.start) for p in periods], dtype=np.int64)
    last_day = to_day(periods[-1].end)

    day = movements["day"].to_numpy()
    seg = segment_codes(movements["account_id"], segment_of, labels)
    delta = movements["delta"].to_numpy()
    kind = movements["kind"].to_numpy()
    logo = np.where(np.isin(kind, ("new", "reactivation")), 1, np.where(kind == "churn", 0 - 1, 0))

    # MRR and customers at the end of each boundary day: the day before each period, and
    # the last day. A movement counts at every boundary on or after its day.
    boundaries = np.r_[starts - 1, last_day]
    slot = np.searchsorted(boundaries, day, side="left")  # first boundary >= day
    grid = Cells(n_seg, n_per + 2)
    mrr_at = np.cumsum(grid.add(seg, slot, delta.astype("float64")), axis=1)
    customers_at = np.cumsum(grid.add(seg, slot, logo.astype("float64")), axis=1)

    inside = (day >= starts[0]) & (day <= last_day)
    period = np.searchsorted(starts, day, side="right") - 1
    sums = {k: np.zeros(cells.shape) for k in KINDS}
    counts = {k: np.zeros(cells.shape) for k in KINDS}
    amount = np.abs(delta).astype("float64")
    for k in KINDS:
        mask = inside & (kind == k)
        sums[k] = cells.add(seg[mask], period[mask], amount[mask])
        counts[k] = cells.add(seg[mask], period[mask])

    retained = _retention(movements, inside, period, seg, cells)
    renewals = _renewals(chains, starts, last_day, segment_of, labels, cells, grace_days)

    out = []
    for p_index, p in enumerate(periods):
        for s_index, label in enumerate(labels):
            cell = (s_index, p_index)
            mrr_start, mrr_end = mrr_at[s_index, p_index], mrr_at[s_index, p_index + 1]
            customers_start, customers = customers_at[s_index, p_index], customers_at[s_index, p_index + 1]
            s = {k: sums[k][cell] for k in KINDS}
            lost = s["contraction"] + s["churn"]
            due, renewed, due_arr, renewed_arr = (r[cell] for r in renewals)
            out.append({
                **p.as_dict(), "segment": label,
                "mrr_start": money(mrr_start), "new": money(s["new"]), "expansion": money(s["expansion"]),
                "contraction": money(s["contraction"]), "churn": money(s["churn"]),
                "reactivation": money(s["reactivation"]), "mrr_end": money(mrr_end),
                "arr": money(mrr_end * 12), "customers": int(customers),
                "new_customers": int(counts["new"][cell]), "churned_customers": int(counts["churn"][cell]),
                "reactivated_customers": int(counts["reactivation"][cell]),
                "arpa": None if customers == 0 else round(float(mrr_end) / customers / UNITS, 4),
                "grr": ratio(mrr_start + retained["grr"][cell], mrr_start),
                "nrr": ratio(mrr_start + retained["nrr"][cell], mrr_start),
                "logo_churn_rate": ratio(retained["lost_logos"][cell], customers_start),
                "revenue_churn_rate": ratio(lost, mrr_start),
                "quick_ratio": ratio(s["new"] + s["expansion"] + s["reactivation"], lost),
                "renewals_due": int(due), "renewals_renewed": int(renewed),
                "renewal_rate": ratio(renewed, due), "renewal_rate_arr": ratio(renewed_arr, due_arr),
            })
    return out


def _retention(movements: pd.DataFrame, inside, period, seg, cells: Cells) -> dict[str, np.ndarray]:
    """Changes, over the accounts paying at the start, that turn mrr_start into NRR/GRR sums.

    An account that does not move in a period ends it with the MRR it started with, so only
    accounts with movements in the period change Σ mrr_end (NRR) or Σ min(mrr_end, mrr_start)
    (GRR). Their start is the `before` of their first movement in the period, their end the
    `after` of their last one (movements are sorted by account, then day).
    """
    account = pd.factorize(movements["account_id"])[0][inside]
    per, sg = period[inside], seg[inside]
    before, after = movements["before"].to_numpy()[inside], movements["after"].to_numpy()[inside]
    empty = {k: np.zeros(cells.shape) for k in ("nrr", "grr", "lost_logos")}
    if account.size == 0:
        return empty
    group_start = np.r_[True, (account[1:] != account[:-1]) | (per[1:] != per[:-1])]
    group_end = np.r_[group_start[1:], True]
    start_mrr, end_mrr = before[group_start], after[group_end]
    paying = start_mrr > 0
    per, sg = per[group_start][paying], sg[group_start][paying]
    start_mrr, end_mrr = start_mrr[paying].astype("float64"), end_mrr[paying].astype("float64")
    return {
        "nrr": cells.add(sg, per, end_mrr - start_mrr),
        "grr": cells.add(sg, per, np.minimum(end_mrr, start_mrr) - start_mrr),
        "lost_logos": cells.add(sg, per, (end_mrr == 0).astype("float64")),
    }


def _renewals(chains: pd.DataFrame, starts, last_day, segment_of, labels, cells: Cells, grace_days: int):
    due_day = chains["due_day"].to_numpy()
    inside = (due_day >= starts[0]) & (due_day <= last_day)
    due = chains[inside]
    per = np.searchsorted(starts, due_day[inside], side="right") - 1
    sg = segment_codes(due["account_id"], segment_of, labels)
    renewed = (due["renewal_gap"].to_numpy() <= grace_days)  # NaN (never renewed) compares False
    arr = due["units"].to_numpy().astype("float64") * 12
    return (cells.add(sg, per), cells.add(sg, per, renewed.astype("float64")),
            cells.add(sg, per, arr), cells.add(sg, per, arr * renewed))
