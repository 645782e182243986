"""The same rollup SQL on Apache Spark (local mode) and on DuckDB, over the same Parquet: equal."""

from __future__ import annotations

from datetime import date

import pytest

from b2bgrowth.success.usage.rollups import SCHEMAS, DuckDBDays, SparkDays, compute_rollups, partition_fingerprints
from tests.success_usage.planted import DEFAULT_EVENTS, add_events, event

pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark_engine():
    """One Spark session for the module (starting a JVM costs seconds)."""
    from b2bgrowth.events.engines import SparkEngine

    engine = SparkEngine(None, master="local[2]")
    engine.session()
    yield engine
    engine.stop()


def _sorted(table):
    keys = [c for c in table.column_names]
    return table.sort_by([(k, "ascending") for k in keys])


def test_spark_rollups_equal_duckdb(sqlite_ws, spark_engine):
    ws = sqlite_ws
    # Few partitions (Spark lists each directory): the planted events of 2024-06-26 .. 07-01 and B's.
    events = [dict(e) for e in DEFAULT_EVENTS if e["ts"].date() >= date(2024, 6, 26) or e["account_id"] == "B"]
    # Odd cases too: a user id shared by two accounts, quotes in names, midnight and 23:59:59.
    events += [event("B", "A-c1", "2024-06-30", "it's", hour=0), event("B", "A-c1", "2024-06-30", "it's", hour=23)]
    add_events(ws, events)
    days = [date.fromisoformat(d) for d in sorted(partition_fingerprints(ws.settings.events_dir))]
    duck = DuckDBDays(ws.settings.events_dir)
    try:
        expected = compute_rollups(duck, days)
    finally:
        duck.close()
    got = compute_rollups(SparkDays(ws.settings.events_dir, spark_engine), days)
    for table in SCHEMAS:
        assert got[table].schema == expected[table].schema
        assert _sorted(got[table]).equals(_sorted(expected[table])), table
    assert sum(expected["account_daily"]["events"].to_pylist()) == len([e for e in events if e["account_id"]])
