"""Compaction: many small Parquet files of one date partition → one file, atomically.

Order (each step durable before the next):
  1. write the merged file under a temporary name, fsync;
  2. write the journal `_compaction/<partition>.json` naming the new file and the old ones;
  3. rename the temporary to its final name, fsync the directory;
  4. remove the old files, fsync the directory; 5. remove the journal.
A crash before 3 leaves a temporary (swept on open) and a journal whose new file does not
exist: rolled back. A crash after 3 leaves both generations on disk and a journal naming
them: rolled forward on open by removing the old files. So no event is lost or counted twice
once the store is reopened. (A query running in another process during steps 3–4 of a live
compaction can see both generations; run `b2bgrowth events compact` when nothing else reads.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from b2bgrowth.events.files import (
    fsync_dir,
    fsync_file,
    new_part_name,
    part_files,
    temporary_for,
)
from b2bgrowth.events.id_index import IdIndex
from b2bgrowth.events.schema import SCHEMA


def journal_dir(root: Path) -> Path:
    return root / "_compaction"


def _write_journal(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(content))
    fsync_file(tmp)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def compact_partition(partition: Path, index: IdIndex) -> int:
    """Merge the partition's files into one; returns how many files were replaced (0 = nothing to do)."""
    old = part_files(partition)
    if len(old) < 2:
        return 0
    merged = pa.concat_tables([pq.read_table(f, schema=SCHEMA) for f in old])
    merged = merged.sort_by([("ts", "ascending"), ("event_id", "ascending")])
    final = partition / new_part_name()
    tmp = temporary_for(final)
    pq.write_table(merged, tmp, compression="zstd")
    fsync_file(tmp)
    journal = journal_dir(partition.parent) / f"{partition.name}.json"
    _write_journal(journal, {"new": final.name, "old": [f.name for f in old]})
    os.replace(tmp, final)
    fsync_dir(partition)
    index.replace_files(old, final)
    for f in old:
        f.unlink()
    fsync_dir(partition)
    journal.unlink()
    return len(old)


def finish_interrupted(root: Path) -> None:
    """Roll every interrupted compaction forward (new file present) or back (it is not)."""
    directory = journal_dir(root)
    if not directory.exists():
        return
    for journal in directory.glob("*.json"):
        content = json.loads(journal.read_text())
        partition = root / journal.stem
        if (partition / content["new"]).exists():
            for name in content["old"]:
                (partition / name).unlink(missing_ok=True)
            fsync_dir(partition)
        journal.unlink()
    for leftover in directory.glob("*.tmp"):
        leftover.unlink()

