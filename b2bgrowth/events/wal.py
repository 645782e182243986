"""The write-ahead log: acknowledged-but-not-yet-Parquet events, one fsync per ingest call.

Layout: `<events_dir>/_wal/<sequence>.wal`, each a series of frames

    uint32 little-endian payload length | uint32 CRC-32 of the payload | payload

where the payload is one Arrow IPC stream holding the events of one `ingest()` call. A frame
is acknowledged only after `fdatasync` returns. A crash while writing leaves at most one torn
frame at the end of the newest segment; reading stops at the first frame that is short or
fails its checksum, so a torn frame (never acknowledged) is dropped and nothing acknowledged is.
Segments are removed only after their events are in fsynced Parquet files (see store.flush).
"""

from __future__ import annotations

import logging
import os
import struct
import zlib
from pathlib import Path

import pyarrow as pa

from b2bgrowth.events.files import fsync_dir
from b2bgrowth.events.schema import SCHEMA

log = logging.getLogger("b2bgrowth.events")

_HEADER = struct.Struct("<II")


def encode_frame(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, SCHEMA) as writer:
        writer.write_table(table)
    payload: bytes = sink.getvalue().to_pybytes()
    return _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def read_frames(path: Path) -> tuple[list[pa.Table], bool]:
    """The whole frames of one segment, and whether the segment ended cleanly (no torn tail)."""
    data = path.read_bytes()
    tables: list[pa.Table] = []
    offset = 0
    while offset < len(data):
        if offset + _HEADER.size > len(data):
            return tables, False
        length, checksum = _HEADER.unpack_from(data, offset)
        start, end = offset + _HEADER.size, offset + _HEADER.size + length
        if end > len(data) or zlib.crc32(data[start:end]) != checksum:
            return tables, False
        tables.append(pa.ipc.open_stream(pa.py_buffer(data[start:end])).read_all())
        offset = end
    return tables, True


class WriteAheadLog:
    def __init__(self, directory: Path):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = None
        self._sequence = max(self.segment_sequences(), default=0)

    def segment_sequences(self) -> list[int]:
        return sorted(int(p.stem) for p in self.directory.glob("*.wal") if p.stem.isdigit())

    def _path(self, sequence: int) -> Path:
        return self.directory / f"{sequence:012d}.wal"

    def append(self, table: pa.Table) -> None:
        """Write one frame and make it durable before returning."""
        if self._fd is None:
            # A fresh segment for every writer session: never append after another run's tail.
            self._sequence += 1
            self._fd = os.open(self._path(self._sequence), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            fsync_dir(self.directory)  # the new file's name must survive a crash too
        frame = encode_frame(table)
        written = os.write(self._fd, frame)
        while written < len(frame):  # os.write may be partial on huge frames
            written += os.write(self._fd, frame[written:])
        os.fdatasync(self._fd)

    def rotate(self) -> int:
        """Close the current segment; returns the last sequence that holds written frames."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        return self._sequence

    def read_all(self) -> list[pa.Table]:
        """Every acknowledged batch in every segment, oldest first."""
        tables: list[pa.Table] = []
        for sequence in self.segment_sequences():
            segment_tables, clean = read_frames(self._path(sequence))
            if not clean:
                log.warning("event log %s ends in a torn record (never acknowledged); dropped it", self._path(sequence))
            tables.extend(segment_tables)
        return tables

    def remove_through(self, sequence: int) -> None:
        for seq in self.segment_sequences():
            if seq <= sequence:
                self._path(seq).unlink(missing_ok=True)
        fsync_dir(self.directory)

    def close(self) -> None:
        self.rotate()
