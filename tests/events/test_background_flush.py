"""The flush an ingest triggers runs in a background thread (the request is answered once its
log frame is fsynced). While it is in flight its rows stay visible and deduplicated exactly
once; a second flush waits for it; a failed flush is retried in the foreground and loses
nothing. The thread is held at a gate (a threading.Event) so "in flight" is deterministic."""

from __future__ import annotations

import threading

import duckdb
import pytest
from event_samples import make_events

import b2bgrowth.events.store as store_module
from b2bgrowth.events.files import all_part_files
from b2bgrowth.events.store import EventStore


def stored_ids(store: EventStore) -> list[str]:
    con = duckdb.connect()
    return sorted(r[0] for r in store.relation(con).select("event_id").fetchall())


@pytest.fixture
def gated(monkeypatch):
    """Hold every background flush before it writes, until the test opens the gate."""
    gate = threading.Event()
    entered = threading.Event()
    real_stage = store_module.stage_partitioned

    def held_stage(table, root):
        entered.set()
        assert gate.wait(30), "test never opened the gate"
        return real_stage(table, root)

    monkeypatch.setattr(store_module, "stage_partitioned", held_stage)
    return gate, entered


def segments(store: EventStore) -> list[str]:
    return sorted(p.name for p in (store.root / "_wal").glob("*.wal"))


def test_rows_in_flight_are_visible_once_and_deduplicated(events_dir, gated):
    gate, entered = gated
    store = EventStore(events_dir, flush_rows=3)
    try:
        assert store.ingest(make_events(["a", "b", "c"])) == (3, 0)  # buffer hits 3 → background flush
        assert entered.wait(10)
        assert all_part_files(store.root) == []  # held: nothing written yet …
        assert store.count() == 3  # … but counted
        assert stored_ids(store) == ["a", "b", "c"]  # … and queryable
        # Ids in flight are duplicates; "d" is new and goes to the fresh buffer.
        assert store.ingest(make_events(["a", "c", "d"])) == (1, 2)
        assert store.count() == 4
        gate.set()
        store.wait_for_flush()
        assert len(all_part_files(store.root)) == 1
        assert stored_ids(store) == ["a", "b", "c", "d"]  # the flushed three once, d from the buffer
        assert store.count() == 4
        # Published rows are found by the id index now.
        assert store.ingest(make_events(["b"])) == (0, 1)
    finally:
        gate.set()
        store.close()
    reopened = EventStore(events_dir)
    assert stored_ids(reopened) == ["a", "b", "c", "d"]
    reopened.close()


def test_the_log_segment_is_deleted_only_after_the_flush(events_dir, gated):
    gate, entered = gated
    store = EventStore(events_dir, flush_rows=2)
    try:
        store.ingest(make_events(["a", "b"]))
        assert entered.wait(10)
        assert segments(store) == ["000000000001.wal"]  # still the only durable copy
        store.ingest(make_events(["c"]))  # a fresh segment for the rows after the rotation
        assert segments(store) == ["000000000001.wal", "000000000002.wal"]
        gate.set()
        store.wait_for_flush()
        assert segments(store) == ["000000000002.wal"]
    finally:
        gate.set()
        store.close()


def test_a_second_flush_waits_for_the_first(events_dir, gated):
    gate, entered = gated
    store = EventStore(events_dir, flush_rows=2)
    done = threading.Event()
    try:
        store.ingest(make_events(["a", "b"]))
        assert entered.wait(10)

        def second():
            store.ingest(make_events(["c", "d"]))  # fills the buffer again → must wait
            done.set()

        worker = threading.Thread(target=second)
        worker.start()
        assert not done.wait(0.5)  # blocked behind the flush in flight (backpressure)
        gate.set()
        worker.join(10)
        assert done.is_set()
        store.wait_for_flush()
        assert stored_ids(store) == ["a", "b", "c", "d"]
        assert len(all_part_files(store.root)) == 2
    finally:
        gate.set()
        store.close()


def test_a_failed_background_flush_is_retried_in_the_foreground(events_dir, monkeypatch):
    real_stage = store_module.stage_partitioned
    calls = {"n": 0}

    def failing_once(table, root):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        return real_stage(table, root)

    monkeypatch.setattr(store_module, "stage_partitioned", failing_once)
    store = EventStore(events_dir, flush_rows=2)
    try:
        store.ingest(make_events(["a", "b"]))  # background flush fails
        store.ingest(make_events(["c"]))
        assert store.count() == 3 and stored_ids(store) == ["a", "b", "c"]  # nothing lost meanwhile
        store.flush()  # retries the failed rows (synchronously), then flushes "c"
        assert stored_ids(store) == ["a", "b", "c"]
        assert segments(store) == []
    finally:
        store.close()
    reopened = EventStore(events_dir)
    assert stored_ids(reopened) == ["a", "b", "c"]
    reopened.close()
