"""variant_sums: segment sums add up to the variant totals; Σ columns equal a brute-force loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bgrowth.experiments.metrics import UnitValues, variant_sums
from b2bgrowth.experiments.schemas import MetricSpec

MEAN = MetricSpec(name="m", type="mean", events=["e"])
RATIO = MetricSpec(name="r", type="ratio", events=["e"], denominator_events=["f"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.floats(-50, 50), st.floats(-50, 50), st.integers(0, 5)),
                min_size=1, max_size=60))
def test_segments_add_up_and_match_brute_force(units):
    variant = np.array([u[0] for u in units])
    seg = np.array([u[1] for u in units])
    y, x, d = (np.array([u[i] for u in units], dtype=float) for i in (2, 3, 4))
    values = UnitValues(variant=variant, variant_names=["a", "b", "c"], segments={"tier": (seg, ["A", "B", "C", None])},
                        y=[y, y], x=[x, x], d=[None, d])
    totals = {r["variant"]: r for r in variant_sums(values, [MEAN, RATIO])}
    by_segment = variant_sums(values, [MEAN, RATIO], by="tier")
    for name, k in (("a", 0), ("b", 1), ("c", 2)):
        mine = [u for u in units if u[0] == k]
        if not mine:
            assert name not in totals
            continue
        row = totals[name]
        assert row["n"] == len(mine)
        assert row["metrics"][0]["sum"] == pytest.approx(sum(u[2] for u in mine), abs=1e-9)
        assert row["metrics"][0]["product_sum"] == pytest.approx(sum(u[2] * u[3] for u in mine), abs=1e-9)
        assert row["metrics"][1]["num_den_sum"] == pytest.approx(sum(u[2] * u[4] for u in mine), abs=1e-9)
        parts = [r for r in by_segment if r["variant"] == name]
        assert sum(r["n"] for r in parts) == row["n"]
        assert sum(r["metrics"][0]["sum_squares"] for r in parts) == pytest.approx(row["metrics"][0]["sum_squares"], abs=1e-6)
