"""The event-engine seam: analyses ask an engine for SQL over a view named `events`.

    engine = get_engine("duckdb", ws.events)
    table = engine.query("SELECT event, count(*) AS n FROM events GROUP BY event")   # pyarrow.Table
    table = query_events(ws.events, "SELECT … FROM events …")   # the same, errors as EventQueryError

Modules outside b2bgrowth/events ask this seam (or a capability function that does) rather than
opening DuckDB on the event files themselves.

Both engines read the same hive-partitioned Parquet files (`date=YYYY-MM-DD/part-*.parquet`)
with the same columns: event_id, ts (UTC wall time), account_id, user_id, event,
properties (JSON text), date. DuckDB also sees the not-yet-flushed buffer; Spark, running in
other processes, sees what is flushed (the Spark engine flushes first). Analyses that stay in
the SQL both dialects share (GROUP BY, window functions, date_trunc, count(DISTINCT …)) run
unchanged on either; see docs/events.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import pyarrow as pa

if TYPE_CHECKING:
    from b2bgrowth.events.store import EventStore


class EventEngine(Protocol):
    name: str

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table: ...


class DuckDBEngine:
    """In-process, embedded: the default for one machine."""

    name = "duckdb"

    def __init__(self, store: EventStore):
        self.store = store

    def connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        self.store.register_view(con, "events")
        return con

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table:
        con = self.connect()
        try:
            return con.sql(sql, params=params).to_arrow_table()
        finally:
            con.close()


class SparkEngine:
    """Apache Spark over the same files (pyspark is an optional extra; not installed by default).

    The path for event volumes beyond one machine; the suite runs it in local mode
    (tests/success_usage/test_spark.py compares its usage rollups with DuckDB's). One
    SparkSession per process (getOrCreate), with the UI off and few shuffle partitions: the
    local-mode defaults (200 partitions, a web UI) cost seconds on small data.
    """

    name = "spark"

    def __init__(self, store: EventStore | None, master: str = "local[*]", shuffle_partitions: int = 4):
        self.store = store
        self.master = master
        self.shuffle_partitions = shuffle_partitions
        self._session: Any = None  # a pyspark SparkSession (pyspark is optional: no types)

    def session(self) -> Any:
        if self._session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:  # pragma: no cover - depends on an optional install
                raise RuntimeError("the Spark engine needs pyspark: pip install pyspark") from exc
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            self._session = (
                SparkSession.builder.master(self.master)
                .appName("b2bgrowth-events")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", str(self.shuffle_partitions))
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .getOrCreate()
            )
        return self._session

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pa.Table:  # pragma: no cover
        if self.store is None:
            raise RuntimeError("this Spark engine was made without an event store")
        self.store.flush()  # Spark reads files only
        spark = self.session()
        root = str(self.store.root)
        frame = spark.read.option("basePath", root).parquet(os.path.join(root, "date=*"))
        frame.createOrReplaceTempView("events")
        return self.to_arrow(spark.sql(sql, args=params or None))

    @staticmethod
    def to_arrow(frame: Any) -> pa.Table:
        """A Spark DataFrame as a pyarrow Table: Arrow batches straight from the JVM when this
        pyspark has it (3.x `_collect_as_arrow`), else through pandas."""
        collect = getattr(frame, "_collect_as_arrow", None)
        if collect is not None:
            batches = collect()
            if batches:
                return pa.Table.from_batches(batches)
        return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)

    def stop(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None


ENGINES: dict[str, Callable[[EventStore], EventEngine]] = {"duckdb": DuckDBEngine, "spark": SparkEngine}


def get_engine(name: str, store: EventStore) -> EventEngine:
    try:
        return ENGINES[name](store)
    except KeyError:
        raise ValueError(f"unknown event engine {name!r}; known: {', '.join(ENGINES)}") from None


class EventQueryError(RuntimeError):
    """An engine could not answer (a damaged or unreadable event store, or SQL it rejects)."""


def query_events(store: EventStore, sql: str, params: dict[str, Any] | None = None,
                 engine: str = "duckdb") -> pa.Table:
    """Run `sql` over the view `events` on the named engine; an engine's own error becomes
    EventQueryError (pages show an empty state for it rather than failing)."""
    runner = get_engine(engine, store)
    try:
        return runner.query(sql, params)
    except duckdb.Error as exc:
        raise EventQueryError(str(exc)) from exc
