"""Row-level errors shared by every importer (entities and events)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One rejected row: the line in the file (header = line 1), the row's id, the column and why."""

    line: int
    row_id: str | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.row_id:
            where += f", id {self.row_id}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class ImportRejected(ValueError):
    """The file had bad rows and nothing was written (all-or-nothing)."""

    def __init__(self, entity: str, errors: list[RowError]):
        self.entity = entity
        self.errors = errors
        super().__init__(f"{entity}: {len(errors)} bad row(s); nothing was imported")


class FileUnreadable(ValueError):
    """The file as a whole cannot be read (missing, wrong type, undecodable, no header)."""
