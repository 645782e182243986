"""What the event store holds, as short strings that change exactly when the events change.

`partition_digests` digests each `date=YYYY-MM-DD` partition by the names and sizes of its
Parquet files: files are immutable once renamed in (a flush adds files, compaction replaces
them under new names), so a name and a size say everything. Only the partition folders dated
≤ `until` are opened, so a fingerprint costs one listing of the root plus one per such day.

`fingerprint_of` combines the digests of the days ≤ a day with the number of buffered rows
(acknowledged, not yet flushed) dated ≤ that day: an event dated later changes nothing, one
dated on or before it changes the fingerprint whether it sits in the buffer or in a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from b2bgrowth.events.files import PARTITION_PREFIX


def partition_digests(root: Path, until: date | None = None) -> dict[str, str]:
    """{'YYYY-MM-DD': digest} of every partition with Parquet files (dated ≤ until when given)."""
    last = None if until is None else until.isoformat()
    result: dict[str, str] = {}
    try:
        entries = [e for e in os.scandir(root) if e.name.startswith(PARTITION_PREFIX)]
    except FileNotFoundError:
        return result
    for entry in entries:
        day = entry.name[len(PARTITION_PREFIX):]
        if last is not None and day > last:
            continue  # ISO dates order as strings: later partitions are never opened
        try:
            with os.scandir(entry.path) as inner:
                files = [f"{f.name}:{f.stat().st_size}" for f in inner
                         if f.name.startswith("part-") and f.name.endswith(".parquet")]
        except (FileNotFoundError, NotADirectoryError):
            continue
        if files:
            result[day] = hashlib.sha1("\n".join(sorted(files)).encode()).hexdigest()
    return result


def buffered_days(buffer: pa.Table) -> np.ndarray:
    """Sorted day numbers (days since 1970-01-01) of the buffered rows, from their ts."""
    if not buffer.num_rows:
        return np.empty(0, dtype=np.int64)
    days = buffer.column("ts").cast(pa.date32()).cast(pa.int32()).to_numpy(zero_copy_only=False)
    return np.sort(days.astype(np.int64))


def fingerprint_of(digests: dict[str, str], buffered: np.ndarray, until: date | None) -> str:
    last = None if until is None else until.isoformat()
    kept = sorted((d, h) for d, h in digests.items() if last is None or d <= last)
    if until is None:
        pending = len(buffered)
    else:
        pending = int(np.searchsorted(buffered, (until - date(1970, 1, 1)).days, side="right"))
    material = "\n".join(f"{d}:{h}" for d, h in kept) + f"\nbuffer:{pending}"
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def fingerprints(root: Path, buffer: pa.Table, days: Iterable[date | None]) -> dict[date | None, str]:
    days = list(days)
    until = None if not days or None in days else max(d for d in days if d is not None)
    digests, buffered = partition_digests(root, until), buffered_days(buffer)
    return {d: fingerprint_of(digests, buffered, d) for d in days}
