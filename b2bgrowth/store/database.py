"""The operational store: one class wraps the database.

Like Datasette's Database: reads may come from many threads at once, writes go through one
path (`Store.write()`), serialised by a lock so SQLite never sees two writers and every
write bumps the data revision of the entities it touched in the same transaction.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, Table, create_engine, event, select, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from b2bgrowth.settings import Settings
from b2bgrowth.store.base import Base
from b2bgrowth.store.meta import DataRevision

if TYPE_CHECKING:
    import pandas as pd

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def missing_store(settings: Settings) -> str | None:
    """Why there is no store to read at these settings (None when there is one).

    Read commands call this before opening a Workspace, which would otherwise create an empty
    store wherever it is pointed and report zeros. It creates nothing: SQLite is looked for as
    a file; another database is asked whether it holds our schema (alembic_version)."""
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path in ("", ":memory:") or path.startswith("file::memory:"):
            return None
        return None if Path(path).is_file() else f"no b2bgrowth store at {Path(path).parent} (no {Path(path).name})"
    from sqlalchemy import inspect

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if inspect(conn).has_table("alembic_version"):
                return None
            return f"the database {engine.url.render_as_string(hide_password=True)} holds no b2bgrowth store"
    except Exception as exc:  # an unreachable server or a bad URL: say so, in our words
        return f"cannot reach the database {engine.url.render_as_string(hide_password=True)} ({type(exc).__name__})"
    finally:
        engine.dispose()


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers do not block the writer; synchronous=NORMAL is durable across process
    # crashes (the WAL is fsynced at checkpoint; a kill -9 loses nothing committed).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_REVISION_RE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w-]+|None)['\"]?", re.M)


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration: the one revision no other migration names as its parent."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {m[1]: m[2] for m in _REVISION_RE.finditer(path.read_text())}
        revisions.add(found["revision"])
        if found.get("down_revision") not in (None, "None"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


class Store:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.url = settings.resolved_database_url
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()

    # -- schema ---------------------------------------------------------------------------
    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None for an empty database)."""
        try:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # no table yet: a new database
            return None

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision.

        Every command opens the store, so the up-to-date case must be cheap: one SELECT
        against the head read from the migration files, without importing Alembic (which
        alone costs ~0.4 s of a CLI run).
        """
        if self.schema_revision() == head_revision():
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def create_missing(self, tables: Iterable[Table]) -> None:
        """Create those of `tables` that do not exist yet: the tables of capabilities that are
        not built in, which have no migrations of ours (a third party that changes its tables
        ships its own migration step)."""
        tables = list(tables)
        if tables:
            with self._write_lock:
                Base.metadata.create_all(self.engine, tables=tables, checkfirst=True)

    def drop_all(self) -> None:
        """Remove every table (tests and `demo` on a fresh store)."""
        with self._write_lock:
            Base.metadata.drop_all(self.engine)
            with self.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))

    # -- access ---------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self, touched: Iterable[str] = ()) -> Iterator[Session]:
        """One transaction on the single write path; bumps the revision of `touched` entities.

        `touched` is read when the transaction commits, so a writer that learns inside the
        transaction what it changed may pass a list and append to it (the importer does: an
        unchanged re-import bumps nothing, so derived tables stay fresh).
        """
        with self._write_lock, self._sessions() as session, session.begin():
            yield session
            for entity in sorted(set(touched)):
                self._bump(session, entity)

    @staticmethod
    def _bump(session: Session, entity: str) -> None:
        row = session.get(DataRevision, entity)
        if row is None:
            session.add(DataRevision(entity=entity, revision=1))
        else:
            row.revision += 1

    def revisions(self, entities: Iterable[str]) -> dict[str, int]:
        entities = sorted(set(entities))
        with self.read() as session:
            rows = session.execute(select(DataRevision).where(DataRevision.entity.in_(entities))).scalars()
            found = {r.entity: r.revision for r in rows}
        return {e: found.get(e, 0) for e in entities}

    # The workspace's identity: a random id kept in data_revisions as the entity name
    # "workspace:<32 hex>" (revision unused). It is born with the database's rows, so a reset or a
    # re-created database under the same URL is a new workspace, which the cache keys on
    # (reporting/cache.py) instead of the URL. Created on first use; should two processes race,
    # both settle on the smallest id.
    WORKSPACE_PREFIX = "workspace:"

    def workspace_id(self) -> str:
        like = DataRevision.entity.like(f"{self.WORKSPACE_PREFIX}%")
        query = select(DataRevision.entity).where(like).order_by(DataRevision.entity).limit(1)
        with self.read() as session:
            found = session.execute(query).scalar()
        if found is None:
            with self.write() as session:
                session.add(DataRevision(entity=f"{self.WORKSPACE_PREFIX}{uuid.uuid4().hex}", revision=0))
            with self.read() as session:
                found = session.execute(query).scalar()
        if found is None:  # just written: only a database that drops writes gets here
            raise RuntimeError("the workspace id could not be stored")
        return found[len(self.WORKSPACE_PREFIX):]

    def raw_connection(self) -> PoolProxiedConnection:
        """A DBAPI connection for bulk reads (analyses pull columns, not objects)."""
        return self.engine.raw_connection()

    @property
    def placeholder(self) -> str:
        """The DBAPI parameter marker of this store's driver (sqlite3: ?, psycopg: %s)."""
        return "?" if self.is_sqlite else "%s"

    def fetch_rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Every row of one read query as plain tuples, through a DBAPI cursor: for bulk reads of
        100k+ rows, where SQLAlchemy Row objects cost more than the query. Parameters in `args`
        use `placeholder`."""
        raw = self.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(sql, args)
            # DBAPI types fetchall() as a Sequence; sqlite3 and psycopg return a list of tuples.
            rows = cast("list[tuple[Any, ...]]", cursor.fetchall())
            cursor.close()
        finally:
            raw.close()
        return rows

    def fetch_frame(self, sql: str, columns: Iterable[str], args: tuple[Any, ...] = ()) -> pd.DataFrame:
        """fetch_rows as a pandas DataFrame with the given column names (object columns when empty)."""
        import pandas as pd  # here, not at import: the CLI starts without pandas when it can

        rows = self.fetch_rows(sql, args)
        if not rows:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return pd.DataFrame.from_records(rows, columns=list(columns))

    def dispose(self) -> None:
        self.engine.dispose()
