"""The event_id index: which ids are already in Parquet, answered without scanning Parquet.

A 64-bit hash of every stored event_id (DuckDB's vectorised `hash()`) is kept in memory as a
sorted uint64 array — 8 bytes per event, 400 MB at 50M events — and on disk as one sorted
`.u64` file per Parquet file under `_index/<hash tag>/`. A hash hit only says "maybe stored":
the store confirms hits against the Parquet files before it drops an event, so a hash
collision can never lose an event. The index is derived data: a missing index file is rebuilt
from its Parquet file, a stale one removed, and a DuckDB upgrade (whose hash may change)
starts a fresh tag directory.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from b2bgrowth.events.files import all_part_files, fsync_file

HASH_TAG = "duckdb-hash-" + duckdb.__version__.replace("/", "_")


class IdIndex:
    def __init__(self, events_root: Path):
        self.events_root = events_root
        self.base = events_root / "_index"
        self.directory = self.base / HASH_TAG
        self._con = duckdb.connect()
        self._main = np.empty(0, dtype=np.uint64)
        self._recent = np.empty(0, dtype=np.uint64)
        self.loaded = False

    # -- hashing -------------------------------------------------------------------------------
    def hashes(self, ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        if len(ids) == 0:
            return np.empty(0, dtype=np.uint64)
        relation = self._con.from_arrow(pa.table({"id": ids}))
        hashes: np.ndarray = relation.select("hash(id)::UBIGINT AS h").fetchnumpy()["h"]
        return hashes

    # -- persistence ---------------------------------------------------------------------------
    def _file_for(self, parquet: Path) -> Path:
        return self.directory / parquet.parent.name / (parquet.stem + ".u64")

    def _persist(self, parquet: Path, sorted_hashes: np.ndarray) -> None:
        target = self._file_for(parquet)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        sorted_hashes.astype("<u8").tofile(tmp)
        fsync_file(tmp)  # a torn index file would silently forget ids
        os.replace(tmp, target)

    def _hashes_of_parquet(self, parquet: Path) -> np.ndarray:
        rows = self._con.sql(f"SELECT hash(event_id)::UBIGINT AS h FROM read_parquet('{parquet}')").fetchnumpy()["h"]
        return np.sort(rows)

    def load(self) -> None:
        """Read (or rebuild) the per-file index files into one sorted array. Called lazily."""
        for other in self.base.glob("*") if self.base.exists() else []:
            if other.name != HASH_TAG:
                shutil.rmtree(other, ignore_errors=True)
        parts = all_part_files(self.events_root)
        wanted = {self._file_for(p) for p in parts}
        if self.directory.exists():
            for stale in self.directory.glob("*/*"):
                if stale not in wanted:
                    stale.unlink(missing_ok=True)
        arrays = []
        for parquet in parts:
            index_file = self._file_for(parquet)
            if index_file.exists():
                arrays.append(np.fromfile(index_file, dtype="<u8"))
            else:
                rebuilt = self._hashes_of_parquet(parquet)
                self._persist(parquet, rebuilt)
                arrays.append(rebuilt)
        self._main = np.sort(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.uint64)
        self._recent = np.empty(0, dtype=np.uint64)
        self.loaded = True

    # -- membership ----------------------------------------------------------------------------
    @staticmethod
    def _in_sorted(sorted_array: np.ndarray, sorted_probe: np.ndarray) -> np.ndarray:
        if len(sorted_array) == 0:
            return np.zeros(len(sorted_probe), dtype=bool)
        pos = np.searchsorted(sorted_array, sorted_probe)  # a sorted probe walks memory in order
        pos[pos == len(sorted_array)] = 0
        found: np.ndarray = sorted_array[pos] == sorted_probe
        return found

    def maybe_contains(self, probe: np.ndarray) -> np.ndarray:
        order = np.argsort(probe)
        sorted_probe = probe[order]
        found_sorted = self._in_sorted(self._main, sorted_probe) | self._in_sorted(self._recent, sorted_probe)
        found = np.empty(len(probe), dtype=bool)
        found[order] = found_sorted
        return found

    def __len__(self) -> int:
        return len(self._main) + len(self._recent)

    # -- updates -------------------------------------------------------------------------------
    def add_file(self, parquet: Path, hashes: np.ndarray) -> None:
        self.add_files([(parquet, hashes)])

    def add_files(self, files: list[tuple[Path, np.ndarray]], persist: bool = True) -> list[tuple[Path, np.ndarray]]:
        """Take new Parquet files' id hashes into memory (one merge for all of them); with
        `persist`, also write their index files. Returns (file, sorted hashes) for `persist_files`
        — the background flush merges under the store's lock and persists outside it (a missing
        index file is rebuilt from Parquet, so a crash in between loses nothing)."""
        sorted_files = [(parquet, np.sort(hashes)) for parquet, hashes in files]
        if persist:
            self.persist_files(sorted_files)
        if not self.loaded or not sorted_files:
            return sorted_files  # load() will read the files
        # Two sorted runs: a big main one and a small recent one that absorbs new files cheaply;
        # recent is folded into main when it grows past 1/8 of it (amortised linear cost).
        self._recent = np.sort(np.concatenate([self._recent] + [h for _, h in sorted_files]))
        if len(self._recent) > max(1_000_000, len(self._main) // 8):
            self._main = np.sort(np.concatenate([self._main, self._recent]))
            self._recent = np.empty(0, dtype=np.uint64)
        return sorted_files

    def persist_files(self, sorted_files: list[tuple[Path, np.ndarray]]) -> None:
        for parquet, sorted_hashes in sorted_files:
            self._persist(parquet, sorted_hashes)

    def replace_files(self, old: list[Path], new: Path) -> None:
        """After compaction: the merged file holds exactly the old files' ids."""
        arrays = []
        for parquet in old:
            index_file = self._file_for(parquet)
            arrays.append(np.fromfile(index_file, dtype="<u8") if index_file.exists()
                          else self._hashes_of_parquet(parquet))
        self._persist(new, np.sort(np.concatenate(arrays)) if arrays else np.empty(0, dtype=np.uint64))
        for parquet in old:
            self._file_for(parquet).unlink(missing_ok=True)

    def close(self) -> None:
        self._con.close()
