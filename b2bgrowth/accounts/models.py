"""Accounts (companies) and their contacts — SPEC C1."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base, Money

ACCOUNT_TYPES = ("direct", "isv", "channel")
TIERS = ("KA", "CA", "SMB")
LIFECYCLE_STAGES = ("prospect", "onboarding", "adopting", "mature", "at_risk", "churned")
CONTACT_ROLES = ("decision_maker", "manager", "user", "purchaser", "influencer")


class Account(Base):
    __tablename__ = "accounts"

    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    industry: Mapped[str | None] = mapped_column(String(128))
    employees: Mapped[int | None] = mapped_column(Integer)
    annual_revenue: Mapped[float | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(16), default="direct")
    # The imported `tier` column is a manual override; `tier` below is what rules decided
    # unless the override is set (the override always wins).
    tier_override: Mapped[str | None] = mapped_column(String(8))
    tier: Mapped[str | None] = mapped_column(String(8))
    parent_account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    owner: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    lifecycle_stage: Mapped[str | None] = mapped_column(String(16))
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class Contact(Base):
    __tablename__ = "contacts"

    contact_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.account_id"), index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(64))
    wechat: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class TierRule(Base):
    """An account gets `tier` when ANY threshold set here is reached (None = not used).

    One row per rule tier (KA, CA); SMB is what no rule matches. While the table is empty the
    documented defaults apply (b2bgrowth.accounts.tiers.DEFAULT_RULES).
    """

    __tablename__ = "tier_rules"

    tier: Mapped[str] = mapped_column(String(8), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)  # 1 = checked first (the largest tier)
    min_arr: Mapped[float | None] = mapped_column(Money)  # reporting currency
    min_employees: Mapped[int | None] = mapped_column(Integer)
    min_annual_revenue: Mapped[float | None] = mapped_column(Money)  # as written on the account
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(128))
