"""The columnar fast path for HTTP batches stores exactly what the row-by-row path stores."""

from hypothesis import given, settings
from hypothesis import strategies as st

from b2bgrowth.events.schema import batch_to_table, normalise, rows_to_table


def _careful(events):
    return rows_to_table([normalise(e, i) for i, e in enumerate(events)])


def test_canonical_batch_equals_careful_path():
    events = [
        {"event_id": "e1", "ts": "2024-05-01T09:30:00Z", "account_id": "A1", "user_id": "u1",
         "event": "login", "properties": {"page": "/首页", "n": 3}},
        {"event_id": "e2", "ts": "2024-05-01T17:30:00+08:00", "event": "page_view"},
        {"event_id": "e3", "ts": "2024-05-02T00:00:00.123456Z", "account_id": None, "event": "x", "properties": {}},
    ]
    fast = batch_to_table(events)
    assert fast is not None
    assert fast.equals(_careful(events))
    # +08:00 is converted to UTC: 17:30 in Beijing is 09:30 UTC.
    assert str(fast.column("ts")[1].as_py()) == "2024-05-01 09:30:00"


def test_anything_unusual_takes_the_careful_path():
    base = {"event_id": "e1", "ts": "2024-05-01T09:30:00Z", "event": "login"}
    unusual = [
        {**base, "ts": "2024-05-01T09:30:00"},          # naive: careful path takes it as UTC
        {**base, "event_id": 17},                        # integer id
        {**base, "event_id": " e1 "},                    # would be trimmed
        {**base, "plan": "pro"},                         # extra field → properties
        {**base, "properties": '{"a": 1}'},           # properties as JSON text
        {**base, "ts": "not a time"},                    # an error to word
        {k: v for k, v in base.items() if k != "event"}, # missing event
        "not an object",
    ]
    for event in unusual:
        assert batch_to_table([base, event]) is None, event


ids = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Zs", "Cc"]), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries(
    {"event_id": ids, "event": ids,
     "ts": st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())},
    optional={"account_id": ids, "properties": st.dictionaries(ids, st.integers(), max_size=2)},
), min_size=1, max_size=20))
def test_fast_path_agrees_with_careful_path(events):
    fast = batch_to_table(events)
    if fast is not None:
        assert fast.equals(_careful(events))
