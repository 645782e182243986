"""One cache service for derived results: one key recipe, one folder, two layers (docs/cache.md).

    key = ws.cache.key("health_report", entities=("subscriptions", …), events_until=as_of,
                       settings=CURRENCY, version=1, extra=as_of)
    report = ws.cache.get_or_compute("health_report", key, lambda: compute(ws, as_of), store="pickle")

The key hashes everything a result may depend on, so a stale entry is never found rather than
ever invalidated: the workspace id (a random id kept in the database, so a reset or re-created
database under the same URL, or another database on the same data dir, never shares entries),
the data revisions of the entities read (every write bumps them), the event store's fingerprint
up to the as-of day read (later-dated events change nothing), the settings that change figures,
a code version and the caller's extra (as_of, parameters).

Layers: memory (per Workspace object, bounded per name, thread-safe) and, for store="pickle" or
"parquet-parts", disk under settings.cache_dir: `<cache_dir>/<name>/<key>.pkl` or
`<cache_dir>/<name>/<key>/` (Parquet parts + `_SUCCESS`). Disk entries are written under a
hidden temporary name and renamed into place; an unreadable entry is recomputed and rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import pandas as pd

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

T = TypeVar("T")
Day = TypeVar("Day", bound=date | bool | None)  # a day events are read up to; None: all; False: none
Store = Literal["memory", "pickle", "parquet-parts"]

CURRENCY = ("reporting_currency",)  # the setting that changes money figures
# Settings whose spelling does not change figures ("cny" reports what "CNY" does).
_NORMALISE: dict[str, Callable[[Any], Any]] = {"reporting_currency": lambda v: str(v).upper()}
# Another workspace's entries (or a reset database's) are removed once untouched this long:
# they may belong to a live workspace sharing the data dir, which then recomputes once.
FOREIGN_MAX_AGE = 30 * 86400
TEMP_MAX_AGE = 3600  # a temporary this old was left by a crash
_KEY = re.compile(r"^w([0-9a-f]{8})-[0-9a-f]{24}(\.pkl)?$")


class Cache:
    """`ws.cache`: built by Workspace; holds nothing but the memory layer."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self._memory: dict[str, OrderedDict[str, Any]] = {}
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        return Path(self.ws.settings.cache_dir)

    # -- keys ---------------------------------------------------------------------------------
    def key(self, name: str, *, entities: Iterable[str] = (), events_until: date | None | Literal[False] = False,
            settings: Iterable[str] | Mapping[str, Any] = (), version: int = 1, extra: Any = None) -> str:
        """The key of `name`'s result over the current inputs. `events_until`: a day (events
        dated ≤ it are read), None (all events) or False (no events are read)."""
        return self._keys(name, [events_until], False, entities, settings, version, extra)[events_until]

    def day_keys(self, name: str, days: Iterable[date], *, entities: Iterable[str] = (),
                 settings: Iterable[str] | Mapping[str, Any] = (), version: int = 1,
                 extra: Any = None) -> dict[date, str]:
        """{day: key} for a result computed per day from events dated ≤ day (the day is part of
        the key): one revisions query and one event-store walk for all of them."""
        return self._keys(name, list(days), True, entities, settings, version, extra)

    def _keys(self, name: str, days: Sequence[Day], with_day: bool, entities: Iterable[str],
              settings: Iterable[str] | Mapping[str, Any], version: int, extra: Any) -> dict[Day, str]:
        workspace = self.ws.store.workspace_id()
        revisions = self.ws.store.revisions(entities)
        reads_events = [d for d in days if d is None or isinstance(d, date)]  # False: no events read
        prints = self.ws.events.fingerprints(reads_events) if reads_events else {}
        values = dict(settings) if isinstance(settings, Mapping) else {
            s: _NORMALISE.get(s, lambda v: v)(getattr(self.ws.settings, s)) for s in settings}
        out: dict[Day, str] = {}
        for d in days:
            events = prints.get(d) if d is None or isinstance(d, date) else None
            material = json.dumps({
                "name": name, "workspace": workspace, "revisions": revisions, "events": events,
                "settings": values, "version": version, "extra": extra, "day": d if with_day else None,
            }, sort_keys=True, default=str)
            out[d] = f"w{workspace[:8]}-{hashlib.sha256(material.encode()).hexdigest()[:24]}"
        return out

    # -- get or compute -----------------------------------------------------------------------
    def get_or_compute(self, name: str, key: str, compute: Callable[[], T], *, store: Store = "memory",
                       keep: int = 1, copies: bool = False) -> T:
        """`name`'s result under `key`: from memory, from disk, or computed (then kept).

        keep: entries of `name` kept in memory and on disk (this workspace's; the newest).
        copies: each caller gets its own copy (store="pickle" only: memory keeps the bytes).
        """
        found = self._recall(name, key)
        if found is not None:
            return cast(T, pickle.loads(found) if copies else found)
        value: T | None = self._read(name, key, store)
        if value is None:
            value = compute()
            self._write(name, key, store, value, keep)
        if not copies:
            self._remember(name, key, value, keep)
            return value
        blob = pickle.dumps(value)
        self._remember(name, key, blob, keep)
        return cast(T, pickle.loads(blob))

    def peek(self, name: str, key: str) -> Any:
        """The memory layer's entry, or None (no disk read, no computation)."""
        return self._recall(name, key)

    def put(self, name: str, key: str, value: Any, keep: int = 1) -> None:
        """Remember a value computed elsewhere (memory only)."""
        self._remember(name, key, value, keep)

    def folder(self, name: str, key: str | None = None) -> Path:
        """`<cache_dir>/<name>/<key>`: where store="parquet-parts" keeps a result (for callers that
        hand the files to DuckDB), or with no key the folder of a cache that manages its own files
        (the usage rollups)."""
        return self.root / name if key is None else self.root / name / key

    def file(self, name: str, key: str) -> Path:
        """Where store="pickle" keeps a result."""
        return self.root / name / f"{key}.pkl"

    def stored(self, name: str, key: str) -> bool:
        """Whether the disk layer holds a complete parquet-parts entry."""
        return (self.folder(name, key) / "_SUCCESS").exists()

    def forget(self, name: str) -> None:
        """Drop `name`'s entries from memory and this workspace's from disk (retrain now)."""
        with self._lock:
            self._memory.pop(name, None)
        prefix = f"w{self.ws.store.workspace_id()[:8]}-"
        for entry in _entries(self.root / name):
            if entry.name.startswith(prefix):
                _remove(entry)

    def clear_memory(self) -> None:
        """Forget the memory layer (as a new process would start)."""
        with self._lock:
            self._memory.clear()

    # -- memory -------------------------------------------------------------------------------
    def _recall(self, name: str, key: str) -> Any:
        with self._lock:
            kept = self._memory.get(name)
            if kept is None or key not in kept:
                return None
            kept.move_to_end(key)
            return kept[key]

    def _remember(self, name: str, key: str, value: Any, keep: int) -> None:
        with self._lock:
            kept = self._memory.setdefault(name, OrderedDict())
            kept[key] = value
            kept.move_to_end(key)
            while len(kept) > max(1, keep):
                kept.popitem(last=False)

    # -- disk ---------------------------------------------------------------------------------
    def _read(self, name: str, key: str, store: Store) -> Any:
        if store == "pickle":
            path = self.file(name, key)
            try:
                return pickle.loads(path.read_bytes())
            except FileNotFoundError:
                return None
            except Exception:  # truncated or from another version: recompute (and overwrite)
                _remove(path)
                return None
        if store == "parquet-parts":
            folder = self.folder(name, key)
            if not folder.exists():
                return None
            try:
                if not (folder / "_SUCCESS").exists():
                    raise ValueError("incomplete")
                return {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet")}
            except Exception:
                _remove(folder)
                return None
        return None

    def _write(self, name: str, key: str, store: Store, value: Any, keep: int) -> None:
        if store == "memory":
            return
        parent = self.root / name
        parent.mkdir(parents=True, exist_ok=True)
        staging = parent / f".tmp-{uuid.uuid4().hex}"
        try:
            if store == "pickle":
                staging.write_bytes(pickle.dumps(value))
                os.replace(staging, self.file(name, key))
            else:
                staging.mkdir()
                for part, frame in value.items():
                    frame.to_parquet(staging / f"{part}.parquet", index=False)
                (staging / "_SUCCESS").write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
                os.replace(staging, self.folder(name, key))
        except OSError:  # another process wrote the same key first: theirs is as good as ours
            _remove(staging)
        self._prune(parent, key, keep)

    def _prune(self, parent: Path, key: str, keep: int) -> None:
        """Keep this workspace's `keep` newest entries of the name; drop stale foreign ones."""
        now, mine = time.time(), []
        for entry in _entries(parent):
            match = _KEY.match(entry.name)
            try:
                mtime = entry.stat().st_mtime
            except OSError:  # removed meanwhile (another process pruning)
                continue
            age = now - mtime
            if entry.name.startswith("."):
                if age > TEMP_MAX_AGE:
                    _remove(entry)
            elif match is None:
                _remove(entry)  # written before this service (old key recipe)
            elif match.group(1) == key[1:9]:
                mine.append((entry.name.startswith(key), mtime, entry))
            elif age > FOREIGN_MAX_AGE:
                _remove(entry)
        mine.sort(key=lambda m: (m[0], m[1]), reverse=True)  # the key just written first
        for _, _, entry in mine[max(1, keep):]:
            _remove(entry)


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
