"""Key/value bookkeeping: the data revision each derived table was computed from."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Base


class DataRevision(Base):
    """One counter per entity; every write path bumps the entity it wrote.

    Derived tables record the counters they were computed from, so a report can tell by
    itself whether it must recompute (SPEC: "reports recompute what is stale by themselves").
    """

    __tablename__ = "data_revisions"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
