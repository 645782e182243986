"""Bulk upsert by primary key, counting what really changed.

Rows are handled in chunks: one SELECT fetches the stored version of the chunk's keys, rows
equal to what is stored are left alone (so a re-import writes nothing and reports them as
unchanged), the rest go to the database in one executemany of
`INSERT … ON CONFLICT (key) DO UPDATE` (SQLite and PostgreSQL; plain INSERT/UPDATE elsewhere,
equally correct under the store's single-writer lock).

Only the columns present in a row are written, so a file with a subset of the columns updates
that subset. `attributes` (custom attributes, a JSON object) are merged into the stored ones;
a None value removes a key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

CHUNK_ROWS = 2000
Progress = Callable[[int, int], None]


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated

    def __iadd__(self, other: UpsertCounts) -> UpsertCounts:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


def upsert_rows(
    target,
    model,
    rows: list[dict[str, Any]],
    progress: Progress | None = None,
    insert_defaults: dict[str, Any] | None = None,
) -> UpsertCounts:
    """Upsert `rows` (dicts of model column → value) into `model`'s table.

    `insert_defaults` fill columns missing from a row when the row is new (an update leaves
    missing columns as they are).

    `target` is a Session inside a write transaction, or a Workspace (then one transaction on
    `ws.store.write`, bumping the table's data revision only when something changed).
    """
    if isinstance(target, Session):
        return _upsert(target, model.__table__, rows, progress, insert_defaults or {})
    touched: list[str] = []
    # Store.write reads `touched` when the transaction commits, after the rows are written.
    with target.store.write(touched=touched) as session:
        counts = _upsert(session, model.__table__, rows, progress, insert_defaults or {})
        if counts.changed:
            touched.append(model.__table__.name)
    return counts


def _upsert(session: Session, table, rows: list[dict[str, Any]], progress: Progress | None, defaults: dict) -> UpsertCounts:
    counts = UpsertCounts()
    key = [c.name for c in table.primary_key.columns]
    connection = session.connection()
    # Into an empty table (first import, demo generator) every row is new: skip the lookups.
    empty = connection.execute(select(table.c[key[0]]).limit(1)).first() is None
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        stored = {} if empty else _stored(connection, table, key, chunk)
        new, changed = [], []
        for row in chunk:
            before = stored.get(tuple(row[k] for k in key))
            after = _merged(row, before)
            if before is None:
                new.append({**defaults, **after} if defaults else after)
            elif any(before[c] != v for c, v in after.items() if c in before):
                changed.append(after)
            else:
                counts.unchanged += 1
        _write(connection, table, key, new, changed)
        counts.inserted += len(new)
        counts.updated += len(changed)
        if progress:
            progress(min(start + CHUNK_ROWS, len(rows)), len(rows))
    return counts


def _stored(connection, table, key: list[str], chunk: list[dict]) -> dict[tuple, dict]:
    columns = sorted({c for row in chunk for c in row} | set(key))
    # The first key column is indexed on its own (leftmost in the primary key); for composite
    # keys this may fetch a few rows not in the chunk, which the caller never looks up.
    where = table.c[key[0]].in_(list({row[key[0]] for row in chunk}))
    result = connection.execute(select(*(table.c[c] for c in columns)).where(where))
    positions = [columns.index(k) for k in key]
    stored = {}
    for record in result:
        stored[tuple(record[p] for p in positions)] = dict(zip(columns, record))
    return stored


def _merged(row: dict[str, Any], before: dict | None) -> dict[str, Any]:
    if "attributes" not in row:
        return row
    merged = dict((before or {}).get("attributes") or {})
    for name, value in (row["attributes"] or {}).items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return {**row, "attributes": merged or None}


def _write(connection, table, key: list[str], new: list[dict], changed: list[dict]) -> None:
    # INSERT … ON CONFLICT DO UPDATE is the fast path (and upserts a row that appeared
    # meanwhile). But the database checks NOT NULL on the proposed row before it sees the
    # conflict, so changed rows from a partial file (no `name` column, say) get a plain UPDATE.
    dialect = connection.dialect.name
    upsertable = dialect in ("sqlite", "postgresql")
    not_null = {c.name for c in table.columns if not c.nullable}
    for group in _by_columns(new):
        if upsertable:
            connection.execute(_on_conflict(dialect, table, key, group[0].keys()), group)
        else:
            connection.execute(table.insert(), group)
    for group in _by_columns(changed):
        if upsertable and not_null <= group[0].keys():
            connection.execute(_on_conflict(dialect, table, key, group[0].keys()), group)
            continue
        columns = [c for c in group[0] if c not in key]
        stmt = table.update().where(*(table.c[k] == bindparam(f"k_{k}") for k in key))
        stmt = stmt.values({c: bindparam(f"v_{c}") for c in columns})
        connection.execute(stmt, [{**{f"k_{k}": r[k] for k in key}, **{f"v_{c}": r[c] for c in columns}} for r in group])


def _on_conflict(dialect: str, table, key: list[str], columns: Iterable[str]):
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    stmt = insert(table)
    update = {c: stmt.excluded[c] for c in columns if c not in key}
    if not update:
        return stmt.on_conflict_do_nothing(index_elements=key)
    return stmt.on_conflict_do_update(index_elements=key, set_=update)


def _by_columns(rows: list[dict]) -> list[list[dict]]:
    """executemany needs one column set per statement; group rows that share one."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())
