"""Sample events for the event-store tests (imported as a plain module: tests/ has no packages)."""

from __future__ import annotations

from datetime import datetime, timedelta


def make_events(ids, day: str = "2024-03-01", event: str = "page_view") -> list[dict]:
    base = datetime.fromisoformat(day)
    return [
        {
            "event_id": str(i),
            "ts": (base + timedelta(minutes=n)).isoformat(),
            "account_id": "A1",
            "user_id": "u1",
            "event": event,
            "properties": {"n": n},
        }
        for n, i in enumerate(ids)
    ]
