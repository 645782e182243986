"""The page toolkit: web/filters.py (reading requests), web/format.py (showing figures),
web/reports.py (running a report for a page). Expectations computed by hand."""

from contextlib import contextmanager
from datetime import date

import pytest
from starlette.requests import Request

from b2bgrowth import i18n
from b2bgrowth.web import filters
from b2bgrowth.web import format as fmt
from b2bgrowth.web.reports import run_report

TODAY = date(2024, 5, 20)


@contextmanager
def language(lang):
    token = i18n.current_language.set(lang)
    try:
        yield
    finally:
        i18n.current_language.reset(token)


def request_with(headers: dict) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": raw})


# -- web/filters.py -------------------------------------------------------------------------------

def test_is_htmx():
    assert filters.is_htmx(request_with({"HX-Request": "true"}))
    assert not filters.is_htmx(request_with({}))
    assert not filters.is_htmx(request_with({"HX-Request": "false"}))
    # back button after a cache miss: htmx asks for the whole page
    assert not filters.is_htmx(request_with({"HX-Request": "true", "HX-History-Restore-Request": "true"}))


@pytest.mark.parametrize("lang, message", [
    ("en", "from: 2024-13-01 is not a date (use YYYY-MM-DD)"),
    ("zh_CN", "from：2024-13-01 不是日期（请用 YYYY-MM-DD）"),
])
def test_parse_date_in_both_languages(lang, message):
    errors: list[str] = []
    with language(lang):
        assert filters.parse_date(" 2024-02-29 ", "from", errors) == date(2024, 2, 29)
        assert filters.parse_date("", "from", errors) is None and filters.parse_date(None, "from", errors) is None
        assert errors == []
        assert filters.parse_date("2024-13-01", "from", errors) is None
    assert errors == [message]


def test_read_as_of():
    errors: list[str] = []
    assert filters.read_as_of("2024-01-31", errors) == date(2024, 1, 31) and errors == []
    with language("en"):
        assert filters.read_as_of("yesterday", errors) == date.today()
    assert errors == ["as_of: yesterday is not a date (use YYYY-MM-DD)"]
    assert filters.read_as_of(None, []) == date.today()


def test_month_arithmetic():
    assert filters.months_before(date(2024, 3, 15), 2) == date(2024, 1, 1)
    assert filters.months_before(date(2024, 1, 31), 1) == date(2023, 12, 1)
    assert filters.months_before(date(2024, 11, 2), -2) == date(2025, 1, 1)
    assert filters.month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert filters.month_end(date(2023, 12, 5)) == date(2023, 12, 31)


def test_read_window():
    errors: list[str] = []
    assert filters.read_window(None, None, errors, today=TODAY) == (date(2023, 6, 1), TODAY)
    assert filters.read_window(None, None, errors, months=6, forward=True, today=TODAY) == (date(2024, 5, 1),
                                                                                          date(2024, 10, 31))
    assert filters.read_window("2024-01-01", None, errors, today=TODAY) == (date(2024, 1, 1), TODAY)
    assert errors == []
    with language("zh_CN"):
        assert filters.read_window("2024-05-01", "2024-04-01", errors, today=TODAY) == (date(2023, 6, 1), TODAY)
    assert errors == ["开始日期（2024-05-01）晚于结束日期（2024-04-01）"]


def test_default_range_follows_the_data():
    # no data, or data up to now: the last 12 months
    assert filters.default_range((None, None), TODAY) == (date(2023, 6, 1), TODAY)
    # data ended before the last 12 months: its own last 12 months (to the day before its last day)
    assert filters.default_range((date(2022, 1, 1), date(2023, 3, 10)), TODAY) == (date(2022, 4, 1),
                                                                                   date(2023, 3, 9))
    # data started within the window: from its first day
    assert filters.default_range((date(2024, 2, 15), TODAY), TODAY) == (date(2024, 2, 15), TODAY)


def test_read_filters():
    span = (date(2020, 1, 1), TODAY)
    f = filters.read_filters("quarter", None, "2024-03-31", "tier", span, today=TODAY)
    assert (f.period, f.start, f.end, f.segment, f.errors) == ("quarter", date(2023, 4, 1), date(2024, 3, 31),
                                                               "tier", [])
    assert f.report_params() == {"period": "quarter", "from": "2023-04-01", "to": "2024-03-31"}
    assert f.query(page=2) == "period=quarter&from=2023-04-01&to=2024-03-31&segment=tier&page=2"
    with language("en"):
        bad = filters.read_filters("decade", "", "", "colour", span, today=TODAY)
    assert (bad.period, bad.segment, bad.start, bad.end) == ("month", "", date(2023, 6, 1), TODAY)
    assert bad.errors == ["period: decade is not one of month, quarter, week, year, day",
                          "segment: colour is not one of tier, region, industry, type, owner"]


@pytest.mark.parametrize("total, page, expected", [
    (0, 3, (1, 1, 0)), (51, 3, (3, 3, 50)), (51, 9, (3, 3, 50)), (50, 0, (1, 2, 0)), (50, 2, (2, 2, 25)),
])
def test_paging(total, page, expected):
    assert tuple(filters.paging(total, page, 25)) == expected


def test_segments():
    assert set(filters.DEAL_SEGMENTS) < set(filters.SEGMENTS) == set(filters.SEGMENT_LABELS)


# -- web/reports.py -------------------------------------------------------------------------------

class FakeWorkspace:
    def report(self, name, **params):
        if name == "broken":
            raise ValueError("to: not a date")
        if name == "unknown":
            raise LookupError("no report named unknown")
        return {"name": name, **params}


def test_run_report_returns_the_result_or_words_the_error():
    errors: list[str] = []
    assert run_report(FakeWorkspace(), "revenue", errors, period="month") == {"name": "revenue", "period": "month"}
    assert run_report(FakeWorkspace(), "broken", errors) is None
    assert run_report(FakeWorkspace(), "unknown", errors) is None
    assert errors == ["broken: to: not a date", "unknown: no report named unknown"]


# -- web/format.py --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_money_in_yuan_is_the_same_in_both_languages(lang):
    with language(lang):
        assert fmt.money(1234.4) == "¥1,234"
        assert fmt.money(-1234.4) == "-¥1,234"
        assert fmt.money(1234567.891, "CNY", 2) == "¥1,234,567.89"
        assert fmt.money(0) == "¥0"
        assert fmt.money(None) == "—"
        assert fmt.money(1000, "EUR", 2) == "€1,000.00"


@pytest.mark.parametrize("lang, dollars, day", [("en", "$1,000", "Mar 5, 2024"), ("zh_CN", "US$1,000", "2024年3月5日")])
def test_other_currencies_and_dates_follow_the_language(lang, dollars, day):
    with language(lang):
        assert fmt.money(1000, "USD") == dollars
        assert fmt.format_date(date(2024, 3, 5)) == day
        assert fmt.format_percent(0.1234) == "12.3%"
        assert fmt.format_number(1234567.891, 2) == "1,234,567.89"


def test_period_label():
    assert fmt.period_label("2024-03-01", "month") == "2024-03"
    assert fmt.period_label("2024-08-01", "quarter") == "2024 Q3"
    assert fmt.period_label("2024-01-01", "year") == "2024"
    assert fmt.period_label("2024-03-04", "week") == "2024-03-04"
    assert fmt.period_label("2024-03-04", "day") == "2024-03-04"


def test_dashboard_chart_labels_in_both_languages():
    with language("en"):
        en = fmt.dashboard_chart_labels()
    with language("zh_CN"):
        zh = fmt.dashboard_chart_labels()
    assert set(en) == set(zh) == set(fmt.DASHBOARD_LABELS)
    assert (en["churn"], en["net"]) == ("Churn", "Net new MRR")
    assert (zh["churn"], zh["net"]) == ("流失", "净新增 MRR")


def test_templates_get_the_formatters():
    from b2bgrowth.web.templating import environment

    for name, function in fmt.TEMPLATE_GLOBALS.items():
        assert environment.globals[name] is function
