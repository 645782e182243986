"""The results of the usage and account-users reports as pydantic models: the JSON in
GET /api/v1/openapi.json, checked on every run (reporting/registry.py `result_json`).
Definitions: docs/metrics.md § Customer success — usage."""

from __future__ import annotations

from datetime import date
from typing import Literal

from b2bgrowth.reporting.registry import ResultModel

UserSegment = Literal["champion", "regular", "occasional", "dormant"]


class AccountUsage(ResultModel):
    account_id: str
    dau: int
    wau: int
    mau: int
    events_30d: int
    events_prev_30d: int
    usage_trend_30d: float | None
    active_users_prev_30d: int
    breadth_30d: int
    support_tickets_30d: int
    support_tickets_90d: int
    last_active_day: date | None
    days_since_active: int | None
    seats: float | None
    seat_utilisation: float | None


class UsageResult(ResultModel):
    as_of: date
    accounts: list[AccountUsage]


class UserSegments(ResultModel):
    champion: int
    regular: int
    occasional: int
    dormant: int


class DecisionMakers(ResultModel):
    total: int
    engaged: int
    engaged_ids: list[str]


class AccountUser(ResultModel):
    user_id: str
    events: int
    active_days: int
    last_active_day: date | None
    features: int
    contact_id: str | None  # null when the user is linked to no contact
    name: str | None
    role: str | None
    segment: UserSegment


class AccountUsersResult(ResultModel):
    as_of: date
    account_id: str
    days: int
    segments: UserSegments
    decision_makers: DecisionMakers
    users: list[AccountUser]
