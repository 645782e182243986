"""The Parquet files: hive-partitioned by date, written durably and atomically.

    <events_dir>/date=YYYY-MM-DD/part-<time>-<random>.parquet     (zstd)

A file is written under a hidden temporary name (`.part-….parquet.tmp`, ignored by DuckDB's
glob and by Spark, which skips names starting with "." or "_"), fsynced, renamed to its final
name, and the directory fsynced: a reader sees a whole file or none. Leftover temporaries from
a crash are swept on open. Directories starting with "_" (log, id index, staging) are ours
and invisible to Spark's partition discovery.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PARTITION_PREFIX = "date="
COMPRESSION = "zstd"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def partition_dir(root: Path, day: date) -> Path:
    return root / f"{PARTITION_PREFIX}{day.isoformat()}"


def new_part_name() -> str:
    # Time first so names sort roughly by age; random suffix so concurrent writers never clash.
    return f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"


def temporary_for(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp")


def write_table_durably(table: pa.Table, final: Path) -> Path:
    """Write → fsync → rename; the caller fsyncs the directory (once for many files)."""
    tmp = stage_table(table, final)
    os.replace(tmp, final)
    return final


def stage_table(table: pa.Table, final: Path) -> Path:
    """Write `table` under the hidden temporary name of `final` and fsync it (not yet visible)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_for(final)
    pq.write_table(table, tmp, compression=COMPRESSION)
    fsync_file(tmp)
    return tmp


def split_by_date(table: pa.Table) -> list[tuple[date, pa.Table]]:
    """Sort by ts (files then read in time order) and cut into one slice per calendar day."""
    if table.num_rows == 0:
        return []
    table = table.sort_by([("ts", "ascending"), ("event_id", "ascending")])
    days = pc.cast(table.column("ts"), pa.date32()).to_numpy().astype("int64")
    cuts = np.flatnonzero(np.diff(days)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(days)]])
    epoch = date(1970, 1, 1).toordinal()
    return [
        (date.fromordinal(epoch + int(days[s])), table.slice(int(s), int(e - s)))
        for s, e in zip(starts, ends)
    ]


def write_partitioned(table: pa.Table, root: Path) -> list[tuple[Path, pa.Table]]:
    """One new Parquet file per date present in `table`; all durable when this returns."""
    written = []
    for day, part in split_by_date(table):
        written.append((write_table_durably(part, partition_dir(root, day) / new_part_name()), part))
    sync_directories(root, [p for p, _ in written])
    return written


def stage_partitioned(table: pa.Table, root: Path) -> list[tuple[Path, pa.Table]]:
    """Like write_partitioned up to the renames: fsynced files under hidden temporary names,
    returned with their final paths. `publish` renames them in (the background flush stages
    without holding the store's lock and publishes under it)."""
    return [(stage_and_name(part, partition_dir(root, day) / new_part_name()), part)
            for day, part in split_by_date(table)]


def stage_and_name(part: pa.Table, final: Path) -> Path:
    stage_table(part, final)
    return final


def publish(root: Path, staged: list[tuple[Path, pa.Table]]) -> None:
    """Rename staged files to their final names (visible to readers from here; durable once
    `sync_directories` has run)."""
    for final, _part in staged:
        os.replace(temporary_for(final), final)


def sync_directories(root: Path, files: list[Path]) -> None:
    for directory in {p.parent for p in files}:
        fsync_dir(directory)
    if files:
        fsync_dir(root)  # new partition directories


def partitions(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(PARTITION_PREFIX))


def part_files(partition: Path) -> list[Path]:
    return sorted(partition.glob("part-*.parquet"))


def all_part_files(root: Path) -> list[Path]:
    return [f for p in partitions(root) for f in part_files(p)]


def sweep_temporaries(root: Path) -> int:
    """Remove half-written files a crash left behind (never visible to readers)."""
    removed = 0
    for partition in partitions(root):
        for tmp in partition.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def parquet_glob(root: Path) -> str:
    return str(root / f"{PARTITION_PREFIX}*" / "*.parquet")
