"""Cohort retention by first-paid month: which share of a month's new customers, and of their
MRR, is still there at the end of each following month."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from b2bgrowth.accounts.api import ALL
from b2bgrowth.reporting.periods import make_periods
from b2bgrowth.revenue.facts import UNITS, to_day
from b2bgrowth.revenue.metrics import ratio, segment_codes, segment_labels

FAR = np.int64(10**8)


def cohort_matrix(movements: pd.DataFrame, start: date, end: date, segment_of: dict | None) -> list[dict]:
    months = make_periods("month", start, end)
    month_starts = np.array([to_day(m.start) for m in months], dtype=np.int64)
    month_ends = np.array([to_day(m.end) for m in months], dtype=np.int64)
    n_months = len(months)

    account = movements["account_id"]
    day = movements["day"].to_numpy()
    first_day = movements.loc[movements["kind"] == "new"].set_index("account_id")["day"]
    first = account.map(first_day).to_numpy(dtype=np.int64)
    cohort = np.searchsorted(month_starts, first, side="right") - 1
    in_range = (first >= month_starts[0]) & (first <= month_ends[-1])

    # Each movement sets the account's MRR from its day until the account's next movement:
    # it is the MRR at every month end in [day, next day).
    same_next = np.r_[account.to_numpy()[1:] == account.to_numpy()[:-1], False]
    next_day = np.where(same_next, np.r_[day[1:], FAR], FAR)
    lo = np.searchsorted(month_ends, day, side="left")
    hi = np.searchsorted(month_ends, next_day, side="left")
    after = movements["after"].to_numpy()
    keep = in_range & (after > 0) & (hi > lo)
    labels = segment_labels(movements[in_range], movements.iloc[0:0], segment_of)
    seg = segment_codes(account, segment_of, labels)

    idx = np.flatnonzero(keep)
    lengths = (hi - lo)[idx]
    rep = np.repeat(idx, lengths)
    offsets = np.arange(rep.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    month = lo[rep] + offsets
    key = (seg[rep] * n_months + cohort[rep]) * n_months + month
    size = len(labels) * n_months * n_months
    paying = np.bincount(key, minlength=size).reshape(len(labels), n_months, n_months)
    mrr = np.bincount(key, weights=after[rep].astype("float64"), minlength=size).reshape(paying.shape)

    newcomers = in_range & (movements["kind"].to_numpy() == "new")
    sizes = np.bincount(seg[newcomers] * n_months + cohort[newcomers],
                        minlength=len(labels) * n_months).reshape(len(labels), n_months)
    out = []
    for c, m in enumerate(months):
        for s, label in enumerate(labels):
            customers = int(sizes[s, c])
            if customers == 0:
                continue
            base = mrr[s, c, c]
            out.append({
                "cohort": m.start.strftime("%Y-%m"), "segment": label if segment_of is not None else ALL,
                "customers": customers, "mrr": round(float(base) / UNITS, 4),
                "retention": [
                    {"offset": k, "logo": ratio(paying[s, c, c + k], customers), "revenue": ratio(mrr[s, c, c + k], base)}
                    for k in range(n_months - c)
                ],
            })
    return out
