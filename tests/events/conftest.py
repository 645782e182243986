"""Helpers for event-store tests: events are files, so the store kind (SQLite/PostgreSQL) does not matter."""

from __future__ import annotations

import pytest

from b2bgrowth.events.store import EventStore


@pytest.fixture
def events_dir(tmp_path):
    return tmp_path / "events"


@pytest.fixture
def store(events_dir):
    s = EventStore(events_dir, flush_rows=1000)
    yield s
    s.close()
