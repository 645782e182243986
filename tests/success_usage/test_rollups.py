"""The incremental rule and rollup invariants (Hypothesis); the Spark comparison is test_spark.py."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta

import duckdb
import pyarrow as pa
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from b2bgrowth.settings import Settings
from b2bgrowth.success.usage import usage_features
from b2bgrowth.success.usage.rollups import SCHEMAS, read_manifest, rollup_source, update_rollups
from b2bgrowth.workspace import Workspace
from tests.success_usage.planted import DEFAULT_EVENTS, add_events, event, events_table


def _rollup(ws, table: str) -> pa.Table:
    con = duckdb.connect()
    try:
        keys = [c for c in SCHEMAS[table].names if c not in ("events", "users", "features")]
        return con.sql(f"SELECT * FROM {rollup_source(ws, table)} ORDER BY {', '.join(keys)}").to_arrow_table()
    finally:
        con.close()


def test_a_new_day_recomputes_only_that_day_and_equals_a_full_rebuild(sqlite_ws):
    ws = sqlite_ws
    add_events(ws, [dict(e) for e in DEFAULT_EVENTS])
    first = update_rollups(ws)
    # Days with events in planted.py: Feb 10, May 1, 5, 10..19, Jun 1..30, Jul 1 → 1 + 2 + 10 + 30 + 1 = 44
    assert len(first.recomputed) == 44
    assert update_rollups(ws).recomputed == []  # nothing changed: nothing recomputed
    add_events(ws, [event("A", "A-c1", "2024-07-02", "login"), event("A", "new", "2024-07-02", "export")])
    second = update_rollups(ws)
    assert second.recomputed == ["2024-07-02"] and second.unchanged == 44
    # A late event for an old day recomputes that one day.
    add_events(ws, [event("B", "B-c2", "2024-05-05", "export", hour=15)])
    assert update_rollups(ws).recomputed == ["2024-05-05"]
    incremental = {t: _rollup(ws, t) for t in SCHEMAS}
    assert update_rollups(ws, full=True).recomputed == sorted(read_manifest(ws))
    for table in SCHEMAS:
        assert _rollup(ws, table).equals(incremental[table]), table


def test_buffered_events_are_flushed_before_fingerprinting(sqlite_ws):
    ws = sqlite_ws
    ws.events.ingest([{"event_id": "w1", "ts": "2024-06-01T10:00:00", "account_id": "A", "user_id": "u",
                       "event": "login"}])
    assert update_rollups(ws).recomputed == ["2024-06-01"]
    assert usage_features(ws, date(2024, 6, 1))["events_30d"].tolist() == [1]


def test_a_removed_partition_loses_its_rollup_rows(sqlite_ws):
    import shutil

    ws = sqlite_ws
    add_events(ws, [event("A", "u", "2024-06-01", "login"), event("A", "u", "2024-06-02", "login")])
    update_rollups(ws)
    ws.events.close()
    shutil.rmtree(ws.settings.events_dir / "date=2024-06-02")
    ws.__dict__.pop("events", None)  # reopen the store (cached property)
    result = update_rollups(ws)
    assert result.removed == ["2024-06-02"]
    assert _rollup(ws, "account_daily")["day"].to_pylist() == [date(2024, 6, 1)]


events_strategy = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", None]), st.sampled_from(["u1", "u2", "u3", None]),
              st.integers(0, 70), st.sampled_from(["login", "report", "export", "support_ticket"])),
    min_size=1, max_size=60)


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=events_strategy, as_of_offset=st.integers(0, 75))
def test_rollup_invariants(rows, as_of_offset):
    start = date(2024, 3, 1)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(data_dir=f"{tmp}/data", secret_key="test-secret-key-0123456789"))
        try:
            events = [{"event_id": f"h{i}", "ts": datetime.combine(start + timedelta(days=d), datetime.min.time())
                       + timedelta(hours=9), "account_id": a, "user_id": u, "event": e}
                      for i, (a, u, d, e) in enumerate(rows)]
            ws.events.ingest_arrow(events_table(events))
            update_rollups(ws)
            with_account = [e for e in events if e["account_id"] is not None]
            # Every rollup's event count adds up to the raw count of events that name an account.
            for table in SCHEMAS:
                assert sum(_rollup(ws, table)["events"].to_pylist()) == len(with_account), table
            as_of = start + timedelta(days=as_of_offset)
            f = usage_features(ws, as_of, refresh=False)
            assert (f["dau"] <= f["wau"]).all() and (f["wau"] <= f["mau"]).all()
            assert (f["support_tickets_30d"] <= f["support_tickets_90d"]).all()
            assert (f["breadth_30d"] <= 3).all()
            # events_30d by brute force from the raw events
            lo = as_of - timedelta(days=29)
            for r in f.itertuples():
                expected = sum(1 for e in with_account
                               if e["account_id"] == r.account_id and lo <= e["ts"].date() <= as_of)
                assert r.events_30d == expected
            seen = {e["account_id"] for e in with_account if e["ts"].date() <= as_of}
            assert set(f["account_id"]) == seen
        finally:
            ws.close()
