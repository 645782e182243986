"""How a report's result prints in a terminal or as CSV (`b2bgrowth report NAME`).

A result is a dict: scalars print as `key: value` lines, every list of flat rows as a table.
A terminal table shows the columns that fit the terminal's width — the report's key columns
first (`Report.key_columns`), then the others in the result's order — and names the columns it
left out, so a 25-column report never wraps letter by letter. `--columns all` shows every
column (folded), `--columns a,b` exactly those; `--format csv` writes one table's rows whole.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

# What one column costs beyond its text in a Rich table: a space each side and a border.
COLUMN_CHROME = 3


class ColumnChoiceError(ValueError):
    pass


def row_tables(result: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The result's lists of flat rows, by key, in the result's order."""
    return {key: value for key, value in result.items()
            if isinstance(value, list) and value and isinstance(value[0], dict)}


def flat_columns(rows: list[dict[str, Any]]) -> list[str]:
    first = rows[0]
    return [c for c in first if not isinstance(first[c], (list, dict))]


def format_cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def choose_columns(columns: Sequence[str], rows: list[dict[str, Any]], width: int,
                   key_columns: Sequence[str] = ()) -> list[str]:
    """The columns that fit `width`, key columns first; shown in the result's order.

    The first column (what a row is: a period, an account) is always shown."""
    if not columns:
        return []
    needed = {c: max([len(c)] + [len(format_cell(r.get(c))) for r in rows]) + COLUMN_CHROME for c in columns}
    priority = [columns[0]] + [c for c in key_columns if c in needed and c != columns[0]]
    priority += [c for c in columns if c not in priority]
    chosen: set[str] = set()
    used = 1  # the table's closing border
    for column in priority:
        if not chosen or used + needed[column] <= width:
            chosen.add(column)
            used += needed[column]
    return [c for c in columns if c in chosen]


def parse_columns(spec: str | None, available: Sequence[str]) -> list[str] | None:
    """`--columns`: None (fit the terminal), "all", or a comma list of known names."""
    if spec is None or spec.strip() == "":
        return None
    if spec.strip().lower() == "all":
        return list(available)
    wanted = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in available]
    if unknown:
        raise ColumnChoiceError(f"unknown column(s) {', '.join(unknown)}; this report's columns: {', '.join(available)}")
    return wanted


def print_tables(console: Console, result: dict[str, Any], title: str, *, columns: str | None = None,
                 key_columns: Sequence[str] = ()) -> None:
    for key, value in result.items():
        if not isinstance(value, (list, dict)):
            console.print(f"[bold]{key}[/]: {format_cell(value)}", highlight=False)
    for key, rows in row_tables(result).items():
        available = flat_columns(rows)
        wanted = parse_columns(columns, [c for c in available])
        if wanted is None:
            shown = choose_columns(available, rows, console.width, key_columns)
            fold = False
        else:
            shown = [c for c in wanted if c in available]
            fold = True
        table = Table(title=f"{title}: {key}", show_lines=False)
        for column in shown:
            numeric = all(isinstance(r.get(column), (int, float)) or r.get(column) is None for r in rows)
            table.add_column(column, justify="right" if numeric else "left",
                             overflow="fold" if fold else "ellipsis", no_wrap=not fold)
        for row in rows:
            table.add_row(*[format_cell(row.get(c)) for c in shown])
        console.print(table)
        hidden = [c for c in available if c not in shown]
        if hidden:
            console.print(f"[dim]{len(hidden)} more column(s) not shown: {', '.join(hidden)} "
                          f"(--columns all, --columns a,b or --format csv)[/]", highlight=False)


def write_csv(result: dict[str, Any], table: str | None = None, out: Any = None) -> str:
    """One table's rows as CSV on stdout (every column; nested values as JSON). Returns the
    table's key; raises ColumnChoiceError when `table` is not one of the result's tables."""
    tables = row_tables(result)
    if table is not None and table not in tables:
        raise ColumnChoiceError(f"no table {table!r} in this result; tables: {', '.join(tables) or 'none'}")
    if not tables:
        raise ColumnChoiceError("this result has no rows to write as CSV (use --json)")
    key = table or next(iter(tables))
    rows = tables[key]
    columns = list(rows[0])
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])
    return key


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
