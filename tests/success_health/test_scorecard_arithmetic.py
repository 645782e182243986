"""Scorecard arithmetic by hand: ratings, linear points, weights, renormalisation, colours, choice."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bgrowth.success.scorecards.default import default_scorecard
from b2bgrowth.success.scorecards.definition import DefinitionError, parse_definition
from b2bgrowth.success.scorecards.scoring import choose, score_frame


def card(groups, colors=None, scorecard_id="default", applies_to=None):
    data = {"scorecard_id": scorecard_id, "name": scorecard_id, "groups": groups}
    if colors:
        data["colors"] = colors
    if applies_to:
        data["applies_to"] = applies_to
    return parse_definition(data)


TWO_GROUPS = [
    {"name": "Adoption", "weight": 60, "measures": [
        {"measure": "seats", "signal": "seat_utilisation", "weight": 2, "good": 0.6, "poor": 0.3},
        {"measure": "breadth", "signal": "breadth_30d", "weight": 1, "good": 5, "poor": 2},
    ]},
    {"name": "Support", "weight": 40, "measures": [
        {"measure": "tickets", "signal": "support_tickets_30d", "direction": "lower_better", "good": 1, "poor": 5},
    ]},
]


def score_one(definition, **signals):
    frame = score_frame(definition, pd.DataFrame([{"account_id": "A", **signals}]))
    return frame.iloc[0]


def test_weighted_score_and_contributions_by_hand():
    # Effective weights: seats 60×2/3 = 40, breadth 60×1/3 = 20, tickets 40.
    # seats 0.7 ≥ 0.6 → good 100; breadth 3 (2 ≤ 3 < 5) → average 50; tickets 3 (1 < 3 ≤ 5) → average 50.
    # score = (40×100 + 20×50 + 40×50) / 100 = 70.0 → green (≥ 70)
    row = score_one(card(TWO_GROUPS), seat_utilisation=0.7, breadth_30d=3, support_tickets_30d=3)
    assert row.health_score == 70.0
    assert row.health_color == "green"
    by = {m["measure"]: m for m in row.measures}
    assert [by[k]["rating"] for k in ("seats", "breadth", "tickets")] == ["good", "average", "average"]
    assert by["seats"]["weight"] == 40 and by["breadth"]["weight"] == 20 and by["tickets"]["weight"] == 40
    # contributions: 40×100/100 = 40, 20×50/100 = 10, 40×50/100 = 20; they add up to the score
    assert [by[k]["contribution"] for k in ("seats", "breadth", "tickets")] == [40.0, 10.0, 20.0]
    assert sum(m["contribution"] for m in row.measures) == pytest.approx(row.health_score)


def test_missing_measure_is_left_out_and_weights_renormalised():
    # breadth missing: present weights 40 + 40 = 80; seats poor (0.2 < 0.3) = 0, tickets good (0 ≤ 1) = 100
    # score = (40×0 + 40×100) / 80 = 50.0 → yellow; shares 0.5 / 0.5
    row = score_one(card(TWO_GROUPS), seat_utilisation=0.2, breadth_30d=None, support_tickets_30d=0)
    assert row.health_score == 50.0 and row.health_color == "yellow"
    by = {m["measure"]: m for m in row.measures}
    assert by["breadth"] == {**by["breadth"], "missing": True, "value": None, "score": None, "contribution": None,
                             "share": 0.0}
    assert by["seats"]["share"] == 0.5 and by["tickets"]["share"] == 0.5
    assert by["tickets"]["contribution"] == 50.0


def test_signal_column_absent_counts_as_missing_and_nothing_present_means_no_score():
    row = score_one(card(TWO_GROUPS), seat_utilisation=float("nan"))
    assert math.isnan(row.health_score) and row.health_color is None
    assert all(m["missing"] for m in row.measures)


def test_threshold_boundaries_both_directions():
    up = card([{"name": "g", "weight": 1, "measures": [
        {"measure": "m", "signal": "mau", "good": 10, "poor": 5}]}])
    # higher_better: ≥ 10 good, < 5 poor, else average
    assert [score_one(up, mau=v).health_score for v in (10, 9.99, 5, 4.99)] == [100.0, 50.0, 50.0, 0.0]
    down = card([{"name": "g", "weight": 1, "measures": [
        {"measure": "m", "signal": "support_tickets_30d", "direction": "lower_better", "good": 1, "poor": 5}]}])
    # lower_better: ≤ 1 good, > 5 poor, else average
    assert [score_one(down, support_tickets_30d=v).health_score for v in (1, 2, 5, 6)] == [100.0, 50.0, 50.0, 0.0]


def test_linear_measure_interpolates_and_clips():
    lin = card([{"name": "g", "weight": 1, "measures": [
        {"measure": "trend", "signal": "usage_trend_30d", "kind": "linear", "zero_at": -0.5, "full_at": 0.1}]}])
    # (v + 0.5) / 0.6 × 100: −0.2 → 50; −0.5 → 0; 0.1 → 100; −0.9 → clipped 0; 2.0 → clipped 100; −0.35 → 25
    assert [score_one(lin, usage_trend_30d=v).health_score for v in (-0.2, -0.5, 0.1, -0.9, 2.0, -0.35)] == \
        [50.0, 0.0, 100.0, 0.0, 100.0, 25.0]
    # zero_at above full_at: lower values are better; 3 days → (3 − 30)/(0 − 30) = 0.9 → 90
    rev = card([{"name": "g", "weight": 1, "measures": [
        {"measure": "idle", "signal": "days_since_active", "kind": "linear", "zero_at": 30, "full_at": 0}]}])
    assert score_one(rev, days_since_active=3).health_score == 90.0


def test_colour_thresholds_are_configurable():
    one = [{"name": "g", "weight": 1, "measures": [
        {"measure": "t", "signal": "usage_trend_30d", "kind": "linear", "zero_at": 0, "full_at": 1}]}]
    default = card(one)
    assert [score_one(default, usage_trend_30d=v).health_color for v in (0.70, 0.699, 0.40, 0.399)] == \
        ["green", "yellow", "yellow", "red"]
    strict = card(one, colors={"green": 85, "yellow": 60})
    assert [score_one(strict, usage_trend_30d=v).health_color for v in (0.85, 0.84, 0.6, 0.59)] == \
        ["green", "yellow", "yellow", "red"]


def test_default_scorecard_by_hand():
    # Effective weights: seats 40×2/3 = 26.667, breadth 13.333, trend 20, nps 15, tickets 15, renewal 10.
    # seats 0.7 good 100; breadth 3 average 50; trend −0.2 → (−0.2+0.5)/0.6 = 50; nps missing;
    # tickets 0 good 100; renewal 100 days average 50.  Present weight = 100 − 15 = 85.
    # score = (26.667×100 + 13.333×50 + 20×50 + 15×100 + 10×50) / 85 = 6333.33 / 85 = 74.51 → 74.5 green
    row = score_one(default_scorecard(), seat_utilisation=0.7, breadth_30d=3, usage_trend_30d=-0.2, nps_365=None,
                    support_tickets_30d=0, days_to_renewal=100)
    assert row.health_score == 74.5 and row.health_color == "green"
    assert sum(m["contribution"] for m in row.measures if not m["missing"]) == pytest.approx(74.5, abs=0.05)


def test_choose_most_specific_then_default():
    base = [{"name": "g", "weight": 1, "measures": [{"measure": "m", "signal": "mau", "good": 1, "poor": 0}]}]
    default = card(base)
    ka = card(base, scorecard_id="ka", applies_to={"tiers": ["KA"]})
    onboarding = card(base, scorecard_id="onb", applies_to={"stages": ["onboarding"]})
    ka_onboarding = card(base, scorecard_id="ka-onb", applies_to={"tiers": ["KA"], "stages": ["onboarding"]})
    also_ka = card(base, scorecard_id="a-ka", applies_to={"tiers": ["KA", "CA"]})
    cards = [default, ka, onboarding, ka_onboarding, also_ka]
    assert choose(cards, "KA", "onboarding").scorecard_id == "ka-onb"   # tier + stage beats either alone
    assert choose(cards, "KA", "mature").scorecard_id == "a-ka"         # one constraint each: ties by id
    assert choose(cards, "SMB", "onboarding").scorecard_id == "onb"
    assert choose(cards, "SMB", "mature").scorecard_id == "default"
    assert choose(cards, None, None).scorecard_id == "default"


@pytest.mark.parametrize("change, where", [
    ({"groups": []}, "groups"),
    ({"groups": [{"name": "g", "weight": 0, "measures": [{"measure": "m", "signal": "mau", "good": 1, "poor": 0}]}]},
     "groups.0.weight"),
    ({"groups": [{"name": "g", "weight": 1, "measures": [{"measure": "m", "signal": "nope", "good": 1, "poor": 0}]}]},
     "groups.0.measures.0.signal"),
    ({"groups": [{"name": "g", "weight": 1, "measures": [{"measure": "m", "signal": "mau", "good": 0, "poor": 1}]}]},
     "poor (1) must not be above good (0)"),
    ({"groups": [{"name": "g", "weight": 1, "measures": [
        {"measure": "m", "signal": "mau", "kind": "linear", "zero_at": 1, "full_at": 1}]}]}, "they must differ"),
    ({"groups": [{"name": "g", "weight": 1, "measures": [{"measure": "m", "signal": "mau", "kind": "stars"}]}]},
     "kind must be 'thresholds' or 'linear'"),
    ({"colors": {"green": 30, "yellow": 60}}, "yellow (60) must not be above green (30)"),
    ({"applies_to": {"tiers": ["XL"]}}, "applies_to.tiers.0"),
    ({"scorecard_id": "ka"}, "name at least one tier or stage"),
    ({"applies_to": {"stages": ["at_risk"]}}, "applies_to.stages.0"),
    ({"bogus": 1}, "bogus: Extra inputs are not permitted"),
])
def test_invalid_definitions_name_the_field(change, where):
    data = {"scorecard_id": "default", "name": "x",
            "groups": [{"name": "g", "weight": 1, "measures": [{"measure": "m", "signal": "mau", "good": 1, "poor": 0}]}]}
    data.update(change)
    with pytest.raises(DefinitionError) as info:
        parse_definition(data)
    assert where in str(info.value)


points = st.one_of(st.none(), st.floats(min_value=-5, max_value=5, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(points, points, points, points, points, points), min_size=1, max_size=8))
def test_invariants_score_in_range_contributions_add_up(rows):
    columns = ["seat_utilisation", "breadth_30d", "usage_trend_30d", "nps_365", "support_tickets_30d",
               "days_to_renewal"]
    frame = pd.DataFrame([dict(zip(columns, r)) for r in rows])
    out = score_frame(default_scorecard(), frame)
    for score, color, measures in zip(out.health_score, out.health_color, out.measures):
        present = [m for m in measures if not m["missing"]]
        if not present:
            assert math.isnan(score) and color is None
            continue
        assert 0 <= score <= 100
        assert min(m["score"] for m in present) - 0.05 <= score <= max(m["score"] for m in present) + 0.05
        # The score is rounded to 0.1 (error ≤ 0.05) and each contribution to 0.01 (≤ 0.005 each):
        # e.g. 7.843 + 9.28… + 8.824 ≥ 25.95 → score 26.0, while the contributions 7.84 + 9.28 + 8.82 = 25.94.
        assert sum(m["contribution"] for m in present) == pytest.approx(score, abs=0.05 + 0.005 * len(present) + 1e-9)
        assert sum(m["share"] for m in present) == pytest.approx(1, abs=1e-3)
