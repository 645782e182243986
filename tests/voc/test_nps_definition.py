"""The one NPS definition (b2bgrowth.voc.nps, re-exported by b2bgrowth.voc): hand-computed
cases and invariants. Every NPS in the product calls it (the report, surveys, the account page,
the health signal nps_365, the timeline's bands)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from b2bgrowth.voc import band, classify, is_detractor, nps_of_scores, nps_value


def test_bands_at_the_edges():
    assert [band(s) for s in range(11)] == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    assert classify(9) == "promoters" and classify(7) == "passives" and classify(6) == "detractors"
    assert list(is_detractor(np.array([0, 6, 7, 10]))) == [True, True, False, False]


def test_hand_computed_values():
    # docs/metrics.md: 10, 9, 10, 8, 7, 6, 0, 3 → 100 × (3 − 3) ÷ 8 = 0; 10, 9, 8, 7, 6, 0, 3 → −14.29
    assert nps_of_scores([10, 9, 10, 8, 7, 6, 0, 3]) == 0
    assert nps_of_scores([10, 9, 8, 7, 6, 0, 3]) == -14.29
    assert nps_of_scores([10, 6, 9, 8, 3, 10]) == 16.67  # the survey example: 100 × (3 − 2) ÷ 6
    assert nps_of_scores([9, 6]) == 0  # account A1 of the web seed
    assert nps_of_scores([]) is None and nps_value(0, 0, 0) is None
    assert nps_value(1, 0, 3) == 33.33 and nps_value(1, 0, 3, ndigits=None) == 100 / 3


def test_arrays_give_nan_where_a_group_has_no_responses():
    out = nps_value(np.array([1, 0, 2]), np.array([1, 0, 0]), np.array([2, 0, 3]))
    assert out[0] == 0 and math.isnan(out[1]) and out[2] == 66.67


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=300))
def test_nps_is_percent_promoters_minus_percent_detractors(scores):
    value = nps_of_scores(scores, ndigits=None)
    promoters = 100 * sum(s >= 9 for s in scores) / len(scores)
    detractors = 100 * sum(s <= 6 for s in scores) / len(scores)
    assert -100 <= value <= 100
    assert math.isclose(value, promoters - detractors, abs_tol=1e-9)
    assert nps_of_scores(scores) == round(value, 2)
    # The array form agrees with the scalar form.
    assert math.isclose(float(nps_value(np.array([promoters]), np.array([detractors]), np.array([100]),
                                        ndigits=None)[0]), value, abs_tol=1e-9)
