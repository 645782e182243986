"""NPS responses — SPEC C9."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base


class NpsResponse(Base):
    __tablename__ = "nps_responses"

    response_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.account_id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict | None] = mapped_column(Attributes)
