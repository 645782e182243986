"""Tier rules: ARR / employees / revenue thresholds, override, partners, parent roll-up, stored rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2bgrowth.accounts.models import Account
from b2bgrowth.accounts.tiers import (
    DEFAULT_RULES,
    TierRule,
    _roots,
    default_tier,
    effective_tier,
    load_rules,
    rollup_accounts,
    validate_rules,
)
from b2bgrowth.success.tiering import apply_tiers, save_rules, tier_frame

from .planted import add_accounts, add_rate, add_subscription

START = date(2024, 1, 1)


@pytest.mark.parametrize(("employees", "revenue", "arr", "tier"), [
    (None, None, 1_000_000, "KA"),        # ARR exactly at the KA threshold
    (None, None, 999_999.99, "CA"),       # just below KA, above CA's 200,000
    (None, None, 200_000, "CA"),
    (None, None, 199_999, "SMB"),
    (10, 1_000, 199_999, "SMB"),
    (1000, None, 0, "KA"),                # size alone still decides (any threshold reached)
    (None, 100_000_000, None, "CA"),
])
def test_default_rules_on_arr_employees_revenue(employees, revenue, arr, tier):
    assert default_tier(employees, revenue, arr) == tier


def test_override_wins_and_partners_are_apart():
    assert effective_tier(None, 5000, None, account_type="isv") == "partner"
    assert effective_tier(None, 5000, None, account_type="channel") == "partner"
    assert effective_tier("KA", 1, None, arr=0, account_type="channel") == "KA"  # the override wins over everything
    assert effective_tier("SMB", 5000, None, arr=5e6) == "SMB"
    assert effective_tier(None, 5000, None, account_type="direct") == "KA"


def _planted(ws):
    add_rate(ws, "USD", 7.2)
    add_accounts(
        ws,
        {"account_id": "BIG", "employees": 10},                   # MRR 90,000 → ARR 1,080,000 ≥ 1e6 → KA
        {"account_id": "MID", "employees": 10},                   # MRR 20,000 → ARR 240,000 → CA
        {"account_id": "LOW", "employees": 10},                   # MRR 16,000 → ARR 192,000 → SMB
        {"account_id": "USD1"},                                   # 3,000 USD × 7.2 = 21,600 → ARR 259,200 → CA
        {"account_id": "GONE", "employees": 10},                  # churned: MRR today 0 → SMB
        {"account_id": "ISV", "type": "isv", "employees": 5000},  # partner, whatever its size
        {"account_id": "OVR", "employees": 5000, "tier_override": "SMB"},  # override beats the KA rule
        # Tree G ← G1 ← G2 (recursive): ARR 120k + 60k + 60k = 240k → CA for all three (each alone is SMB).
        {"account_id": "G", "employees": 20},
        {"account_id": "G1", "parent_account_id": "G"},
        {"account_id": "G2", "parent_account_id": "G1"},
        # Tree H ← H1: employees max(own 60, sum 60 + 50 = 110) = 110 ≥ 100 → CA for both.
        {"account_id": "H", "employees": 60},
        {"account_id": "H1", "employees": 50, "parent_account_id": "H"},
        # A partner under a direct parent stays a partner and adds nothing to the tree.
        {"account_id": "H2", "type": "channel", "employees": 900, "parent_account_id": "H"},
    )
    for sub, account, mrr, currency in (("s-big", "BIG", 90_000, "CNY"), ("s-mid", "MID", 20_000, "CNY"),
                                        ("s-low", "LOW", 16_000, "CNY"), ("s-usd", "USD1", 3_000, "USD"),
                                        ("s-g", "G", 10_000, "CNY"), ("s-g1", "G1", 5_000, "CNY"),
                                        ("s-g2", "G2", 5_000, "CNY"), ("s-h2", "H2", 500_000, "CNY")):
        add_subscription(ws, sub, account, START, None, mrr, currency)
    add_subscription(ws, "s-gone", "GONE", START, date(2024, 6, 1), 500_000)


EXPECTED = {"BIG": "KA", "MID": "CA", "LOW": "SMB", "USD1": "CA", "GONE": "SMB", "ISV": "partner", "OVR": "SMB",
            "G": "CA", "G1": "CA", "G2": "CA", "H": "CA", "H1": "CA", "H2": "partner"}


def _tiers(ws) -> dict[str, str]:
    with ws.store.read() as session:
        return {a.account_id: a.tier for a in session.query(Account)}


def test_store_tiers_with_arr_rollup_partner_and_override(ws):
    _planted(ws)
    assert apply_tiers(ws) == len(EXPECTED)  # every tier was unset
    assert _tiers(ws) == EXPECTED
    assert apply_tiers(ws) == 0  # already right
    with ws.store.read() as session:
        frame = tier_frame(session, "CNY").set_index("account_id")
    assert frame.loc["G2", "tree_arr"] == pytest.approx(240_000)
    assert frame.loc["USD1", "arr"] == pytest.approx(259_200)
    assert frame.loc["H1", "tree_employees"] == 110


def test_rollup_accounts_is_recursive_and_survives_cycles():
    assert _roots({"a": None, "b": "a", "c": "b", "d": "zz", "x": "y", "y": "x"}) == {
        "a": "a", "b": "a", "c": "a",
        "d": "d",            # parent not an account: d is its own top
        "x": "y", "y": "y",  # a cycle ends the walk where it closes
    }


def test_rollup_accounts_from_the_store(ws):
    _planted(ws)
    roots = rollup_accounts(ws)
    assert roots["G2"] == "G" and roots["G1"] == "G" and roots["G"] == "G" and roots["H2"] == "H"
    assert roots["BIG"] == "BIG"


def test_stored_rules_change_tiers_and_are_validated(ws):
    _planted(ws)
    apply_tiers(ws)
    assert load_rules(ws) == list(DEFAULT_RULES)
    rules = [DEFAULT_RULES[0], TierRule("CA", min_arr=250_000, min_employees=None, min_annual_revenue=None)]
    # MID 240k, USD1 259.2k, tree G 240k, tree H (employees no longer count for CA) move: MID, G, G1, G2, H, H1 → SMB.
    assert save_rules(ws, rules, by="test") == 6
    tiers = _tiers(ws)
    assert {k: tiers[k] for k in ("MID", "USD1", "G", "G1", "G2", "H", "H1")} == {
        "MID": "SMB", "USD1": "CA", "G": "SMB", "G1": "SMB", "G2": "SMB", "H": "SMB", "H1": "SMB"}
    assert load_rules(ws)[1].min_arr == 250_000
    with pytest.raises(ValueError, match="KA min_arr"):
        save_rules(ws, [TierRule("KA", min_arr=100), TierRule("CA", min_arr=200)])
    with pytest.raises(ValueError, match="min_employees must be a number"):
        save_rules(ws, [TierRule("KA", min_employees=-1), TierRule("CA")])
    with pytest.raises(ValueError, match="exactly one rule"):
        save_rules(ws, [TierRule("KA")])


thresholds = st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False))


@given(ka=thresholds, ca=thresholds, arr=st.floats(0, 1e7, allow_nan=False), more=st.floats(0, 1e6, allow_nan=False))
def test_more_arr_never_lowers_the_tier(ka, ca, arr, more):
    if ka is not None and ca is not None and ka < ca:
        ka, ca = ca, ka
    rules = [TierRule("KA", min_arr=ka), TierRule("CA", min_arr=ca)]
    validate_rules(rules)
    order = {"SMB": 0, "CA": 1, "KA": 2}
    assert order[default_tier(None, None, arr + more, rules)] >= order[default_tier(None, None, arr, rules)]
