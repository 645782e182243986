"""Rows straight into the store (through its one write path) for hand-computed cases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert

from b2bgrowth.store.base import model_class

DEFAULTS = {
    "Lead": {"name": None, "company": None, "email": None, "phone": None, "title": None, "campaign_id": None,
             "industry": None, "employees": None, "region": None, "budget": None, "authority": None,
             "need": None, "timeline": None, "attributes": None},
    "Opportunity": {"account_id": None, "name": None, "stage": None, "currency": "CNY", "created_at": None,
                    "close_date": None, "owner": None, "attributes": None, "amount": None},
    "Touch": {"contact_id": None, "account_id": None, "campaign_id": None, "outcome": None, "owner": None,
              "attributes": None, "lead_id": None},
    "ChannelCost": {"currency": "CNY", "attributes": None},
    "Channel": {"kind": "other", "attributes": None},
    "Campaign": {"kind": None, "mode": None, "channel_id": None, "start_date": None, "end_date": None,
                 "budget": None, "cost": None, "currency": "CNY", "attributes": None},
    "Account": {"industry": None, "employees": None, "annual_revenue": None, "currency": None, "region": None,
                "type": "direct", "tier_override": None, "tier": None, "parent_account_id": None, "owner": None,
                "created_at": None, "lifecycle_stage": None, "attributes": None},
}


def put(ws, model_name: str, *rows: dict) -> None:
    model = model_class(model_name)
    full = [{**DEFAULTS.get(model_name, {}), **r} for r in rows]
    with ws.store.write(touched=[model.__tablename__]) as session:
        session.execute(insert(model.__table__), full)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def d(text: str) -> date:
    return date.fromisoformat(text)
