"""Training examples for the churn model: past snapshots, the contract due next, and its outcome.

At each snapshot date t (month-ends before as_of) an account whose earliest contract chain
(as the Foundation defines chains, on rows with start_date ≤ t) is due in (t, t + 90] is one
example: its features are `account_signals(ws, t)` and its label is 1 when that chain was NOT
renewed within the grace. Point in time: an example counts only when due + grace ≤ as_of, and
the label reads only rows with start_date ≤ as_of. A chain counts as renewed when a row of the
same account and product (any subscription_id, the same one included) is active on some day of
[due, due + grace] — the Foundation's renewal_gap ≤ grace, read on the rows known at as_of.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.revenue.api import chains_due_after, to_day

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

WINDOW_DAYS = 90
# Snapshots cost one account_signals() each (a scan of 90 days of events): at L (100k accounts,
# 50M events) about a second or two each, so 12 keep a first fit well inside the minute.
MAX_SNAPSHOTS = 12
NO_PRODUCT = "\x00no product"


def month_ends_before(as_of: date, grace: int, first: date | None, limit: int = MAX_SNAPSHOTS) -> list[date]:
    """The last `limit` month-ends t with t + 1 + grace ≤ as_of (some due date can be known) and t ≥ first."""
    out: list[date] = []
    t = as_of.replace(day=1) - timedelta(days=1)
    while len(out) < limit and (first is None or t >= first):
        if t + timedelta(days=1 + grace) <= as_of:
            out.append(t)
        t = t.replace(day=1) - timedelta(days=1)
    return sorted(out)


def _product_key(frame: pd.DataFrame) -> pd.Series:
    return frame["product"].astype(object).where(frame["product"].notna(), NO_PRODUCT)


def due_next(rows: pd.DataFrame, t: date) -> pd.DataFrame:
    """[account_id, subscription_id, product_key, due_day, units] — each account's earliest chain due in (t, t+90]."""
    chains = chains_due_after(rows, to_day(t), WINDOW_DAYS)
    chains["product_key"] = _product_key(chains)
    chains = chains.sort_values(["account_id", "due_day", "subscription_id"], kind="stable")
    return chains.drop_duplicates("account_id")[["account_id", "subscription_id", "product_key", "due_day", "units"]]


def not_renewed(due: pd.DataFrame, known_rows: pd.DataFrame, grace: int) -> np.ndarray:
    """1 where no row of the same account and product is active on a day of [due, due + grace]."""
    if due.empty:
        return np.zeros(0, dtype=int)
    candidates = known_rows[["account_id", "product", "start", "end"]].copy()
    candidates["product_key"] = _product_key(candidates)
    pairs = due.reset_index()[["index", "account_id", "product_key", "due_day"]].merge(
        candidates[["account_id", "product_key", "start", "end"]], on=["account_id", "product_key"])
    hit = (pairs["end"] > pairs["due_day"]) & (pairs["start"] <= pairs["due_day"] + grace)
    renewed = set(pairs.loc[hit, "index"])
    return np.array([0 if i in renewed else 1 for i in due.index], dtype=int)


def build_examples(ws: Workspace, as_of: date, grace: int, signals_at,
                   snapshots: list[date] | None = None) -> pd.DataFrame:
    """One row per (snapshot, account) with a known outcome: signals columns + snapshot, due_day, churned."""
    from b2bgrowth.success.signals import signal_inputs

    rows = signal_inputs(ws).rows  # load_subscription_rows(ws), loaded once per store revision
    known = rows[rows["start"] <= to_day(as_of)]
    if snapshots is None:
        first = None
        if len(known):
            first = date.fromordinal(date(1970, 1, 1).toordinal() + int(known["start"].min()))
        snapshots = month_ends_before(as_of, grace, first)
    frames = []
    limit = to_day(as_of) - grace
    due_at = []
    for t in snapshots:
        due = due_next(known, t)
        due = due[due["due_day"] <= limit]
        if due.empty:
            continue
        due = due.reset_index(drop=True)
        due["churned"] = not_renewed(due, known, grace)
        due_at.append((t, due))
    prefetch = getattr(signals_at, "prefetch", None)
    if prefetch is not None:  # all snapshot days at once (one pass), only the accounts with a chain due
        prefetch(ws, {t: due["account_id"].tolist() for t, due in due_at})
    for t, due in due_at:
        signals = signals_at(ws, t)
        if signals is None or signals.empty:
            continue
        merged = signals.merge(due[["account_id", "due_day", "units", "churned"]], on="account_id", how="inner")
        merged["snapshot"] = t
        frames.append(merged)
    if not frames:
        return pd.DataFrame(columns=["account_id", "snapshot", "due_day", "churned"])
    return pd.concat(frames, ignore_index=True)
