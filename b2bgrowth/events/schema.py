"""The event record (SPEC §5): its columns, its Arrow schema and its validation.

One event: event_id, ts, account_id, user_id, event, properties (a JSON object).
`ts` is stored as UTC wall-clock time without a zone (timestamp[us]); `properties` is stored
as JSON text so Parquet, DuckDB and Spark all read it as a plain string column
(`properties::JSON` in DuckDB, `from_json`/`get_json_object` in Spark).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pydantic_core

from b2bgrowth.errors import RowError

COLUMNS = ("event_id", "ts", "account_id", "user_id", "event", "properties")

SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("ts", pa.timestamp("us"), nullable=False),
        pa.field("account_id", pa.string()),
        pa.field("user_id", pa.string()),
        pa.field("event", pa.string(), nullable=False),
        pa.field("properties", pa.string()),
    ]
)

# Column names accepted in import files besides the canonical ones (Chinese Excel headers).
HEADER_ALIASES = {
    "事件ID": "event_id",
    "事件编号": "event_id",
    "时间": "ts",
    "发生时间": "ts",
    "客户ID": "account_id",
    "用户ID": "user_id",
    "事件": "event",
    "事件名称": "event",
    "属性": "properties",
}

# A normalised event as the store keeps it: (event_id, ts, account_id, user_id, event, properties_json).
EventRow = tuple[str, datetime, "str | None", "str | None", str, str]


class EventInvalid(ValueError):
    """One event failed validation; `.error` is the RowError naming line, id, column and reason."""

    def __init__(self, error: RowError):
        super().__init__(str(error))
        self.error = error


def _text(value: Any) -> str | None:
    """Ids and names: strings as given (trimmed), integers as their digits, empty as missing."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("must be text, not true/false")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    raise TypeError(f"must be text, not {type(value).__name__}")


def parse_ts(value: Any) -> datetime:
    """ISO-8601 date-time (or date) → UTC wall time without zone. Naive input is taken as UTC."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        parsed = datetime.fromisoformat(value.strip())
    else:
        raise ValueError("not an ISO-8601 date-time")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _properties_json(value: Any, extras: dict[str, Any] | None) -> str:
    if value is None or value == "":
        props: Any = {}
    elif isinstance(value, str):
        try:
            props = pydantic_core.from_json(value)
        except ValueError:
            raise ValueError("not valid JSON") from None
    else:
        props = value
    if not isinstance(props, dict):
        raise ValueError("must be a JSON object")
    if extras:
        # Extra fields are kept (SPEC §5: extra columns are custom attributes); given properties win.
        props = {**extras, **props}
    if not props:
        return "{}"
    return pydantic_core.to_json(props).decode()


def normalise(raw: Any, line: int) -> EventRow:
    """Validate one raw event (a dict from JSON or a CSV row) into an EventRow, or raise EventInvalid."""
    if not isinstance(raw, dict):
        raise EventInvalid(RowError(line, None, None, "an event must be a JSON object"))
    raw_id = raw.get("event_id")
    event_id = None
    try:
        event_id = _text(raw_id)
    except TypeError as exc:
        raise EventInvalid(RowError(line, None, "event_id", str(exc))) from None
    if event_id is None:
        raise EventInvalid(RowError(line, None, "event_id", "missing event_id"))

    def bad(column: str, reason: str) -> EventInvalid:
        return EventInvalid(RowError(line, event_id, column, reason))

    if raw.get("ts") in (None, ""):
        raise bad("ts", "missing ts")
    try:
        ts = parse_ts(raw["ts"])
    except (ValueError, TypeError):
        raise bad("ts", f"bad date-time {raw['ts']!r} (want ISO-8601, e.g. 2024-05-01T09:30:00Z)") from None
    try:
        event = _text(raw.get("event"))
    except TypeError as exc:
        raise bad("event", str(exc)) from None
    if event is None:
        raise bad("event", "missing event name")
    ids = []
    for column in ("account_id", "user_id"):
        try:
            ids.append(_text(raw.get(column)))
        except TypeError as exc:
            raise bad(column, str(exc)) from None
    extras = {k: v for k, v in raw.items() if k not in COLUMNS and k is not None and v not in (None, "")}
    try:
        properties = _properties_json(raw.get("properties"), extras)
    except ValueError as exc:
        raise bad("properties", f"properties {exc}") from None
    return (event_id, ts, ids[0], ids[1], event, properties)


def row_to_dict(row: EventRow) -> dict[str, Any]:
    event_id, ts, account_id, user_id, event, properties = row
    return {
        "event_id": event_id,
        "ts": ts,
        "account_id": account_id,
        "user_id": user_id,
        "event": event,
        "properties": pydantic_core.from_json(properties),
    }


def dict_to_row(record: dict[str, Any]) -> EventRow:
    """A record from `validate` (properties as a dict) back to the stored form."""
    props = record.get("properties")
    if isinstance(props, dict):
        props = pydantic_core.to_json(props).decode() if props else "{}"
    return (record["event_id"], record["ts"], record.get("account_id"), record.get("user_id"), record["event"],
            props or "{}")


def rows_to_table(rows: Iterable[EventRow]) -> pa.Table:
    rows = list(rows)
    if not rows:
        return SCHEMA.empty_table()
    columns = list(zip(*rows))
    arrays = [pa.array(columns[i], type=SCHEMA.field(i).type) for i in range(len(COLUMNS))]
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


_CANONICAL_KEYS = frozenset(COLUMNS)
_UTC_US = pa.timestamp("us", tz="UTC")


def _clean_text(value: Any) -> bool:
    """A value `normalise` would keep exactly as it is: a non-empty string with no edge spaces."""
    return type(value) is str and value != "" and value.strip() == value


# Every character Python's str.strip() removes (str.isspace), for RE2: a value starting or
# ending with one would be trimmed by `normalise`, so it is not canonical.
_PY_SPACE = (r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
             r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}")
_EDGE_SPACE = f"^[{_PY_SPACE}]|[{_PY_SPACE}]$"


def _clean_column(values: list[Any], nullable: bool) -> pa.Array | None:
    """The values as an Arrow string array if each is what `normalise` keeps as is (text, not
    empty, no edge spaces; None allowed when nullable), else None. Checked by Arrow kernels,
    not per value in Python."""
    try:
        array = pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # a number, a boolean … : the careful path words it
    if array.null_count and not nullable:
        return None
    if pc.any(pc.equal(pc.utf8_length(array), 0)).as_py():
        return None
    if pc.any(pc.match_substring_regex(array, _EDGE_SPACE)).as_py():
        return None
    return array


def batch_to_table(events: list[Any]) -> pa.Table | None:
    """The columnar fast path for an HTTP batch, or None when any event needs `normalise`.

    Most producers send canonical events (string ids, ISO-8601 times with a zone, properties
    an object or absent, no extra fields). For those the batch is checked column by column
    and the times are parsed by Arrow in one call, which is several times faster than the
    row-by-row path. Anything else — a naive time, an integer id, an extra field, a bad value —
    returns None and the caller takes the careful path, which also words the errors, so both
    paths accept and store exactly the same things.
    """
    try:
        if not all(type(e) is dict and e.keys() <= _CANONICAL_KEYS for e in events):
            return None
        ids = [e["event_id"] for e in events]
        names = [e["event"] for e in events]
        stamps = [e["ts"] for e in events]
    except KeyError:
        return None
    accounts = [e.get("account_id") for e in events]
    users = [e.get("user_id") for e in events]
    props = [e.get("properties") for e in events]
    columns = [_clean_column(ids, False), _clean_column(accounts, True), _clean_column(users, True),
               _clean_column(names, False)]
    if any(c is None for c in columns) or not all(p is None or type(p) is dict for p in props):
        return None
    try:
        ts = pa.array(stamps, pa.string()).cast(_UTC_US).cast(pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None  # a naive or malformed time: `normalise` decides (naive = UTC) and explains
    to_json = pydantic_core.to_json
    properties = ["{}" if not p else to_json(p).decode() for p in props]
    id_array, account_array, user_array, name_array = columns
    arrays = [id_array, ts, account_array, user_array, name_array, pa.array(properties, pa.string())]
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def conform(table: pa.Table) -> pa.Table:
    """Cast a caller's table to the stored schema (bulk path); missing optional columns become null."""
    missing = [c for c in ("event_id", "ts", "event") if c not in table.column_names]
    if missing:
        raise ValueError(f"events table lacks required column(s): {', '.join(missing)}")
    arrays = []
    for field in SCHEMA:
        if field.name in table.column_names:
            column = table.column(field.name)
            if field.name == "ts" and pa.types.is_timestamp(column.type) and column.type.tz is not None:
                column = column.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
            arrays.append(column.cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    for name in ("event_id", "ts", "event"):
        if arrays[COLUMNS.index(name)].null_count:
            raise ValueError(f"events table has null {name} values")
    # Nullable flags differ from SCHEMA's, so build with the arrays' own fields then cast.
    return pa.Table.from_arrays(arrays, names=list(COLUMNS)).cast(SCHEMA)
