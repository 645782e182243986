"""Reporting periods: calendar-aligned, clipped to the requested range.

A period is [start, end], both days inclusive. Periods follow the calendar (ISO weeks start on
Monday; quarters start in January, April, July, October) and the first and last ones are
clipped to [from, to], so a report from 2024-01-10 by month starts with 2024-01-10..2024-01-31.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["day", "week", "month", "quarter", "year"]
PERIOD_KINDS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
# Nominal months per period, used where a per-month figure must be scaled to a period (LTV).
MONTHS_PER_PERIOD = {"day": 12 / 365.25, "week": 7 * 12 / 365.25, "month": 1.0, "quarter": 3.0, "year": 12.0}
MAX_PERIODS = 20_000


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def as_dict(self) -> dict[str, str]:
        return {"period_start": self.start.isoformat(), "period_end": self.end.isoformat()}


def period_floor(day: date, kind: str) -> date:
    """The first day of the calendar period that contains `day`."""
    if kind == "day":
        return day
    if kind == "week":
        return day - timedelta(days=day.weekday())  # ISO: Monday
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"period: unknown period {kind!r}; one of {', '.join(PERIOD_KINDS)}")


def next_period_start(start: date, kind: str) -> date:
    if kind == "day":
        return start + timedelta(days=1)
    if kind == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def shift_periods(day: date, kind: str, count: int) -> date:
    """The start of the period `count` periods before the one containing `day` (count ≥ 0)."""
    start = period_floor(day, kind)
    for _ in range(count):
        start = period_floor(start - timedelta(days=1), kind)
    return start


def make_periods(kind: str, start: date, end: date) -> list[Period]:
    """Calendar periods of `kind` covering [start, end], the first and last clipped to it."""
    if start > end:
        raise ValueError(f"from ({start.isoformat()}) is after to ({end.isoformat()})")
    periods: list[Period] = []
    current = period_floor(start, kind)
    while current <= end:
        following = next_period_start(current, kind)
        periods.append(Period(max(current, start), min(following - timedelta(days=1), end)))
        if len(periods) > MAX_PERIODS:
            raise ValueError(f"{kind} periods from {start} to {end}: more than {MAX_PERIODS:,} periods; "
                             "choose a longer period or a shorter range")
        current = following
    return periods
