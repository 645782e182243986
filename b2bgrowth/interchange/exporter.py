"""Export one entity to the interchange format: the import columns, then custom attributes.

CSV is written as UTF-8 *with* a BOM: Excel (also Chinese Excel) then opens it with the right
encoding, and every importer that reads UTF-8 (ours included) skips the BOM. XLSX gets native
cells (numbers, dates) so spreadsheets can compute with them. Rows are ordered by key, so two
exports of the same data are byte-identical (CSV).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.errors import FileUnreadable
from b2bgrowth.interchange.entities import EntitySpec, get_entity
from b2bgrowth.interchange.readers import CSV_SUFFIXES, XLSX_SUFFIXES
from b2bgrowth.interchange.values import format_cell

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def export_file(ws: Workspace, entity: str, path: Path | str) -> int:
    """Write every row of `entity` to `path` (.csv or .xlsx); returns the number of rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    if entity == "events":
        return ws.events.export_file(path)
    spec = get_entity(entity)
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise FileUnreadable(f"{path}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")
    headers, rows = _table(ws, spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in XLSX_SUFFIXES:
        _write_xlsx(path, spec.name, headers, rows)
    else:
        _write_csv(path, headers, rows)
    return len(rows)


def _table(ws: Workspace, spec: EntitySpec) -> tuple[list[str], list[list]]:
    table = spec.model.__table__
    targets = [table.c[c.target] for c in spec.columns]
    order = [table.c[spec.column(k).target] for k in spec.key]
    with ws.store.read() as session:
        result = session.execute(select(*targets, table.c.attributes).order_by(*order)).all()
    attribute_names: dict[str, None] = {}  # first-seen order, like the files they came from
    for *_, attributes in result:
        for name in attributes or ():
            attribute_names.setdefault(name)
    headers = [c.name for c in spec.columns] + list(attribute_names)
    rows = []
    for *values, attributes in result:
        attributes = attributes or {}
        rows.append(list(values) + [attributes.get(name) for name in attribute_names])
    return headers, rows


def _write_csv(path: Path, headers: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([format_cell(v) for v in row] for row in rows)


def _write_xlsx(path: Path, title: str, headers: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime) and value.microsecond:
                value = value.isoformat(sep=" ")  # Excel time cells keep only milliseconds
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text that merely looks like a formula stays text
                value = cell
            cells.append(value)
        sheet.append(cells)
    workbook.save(path)
