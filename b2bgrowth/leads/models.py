"""Leads and touches — SPEC C2. Behaviour (scoring, de-duplication, hand-off) comes later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

LEAD_STATUSES = ("new", "mql", "sql", "opportunity", "customer", "nurture", "disqualified")
TOUCH_KINDS = ("call", "email", "meeting", "event", "download", "webinar", "demo", "visit")


class Lead(Base):
    __tablename__ = "leads"

    lead_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str | None] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    industry: Mapped[str | None] = mapped_column(String(128))
    employees: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(128))
    # BANT is kept as written (yes/no/amount, months or a date …); issue 3 interprets it.
    budget: Mapped[str | None] = mapped_column(String(64))
    authority: Mapped[str | None] = mapped_column(String(64))
    need: Mapped[str | None] = mapped_column(Text)
    timeline: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="new")
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class Touch(Base):
    __tablename__ = "touches"

    touch_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    lead_id: Mapped[str | None] = mapped_column(String(64), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(255))
    owner: Mapped[str | None] = mapped_column(String(128))
    attributes: Mapped[dict | None] = mapped_column(Attributes)
