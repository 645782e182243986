"""The fast paths equal the plain ones: usage_features_many, signals_many, the per-process caches."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.success import signals as signals_module
from b2bgrowth.success.signals import account_signals, signals_many
from b2bgrowth.success.usage import usage_features
from b2bgrowth.success.usage.features import usage_features_many
from b2bgrowth.voc.models import NpsResponse
from tests.success_usage.planted import PLANTED_AS_OF, add_events, event, plant

D = PLANTED_AS_OF  # 2024-06-30
DAYS = [date(2024, 1, 31), date(2024, 3, 31), date(2024, 5, 2), D, date(2024, 7, 1)]


def _forget(ws) -> None:
    """Drop the process caches, so the next call computes from the store."""
    ws.cache.clear_memory()


def test_usage_features_many_equals_one_day_at_a_time(ws):
    plant(ws)
    many = usage_features_many(ws, DAYS)
    assert sorted(many) == DAYS
    for d in DAYS:
        pd.testing.assert_frame_equal(many[d], usage_features(ws, d))
    # 2024-01-31 is before every planted event: no account has usage yet.
    assert many[date(2024, 1, 31)].empty
    # Restricted to some accounts: exactly those rows of the full frame.
    only = usage_features_many(ws, [D, date(2024, 5, 2)], accounts_by_date={D: ["B", "C", "nobody"]})
    full = usage_features(ws, D)
    pd.testing.assert_frame_equal(only[D], full[full["account_id"].isin(["B", "C"])].reset_index(drop=True))
    pd.testing.assert_frame_equal(only[date(2024, 5, 2)], usage_features(ws, date(2024, 5, 2)))


_events = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["u1", "u2", None]),
                             st.integers(0, 150), st.sampled_from(["login", "report", "support_ticket"])),
                   min_size=1, max_size=25)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=_events, picks=st.lists(st.integers(0, 160), min_size=1, max_size=4))
def test_usage_features_many_property(ws, batch, picks):
    # Events accumulate over the examples (one store): the invariant holds on every state.
    start = date(2024, 1, 1)
    add_events(ws, [event(a, u, (start + timedelta(days=n)).isoformat(), name) for a, u, n, name in batch])
    dates = [start + timedelta(days=p) for p in picks]
    many = usage_features_many(ws, dates)
    for d in set(dates):
        pd.testing.assert_frame_equal(many[d], usage_features(ws, d))


def test_cached_and_batched_signals_equal_fresh_ones(ws):
    plant(ws)
    days = [D, D - timedelta(days=30), date(2024, 3, 31)]
    batched = signals_many(ws, days)
    for d in days:
        _forget(ws)
        fresh = account_signals(ws, d)
        pd.testing.assert_frame_equal(batched[d], fresh)
        pd.testing.assert_frame_equal(account_signals(ws, d), fresh)  # second call: from the cache
    # A subset equals the full frame filtered (every column is per account), whether computed on the
    # subset's own inputs (nothing cached) or cut from the cached frame.
    _forget(ws)
    subset = signals_many(ws, [D], {D: ["B", "A"]})[D]
    full = account_signals(ws, D)
    pd.testing.assert_frame_equal(subset, full[full["account_id"].isin(["A", "B"])].reset_index(drop=True))
    subset = signals_many(ws, [D], {D: ["B", "A"]})[D]
    pd.testing.assert_frame_equal(subset, full[full["account_id"].isin(["A", "B"])].reset_index(drop=True))
    pd.testing.assert_frame_equal(account_signals(ws, D, accounts=["D"]),
                                  full[full["account_id"] == "D"].reset_index(drop=True))
    _forget(ws)  # nothing kept: account_signals computes only the accounts asked for, and keeps nothing
    pd.testing.assert_frame_equal(account_signals(ws, D, accounts=["D", "C"]),
                                  full[full["account_id"].isin(["C", "D"])].reset_index(drop=True))
    assert ws.cache.peek("signals", signals_module.day_keys(ws, [D])[D]) is None
    # Callers may change what they get without touching the cache.
    got = account_signals(ws, D)
    got["mrr"] = -1.0
    assert (account_signals(ws, D)["mrr"] > 0).all()


def test_cache_follows_the_store_and_point_in_time_holds(ws):
    plant(ws)
    before = account_signals(ws, D)
    a = before.set_index("account_id").loc["A"]
    assert (a.nps_last, a.detractors_90d) == (5, 1)
    # A response dated after D: the store revision moves, the cache reloads, as of D nothing changes.
    with ws.store.write(touched=["nps_responses"]) as session:
        session.add(NpsResponse(response_id="late", account_id="A", score=0, at=datetime(2024, 7, 1, 0, 0)))
    pd.testing.assert_frame_equal(account_signals(ws, D), before)
    # A response dated D itself is seen at once (no stale cache): last score 0, one more detractor.
    with ws.store.write(touched=["nps_responses"]) as session:
        session.add(NpsResponse(response_id="same-day", account_id="A", score=0, at=datetime(2024, 6, 30, 23, 0)))
    now = account_signals(ws, D).set_index("account_id").loc["A"]
    assert (now.nps_last, now.detractors_90d) == (0, 2)
    # Events: one dated D changes A's usage; the events fingerprint keys the cache.
    add_events(ws, [event("A", "new-user", D.isoformat(), "login")])
    assert account_signals(ws, D).set_index("account_id").loc["A"].dau == 3  # A-c1, u2@acme.test, new-user


def test_usage_recorded_is_the_workspace_state_as_of_the_day(ws):
    plant(ws)
    early = account_signals(ws, date(2024, 1, 31))  # paying accounts, no planted event yet
    assert len(early) > 0 and not early["usage_recorded"].any()
    later = account_signals(ws, D)
    assert later["usage_recorded"].all()
    # The same for one account computed alone (the account-360 path).
    _forget(ws)
    assert account_signals(ws, D, accounts=[later["account_id"].iloc[0]])["usage_recorded"].tolist() == [True]
