"""Channels, their dated costs, and campaigns — SPEC C4, C5."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base, Money

CHANNEL_KINDS = (
    "sem", "seo", "content", "community", "event", "partner", "referral", "telesales", "ads", "direct", "other",
)
CAMPAIGN_KINDS = (
    "live_stream", "webinar", "micro_course", "community",
    "conference", "exhibition", "salon", "conference_sales", "site_visit", "other",
)
CAMPAIGN_MODES = ("hosted", "participated", "co_hosted", "sponsored")


class Channel(Base):
    __tablename__ = "channels"

    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16), default="other")
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class ChannelCost(Base):
    __tablename__ = "channel_costs"

    channel_id: Mapped[str] = mapped_column(ForeignKey("channels.channel_id"), primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    cost: Mapped[float] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class Campaign(Base):
    __tablename__ = "campaigns"

    campaign_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str | None] = mapped_column(String(32))
    mode: Mapped[str | None] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(ForeignKey("channels.channel_id"))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    budget: Mapped[float | None] = mapped_column(Money)
    cost: Mapped[float | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    attributes: Mapped[dict | None] = mapped_column(Attributes)
