"""Opportunities — SPEC C3."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String
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


class PipelineStage(Base):
    """A configurable opportunity stage. Open stages are ordered; closed ones end the deal.

    `probability` is the default chance an opportunity at this stage is won (weighted forecast).
    """

    __tablename__ = "pipeline_stages"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    order: Mapped[int] = mapped_column(Integer, default=0)
    probability: Mapped[float] = mapped_column(Float, default=0.0)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)


class OpportunityStageChange(Base):
    """One move of an opportunity from a stage to another (from_stage None = entered the pipeline)."""

    __tablename__ = "opportunity_stage_changes"

    change_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    opportunity_id: Mapped[str] = mapped_column(String(64), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(64))
    to_stage: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)
    by: Mapped[str | None] = mapped_column(String(128))
