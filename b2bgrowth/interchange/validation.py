"""Turn a read table into model rows, or RowErrors naming line, id, column and reason.

Every problem of every row is reported (one RowError each), so a user fixes a file in one
round. Checks, in order: the header (required columns present, no column given twice), each
cell against its column's kind, end not before start, duplicate ids in the file, and
references (an account must exist in the store — or, for a parent account, in the same file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from b2bgrowth.errors import RowError
from b2bgrowth.interchange import values
from b2bgrowth.interchange.entities import ENUM_ALIASES, Column, EntitySpec
from b2bgrowth.interchange.readers import Table

# What a referenced entity is called in "unknown …" reasons.
REFERENCE_NOUNS = {"accounts": "account", "channels": "channel", "community_groups": "community group"}

KnownIds = Callable[[str], set[str]]


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)  # model attribute → value
    lines: list[int] = field(default_factory=list)  # file line of each row
    errors: list[RowError] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def map_headers(spec: EntitySpec, headers: list[str]) -> tuple[list[Column | str | None], list[RowError]]:
    """For each header: its Column, an attribute name (extra column), or None (blank header)."""
    lookup: dict[str, Column] = {}
    for col in spec.columns:
        for name in (col.name, *col.aliases):
            lookup[normalise_header(name)] = col
    mapped: list[Column | str | None] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for header in headers:
        if not header:
            mapped.append(None)
            continue
        col = lookup.get(normalise_header(header))
        slot = col.name if col else f"attribute:{header}"
        if slot in seen:
            errors.append(RowError(1, None, header, f"columns {seen[slot]!r} and {header!r} both mean {col.name if col else header}"))
        seen.setdefault(slot, header)
        mapped.append(col if col else header)
    present = {c.name for c in mapped if isinstance(c, Column)}
    for col in spec.columns:
        # A file may leave out required columns to update existing rows (e.g. account_id, tier);
        # only keys, and every required column of composite-key entities, must be there.
        must = col.name in spec.key or (col.required and len(spec.key) > 1)
        if must and col.name not in present:
            also = f" (or {', '.join(col.aliases)})" if col.aliases else ""
            errors.append(RowError(1, None, col.name, f"required column {col.name}{also} is missing from the header"))
    return mapped, errors


def _parser(col: Column) -> Callable[[Any], Any]:
    parse = _kind_parser(col)
    if col.check is None:
        return parse
    check = col.check

    def parse_and_check(raw: Any) -> Any:
        value = parse(raw)
        try:
            check(value)
        except ValueError as exc:
            reason = str(exc)  # the error line names the column already
            raise values.BadValue(reason.removeprefix(f"{col.name}: ")) from None
        return value

    return parse_and_check


def _kind_parser(col: Column) -> Callable[[Any], Any]:
    kind = col.kind
    if kind == "text":
        limit = col.max_length or 0

        def parse_text(v: Any) -> str:
            if type(v) is str and (not limit or len(v) <= limit):
                return v  # the common case, without a function call per cell
            return values.text(v, col.max_length)

        return parse_text
    if kind == "enum":
        return _enum_parser(col)
    return {
        "count": values.count,
        "money": values.money,
        "date": values.day,
        "datetime": values.moment,
        "nps_score": values.nps_score,
    }[kind]


def _enum_parser(col: Column) -> Callable[[Any], str]:
    accepted: dict[str, str] = {}
    for value in col.enum or ():
        accepted[value.lower()] = value
        for alias in ENUM_ALIASES.get(value, ()):
            accepted[alias.lower()] = value
    allowed = ", ".join(col.enum or ())

    def parse(raw: Any) -> str:
        found = accepted.get(normalise_header(str(raw)))
        if found is None:
            raise values.BadValue(f"{str(raw)!r} is not one of {allowed}")
        return found

    return parse


def check_table(
    spec: EntitySpec, table: Table, known_ids: KnownIds, progress: Callable[[int, int], None] | None = None
) -> Checked:
    out = Checked()
    mapped, header_errors = map_headers(spec, table.headers)
    if header_errors:
        out.errors = header_errors
        return out

    cells = [(i, c, c.target, _parser(c)) for i, c in enumerate(mapped) if isinstance(c, Column)]
    extras = [(i, name) for i, name in enumerate(mapped) if isinstance(name, str)]
    label_index = next(i for i, c, _, _ in cells if c.name == spec.label_column)
    store_refs = [c for c in spec.columns if c.references and c.references != spec.name]
    present = {c.name for c in mapped if isinstance(c, Column)}
    absent_required = [c.name for c in spec.columns if c.required and c.name not in present]
    width = len(mapped)
    candidates: list[tuple[int, str | None, dict[str, Any], dict[str, Any]]] = []
    first_line: dict[tuple, int] = {}

    for done, (line, record) in enumerate(table.rows, start=1):
        if progress and done % 10_000 == 0:
            progress(done, len(table.rows))
        if len(record) < width:
            record = record + [None] * (width - len(record))
        label = values.text(record[label_index]) if record[label_index] is not None else None
        row: dict[str, Any] = {}
        parsed: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, col, target, parse in cells:
            raw = record[index]
            if raw is None:
                if col.required:
                    errors.append(RowError(line, label, col.name, f"{col.name} is required"))
                    continue
                value = col.default
            else:
                try:
                    value = parse(raw)
                except values.BadValue as exc:
                    errors.append(RowError(line, label, col.name, str(exc)))
                    continue
            parsed[col.name] = value
            row[target] = value
        if extras:
            row["attributes"] = {name: _attribute(record[i]) for i, name in extras}
        if absent_required and parsed.get(spec.key[0]) not in known_ids(spec.name):
            for name in absent_required:
                errors.append(RowError(line, label, name, f"{name} is required for a new row (the file has no {name} column)"))
        if spec.ordered:
            _check_order(spec, parsed, line, label, errors)
        for col in store_refs:
            target = parsed.get(col.name)
            if target is not None and target not in known_ids(col.references):
                noun = REFERENCE_NOUNS.get(col.references, col.references)
                errors.append(RowError(line, label, col.name, f"unknown {noun} {target}"))
        if all(k in parsed for k in spec.key):
            key = tuple(parsed[k] for k in spec.key)
            if key in first_line:
                shown = " + ".join(values.format_cell(k) for k in key)
                errors.append(
                    RowError(line, label, spec.label_column,
                             f"duplicate {' + '.join(spec.key)} {shown} (first on line {first_line[key]})")
                )
            else:
                first_line[key] = line
        if errors:
            out.errors.extend(errors)
        else:
            candidates.append((line, label, row, parsed))

    _check_self_references(spec, candidates, known_ids, out)
    out.errors.sort(key=lambda e: e.line)
    return out


def _attribute(value: Any) -> str | None:
    return None if value is None else values.text(value)


def _check_order(spec: EntitySpec, parsed: dict, line: int, label: str | None, errors: list[RowError]) -> None:
    end_col, start_col, may_equal = spec.ordered
    end, start = parsed.get(end_col), parsed.get(start_col)
    if end is None or start is None or end > start or (may_equal and end == start):
        return
    shown_end, shown_start = values.format_cell(end), values.format_cell(start)
    if end < start:
        reason = f"{end_col} {shown_end} is before {start_col} {shown_start}"
    else:
        reason = f"{end_col} {shown_end} must be after {start_col} {shown_start} ({end_col} is exclusive)"
    errors.append(RowError(line, label, end_col, reason))


def _check_self_references(spec: EntitySpec, candidates: list, known_ids: KnownIds, out: Checked) -> None:
    """A parent may be in the store or a good row of the same file; else the child is rejected."""
    refs = [c for c in spec.columns if c.references == spec.name]
    alive = set(range(len(candidates)))
    changed = bool(refs)
    while changed:  # a fixpoint: the child of a rejected row is rejected too
        changed = False
        own_ids = {candidates[i][3][spec.key[0]] for i in alive}
        for i in sorted(alive):
            line, label, _row, parsed = candidates[i]
            for col in refs:
                target = parsed.get(col.name)
                if target is None or target in own_ids or target in known_ids(col.references):
                    continue
                noun = REFERENCE_NOUNS.get(col.references, col.references)
                out.errors.append(RowError(line, label, col.name, f"unknown {noun} {target}"))
                alive.discard(i)
                changed = True
                break
    for i in sorted(alive):
        out.rows.append(candidates[i][2])
        out.lines.append(candidates[i][0])
