"""Small builders for lead tests: rows go in through the store's one write path."""

from __future__ import annotations

from datetime import datetime

from b2bgrowth.leads.models import Lead, Touch
from b2bgrowth.pipeline.models import Opportunity


def when(day: int, hour: int = 9) -> datetime:
    return datetime(2024, 1, day, hour, 0, 0)


def add_leads(ws, *rows: dict) -> None:
    with ws.store.write(touched=["leads"]) as session:
        for row in rows:
            session.add(Lead(**{"status": "new", **row}))


def add_touches(ws, *rows: dict) -> None:
    with ws.store.write(touched=["touches"]) as session:
        for row in rows:
            session.add(Touch(**row))


def add_opportunities(ws, *rows: dict) -> None:
    with ws.store.write(touched=["opportunities"]) as session:
        for row in rows:
            session.add(Opportunity(**{"status": "open", "currency": "CNY", **row}))
