"""The requirement pool (需求池) — SPEC C12."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

REQUIREMENT_SOURCES = ("customer", "sales", "support", "cs", "risk", "legal", "product", "other")
REQUIREMENT_STATUSES = (
    "new", "screened", "in_review", "accepted", "in_development", "in_test", "released", "on_hold", "rejected",
)


class Requirement(Base):
    __tablename__ = "requirements"

    requirement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime | None] = mapped_column(DateTime)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(16))
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    submitted_by: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="new")
    attributes: Mapped[dict | None] = mapped_column(Attributes)
