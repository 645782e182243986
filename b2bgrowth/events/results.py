"""What ingesting and importing events answer: plain records shared by the store and file I/O.

Kept apart so `events.fileio` (file import/export) and `events.store` (the EventStore, which
calls file I/O) both use them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from b2bgrowth.errors import RowError


class IngestResult(NamedTuple):
    accepted: int
    duplicates: int


@dataclass
class EventImport:
    accepted: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)
