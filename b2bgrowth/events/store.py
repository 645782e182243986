"""EventStore: durable event ingestion into date-partitioned Parquet, read with DuckDB.

    store = EventStore(settings.events_dir, flush_rows=settings.events_flush_rows)   # ws.events
    store.ingest([store.validate(raw, line=1)])     # durable (fsynced log) when it returns
    con = duckdb.connect(); con.sql(f"SELECT event, count(*) FROM {store.sql_source(con)} GROUP BY 1")

Ingestion path (docs/events.md has the full story and the crash analysis):
  ingest → drop ids already stored (buffer set + id index, hits confirmed in Parquet)
         → append one checksummed frame to the write-ahead log, fdatasync → acknowledge
         → keep the rows in an in-memory buffer (visible to queries at once)
  flush (buffer ≥ flush_rows, or flush()/close()) → one Parquet file per date, fsync, rename
         → only then delete the log segments those rows came from.
A crash anywhere replays the log on the next open; replay drops ids already in Parquet,
so nothing acknowledged is lost and nothing is stored twice.

One process writes a store at a time (an flock on `_wal/LOCK`, taken at the first write);
other processes may read the flushed Parquet meanwhile. Within a process one lock serialises
writers; the HTTP server's threads share it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from b2bgrowth.events import compaction
from b2bgrowth.events.files import (
    all_part_files,
    parquet_glob,
    partition_dir,
    partitions,
    publish,
    stage_partitioned,
    sweep_temporaries,
    sync_directories,
    write_partitioned,
)
from b2bgrowth.events.id_index import IdIndex
from b2bgrowth.events.results import EventImport, IngestResult
from b2bgrowth.events.schema import (
    SCHEMA,
    EventInvalid,
    EventRow,
    conform,
    normalise,
    row_to_dict,
    rows_to_table,
)
from b2bgrowth.events.wal import WriteAheadLog

__all__ = ["EventStore", "IngestResult", "EventImport", "EventInvalid", "EventStoreBusy"]

QUERY_COLUMNS = "event_id, ts, account_id, user_id, event, properties, date"


class EventStoreBusy(RuntimeError):
    """Another process holds the event store for writing."""


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class EventStore:
    def __init__(self, events_dir: Path, flush_rows: int = 200_000):
        self.root = Path(events_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        self.flush_rows = max(1, int(flush_rows))
        self._lock = threading.RLock()
        self._index = IdIndex(self.root)
        self._wal: WriteAheadLog | None = None
        self._lock_fd: int | None = None
        self._buffer: list[pa.Table] = []
        self._buffer_ids: set[str] = set()
        self._buffer_rows = 0
        self._buffer_table: pa.Table | None = None
        # The background flush: rows moved out of the buffer, being written to Parquet. They
        # stay visible to queries and to dedupe until they are published (renamed in).
        self._flushing: list[pa.Table] = []
        self._flushing_ids: set[str] = set()
        self._flushing_rows = 0
        self._flushing_segment: int | None = None  # log segments to delete once published
        self._flush_in_flight = False
        self._flush_error: BaseException | None = None
        self._flush_done = threading.Condition(self._lock)
        self._closed = False
        self._recover_if_free()

    # -- writer role and crash recovery -------------------------------------------------------
    @property
    def _wal_dir(self) -> Path:
        return self.root / "_wal"

    @property
    def _log(self) -> WriteAheadLog:
        """The write-ahead log, which only the writer has (_acquire_writer, _ensure_writer)."""
        if self._wal is None:
            raise RuntimeError("the event store is not the writer")
        return self._wal

    def _acquire_writer(self, wait: bool = False) -> bool:
        self._wal_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._wal_dir / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        compaction.finish_interrupted(self.root)
        sweep_temporaries(self.root)
        self._wal = WriteAheadLog(self._wal_dir)
        self._replay_log()
        return True

    def _release_writer(self) -> None:
        if self._wal is not None:
            self._wal.close()
            self._wal = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None

    def _recover_if_free(self) -> None:
        """On open, finish what a crashed writer left (log tail, compaction) if nobody writes now."""
        pending = (self._wal_dir.exists() and any(self._wal_dir.glob("*.wal"))) or (
            compaction.journal_dir(self.root).exists() and any(compaction.journal_dir(self.root).iterdir())
        )
        if pending:
            with self._lock:
                if self._acquire_writer():
                    self._release_writer()

    def _replay_log(self) -> None:
        """Log segments left by a previous run → Parquet (ids already there are dropped), then delete them."""
        tables = self._log.read_all()
        last = self._log.rotate()
        if tables:
            table = pa.concat_tables(tables)
            table = self._drop_stored(self._drop_repeats(table))
            self._write_parquet(table)
        self._log.remove_through(last)

    def _ensure_writer(self) -> None:
        if self._closed:
            raise RuntimeError("the event store is closed")
        if self._wal is None and not self._acquire_writer():
            raise EventStoreBusy(
                f"another b2bgrowth process is writing events in {self.root} (the web server?); "
                "send events to it with POST /api/v1/events, or stop it first"
            )

    # -- validation ---------------------------------------------------------------------------
    @staticmethod
    def validate(raw: dict[str, Any], line: int) -> dict[str, Any]:
        """One raw event → {event_id, ts (UTC, naive), account_id, user_id, event, properties (dict)}."""
        return row_to_dict(normalise(raw, line))

    # -- dedupe -------------------------------------------------------------------------------
    @staticmethod
    def _drop_repeats(table: pa.Table) -> pa.Table:
        """Keep the first row of each event_id within one table."""
        ids = table.column("event_id")
        if pc.count_distinct(ids).as_py() == table.num_rows:
            return table
        seen: set[str] = set()
        keep = []
        for event_id in ids.to_pylist():
            keep.append(event_id not in seen)
            seen.add(event_id)
        return table.filter(pa.array(keep))

    def _ensure_index(self) -> None:
        if not self._index.loaded:
            self._index.load()

    def _stored_among(self, candidates: pa.Table) -> set[str]:
        """Which candidate ids are really in Parquet (confirms id-index hash hits)."""
        days = set(pc.cast(candidates.column("ts"), pa.date32()).to_pylist())
        # A retried event lands in its own date's partition: look there first, then everywhere.
        likely = [str(f) for day in days for f in partition_dir(self.root, day).glob("part-*.parquet")]
        con = duckdb.connect()
        try:
            con.register("candidates", candidates.select(["event_id"]))
            found: set[str] = set()
            for files in (likely, parquet_glob(self.root)):
                if len(found) == candidates.num_rows or not files:
                    continue
                rows = con.execute(
                    "SELECT DISTINCT event_id FROM read_parquet(?) WHERE event_id IN (SELECT event_id FROM candidates)",
                    [files],
                ).fetchall()
                found.update(r[0] for r in rows)
            return found
        finally:
            con.close()

    def _drop_stored(self, table: pa.Table, check_buffer: bool = True) -> pa.Table:
        """Remove rows whose event_id is already in the buffer or in Parquet."""
        if table.num_rows == 0:
            return table
        pending = (self._buffer_ids | self._flushing_ids) if self._flushing_ids else self._buffer_ids
        if check_buffer and pending:
            in_buffer = pc.is_in(table.column("event_id"), value_set=pa.array(list(pending), pa.string()))
            table = table.filter(pc.invert(in_buffer))
        self._ensure_index()
        if len(self._index) == 0 or table.num_rows == 0:
            return table
        maybe = self._index.maybe_contains(self._index.hashes(table.column("event_id")))
        if not maybe.any():
            return table
        candidates = table.filter(pa.array(maybe))
        stored = self._stored_among(candidates)
        if not stored:
            return table
        is_stored = pc.is_in(table.column("event_id"), value_set=pa.array(sorted(stored), pa.string()))
        return table.filter(pc.invert(is_stored))

    # -- writing ------------------------------------------------------------------------------
    def _write_parquet(self, table: pa.Table) -> int:
        written = write_partitioned(table, self.root)
        if written:
            # Hash every part's ids in one engine call (a flush of a backfill spans hundreds
            # of dates; one call per file cost more than writing the files), then split.
            ids = pa.chunked_array([part.column("event_id") for _, part in written], type=pa.string())
            bounds = np.cumsum([part.num_rows for _, part in written])[:-1]
            for (path, _part), hashes in zip(written, np.split(self._index.hashes(ids), bounds)):
                self._index.add_file(path, hashes)
        return int(table.num_rows)

    def ingest(self, records: Iterable[dict[str, Any]]) -> IngestResult:
        """Store validated records (see validate); durable when it returns; known ids are ignored."""
        rows = [normalise(record, line) for line, record in enumerate(records, start=1)]
        return self.ingest_rows(rows)

    def ingest_rows(self, rows: list[EventRow]) -> IngestResult:
        """The path behind ingest(): rows already normalised by schema.normalise."""
        return self.ingest_table(rows_to_table(rows))

    def ingest_table(self, batch: pa.Table) -> IngestResult:
        """Store a validated batch in the stored schema (schema.batch_to_table or rows_to_table)
        through the write-ahead log; durable when it returns; known ids are ignored."""
        with self._lock:
            self._ensure_writer()
            fresh_index: list[int] = []
            seen: set[str] = set()
            flushing = self._flushing_ids
            for i, event_id in enumerate(batch.column("event_id").to_pylist()):
                if event_id not in seen and event_id not in self._buffer_ids and event_id not in flushing:
                    seen.add(event_id)
                    fresh_index.append(i)
            fresh = batch if len(fresh_index) == batch.num_rows else batch.take(pa.array(fresh_index, pa.int64()))
            # The buffer was checked above; only Parquet is left to check.
            table = self._drop_stored(fresh, check_buffer=False) if fresh.num_rows else fresh
            if table.num_rows:
                self._log.append(table)  # fsynced: from here on the batch is acknowledged
                self._buffer.append(table)
                self._buffer_ids.update(table.column("event_id").to_pylist())
                self._buffer_rows += table.num_rows
                self._buffer_table = None
                if self._buffer_rows >= self.flush_rows:
                    self._start_background_flush()
            return IngestResult(accepted=table.num_rows, duplicates=batch.num_rows - table.num_rows)

    def ingest_arrow(self, table: pa.Table) -> int:
        """Bulk path (demo generator, bench, file import): straight to fsynced Parquet; returns rows accepted.

        Not atomic across dates: a crash mid-call may leave some dates written. The caller was
        not acknowledged, and calling again with the same table stores only what is missing.
        """
        table = conform(table)
        bad = duckdb.connect().from_arrow(table.select(["properties"])).filter(
            "properties IS NOT NULL AND NOT (json_valid(properties) AND json_type(properties) = 'OBJECT')"
        ).aggregate("count(*)").fetchall()[0][0]
        if bad:
            raise ValueError(f"{bad} event(s) have properties that are not a JSON object")
        table = table.set_column(5, "properties", pc.fill_null(table.column("properties"), "{}"))
        with self._lock:
            self._ensure_writer()
            table = self._drop_stored(self._drop_repeats(table))
            return self._write_parquet(table)

    def flush(self) -> None:
        with self._lock:
            if self._wal is not None:
                self._flush_locked()

    def wait_for_flush(self) -> None:
        """Block until the background flush an ingest started (if any) has reached Parquet."""
        with self._lock:
            self._wait_for_background_flush()

    def _flush_locked(self) -> None:
        """Synchronous flush (flush(), close(), compaction, a query without a connection)."""
        self._wait_for_background_flush()
        if not self._buffer:
            return
        last_segment = self._log.rotate()
        self._write_parquet(pa.concat_tables(self._buffer))  # fsynced Parquet first …
        self._log.remove_through(last_segment)  # … then forget the log it came from
        self._buffer.clear()
        self._buffer_ids.clear()
        self._buffer_rows = 0
        self._buffer_table = None

    # The flush an ingest triggers runs in a background thread, so the request that filled the
    # buffer is answered as soon as its own log frame is fsynced (the acknowledgement), not after
    # hundreds of Parquet files are written. At most one flush is in flight: the next one waits
    # for it (backpressure), so memory stays bounded and throughput figures stay honest.
    def _start_background_flush(self) -> None:
        self._wait_for_background_flush()
        if not self._buffer:
            return
        self._ensure_index()  # loaded before the new files appear, so they are counted once
        self._flushing_segment = self._log.rotate()
        self._flushing, self._flushing_ids, self._flushing_rows = self._buffer, self._buffer_ids, self._buffer_rows
        self._buffer, self._buffer_ids, self._buffer_rows = [], set(), 0
        self._buffer_table = None
        self._flush_in_flight = True
        threading.Thread(target=self._background_flush, name="b2bgrowth-event-flush", daemon=True).start()

    def _background_flush(self) -> None:
        try:
            table = pa.concat_tables(self._flushing)  # moved out of the buffer: nobody else mutates it
            staged = stage_partitioned(table, self.root)  # fsynced, not yet visible; no lock held
            ids = pa.chunked_array([part.column("event_id") for _, part in staged], type=pa.string())
            with self._lock:
                publish(self.root, staged)
                bounds = np.cumsum([part.num_rows for _, part in staged])[:-1]
                hashes = np.split(self._index.hashes(ids), bounds) if staged else []
                sorted_files = self._index.add_files([(final, h) for (final, _), h in zip(staged, hashes)],
                                                     persist=False)
                segment = self._flushing_segment
                self._flushing, self._flushing_ids, self._flushing_rows = [], set(), 0
                self._buffer_table = None
            # Readers and dedupe see the Parquet files now; make the renames durable before the
            # log that also holds these rows is deleted (a crash before that replays the log, and
            # replay drops what reached Parquet).
            sync_directories(self.root, [final for final, _ in staged])
            self._index.persist_files(sorted_files)
            if segment is not None:  # always set with the rows being flushed
                self._log.remove_through(segment)
        except BaseException as exc:  # noqa: BLE001 - reported to the next writer, see below
            with self._lock:
                self._flush_error = exc
        finally:
            with self._lock:
                self._flush_in_flight = False
                self._flush_done.notify_all()

    def _wait_for_background_flush(self) -> None:
        """Wait for the flush in flight (releasing the lock meanwhile); if it failed before
        publishing, write its rows synchronously now (their log segments are still there)."""
        while self._flush_in_flight:
            self._flush_done.wait()
        if self._flush_error is None:
            return
        error, self._flush_error = self._flush_error, None
        logging.getLogger("b2bgrowth.events").warning("background flush failed (%s); retrying in the foreground", error)
        if self._flushing:  # failed before publishing: write the rows now, then drop their log
            self._write_parquet(pa.concat_tables(self._flushing))
            self._flushing, self._flushing_ids, self._flushing_rows = [], set(), 0
            self._buffer_table = None
            if self._flushing_segment is not None:  # always set with the rows being flushed
                self._log.remove_through(self._flushing_segment)
        # Failed after publishing: the renames may not be durable, so the log segments stay;
        # the next open replays them and replay drops what is already in Parquet.

    def compact(self) -> int:
        """Merge each date partition's files into one; returns the number of files replaced."""
        with self._lock:
            self._ensure_writer()
            self._flush_locked()
            return sum(compaction.compact_partition(p, self._index) for p in partitions(self.root))

    # -- reading ------------------------------------------------------------------------------
    def buffered(self) -> pa.Table:
        """The acknowledged events not yet in Parquet (a snapshot)."""
        with self._lock:
            if self._buffer_table is None:
                tables = self._flushing + self._buffer
                self._buffer_table = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
            return self._buffer_table

    def fingerprint(self, until: date | None = None) -> str:
        """Changes when an event dated ≤ until (any date when None) is added, and only then."""
        return self.fingerprints([until])[until]

    def fingerprints(self, days: Iterable[date | None]) -> dict[date | None, str]:
        """{day: fingerprint(day)} for several days from one directory walk. Under the lock: a
        flush publishing meanwhile would count its rows twice or not at all."""
        from b2bgrowth.events.fingerprint import fingerprints

        with self._lock:
            return fingerprints(self.root, self.buffered(), days)

    def sql_source(self, con: duckdb.DuckDBPyConnection | None = None) -> str:
        """A parenthesised SELECT usable in FROM: flushed Parquet UNION ALL the buffer.

        Columns: event_id, ts, account_id, user_id, event, properties (JSON text), date.
        With `con`, the buffer is registered on that connection; without one, the buffer is
        flushed first so the string alone covers every acknowledged event.
        """
        if con is None:
            self.flush()
        parts = []
        if all_part_files(self.root):
            parts.append(
                f"SELECT {QUERY_COLUMNS} FROM read_parquet({_sql_literal(parquet_glob(self.root))}, "
                "hive_partitioning = true, hive_types = {'date': DATE})"
            )
        buffer = self.buffered() if con is not None else SCHEMA.empty_table()
        if con is not None and buffer.num_rows:
            name = f"b2bgrowth_events_buffer_{id(self):x}"
            con.register(name, buffer)
            parts.append(f"SELECT *, CAST(ts AS DATE) AS date FROM {name}")
        if not parts:
            parts.append(
                "SELECT NULL::VARCHAR AS event_id, NULL::TIMESTAMP AS ts, NULL::VARCHAR AS account_id, "
                "NULL::VARCHAR AS user_id, NULL::VARCHAR AS event, NULL::VARCHAR AS properties, "
                "NULL::DATE AS date WHERE false"
            )
        return "(" + " UNION ALL ".join(parts) + ")"

    def relation(self, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        return con.sql(f"SELECT * FROM {self.sql_source(con)}")

    def register_view(self, con: duckdb.DuckDBPyConnection, name: str = "events") -> None:
        """`CREATE TEMP VIEW events` on `con`, so analyses can say FROM events."""
        con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS SELECT * FROM {self.sql_source(con)}')

    def count(self) -> int:
        with self._lock:
            buffered = self._buffer_rows + self._flushing_rows
            if self._index.loaded:
                return len(self._index) + buffered
        if not all_part_files(self.root):
            return buffered
        con = duckdb.connect()
        try:  # Parquet footers hold the row counts: no data is read
            stored = con.execute("SELECT count(*) FROM read_parquet(?)", [parquet_glob(self.root)]).fetchall()[0][0]
            return int(stored) + buffered
        finally:
            con.close()

    # -- files --------------------------------------------------------------------------------
    def import_file(self, path: Path, skip_invalid: bool = False,
                    progress: Callable[[int], Any] | None = None) -> EventImport:
        from b2bgrowth.events.fileio import import_events

        with self._lock:
            self._ensure_writer()  # fail before reading a large file if another process writes
        return import_events(self, Path(path), skip_invalid=skip_invalid, progress=progress)

    def export_file(self, path: Path) -> int:
        from b2bgrowth.events.fileio import export_events

        return export_events(self, Path(path))

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            if self._wal is not None:
                self._flush_locked()
            self._release_writer()
            self._index.close()
            self._closed = True

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
