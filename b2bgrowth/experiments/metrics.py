"""Per-unit metric values over the experiment window, summed per variant in DuckDB.

For every assigned unit (assigned_at = when it entered the experiment) and every metric:
  y = the metric over [assigned_at, min(assigned_at + window_days, as_of))
  x = the same quantity over [assigned_at − pre_days, assigned_at)    (the CUPED covariate)
  d = (ratio metrics) the denominator over the window, with its own pre value.
Event metrics read the event store (joined on account_id for account units, user_id otherwise);
subscription metrics read the subscriptions table (MRR converted to the reporting currency).
The per-unit table is built once (`build_unit_values`); `variant_sums` then aggregates it into
n, Σy, Σy², Σx, Σx², Σxy (and Σd, Σd², Σyd) per variant — optionally per segment — which is
all the statistics package needs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Optional, Sequence

import duckdb
import pyarrow as pa
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.experiments.schemas import MetricSpec
from b2bgrowth.revenue.models import Subscription

SEGMENT_FIELDS = ("tier", "industry", "region")


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _in_list(names: Sequence[str]) -> str:
    return ", ".join(_lit(n) for n in names)


def units_table(ws, assignments: list[dict], unit: str) -> pa.Table:
    """Assignments joined with the account attributes segments are cut by."""
    attrs: dict[str, tuple] = {}
    if unit == "account":
        with ws.store.read() as session:
            for row in session.execute(select(Account.account_id, Account.tier, Account.industry, Account.region)):
                attrs[row[0]] = tuple(row[1:])
    none = (None, None, None)
    columns = {
        "unit_id": [a["unit_id"] for a in assignments],
        "variant": [a["variant"] for a in assignments],
        "assigned_at": [a["assigned_at"] for a in assignments],
    }
    for i, field in enumerate(SEGMENT_FIELDS):
        columns[field] = [attrs.get(a["unit_id"], none)[i] for a in assignments]
    return pa.table(
        columns,
        schema=pa.schema(
            [("unit_id", pa.string()), ("variant", pa.string()), ("assigned_at", pa.timestamp("us"))]
            + [(f, pa.string()) for f in SEGMENT_FIELDS]
        ),
    )


def subscriptions_table(ws) -> pa.Table:
    from b2bgrowth.revenue.currency import load_rates

    rates = load_rates(ws)
    reporting = ws.settings.reporting_currency.upper()
    ids, starts, ends, mrr = [], [], [], []
    with ws.store.read() as session:
        query = select(Subscription.account_id, Subscription.start_date, Subscription.end_date, Subscription.mrr, Subscription.currency)
        for account_id, start, end, value, currency in session.execute(query):
            ids.append(account_id)
            starts.append(start)
            ends.append(end)
            mrr.append(float(value or 0.0) * rates.get((currency or reporting).upper(), 1.0))
    return pa.table({"account_id": ids, "start_date": pa.array(starts, pa.date32()), "end_date": pa.array(ends, pa.date32()), "mrr": mrr})


def _event_value(spec: MetricSpec) -> str:
    if spec.value_property and spec.type in ("mean", "revenue", "ratio"):
        return f"coalesce(try_cast(json_extract_string(e.properties, {_lit('$.' + spec.value_property)}) AS DOUBLE), 0)"
    return "1"


def _window(start: str, days: int, as_of: str) -> str:
    return f"e.ts >= {start} AND e.ts < least({start} + INTERVAL {int(days)} DAY, {as_of})"


def _pre_window(days: int) -> str:
    return f"e.ts >= u.assigned_at - INTERVAL {int(days)} DAY AND e.ts < u.assigned_at"


def build_unit_values(ws, con: duckdb.DuckDBPyConnection, units: pa.Table, unit: str, metrics: list[MetricSpec], as_of: datetime) -> None:
    """Create table `unit_values`: unit_id, variant, segment fields, m{i}_y, m{i}_x [, m{i}_d, m{i}_dx]."""
    con.register("units_arrow", units)
    con.execute("CREATE OR REPLACE TEMP TABLE units AS SELECT * FROM units_arrow")
    as_of_sql = f"TIMESTAMP {_lit(as_of.strftime('%Y-%m-%d %H:%M:%S'))}"
    event_metrics = [(i, m) for i, m in enumerate(metrics) if m.source == "events"]
    select_cols: list[str] = []
    if event_metrics:
        ws.events.register_view(con)
        names = sorted({n for _, m in event_metrics for n in [*m.events, *m.denominator_events]})
        longest = max(max(m.window_days, m.pre_period_days) for _, m in event_metrics)
        join_col = "account_id" if unit == "account" else "user_id"
        for i, m in event_metrics:
            value = _event_value(m)
            ev = f"e.event IN ({_in_list(m.events)})"
            if m.type == "proportion":
                y = f"CAST(count(*) FILTER (WHERE {ev} AND {_window('u.assigned_at', m.window_days, as_of_sql)}) > 0 AS DOUBLE)"
                x = f"CAST(count(*) FILTER (WHERE {ev} AND {_pre_window(m.pre_period_days)}) > 0 AS DOUBLE)"
            else:
                y = f"coalesce(sum({value}) FILTER (WHERE {ev} AND {_window('u.assigned_at', m.window_days, as_of_sql)}), 0)"
                x = f"coalesce(sum({value}) FILTER (WHERE {ev} AND {_pre_window(m.pre_period_days)}), 0)"
            select_cols += [f"{y} AS m{i}_y", f"{x} AS m{i}_x"]
            if m.type == "ratio":
                dv = f"e.event IN ({_in_list(m.denominator_events)})"
                select_cols += [
                    f"CAST(count(*) FILTER (WHERE {dv} AND {_window('u.assigned_at', m.window_days, as_of_sql)}) AS DOUBLE) AS m{i}_d",
                    f"CAST(count(*) FILTER (WHERE {dv} AND {_pre_window(m.pre_period_days)}) AS DOUBLE) AS m{i}_dx",
                ]
        # One scan of the events: only the named events of assigned units in the widest window.
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE unit_events AS
            SELECT u.unit_id, {', '.join(select_cols)}
            FROM units u LEFT JOIN (
                SELECT {join_col} AS unit_id, ts, event, properties FROM events
                WHERE event IN ({_in_list(names)})
                  AND ts >= (SELECT min(assigned_at) FROM units) - INTERVAL {int(longest)} DAY
                  AND ts < {as_of_sql}
                  AND {join_col} IN (SELECT unit_id FROM units)
            ) e ON e.unit_id = u.unit_id
            GROUP BY u.unit_id"""
        )
    sub_metrics = [(i, m) for i, m in enumerate(metrics) if m.source != "events"]
    sub_cols: list[str] = []
    if sub_metrics:
        con.register("subs_arrow", subscriptions_table(ws))

        def mrr_at(day_expr: str) -> str:
            return f"coalesce(sum(s.mrr) FILTER (WHERE s.start_date <= {day_expr} AND (s.end_date IS NULL OR s.end_date > {day_expr})), 0)"

        for i, m in sub_metrics:
            start = "CAST(u.assigned_at AS DATE)"
            end = f"least(CAST(u.assigned_at AS DATE) + INTERVAL {int(m.window_days)} DAY, CAST({as_of_sql} AS DATE))"
            before = f"CAST(u.assigned_at AS DATE) - INTERVAL {int(m.pre_period_days)} DAY"
            if m.source == "mrr_change":
                sub_cols += [f"{mrr_at(end)} - {mrr_at(start)} AS m{i}_y", f"{mrr_at(start)} - {mrr_at(before)} AS m{i}_x"]
            else:  # renewal: still paying at the window's end (covariate: paying at the start)
                sub_cols += [f"CAST({mrr_at(end)} > 0 AS DOUBLE) AS m{i}_y", f"CAST({mrr_at(start)} > 0 AS DOUBLE) AS m{i}_x"]
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE unit_subs AS SELECT u.unit_id, {', '.join(sub_cols)}
            FROM units u LEFT JOIN subs_arrow s ON s.account_id = u.unit_id GROUP BY u.unit_id"""
        )
    joins = ""
    if event_metrics:
        joins += " LEFT JOIN unit_events ue USING (unit_id)"
    if sub_metrics:
        joins += " LEFT JOIN unit_subs us USING (unit_id)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE unit_values AS SELECT * FROM units{joins}")


def metric_columns(i: int, spec: MetricSpec) -> list[str]:
    """Σ columns variant_sums returns for metric i, in order."""
    y, x = f"m{i}_y", f"m{i}_x"
    cols = [f"sum({y})", f"sum({y}*{y})", f"sum({x})", f"sum({x}*{x})", f"sum({y}*{x})"]
    if spec.type == "ratio":
        d = f"m{i}_d"
        cols += [f"sum({d})", f"sum({d}*{d})", f"sum({y}*{d})"]
    return cols


SUM_NAMES = ["sum", "sum_squares", "pre_sum", "pre_sum_squares", "product_sum", "den_sum", "den_sum_squares", "num_den_sum"]


def variant_sums(con: duckdb.DuckDBPyConnection, metrics: list[MetricSpec], by: Optional[str] = None) -> list[dict]:
    """[{variant, segment?, n, metrics: [{sum, sum_squares, pre_sum, …} per metric]}] in one GROUP BY."""
    cols: list[str] = []
    spans: list[int] = []
    for i, spec in enumerate(metrics):
        c = metric_columns(i, spec)
        cols += c
        spans.append(len(c))
    group = f"variant, {by}" if by else "variant"
    rows = con.execute(f"SELECT {group}, count(*) AS n{''.join(', ' + c for c in cols)} FROM unit_values GROUP BY {group}").fetchall()
    out = []
    offset_base = 2 if by else 1
    for row in rows:
        entry = {"variant": row[0], "n": int(row[offset_base])}
        if by:
            entry["segment"] = row[1]
        position = offset_base + 1
        per_metric = []
        for span in spans:
            values = [float(v or 0.0) for v in row[position : position + span]]
            per_metric.append(dict(zip(SUM_NAMES, values)))
            position += span
        entry["metrics"] = per_metric
        out.append(entry)
    return out


def as_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    return datetime.fromisoformat(str(value))


def end_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(days=1)
