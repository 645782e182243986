"""Revenue facts derived from subscription rows: MRR movements and renewal chains.

Everything is computed from change points, never day by day: a row adds its MRR on its
start_date and removes it on its end_date (exclusive), so an account's MRR only changes on
those days. Summing the changes per (account, day) nets several subscription changes on one
day into one movement. Money is held as integers of 1/10,000 of the reporting currency so
that sums are exact and "MRR back to 0" is never 1e-12.

Days are integers: days since 1970-01-01 (numpy datetime64[D] as int).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.revenue.currency import convert, load_rates

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

UNITS = 10_000  # money units per currency unit (Numeric(18, 4) in the store)
NO_END = np.int64(10**7)  # an ongoing row ends after every date a report can ask for
KINDS = ("new", "expansion", "contraction", "churn", "reactivation")
EPOCH = date(1970, 1, 1)


def to_day(d: date) -> int:
    return (d - EPOCH).days


def from_day(day: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(day))


def day_number_sql(ws: Workspace, column: str) -> str:
    """SQL for a DATE column as days since 1970-01-01 (NULL stays NULL), on either store."""
    if ws.store.is_sqlite:
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _row_query(ws: Workspace) -> str:
    # Dates as day numbers and money as floats straight from SQL: one query, no Python
    # date objects or Decimals for 600k rows.
    money = "CAST(mrr AS REAL)" if ws.store.is_sqlite else "CAST(mrr AS DOUBLE PRECISION)"
    return (
        f"SELECT subscription_id, account_id, product, {day_number_sql(ws, 'start_date')}, "
        f"{day_number_sql(ws, 'end_date')}, {money}, currency FROM subscriptions"
    )


def load_subscription_rows(ws: Workspace, account_id: str | None = None) -> pd.DataFrame:
    """Every subscription row (or one account's) with MRR converted to reporting units."""
    sql = _row_query(ws)
    args: tuple = ()
    if account_id is not None:
        sql += " WHERE account_id = " + ws.store.placeholder
        args = (account_id,)
    columns = ["subscription_id", "account_id", "product", "start", "end", "mrr", "currency"]
    frame = ws.store.fetch_frame(sql, columns, args)
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].fillna(NO_END).astype("int64")
    frame["mrr"] = frame["mrr"].astype("float64")
    frame["units"] = _converted_units(ws, frame)
    return frame


def _converted_units(ws: Workspace, frame: pd.DataFrame) -> np.ndarray:
    reporting = ws.settings.reporting_currency
    if frame.empty:
        return np.zeros(0, dtype=np.int64)
    ids = frame["subscription_id"].to_numpy()
    converted = convert(frame["mrr"].to_numpy(), frame["currency"].to_numpy(), load_rates(ws), reporting,
                        where=lambda i: f"subscription {ids[i]}")
    return np.rint(converted * UNITS).astype(np.int64)


def compute_movements(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (account, day) on which the account's MRR changed.

    Columns: account_id, day, delta, before, after (integer units), kind.
    """
    paying = rows[(rows["units"] > 0) & (rows["end"] > rows["start"])]
    accounts, codes = np.unique(paying["account_id"].to_numpy(dtype=object).astype(str), return_inverse=True)
    ends = paying["end"].to_numpy() < NO_END
    account = np.concatenate([codes, codes[ends]])
    day = np.concatenate([paying["start"].to_numpy(), paying["end"].to_numpy()[ends]])
    change = np.concatenate([paying["units"].to_numpy(), -paying["units"].to_numpy()[ends]])
    if account.size == 0:
        return pd.DataFrame({"account_id": pd.Series(dtype=str), "day": pd.Series(dtype="int64"),
                             "delta": pd.Series(dtype="int64"), "before": pd.Series(dtype="int64"),
                             "after": pd.Series(dtype="int64"), "kind": pd.Series(dtype=str)})
    order = np.lexsort((day, account))
    account, day, change = account[order], day[order], change[order]
    # Net every change of one account on one day.
    boundary = np.r_[True, (account[1:] != account[:-1]) | (day[1:] != day[:-1])]
    starts = np.flatnonzero(boundary)
    delta = np.add.reduceat(change, starts)
    account, day = account[starts], day[starts]
    moved = delta != 0
    account, day, delta = account[moved], day[moved], delta[moved]
    # Running MRR per account: a global cumulative sum minus what earlier accounts added.
    first = np.r_[True, account[1:] != account[:-1]]
    running = np.cumsum(delta)
    group = np.cumsum(first) - 1
    base = (running - delta)[first][group]
    after = running - base
    before = after - delta
    kind = np.where(
        before == 0, np.where(first, "new", "reactivation"),
        np.where(after == 0, "churn", np.where(delta > 0, "expansion", "contraction")),
    )
    return pd.DataFrame({"account_id": accounts[account], "day": day.astype("int64"), "delta": delta,
                         "before": before, "after": after, "kind": kind})


def chains_due_after(rows: pd.DataFrame, day: int, horizon: int | None = None) -> pd.DataFrame:
    """The chains compute_chains(rows[rows.start <= day]) finds due in (day, day + horizon]
    (horizon None: any time after day), as [account_id, subscription_id, product, due_day, units],
    without building every chain.

    Why it is the same set: among rows started by `day`, a row with end > day cannot be followed
    in its chain (the next row would start at its end, after `day`), so it is its chain's last
    row, and a chain due after `day` ends with such a row. So the due chains are exactly the
    rows with start ≤ day < end < NO_END and MRR > 0 (compute_chains' due rule); units are that
    row's. (tests/revenue: a property test checks this against compute_chains.) The churn model
    asks for this at 12 snapshot days and the signals at every as_of: at L, 0.3 s saved each.
    """
    start, end = rows["start"].to_numpy(), rows["end"].to_numpy()
    keep = (start <= day) & (end > day) & (end < NO_END) & (rows["mrr"].to_numpy() > 0)
    if horizon is not None:
        keep &= end <= day + horizon
    due = rows.loc[keep, ["account_id", "subscription_id", "product", "start", "end", "units"]]
    due = due.sort_values(["subscription_id", "start"], kind="stable")  # compute_chains' order
    due = due.drop(columns="start").rename(columns={"end": "due_day"}).reset_index(drop=True)
    due["due_day"] = due["due_day"].astype("int64")
    due["account_id"] = due["account_id"].astype(str)
    due["subscription_id"] = due["subscription_id"].astype(str)
    due["product"] = due["product"].astype(object)
    return due


def compute_chains(rows: pd.DataFrame) -> pd.DataFrame:
    """Contract chains (rows of one subscription_id back to back) that come due.

    Columns: chain, account_id, subscription_id, product, due_day, units (last row's MRR in
    reporting units), renewal_gap (days from the due date to the first day another row of
    the same product of the account is active; NaN when none is active on or after it).
    A chain is renewed within a grace of g days iff renewal_gap <= g.
    """
    ordered = rows.sort_values(["subscription_id", "start"], kind="stable").reset_index(drop=True)
    sub = ordered["subscription_id"].to_numpy()
    start, end = ordered["start"].to_numpy(), ordered["end"].to_numpy()
    # Sized by the rows, not by np.r_ padding, so an empty store yields empty arrays.
    continues = np.zeros(len(ordered), dtype=bool)
    continues[1:] = (sub[1:] == sub[:-1]) & (start[1:] == end[:-1])
    ordered["chain"] = np.cumsum(~continues) - 1
    chain = ordered["chain"].to_numpy()
    last = np.ones(len(ordered), dtype=bool)  # the last row of each chain
    last[:-1] = chain[1:] != chain[:-1]
    product = ordered["product"].astype(object).where(ordered["product"].notna(), "\x00no product")
    ordered["product_key"] = product
    due = ordered[last & (end < NO_END) & (ordered["mrr"].to_numpy() > 0)]
    due = due[["chain", "account_id", "subscription_id", "product", "product_key", "end", "units"]]
    due = due.rename(columns={"end": "due_day"})
    candidates = ordered[["chain", "account_id", "product_key", "start", "end"]]
    pairs = due[["chain", "account_id", "product_key", "due_day"]].merge(
        candidates, on=["account_id", "product_key"], suffixes=("", "_other"))
    pairs = pairs[(pairs["chain_other"] != pairs["chain"]) & (pairs["end"] > pairs["due_day"])]
    gap = np.maximum(pairs["start"].to_numpy() - pairs["due_day"].to_numpy(), 0)
    best = pd.Series(gap, index=pairs["chain"].to_numpy()).groupby(level=0).min()
    due = due.drop(columns="product_key").reset_index(drop=True)
    due["renewal_gap"] = due["chain"].map(best).astype("float64")
    due["due_day"] = due["due_day"].astype("int64")
    due["account_id"] = due["account_id"].astype(str)
    due["subscription_id"] = due["subscription_id"].astype(str)
    due["product"] = due["product"].astype(object)
    return due


def data_range(ws: Workspace) -> tuple[date | None, date | None]:
    """First and last day the subscription data covers (an ongoing row runs to today); (None, None)
    without rows. Pages default their date range to it (b2bgrowth.web.filters.default_range)."""
    from sqlalchemy import func, select

    from b2bgrowth.revenue.models import Subscription

    with ws.store.read() as session:
        first, last_start, last_end, ongoing = session.execute(
            select(func.min(Subscription.start_date), func.max(Subscription.start_date),
                   func.max(Subscription.end_date),
                   func.count().filter(Subscription.end_date.is_(None)))
        ).one()
    if first is None:
        return None, None
    last = max(d for d in (last_start, last_end) if d is not None)
    if ongoing:
        last = max(last, date.today())
    return first, last
