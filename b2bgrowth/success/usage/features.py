"""Usage windows as of a date, computed with DuckDB from the rollups (rollups.py).

Point in time: everything as of D reads only rollup days ≤ D (events with ts < D + 1 day).
Windows end on D inclusive: 1 day = [D], 7 days = [D−6, D], 30 days = [D−29, D], the previous
30 days = [D−59, D−30], 90 days = [D−89, D]. Definitions are in docs/metrics.md
(## Customer success — usage) and docs/customer-success.md (## Usage).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from b2bgrowth.reporting.jsonable import is_missing
from b2bgrowth.success.usage.rollups import rollup_source, update_rollups

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

SUPPORT_TICKET = "support_ticket"
FEATURE_COLUMNS = ["account_id", "dau", "wau", "mau", "events_30d", "events_prev_30d", "usage_trend_30d",
                   "active_users_prev_30d", "breadth_30d", "support_tickets_30d", "support_tickets_90d",
                   "last_active_day", "days_since_active"]
COUNT_COLUMNS = ["dau", "wau", "mau", "events_30d", "events_prev_30d", "active_users_prev_30d", "breadth_30d",
                 "support_tickets_30d", "support_tickets_90d"]
SEGMENTS = ("champion", "regular", "occasional", "dormant")
CHAMPION_SHARE = 0.4  # active on ≥ 40% of the window's days (12 of 30)
REGULAR_SHARE = 0.1  # active on ≥ 10% of them (3 of 30)
LOOKBACK_DAYS = 365  # a user seen in the year before as_of but not in the window is dormant


def _lit(d: date) -> str:
    return f"DATE '{d.isoformat()}'"


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET memory_limit = '2GB'")  # spills rather than growing past it at L
    return con


def usage_features(ws: Workspace, as_of: date, refresh: bool = True) -> pd.DataFrame:
    """One row per account with any event on or before as_of (columns FEATURE_COLUMNS)."""
    if refresh:
        update_rollups(ws)
    base = (f"(SELECT account_id, max(day) AS last_active_day FROM "
            f"{rollup_source(ws, 'account_daily', end=as_of)} WHERE day <= {_lit(as_of)} GROUP BY account_id)")
    sql = _features_sql(ws, as_of, base)
    con = _connect()
    try:
        frame = con.sql(sql).df()
    finally:
        con.close()
    return _typed(frame)


def usage_features_many(ws: Workspace, dates, refresh: bool = True,
                        accounts_by_date: dict | None = None) -> dict[date, pd.DataFrame]:
    """{D: usage_features(ws, D)} for several days (equal frame for frame), on one connection.

    The per-day cost of usage_features is mostly its full-history scan for last_active_day;
    here account_daily is read once: rows are bucketed to the first requested day on or after
    them and the per-bucket maxima give last_active_day for every day (max over buckets ≤ D).
    The 60/90-day windows are then read per day. (One range-joined pass over all windows was
    measured 15× slower at L50: count(DISTINCT) over (day, account) groups spills.)
    accounts_by_date[D] (ids) keeps only those accounts' rows of day D: the windows aggregate
    only them (the churn model's snapshots need the accounts with a chain due, about a third).
    """
    dates = sorted(set(dates))
    if not dates:
        return {}
    if refresh:
        update_rollups(ws)
    hi = dates[-1]
    snaps = ", ".join(f"({_lit(d)})" for d in dates)
    bucket = "CASE " + " ".join(f"WHEN day <= {_lit(d)} THEN {_lit(d)}" for d in dates) + " END"
    accounts_by_date = accounts_by_date or {}
    con = _connect()
    try:
        history_only = ""
        if all(accounts_by_date.get(d) is not None for d in dates):
            # Every day is restricted (the account-360 page asks for one account): the full-history
            # scan for last_active_day reads only those accounts too.
            _register_accounts(con, "wanted_any", set().union(*(map(str, accounts_by_date[d]) for d in dates)))
            history_only = "AND account_id IN (SELECT account_id FROM wanted_any)"
        con.execute(f"""
        CREATE TEMP TABLE last_active AS
        WITH snaps AS (SELECT * FROM (VALUES {snaps}) AS t(as_of)),
        buckets AS (
            SELECT account_id, {bucket} AS b, max(day) AS mx FROM {rollup_source(ws, 'account_daily', end=hi)}
            WHERE day <= {_lit(hi)} {history_only} GROUP BY ALL)
        SELECT s.as_of, account_id, max(mx) AS last_active_day FROM buckets JOIN snaps s ON buckets.b <= s.as_of
        GROUP BY ALL""")
        out = {}
        for d in dates:
            base = f"(SELECT account_id, last_active_day FROM last_active WHERE as_of = {_lit(d)})"
            only = ""
            if accounts_by_date.get(d) is not None:
                _register_accounts(con, "wanted", set(map(str, accounts_by_date[d])))
                only = "AND account_id IN (SELECT account_id FROM wanted)"
                base = f"(SELECT * FROM {base} WHERE account_id IN (SELECT account_id FROM wanted))"
            out[d] = _typed(con.sql(_features_sql(ws, d, base, only)).df())
    finally:
        con.close()
    return out


def _register_accounts(con, table: str, ids: set[str]) -> None:
    """A temp table [account_id VARCHAR] of the given ids (replaced if it exists)."""
    wanted = pd.DataFrame({"account_id": pd.Series(sorted(ids), dtype=object)})
    con.register("wanted_frame", wanted)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT account_id::VARCHAR AS account_id FROM wanted_frame")
    con.unregister("wanted_frame")


def _features_sql(ws: Workspace, as_of: date, base: str, only: str = "") -> str:
    """The usage_features query; `base` is a relation [account_id, last_active_day] as of as_of;
    `only` an extra condition on the windows' rows (e.g. AND account_id IN (…))."""
    d = _lit(as_of)
    # Distinct users and features are counted in two steps, one row per (account, user) or
    # (account, event) with flags, then counted per account: 3× faster in DuckDB at L50 than
    # count(DISTINCT …) FILTER (…), which keeps a hash set per filter. NULL user ids fall out of
    # count(user_id) as they fall out of count(DISTINCT user_id).
    return f"""
    WITH base AS {base},
    per_user AS (
        SELECT account_id, user_id,
            bool_or(day = {d}) AS on_day, bool_or(day > {d} - 7) AS in_7, bool_or(day > {d} - 30) AS in_30,
            bool_or(day <= {d} - 30) AS in_prev_30,
            sum(events) FILTER (WHERE day > {d} - 30) AS events_30d,
            sum(events) FILTER (WHERE day <= {d} - 30) AS events_prev_30d
        FROM {rollup_source(ws, 'user_daily', as_of - timedelta(days=59), as_of)}
        WHERE day BETWEEN {d} - 59 AND {d} {only} GROUP BY account_id, user_id),
    u AS (
        SELECT account_id,
            count(user_id) FILTER (WHERE on_day) AS dau, count(user_id) FILTER (WHERE in_7) AS wau,
            count(user_id) FILTER (WHERE in_30) AS mau, count(user_id) FILTER (WHERE in_prev_30) AS active_users_prev_30d,
            sum(events_30d) AS events_30d, sum(events_prev_30d) AS events_prev_30d
        FROM per_user GROUP BY account_id),
    per_event AS (
        SELECT account_id, event, bool_or(day > {d} - 30) AS in_30,
            sum(events) FILTER (WHERE day > {d} - 30) AS events_30d, sum(events) AS events_90d
        FROM {rollup_source(ws, 'feature_daily', as_of - timedelta(days=89), as_of)}
        WHERE day BETWEEN {d} - 89 AND {d} {only} GROUP BY account_id, event),
    f AS (
        SELECT account_id,
            count(event) FILTER (WHERE event <> '{SUPPORT_TICKET}' AND in_30) AS breadth_30d,
            sum(events_30d) FILTER (WHERE event = '{SUPPORT_TICKET}') AS support_tickets_30d,
            sum(events_90d) FILTER (WHERE event = '{SUPPORT_TICKET}') AS support_tickets_90d
        FROM per_event GROUP BY account_id)
    SELECT base.account_id,
        coalesce(u.dau, 0) AS dau, coalesce(u.wau, 0) AS wau, coalesce(u.mau, 0) AS mau,
        coalesce(u.events_30d, 0) AS events_30d, coalesce(u.events_prev_30d, 0) AS events_prev_30d,
        CASE WHEN coalesce(u.events_prev_30d, 0) = 0 THEN NULL
             ELSE coalesce(u.events_30d, 0)::DOUBLE / u.events_prev_30d - 1 END AS usage_trend_30d,
        coalesce(u.active_users_prev_30d, 0) AS active_users_prev_30d,
        coalesce(f.breadth_30d, 0) AS breadth_30d,
        coalesce(f.support_tickets_30d, 0) AS support_tickets_30d,
        coalesce(f.support_tickets_90d, 0) AS support_tickets_90d,
        base.last_active_day, ({d} - base.last_active_day) AS days_since_active
    FROM base LEFT JOIN u USING (account_id) LEFT JOIN f USING (account_id)
    ORDER BY base.account_id"""


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=FEATURE_COLUMNS)
    for c in COUNT_COLUMNS + ["days_since_active"]:
        frame[c] = frame[c].fillna(0).astype("int64")
    frame["usage_trend_30d"] = frame["usage_trend_30d"].astype("float64")
    frame["account_id"] = frame["account_id"].astype(object)
    frame["last_active_day"] = pd.Series([_as_date(v) for v in frame["last_active_day"]], index=frame.index,
                                         dtype=object)
    return frame.reset_index(drop=True)


def _as_date(value) -> date | None:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def first_usage_day(ws: Workspace) -> date | None:
    """The first day any account has recorded usage (an event with an account id), from the
    rollups; None when there is none. Reads Parquet min/max statistics (~30 ms at L50)."""
    con = _connect()
    try:
        value = con.execute(f"SELECT min(day) FROM {rollup_source(ws, 'account_daily')}").fetchall()[0][0]
    finally:
        con.close()
    return _as_date(value)


# -- one account ---------------------------------------------------------------------------------
def usage_series(ws: Workspace, account_id: str, start: date, end: date, refresh: bool = True) -> pd.DataFrame:
    """[day, events, active_users, features] for every day in [start, end] (0 on days without events)."""
    if start > end:
        raise ValueError(f"usage series: start {start.isoformat()} is after end {end.isoformat()}")
    if refresh:
        update_rollups(ws)
    con = _connect()
    try:
        frame = con.execute(
            f"SELECT day, events, users AS active_users, features FROM {rollup_source(ws, 'account_daily', start, end)} "
            f"WHERE day BETWEEN {_lit(start)} AND {_lit(end)} AND account_id = ? ORDER BY day",
            [account_id]).df()
    finally:
        con.close()
    by_day = {_as_date(r.day): r for r in frame.itertuples(index=False)}
    rows = []
    for i in range((end - start).days + 1):
        day = start + timedelta(days=i)
        r = by_day.get(day)
        rows.append({"day": day, "events": int(r.events) if r else 0,
                     "active_users": int(r.active_users) if r else 0, "features": int(r.features) if r else 0})
    out = pd.DataFrame(rows, columns=["day", "events", "active_users", "features"])
    return out.astype({"events": "int64", "active_users": "int64", "features": "int64"})


def segment_of(active_days: int, days: int) -> str:
    """champion: active on ≥ 40% of the window's days; regular ≥ 10%; occasional ≥ 1 day; else dormant."""
    if active_days <= 0:
        return "dormant"
    if active_days >= math.ceil(CHAMPION_SHARE * days):
        return "champion"
    if active_days >= math.ceil(REGULAR_SHARE * days):
        return "regular"
    return "occasional"


USER_COLUMNS = ["user_id", "events", "active_days", "last_active_day", "features", "contact_id", "name", "role",
                "segment"]


def user_activity(ws: Workspace, account_id: str, as_of: date, days: int = 30, refresh: bool = True) -> pd.DataFrame:
    """Users of one account seen in the LOOKBACK_DAYS up to as_of, with their activity in the last `days`.

    `features` = distinct event names the user sent in the window (read from the raw event
    partitions of the window, filtered to the account). Users are linked to contacts of the
    account by (in order) contact_id = user_id, contact attribute "user_id" = user_id,
    email = user_id (case-insensitive); unlinked users have contact_id/name/role None.
    """
    if days < 1:
        raise ValueError(f"user activity: days must be at least 1, got {days}")
    if refresh:
        update_rollups(ws)
    d = _lit(as_of)
    window_start = as_of - timedelta(days=days - 1)
    con = _connect()
    try:
        seen = con.execute(
            f"SELECT user_id, sum(events) FILTER (WHERE day >= {_lit(window_start)}) AS events, "
            f"count(*) FILTER (WHERE day >= {_lit(window_start)}) AS active_days, max(day) AS last_active_day "
            f"FROM {rollup_source(ws, 'user_daily', as_of - timedelta(days=LOOKBACK_DAYS - 1), as_of)} "
            f"WHERE day BETWEEN {d} - {LOOKBACK_DAYS - 1} AND {d} AND account_id = ? AND user_id IS NOT NULL "
            "GROUP BY user_id", [account_id]).df()
        ws.events.register_view(con, "events")
        feats = con.execute(
            f"SELECT user_id, count(DISTINCT event) AS features FROM events "
            f"WHERE date BETWEEN {_lit(window_start)} AND {d} AND account_id = ? AND user_id IS NOT NULL "
            "GROUP BY user_id", [account_id]).df()
    finally:
        con.close()
    frame = seen.merge(feats, on="user_id", how="left")
    for c in ("events", "active_days", "features"):
        frame[c] = frame[c].fillna(0).astype("int64")
    frame["last_active_day"] = pd.Series([_as_date(v) for v in frame["last_active_day"]], index=frame.index,
                                         dtype=object)
    links = contact_links(ws, account_id)
    linked = [links.get(u) or links.get(str(u).lower()) or {} for u in frame["user_id"]]
    for column in ("contact_id", "name", "role"):  # object columns: a missing link stays None, not NaN
        frame[column] = pd.Series([x.get(column) for x in linked], index=frame.index, dtype=object)
    frame["user_id"] = frame["user_id"].astype(object)
    frame["segment"] = pd.Series([segment_of(int(a), days) for a in frame["active_days"]], index=frame.index,
                                 dtype=object)
    frame = frame.sort_values(["events", "user_id"], ascending=[False, True], kind="stable")
    return frame.reindex(columns=USER_COLUMNS).reset_index(drop=True)


def contact_links(ws: Workspace, account_id: str) -> dict[str, dict]:
    """{user_id key: contact} for one account's contacts: by contact_id, attribute user_id, email (lower)."""
    from sqlalchemy import select

    from b2bgrowth.accounts.models import Contact

    with ws.store.read() as session:
        contacts = session.execute(
            select(Contact.contact_id, Contact.name, Contact.role, Contact.email, Contact.attributes)
            .where(Contact.account_id == account_id)).all()
    links: dict[str, dict] = {}
    # Lowest priority first, so a stronger link overwrites a weaker one.
    for c in contacts:
        if c.email:
            links[c.email.strip().lower()] = {"contact_id": c.contact_id, "name": c.name, "role": c.role}
    for c in contacts:
        uid = (c.attributes or {}).get("user_id")
        if uid:
            links[str(uid)] = {"contact_id": c.contact_id, "name": c.name, "role": c.role}
    for c in contacts:
        links[c.contact_id] = {"contact_id": c.contact_id, "name": c.name, "role": c.role}
    return links
