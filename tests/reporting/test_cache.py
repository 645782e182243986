"""The cache service (reporting/cache.py): what invalidates an entry and what does not.

Each test counts the calls of `compute`: a hit costs none, a miss exactly one.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from b2bgrowth.accounts.models import Account
from b2bgrowth.reporting.cache import CURRENCY
from b2bgrowth.settings import Settings
from b2bgrowth.workspace import Workspace

D = date(2024, 6, 30)


class Counter:
    def __init__(self, value=None):
        self.calls = 0
        self.value = value

    def __call__(self):
        self.calls += 1
        return {"n": self.calls} if self.value is None else self.value


def _add_account(ws, account_id: str) -> None:
    with ws.store.write(touched=["accounts"]) as session:
        session.add(Account(account_id=account_id, name=account_id))


def _event(day: str, n: int) -> dict:
    return {"event_id": f"e-{day}-{n}", "ts": f"{day}T12:00:00", "account_id": "A", "user_id": "u", "event": "login"}


def _get(ws, compute, store="memory", **key):
    name = key.pop("name", "figures")
    return ws.cache.get_or_compute(name, ws.cache.key(name, **key), compute, store=store)


def test_database_reset_under_the_same_url_recomputes(ws):
    _add_account(ws, "A")
    compute = Counter()
    assert _get(ws, compute, "pickle", entities=("accounts",)) == {"n": 1}
    assert _get(ws, compute, "pickle", entities=("accounts",)) == {"n": 1} and compute.calls == 1
    old_id = ws.store.workspace_id()
    # Reset: every table dropped and re-created, then the same write, so the revisions are equal.
    ws.store.drop_all()
    ws.store.migrate()
    _add_account(ws, "A")
    assert ws.store.revisions(["accounts"]) == {"accounts": 1}
    assert ws.store.workspace_id() != old_id
    assert _get(ws, compute, "pickle", entities=("accounts",)) == {"n": 2} and compute.calls == 2
    # Not from the disk either: a new process (new Workspace) finds the new entry, not the old one.
    again = Workspace(ws.settings)
    try:
        assert _get(again, compute, "pickle", entities=("accounts",)) == {"n": 2} and compute.calls == 2
    finally:
        again.close()


def test_events_after_the_day_change_nothing_on_or_before_it_recompute(ws):
    compute = Counter()
    assert _get(ws, compute, events_until=D) == {"n": 1}
    # Later-dated events, in the buffer and then flushed into their own partition: no recompute.
    ws.events.ingest([_event("2024-07-01", 1), _event("2024-08-15", 2)])
    assert _get(ws, compute, events_until=D) == {"n": 1}
    ws.events.flush()
    assert _get(ws, compute, events_until=D) == {"n": 1} and compute.calls == 1
    # One dated on the day itself (buffered): recompute once, then a hit.
    ws.events.ingest([_event("2024-06-30", 3)])
    assert _get(ws, compute, events_until=D) == {"n": 2}
    assert _get(ws, compute, events_until=D) == {"n": 2}
    # One dated before it, written to Parquet: recompute.
    ws.events.flush()
    compute.calls = 10
    ws.events.ingest([_event("2024-01-02", 4)])
    ws.events.flush()
    assert _get(ws, compute, events_until=D) == {"n": 11}
    # events_until=None reads every event: a later-dated one does change it.
    everything = Counter()
    _get(ws, everything, name="all", events_until=None)
    ws.events.ingest([_event("2025-01-01", 5)])
    _get(ws, everything, name="all", events_until=None)
    assert everything.calls == 2 and _get(ws, compute, events_until=D) == {"n": 11}


def test_event_fingerprint_follows_only_days_up_to_until(sqlite_ws):
    events = sqlite_ws.events
    empty = events.fingerprint(D)
    events.ingest([_event("2024-07-01", 1)])
    assert events.fingerprint(D) == empty and events.fingerprint(None) != empty
    events.flush()
    assert events.fingerprint(D) == empty
    events.ingest([_event("2024-06-30", 2)])
    buffered = events.fingerprint(D)
    assert buffered != empty and events.fingerprint(date(2024, 6, 29)) == empty
    events.flush()
    assert events.fingerprint(D) not in (empty, buffered)
    many = events.fingerprints([date(2024, 6, 29), D])
    assert many == {date(2024, 6, 29): empty, D: events.fingerprint(D)}


def test_a_figure_changing_setting_recomputes(ws):
    compute = Counter()
    _get(ws, compute, settings=CURRENCY)
    ws.settings.reporting_currency = "cny"  # the same currency spelt otherwise: same figures
    _get(ws, compute, settings=CURRENCY)
    assert compute.calls == 1
    ws.settings.reporting_currency = "USD"
    assert _get(ws, compute, settings=CURRENCY) == {"n": 2}
    # A key that does not name the setting does not follow it.
    other = Counter()
    _get(ws, other, name="plain")
    ws.settings.reporting_currency = "EUR"
    _get(ws, other, name="plain")
    assert other.calls == 1


def test_two_workspaces_on_one_data_dir_do_not_share(ws, tmp_path):
    second = Workspace(Settings(data_dir=ws.settings.data_dir, database_url=f"sqlite:///{tmp_path / 'other.sqlite'}",
                                secret_key="test-secret-key-0123456789"))
    try:
        assert second.settings.data_dir == ws.settings.data_dir
        assert second.store.workspace_id() != ws.store.workspace_id()
        first_compute, second_compute = Counter("first"), Counter("second")
        for store in ("pickle", "parquet-parts"):
            if store == "parquet-parts":
                first_compute.value = {"t": pd.DataFrame({"x": [1]})}
                second_compute.value = {"t": pd.DataFrame({"x": [2]})}
            name = f"shared-{store}"
            # Both at revision 0 of the same entity, same name: only the workspace tells them apart.
            first = _get(ws, first_compute, store, name=name, entities=("accounts",))
            other = _get(second, second_compute, store, name=name, entities=("accounts",))
            assert (first_compute.calls, second_compute.calls) == ((1, 1) if store == "pickle" else (2, 2))
            ws.cache.clear_memory()
            second.cache.clear_memory()
            # Each finds its own entry on disk (neither pruned the other's), computing nothing.
            assert str(_get(ws, first_compute, store, name=name, entities=("accounts",))) == str(first)
            assert str(_get(second, second_compute, store, name=name, entities=("accounts",))) == str(other)
            assert len(list((ws.settings.cache_dir / name).iterdir())) == 2
        assert (first_compute.calls, second_compute.calls) == (2, 2)
    finally:
        second.close()


def test_disk_layer_survives_a_new_workspace_and_heals_corrupt_entries(ws):
    pickled, parts = Counter(), Counter({"movements": pd.DataFrame({"mrr": [1.5, 2.5]}), "other": pd.DataFrame()})
    pickle_key = ws.cache.key("model", entities=("accounts",), extra={"as_of": D})
    parts_key = ws.cache.key("table", entities=("accounts",))
    ws.cache.get_or_compute("model", pickle_key, pickled, store="pickle")
    ws.cache.get_or_compute("table", parts_key, parts, store="parquet-parts")
    assert ws.cache.file("model", pickle_key).exists() and ws.cache.stored("table", parts_key)

    def reopen():
        fresh = Workspace(ws.settings)  # a new process: nothing in memory
        got = (fresh.cache.get_or_compute("model", pickle_key, pickled, store="pickle"),
               fresh.cache.get_or_compute("table", parts_key, parts, store="parquet-parts"))
        fresh.close()
        return got

    model, table = reopen()
    assert model == {"n": 1} and pickled.calls == 1 and parts.calls == 1
    pd.testing.assert_frame_equal(table["movements"], pd.DataFrame({"mrr": [1.5, 2.5]}))
    # A truncated pickle and a Parquet part cut in half: recomputed and rewritten, not a crash.
    path = ws.cache.file("model", pickle_key)
    path.write_bytes(path.read_bytes()[:5])
    part = ws.cache.folder("table", parts_key) / "movements.parquet"
    part.write_bytes(part.read_bytes()[:20])
    model, table = reopen()
    assert model == {"n": 2} and parts.calls == 2
    pd.testing.assert_frame_equal(table["movements"], pd.DataFrame({"mrr": [1.5, 2.5]}))
    assert reopen()[0] == {"n": 2} and (pickled.calls, parts.calls) == (2, 2)  # the rewritten files serve
    # A folder without _SUCCESS (a writer died before renaming) is not an entry.
    (ws.cache.folder("table", parts_key) / "_SUCCESS").unlink()
    assert not ws.cache.stored("table", parts_key)
    reopen()
    assert parts.calls == 3 and ws.cache.stored("table", parts_key)


def test_newer_keys_replace_older_ones_on_disk(ws):
    compute = Counter()
    for n in range(3):
        _add_account(ws, f"A{n}")
        _get(ws, compute, "pickle", entities=("accounts",))
    assert compute.calls == 3
    assert len(list((ws.settings.cache_dir / "figures").iterdir())) == 1  # keep=1: the newest only
    # keep=N keeps the N newest (the health report keeps 8 days).
    for n in range(4):
        key = ws.cache.key("days", extra=n)
        ws.cache.get_or_compute("days", key, compute, store="pickle", keep=2)
    assert len(list((ws.settings.cache_dir / "days").iterdir())) == 2
    assert ws.cache.file("days", ws.cache.key("days", extra=3)).exists()
