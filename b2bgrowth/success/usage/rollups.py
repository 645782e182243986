"""Per-account, per-day usage rollups from the event store, kept up to date incrementally.

Three derived tables, each stored as one Parquet file per calendar month,
`<cache_dir>/usage/<table>/YYYY-MM.parquet` (cache_dir = <data_dir>/derived; rows sorted by day):

    account_daily  (account_id, day, events, users, features)        one row per account and day
    feature_daily  (account_id, day, event, events, users)           one row per account, day and event name
    user_daily     (account_id, user_id, day, events, features)      one row per account, user and day

`users` = distinct non-null user_id; `features` = distinct event names. Events without an
account_id (web traffic) are left out. `user_daily` keeps a row with user_id NULL for events
that name no user, so rollup event counts always add up to the raw counts.

Incremental rule: each event date partition is fingerprinted by the names and sizes of its
Parquet files (the buffer is flushed first, so every acknowledged event is in a file). A day
whose fingerprint matches the manifest is not recomputed; a new or changed day is recomputed
whole (a day is the unit: a late event for an old day recomputes that one day); a day whose
partition disappeared loses its rollup rows. A day of new events therefore costs a day of work
on the events (plus rewriting that month's rollup file, which is small next to the events).
Stale days are recomputed one calendar month per query, so memory stays flat whatever the
store's size: no query ever reads more than one month of event partitions. Month files rather
than day files keep the file count low (3 × 36 for three years, not 3 × 1,095).

The rollup SQL is written in the dialect DuckDB and Spark share and runs through the engine
seam (b2bgrowth/events/engines.py): `update_rollups(ws, engine="spark")` computes the same
files with Apache Spark (tests/success_usage/test_spark.py checks equality).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from b2bgrowth.events.files import PARTITION_PREFIX, fsync_file
from b2bgrowth.events.fingerprint import partition_digests

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ROLLUP_VERSION = 1  # bump when the SQL or the columns change: every day is recomputed

SCHEMAS: dict[str, pa.Schema] = {
    "account_daily": pa.schema([("account_id", pa.string()), ("day", pa.date32()), ("events", pa.int64()),
                                ("users", pa.int64()), ("features", pa.int64())]),
    "feature_daily": pa.schema([("account_id", pa.string()), ("day", pa.date32()), ("event", pa.string()),
                                ("events", pa.int64()), ("users", pa.int64())]),
    "user_daily": pa.schema([("account_id", pa.string()), ("user_id", pa.string()), ("day", pa.date32()),
                             ("events", pa.int64()), ("features", pa.int64())]),
}

# One statement per table, over a view `events` (engine seam), for the days in {days}.
# Shared dialect only: GROUP BY, count(DISTINCT …), a date IN (…) list of DATE literals.
ROLLUP_SQL: dict[str, str] = {
    "account_daily": """
        SELECT account_id, date AS day, count(*) AS events, count(DISTINCT user_id) AS users,
               count(DISTINCT event) AS features
        FROM events WHERE account_id IS NOT NULL AND date IN ({days})
        GROUP BY account_id, date""",
    "feature_daily": """
        SELECT account_id, date AS day, event, count(*) AS events, count(DISTINCT user_id) AS users
        FROM events WHERE account_id IS NOT NULL AND date IN ({days})
        GROUP BY account_id, date, event""",
    "user_daily": """
        SELECT account_id, user_id, date AS day, count(*) AS events, count(DISTINCT event) AS features
        FROM events WHERE account_id IS NOT NULL AND date IN ({days})
        GROUP BY account_id, user_id, date""",
}

_LOCK = threading.Lock()


def usage_dir(ws: Workspace) -> Path:
    # Under the cache folder but not keyed by the cache: the rollups are incremental (the
    # manifest below) and read only events, which belong to the data dir, not to a database.
    return ws.cache.folder("usage")


def rollup_sql(table: str, days: list[date]) -> str:
    return ROLLUP_SQL[table].format(days=", ".join(f"DATE '{d.isoformat()}'" for d in days))


def conform(table: str, data: pa.Table) -> pa.Table:
    """Same column order and types whichever engine computed it (Spark gives int32 dates etc.)."""
    schema = SCHEMAS[table]
    return pa.table([data.column(f.name).cast(f.type) for f in schema], schema=schema)


# -- fingerprints and the manifest -------------------------------------------------------------
def partition_fingerprints(events_root: Path) -> dict[str, str]:
    """{'YYYY-MM-DD': fingerprint} for every event date partition (names and sizes of its files)."""
    return partition_digests(Path(events_root))


def _manifest_path(ws: Workspace) -> Path:
    return usage_dir(ws) / "manifest.json"


def read_manifest(ws: Workspace) -> dict[str, str]:
    path = _manifest_path(ws)
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}
    if data.get("version") != ROLLUP_VERSION:
        return {}
    return dict(data.get("days", {}))


def _write_manifest(ws: Workspace, days: dict[str, str]) -> None:
    path = _manifest_path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(".manifest.json.tmp")
    tmp.write_text(json.dumps({"version": ROLLUP_VERSION, "days": days}, sort_keys=True))
    fsync_file(tmp)
    os.replace(tmp, path)


# -- reading event partitions with one engine --------------------------------------------------
class DuckDBDays:
    """Runs the rollup SQL with DuckDB over exactly the files of the requested day partitions."""

    name = "duckdb"

    def __init__(self, events_root: Path):
        import duckdb

        self.root = Path(events_root)
        self.con = duckdb.connect()
        self.con.execute("SET memory_limit = '2GB'")

    def query(self, sql: str, days: list[date]) -> pa.Table:
        files = [str(f) for d in days for f in sorted((self.root / f"{PARTITION_PREFIX}{d.isoformat()}").glob("part-*.parquet"))]
        if not files:
            return pa.table({})
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM read_parquet([{listed}], "
            "hive_partitioning = true, hive_types = {'date': DATE})")
        return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        self.con.close()


class SparkDays:
    """The same SQL on Apache Spark, reading the same partition directories (basePath keeps `date`)."""

    name = "spark"

    def __init__(self, events_root: Path, spark_engine=None):
        from b2bgrowth.events.engines import SparkEngine

        self.root = Path(events_root)
        self.engine = spark_engine or SparkEngine(None)

    # Given, not inferred: inference opens a footer per file, for every query.
    SCHEMA_DDL = ("event_id STRING, ts TIMESTAMP_NTZ, account_id STRING, user_id STRING, event STRING, "
                  "properties STRING, date DATE")

    def query(self, sql: str, days: list[date]) -> pa.Table:
        key = tuple(days)
        if key != getattr(self, "_days", None):  # the three rollups of one batch share one view
            dirs = [str(self.root / f"{PARTITION_PREFIX}{d.isoformat()}") for d in days]
            dirs = [d for d in dirs if Path(d).exists()]
            self._days, self._empty = key, not dirs
            if dirs:
                spark = self.engine.session()
                (spark.read.schema(self.SCHEMA_DDL).option("basePath", str(self.root)).parquet(*dirs)
                 .createOrReplaceTempView("events"))
        if self._empty:
            return pa.table({})
        return self.engine.to_arrow(self.engine.session().sql(sql))

    def close(self) -> None:
        pass


def day_reader(ws: Workspace, engine="duckdb", spark_engine=None):
    if engine == "duckdb":
        return DuckDBDays(Path(ws.events.root))
    if engine == "spark":
        return SparkDays(Path(ws.events.root), spark_engine)
    raise ValueError(f"unknown rollup engine {engine!r}; choose duckdb or spark")


def compute_rollups(reader, days: list[date]) -> dict[str, pa.Table]:
    """The three rollups for `days`, computed by `reader` (DuckDBDays or SparkDays)."""
    out = {}
    for table, schema in SCHEMAS.items():
        data = reader.query(rollup_sql(table, days), days)
        out[table] = conform(table, data) if data.num_columns else schema.empty_table()
    return out


# -- storing: one file per rollup and calendar month -----------------------------------------------
def month_of(day: str) -> str:
    return day[:7]


def month_file(ws: Workspace, table: str, month: str) -> Path:
    return usage_dir(ws) / table / f"{month}.parquet"


def _write_month(ws: Workspace, table: str, month: str, fresh: pa.Table, replaced_days: list[str]) -> None:
    """Replace the rows of `replaced_days` in the month's file by `fresh` (atomic rename)."""
    import pyarrow.compute as pc

    path = month_file(ws, table, month)
    parts = [fresh]
    if path.exists():
        old = pq.read_table(path, schema=SCHEMAS[table])
        keep = pc.invert(pc.is_in(old.column("day"), value_set=pa.array(
            [date.fromisoformat(d) for d in replaced_days], pa.date32())))
        parts.insert(0, old.filter(keep))
    merged = pa.concat_tables(parts).sort_by([("day", "ascending"), ("account_id", "ascending")])
    if merged.num_rows == 0:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(merged, tmp, compression="zstd", row_group_size=256_000)
    os.replace(tmp, path)


@dataclass
class RollupUpdate:
    recomputed: list[str] = field(default_factory=list)  # days recomputed, ISO
    removed: list[str] = field(default_factory=list)  # days whose partition disappeared
    unchanged: int = 0
    engine: str = "duckdb"

    def as_dict(self) -> dict:
        return {"engine": self.engine, "days_recomputed": len(self.recomputed), "days_removed": len(self.removed),
                "days_unchanged": self.unchanged, "first_day": min(self.recomputed, default=None),
                "last_day": max(self.recomputed, default=None)}


# Months of stale days per engine query. DuckDB: one month, so memory stays flat at any size.
# Spark: a year — each Spark query pays seconds of job overhead (36 months × 3 rollups was
# ~460 s at M, almost all overhead), and Spark spills to disk rather than running out of memory.
MONTHS_PER_QUERY = {"duckdb": 1, "spark": 12}


def _rows_of_month(data: pa.Table, month: str) -> pa.Table:
    """The rows of `data` (a rollup over several months) whose day falls in `month` (YYYY-MM)."""
    import pyarrow.compute as pc

    start = date.fromisoformat(f"{month}-01")
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    day = data.column("day")
    return data.filter(pc.and_(pc.greater_equal(day, pa.scalar(start, pa.date32())),
                               pc.less(day, pa.scalar(end, pa.date32()))))


def update_rollups(ws: Workspace, engine: str = "duckdb", full: bool = False, spark_engine=None,
                   progress: Callable[[int, int], None] | None = None) -> RollupUpdate:
    """Bring the rollups up to date with the event store; recompute only changed days.

    `engine`: "duckdb" (default) or "spark". `full=True` recomputes every day.
    `progress(done_days, total_days)` is called after each month.
    """
    with _LOCK:
        ws.events.flush()  # the buffer becomes files, so the fingerprints cover every acknowledged event
        current = partition_fingerprints(Path(ws.events.root))
        known = {} if full else read_manifest(ws)
        stale = sorted(day for day, fp in current.items() if known.get(day) != fp)
        gone = sorted(day for day in known if day not in current)
        result = RollupUpdate(removed=gone, unchanged=len(current) - len(stale), engine=engine)
        manifest = {day: fp for day, fp in known.items() if day in current and day not in stale}
        if full and usage_dir(ws).exists():
            for table in SCHEMAS:
                shutil.rmtree(usage_dir(ws) / table, ignore_errors=True)
        months: dict[str, list[str]] = {}
        for day in stale + gone:
            months.setdefault(month_of(day), []).append(day)
        if progress:
            progress(0, len(stale))
        reader = day_reader(ws, engine, spark_engine) if stale else None
        try:
            ordered = sorted(months)
            per_query = MONTHS_PER_QUERY.get(engine, 1)
            for first in range(0, len(ordered), per_query):
                batch = ordered[first:first + per_query]
                todo_all = [d for m in batch for d in sorted(months[m]) if d in current]
                computed = compute_rollups(reader, [date.fromisoformat(d) for d in todo_all]) if todo_all else {}
                for month in batch:
                    days = sorted(months[month])
                    todo = [d for d in days if d in current]
                    for table, schema in SCHEMAS.items():
                        data = _rows_of_month(computed[table], month) if todo else schema.empty_table()
                        _write_month(ws, table, month, data, days)
                    manifest.update({d: current[d] for d in todo})
                    for d in days:
                        if d not in current:
                            manifest.pop(d, None)
                    _write_manifest(ws, manifest)  # after the files: a crash only costs a recompute
                    result.recomputed.extend(todo)
                    if progress:
                        progress(len(result.recomputed), len(stale))
        finally:
            if reader is not None:
                reader.close()
        if not _manifest_path(ws).exists():
            _write_manifest(ws, manifest)
        return result


def rollup_source(ws: Workspace, table: str, start: date | None = None, end: date | None = None) -> str:
    """A parenthesised DuckDB SELECT over one rollup's month files overlapping [start, end]
    (only those files are opened); empty when there are none."""
    schema = SCHEMAS[table]
    root = usage_dir(ws) / table
    files = sorted(root.glob("*.parquet")) if root.exists() else []
    lo = start.isoformat()[:7] if start else "0000-00"
    hi = end.isoformat()[:7] if end else "9999-99"
    files = [f for f in files if lo <= f.stem <= hi]
    if files:
        listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        return f"(SELECT {', '.join(schema.names)} FROM read_parquet([{listed}]))"
    duck = {pa.string(): "VARCHAR", pa.date32(): "DATE", pa.int64(): "BIGINT"}
    cols = ", ".join(f"NULL::{duck[f.type]} AS {f.name}" for f in schema)
    return f"(SELECT {cols} WHERE false)"
