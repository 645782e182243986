"""Acknowledged = durable: real processes killed with SIGKILL, then the store reopened.

The child prints "ACK <batch>" only after ingest() returned. Whatever instant the kill lands
on (log append, fsync, flush to Parquet, log removal), every acknowledged event must be there
exactly once after reopening, and nothing that was never sent may appear.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime

import duckdb
import pyarrow as pa

from b2bgrowth.events.schema import SCHEMA
from b2bgrowth.events.store import EventStore
from b2bgrowth.events.wal import WriteAheadLog, encode_frame, read_frames

CHILD = r"""
import sys
from datetime import datetime, timedelta
from b2bgrowth.events.store import EventStore

events_dir, flush_rows, batch_size, slow_disk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "slow"
if slow_disk:
    # A disk that takes its time: the log frame reaches the file 4 KiB at a time, and the
    # child says WRITING before each piece so the parent can kill it in the middle of a frame.
    import os, time
    import b2bgrowth.events.wal as wal

    class SlowDiskOs:
        def __getattr__(self, name):
            return getattr(os, name)

        def write(self, fd, data):
            sys.stdout.write("WRITING\n")
            sys.stdout.flush()
            written = os.write(fd, bytes(data[:4096]))
            time.sleep(0.02)
            return written

    wal.os = SlowDiskOs()
store = EventStore(events_dir, flush_rows=flush_rows)
base = datetime(2024, 3, 1)
batch = 0
while True:
    events = [
        {"event_id": f"{batch}-{j}", "ts": base + timedelta(hours=j % 72), "event": "page_view",
         "properties": {"page": "/p" + str(j % 7)}}
        for j in range(batch_size)
    ]
    store.ingest(events)
    sys.stdout.write(f"ACK {batch}\n")
    sys.stdout.flush()
    batch += 1
"""


def _stored_id_counts(events_dir) -> Counter:
    store = EventStore(events_dir)
    con = duckdb.connect()
    counts = Counter(r[0] for r in store.relation(con).select("event_id").fetchall())
    assert store.count() == sum(counts.values())
    store.close()
    return counts


def _run_and_kill(events_dir, flush_rows: int, batch_size: int, kill_after_acks: int, extra_delay: float = 0,
                  slow_disk: bool = False) -> int:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(events_dir), str(flush_rows), str(batch_size), "slow" if slow_disk else "fast"],
        stdout=subprocess.PIPE, text=True, bufsize=1,
    )
    acked, pieces = -1, 0
    try:
        for line in child.stdout:
            if line.startswith("WRITING"):
                pieces += 1
                if slow_disk and acked + 1 >= kill_after_acks and pieces == 2:
                    break  # the first piece of this frame is on disk, the rest is not
                continue
            acked, pieces = int(line.split()[1]), 0
            if acked + 1 >= kill_after_acks and not slow_disk:
                if extra_delay:
                    time.sleep(extra_delay)  # lands somewhere inside a later ingest
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    # The child may have acknowledged more batches than we had read when the kill landed.
    for line in child.stdout:
        if line.startswith("ACK"):
            acked = int(line.split()[1])
    return acked


def _check(events_dir, acked: int, batch_size: int, earlier_highest: int = -1) -> None:
    counts = _stored_id_counts(events_dir)
    assert all(n == 1 for n in counts.values()), "an event was stored twice"
    for batch in range(acked + 1):
        for j in range(batch_size):
            assert counts[f"{batch}-{j}"] == 1, f"acknowledged event {batch}-{j} lost"
    # Nothing beyond the batch in flight at the kill (or sent by an earlier run); batches are all-or-nothing.
    assert all(int(eid.split("-")[0]) <= max(acked + 1, earlier_highest) for eid in counts)
    per_batch = Counter(eid.split("-")[0] for eid in counts)
    assert set(per_batch.values()) == {batch_size}


def test_kill_right_after_acknowledgement_loses_nothing(tmp_path):
    # flush_rows=250 with batches of 100: the kill also lands around flushes and log removal.
    events_dir = tmp_path / "events"
    acked = _run_and_kill(events_dir, flush_rows=250, batch_size=100, kill_after_acks=7, extra_delay=0)
    _check(events_dir, acked, 100)
    # The reopened store keeps working and still refuses the old ids.
    store = EventStore(events_dir)
    assert store.ingest([{"event_id": "0-0", "ts": "2024-03-01", "event": "x"}]).duplicates == 1
    store.close()


def test_kill_in_the_middle_of_a_log_write(tmp_path):
    events_dir = tmp_path / "events"
    acked = _run_and_kill(events_dir, flush_rows=100_000, batch_size=500, kill_after_acks=2, slow_disk=True)
    assert acked == 1
    segment = max((events_dir / "_wal").glob("*.wal"))
    assert read_frames(segment)[1] is False  # the kill really left a torn frame behind
    _check(events_dir, acked, 500)


def test_kill_at_random_moments_around_flushes(tmp_path):
    rng = random.Random(20240301)
    events_dir = tmp_path / "events"
    highest = -1
    for _ in range(3):
        # Every run re-sends batch ids from 0, so dedupe across crashes is exercised too.
        acked = _run_and_kill(events_dir, flush_rows=5_000, batch_size=2_000,
                              kill_after_acks=rng.randint(1, 8), extra_delay=rng.uniform(0.0, 0.05))
        _check(events_dir, acked, 2_000, earlier_highest=highest)
        highest = max(highest, acked + 1)


def test_torn_or_corrupt_last_record_is_dropped_and_the_rest_kept(tmp_path):
    events_dir = tmp_path / "events"
    wal = WriteAheadLog(events_dir / "_wal")

    def batch(ids):
        n = len(ids)
        return pa.table({
            "event_id": ids, "ts": pa.array([datetime(2024, 3, 1)] * n, pa.timestamp("us")),
            "account_id": pa.nulls(n, pa.string()), "user_id": pa.nulls(n, pa.string()),
            "event": ["x"] * n, "properties": ["{}"] * n,
        }).cast(SCHEMA)

    wal.append(batch(["a", "b"]))
    wal.append(batch(["c"]))
    wal.close()
    segment = next((events_dir / "_wal").glob("*.wal"))
    torn = encode_frame(batch(["never-acked"]))
    with open(segment, "ab") as f:
        f.write(torn[: len(torn) // 2])  # the process died halfway through this write
    assert sorted(_stored_id_counts(events_dir)) == ["a", "b", "c"]
    assert not list((events_dir / "_wal").glob("*.wal"))  # replayed into Parquet, log removed

    # A record whose bytes are all there but whose checksum does not match is dropped too.
    wal = WriteAheadLog(events_dir / "_wal")
    wal.append(batch(["d"]))
    wal.close()
    segment = next((events_dir / "_wal").glob("*.wal"))
    frame = bytearray(encode_frame(batch(["bad"])))
    frame[-1] ^= 0xFF
    with open(segment, "ab") as f:
        f.write(bytes(frame))
    assert sorted(_stored_id_counts(events_dir)) == ["a", "b", "c", "d"]
