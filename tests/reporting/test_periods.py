from datetime import date

import pytest

from b2bgrowth.reporting.periods import make_periods, shift_periods


def spans(kind, start, end):
    return [(p.start.isoformat(), p.end.isoformat()) for p in make_periods(kind, date.fromisoformat(start), date.fromisoformat(end))]


def test_iso_weeks_start_on_monday_and_are_clipped():
    assert spans("week", "2024-01-03", "2024-01-16") == [
        ("2024-01-03", "2024-01-07"), ("2024-01-08", "2024-01-14"), ("2024-01-15", "2024-01-16")]
    # 2024-12-30 is the Monday of ISO week 1 of 2025.
    assert spans("week", "2024-12-28", "2025-01-05") == [("2024-12-28", "2024-12-29"), ("2024-12-30", "2025-01-05")]


def test_months_quarters_years_days():
    assert spans("month", "2024-01-31", "2024-03-01") == [
        ("2024-01-31", "2024-01-31"), ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-01")]
    assert spans("quarter", "2024-02-15", "2024-08-10") == [
        ("2024-02-15", "2024-03-31"), ("2024-04-01", "2024-06-30"), ("2024-07-01", "2024-08-10")]
    assert spans("year", "2023-06-01", "2024-02-01") == [("2023-06-01", "2023-12-31"), ("2024-01-01", "2024-02-01")]
    assert spans("day", "2024-02-28", "2024-03-01") == [
        ("2024-02-28", "2024-02-28"), ("2024-02-29", "2024-02-29"), ("2024-03-01", "2024-03-01")]


def test_shift_and_errors():
    assert shift_periods(date(2024, 3, 15), "month", 5) == date(2023, 10, 1)
    assert shift_periods(date(2024, 3, 15), "quarter", 1) == date(2023, 10, 1)
    with pytest.raises(ValueError, match="is after"):
        make_periods("month", date(2024, 2, 1), date(2024, 1, 1))
