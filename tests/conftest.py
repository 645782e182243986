"""Shared fixtures. Every test that takes `ws` runs on SQLite and, when
B2BGROWTH_TEST_POSTGRES_URL names a server, on PostgreSQL too (a fresh database per session,
fresh tables per test). No database is mocked."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from b2bgrowth.settings import Settings
from b2bgrowth.store.base import Base
from b2bgrowth.workspace import Workspace

PG_SERVER = os.environ.get("B2BGROWTH_TEST_POSTGRES_URL")


def _store_params():
    params = ["sqlite"]
    if PG_SERVER:
        params.append("postgresql")
    return params


@pytest.fixture(scope="session")
def pg_database_url():
    """One throwaway database per test session on the server given by the environment."""
    if not PG_SERVER:
        pytest.skip("B2BGROWTH_TEST_POSTGRES_URL not set")
    name = f"b2b_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = PG_SERVER.rpartition("/")
    url = f"{base}/{name}"
    # Migrate once; tests then truncate instead of re-creating the schema.
    Workspace(Settings(database_url=url, data_dir="/tmp/unused")).store.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture(params=_store_params())
def store_kind(request):
    return request.param


@pytest.fixture
def settings(store_kind, tmp_path, request) -> Settings:
    data_dir = tmp_path / "data"
    if store_kind == "sqlite":
        return Settings(data_dir=data_dir, secret_key="test-secret-key-0123456789")
    url = request.getfixturevalue("pg_database_url")
    _truncate_all(url)
    return Settings(data_dir=data_dir, database_url=url, secret_key="test-secret-key-0123456789")


@pytest.fixture
def ws(settings):
    workspace = Workspace(settings)
    yield workspace
    workspace.close()


@pytest.fixture
def sqlite_ws(tmp_path):
    """For tests about files and engines, where the store kind does not matter."""
    workspace = Workspace(Settings(data_dir=tmp_path / "data", secret_key="test-secret-key-0123456789"))
    yield workspace
    workspace.close()
