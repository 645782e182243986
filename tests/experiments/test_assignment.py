"""Assignment: the hash path is reproducible anywhere; blocked randomisation balances each stratum."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.assignment import (
    assign,
    assign_population,
    block_pattern,
    blocked_assignment,
    preview,
    unit_hash,
)
from b2bgrowth.experiments.schemas import ExperimentCreate, ExperimentError

from .planted import START, add_accounts

# Computed once with `hashlib.sha256(f"{key}:{unit}".encode()).hexdigest()[:16]`, as an integer ÷ 2⁶⁴:
#   checkout-test:user-1  bda65ff7ecbe1cbb → 0.740820
#   checkout-test:user-2  a0b74ba65f89e21b → 0.627797
#   checkout-test:user-3  3d5c3e7a34258475 → 0.239689
#   checkout-test:user-4  f38bf22da89ce6d2 → 0.951354
#   pricing:A17           180e415a6e40687f → 0.093968
# 50/50 → control below 0.5; thirds → a < 1/3 ≤ b < 2/3 ≤ c; 0.2/0.3/0.5 → a < 0.2 ≤ b < 0.5 ≤ c.
HALF = [("control", 0.5), ("treatment", 0.5)]
THIRDS = [("a", 1), ("b", 1), ("c", 1)]
EXPECTED = {
    ("checkout-test", "user-1"): ("treatment", "c"),
    ("checkout-test", "user-2"): ("treatment", "b"),
    ("checkout-test", "user-3"): ("control", "a"),
    ("checkout-test", "user-4"): ("treatment", "c"),
    ("pricing", "A17"): ("control", "a"),
}


def test_hash_matches_hand_computed_values():
    assert unit_hash("checkout-test", "user-1") == pytest.approx(0.740820, abs=1e-6)
    for (key, unit), (half, third) in EXPECTED.items():
        assert assign(None, key, unit, HALF) == half
        assert assign(None, key, unit, THIRDS) == third
    assert assign(None, "pricing", "A17", [("a", 0.2), ("b", 0.3), ("c", 0.5)]) == "a"
    # a salt replaces the key in the hash: pricing:A17 hashed as "checkout-test:A17" differs only by salt
    assert assign(None, "anything", "user-3", HALF, salt="checkout-test") == "control"


def test_same_variant_in_another_process():
    code = (
        "from b2bgrowth.experiments.assignment import assign;"
        "print(','.join(assign(None, k, u, [('a',1),('b',1),('c',1)]) for k, u in "
        "[('checkout-test','user-1'),('checkout-test','user-2'),('checkout-test','user-3'),('checkout-test','user-4'),('pricing','A17')]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123"})
    assert out.stdout.strip() == "c,b,a,c,a"


def test_weights_respected_over_many_units():
    weights = [("a", 0.2), ("b", 0.3), ("c", 0.5)]
    counts = Counter(assign(None, "weights", f"u{i}", weights) for i in range(30_000))
    observed = [counts[n] for n, _ in weights]
    expected = [w * 30_000 for _, w in weights]  # 6000, 9000, 15000
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed, expected))
    assert chi2 < stats.chi2.ppf(0.999, 2)  # 13.8: a fair hash fails this 1 time in 1000


def test_block_pattern():
    assert block_pattern(HALF) == ["control", "treatment"]
    assert block_pattern([("hold", 0.2), ("free", 0.8)]) == ["hold", "free", "free", "free", "free"]
    assert sorted(block_pattern(THIRDS)) == ["a", "b", "c"]
    with pytest.raises(ExperimentError, match="blocks larger"):
        block_pattern([("a", 0.001), ("b", 0.999)])


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(0, 40), min_size=1, max_size=5), arms=st.integers(2, 4), key=st.text("abc", min_size=1, max_size=4))
def test_each_stratum_balanced_within_one(sizes, arms, key):
    strata = {f"s{i}": [f"s{i}-{j}" for j in range(n)] for i, n in enumerate(sizes)}
    variants = [(f"v{i}", 1.0) for i in range(arms)]
    rows = blocked_assignment(key, strata, variants)
    assert sorted(r["unit_id"] for r in rows) == sorted(u for units in strata.values() for u in units)
    for stratum in strata:
        counts = Counter(r["variant"] for r in rows if r["stratum"] == stratum)
        per_variant = [counts.get(v, 0) for v, _ in variants]
        assert max(per_variant) - min(per_variant) <= 1
    assert blocked_assignment(key, strata, variants) == rows  # deterministic


def test_unequal_weights_balanced_within_a_block():
    rows = blocked_assignment("free-sample", {"all": [f"u{i}" for i in range(103)]}, [("hold", 0.2), ("free", 0.8)])
    counts = Counter(r["variant"] for r in rows)
    # 20 whole blocks of 5 → 20 hold + 80 free; the last 3 units take 3 of a shuffled block.
    assert 20 <= counts["hold"] <= 21 and counts["hold"] + counts["free"] == 103


def _create(ws, key="tiered", **extra):
    return registry.create_experiment(ws, ExperimentCreate(key=key, stratify_by="tier", **extra), by="tester")


def test_population_is_frozen_at_start(ws):
    add_accounts(ws, tiers={"A": 9, "B": 21, "C": 70})
    _create(ws, population={"tier": ["A", "B"]})
    before = assign_population(ws, "tiered")
    assert len(before) == 30  # only tiers A and B
    shown = preview(ws, "tiered")
    # A: 9 accounts → 5/4 or 4/5; B: 21 → 11/10 or 10/11
    assert {s["stratum"]: s["n"] for s in shown["strata"]} == {"A": 9, "B": 21}
    for s in shown["strata"]:
        assert abs(s["by_variant"]["control"] - s["by_variant"]["treatment"]) == 1
    exp = registry.start(ws, "tiered", at=START)
    assert exp.status == "running" and exp.assigned_units == 30
    # new tier-A accounts arriving later do not move anyone
    add_accounts(ws, tiers={"A": 5}, prefix="NEW")
    after = assign_population(ws, "tiered")
    by_unit = lambda rows: sorted(rows, key=lambda r: r["unit_id"])  # noqa: E731
    assert by_unit(after) == by_unit(before)
    for row in after[:5]:
        assert assign(ws, "tiered", row["unit_id"]) == row["variant"]
    with pytest.raises(ExperimentError, match="cannot change once"):
        registry.update_experiment(ws, "tiered", registry.ExperimentUpdate(population={"tier": ["C"]}))


def test_lifecycle_and_errors(ws):
    _create(ws, key="life")
    with pytest.raises(ExperimentError, match="already exists"):
        _create(ws, key="life")
    with pytest.raises(KeyError):
        registry.get_experiment(ws, "nope")
    with pytest.raises(ExperimentError, match="draft has no results"):
        registry.decide(ws, "life", "ship", "looks good")
    registry.start(ws, "life", at=datetime(2026, 1, 1))
    with pytest.raises(ExperimentError, match="only a draft can start"):
        registry.start(ws, "life")
    registry.stop(ws, "life", at=datetime(2026, 1, 1) + timedelta(days=30))
    with pytest.raises(ExperimentError, match="reason"):
        registry.decide(ws, "life", "ship", "  ")
    with pytest.raises(ExperimentError, match="decision: one of"):
        registry.decide(ws, "life", "maybe", "why not")
    done = registry.decide(ws, "life", "roll_back", "guardrail churn rose")
    assert (done.status, done.decision, done.decision_reason) == ("decided", "roll_back", "guardrail churn rose")
    assert [e.key for e in registry.list_experiments(ws, "decided")] == ["life"]
    assert registry.list_experiments(ws, "running") == []
