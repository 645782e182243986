"""Community (社群) groups, members and messages — SPEC C10."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from b2bgrowth.store.base import Attributes, Base

MESSAGE_KINDS = ("checkin", "post", "question", "answer", "share", "order")


class CommunityGroup(Base):
    __tablename__ = "community_groups"

    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    positioning: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    target_size: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class CommunityMember(Base):
    __tablename__ = "community_members"

    group_id: Mapped[str] = mapped_column(ForeignKey("community_groups.group_id"), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[str | None] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    identity: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(128))
    attributes: Mapped[dict | None] = mapped_column(Attributes)


class CommunityMessage(Base):
    __tablename__ = "community_messages"

    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("community_groups.group_id"), index=True)
    member_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    attributes: Mapped[dict | None] = mapped_column(Attributes)
