"""EventStore behaviour: counts, queries, dedupe, flush, compaction, bulk path."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pytest
from event_samples import make_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.events.engines import get_engine
from b2bgrowth.events.files import all_part_files, part_files, partitions
from b2bgrowth.events.store import EventInvalid, EventStore


def stored_ids(store: EventStore) -> list[str]:
    con = duckdb.connect()
    return sorted(r[0] for r in store.relation(con).select("event_id").fetchall())


def test_ingest_then_query_sees_buffer_and_parquet(store):
    assert store.ingest(make_events(["a", "b", "c"])) == (3, 0)
    assert store.count() == 3
    assert list(store.root.glob("date=*")) == []  # still buffered, only in the log
    store.flush()
    store.ingest(make_events(["d"], day="2024-03-02"))
    con = duckdb.connect()
    by_date = store.relation(con).aggregate("date, count(*) AS n", "date").order("date").fetchall()
    assert [(str(d), n) for d, n in by_date] == [("2024-03-01", 3), ("2024-03-02", 1)]
    assert store.count() == 4


def test_timestamps_are_stored_in_utc_and_properties_as_json(store):
    store.ingest([{"event_id": "x", "ts": "2024-03-01T08:30:00+08:00", "event": "login", "properties": {"plan": "专业版"}}])
    con = duckdb.connect()
    row = con.sql(f"SELECT ts, date, properties::JSON->>'plan', account_id FROM {store.sql_source(con)}").fetchall()[0]
    assert row == (datetime(2024, 3, 1, 0, 30), datetime(2024, 3, 1).date(), "专业版", None)


def test_duplicates_within_batch_across_batches_and_across_flush(events_dir):
    store = EventStore(events_dir, flush_rows=3)
    assert store.ingest(make_events(["a", "a", "b"])) == (2, 1)
    assert store.ingest(make_events(["b", "c"])) == (1, 1)  # b buffered; buffer hits 3 → flush
    store.wait_for_flush()  # the flush an ingest starts runs in the background
    assert list(store.root.glob("date=*/*.parquet"))
    assert store.ingest(make_events(["a", "c", "d"])) == (1, 2)  # a, c now in Parquet
    store.close()
    reopened = EventStore(events_dir, flush_rows=3)
    assert reopened.ingest(make_events(["a", "b", "c", "d", "e"])) == (1, 4)
    assert stored_ids(reopened) == ["a", "b", "c", "d", "e"]
    reopened.close()


def test_same_id_on_another_date_is_still_a_duplicate(store):
    store.ingest(make_events(["a"], day="2024-01-01"))
    store.flush()
    assert store.ingest(make_events(["a"], day="2024-06-30")) == (0, 1)


def test_validate_names_line_id_column_and_reason(store):
    good = store.validate({"event_id": 7, "ts": "2024-03-01", "event": "login", "account_id": ""}, line=2)
    assert good == {"event_id": "7", "ts": datetime(2024, 3, 1), "account_id": None, "user_id": None,
                    "event": "login", "properties": {}}
    cases = [
        ({"ts": "2024-03-01", "event": "x"}, (None, "event_id", "missing event_id")),
        ({"event_id": "e", "ts": "yesterday", "event": "x"}, ("e", "ts", "bad date-time")),
        ({"event_id": "e", "ts": "2024-03-01", "event": ""}, ("e", "event", "missing event name")),
        ({"event_id": "e", "ts": "2024-03-01", "event": "x", "properties": "[1, 2]"}, ("e", "properties", "must be a JSON object")),
        ({"event_id": "e", "ts": "2024-03-01", "event": "x", "properties": "{oops"}, ("e", "properties", "not valid JSON")),
    ]
    for raw, (row_id, column, reason) in cases:
        with pytest.raises(EventInvalid) as info:
            store.validate(raw, line=5)
        error = info.value.error
        assert (error.line, error.row_id, error.column) == (5, row_id, column)
        assert reason in error.reason


def test_compaction_keeps_count_and_ids(events_dir):
    store = EventStore(events_dir, flush_rows=2)
    for n in range(5):  # five flushes → several files in the same partition
        store.ingest(make_events([f"{n}-a", f"{n}-b"], day="2024-03-01"))
    store.ingest(make_events(["z"], day="2024-03-02"))
    before = stored_ids(store)
    assert len(part_files(store.root / "date=2024-03-01")) == 5
    assert store.compact() == 5
    assert [len(part_files(p)) for p in partitions(store.root)] == [1, 1]
    assert stored_ids(store) == before and store.count() == 11
    assert store.ingest(make_events(["0-a", "new"])) == (1, 1)  # the index survived compaction
    store.close()
    reopened = EventStore(events_dir)
    assert reopened.count() == 12 and stored_ids(reopened) == sorted(before + ["new"])
    reopened.close()


def test_interrupted_compaction_rolls_forward_on_open(events_dir):
    """Simulate a crash after the merged file was renamed in but before the old files were removed."""
    import json

    import pyarrow.parquet as pq

    store = EventStore(events_dir, flush_rows=1)
    store.ingest(make_events(["a"]))
    store.ingest(make_events(["b"]))
    store.close()
    partition = events_dir / "date=2024-03-01"
    old = part_files(partition)
    merged = pa.concat_tables([pq.read_table(f) for f in old])
    pq.write_table(merged, partition / "part-99999999999999999999-merged.parquet")
    (events_dir / "_compaction").mkdir()
    (events_dir / "_compaction" / "date=2024-03-01.json").write_text(
        json.dumps({"new": "part-99999999999999999999-merged.parquet", "old": [f.name for f in old]})
    )
    reopened = EventStore(events_dir)
    assert [f.name for f in part_files(partition)] == ["part-99999999999999999999-merged.parquet"]
    assert reopened.count() == 2
    reopened.close()


def test_ingest_arrow_is_durable_and_dedupes(store):
    store.ingest(make_events(["a"]))  # buffered
    store.ingest(make_events(["b"]))
    store.flush()
    store.ingest(make_events(["c"]))  # buffered again
    table = pa.table({
        "event_id": ["a", "b", "c", "d", "d", "e"],
        "ts": pa.array([datetime(2024, 3, 1)] * 3 + [datetime(2024, 3, 5)] * 3, pa.timestamp("us")),
        "account_id": ["A1"] * 6,
        "user_id": [None] * 6,
        "event": ["login"] * 6,
        "properties": ['{"k": 1}', None, "{}", "{}", "{}", "{}"],
    })
    assert store.ingest_arrow(table) == 2  # d once, e
    assert store.count() == 5
    assert len(list((store.root / "date=2024-03-05").glob("*.parquet"))) == 1
    with pytest.raises(ValueError, match="JSON object"):
        store.ingest_arrow(table.set_column(5, "properties", pa.array(["[1]"] * 6)))


def test_workspace_exposes_the_store_and_the_duckdb_engine(sqlite_ws):
    sqlite_ws.events.ingest(make_events(["a", "b"], event="login") + make_events(["c"], event="logout"))
    result = get_engine("duckdb", sqlite_ws.events).query(
        "SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY event"
    )
    assert result.to_pylist() == [{"event": "login", "n": 2}, {"event": "logout", "n": 1}]


def test_empty_store_query_has_the_columns(store):
    con = duckdb.connect()
    relation = store.relation(con)
    assert relation.columns == ["event_id", "ts", "account_id", "user_id", "event", "properties", "date"]
    assert relation.fetchall() == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batches=st.lists(st.lists(st.integers(0, 30), max_size=12), max_size=8),
    flush_rows=st.integers(1, 10),
    reopen_after=st.integers(0, 8),
)
def test_every_id_stored_exactly_once(tmp_path_factory, batches, flush_rows, reopen_after):
    """Whatever the batches, flush points and reopen point: stored ids = distinct ids sent, once each."""
    events_dir = tmp_path_factory.mktemp("events")
    store = EventStore(events_dir, flush_rows=flush_rows)
    seen: set[str] = set()
    for n, batch in enumerate(batches):
        if n == reopen_after:
            store.close()
            store = EventStore(events_dir, flush_rows=flush_rows)
        ids = [str(i) for i in batch]
        result = store.ingest(make_events(ids, day=f"2024-03-{1 + sum(batch) % 3:02d}"))
        fresh = set(ids) - seen
        assert result == (len(fresh), len(ids) - len(fresh))
        seen |= fresh
    assert stored_ids(store) == sorted(seen)
    assert store.count() == len(seen)
    store.compact()
    assert stored_ids(store) == sorted(seen)
    store.close()
    assert len(all_part_files(events_dir)) <= 3
