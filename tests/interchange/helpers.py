"""Small helpers shared by the interchange tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select

from b2bgrowth.interchange.entities import ENTITIES
from b2bgrowth.interchange.importer import import_file
from b2bgrowth.store.base import Base

from .samples import ORDER, SAMPLES


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def load_samples(ws, tmp_path: Path, upto: str | None = None) -> None:
    """Import the sample file of every entity (in reference order), or those before `upto`."""
    for entity in ORDER:
        if entity == upto:
            return
        import_file(ws, entity, write(tmp_path / f"{entity}.csv", SAMPLES[entity]))


def empty_store(ws) -> None:
    """Delete every row of every interchange entity (children first)."""
    with ws.store.write() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in ENTITIES:
                session.execute(delete(table))


def count(ws, entity: str) -> int:
    model = ENTITIES[entity].model
    with ws.store.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def rows(ws, entity: str) -> list[tuple]:
    """Every stored row of an entity as tuples (all model columns), ordered by key."""
    table = ENTITIES[entity].model.__table__
    with ws.store.read() as session:
        return [tuple(r) for r in session.execute(select(table).order_by(*table.primary_key.columns))]
