"""Per-account signals as of a date: the one table health, risk and playbooks read.

Point in time (docs/customer-success.md): as of D only subscription rows with start_date ≤ D
(end_date as written), events with ts < D + 1 day and NPS responses with at < D + 1 day are
used. Account attributes (name, tier, owner, type, parent, region, industry) are current values.

    chains_as_of(ws, D)      contract chains (Foundation's compute_chains) from rows started by D
    account_signals(ws, D)   one row per account paying on D (MRR on D > 0)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, or_, select

from b2bgrowth.revenue.facts import UNITS, compute_chains, from_day, load_subscription_rows, to_day
from b2bgrowth.success.usage.features import COUNT_COLUMNS, FEATURE_COLUMNS, usage_features

ACCOUNT_COLUMNS = ["name", "tier", "type", "owner", "parent_account_id", "region", "industry"]
SIGNAL_COLUMNS = (["account_id"] + ACCOUNT_COLUMNS + ["mrr", "arr", "seats", "seat_utilisation", "first_paid_day",
                  "days_since_first_paid", "nps_last", "nps_365", "detractors_90d", "next_due_date",
                  "days_to_renewal", "next_due_arr", "next_due_subscription_id"] + FEATURE_COLUMNS[1:])


def rows_as_of(ws, as_of: date) -> pd.DataFrame:
    """Subscription rows (load_subscription_rows columns) with start_date ≤ as_of."""
    rows = load_subscription_rows(ws)
    return rows[rows["start"] <= to_day(as_of)].reset_index(drop=True)


def chains_as_of(ws, as_of: date, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """compute_chains on the rows with start_date ≤ as_of, plus due_date (datetime.date)."""
    chains = compute_chains(rows_as_of(ws, as_of) if rows is None else rows)
    chains["due_date"] = pd.Series([from_day(d) for d in chains["due_day"]], index=chains.index, dtype=object)
    return chains


def _paying(rows: pd.DataFrame, day: int) -> pd.DataFrame:
    """[account_id, mrr, arr, first_paid_day] for accounts whose MRR on `day` is > 0."""
    active = rows[(rows["start"] <= day) & (rows["end"] > day)]
    units = active.groupby("account_id")["units"].sum()
    units = units[units > 0]
    paid = rows[(rows["units"] > 0) & (rows["end"] > rows["start"])].groupby("account_id")["start"].min()
    out = pd.DataFrame({"account_id": units.index.astype(str), "mrr": units.to_numpy() / UNITS})
    out["arr"] = out["mrr"] * 12
    out["first_paid_day"] = [from_day(paid[a]) for a in units.index]
    return out


def _seats(ws, as_of: date) -> pd.Series:
    """Σ seats of each account's subscription rows active on as_of (rows without seats ignored)."""
    from b2bgrowth.revenue.models import Subscription

    with ws.store.read() as session:
        rows = session.execute(
            select(Subscription.account_id, Subscription.seats).where(
                Subscription.start_date <= as_of,
                or_(Subscription.end_date.is_(None), Subscription.end_date > as_of),
                Subscription.seats.is_not(None), Subscription.mrr > 0)).all()
    if not rows:
        return pd.Series(dtype="float64")
    frame = pd.DataFrame(rows, columns=["account_id", "seats"])
    return frame.groupby("account_id")["seats"].sum().astype("float64")


def _accounts(ws, ids: list[str]) -> pd.DataFrame:
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.accounts.tiers import effective_tier

    with ws.store.read() as session:
        rows = session.execute(select(
            Account.account_id, Account.name, Account.tier, Account.tier_override, Account.employees,
            Account.annual_revenue, Account.type, Account.owner, Account.parent_account_id, Account.region,
            Account.industry)).all()
    frame = pd.DataFrame(rows, columns=["account_id", "name", "tier", "tier_override", "employees", "annual_revenue",
                                        "type", "owner", "parent_account_id", "region", "industry"])
    frame = frame[frame["account_id"].isin(set(ids))]
    missing = frame["tier"].isna()
    if missing.any():
        frame.loc[missing, "tier"] = [
            effective_tier(r.tier_override, r.employees, None if pd.isna(r.annual_revenue) else float(r.annual_revenue))
            for r in frame[missing].itertuples()]
    return frame[["account_id"] + ACCOUNT_COLUMNS]


def nps_as_of(ws, as_of: date) -> pd.DataFrame:
    """[account_id, nps_last, nps_365, detractors_90d] from responses with at < as_of + 1 day.

    nps_last = the latest response's score; nps_365 = 100 × (promoters − detractors) / responses
    in [as_of − 364, as_of] (promoter ≥ 9, detractor ≤ 6; null without responses);
    detractors_90d = detractor responses in [as_of − 89, as_of].
    """
    from b2bgrowth.voc.models import NpsResponse

    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    with ws.store.read() as session:
        rows = session.execute(select(NpsResponse.account_id, NpsResponse.at, NpsResponse.score).where(
            and_(NpsResponse.at < end, NpsResponse.account_id.is_not(None)))).all()
    columns = ["account_id", "nps_last", "nps_365", "detractors_90d"]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "account_id" else "float64") for c in columns})
    frame = pd.DataFrame(rows, columns=["account_id", "at", "score"])
    frame["day"] = pd.to_datetime(frame["at"]).dt.normalize()
    last = frame.sort_values(["account_id", "at"], kind="stable").groupby("account_id")["score"].last()
    d = pd.Timestamp(as_of)
    year = frame[frame["day"] > d - pd.Timedelta(days=365)]
    net = np.where(year["score"] >= 9, 1, np.where(year["score"] <= 6, -1, 0))
    nps = pd.Series(net, index=year["account_id"].to_numpy()).groupby(level=0).mean() * 100
    recent = frame[(frame["day"] > d - pd.Timedelta(days=90)) & (frame["score"] <= 6)]
    detractors = recent.groupby("account_id").size()
    out = pd.DataFrame({"account_id": last.index.astype(str)})
    out["nps_last"] = last.to_numpy().astype("float64")
    out["nps_365"] = out["account_id"].map(nps).astype("float64")
    out["detractors_90d"] = out["account_id"].map(detractors).fillna(0).astype("int64")
    return out


def _next_due(chains: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per account the earliest chain due after as_of (ties: the larger ARR)."""
    ahead = chains[chains["due_day"] > to_day(as_of)].copy()
    ahead["next_due_arr"] = ahead["units"] / UNITS * 12
    ahead = ahead.sort_values(["account_id", "due_day", "next_due_arr", "subscription_id"],
                              ascending=[True, True, False, True], kind="stable")
    first = ahead.drop_duplicates("account_id")
    return pd.DataFrame({"account_id": first["account_id"].to_numpy(), "next_due_date": first["due_date"].to_numpy(),
                         "days_to_renewal": (first["due_day"] - to_day(as_of)).to_numpy(),
                         "next_due_arr": first["next_due_arr"].to_numpy(),
                         "next_due_subscription_id": first["subscription_id"].to_numpy()})


def account_signals(ws, as_of: date, usage: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per account paying on as_of: account attributes, money, seats, NPS, next renewal, usage.

    Usage counts are 0 for paying accounts without events; usage_trend_30d, last_active_day,
    days_since_active and seat_utilisation stay null when undefined.
    """
    rows = rows_as_of(ws, as_of)
    paying = _paying(rows, to_day(as_of))
    ids = paying["account_id"].tolist()
    frame = _accounts(ws, ids).merge(paying, on="account_id", how="right")
    seats = _seats(ws, as_of)
    frame["seats"] = frame["account_id"].map(seats).astype("float64")
    frame["days_since_first_paid"] = [(as_of - d).days for d in frame["first_paid_day"]]
    frame = frame.merge(nps_as_of(ws, as_of), on="account_id", how="left")
    frame["detractors_90d"] = frame["detractors_90d"].fillna(0).astype("int64")
    frame = frame.merge(_next_due(chains_as_of(ws, as_of, rows), as_of), on="account_id", how="left")
    usage = usage_features(ws, as_of) if usage is None else usage
    frame = frame.merge(usage, on="account_id", how="left")
    for c in COUNT_COLUMNS:
        frame[c] = frame[c].fillna(0).astype("int64")
    frame["days_since_active"] = frame["days_since_active"].astype("Int64").astype("float64")
    seats_known = frame["seats"] > 0
    frame["seat_utilisation"] = np.where(seats_known, frame["mau"] / frame["seats"].where(seats_known, 1), np.nan)
    frame["days_to_renewal"] = frame["days_to_renewal"].astype("float64")
    for c in ("next_due_date", "last_active_day", "next_due_subscription_id"):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame.reindex(columns=SIGNAL_COLUMNS).sort_values("account_id", kind="stable").reset_index(drop=True)
