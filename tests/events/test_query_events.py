"""events.engines.query_events: SQL over the view `events` through the engine seam (what the
experiments page's event catalogue uses instead of opening DuckDB itself)."""

from __future__ import annotations

import pytest

from b2bgrowth.events.engines import EventQueryError, query_events


def _ingest(ws):
    ws.events.ingest([
        {"event_id": f"e{i}", "ts": f"2024-02-0{1 + i % 3}T10:00:00", "account_id": "A", "user_id": "u", "event": name}
        for i, name in enumerate(["login", "export", "login", "report_view"])
    ])


def test_query_events_sees_flushed_and_buffered_events(ws):
    _ingest(ws)
    ws.events.flush()
    ws.events.ingest([{"event_id": "late", "ts": "2024-02-05T10:00:00", "account_id": "A", "event": "zz_buffered"}])
    table = query_events(ws.events, "SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY event")
    assert table.to_pylist() == [{"event": "export", "n": 1}, {"event": "login", "n": 2},
                                 {"event": "report_view", "n": 1}, {"event": "zz_buffered", "n": 1}]
    assert query_events(ws.events, "SELECT count(*) AS n FROM events WHERE event = $e", {"e": "login"}
                        ).to_pylist() == [{"n": 2}]


def test_engine_errors_become_event_query_errors(ws):
    with pytest.raises(EventQueryError):
        query_events(ws.events, "SELECT no_such_column FROM events")


def test_experiments_event_catalogue_goes_through_the_seam(ws, monkeypatch):
    from b2bgrowth.experiments import web

    _ingest(ws)
    assert web.known_events(ws) == ["export", "login", "report_view"]
    assert web.known_events(ws, limit=1) == ["export"]

    def broken(*args, **kwargs):
        raise EventQueryError("damaged")

    monkeypatch.setattr("b2bgrowth.events.engines.query_events", broken)
    assert web.known_events(ws) == []  # a damaged event store does not take the form down
