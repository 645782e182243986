"""Derived tables: computed from the operational store, cached as Parquet, never stale.

A derived table declares the entities it is computed from. Its files live under
settings.derived_dir/<name>/<key>/ where the key hashes those entities' data revisions (every
write bumps them), the reporting currency, the database and a code version. So a report that
asks for a derived table gets the cached copy when nothing it depends on changed, and
recomputes by itself otherwise; `b2bgrowth recompute` just asks for every table up front.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from b2bgrowth.contract import RecomputeStep

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DerivedTable:
    name: str
    depends_on: tuple[str, ...]
    # ws -> {part name: DataFrame}; one computation may produce several related tables.
    compute: Callable[..., dict[str, pd.DataFrame]]
    version: int = 1
    description: str = ""


_TABLES: dict[str, DerivedTable] = {}
# Last loaded version per (data dir, table): the web app asks many times between writes.
_MEMORY: dict[tuple[str, str], tuple[str, dict[str, pd.DataFrame]]] = {}
_LOCK = threading.Lock()
# Steps that act on the data after the derived tables are fresh (capabilities declare them as
# `RecomputeStep`s); they run in `recompute` in ascending order.
_STEPS: dict[str, RecomputeStep] = {}


def add_derived(table: DerivedTable) -> DerivedTable:
    """Register a derived table (the capability loader does this for every declared one)."""
    if not isinstance(table, DerivedTable):
        raise TypeError(f"{table!r} is not a DerivedTable")
    if table.name in _TABLES and _TABLES[table.name] is not table:
        raise ValueError(f"derived table {table.name!r} registered twice")
    _TABLES[table.name] = table
    return table


def add_step(step: RecomputeStep) -> RecomputeStep:
    if not isinstance(step, RecomputeStep):
        raise TypeError(f"{step!r} is not a RecomputeStep")
    if step.name in _STEPS and _STEPS[step.name] is not step:
        raise ValueError(f"recompute step {step.name!r} registered twice")
    _STEPS[step.name] = step
    return step


def clear_registrations() -> None:
    _TABLES.clear()
    _STEPS.clear()


def derived_tables() -> dict[str, DerivedTable]:
    return dict(_TABLES)


def recompute_steps() -> list[RecomputeStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


def cache_key(ws, table: DerivedTable) -> str:
    revisions = ws.store.revisions(table.depends_on)
    material = json.dumps({
        "revisions": revisions, "currency": ws.settings.reporting_currency.upper(),
        "database": ws.store.url, "version": table.version,
    }, sort_keys=True)
    return hashlib.sha256(material.encode()).hexdigest()[:20]


def load(ws, name: str) -> dict[str, pd.DataFrame]:
    """The up-to-date parts of derived table `name`: from memory, from Parquet, or computed."""
    table = derived_tables()[name]
    key = cache_key(ws, table)
    memo = (str(ws.settings.derived_dir.resolve()), name)
    cached = _MEMORY.get(memo)
    if cached is not None and cached[0] == key:
        return cached[1]
    folder = ws.settings.derived_dir / name / key
    parts = _read(folder)
    if parts is None:
        parts = table.compute(ws)
        _write(folder, parts)
    with _LOCK:
        _MEMORY[memo] = (key, parts)
    return parts


def fresh_folder(ws, name: str) -> Path:
    """The folder of derived table `name`'s up-to-date Parquet parts, computed first if stale.

    For analyses that hand the files straight to DuckDB instead of reading them into pandas.
    """
    table = derived_tables()[name]
    folder = ws.settings.derived_dir / name / cache_key(ws, table)
    if not (folder / "_SUCCESS").exists():
        load(ws, name)
    return folder


def is_fresh(ws, name: str) -> bool:
    table = derived_tables()[name]
    return (ws.settings.derived_dir / name / cache_key(ws, table) / "_SUCCESS").exists()


def _read(folder: Path) -> dict[str, pd.DataFrame] | None:
    if not (folder / "_SUCCESS").exists():
        return None
    try:
        return {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet")}
    except OSError:
        return None


def _write(folder: Path, parts: dict[str, pd.DataFrame]) -> None:
    """Write into a fresh folder and rename it into place, then drop older versions."""
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".tmp-{uuid.uuid4().hex}"
    staging.mkdir()
    for part, frame in parts.items():
        frame.to_parquet(staging / f"{part}.parquet", index=False)
    (staging / "_SUCCESS").write_text(time.strftime("%Y-%m-%dT%H:%M:%S"))
    try:
        os.replace(staging, folder)
    except OSError:  # another process wrote the same key first: theirs is as good as ours
        shutil.rmtree(staging, ignore_errors=True)
    for old in parent.iterdir():
        if old.name != folder.name and not old.name.startswith(".tmp-"):
            shutil.rmtree(old, ignore_errors=True)


def recompute_all(ws, as_of: date | None = None, progress: Progress | None = None) -> dict[str, float]:
    """Bring every derived table up to date; returns seconds spent per table.

    The tables hold every date the data covers (movements and renewal chains are dated
    facts), so one computation serves reports for any range: `as_of` (default today) only
    names the day the caller wants figures for (the CLI prints it).
    """
    as_of = as_of or date.today()
    tables = derived_tables()
    timings: dict[str, float] = {}
    for done, (name, _table) in enumerate(sorted(tables.items())):
        if progress:
            progress(f"{name}", done, len(tables))
        began = time.perf_counter()
        load(ws, name)
        timings[name] = round(time.perf_counter() - began, 3)
    for step in recompute_steps():
        if progress:
            progress(f"step {step.name}", len(tables), len(tables))
        began = time.perf_counter()
        step.run(ws, as_of)
        timings[f"step:{step.name}"] = round(time.perf_counter() - began, 3)
    if progress:
        progress("done", len(tables), len(tables))
    return timings
