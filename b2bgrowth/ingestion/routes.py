"""POST /api/v1/events — a JSON batch of up to 10,000 events, durable when answered 200.

    POST /api/v1/events   Authorization: Bearer <token>   (roles admin, ops)
    {"events": [{"event_id": "e1", "ts": "2024-05-01T09:30:00Z", "account_id": "A1",
                 "user_id": "u1", "event": "page_view", "properties": {"page": "/pricing"}}]}
    → 200 {"accepted": 1, "duplicates": 0}

A batch is validated whole before anything is written: one bad event → 422 naming each bad
event's index (0-based), event_id, field and reason, and nothing from the batch is stored.
The body is parsed with pydantic-core's JSON parser straight from bytes (no model per
event) and the work runs in a worker thread, so the event loop keeps accepting requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pydantic_core
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from b2bgrowth.events.schema import EventInvalid, batch_to_table, normalise, rows_to_table
from b2bgrowth.events.store import EventStoreBusy
from b2bgrowth.web.deps import WorkspaceDep, require_roles

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

MAX_BATCH = 10_000
MAX_REPORTED_ERRORS = 100
MAX_BODY_BYTES = 64 * 1024 * 1024  # 10,000 events with generous properties fit easily

router = APIRouter(prefix="/api/v1", tags=["events"])


class IngestResponse(BaseModel):
    accepted: int
    duplicates: int


_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["events"],
                    "properties": {
                        "events": {
                            "type": "array",
                            "maxItems": MAX_BATCH,
                            "items": {
                                "type": "object",
                                "required": ["event_id", "ts", "event"],
                                "properties": {
                                    "event_id": {"type": "string"},
                                    "ts": {"type": "string", "format": "date-time"},
                                    "account_id": {"type": "string"},
                                    "user_id": {"type": "string"},
                                    "event": {"type": "string"},
                                    "properties": {"type": "object"},
                                },
                            },
                        }
                    },
                }
            }
        },
    }
}


def _reject(status: int, detail: str, errors: list[dict] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


def ingest_body(ws: Workspace, body: bytes) -> JSONResponse | dict:
    """Parse, validate and store one request body (runs in a worker thread)."""
    try:
        payload = pydantic_core.from_json(body)
    except ValueError as exc:
        return _reject(400, f"body is not valid JSON: {exc}")
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return _reject(422, 'body must be a JSON object {"events": [ ... ]}')
    events = payload["events"]
    if len(events) > MAX_BATCH:
        return _reject(413, f"batch of {len(events)} events is over the limit of {MAX_BATCH}; split it")
    batch = batch_to_table(events)
    if batch is not None:
        return _store(ws, batch)
    rows, errors = [], []
    for index, raw in enumerate(events):
        try:
            rows.append(normalise(raw, index))
        except EventInvalid as exc:
            err = exc.error
            errors.append({"index": index, "event_id": err.row_id, "field": err.column, "reason": err.reason})
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        first = shown[0]
        detail = (
            f"{len(errors)} invalid event(s); nothing from this batch was stored. "
            f"First: events[{first['index']}].{first['field'] or ''}: {first['reason']}"
        )
        return _reject(422, detail, shown)
    return _store(ws, rows_to_table(rows))


def _store(ws: Workspace, batch) -> JSONResponse | dict:
    try:
        result = ws.events.ingest_table(batch)
    except EventStoreBusy as exc:
        return _reject(409, str(exc))
    return {"accepted": result.accepted, "duplicates": result.duplicates}


@router.post(
    "/events",
    response_model=IngestResponse,
    dependencies=[Depends(require_roles("admin", "ops"))],
    openapi_extra=_REQUEST_BODY,
    summary="Ingest a batch of events (≤ 10,000); durable when answered",
)
async def post_events(request: Request, ws: WorkspaceDep):
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return _reject(413, f"body of {declared} bytes is over the limit of {MAX_BODY_BYTES}; send smaller batches")
    body = await request.body()
    return await run_in_threadpool(ingest_body, ws, body)
