"""The floor for each benchmark: the same computation as one hand-written DuckDB query.

Run as a subprocess, exactly like the product's commands, so start-up counts on both sides:
    python -m bench.floors revenue PARQUET_DIR FROM TO
    python -m bench.floors import CSV [CSV …]
    python -m bench.floors ingest JSON_DIR OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

# Monthly MRR movements, MRR, customers, NRR, GRR and logo churn over all periods, in one query.
# Same definitions as docs/metrics.md: per account per day MRR = Σ active rows (rate-converted),
# a movement per day when it differs from the day before; period figures from end-of-day snapshots.
REVENUE_SQL = """
WITH rates AS (SELECT currency, rate FROM read_parquet($rates) UNION ALL SELECT 'CNY', 1.0),
paid AS (
    SELECT s.account_id, s.start_date::DATE AS s, s.end_date::DATE AS e, s.mrr * coalesce(r.rate, 1.0) AS mrr
    FROM read_parquet($subs) s LEFT JOIN rates r USING (currency) WHERE s.mrr > 0),
deltas AS (
    SELECT account_id, s AS d, mrr AS delta FROM paid
    UNION ALL SELECT account_id, e AS d, -mrr FROM paid WHERE e IS NOT NULL),
levels AS (
    SELECT account_id, d, round(sum(sum(delta)) OVER (PARTITION BY account_id ORDER BY d), 4) AS mrr
    FROM deltas GROUP BY account_id, d),
changes AS (
    SELECT account_id, d, mrr AS after,
           coalesce(lag(mrr) OVER (PARTITION BY account_id ORDER BY d), 0) AS before,
           coalesce(max(mrr) OVER (PARTITION BY account_id ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS paid_before
    FROM levels),
moves AS (
    SELECT d, after, before,
           CASE WHEN before = 0 THEN CASE WHEN paid_before THEN 'reactivation' ELSE 'new' END
                WHEN after = 0 THEN 'churn' WHEN after > before THEN 'expansion' ELSE 'contraction' END AS kind
    FROM changes WHERE after <> before),
months AS (
    SELECT m::DATE AS period_start, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS period_end
    FROM range($from::DATE - INTERVAL 1 MONTH, $to::DATE + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(m)),
accounts AS (SELECT DISTINCT account_id FROM levels),
snap AS (
    SELECT m.period_start, a.account_id, coalesce(l.mrr, 0) AS mrr_end
    FROM months m CROSS JOIN accounts a
    ASOF LEFT JOIN levels l ON l.account_id = a.account_id AND l.d <= m.period_end),
pairs AS (
    SELECT period_start, mrr_end,
           coalesce(lag(mrr_end) OVER (PARTITION BY account_id ORDER BY period_start), 0) AS mrr_start
    FROM snap),
totals AS (
    SELECT period_start, sum(mrr_start) AS mrr_start, sum(mrr_end) AS mrr_end,
           count(*) FILTER (WHERE mrr_end > 0) AS customers,
           sum(mrr_end) FILTER (WHERE mrr_start > 0) / nullif(sum(mrr_start), 0) AS nrr,
           sum(least(mrr_end, mrr_start)) FILTER (WHERE mrr_start > 0) / nullif(sum(mrr_start), 0) AS grr,
           avg((mrr_end = 0)::INT) FILTER (WHERE mrr_start > 0) AS logo_churn_rate
    FROM pairs GROUP BY period_start),
movement_totals AS (
    SELECT m.period_start,
           sum(after) FILTER (WHERE kind = 'new') AS new,
           sum(after - before) FILTER (WHERE kind = 'expansion') AS expansion,
           sum(before - after) FILTER (WHERE kind = 'contraction') AS contraction,
           sum(before) FILTER (WHERE kind = 'churn') AS churn,
           sum(after) FILTER (WHERE kind = 'reactivation') AS reactivation,
           count(*) FILTER (WHERE kind = 'new') AS new_customers,
           count(*) FILTER (WHERE kind = 'churn') AS churned_customers
    FROM months m JOIN moves ON moves.d BETWEEN m.period_start AND m.period_end GROUP BY m.period_start)
SELECT t.*, mt.* EXCLUDE (period_start), t.mrr_end * 12 AS arr
FROM totals t LEFT JOIN movement_totals mt USING (period_start)
WHERE t.period_start >= $from::DATE ORDER BY t.period_start
"""


def revenue(parquet_dir: str, date_from: str, date_to: str) -> list[tuple]:
    folder = Path(parquet_dir)
    con = duckdb.connect()
    return con.execute(REVENUE_SQL, {
        "subs": str(folder / "subscriptions.parquet"), "rates": str(folder / "exchange_rates.parquet"),
        "from": date_from, "to": date_to,
    }).fetchall()


def import_csv(*paths: str) -> int:
    """Parse, type and store each CSV in a fresh DuckDB database file (one transaction each)."""
    target = Path(paths[0]).parent / "floor-import.duckdb"
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    rows = 0
    for path in paths:
        name = Path(path).stem
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true)", [path])
        rows += con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    con.close()
    target.unlink(missing_ok=True)
    return rows


def ingest(json_dir: str, out_dir: str) -> int:
    """The batches' events, parsed and written as date-partitioned Parquet (no dedup, no WAL)."""
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT e.event_id, e.ts::TIMESTAMP AS ts, e.account_id, e.user_id, e.event,
                                 to_json(e.properties) AS properties, e.ts::DATE AS date
                          FROM (SELECT unnest(events) AS e FROM read_json('{json_dir}/*.json', maximum_object_size = 200000000)))
                    TO '{out_dir}' (FORMAT parquet, PARTITION_BY (date), OVERWRITE_OR_IGNORE)""")
    return con.execute(f"SELECT count(*) FROM read_parquet('{out_dir}/**/*.parquet')").fetchall()[0][0]


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    result = {"revenue": revenue, "import": import_csv, "ingest": ingest}[kind](*args)
    print(len(result) if isinstance(result, list) else result)
