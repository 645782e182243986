"""Derived tables: computed from the operational store, cached as Parquet, never stale.

A derived table declares the entities it is computed from. It is kept by the cache service
(reporting/cache.py, docs/cache.md) as Parquet parts under settings.cache_dir/<name>/<key>/,
where the key covers the workspace, those entities' data revisions (every write bumps them),
the reporting currency and a code version. So a report that asks for a derived table gets the
cached copy when nothing it depends on changed, and recomputes by itself otherwise;
`b2bgrowth recompute` just asks for every table up front.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from b2bgrowth.contract import RecomputeStep
from b2bgrowth.reporting.registry import Provider

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DerivedTable:
    name: str
    depends_on: tuple[str, ...]
    # ws -> {part name: DataFrame}; one computation may produce several related tables.
    compute: Callable[[Workspace], dict[str, pd.DataFrame]]
    version: int = 1
    description: str = ""


_TABLES: dict[str, DerivedTable] = {}
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


_provider: Provider | None = None


def set_provider(provider: Provider | None) -> None:
    """Who registers derived tables and steps on demand (capabilities.py; see registry.Provider)."""
    global _provider
    _provider = provider


def has_table(name: str) -> bool:
    """Whether derived table `name` is registered now (no provider is asked)."""
    return name in _TABLES


def table_named(name: str) -> DerivedTable:
    """Derived table `name`, its capability's declarations resolved first if need be."""
    if name not in _TABLES and _provider is not None:
        _provider.find(name)
    try:
        return _TABLES[name]
    except KeyError:
        raise KeyError(f"unknown derived table {name!r}") from None


def derived_tables() -> dict[str, DerivedTable]:
    if _provider is not None:
        _provider.everything()
    return dict(_TABLES)


def recompute_steps() -> list[RecomputeStep]:
    if _provider is not None:
        _provider.everything()
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


def cache_key(ws: Workspace, table: DerivedTable) -> str:
    from b2bgrowth.reporting.cache import CURRENCY

    return ws.cache.key(table.name, entities=table.depends_on, settings=CURRENCY, version=table.version)


def load(ws: Workspace, name: str) -> dict[str, pd.DataFrame]:
    """The up-to-date parts of derived table `name`: from memory, from Parquet, or computed."""
    table = table_named(name)
    return ws.cache.get_or_compute(name, cache_key(ws, table), lambda: table.compute(ws), store="parquet-parts")


def fresh_folder(ws: Workspace, name: str) -> Path:
    """The folder of derived table `name`'s up-to-date Parquet parts, computed first if stale.

    For analyses that hand the files straight to DuckDB instead of reading them into pandas.
    """
    table = table_named(name)
    key = cache_key(ws, table)
    if not ws.cache.stored(name, key):
        load(ws, name)
        if not ws.cache.stored(name, key):  # kept in memory only (the files were removed since)
            ws.cache.forget(name)
            load(ws, name)
    return ws.cache.folder(name, key)


def is_fresh(ws: Workspace, name: str) -> bool:
    return ws.cache.stored(name, cache_key(ws, table_named(name)))


def forget(ws: Workspace, name: str) -> None:
    """Drop derived table `name`'s kept copies, so the next load computes it."""
    ws.cache.forget(name)


def recompute_all(ws: Workspace, as_of: date | None = None, progress: Progress | None = None) -> dict[str, float]:
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
