"""Shared fixtures. Every test that takes `ws` runs on SQLite and, when
B2BGROWTH_TEST_POSTGRES_URL names a server, on PostgreSQL too (a fresh database per session,
fresh tables per test). No database is mocked.

Web test folders define an `app` fixture (create_app over their seeded `ws`) and get from here
`signed_in(role, lang)` (TestClients signed in through /login) and `anonymous`."""

from __future__ import annotations

import os
import re
import uuid
from datetime import datetime
from functools import cache

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


# -- signed-in clients for the web test folders ------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
# Test users: login = role. Seeds that create users themselves (tests/web/seed_company.py seed_users)
# use these same passwords, so signed_in works over their users too.
TEST_PASSWORDS = {"admin": "admin-pass-123", "ops": "ops-pass-1234", "sales": "sales-pass-12",
                  "csm": "csm-pass-1234", "viewer": "viewer-pass-1"}


@cache
def _password_hash(password: str) -> str:
    from b2bgrowth.auth.security import hash_password

    return hash_password(password)  # argon2 is slow on purpose: once per password per run


def ensure_user(ws, role: str) -> str:
    """The user `role` (login = role), created unless the seed made it; returns its password."""
    from b2bgrowth.auth import service
    from b2bgrowth.auth.models import User

    if service.get_user(ws, role) is None:
        with ws.store.write(touched=["users"]) as session:
            session.add(User(login=role, role=role, display_name=role.title(), password_hash=_password_hash(TEST_PASSWORDS[role]),
                             active=True, created_at=datetime(2024, 1, 1)))
    return TEST_PASSWORDS[role]


@pytest.fixture
def signed_in(app):
    """signed_in("viewer", "zh_CN") → a TestClient over the folder's `app`, signed in through the real /login form
    as that role, with the language cookie set. Clients close at teardown."""
    from fastapi.testclient import TestClient

    clients = []

    def make(role: str = "admin", lang: str = "en") -> TestClient:
        password = ensure_user(app.state.ws, role)
        client = TestClient(app)
        clients.append(client)
        client.cookies.set("lang", lang)
        token = CSRF_INPUT.search(client.get("/login").text).group(1)
        response = client.post("/login", data={"login": role, "password": password, "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        yield client
