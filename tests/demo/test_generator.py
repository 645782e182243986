"""The demo company: deterministic by seed, and shaped like a real subscription business."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import duckdb
import numpy as np
import pytest
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.demo import contracts, firmographics
from b2bgrowth.demo.generator import DEMO_TODAY, HISTORY_START, HORIZON, DemoError, generate_company
from b2bgrowth.revenue.models import Subscription
from b2bgrowth.settings import Settings
from b2bgrowth.store.base import Base
from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.workspace import Workspace


def _table_rows(ws) -> dict[str, list[tuple]]:
    out = {}
    with ws.store.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in ("data_revisions", "users", "api_tokens"):
                continue
            key = [c for c in table.primary_key.columns]
            out[table.name] = [tuple(r) for r in session.execute(select(table).order_by(*key))]
    return out


def _events(ws) -> list[tuple]:
    con = duckdb.connect()
    rows = con.sql(f"SELECT event_id, ts, account_id, user_id, event, properties FROM {ws.events.sql_source(con)} "
                   "ORDER BY event_id").fetchall()
    con.close()
    return rows


def _subscriptions(ws) -> list[Subscription]:
    with ws.store.read() as session:
        return list(session.execute(select(Subscription)).scalars())


# -- determinism ----------------------------------------------------------------------------------

def _fresh(tmp_path, name) -> Workspace:
    return Workspace(Settings(data_dir=tmp_path / name, secret_key="test-secret-key-0123456789"))


def test_same_seed_same_rows_and_events_different_seed_different(tmp_path):
    a, b, c = _fresh(tmp_path, "a"), _fresh(tmp_path, "b"), _fresh(tmp_path, "c")
    try:
        generate_company(a, "XS", seed=7)
        generate_company(b, "XS", seed=7)
        generate_company(c, "XS", seed=8)
        rows_a, rows_b, rows_c = _table_rows(a), _table_rows(b), _table_rows(c)
        assert rows_a == rows_b
        assert _events(a) == _events(b)
        assert rows_a["subscriptions"] != rows_c["subscriptions"]
        assert rows_a["accounts"] != rows_c["accounts"]
        assert _events(a) != _events(c)
    finally:
        for ws in (a, b, c):
            ws.close()


def test_contract_simulation_is_a_pure_function_of_the_seed():
    def rows(seed):
        rng = np.random.default_rng(seed)
        frame = firmographics.draw_accounts(rng, 300, HORIZON)
        return contracts.simulate_contracts(rng, frame, HISTORY_START, HORIZON).rows

    assert rows(3) == rows(3)
    assert rows(3) != rows(4)


# -- shape and invariants, on both stores --------------------------------------------------------------

def _chains(subs):
    by_sid = defaultdict(list)
    for s in subs:
        by_sid[s.subscription_id].append(s)
    for rows in by_sid.values():
        rows.sort(key=lambda s: s.start_date)
    return by_sid


def _paid_days(rows) -> set[date]:
    days = set()
    for s in rows:
        if s.mrr > 0:
            end = s.end_date or DEMO_TODAY + timedelta(days=1)
            days.update(s.start_date + timedelta(days=k) for k in range((min(end, DEMO_TODAY + timedelta(days=1)) - s.start_date).days))
    return days


def test_size_xs_invariants(ws):
    summary = generate_company(ws, "XS", seed=42)
    assert summary.counts["accounts"] == 50
    with ws.store.read() as session:
        account_ids = set(session.execute(select(Account.account_id)).scalars())
    assert len(account_ids) == 50
    subs = _subscriptions(ws)
    assert len(subs) == summary.counts["subscriptions"] > 50
    for s in subs:
        assert s.account_id in account_ids
        assert s.end_date is None or s.end_date > s.start_date, s.subscription_id
        assert s.mrr >= 0
    # Rows of one subscription_id follow each other back to back, the open one (if any) last.
    for sid, rows in _chains(subs).items():
        for prev, nxt in zip(rows, rows[1:]):
            assert prev.end_date == nxt.start_date, sid
    events = _events(ws)
    assert len(events) == summary.counts["events"] == ws.events.count() > 1000
    assert {e[2] for e in events} <= account_ids
    assert all(HISTORY_START <= e[1].date() <= DEMO_TODAY for e in events)
    with pytest.raises(DemoError, match="already holds"):
        generate_company(ws, "XS", seed=1)


def test_size_s_has_every_kind_of_history(ws):
    summary = generate_company(ws, "S", seed=42, events=0)
    assert summary.counts["accounts"] == 500
    assert summary.counts["subscriptions"] > 1500
    for entity in ("contacts", "leads", "touches", "opportunities", "nps_responses", "channel_costs", "campaigns",
                   "community_messages", "requirements"):
        assert summary.counts[entity] > 0, entity
    subs = _subscriptions(ws)
    by_account = defaultdict(list)
    for s in subs:
        by_account[s.account_id].append(s)
    assert sum(1 for s in subs if s.mrr == 0) > 20, "trials"
    assert sum(1 for s in subs if s.currency == "USD") > 0, "overseas accounts pay in USD"

    multi_product = churned = reactivated = late_renewals = upgrades = downgrades = 0
    for rows in by_account.values():
        paid = [s for s in rows if s.mrr > 0]
        if len({s.product for s in paid if s.end_date is None or s.end_date > DEMO_TODAY}) >= 2:
            multi_product += 1
        if paid and all(s.end_date is not None and s.end_date <= DEMO_TODAY for s in paid):
            churned += 1
        days = sorted(_paid_days(paid))
        if any((b - a).days > 1 for a, b in zip(days, days[1:])):
            reactivated += 1  # paid, stopped, paid again (a reactivation or a late renewal)
        core_chains = [c for c in _chains([s for s in paid if s.product == "核心平台"]).values()]
        ends = [c[-1].end_date for c in core_chains if c[-1].end_date]
        starts = [c[0].start_date for c in core_chains]
        if any(0 < (s - e).days <= 75 for e in ends for s in starts):
            late_renewals += 1
        for chain in _chains(paid).values():
            for prev, nxt in zip(chain, chain[1:]):
                upgrades += nxt.mrr > prev.mrr
                downgrades += nxt.mrr < prev.mrr
    assert multi_product >= 20
    assert churned >= 20
    assert reactivated >= 10
    assert late_renewals >= 3
    assert upgrades >= 50 and downgrades >= 10
    with ws.store.read() as session:
        stages = defaultdict(int)
        for stage in session.execute(select(Account.lifecycle_stage)).scalars():
            stages[stage] += 1
        names = list(session.execute(select(Account.name)).scalars())
    assert {"prospect", "churned", "mature", "at_risk"} <= set(stages)
    assert any(n.endswith("有限公司") for n in names) and any(n.endswith(("Ltd.", "Inc.", "LLC", "GmbH")) for n in names)
    assert len(set(names)) == len(names)


def test_detractors_and_fading_usage_come_before_churn(sqlite_ws):
    ws = sqlite_ws
    generate_company(ws, "S", seed=5, events=150_000)
    with ws.store.read() as session:
        stage = dict(session.execute(select(Account.account_id, Account.lifecycle_stage)).all())
        nps = list(session.execute(select(NpsResponse)).scalars())
    churner = [r.score for r in nps if stage[r.account_id] == "churned"]
    others = [r.score for r in nps if stage[r.account_id] in ("mature", "adopting")]
    share = lambda scores: sum(s <= 6 for s in scores) / len(scores)  # noqa: E731
    assert share(churner) > share(others) + 0.1
    assert any(r.comment and any("\u4e00" <= ch <= "\u9fff" for ch in r.comment) for r in nps)
    assert any(r.comment and r.comment.isascii() for r in nps)

    # Distinct active users per account: last 30 days of usage vs. 150–120 days before that.
    subs = _subscriptions(ws)
    last_paid_end = {}
    for s in subs:
        if s.mrr > 0 and s.end_date is not None:
            last_paid_end[s.account_id] = max(last_paid_end.get(s.account_id, s.end_date), s.end_date)
    churned = {a: d for a, d in last_paid_end.items() if stage[a] == "churned" and d > HISTORY_START + timedelta(days=200)}
    con = duckdb.connect()
    con.execute(f"CREATE TEMP TABLE ev AS SELECT account_id, user_id, ts::DATE AS d FROM {ws.events.sql_source(con)}")
    before, after = [], []
    for account_id, end in churned.items():
        early = con.execute("SELECT count(DISTINCT user_id) FROM ev WHERE account_id = ? AND d >= ? AND d < ?",
                            [account_id, end - timedelta(days=150), end - timedelta(days=120)]).fetchall()[0][0]
        late = con.execute("SELECT count(DISTINCT user_id) FROM ev WHERE account_id = ? AND d >= ? AND d < ?",
                           [account_id, end - timedelta(days=30), end]).fetchall()[0][0]
        before.append(early)
        after.append(late)
    con.close()
    assert len(churned) >= 10
    assert sum(after) < 0.6 * sum(before)
