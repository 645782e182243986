"""Opportunities — SPEC C3."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base, Money

OPPORTUNITY_STATUSES = ("open", "won", "lost")


class Opportunity(Base):
    __tablename__ = "opportunities"

    opportunity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.account_id"), index=True)
    lead_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    stage: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[float | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    owner: Mapped[str | None] = mapped_column(String(128))
    attributes: Mapped[dict | None] = mapped_column(Attributes)
