"""/dashboard: KPI cards, embedded chart data, filters, languages, roles — against hand-computed figures
(see conftest.py for the company and its numbers)."""

from __future__ import annotations

import html
import json
import re

import pytest
from dashboard_company import RANGE


def kpi(page: str, name: str) -> str:
    match = re.search(rf'id="kpi-{name}".*?<div class="kpi-value">(.*?)</div>', page, re.S)
    assert match, f"no KPI card {name}"
    return html.unescape(match.group(1)).strip()


def chart_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_kpis_show_the_last_period_of_the_report(signed_in):
    page = signed_in("admin", "en").get("/dashboard", params={"period": "month", **RANGE}).text
    assert kpi(page, "mrr") == "¥2,200"
    assert kpi(page, "arr") == "¥26,400"
    assert kpi(page, "customers") == "2"
    assert kpi(page, "nrr") == "129.4%"  # 2,200 ÷ 1,700
    assert kpi(page, "grr") == "100.0%"
    assert kpi(page, "renewal-rate") == "—"  # nothing due in March
    assert kpi(page, "logo-churn") == "0.0%"
    assert kpi(page, "quick-ratio") == "—"  # no contraction or churn: undefined
    assert kpi(page, "nps") == "50.0"  # one promoter, one passive
    assert "Mar 1, 2024 – Mar 31, 2024" in page


def test_chart_data_is_the_report_output(signed_in, app):
    ws = app.state.ws
    page = signed_in("admin", "zh_CN").get("/dashboard", params={"period": "month", **RANGE}).text
    data = chart_data(page)
    assert data["periods"] == ws.report("revenue", period="month", **RANGE)["periods"]
    assert data["nps"] == ws.report("nps", period="month", **RANGE)["periods"]
    assert data["cohorts"] == ws.report("cohorts", **RANGE)["cohorts"]
    feb = data["periods"][1]
    assert (feb["new"], feb["churn"], feb["mrr_end"], feb["renewals_due"], feb["renewal_rate"]) == (700, 400, 1700, 1, 0)
    assert data["by_segment"] is None


def test_quarter_period_and_segment_table(signed_in):
    page = signed_in("admin", "en").get("/dashboard", params={"period": "quarter", "segment": "tier", **RANGE}).text
    assert kpi(page, "mrr") == "¥2,200"
    assert kpi(page, "nrr") == "—"  # nobody paid at the start of Q1
    data = chart_data(page)
    assert {row["segment"] for row in data["by_segment"]} >= {"KA", "SMB"}
    table = page[page.index('id="segment-table"'):]
    # KA = B1 1,500; SMB = B3 700 (B2 churned) at the end of Q1
    assert re.search(r"<td>KA</td>\s*<td class=\"num\"><a [^>]*>¥1,500</a>", table)
    assert re.search(r"<td>SMB</td>\s*<td class=\"num\"><a [^>]*>¥700</a>", table)


@pytest.mark.parametrize("lang, words, absent", [
    ("zh_CN", ["收入与留存", "MRR 变动", "同期群留存", "续约率", "付费客户数"], ["Cohort retention", "Renewal rate"]),
    ("en", ["Revenue &amp; retention", "MRR movements", "Cohort retention", "Renewal rate", "Customers"], ["收入与留存"]),
])
def test_both_languages(signed_in, lang, words, absent):
    page = signed_in("admin", lang).get("/dashboard", params=RANGE).text
    for word in words:
        assert word in page
    for word in absent:
        assert word not in page
    assert chart_data(page)["labels"]["churn"] == ("流失" if lang == "zh_CN" else "Churn")


def test_every_signed_in_role_may_view(signed_in):
    for role in ("viewer", "sales"):
        client = signed_in(role)
        assert client.get("/dashboard", params=RANGE).status_code == 200
        assert client.get("/nps", params=RANGE).status_code == 200
        assert client.get("/dashboard/drill", params={"metric": "new", "period_start": "2024-01-01",
                                                      "period_end": "2024-01-31"}).status_code == 200


SIGNED_IN_PATHS = ["/dashboard", "/dashboard/drill?metric=new&period_start=2024-01-01&period_end=2024-01-31",
                   "/nps", "/nps/responses?from=2024-01-01&to=2024-03-31"]


def test_signed_out_goes_to_login(anonymous):
    for path in SIGNED_IN_PATHS:
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    htmx = anonymous.get(SIGNED_IN_PATHS[1], headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def test_htmx_filter_request_returns_the_body_only(signed_in):
    response = signed_in("admin", "zh_CN").get("/dashboard", params={"period": "month", **RANGE},
                               headers={"HX-Request": "true", "HX-Target": "dashboard-body"})
    assert response.status_code == 200
    assert 'id="kpis"' in response.text and "<html" not in response.text


BAD_FILTERS = [
    ({"period": "fortnight"}, "period: fortnight is not one of"),
    ({"from": "2024-13-01"}, "from: 2024-13-01 is not a date"),
    ({"from": "2024-05-01", "to": "2024-01-01"}, "is after to"),
    ({"segment": "shoe_size"}, "segment: shoe_size is not one of"),
]


def test_bad_filters_are_named(signed_in):
    client = signed_in("admin", "en")
    for params, reason in BAD_FILTERS:
        response = client.get("/dashboard", params=params)
        assert response.status_code == 400, params
        assert reason in html.unescape(response.text)
        # the same through htmx: shown inside the swapped body (htmx swaps only 2xx answers)
        partial = client.get("/dashboard", params=params, headers={"HX-Request": "true", "HX-Target": "dashboard-body"})
        assert partial.status_code == 200 and reason in html.unescape(partial.text)


def test_default_range_is_the_last_12_months(signed_in):
    # The data runs to today (ongoing rows), so the default is the last 12 months up to today.
    page = signed_in("admin", "zh_CN").get("/dashboard").text
    data = chart_data(page)
    assert len(data["periods"]) == 12
