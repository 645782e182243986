"""Bulk writes of generated rows through the store's single write path.

The demo always writes into an empty store, so plain multi-row INSERTs (SQLAlchemy Core,
executemany with insertmanyvalues) are the fastest correct choice; no upsert is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from b2bgrowth.store.base import Base

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

CHUNK_ROWS = 20_000


class DemoError(RuntimeError):
    """The demo cannot be generated here (for instance the store already holds data)."""


def ensure_empty(ws: Workspace) -> None:
    from b2bgrowth.accounts.models import Account
    from b2bgrowth.revenue.models import Subscription

    with ws.store.read() as session:
        for model in (Account, Subscription):
            if session.execute(select(func.count()).select_from(model)).scalar_one():
                raise DemoError(
                    f"the store already holds {model.__tablename__}; the demo company is generated into an empty store"
                )


def insert_rows(ws: Workspace, model: type[Base], rows: list[dict],
                on_chunk: Callable[[int], None] | None = None) -> int:
    """Insert `rows` in one transaction, in chunks; bumps the table's data revision once."""
    if not rows:
        return 0
    table = model.__table__
    with ws.store.write(touched=[table.name]) as session:
        for lo in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[lo:lo + CHUNK_ROWS]
            session.execute(insert(table), chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))
    return len(rows)
