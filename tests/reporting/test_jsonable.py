"""reporting.jsonable: one cleaning of report values for JSON and pages."""

import json
import math
from datetime import UTC, date, datetime, time
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bgrowth.reporting.jsonable import is_missing, jsonable, plain

# -- hypothesis: nested structures of every kind a report may hold ------------------------------

floats = st.floats(allow_nan=True, allow_infinity=True)
naive_datetimes = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**62), max_value=2**62), floats, st.text(max_size=8),
    st.dates(), naive_datetimes, st.datetimes(timezones=st.just(UTC)), st.times(),
    st.decimals(allow_nan=True, allow_infinity=True),
    floats.map(np.float64), st.floats(width=32).map(np.float32), st.integers(-(2**31), 2**31).map(np.int64),
    st.booleans().map(np.bool_), st.just(pd.NaT), st.just(pd.NA),
    naive_datetimes.map(pd.Timestamp), naive_datetimes.map(np.datetime64), st.just(np.datetime64("NaT")),
)
arrays = st.one_of(
    st.lists(floats, max_size=4).map(lambda v: np.array(v, dtype="float64")),
    st.lists(st.integers(-1000, 1000), max_size=4).map(lambda v: np.array(v, dtype="int64")),
    st.lists(naive_datetimes, max_size=3).map(lambda v: np.array(v, dtype="datetime64[ns]")),
    st.lists(scalars, max_size=3).map(lambda v: np.array(v + [None], dtype=object)),
)
keys = st.one_of(st.text(max_size=5), st.integers(-5, 5), st.dates())
structures = st.recursive(
    st.one_of(scalars, arrays),
    lambda children: st.one_of(st.lists(children, max_size=4), st.lists(children, max_size=4).map(tuple),
                               st.dictionaries(keys, children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(structures)
def test_jsonable_always_dumps_and_is_idempotent(value):
    clean = jsonable(value)
    json.dumps(clean, allow_nan=False)  # never raises: no NaN, inf, date, numpy or Decimal left
    assert jsonable(clean) == clean


# -- hand-written cases ---------------------------------------------------------------------------

def test_jsonable_by_hand():
    value = {
        "day": date(2024, 3, 1), "at": datetime(2024, 3, 1, 9, 30), "ts": pd.Timestamp("2024-03-01 09:30"),
        "nan": float("nan"), "inf": float("inf"), "-inf": -math.inf, "np_nan": np.float64("nan"),
        "nat": pd.NaT, "na": pd.NA, "np_nat": np.datetime64("NaT"), "i": np.int64(7), "f": np.float32(0.5),
        "b": np.bool_(True), "money": Decimal("1234.50"), "bad_money": Decimal("NaN"), "pair": (1, 2),
        "array": np.array([1.5, np.nan]), "dates": np.array(["2024-01-02"], dtype="datetime64[D]"),
        3: "int key", "nested": [{"x": (np.int32(1), None)}],
    }
    assert jsonable(value) == {
        "day": "2024-03-01", "at": "2024-03-01T09:30:00", "ts": "2024-03-01T09:30:00",
        "nan": None, "inf": None, "-inf": None, "np_nan": None, "nat": None, "na": None, "np_nat": None,
        "i": 7, "f": 0.5, "b": True, "money": 1234.5, "bad_money": None, "pair": [1, 2],
        "array": [1.5, None], "dates": ["2024-01-02T00:00:00"], "3": "int key", "nested": [{"x": [1, None]}],
    }
    assert type(jsonable(np.int64(7))) is int and type(jsonable(np.bool_(False))) is bool


def test_jsonable_keeps_what_the_report_api_wrote_before():
    # The old web/api._jsonable: dates ISO, NaN → null, tuples → lists, numpy scalars → Python.
    row = {"period_start": date(2024, 1, 1), "mrr_end": 1200.0, "nrr": float("nan"), "segment": None,
           "customers": np.int64(3), "shares": (0.25, 0.75), "ok": True, "name": "Acme"}
    assert jsonable(row) == {"period_start": "2024-01-01", "mrr_end": 1200.0, "nrr": None, "segment": None,
                             "customers": 3, "shares": [0.25, 0.75], "ok": True, "name": "Acme"}
    assert jsonable(time(9, 5)) == "09:05:00"


def test_plain_keeps_dates_and_cleans_scalars():
    assert plain(np.float64("nan")) is None and plain(float("inf")) is None and plain(pd.NaT) is None
    assert plain(pd.NA) is None and plain(None) is None and plain(np.datetime64("NaT")) is None
    assert plain(np.int64(4)) == 4 and type(plain(np.int64(4))) is int
    assert plain(date(2024, 5, 1)) == date(2024, 5, 1)
    ts = plain(pd.Timestamp("2024-05-01 12:00"))
    assert type(ts) is datetime and ts == datetime(2024, 5, 1, 12)
    assert plain(np.datetime64("2024-05-01T12:00")) == datetime(2024, 5, 1, 12)
    items = [1, float("nan")]
    assert plain("x") == "x" and plain(items) is items  # containers pass through untouched
    assert plain(Decimal("2.5")) == Decimal("2.5") and plain(Decimal("NaN")) is None


def test_is_missing():
    for value in (None, float("nan"), np.float32("nan"), pd.NaT, pd.NA, np.datetime64("NaT"), Decimal("NaN")):
        assert is_missing(value), value
    for value in (0, 0.0, "", "nan", [], {}, [None], float("inf"), date(2024, 1, 1), np.array([np.nan])):
        assert not is_missing(value), value
