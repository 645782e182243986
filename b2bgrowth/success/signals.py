"""Per-account signals as of a date: the one table health, risk and playbooks read.

Point in time (docs/customer-success.md): as of D only subscription rows with start_date ≤ D
(end_date as written), events with ts < D + 1 day and NPS responses with at < D + 1 day are
used. Account attributes (name, tier, owner, type, parent, region, industry) are current values.

    chains_as_of(ws, D)      contract chains (Foundation's compute_chains) from rows started by D
    account_signals(ws, D)   one row per account paying on D (MRR on D > 0)
    signals_many(ws, dates)  account_signals for several days, usage computed in one DuckDB pass

Cost: the inputs (subscription rows, accounts, NPS responses, seats) are read from the store
once per store revision of INPUT_ENTITIES and filtered per as_of in memory (signal_inputs), and
each day's result is kept in memory (ws.cache) per (revisions, events ≤ D fingerprint) — the churn
model asks for 12 snapshot days and health for two, and each used to cost a full reload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import select

from b2bgrowth.revenue.api import UNITS, chains_due_after, compute_chains, from_day, load_subscription_rows, to_day
from b2bgrowth.success.usage.features import (
    COUNT_COLUMNS,
    FEATURE_COLUMNS,
    first_usage_day,
    usage_features,
    usage_features_many,
)

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ACCOUNT_COLUMNS = ["name", "tier", "type", "owner", "parent_account_id", "region", "industry"]
SIGNAL_COLUMNS = (["account_id"] + ACCOUNT_COLUMNS + ["mrr", "arr", "seats", "seat_utilisation", "first_paid_day",
                  "days_since_first_paid", "nps_last", "nps_365", "detractors_90d", "next_due_date",
                  "days_to_renewal", "next_due_arr", "next_due_subscription_id"] + FEATURE_COLUMNS[1:]
                  + ["usage_recorded"])


# Store entities the signals read (the write path bumps their revision on every change).
INPUT_ENTITIES = ("subscriptions", "exchange_rates", "accounts", "nps_responses")


@dataclass
class SignalInputs:
    """Everything account_signals reads from the store, unfiltered; as_of filtering is in memory."""
    key: str  # the cache key it was loaded under
    rows: pd.DataFrame      # load_subscription_rows(ws)
    accounts: pd.DataFrame  # account_id + ACCOUNT_COLUMNS, every account, tier resolved
    nps: pd.DataFrame       # account_id, at, score (account_id not null)
    seats: pd.DataFrame     # account_id, seats, start, end (day numbers; rows with seats and mrr > 0)
    _codes: dict = field(default_factory=dict, repr=False, compare=False)
    _first_paid: pd.Series | None = field(default=None, repr=False, compare=False)

    def first_paid(self) -> pd.Series:
        if self._first_paid is None:
            self._first_paid = first_paid_days(self.rows)
        return self._first_paid

    def member(self, frame_name: str, column: str, ids: set) -> np.ndarray:
        """getattr(self, frame_name)[column].isin(ids), on integer codes factorised once per input:
        the churn model restricts the inputs for 12 snapshot days, and a string isin over 600k
        rows each time cost ~0.6 s."""
        cache_key = (frame_name, column)
        if cache_key not in self._codes:
            codes, uniques = pd.factorize(getattr(self, frame_name)[column].to_numpy(dtype=object))
            self._codes[cache_key] = (codes, {u: i for i, u in enumerate(uniques)})
        codes, lookup = self._codes[cache_key]
        wanted = np.fromiter((lookup[i] for i in ids if i in lookup), dtype=codes.dtype)
        return np.isin(codes, wanted)

    def restricted(self, accounts) -> SignalInputs:
        """The inputs the given accounts' signals read: their rows plus every row of a subscription
        they hold (so chains are whole). Each signal is per account, so their rows are unchanged."""
        ids = set(map(str, accounts))
        rows = self.rows
        own = self.member("rows", "account_id", ids)
        self.member("rows", "subscription_id", set())  # factorises the column once
        codes = self._codes[("rows", "subscription_id")][0]
        rows = rows[own | np.isin(codes, np.unique(codes[own]))]
        return SignalInputs(key=self.key, rows=rows.reset_index(drop=True),
                            accounts=self.accounts[self.member("accounts", "account_id", ids)],
                            nps=self.nps[self.member("nps", "account_id", ids)],
                            seats=self.seats[self.member("seats", "account_id", ids)],
                            _first_paid=self.first_paid())


def _member(column: pd.Series, ids: set) -> np.ndarray:
    """column.isin(ids) through an object array: pandas' isin on Arrow strings loops in Python."""
    return pd.Series(column.to_numpy(dtype=object), dtype=object).isin(ids).to_numpy()


_MAX_CACHED_DAYS = 40  # days of signals kept in memory (the churn model asks for 12, health for 2)


def signal_inputs(ws: Workspace) -> SignalInputs:
    """The store inputs, loaded once per revision of INPUT_ENTITIES (and per workspace object)."""
    from b2bgrowth.reporting.cache import CURRENCY

    key = ws.cache.key("signal_inputs", entities=INPUT_ENTITIES, settings=CURRENCY)
    return ws.cache.get_or_compute("signal_inputs", key, lambda: SignalInputs(
        key=key, rows=load_subscription_rows(ws), accounts=_load_accounts(ws), nps=_load_nps(ws),
        seats=_load_seats(ws)))


def day_keys(ws: Workspace, dates) -> dict:
    """{day: cache key of account_signals(ws, day)}: the inputs' revisions and the events ≤ day."""
    from b2bgrowth.reporting.cache import CURRENCY

    return ws.cache.day_keys("signals", dates, entities=INPUT_ENTITIES, settings=CURRENCY)


def rows_as_of(ws: Workspace, as_of: date, inputs: SignalInputs | None = None) -> pd.DataFrame:
    """Subscription rows (load_subscription_rows columns) with start_date ≤ as_of."""
    rows = (inputs or signal_inputs(ws)).rows
    return rows[rows["start"] <= to_day(as_of)].reset_index(drop=True)


def chains_as_of(ws: Workspace, as_of: date, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """compute_chains on the rows with start_date ≤ as_of, plus due_date (datetime.date)."""
    chains = compute_chains(rows_as_of(ws, as_of) if rows is None else rows)
    chains["due_date"] = pd.Series([from_day(d) for d in chains["due_day"]], index=chains.index, dtype=object)
    return chains


def _paying(rows: pd.DataFrame, day: int, first_paid: pd.Series | None = None) -> pd.DataFrame:
    """[account_id, mrr, arr, first_paid_day] for accounts whose MRR on `day` is > 0.
    `first_paid` (first_paid_days of any superset of `rows`) saves recomputing it per day: an
    account paying on `day` first paid on or before it, so later rows cannot change its minimum."""
    active = rows[(rows["start"] <= day) & (rows["end"] > day)]
    units = active.groupby("account_id")["units"].sum()
    units = units[units > 0]
    paid = first_paid_days(rows) if first_paid is None else first_paid
    out = pd.DataFrame({"account_id": units.index.astype(str), "mrr": units.to_numpy() / UNITS})
    out["arr"] = out["mrr"] * 12
    first = paid.reindex(units.index).to_numpy()
    out["first_paid_day"] = pd.Series([from_day(d) for d in first.tolist()], index=out.index, dtype=object)
    return out


def first_paid_days(rows: pd.DataFrame) -> pd.Series:
    """Per account the first day of a row with MRR > 0 (and end > start)."""
    return rows[(rows["units"] > 0) & (rows["end"] > rows["start"])].groupby("account_id")["start"].min()


def _load_seats(ws: Workspace) -> pd.DataFrame:
    """Rows with seats and MRR > 0 as [account_id, seats, start, end] (day numbers, end NaN when
    open): one raw query with the dates converted in SQL, as revenue.facts loads its rows (the ORM
    path with a Python date per row took ~4.5 s at L)."""
    from b2bgrowth.revenue.api import day_number_sql

    sql = (f"SELECT account_id, seats, {day_number_sql(ws, 'start_date')}, {day_number_sql(ws, 'end_date')} "
           "FROM subscriptions WHERE seats IS NOT NULL AND mrr > 0")
    frame = ws.store.fetch_frame(sql, ["account_id", "seats", "start", "end"])
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = pd.to_numeric(frame["end"], errors="coerce").astype("float64")  # NaN = open-ended
    return frame[["account_id", "seats", "start", "end"]]


def _seats(ws: Workspace, as_of: date, inputs: SignalInputs | None = None) -> pd.Series:
    """Σ seats of each account's subscription rows active on as_of (rows without seats ignored)."""
    frame = (inputs or signal_inputs(ws)).seats
    day = to_day(as_of)
    frame = frame[(frame["start"] <= day) & (frame["end"].isna() | (frame["end"] > day))]
    if frame.empty:
        return pd.Series(dtype="float64")
    return frame.groupby("account_id")["seats"].sum().astype("float64")


def _accounts(ws: Workspace, ids: list[str], inputs: SignalInputs | None = None) -> pd.DataFrame:
    frame = (inputs or signal_inputs(ws)).accounts
    return frame[_member(frame["account_id"], set(ids))]


def _load_accounts(ws: Workspace) -> pd.DataFrame:
    from b2bgrowth.accounts.api import effective_tier
    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        rows = session.execute(select(
            Account.account_id, Account.name, Account.tier, Account.tier_override, Account.employees,
            Account.annual_revenue, Account.type, Account.owner, Account.parent_account_id, Account.region,
            Account.industry)).all()
    frame = pd.DataFrame(rows, columns=["account_id", "name", "tier", "tier_override", "employees", "annual_revenue",
                                        "type", "owner", "parent_account_id", "region", "industry"])
    missing = frame["tier"].isna()
    if missing.any():
        frame.loc[missing, "tier"] = [
            effective_tier(r.tier_override, r.employees, None if pd.isna(r.annual_revenue) else float(r.annual_revenue))
            for r in frame[missing].itertuples()]
    return frame[["account_id"] + ACCOUNT_COLUMNS]


def _load_nps(ws: Workspace) -> pd.DataFrame:
    from b2bgrowth.voc.models import NpsResponse

    with ws.store.read() as session:
        rows = session.execute(select(NpsResponse.account_id, NpsResponse.at, NpsResponse.score).where(
            NpsResponse.account_id.is_not(None))).all()
    frame = pd.DataFrame(rows, columns=["account_id", "at", "score"])
    frame["at"] = pd.to_datetime(frame["at"])
    return frame


def nps_as_of(ws: Workspace, as_of: date, inputs: SignalInputs | None = None) -> pd.DataFrame:
    """[account_id, nps_last, nps_365, detractors_90d] from responses with at < as_of + 1 day.

    nps_last = the latest response's score; nps_365 = the NPS (b2bgrowth.voc.nps.nps_value, not
    rounded) of the responses in [as_of − 364, as_of] (null without responses);
    detractors_90d = detractor responses in [as_of − 89, as_of].
    """
    from b2bgrowth.voc.api import PROMOTER_MIN, is_detractor, nps_value

    end = pd.Timestamp(datetime.combine(as_of + timedelta(days=1), datetime.min.time()))
    frame = (inputs or signal_inputs(ws)).nps
    frame = frame[frame["at"] < end]
    columns = ["account_id", "nps_last", "nps_365", "detractors_90d"]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "account_id" else "float64") for c in columns})
    frame["day"] = pd.to_datetime(frame["at"]).dt.normalize()
    last = frame.sort_values(["account_id", "at"], kind="stable").groupby("account_id")["score"].last()
    d = pd.Timestamp(as_of)
    year = frame[frame["day"] > d - pd.Timedelta(days=365)]
    counts = year.assign(promoters=year["score"].to_numpy() >= PROMOTER_MIN,
                         detractors=is_detractor(year["score"].to_numpy())).groupby("account_id").agg(
        promoters=("promoters", "sum"), detractors=("detractors", "sum"), responses=("score", "size"))
    nps = pd.Series(nps_value(counts["promoters"], counts["detractors"], counts["responses"], ndigits=None),
                    index=counts.index)
    recent = frame[(frame["day"] > d - pd.Timedelta(days=90)) & is_detractor(frame["score"].to_numpy())]
    detractors = recent.groupby("account_id").size()
    out = pd.DataFrame({"account_id": last.index.astype(str)})
    out["nps_last"] = last.to_numpy().astype("float64")
    out["nps_365"] = out["account_id"].map(nps).astype("float64")
    out["detractors_90d"] = out["account_id"].map(detractors).fillna(0).astype("int64")
    return out


def _next_due(rows: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per account the earliest chain due after as_of (ties: the larger ARR); `rows` started by as_of."""
    ahead = chains_due_after(rows, to_day(as_of))
    ahead["due_date"] = pd.Series([from_day(d) for d in ahead["due_day"].tolist()], index=ahead.index, dtype=object)
    ahead["next_due_arr"] = ahead["units"] / UNITS * 12
    ahead = ahead.sort_values(["account_id", "due_day", "next_due_arr", "subscription_id"],
                              ascending=[True, True, False, True], kind="stable")
    first = ahead.drop_duplicates("account_id")
    return pd.DataFrame({"account_id": first["account_id"].to_numpy(), "next_due_date": first["due_date"].to_numpy(),
                         "days_to_renewal": (first["due_day"] - to_day(as_of)).to_numpy(),
                         "next_due_arr": first["next_due_arr"].to_numpy(),
                         "next_due_subscription_id": first["subscription_id"].to_numpy()})


def _cached(ws: Workspace, key) -> pd.DataFrame | None:
    frame = ws.cache.peek("signals", key)
    return None if frame is None else frame.copy()


def _remember(ws: Workspace, key, frame: pd.DataFrame) -> None:
    ws.cache.put("signals", key, frame.copy(), keep=_MAX_CACHED_DAYS)


def _subset(frame: pd.DataFrame, accounts) -> pd.DataFrame:
    if accounts is None:
        return frame
    return frame[_member(frame["account_id"], set(map(str, accounts)))].reset_index(drop=True)


def account_signals(ws: Workspace, as_of: date, usage: pd.DataFrame | None = None, accounts=None) -> pd.DataFrame:
    """One row per account paying on as_of: account attributes, money, seats, NPS, next renewal, usage.

    Usage counts are 0 for paying accounts without events; usage_trend_30d, last_active_day,
    days_since_active and seat_utilisation stay null when undefined. `accounts` (ids) keeps only
    those rows (every column is per account, so a subset equals the full frame filtered); when
    the full frame is not kept, only those accounts are computed. Without `usage` and `accounts`
    the result is kept for the process (see the module docstring).
    """
    inputs = signal_inputs(ws)
    if usage is not None:
        return _subset(_compute(ws, as_of, inputs, usage), accounts)
    key = day_keys(ws, [as_of])[as_of]
    frame = _cached(ws, key)
    if frame is None and accounts is not None:
        # A few accounts (the account-360 page) and no full frame kept: compute only theirs,
        # usage windows included, rather than every account's (~10 s at L).
        return signals_many(ws, [as_of], {as_of: list(accounts)})[as_of]
    if frame is None:
        frame = _compute(ws, as_of, inputs, usage_features(ws, as_of))
        _remember(ws, key, frame)
    return _subset(frame, accounts)


def signals_many(ws: Workspace, dates, accounts_by_date: dict | None = None) -> dict[date, pd.DataFrame]:
    """{day: account_signals(ws, day)} for several days; the usage of the days not yet cached is
    computed in one DuckDB pass (usage_features_many). accounts_by_date[day] optionally subsets."""
    inputs = signal_inputs(ws)
    dates = sorted(set(dates))
    keys = day_keys(ws, dates)
    out = {d: _cached(ws, keys[d]) for d in dates}
    missing = [d for d in dates if out[d] is None]
    accounts_by_date = accounts_by_date or {}
    if missing:
        usage = usage_features_many(ws, missing, accounts_by_date=accounts_by_date)
        first = first_usage_day(ws)
        for d in missing:
            if accounts_by_date.get(d) is not None:  # a subset is computed on its own inputs, not kept
                out[d] = _subset(_compute(ws, d, inputs.restricted(accounts_by_date[d]), usage[d], first),
                                 accounts_by_date[d])
                continue
            out[d] = _compute(ws, d, inputs, usage[d], first)
            _remember(ws, keys[d], out[d])
    return {d: _subset(out[d], accounts_by_date.get(d)) for d in dates}


_UNSET = object()


def _compute(ws: Workspace, as_of: date, inputs: SignalInputs, usage: pd.DataFrame, first_usage=_UNSET) -> pd.DataFrame:
    rows = rows_as_of(ws, as_of, inputs)
    paying = _paying(rows, to_day(as_of), inputs.first_paid())
    ids = paying["account_id"].tolist()
    frame = _accounts(ws, ids, inputs).merge(paying, on="account_id", how="right")
    seats = _seats(ws, as_of, inputs)
    frame["seats"] = frame["account_id"].map(seats).astype("float64")
    frame["days_since_first_paid"] = [(as_of - d).days for d in frame["first_paid_day"]]
    frame = frame.merge(nps_as_of(ws, as_of, inputs), on="account_id", how="left")
    frame["detractors_90d"] = frame["detractors_90d"].fillna(0).astype("int64")
    frame = frame.merge(_next_due(rows, as_of), on="account_id", how="left")
    frame = frame.merge(usage, on="account_id", how="left")
    for c in COUNT_COLUMNS:
        frame[c] = frame[c].fillna(0).astype("int64")
    frame["days_since_active"] = frame["days_since_active"].astype("Int64").astype("float64")
    seats_known = frame["seats"] > 0
    frame["seat_utilisation"] = np.where(seats_known, frame["mau"] / frame["seats"].where(seats_known, 1), np.nan)
    frame["days_to_renewal"] = frame["days_to_renewal"].astype("float64")
    # Whether the workspace had recorded any account's usage by as_of: the same for every row,
    # so one account's row says what the whole frame would (the fallback's "never used" term).
    first = first_usage_day(ws) if first_usage is _UNSET else first_usage
    frame["usage_recorded"] = first is not None and first <= as_of
    for c in ("next_due_date", "last_active_day", "next_due_subscription_id"):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame.reindex(columns=SIGNAL_COLUMNS).sort_values("account_id", kind="stable").reset_index(drop=True)
