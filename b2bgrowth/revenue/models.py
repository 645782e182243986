"""Subscriptions (contract rows) and exchange rates — SPEC C7.

A subscription row is one priced period of one subscription_id: a change of price or seats is
a new row starting the day the old one ends. So the key is (subscription_id, start_date).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base, Money


class Subscription(Base):
    __tablename__ = "subscriptions"

    subscription_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    start_date: Mapped[date] = mapped_column(Date, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.account_id"), index=True)
    product: Mapped[str | None] = mapped_column(String(128))
    plan: Mapped[str | None] = mapped_column(String(128))
    mrr: Mapped[float] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    seats: Mapped[int | None] = mapped_column(Integer)
    # Exclusive; NULL = ongoing.
    end_date: Mapped[date | None] = mapped_column(Date)
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class ExchangeRate(Base):
    """How many units of the reporting currency one unit of `currency` is worth."""

    __tablename__ = "exchange_rates"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[float] = mapped_column(Money)
