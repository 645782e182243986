"""Event files in the SPEC §5 interchange format: CSV (UTF-8, BOM or GBK) and JSONL.

Import is all-or-nothing: every row is validated first into a staging Parquet file under
`_staging/` (memory stays flat for files of millions of rows), duplicate ids within the file
are found there with one DuckDB query, and only a clean file (or, with skip_invalid, its
good rows) is handed to `EventStore.ingest_arrow`. Ids already stored are ignored, so
re-importing a file changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pydantic_core

from b2bgrowth.errors import ImportRejected, RowError
from b2bgrowth.events.results import EventImport
from b2bgrowth.events.schema import COLUMNS, HEADER_ALIASES, EventInvalid, EventRow, normalise, rows_to_table


class EventFiles(Protocol):
    """What file import/export needs of an EventStore (which calls them, not the reverse)."""

    root: Path

    def ingest_arrow(self, table: pa.Table) -> int: ...

    def sql_source(self, con: duckdb.DuckDBPyConnection | None = None) -> str: ...

CHUNK_ROWS = 50_000
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
# GB18030 is a superset of GBK: what Chinese Excel writes when "CSV" is chosen.
FALLBACK_ENCODING = "gb18030"


class _RestartWithFallback(Exception):
    pass


def _file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    raise ValueError(f"{path.name}: events files must be .csv or .jsonl (got {suffix or 'no suffix'})")


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    with open(path, "rb") as probe:
        has_bom = probe.read(3) == codecs.BOM_UTF8
    return open(path, encoding="utf-8-sig" if has_bom else encoding, newline="", errors="strict")


def _canonical_header(name: str | None) -> str | None:
    if name is None:
        return None
    name = name.strip()
    return HEADER_ALIASES.get(name, name.lower() if name.lower() in COLUMNS else name)


def _csv_records(handle: io.TextIOBase) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        return
    names = [_canonical_header(h) for h in header]
    missing = [c for c in ("event_id", "ts", "event") if c not in names]
    if missing:
        yield 1, RowError(1, None, missing[0], f"missing column(s): {', '.join(missing)}")
        return
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        yield reader.line_num, dict(zip(names, values))


def _jsonl_records(handle: io.TextIOBase) -> Iterator[tuple[int, Any]]:
    for line_number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield line_number, pydantic_core.from_json(line)
        except ValueError:
            yield line_number, RowError(line_number, None, None, "not valid JSON")


def _stage(path: Path, fmt: str, encoding: str, staging: Path,
           progress: Callable[[int], Any] | None) -> list[RowError]:
    """Validate every row into the staging file; returns the bad rows. progress(rows read so far)."""
    errors: list[RowError] = []
    rows: list[EventRow] = []
    lines: list[int] = []
    schema = rows_to_table([]).schema.append(pa.field("_line", pa.int64()))
    processed = 0
    with pq.ParquetWriter(staging, schema, compression="zstd") as writer:

        def write_chunk() -> None:
            writer.write_table(rows_to_table(rows).append_column("_line", pa.array(lines, pa.int64())))
            rows.clear()
            lines.clear()
            if progress:
                progress(processed)

        with _open_text(path, encoding) as handle:
            records = _csv_records(handle) if fmt == "csv" else _jsonl_records(handle)
            try:
                for line, record in records:
                    processed += 1
                    if isinstance(record, RowError):
                        errors.append(record)
                        continue
                    try:
                        rows.append(normalise(record, line))
                        lines.append(line)
                    except EventInvalid as exc:
                        errors.append(exc.error)
                    if len(rows) >= CHUNK_ROWS:
                        write_chunk()
            except UnicodeDecodeError:
                if encoding == FALLBACK_ENCODING:
                    raise
                raise _RestartWithFallback() from None
        write_chunk()
    return errors


def _duplicates_in_file(con: duckdb.DuckDBPyConnection, staging: Path) -> list[RowError]:
    rows = con.execute(
        "SELECT _line, event_id, first_line FROM ("
        " SELECT _line, event_id, min(_line) OVER (PARTITION BY event_id) AS first_line FROM read_parquet(?)"
        ") WHERE _line > first_line ORDER BY _line",
        [str(staging)],
    ).fetchall()
    return [RowError(line, eid, "event_id", f"duplicate id in file (first on line {first})")
            for line, eid, first in rows]


def import_events(store: EventFiles, path: Path, skip_invalid: bool = False,
                  progress: Callable[[int], Any] | None = None) -> EventImport:
    """Stage, check and ingest a file; the caller (EventStore.import_file) holds the writer."""
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    fmt = _file_format(path)
    staging_dir = store.root / "_staging"
    staging_dir.mkdir(parents=True, exist_ok=True)
    staging = staging_dir / f"import-{uuid.uuid4().hex}.parquet"
    try:
        try:
            errors = _stage(path, fmt, "utf-8", staging, progress)
        except _RestartWithFallback:
            staging.unlink(missing_ok=True)
            try:
                errors = _stage(path, fmt, FALLBACK_ENCODING, staging, progress)
            except UnicodeDecodeError as exc:
                error = RowError(1, None, None, f"file is neither UTF-8 nor GBK text ({exc.reason})")
                raise ImportRejected("events", [error]) from None
        con = duckdb.connect()
        try:
            errors = sorted(errors + _duplicates_in_file(con, staging), key=lambda e: e.line)
            if errors and not skip_invalid:
                raise ImportRejected("events", errors)
            con.register("bad_lines", pa.table({"line": pa.array([e.line for e in errors], pa.int64())}))
            good = con.sql(
                "SELECT * EXCLUDE (_line) FROM read_parquet($staging) "
                "WHERE _line NOT IN (SELECT line FROM bad_lines) ORDER BY _line",
                params={"staging": str(staging)},
            ).to_arrow_table()
        finally:
            con.close()
        accepted = store.ingest_arrow(good) if good.num_rows else 0
        return EventImport(accepted=accepted, duplicates=good.num_rows - accepted, errors=errors)
    finally:
        staging.unlink(missing_ok=True)


def export_events(store: EventFiles, path: Path) -> int:
    """Every stored event, ordered by ts then event_id, as CSV or JSONL (by suffix)."""
    fmt = _file_format(path)
    con = duckdb.connect()
    try:
        ts_text = (
            "strftime(ts, '%Y-%m-%dT%H:%M:%S') || "
            "CASE WHEN microsecond(ts) % 1000000 = 0 THEN '' ELSE strftime(ts, '.%f') END"
        )
        properties = "properties::JSON" if fmt == "jsonl" else "properties"
        select = (
            f"SELECT event_id, {ts_text} AS ts, account_id, user_id, event, {properties} AS properties "
            f"FROM {store.sql_source(con)} ORDER BY ts, event_id"
        )
        options = "FORMAT json" if fmt == "jsonl" else "FORMAT csv, HEADER true"
        path.parent.mkdir(parents=True, exist_ok=True)
        escaped = str(path).replace("'", "''")
        con.execute(f"COPY ({select}) TO '{escaped}' ({options})")
        return int(con.sql(f"SELECT count(*) FROM {store.sql_source(con)}").fetchall()[0][0])
    finally:
        con.close()
