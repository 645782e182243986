"""Event files: CSV (UTF-8, BOM, GBK) and JSONL import with line-precise errors; export round trip."""

from __future__ import annotations

import json

import duckdb
import pytest

from b2bgrowth.errors import ImportRejected
from b2bgrowth.events.store import EventStore

GOOD_CSV = (
    "event_id,ts,account_id,user_id,event,properties\n"
    'e1,2024-03-01T09:00:00Z,A1,u1,page_view,"{""page"": ""/pricing"", ""channel"": ""SEO""}"\n'
    "e2,2024-03-01T17:30:00+08:00,A1,u2,login,{}\n"
    "e3,2024-03-02 08:00:00,A2,,signup,\n"
)


def rows(store: EventStore) -> list[tuple]:
    con = duckdb.connect()
    return con.sql(
        f"SELECT event_id, strftime(ts, '%Y-%m-%d %H:%M'), account_id, user_id, event, properties "
        f"FROM {store.sql_source(con)} ORDER BY event_id"
    ).fetchall()


EXPECTED = [
    ("e1", "2024-03-01 09:00", "A1", "u1", "page_view", '{"page":"/pricing","channel":"SEO"}'),
    ("e2", "2024-03-01 09:30", "A1", "u2", "login", "{}"),
    ("e3", "2024-03-02 08:00", "A2", None, "signup", "{}"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_import_in_each_encoding(store, tmp_path, encoding):
    text = GOOD_CSV.replace("/pricing", "/价格")
    path = tmp_path / "events.csv"
    path.write_bytes(text.encode(encoding))
    result = store.import_file(path)
    assert (result.accepted, result.duplicates, result.errors) == (3, 0, [])
    assert rows(store)[0][5] == '{"page":"/价格","channel":"SEO"}'
    assert store.import_file(path).accepted == 0  # re-import changes nothing


def test_chinese_headers_and_extra_columns_become_properties(store, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes("事件ID,时间,客户ID,用户ID,事件,属性,渠道\nz1,2024-03-01,A1,u1,login,{},百度\n".encode("gbk"))
    store.import_file(path)
    assert rows(store) == [("z1", "2024-03-01 00:00", "A1", "u1", "login", '{"渠道":"百度"}')]


def test_bad_rows_reject_the_whole_file_and_name_line_id_column_reason(store, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        GOOD_CSV
        + "e4,not-a-date,A1,u1,login,{}\n"  # line 5
        + 'e5,2024-03-03,A1,u1,login,"[1,2]"\n'  # line 6
        + "e6,2024-03-03,A1,u1,,{}\n"  # line 7
        + "e1,2024-03-04,A1,u1,login,{}\n",  # line 8: e1 again
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        store.import_file(path)
    found = [(e.line, e.row_id, e.column) for e in info.value.errors]
    assert found == [(5, "e4", "ts"), (6, "e5", "properties"), (7, "e6", "event"), (8, "e1", "event_id")]
    reasons = [e.reason for e in info.value.errors]
    assert "bad date-time" in reasons[0] and "JSON object" in reasons[1]
    assert reasons[2] == "missing event name" and reasons[3] == "duplicate id in file (first on line 2)"
    assert store.count() == 0  # all-or-nothing

    progress = []
    result = store.import_file(path, skip_invalid=True, progress=progress.append)
    assert (result.accepted, len(result.errors)) == (3, 4)
    assert rows(store) == EXPECTED
    assert progress and progress[-1] == 7  # rows read, good and bad


def test_missing_required_column_is_reported_on_the_header_line(store, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,account_id\ne1,A1\n")
    with pytest.raises(ImportRejected) as info:
        store.import_file(path)
    assert [(e.line, e.column) for e in info.value.errors] == [(1, "ts")]
    assert "missing column(s): ts, event" in info.value.errors[0].reason


def test_jsonl_import_with_errors(store, tmp_path):
    path = tmp_path / "events.jsonl"
    lines = [
        json.dumps({"event_id": "j1", "ts": "2024-03-01T10:00:00Z", "event": "login", "properties": {"a": 1}}),
        "",
        "{not json",
        json.dumps({"event_id": "j2", "ts": "2024-03-01", "event": "login", "properties": "text"}),
        json.dumps({"event_id": "j3", "ts": "2024-03-01", "event": "login"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as info:
        store.import_file(path)
    assert [(e.line, e.row_id, e.column) for e in info.value.errors] == [(3, None, None), (4, "j2", "properties")]
    assert store.import_file(path, skip_invalid=True).accepted == 2


def test_unknown_suffix_is_refused(store, tmp_path):
    path = tmp_path / "events.txt"
    path.write_text("x")
    with pytest.raises(ValueError, match=".csv or .jsonl"):
        store.import_file(path)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_then_import_into_an_empty_store_is_lossless(tmp_path, suffix):
    source = EventStore(tmp_path / "a", flush_rows=2)
    source.ingest([
        {"event_id": "x1", "ts": "2024-03-01T09:00:00.123456Z", "account_id": "A,1", "user_id": None,
         "event": "page_view", "properties": {"q": 'say "hi"', "nested": {"k": [1, 2]}, "中文": "值"}},
        {"event_id": "x2", "ts": "2024-03-02T00:00:00", "account_id": None, "user_id": "u9",
         "event": "login", "properties": {}},
        {"event_id": "x3", "ts": "2024-03-02T00:00:01", "event": "logout"},  # stays buffered
    ])
    exported = tmp_path / f"out{suffix}"
    assert source.export_file(exported) == 3
    target = EventStore(tmp_path / "b")
    assert target.import_file(exported).accepted == 3
    con = duckdb.connect()
    query = "SELECT event_id, ts, account_id, user_id, event, properties::JSON FROM {} ORDER BY event_id"
    assert con.sql(query.format(target.sql_source(con))).fetchall() == con.sql(query.format(source.sql_source(con))).fetchall()
    source.close()
    target.close()
