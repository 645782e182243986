"""Configuration tables of issue 4's tiers and onboarding (both editable by admins).

`tier_rules` holds one row per rule tier (KA, CA); SMB is what no rule matches. While the
table is empty the documented defaults apply (b2bgrowth.accounts.tiers.DEFAULT_RULES).
`onboarding_milestones` holds the milestone definitions; empty = the documented defaults
(b2bgrowth.success.onboarding_config.DEFAULT_MILESTONES).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Base, Money


class TierRule(Base):
    """An account gets `tier` when ANY threshold set here is reached (None = not used)."""

    __tablename__ = "tier_rules"

    tier: Mapped[str] = mapped_column(String(8), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)  # 1 = checked first (the largest tier)
    min_arr: Mapped[float | None] = mapped_column(Money)  # reporting currency
    min_employees: Mapped[int | None] = mapped_column(Integer)
    min_annual_revenue: Mapped[float | None] = mapped_column(Money)  # as written on the account
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(128))


class OnboardingMilestone(Base):
    """One onboarding milestone: what counts as done, and by which day after first payment."""

    __tablename__ = "onboarding_milestones"

    milestone_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    # event: `threshold` distinct users did `event`; event_count: `threshold` events named
    # `event`; active_users: `threshold` distinct users active (any event, or `event`) within
    # `window_days` consecutive days.
    kind: Mapped[str] = mapped_column(String(16))
    event: Mapped[str | None] = mapped_column(String(128))
    threshold: Mapped[int] = mapped_column(Integer, default=1)
    window_days: Mapped[int | None] = mapped_column(Integer)
    target_days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_by: Mapped[str | None] = mapped_column(String(128))
