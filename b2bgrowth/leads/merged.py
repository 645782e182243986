"""Merged leads, as the channel, attribution and pipeline reports see them.

De-duplication (b2bgrowth/leads/dedupe.py) merges duplicate leads: one row per merged lead
(lead_id, created_at, channel, status = most advanced, member_ids) and a map member lead_id →
merged lead_id. This module is what other capabilities use: those frames (re-exported from
dedupe), `lead_index(ws)` — the merged leads as arrays for fast windowed counts — and
`read_frame`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from b2bgrowth.leads.dedupe import member_to_lead, members_frame, merged_leads  # noqa: F401  (public here)

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

# new < mql < sql < opportunity < customer; nurture and disqualified reach nothing.
STATUS_RANK = {"new": 0, "mql": 1, "sql": 2, "opportunity": 3, "customer": 4, "nurture": -1, "disqualified": -1}


def read_frame(ws: Workspace, statement, columns: list[str]) -> pd.DataFrame:
    """Rows of a SELECT as a frame, column-wise (building a frame from Row objects is slow)."""
    compiled = statement.compile(dialect=ws.store.engine.dialect)
    with ws.store.engine.connect() as conn:
        rows: Sequence[Sequence[Any]]
        if compiled.params:
            rows = conn.execute(statement).all()
        else:  # plain DBAPI tuples: no Row objects for a few hundred thousand rows
            dbapi = conn.connection.dbapi_connection
            if dbapi is None:  # only once the connection is closed
                raise RuntimeError("the database connection was closed")
            cursor = dbapi.cursor()
            try:
                cursor.execute(str(compiled))
                rows = cursor.fetchall()
            finally:
                cursor.close()
    empty: list[Sequence[Any]] = [[] for _ in columns]
    data = list(zip(*rows)) if rows else empty
    return pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in zip(columns, data)})


class LeadIndex:
    """The merged leads as arrays for fast windowed counts, built once per version of the leads.

    ids (an Index with its hash table built), created (datetime64), rank (STATUS_RANK), channel
    codes with their names, and the few members that are NOT their own merged lead (the
    duplicates): every other id maps to itself, so a lookup touches a small table."""

    def __init__(self, merged: pd.DataFrame, members: pd.DataFrame):
        self.ids = pd.Index(merged["lead_id"].to_numpy(dtype=object))
        self.ids.get_indexer(self.ids[:1])  # build the hash table now, not in the first report
        self.created = pd.to_datetime(merged["created_at"]).to_numpy(dtype="datetime64[ns]")
        status = pd.Index(list(STATUS_RANK)).get_indexer(merged["status"].to_numpy(dtype=object))
        self.rank = np.where(status >= 0, np.array(list(STATUS_RANK.values()))[status], -1)
        codes, names = pd.factorize(merged["channel"].astype(object), use_na_sentinel=True)
        self.channel_codes = np.where(codes < 0, len(names), codes)
        self.channel_names = [*list(names), None]  # the last code = no channel
        moved = members["member_id"].to_numpy(dtype=object) != members["lead_id"].to_numpy(dtype=object)
        self.duplicates = pd.Series(members["lead_id"].to_numpy(dtype=object)[moved],
                                    index=pd.Index(members["member_id"].to_numpy(dtype=object)[moved]))

    def merged_of(self, ids: np.ndarray) -> np.ndarray:
        """The merged lead id of each member id (the id itself when it is one, or unknown)."""
        ids = np.asarray(ids, dtype=object)
        if not len(self.duplicates):
            return ids
        position = self.duplicates.index.get_indexer(ids)
        return np.where(position >= 0, self.duplicates.to_numpy()[position], ids)

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Row of each merged lead id in the arrays (-1 = no such lead)."""
        return self.ids.get_indexer(np.asarray(ids, dtype=object))


def lead_index(ws: Workspace) -> LeadIndex:
    key = ws.cache.key("lead_index", entities=("leads", "lead_merges"))
    return ws.cache.get_or_compute("lead_index", key, lambda: LeadIndex(merged_leads(ws), members_frame(ws)))
