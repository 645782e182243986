"""Property: any valid subscription file survives import → export → import unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.interchange.exporter import export_file
from b2bgrowth.interchange.importer import import_file

from .helpers import empty_store, rows, write

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12)
money = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False)
periods = st.tuples(st.dates(date(2015, 1, 1), date(2030, 1, 1)), st.one_of(st.none(), st.integers(1, 2000)))


@st.composite
def subscription_files(draw):
    ids = draw(st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True), min_size=1, max_size=6, unique=True))
    out = []
    for sub_id in ids:
        for start, days in draw(st.lists(periods, min_size=1, max_size=3, unique_by=lambda p: p[0])):
            end = start + timedelta(days=days) if days else None
            out.append([sub_id, "A1", draw(text), draw(st.one_of(st.none(), text)), draw(money), draw(st.sampled_from(["CNY", "USD"])),
                        draw(st.one_of(st.none(), st.integers(0, 10_000))), start, end, draw(st.one_of(st.none(), text))])
    return out


def _csv(records) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["subscription_id", "account_id", "product", "plan", "mrr", "currency", "seats", "start_date", "end_date", "备注"])
    for r in records:
        writer.writerow(["" if v is None else v for v in r])
    return buffer.getvalue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=subscription_files())
def test_random_subscriptions_round_trip(sqlite_ws, tmp_path, records):
    ws = sqlite_ws
    empty_store(ws)
    import_file(ws, "accounts", write(tmp_path / "a.csv", "account_id,name\nA1,Acme\n"))
    outcome = import_file(ws, "subscriptions", write(tmp_path / "s.csv", _csv(records)))
    assert (outcome.inserted, outcome.errors) == (len(records), [])
    stored = rows(ws, "subscriptions")
    for sub_id, _acc, product, plan, mrr, _cur, seats, start, end, note in records:
        row = next(r for r in stored if r[:2] == (sub_id, start))
        assert (row[3], row[4], row[5], row[7], row[8]) == (product, plan, float(mrr), seats, end)
        assert row[9] == ({"备注": note} if note else None)
    exported = tmp_path / "export.csv"
    export_file(ws, "subscriptions", exported)
    empty_store(ws)
    import_file(ws, "accounts", write(tmp_path / "a.csv", "account_id,name\nA1,Acme\n"))
    import_file(ws, "subscriptions", exported)
    assert rows(ws, "subscriptions") == stored
