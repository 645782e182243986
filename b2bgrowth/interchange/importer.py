"""Import one entity file into the store: read, check every row, upsert in one transaction.

All-or-nothing by default: any bad row raises ImportRejected (listing every bad row) and
nothing is written. With skip_invalid the good rows are written and the errors returned.
Upsert by id makes a re-import of the same file a no-op (every row counted as unchanged).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from b2bgrowth.errors import ImportRejected, RowError
from b2bgrowth.interchange.entities import ENTITIES, get_entity
from b2bgrowth.interchange.readers import read_table
from b2bgrowth.interchange.upsert import upsert_rows
from b2bgrowth.interchange.validation import check_table
from b2bgrowth.pipeline.stages import after_opportunities_import
from b2bgrowth.success.tiering import apply_tiers

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

# progress(phase, done, total): phase is "checking" or "writing"; total 0 = not known.
Progress = Callable[[str, int, int], None]


@dataclass
class ImportOutcome:
    entity: str
    rows: int = 0  # data rows in the file
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        """Rows left out (with skip_invalid): a row with three problems counts once."""
        return len({e.line for e in self.errors})

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def import_file(ws: Workspace, entity: str, path: Path | str, skip_invalid: bool = False,
                progress: Progress | None = None) -> ImportOutcome:
    if entity == "events":
        return _import_events(ws, Path(path), skip_invalid, progress)
    spec = get_entity(entity)
    began = time.perf_counter()
    table = read_table(Path(path))
    outcome = ImportOutcome(entity, rows=len(table.rows))
    if progress:
        progress("checking", 0, outcome.rows)
    touched: list[str] = []
    # Store.write reads `touched` at commit: the revision moves only when rows really changed.
    with ws.store.write(touched=touched) as session:
        check_progress = (lambda done, total: progress("checking", done, total)) if progress else None
        checked = check_table(spec, table, _known_ids(session), check_progress)
        if checked.errors and (not skip_invalid or any(e.line == 1 for e in checked.errors)):
            raise ImportRejected(entity, checked.errors)
        write_progress = (lambda done, total: progress("writing", done, total)) if progress else None
        defaults = {c.target: c.default for c in spec.columns if c.default is not None}
        counts = upsert_rows(session, spec.model, checked.rows, write_progress, insert_defaults=defaults)
        if counts.changed:
            touched.append(entity)
            # Tiers follow firmographics and ARR (the rules read both), so either import re-tiers.
            if (entity in ("accounts", "subscriptions", "exchange_rates")
                    and apply_tiers(session, reporting_currency=ws.settings.reporting_currency)
                    and "accounts" not in touched):
                touched.append("accounts")
            if entity == "opportunities":
                touched.extend(after_opportunities_import(session))
    outcome.inserted, outcome.updated, outcome.unchanged = counts.inserted, counts.updated, counts.unchanged
    outcome.errors = checked.errors
    outcome.seconds = time.perf_counter() - began
    return outcome


def _known_ids(session: Session) -> Callable[[str], set[str]]:
    """Ids of a referenced entity in the store, loaded once per import (inside its transaction)."""
    cache: dict[str, set[str]] = {}

    def known(entity: str) -> set[str]:
        if entity not in cache:
            spec = ENTITIES[entity]
            key = spec.model.__table__.c[spec.column(spec.key[0]).target]
            cache[entity] = set(session.execute(select(key)).scalars())
        return cache[entity]

    return known


def _import_events(ws: Workspace, path: Path, skip_invalid: bool, progress: Progress | None) -> ImportOutcome:
    began = time.perf_counter()
    result = ws.events.import_file(
        # The event store reports rows done, without a total (it streams the file).
        path, skip_invalid=skip_invalid, progress=(lambda done: progress("writing", done, 0)) if progress else None
    )
    outcome = ImportOutcome("events", inserted=result.accepted, unchanged=result.duplicates, errors=list(result.errors))
    outcome.rows = result.accepted + result.duplicates + len(result.errors)
    outcome.seconds = time.perf_counter() - began
    return outcome
